// The program runner shared by the crash-recovery and error-injection campaigns: it runs a
// program against a database on a FaultFileSystem (inline compaction), keeps the durability
// model (history.ts) in step, strikes crashes where the program says, reopens, and checks
// every recovery against the contract (SPEC.md, "Durability"):
//   - the recovered state is the base plus a prefix of the attempted writes that holds every
//     write acknowledged before a sync or a flush (no holes, no half batches, no resurrected
//     deletes), and point reads agree with scans;
//   - lastSequence continues at or above every recovered write's sequence number, and a new
//     write gets the next one (a snapshot taken before it does not see it);
//   - the directory holds exactly the live files plus the current WAL (no orphans);
//   - after a failed WAL append or fsync, every later write is refused (sticky).
import { StrataError } from '../../engine/errors.js'
import { FaultFileSystem } from '../../engine/fs/fault-fs.js'
import { DB } from '../../engine/index.js'
import type { Options, Snapshot } from '../../engine/index.js'
import { directoryProblems, readState, Violation } from './checks.js'
import { classifyCrash, fileKind } from './classify.js'
import { History, serialize } from './history.js'
import type { State } from './history.js'
import { KEYS, settle, toBatch, valueBytes } from './program.js'
import type { BatchOp, Op, WriteOps } from './program.js'
import type { Summary } from './summary.js'

type CrashOp = Extract<Op, { t: 'crash' }>

const PROBE = '~probe'
const FILTERS = { log: '.log', sst: '.sst', MANIFEST: '/MANIFEST-', CURRENT: '/CURRENT', dbtmp: '.dbtmp', any: undefined } as const

export class Runner {
  readonly fs = new FaultFileSystem()
  readonly dir = '/db'
  private db: DB | undefined
  private readonly hist = new History()
  private snaps: Array<{ snap: Snapshot; state: State; live: boolean }> = []
  private armed: CrashOp | undefined
  private phase = 'open'
  /** A WAL append or fsync failed under a write: every write must now be refused. */
  private walPoisoned = false
  /** A surfaced fault whose outcome (carried on, or refused writes) is not known yet. */
  private pendingOutcome: string | undefined
  private faultsSeen = 0
  /** fs.faults.length when the open database was opened: later faults may leave orphans. */
  private faultsAtOpen = 0
  private probeTag = 0
  private readonly keys = new Set<string>([...KEYS, PROBE])
  private readonly options: Options

  constructor(options: Options, private readonly summary: Summary) {
    this.options = { ...options, compaction: 'inline', fs: this.fs }
  }

  /** Runs the program, then a last crash and recovery, and closes the database. */
  async run(program: readonly Op[]): Promise<void> {
    this.db = this.openDb()
    this.hist.rebase(new Map(), this.db.stats().lastSequence)
    for (const op of program) await this.step(op)
    if (this.armed) this.fs.armCrash(0)
    this.armed = undefined
    if (this.hist.uncertain === 0 && this.db) this.expectLive('at the end')
    await this.crashNow({ t: 'crash', after: null, seed: program.length * 7919, policy: 'random', inRecovery: null }, 'end of program')
    this.db?.close()
  }

  private get open(): DB {
    if (!this.db) throw new Error('no open database')
    return this.db
  }

  private async step(op: Op): Promise<void> {
    if (op.t === 'crash') {
      this.fs.armCrash(0)
      this.armed = undefined
      if (op.after === null) await this.crashNow(op, 'between operations')
      else {
        this.armed = op
        this.fs.armCrash(op.after)
      }
      return
    }
    if (op.t === 'fault') {
      const path = FILTERS[op.file]
      this.fs.inject({ ops: op.ops, nth: op.nth, error: op.error, persistent: op.persistent, ...(path === undefined ? {} : { path }) })
      return
    }
    this.summary.add('operations', op.t)
    this.fs.resetTrace()
    this.phase = op.t === 'reopen' ? 'reopen' : op.t
    let error: unknown
    try {
      await this.exec(op)
    } catch (err) {
      error = err
    }
    await settle() // background work the operation started (a retired WAL's sync) runs now
    if (this.fs.crashed) return this.crashStruck()
    if (error instanceof Violation) throw error
    this.noteFaults(op, error)
  }

