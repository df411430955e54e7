// A sorted-map model of the database, and the fast-check commands that drive the real engine
// and the model side by side (test/db/model.test.ts, fuzz/ campaigns).
import fc from 'fast-check'
import { expect } from 'vitest'
import { DB, WriteBatch } from '../../engine/index.js'
import type { Options } from '../../engine/index.js'
import type { Snapshot } from '../../engine/db/snapshots.js'

export type Entries = Map<string, Buffer> // hex key -> value

export interface Model {
  data: Entries
  snapshots: Array<{ data: Entries; live: boolean }>
}

export interface Real {
  db: DB
  dir: string
  options: Options
  snapshots: Snapshot[]
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

/** Entries of `data` in key order within the bounds, as [key, value] pairs. */
export function sortedEntries(data: Entries, range: Range = {}): Array<[Buffer, Buffer]> {
  const out: Array<[Buffer, Buffer]> = []
  for (const [k, v] of data) {
    const key = Buffer.from(k, 'hex')
    if (range.gte !== undefined ? Buffer.compare(key, range.gte) < 0 : range.gt !== undefined && Buffer.compare(key, range.gt) <= 0) continue
    if (range.lte !== undefined ? Buffer.compare(key, range.lte) > 0 : range.lt !== undefined && Buffer.compare(key, range.lt) >= 0) continue
    out.push([key, v])
  }
  return out.sort((a, b) => Buffer.compare(a[0], b[0]))
}

export interface Range {
  gt?: Buffer
  gte?: Buffer
  lt?: Buffer
  lte?: Buffer
}

// Small key space so that overwrites, deletes and shared prefixes are common.
export const keyArb = fc.oneof(
  fc.constantFrom('', 'a', 'ab', 'abc', 'b', 'ba', 'c', 'k0', 'k1', 'k10', 'k2', 'zz').map((s) => Buffer.from(s)),
  fc.uint8Array({ minLength: 0, maxLength: 3, max: 3 }).map((u) => Buffer.from(u)),
)
export const valueArb = fc.oneof(
  { weight: 5, arbitrary: fc.uint8Array({ maxLength: 24 }).map((u) => Buffer.from(u)) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 3000 }).map((n) => Buffer.alloc(n, n % 251)) },
)

class PutCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly key: Buffer, readonly value: Buffer, readonly sync: boolean) {}
  check = (): boolean => true
  async run(m: Model, r: Real): Promise<void> {
    r.db.put(this.key, this.value, { sync: this.sync })
    m.data.set(hex(this.key), this.value)
  }
  toString = (): string => `put(${hex(this.key)}, ${this.value.length}B${this.sync ? ', sync' : ''})`
}

class DeleteCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly key: Buffer) {}
  check = (): boolean => true
  async run(m: Model, r: Real): Promise<void> {
    r.db.delete(this.key)
    m.data.delete(hex(this.key))
  }
  toString = (): string => `delete(${hex(this.key)})`
}

type BatchOp = { put: true; key: Buffer; value: Buffer } | { put: false; key: Buffer }

class BatchCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ops: BatchOp[], readonly useAsync: boolean) {}
  check = (): boolean => true
  async run(m: Model, r: Real): Promise<void> {
    const b = new WriteBatch()
    for (const op of this.ops) {
      if (op.put) b.put(op.key, op.value)
      else b.delete(op.key)
    }
    if (this.useAsync) await r.db.writeAsync(b)
    else r.db.write(b)
    for (const op of this.ops) {
      if (op.put) m.data.set(hex(op.key), op.value)
      else m.data.delete(hex(op.key))
    }
  }
  toString = (): string =>
    `batch${this.useAsync ? 'Async' : ''}[${this.ops.map((o) => (o.put ? `put ${hex(o.key)}` : `del ${hex(o.key)}`)).join(', ')}]`
}

class GetCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly key: Buffer) {}
  check = (): boolean => true
  async run(m: Model, r: Real): Promise<void> {
    const want = m.data.get(hex(this.key))
    const got = r.db.get(this.key)
    expect(got === undefined ? undefined : hex(got)).toBe(want === undefined ? undefined : hex(want))
    expect(r.db.has(this.key)).toBe(want !== undefined)
  }
  toString = (): string => `get(${hex(this.key)})`
}

