// Background work: flushing frozen memtables and compacting levels, either in the compaction
// worker (options.compaction 'worker', the default) or on the caller's thread ('inline', for
// deterministic tests and custom file systems a worker cannot reach). Results are installed
// here, on the main thread, as one version edit each. Also the write stalls of LevelDB and
// RocksDB: a short delay per write above l0SlowdownTrigger, a wait at l0StopTrigger or while a
// full memtable waits for the previous one's flush.
//
// Priority: a flush is always started before a compaction; one flush and one compaction may
// run at once (their edits commute: a flush only adds an L0 file, and a compaction only deletes
// its own inputs). At most one compaction runs at a time.
import { StrataError } from '../errors.js'
import { NodeFileSystem } from '../fs/node-fs.js'
import { CompactionWorker } from '../compaction/worker-client.js'
import {
  applyCompactionResult, pickCompaction, pickManualCompaction, runCompaction, trivialMoveResult,
} from '../compaction/index.js'
import type { CompactionResult, CompactionSpec } from '../compaction/index.js'
import { NUM_LEVELS, VersionEdit } from '../version/index.js'
import type { FileMetaData, Version } from '../version/index.js'
import type { DBCore } from './core.js'
import { installLevel0 } from './flush.js'
import { deleteObsoleteFiles } from './obsolete.js'
import { switchMemtable } from './switch.js'

/** How long one slowed-down write waits, as LevelDB does (1 ms). */
const SLOWDOWN_MS = 1
/**
 * Frozen memtables that may wait for their flush before writes stall (RocksDB's
 * max_write_buffer_number less one). With one, fillbatch stalled for 30% of its time while
 * the worker flushed (benchmarks/, 100,000 entries); two absorb a flush's latency.
 */
export const MAX_IMMUTABLE_MEMTABLES = 2

export interface BackgroundStats {
  stalls: number
  stallMicros: number
  slowdowns: number
  compactions: number
  trivialMoves: number
  /** Compactions that took the seek candidate's file (seek-compaction.ts), trivial moves included. */
  seekCompactions: number
  compactionBytesRead: number
  compactionBytesWritten: number
  compactionsRunning: number
  /** Input bytes of the compaction running now (0 when none). */
  compactionRunningBytes: number
  flushesRunning: number
}

interface Job {
  id: number
}

export class Background {
  readonly stats: BackgroundStats = {
    stalls: 0, stallMicros: 0, slowdowns: 0, compactions: 0, trivialMoves: 0, seekCompactions: 0,
    compactionBytesRead: 0, compactionBytesWritten: 0, compactionsRunning: 0, compactionRunningBytes: 0, flushesRunning: 0,
  }
  /**
   * One worker runs flushes and compactions: a flush sent while a compaction runs is taken
   * between the compaction's entries (CompactionEnv.interleave, worker.ts), as LevelDB's
   * compaction loop checks for an immutable memtable, so it never waits for the compaction to
   * end. Against a second thread for flushes, a 1M-key fill peaked at 170-171 MB RSS instead
   * of 198-204, at the same speed (8.0-8.1 vs 7.9-8.4 µs per put), and the 2M-key
   * compaction-load took as long (14.0-14.1 vs 14.1-14.5 s) with a lower event-loop p99
   * (7.1-7.3 vs 9.0-9.7 ms). A single worker without interleaving spent 18 of a 2M-key load's
   * 31 s stalled on full memtables.
   */
  private readonly threadedMode: boolean
  private compactionWorker: CompactionWorker | undefined
  private flushJob: Job | undefined
  private compactionJob: Job | undefined
  private readonly sleeper = new Int32Array(new SharedArrayBuffer(4))
  /** Waiters of the async write path, woken whenever a background job completes. */
  private wakers: Array<() => void> = []

  constructor(private readonly core: DBCore) {
    const useWorker = core.options.compaction === 'worker' && core.fs instanceof NodeFileSystem
    this.threadedMode = useWorker
  }

  /** True when background work runs in the worker. */
  get threaded(): boolean {
    return this.threadedMode
  }

  /**
   * The worker starts on first use: starting a thread costs about 16 ms, which every open of a
   * database that never flushes (tests, short-lived tools) would otherwise pay.
   */
  private get worker(): CompactionWorker | undefined {
    if (!this.threadedMode) return undefined
    return (this.compactionWorker ??= new CompactionWorker())
  }