  // ---- operations -------------------------------------------------------------------------

  private async exec(op: Exclude<Op, { t: 'crash' | 'fault' }>): Promise<void> {
    const db = this.open
    switch (op.t) {
      case 'put': {
        const v = valueBytes(op.v)
        return this.write([[op.k, v]], op.sync, () => db.put(Buffer.from(op.k, 'latin1'), v, { sync: op.sync }))
      }
      case 'del':
        return this.write([[op.k, undefined]], op.sync, () => db.delete(Buffer.from(op.k, 'latin1'), { sync: op.sync }))
      case 'batch': {
        const [batch, ops] = toBatch(op.ops)
        return this.write(ops, op.sync, () => db.write(batch, { sync: op.sync }))
      }
      case 'group':
        return this.group(op.batches)
      case 'get': {
        const got = db.get(Buffer.from(op.k, 'latin1'))
        if (this.hist.uncertain > 0) return
        const want = this.hist.live.get(op.k)
        if ((got === undefined) !== (want === undefined) || (got && want && !got.equals(want))) {
          throw new Violation(`get(${JSON.stringify(op.k)}) returned ${got ? `${got.length} bytes` : 'nothing'}, the model has ${want ? `${want.length} bytes` : 'nothing'}`)
        }
        return
      }
      case 'scan':
        if (this.hist.uncertain === 0) this.expectLive('scan')
        else readState(db, this.keys)
        return
      case 'snap':
        if (this.hist.uncertain === 0) this.snaps.push({ snap: db.snapshot(), state: new Map(this.hist.live), live: true })
        return
      case 'snapCheck': {
        const s = this.pickSnapshot(op.i)
        if (!s) return
        const got = readState(db, this.keys, s.snap)
        if (serialize(got) !== serialize(s.state)) throw new Violation(`a snapshot read differs from the state when it was taken:\n  got  ${serialize(got)}\n  want ${serialize(s.state)}`)
        return
      }
      case 'release': {
        const s = this.pickSnapshot(op.i)
        if (s) {
          s.snap.release()
          s.live = false
        }
        return
      }
      case 'flush':
        db.flush()
        return this.afterFileChange('flush')
      case 'compact':
        db.compactRange(op.from === null ? undefined : Buffer.from(op.from, 'latin1'), op.to === null ? undefined : Buffer.from(op.to, 'latin1'))
        return this.afterFileChange('compactRange')
      case 'reopen':
        return this.reopen()
    }
  }

  /** After a flush or compactRange returned: earlier writes are durable, no orphans remain. */
  private afterFileChange(what: string): void {
    if (this.fs.crashed) return
    this.hist.markDurable()
    this.checkDirectory(`after ${what}`)
  }

  private async write(ops: WriteOps, sync: boolean, run: () => void): Promise<void> {
    const seqBefore = this.open.stats().lastSequence
    try {
      run()
    } catch (err) {
      this.failedWrite(ops)
      throw err
    }
    this.ackedWrite(ops, sync, seqBefore)
  }

  private async group(batches: ReadonlyArray<{ ops: readonly BatchOp[]; sync: boolean }>): Promise<void> {
    const db = this.open
    const seqBefore = db.stats().lastSequence
    const built = batches.map((b) => ({ ...b, pair: toBatch(b.ops) }))
    const results = await Promise.allSettled(built.map((b) => db.writeAsync(b.pair[0], { sync: b.sync })))
    let firstError: unknown
    results.forEach((r, i) => {
      const b = built[i]!
      if (r.status === 'fulfilled') this.ackedWrite(b.pair[1], b.sync, seqBefore)
      else {
        this.failedWrite(b.pair[1])
        firstError ??= r.reason
      }
    })
    if (firstError !== undefined) throw firstError
  }

  private ackedWrite(ops: WriteOps, sync: boolean, seqBefore: number): void {
    if (this.fs.crashed) return this.failedWrite(ops) // it returned after the process died
    if (this.walPoisoned) throw new Violation('a write was acknowledged after a failed WAL append or fsync')
    const seqAfter = this.open.stats().lastSequence
    if (seqAfter < seqBefore + ops.length) throw new Violation(`lastSequence went from ${seqBefore} to ${seqAfter} over a write of ${ops.length} operations`)
    this.hist.record({ ops, acked: true, seqAfter })
    if (sync) this.hist.markDurable()
    this.outcome('carried on')
  }

