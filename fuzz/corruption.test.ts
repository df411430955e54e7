// Corruption: a real database (tables on several levels, a MANIFEST, CURRENT and a WAL holding
// the latest writes) is built on a FaultFileSystem, then copies of it are damaged, one damage
// each: a flipped byte, a zeroed range, or a truncation, in a WAL, an SSTable, the MANIFEST or
// CURRENT. Opening and reading a damaged copy must give the right data or CORRUPTION (for the
// WAL also the documented drop of a torn tail: a prefix of the writes holding every flushed
// one), never a wrong value, never another error, never a hang (the test timeout).
import fc from 'fast-check'
import { afterAll, describe, it } from 'vitest'
import { StrataError } from '../engine/errors.js'
import { FaultFileSystem } from '../engine/fs/fault-fs.js'
import { DB, WriteBatch } from '../engine/index.js'
import type { Options } from '../engine/index.js'
import { readState, Violation } from './support/checks.js'
import { fileKind } from './support/classify.js'
import type { Kind } from './support/classify.js'
import { params, runs, TIMEOUT } from './support/env.js'
import { History, serialize } from './support/history.js'
import type { State } from './support/history.js'
import { KEYS, SMALL_CONFIGS, valueBytes, workArbs } from './support/program.js'
import type { Op } from './support/program.js'
import { Summary } from './support/summary.js'

const summary = new Summary('corruption')
afterAll(() => summary.print())

const DIR = '/db'
const KINDS = ['log', 'sst', 'MANIFEST', 'CURRENT'] as const

interface Damage {
  readonly kind: (typeof KINDS)[number]
  readonly file: number
  readonly how: 'flip' | 'zero' | 'truncate'
  /** Where, as a fraction of the file's size. */
  readonly at: number
  readonly len: number
  readonly mask: number
}

const damageArb: fc.Arbitrary<Damage> = fc.record({
  kind: fc.constantFrom(...KINDS),
  file: fc.nat(7),
  how: fc.constantFrom('flip', 'flip', 'zero', 'truncate'),
  at: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
  len: fc.integer({ min: 1, max: 64 }),
  mask: fc.integer({ min: 1, max: 255 }),
})

/** The programs that build the database (reads, snapshots and reopens in them do nothing here). */
const buildProgram = fc.array(fc.oneof(...workArbs), { minLength: 5, maxLength: 60, size: 'max' })

interface Image {
  readonly fs: FaultFileSystem
  readonly history: History
  /** Writes [0, flushed) are in tables; the rest only in the WAL. */
  readonly flushed: number
  readonly state: State
  readonly options: Options
}

/** Runs the writes, flushes and compactions of `program`, then a last few WAL-only writes. */
function build(options: Options, program: readonly Op[]): Image {
  const fs = new FaultFileSystem()
  const opts: Options = { ...options, compaction: 'inline', fs }
  const db = DB.open(DIR, opts)
  const history = new History()
  let flushed = 0
  const write = (ops: Array<readonly [string, Buffer | undefined]>): void => history.record({ ops, acked: true, seqAfter: undefined })
  const tail: Op[] = [
    { t: 'put', k: 'k00', v: { len: 30, tag: 1 }, sync: false },
    { t: 'batch', ops: [['k01', { len: 300, tag: 2 }], ['a', null]], sync: true },
    { t: 'put', k: 'z', v: { len: 5, tag: 3 }, sync: false },
  ]
  for (const op of [...program, ...tail]) {
    switch (op.t) {
      case 'put':
        db.put(op.k, valueBytes(op.v), { sync: op.sync })
        write([[op.k, valueBytes(op.v)]])
        break
      case 'del':
        db.delete(op.k, { sync: op.sync })
        write([[op.k, undefined]])
        break
      case 'batch':
      case 'group': {
        const batches = op.t === 'batch' ? [op.ops] : op.batches.map((b) => b.ops)
        for (const ops of batches) {
          const b = new WriteBatch()
          for (const [k, v] of ops) v === null ? b.delete(k) : b.put(k, valueBytes(v))
          db.write(b)
          write(ops.map(([k, v]) => [k, v === null ? undefined : valueBytes(v)] as const))
        }
        break
      }
      case 'flush':
        db.flush()
        flushed = history.writes.length
        break
      case 'compact':
        db.compactRange()
        flushed = history.writes.length
        break
      default:
        break // reads, snapshots, reopen: nothing to build
    }
  }
  db.close()
  const image = fs.clone() // the WAL still holds the writes after the last flush
  const check = DB.open(DIR, opts) // a sanity check of the undamaged image (this open empties the WAL)
  const state = readState(check, KEYS)
  check.close()
  if (serialize(state) !== history.describe(history.writes.length)) throw new Violation('the undamaged image does not hold the writes')
  return { fs: image, history, flushed, state, options: opts }
}