  /**
   * Starts the worker once the first memtable is half full, so the thread has booted (tens of
   * ms) by the time the first flush is sent to it instead of the first flush, and the writes
   * behind it, waiting for the boot.
   */
  private prestartWorker(): void {
    if (this.compactionWorker !== undefined || !this.threadedMode) return
    if (this.core.mem.approximateBytes >= this.core.options.memtableSize >>> 1) void this.worker
  }

  // ---- the write path's room-making, synchronous and asynchronous ------------------------

  /** Installs whatever the worker has finished (a no-op costing an atomic load if nothing). */
  private pollWorker(): void {
    this.compactionWorker?.poll()
  }

  /**
   * Runs before each point read, in worker mode: takes a finished compaction (a loop of
   * synchronous reads never yields to the event loop either), or starts the seek candidate's
   * compaction. Here rather than inside the lookup, so no version changes under one. Costs a
   * property check while there is nothing to do.
   */
  beforeRead(): void {
    if (!this.threadedMode) return
    if (this.compactionJob !== undefined) this.pollWorker()
    else if (this.core.seekCandidate !== undefined) this.guard(() => this.maybeCompact())
  }

  /** Makes room for a write on the caller's stack, blocking through stalls. */
  makeRoomSync(): void {
    const core = this.core
    let slowed = false
    for (;;) {
      // A loop of synchronous writes never yields to the event loop: take finished background
      // work here, or compactions would only be installed when writes hit the stop trigger.
      this.pollWorker()
      core.checkWritable()
      const l0 = core.versions.current.files[0]!.length
      if (!slowed && l0 >= core.options.l0SlowdownTrigger && this.threaded) {
        const t = performance.now()
        if (this.compactionJob) this.worker!.waitAny(SLOWDOWN_MS)
        else Atomics.wait(this.sleeper, 0, 0, SLOWDOWN_MS)
        this.countStall(t, true)
        slowed = true
      } else if (core.mem.approximateBytes < core.options.memtableSize) {
        this.prestartWorker()
        return
      } else if (core.imms.length >= MAX_IMMUTABLE_MEMTABLES && this.threadedMode) {
        if (!this.flushJob) this.scheduleFlush()
        this.waitSync(this.flushJob)
      } else if (l0 >= core.options.l0StopTrigger && this.compactionJob) {
        this.waitSync(this.compactionJob)
      } else {
        this.switchAndFlush()
      }
    }
  }

  /** As makeRoomSync, awaiting instead of blocking. */
  async makeRoom(): Promise<void> {
    const core = this.core
    let slowed = false
    for (;;) {
      core.checkWritable()
      const l0 = core.versions.current.files[0]!.length
      if (!slowed && l0 >= core.options.l0SlowdownTrigger && this.threaded) {
        const t = performance.now()
        await new Promise((r) => setTimeout(r, SLOWDOWN_MS))
        this.countStall(t, true)
        slowed = true
      } else if (core.mem.approximateBytes < core.options.memtableSize) {
        this.prestartWorker()
        return
      } else if (core.imms.length >= MAX_IMMUTABLE_MEMTABLES || (l0 >= core.options.l0StopTrigger && this.compactionJob)) {
        const t = performance.now()
        await new Promise<void>((r) => this.wakers.push(r))
        this.countStall(t, false)
      } else {
        this.switchAndFlush()
      }
    }
  }

  /** Freezes the memtable now and flushes it and every frozen one (db.flush()), waiting. */
  flushNow(): void {
    const core = this.core
    core.checkWritable()
    if (core.mem.count > 0) {
      while (core.imms.length >= MAX_IMMUTABLE_MEMTABLES && this.flushJob) this.waitSync(this.flushJob)
      this.switchAndFlush()
    }
    while (core.imms.length > 0 && this.flushJob) this.waitSync(this.flushJob)
    core.checkWritable()
  }

  private countStall(start: number, slowdown: boolean): void {
    this.stats.stallMicros += Math.round((performance.now() - start) * 1000)
    if (slowdown) this.stats.slowdowns++
    else this.stats.stalls++
  }

  private waitSync(job: Job | undefined): void {
    if (!job || !this.threadedMode) return
    const t = performance.now()
    this.worker!.waitSync(job.id)
    this.countStall(t, false)
  }

  // ---- flushes ----------------------------------------------------------------------------

  private switchAndFlush(): void {
    switchMemtable(this.core)
    if (this.threadedMode) this.scheduleFlush()
    else this.flushInline()
  }