  /** A write that threw: uncertain if it reached a WAL append, else it never happened. */
  private failedWrite(ops: WriteOps): void {
    const appended = this.fs.trace.some((e) => e.op === 'append' && fileKind(e.path) === 'log')
    if (appended) this.hist.record({ ops, acked: false, seqAfter: undefined })
    if (!this.fs.crashed) this.outcome('refused writes')
  }

  private pickSnapshot(i: number): { snap: Snapshot; state: State; live: boolean } | undefined {
    const live = this.snaps.filter((s) => s.live)
    return live.length === 0 ? undefined : live[i % live.length]
  }

  // ---- faults -------------------------------------------------------------------------------

  /** Accounts for injected faults that fired during the last operation, and for its error. */
  private noteFaults(op: Op, error: unknown): void {
    const fresh = this.fs.faults.slice(this.faultsSeen)
    this.faultsSeen = this.fs.faults.length
    if (error !== undefined && !(error instanceof StrataError)) throw new Violation(`${op.t} threw a non-StrataError: ${String(error)}`)
    if (error instanceof StrataError && error.code === 'CORRUPTION') throw new Violation(`${op.t} reported CORRUPTION after injected I/O faults: ${error.message}`)
    for (const f of fresh) {
      const label = `${f.error} on ${f.op} of ${fileKind(f.path)}`
      this.summary.add('faults injected', label)
      if (error === undefined) this.summary.add('fault outcomes', `${label} -> absorbed`)
      else this.pendingOutcome = label
      const isWrite = op.t === 'put' || op.t === 'del' || op.t === 'batch' || op.t === 'group'
      if (error !== undefined && isWrite && fileKind(f.path) === 'log' && (f.op === 'append' || f.op === 'sync')) this.walPoisoned = true
    }
    if (error !== undefined && fresh.length === 0 && !(error as StrataError).injected && this.db?.stats().backgroundError === undefined) {
      throw new Violation(`${op.t} failed with no fault injected: ${(error as Error).message}`)
    }
  }

  private outcome(what: 'carried on' | 'refused writes'): void {
    if (this.pendingOutcome === undefined) return
    this.summary.add('fault outcomes', `${this.pendingOutcome} -> ${what}`)
    this.pendingOutcome = undefined
  }

  // ---- reopen, crash, recovery ----------------------------------------------------------------

  private async reopen(): Promise<void> {
    try {
      this.open.close()
    } catch (err) {
      if (!(err instanceof StrataError)) throw err
    }
    this.db = undefined
    this.snaps = []
    this.walPoisoned = false
    this.db = this.openRetrying()
    // no power loss: everything acknowledged must be there
    this.verifyRecovered(this.hist.writes.length, 'reopen')
  }

  /** DB.open; an injected fault there is retried once the fault rules are cleared. */
  private openRetrying(): DB {
    try {
      return this.openDb()
    } catch (err) {
      if (this.fs.crashed || !(err instanceof StrataError) || !err.injected) throw err
      this.summary.add('fault outcomes', 'open failed, then succeeded without faults')
      this.fs.clearFaults()
      return this.openDb()
    }
  }

  private openDb(): DB {
    this.faultsAtOpen = this.fs.faults.length
    return DB.open(this.dir, this.options)
  }

  /** The armed crash struck inside the last operation. */
  private async crashStruck(): Promise<void> {
    const at = this.fs.crashPoint!
    this.summary.add('crash points', classifyCrash(this.fs.trace, at, this.phase === 'reopen'))
    const op = this.armed!
    this.armed = undefined
    await this.recover(op)
  }

  private async crashNow(op: CrashOp, label: string): Promise<void> {
    this.summary.add('crash points', label)
    await this.recover(op)
  }