type Move = { op: 'next' } | { op: 'prev' } | { op: 'seek'; key: Buffer } | { op: 'first' } | { op: 'last' }

class IterateCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly range: Range, readonly reverse: boolean, readonly limit: number, readonly moves: Move[], readonly snapshotIndex: number) {}
  check = (): boolean => true
  async run(m: Model, r: Real): Promise<void> {
    const snap = pickSnapshot(m, r, this.snapshotIndex)
    const data = snap?.data ?? m.data
    const expected = sortedEntries(data, this.range)
    const opts = { ...this.range, reverse: this.reverse, limit: this.limit, ...(snap ? { snapshot: snap.real } : {}) }
    // for..of honours reverse and limit
    const it = r.db.iterator(opts)
    const walked = [...it].map(([k, v]) => hex(k) + '=' + hex(v))
    let want = this.reverse ? [...expected].reverse() : expected
    if (this.limit >= 0) want = want.slice(0, this.limit)
    expect(walked).toEqual(want.map(([k, v]) => hex(k) + '=' + hex(v)))
    // cursor moves are absolute and ignore limit
    let pos = -1 // index into expected, -1 or expected.length = invalid
    let positioned = false
    for (const move of this.moves) {
      if ((move.op === 'next' || move.op === 'prev') && !(positioned && pos >= 0 && pos < expected.length)) continue
      switch (move.op) {
        case 'first': it.seekToFirst(); pos = 0; break
        case 'last': it.seekToLast(); pos = expected.length - 1; break
        case 'next': it.next(); pos++; break
        case 'prev': it.prev(); pos--; break
        case 'seek': {
          it.seek(move.key)
          pos = expected.findIndex(([k]) => Buffer.compare(k, move.key) >= 0)
          if (pos < 0) pos = expected.length
          break
        }
      }
      positioned = true
      const inRange = pos >= 0 && pos < expected.length
      expect(it.valid()).toBe(inRange)
      if (inRange) {
        expect(hex(it.key())).toBe(hex(expected[pos]![0]))
        expect(hex(it.value())).toBe(hex(expected[pos]![1]))
      }
    }
    it.close()
  }
  toString = (): string =>
    `iterate(${JSON.stringify(Object.fromEntries(Object.entries(this.range).map(([k, v]) => [k, hex(v as Buffer)])))}, ` +
    `reverse=${this.reverse}, limit=${this.limit}, snap=${this.snapshotIndex}, moves=[${this.moves.map((mv) => (mv.op === 'seek' ? `seek ${hex(mv.key)}` : mv.op)).join(' ')}])`
}

function pickSnapshot(m: Model, r: Real, index: number): { data: Entries; real: Snapshot } | undefined {
  if (index < 0) return undefined
  const liveIdx = m.snapshots.map((s, i) => (s.live ? i : -1)).filter((i) => i >= 0)
  if (liveIdx.length === 0) return undefined
  const i = liveIdx[index % liveIdx.length]!
  return { data: m.snapshots[i]!.data, real: r.snapshots[i]! }
}

class SnapshotTakeCommand implements fc.AsyncCommand<Model, Real> {
  check = (): boolean => true
  async run(m: Model, r: Real): Promise<void> {
    m.snapshots.push({ data: new Map(m.data), live: true })
    r.snapshots.push(r.db.snapshot())
  }
  toString = (): string => 'snapshot()'
}

class SnapshotReadCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly index: number, readonly key: Buffer) {}
  check = (m: Readonly<Model>): boolean => m.snapshots.some((s) => s.live)
  async run(m: Model, r: Real): Promise<void> {
    const snap = pickSnapshot(m, r, this.index)!
    const want = snap.data.get(hex(this.key))
    const got = r.db.get(this.key, { snapshot: snap.real })
    expect(got === undefined ? undefined : hex(got)).toBe(want === undefined ? undefined : hex(want))
  }
  toString = (): string => `snapshotGet(${this.index}, ${hex(this.key)})`
}

class SnapshotReleaseCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly index: number) {}
  check = (m: Readonly<Model>): boolean => m.snapshots.some((s) => s.live)
  async run(m: Model, r: Real): Promise<void> {
    const liveIdx = m.snapshots.map((s, i) => (s.live ? i : -1)).filter((i) => i >= 0)
    const i = liveIdx[this.index % liveIdx.length]!
    m.snapshots[i]!.live = false
    const snap = r.snapshots[i]!
    snap.release()
    expect(() => r.db.get(Buffer.from('a'), { snapshot: snap })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }))
  }
  toString = (): string => `release(${this.index})`
}

class FlushCommand implements fc.AsyncCommand<Model, Real> {
  check = (): boolean => true
  async run(_m: Model, r: Real): Promise<void> {
    r.db.flush()
  }
  toString = (): string => 'flush()'
}

class CompactRangeCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly start: Buffer | undefined, readonly end: Buffer | undefined) {}
  check = (): boolean => true
  async run(_m: Model, r: Real): Promise<void> {
    r.db.compactRange(this.start, this.end)
  }
  toString = (): string => `compactRange(${this.start ? hex(this.start) : '-'}, ${this.end ? hex(this.end) : '-'})`
}

class ReopenCommand implements fc.AsyncCommand<Model, Real> {
  check = (): boolean => true
  async run(m: Model, r: Real): Promise<void> {
    r.db.close()
    r.db = DB.open(r.dir, r.options)
    for (const s of m.snapshots) s.live = false // snapshots end with the database
  }
  toString = (): string => 'reopen()'
}

const rangeArb: fc.Arbitrary<Range> = fc.record(
  { gt: keyArb, gte: keyArb, lt: keyArb, lte: keyArb },
  { requiredKeys: [] },
) as fc.Arbitrary<Range>

const moveArb: fc.Arbitrary<Move> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<Move>({ op: 'next' }) },
  { weight: 3, arbitrary: fc.constant<Move>({ op: 'prev' }) },
  { weight: 2, arbitrary: keyArb.map<Move>((key) => ({ op: 'seek', key })) },
  { weight: 1, arbitrary: fc.constant<Move>({ op: 'first' }) },
  { weight: 1, arbitrary: fc.constant<Move>({ op: 'last' }) },
)

const batchOpArb: fc.Arbitrary<BatchOp> = fc.oneof(
  fc.record({ put: fc.constant(true as const), key: keyArb, value: valueArb }),
  fc.record({ put: fc.constant(false as const), key: keyArb }),
)

export const commandArbs = [
  ...Array.from({ length: 4 }, () => fc.tuple(keyArb, valueArb, fc.boolean()).map(([k, v, s]) => new PutCommand(k, v, s))),
  keyArb.map((k) => new DeleteCommand(k)),
  fc.tuple(fc.array(batchOpArb, { maxLength: 8 }), fc.boolean()).map(([ops, a]) => new BatchCommand(ops, a)),
  keyArb.map((k) => new GetCommand(k)),
  fc.tuple(rangeArb, fc.boolean(), fc.integer({ min: -1, max: 6 }), fc.array(moveArb, { maxLength: 12 }), fc.integer({ min: -1, max: 3 }))
    .map(([range, rev, limit, moves, snap]) => new IterateCommand(range, rev, limit, moves, snap)),
  fc.constant(new SnapshotTakeCommand()),
  fc.tuple(fc.nat(5), keyArb).map(([i, k]) => new SnapshotReadCommand(i, k)),
  fc.nat(5).map((i) => new SnapshotReleaseCommand(i)),
  fc.constant(new FlushCommand()),
  fc.tuple(fc.option(keyArb, { nil: undefined }), fc.option(keyArb, { nil: undefined })).map(([a, b]) => new CompactRangeCommand(a, b)),
  fc.constant(new ReopenCommand()),
]

/** Checks every key of the model against the database (after a run). */
export function checkAll(m: Model, r: Real): void {
  const want = sortedEntries(m.data).map(([k, v]) => hex(k) + '=' + hex(v))
  const got = [...r.db.iterator()].map(([k, v]) => hex(k) + '=' + hex(v))
  expect(got).toEqual(want)
  for (const [k, v] of m.data) expect(hex(r.db.get(Buffer.from(k, 'hex'))!)).toBe(hex(v))
}