  /** Starts the flush of the oldest frozen memtable in the worker, unless one runs. */
  private scheduleFlush(): void {
    const core = this.core
    const worker = this.worker!
    const frozen = core.imms[0]
    if (this.flushJob || !frozen || core.backgroundError) return
    const outputNumber = core.versions.newFileNumber()
    core.pendingOutputs.add(outputNumber)
    this.stats.flushesRunning++
    const req = { kind: 'flush' as const, dir: core.dir, memtable: frozen.mem.share(), outputNumber, table: core.tableEnv.table }
    const id = worker.run(req, (err, res) => {
      this.flushJob = undefined
      this.stats.flushesRunning--
      try {
        if (err) this.backgroundFailed(err)
        else this.guard(() => this.installFlush(res!.flushed, outputNumber))
      } finally {
        core.pendingOutputs.delete(outputNumber)
        this.wake()
      }
      this.guard(() => this.scheduleFlush())
    })
    this.flushJob = { id }
  }

  /** Inline mode flushes at the switch, so at most one memtable is ever frozen. */
  private flushInline(): void {
    const core = this.core
    const frozen = core.imms[0]
    if (!frozen) return
    try {
      installLevel0(core, frozen.mem, core.walNumber)
    } catch (err) {
      this.backgroundFailed(err as StrataError)
      throw err
    }
    core.imms.shift()!.mem.unref() // its memory goes to the next memtables
    deleteObsoleteFiles(core)
    this.maybeCompact()
  }

  private installFlush(meta: FileMetaData | undefined, outputNumber: number): void {
    const core = this.core
    if (core.isClosed) return
    const edit = new VersionEdit()
    if (meta) {
      if (meta.number !== outputNumber) throw new Error(`flush wrote table ${meta.number}, expected ${outputNumber}`)
      // flushMemTable synced the directory in the worker before answering
      edit.addFile(0, meta)
      core.counters.bytesFlushed += meta.size
      core.counters.flushes++
    }
    // The oldest WAL still needed is the next frozen memtable's, or the live one's.
    edit.logNumber = core.imms[1]?.walNumber ?? core.walNumber
    core.versions.logAndApply(edit)
    // The worker answered, so it reads the table no more: its memory goes to the next memtables.
    core.imms.shift()!.mem.unref()
    deleteObsoleteFiles(core)
    this.maybeCompact()
  }

  // ---- compactions --------------------------------------------------------------------------

  /** Starts the most urgent compaction, if any level's score is >= 1 and none runs. */
  maybeCompact(): void {
    const core = this.core
    if (this.compactionJob || core.backgroundError || core.isClosed) return
    for (;;) {
      const seek = core.seekCandidate
      const current = core.versions.current
      const spec = pickCompaction(current, core.options, core.versions.compactPointers, core.icmp, core.ucmp, seek)
      // The candidate is done with once it is compacted or has left its level some other way.
      if (seek !== undefined && (spec?.inputs.includes(seek.file) || !current.files[seek.level]!.includes(seek.file))) {
        core.seekCandidate = undefined
        this.stats.seekCompactions += spec === undefined ? 0 : 1
      }
      if (!spec) return
      if (spec.isTrivialMove) {
        this.installTrivialMove(spec)
        continue
      }
      if (this.threadedMode) {
        this.startInWorker(spec)
        return
      }
      this.compactInline(spec)
    }
  }

  /** Runs `spec` now on this thread (inline mode, and compactRange in inline mode). */
  compactInline(spec: CompactionSpec): void {
    const core = this.core
    const version = core.versions.current
    version.ref()
    const outputs: number[] = []
    try {
      const result = runCompaction(spec, {
        fs: core.fs,
        dir: core.dir,
        icmp: core.icmp,
        table: core.tableEnv.table,
        targetFileSize: core.options.targetFileSize,
        smallestSnapshot: core.snapshots.oldest(core.versions.lastSequence),
        allocateFileNumber: () => {
          const n = core.versions.newFileNumber()
          core.pendingOutputs.add(n)
          outputs.push(n)
          return n
        },
      })
      this.installCompaction(spec, result)
    } catch (err) {
      this.backgroundFailed(err as StrataError)
      throw err
    } finally {
      for (const n of outputs) core.pendingOutputs.delete(n)
      version.unref()
    }
  }

  /** Runs `spec` in the worker and blocks until it is installed (compactRange). */
  compactSync(spec: CompactionSpec): void {
    if (!this.threadedMode) return this.compactInline(spec)
    this.waitSync(this.compactionJob)
    this.startInWorker(spec)
    this.waitSync(this.compactionJob)
  }