  private async recover(op: CrashOp): Promise<void> {
    this.pendingOutcome = undefined
    this.walPoisoned = false
    this.fs.clearFaults()
    this.faultsSeen = this.fs.faults.length
    this.losses(this.fs.crash(op.seed, op.policy))
    this.db = undefined
    this.snaps = []
    if (op.inRecovery !== null) {
      this.fs.armCrash(op.inRecovery)
      this.fs.resetTrace()
      try {
        this.db = this.openDb()
      } catch (err) {
        if (!this.fs.crashed) throw new Violation(`recovery failed: ${(err as Error).message}`)
      }
      this.fs.armCrash(0)
      if (this.fs.crashed) {
        this.summary.add('crash points', classifyCrash(this.fs.trace, this.fs.crashPoint!, true))
        this.losses(this.fs.crash(op.seed ^ 0x5bd1e995, op.policy))
        this.db = undefined
      }
    }
    try {
      this.db ??= this.openDb()
    } catch (err) {
      throw new Violation(`recovery failed: ${(err as Error).message}`)
    }
    this.verifyRecovered(this.hist.floor, 'recovery')
  }

  private losses(report: ReturnType<FaultFileSystem['crash']>): void {
    this.summary.add('crash effects', 'unsynced bytes lost', report.unsyncedBytesLost)
    this.summary.add('crash effects', 'directory changes undone', report.dirOpsLost)
    this.summary.add('crash effects', 'torn sectors', report.files.reduce((n, f) => n + f.tornSectors, 0))
  }

  /** Checks a freshly opened database against the model, then makes it the new base. */
  private verifyRecovered(floor: number, what: string): void {
    this.fs.withoutFaults(() => this.verifyRecoveredNow(floor, what))
  }

  private verifyRecoveredNow(floor: number, what: string): void {
    const db = this.open
    const state = readState(db, this.keys)
    const k = this.hist.match(state, floor)
    if (k === undefined) {
      throw new Violation(
        `after ${what} the database matches no allowed prefix of the ${this.hist.writes.length} writes (floor ${floor}, ${this.hist.uncertain} uncertain):\n` +
        `  got           ${serialize(state)}\n  want at floor ${this.hist.describe(floor)}\n  want at end   ${this.hist.describe(this.hist.writes.length)}`,
      )
    }
    this.summary.add('recoveries', what)
    const seq = db.stats().lastSequence
    const least = Math.max(this.hist.seqAtLeast(k), this.hist.baseSeq)
    if (seq < least) throw new Violation(`after ${what} lastSequence is ${seq}, below ${least}, the sequence of a recovered write`)
    this.checkDirectory(`after ${what}`)
    this.hist.rebase(state, seq)
    // a new write takes the next sequence number, above every recovered one
    const snap = db.snapshot()
    const before = db.get(PROBE)
    const value = valueBytes({ len: 9, tag: ++this.probeTag })
    try {
      db.put(PROBE, value)
    } catch (err) {
      // an armed crash may strike here (in a reopen): the probe is then uncertain
      if (this.fs.crashed) this.hist.record({ ops: [[PROBE, value]], acked: false, seqAfter: undefined })
      throw err
    }
    if (db.stats().lastSequence !== seq + 1) throw new Violation(`the first write after ${what} got sequence ${db.stats().lastSequence}, expected ${seq + 1}`)
    const seen = db.get(PROBE, { snapshot: snap })
    if ((seen === undefined) !== (before === undefined) || (seen && before && !seen.equals(before))) throw new Violation(`a snapshot taken after ${what} sees a later write`)
    if (!db.get(PROBE)?.equals(value)) throw new Violation(`the first write after ${what} is not visible`)
    snap.release()
    this.hist.record({ ops: [[PROBE, value]], acked: true, seqAfter: seq + 1 })
  }

  private expectLive(what: string): void {
    const got = this.fs.withoutFaults(() => readState(this.open, this.keys))
    if (serialize(got) !== serialize(this.hist.live)) {
      throw new Violation(`${what}: the database differs from the model:\n  got  ${serialize(got)}\n  want ${serialize(this.hist.live)}`)
    }
  }

  private checkDirectory(what: string): void {
    if (this.fs.faults.length !== this.faultsAtOpen) return // a fault may leave orphans until the next open
    const problems = this.fs.withoutFaults(() => directoryProblems(this.fs, this.dir, this.open))
    if (problems.length > 0) {
      const names = this.fs.list(this.dir).sort().join(' ')
      throw new Violation(`${what} the directory holds more or less than the live files: ${problems.join('; ')} (files: ${names})`)
    }
  }
}