/** Applies `d` to a copy of the image; undefined when the damage would change no byte. */
function damaged(image: Image, d: Damage): { fs: FaultFileSystem; file: string } | undefined {
  const fs = image.fs.clone()
  const files = fs.list(DIR).filter((n) => fileKind(n) === (d.kind as Kind)).sort()
  if (files.length === 0) return undefined
  const file = `${DIR}/${files[d.file % files.length]!}`
  const bytes = Buffer.from(fs.readFile(file))
  if (bytes.length === 0) return undefined
  const at = Math.floor(d.at * bytes.length)
  let out: Buffer
  if (d.how === 'truncate') out = bytes.subarray(0, at)
  else {
    out = Buffer.from(bytes)
    if (d.how === 'flip') out[at]! ^= d.mask
    else out.fill(0, at, Math.min(bytes.length, at + d.len))
    if (out.equals(bytes)) return undefined
  }
  fs.rewrite(file, out)
  return { fs, file }
}

/** Opens and reads a damaged copy; returns the outcome's name or throws a Violation. */
function check(image: Image, d: Damage, fs: FaultFileSystem, file: string): string {
  const where = `${d.how} of ${fileKind(file)} ${file} at ${d.at.toFixed(3)}`
  let db: DB
  try {
    db = DB.open(DIR, { ...image.options, fs })
  } catch (err) {
    return expectCorruption(err, `open after ${where}`, 'CORRUPTION at open')
  }
  try {
    let state: State
    try {
      state = readState(db, KEYS)
    } catch (err) {
      if (err instanceof Violation) throw err
      expectCorruption(err, `scan after ${where}`, '')
      // the scan hit the damage: every point read is still right or CORRUPTION
      for (const key of KEYS) {
        try {
          const got = db.get(key)
          const want = image.state.get(key)
          if ((got === undefined) !== (want === undefined) || (got && want && !got.equals(want))) {
            if (fileKind(file) !== 'log') throw new Violation(`after ${where}, get(${JSON.stringify(key)}) returned a wrong value`)
          }
        } catch (e) {
          if (e instanceof Violation) throw e
          expectCorruption(e, `get after ${where}`, '')
        }
      }
      return 'CORRUPTION on read'
    }
    if (serialize(state) === serialize(image.state)) return 'correct data'
    if (fileKind(file) === 'log' && image.history.match(state, image.flushed) !== undefined) return 'WAL tail dropped (a prefix)'
    throw new Violation(`after ${where} the database holds a wrong state:\n  got  ${serialize(state)}\n  want ${serialize(image.state)}`)
  } finally {
    db.close()
  }
}

function expectCorruption(err: unknown, what: string, outcome: string): string {
  if (!(err instanceof StrataError)) throw new Violation(`${what} threw a non-StrataError: ${String(err)}`)
  if (err.code !== 'CORRUPTION') throw new Violation(`${what} threw ${err.code}, not CORRUPTION: ${err.message}`)
  return outcome
}

describe('damaged database files', () => {
  it('read back as the right data or CORRUPTION, never a wrong value', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(SMALL_CONFIGS.length - 1), buildProgram, fc.array(damageArb, { minLength: 20, maxLength: 20 }),
        async (config, program, damages) => {
          const image = build(SMALL_CONFIGS[config]!.options, program)
          summary.add('databases built', SMALL_CONFIGS[config]!.name)
          for (const d of damages) {
            const copy = damaged(image, d)
            if (!copy) continue
            try {
              const outcome = check(image, d, copy.fs, copy.file)
              summary.add('corruptions injected', `${fileKind(copy.file)} ${d.how}`)
              summary.add('outcomes', `${fileKind(copy.file)}: ${outcome}`)
            } catch (err) {
              summary.add('failures', `${fileKind(copy.file)} ${d.how}`)
              throw err
            }
          }
        },
      ),
      params(0xbad, runs(40, 700)),
    )
  }, TIMEOUT)
})