  /**
   * Compacts everything overlapping [begin, end] (user keys; undefined = open) down to the
   * deepest level that holds data there, after flushing the memtable. Blocks until done.
   */
  compactRange(begin: Uint8Array | undefined, end: Uint8Array | undefined): void {
    const core = this.core
    this.flushNow()
    this.drainSync()
    let deepest = 0
    for (let level = 1; level < NUM_LEVELS; level++) {
      if (core.versions.current.overlappingInputs(level, core.ucmp, begin, end).length > 0) deepest = level
    }
    for (let level = 0; level < Math.max(deepest, 1); level++) {
      for (;;) {
        core.checkWritable()
        const spec = pickManualCompaction(core.versions.current, level, begin, end, core.options, core.icmp, core.ucmp)
        if (!spec) break
        if (spec.isTrivialMove) this.installTrivialMove(spec)
        else this.compactSync(spec)
      }
    }
    deleteObsoleteFiles(core)
  }

  /** Waits for running background work (compactRange, close). */
  drainSync(): void {
    while (this.flushJob || this.compactionJob) {
      this.waitSync(this.flushJob ?? this.compactionJob)
      if (!this.threadedMode) return
    }
  }

  private startInWorker(spec: CompactionSpec): void {
    const core = this.core
    const worker = this.worker!
    const version: Version = core.versions.current
    version.ref()
    // Outputs are cut at targetFileSize and at each 10 x targetFileSize of grandparent overlap;
    // twice that bound, plus slack, can never run out (unused numbers are simply skipped).
    const target = core.options.targetFileSize
    const inputBytes = [...spec.inputs, ...spec.nextInputs].reduce((n, f) => n + f.size, 0)
    const grandparentBytes = spec.grandparents.reduce((n, f) => n + f.size, 0)
    const count = 2 * (Math.ceil(inputBytes / target) + Math.ceil(grandparentBytes / (10 * target))) + 4
    const outputNumbers: number[] = []
    for (let i = 0; i < count; i++) outputNumbers.push(core.versions.newFileNumber())
    for (const n of outputNumbers) core.pendingOutputs.add(n)
    this.stats.compactionsRunning++
    this.stats.compactionRunningBytes = inputBytes
    const req = {
      kind: 'compact' as const, dir: core.dir, spec, outputNumbers,
      smallestSnapshot: core.snapshots.oldest(core.versions.lastSequence),
      table: core.tableEnv.table, targetFileSize: core.options.targetFileSize,
    }
    const id = worker.run(req, (err, res) => {
      this.compactionJob = undefined
      this.stats.compactionsRunning--
      this.stats.compactionRunningBytes = 0
      try {
        if (err) this.backgroundFailed(err)
        else this.guard(() => this.installCompaction(spec, res!.compacted as CompactionResult))
      } finally {
        for (const n of outputNumbers) core.pendingOutputs.delete(n)
        version.unref()
        this.wake()
      }
      this.guard(() => {
        deleteObsoleteFiles(core)
        this.maybeCompact()
      })
    })
    this.compactionJob = { id }
  }

  private installCompaction(spec: CompactionSpec, result: CompactionResult): void {
    const core = this.core
    if (core.isClosed) return
    // runCompaction synced the directory after its last output (inline or in the worker)
    const edit = new VersionEdit()
    applyCompactionResult(edit, spec, result)
    core.versions.logAndApply(edit)
    this.stats.compactions++
    this.stats.compactionBytesRead += result.stats.bytesRead
    this.stats.compactionBytesWritten += result.stats.bytesWritten
    deleteObsoleteFiles(core)
  }

  private installTrivialMove(spec: CompactionSpec): void {
    const core = this.core
    core.versions.logAndApply(applyCompactionResult(new VersionEdit(), spec, trivialMoveResult(spec)))
    this.stats.trivialMoves++
  }

  /** Runs an install step of a background job; a failure becomes the sticky error. */
  private guard(step: () => void): void {
    try {
      step()
    } catch (err) {
      this.backgroundFailed(err as StrataError)
    }
  }

  private backgroundFailed(err: unknown): void {
    this.core.backgroundError ??= err instanceof StrataError
      ? err
      : new StrataError('IO_ERROR', `background work failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
  }

  private wake(): void {
    const w = this.wakers
    this.wakers = []
    for (const r of w) r()
  }

  /** Stops the worker. REQUIRES: drainSync() first, if results should be installed. */
  close(): void {
    this.compactionWorker?.terminate()
    this.wake()
  }
}
