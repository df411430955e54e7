// DBIterator against a model: for a snapshot, each user key's newest visible write, deletions
// hidden, cut to the bounds, under random seeks and moves in both directions.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { bytewiseComparator, compareBytes, internalKeyComparator, KIND_DELETION, KIND_VALUE, makeInternalKey } from '../../engine/base/index.js'
import { DBIterator, boundsFromRange, mergeIterators } from '../../engine/iterator/index.js'
import type { IteratorBounds } from '../../engine/iterator/index.js'
import { ArrayIterator, hex, utf8 } from './array-iterator.js'
import type { TestEntry } from './array-iterator.js'

const icmp = internalKeyComparator(bytewiseComparator)
const RUNS = Number(process.env.FUZZ_RUNS ?? 300)

/** One write: a value or a deletion of a user key at a sequence number. */
interface Write {
  readonly key: Uint8Array
  readonly seq: number
  readonly kind: number
  readonly value: Uint8Array
}

/** Few distinct keys (13), so keys get many versions; prefixes, 0x00 and 0xff test the ordering. */
const userKey = fc.array(fc.constantFrom(0x00, 0x61, 0xff), { maxLength: 2 }).map((a) => Uint8Array.from(a))

/**
 * Writes with distinct sequence numbers base..base+n-1: base 0 yields sequence 0 (as entries
 * compacted to the bottom may carry), the others exercise the trailer's high half.
 */
const writesArb = fc
  .tuple(
    fc.array(fc.tuple(userKey, fc.boolean()), { maxLength: 40 }),
    fc.constantFrom(0, 0xffffff - 10, 2 ** 45),
  )
  .map(([raw, base]) =>
    raw.map(([key, isValue], i): Write => ({
      key,
      seq: base + i,
      kind: isValue ? KIND_VALUE : KIND_DELETION,
      value: isValue ? utf8(`v${i}`) : new Uint8Array(0),
    })),
  )

const boundsArb: fc.Arbitrary<IteratorBounds> = fc
  .record({
    lower: fc.option(userKey, { freq: 2 }),
    lowerInclusive: fc.boolean(),
    upper: fc.option(userKey, { freq: 2 }),
    upperInclusive: fc.boolean(),
  })
  .map(({ lower, lowerInclusive, upper, upperInclusive }) => ({
    lowerInclusive,
    upperInclusive,
    ...(lower !== null ? { lower } : {}),
    ...(upper !== null ? { upper } : {}),
  }))

type Op =
  | { readonly op: 'seekToFirst' }
  | { readonly op: 'seekToLast' }
  | { readonly op: 'seek'; readonly target: Uint8Array }
  | { readonly op: 'next' }
  | { readonly op: 'prev' }

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.constant<Op>({ op: 'seekToFirst' }),
  fc.constant<Op>({ op: 'seekToLast' }),
  userKey.map<Op>((target) => ({ op: 'seek', target })),
  { arbitrary: fc.constant<Op>({ op: 'next' }), weight: 4 },
  { arbitrary: fc.constant<Op>({ op: 'prev' }), weight: 4 },
)

/** Internal entries of the writes, spread over `children` sorted sources. */
function sources(writes: readonly Write[], childOf: readonly number[], children: number): ArrayIterator[] {
  const lists: TestEntry[][] = Array.from({ length: children }, () => [])
  writes.forEach((w, i) => lists[(childOf[i] ?? 0) % children]!.push({ key: makeInternalKey(w.key, w.seq, w.kind), value: w.value }))
  return lists.map((l) => new ArrayIterator(icmp, l.sort((a, b) => icmp.compare(a.key, b.key))))
}

function inBounds(key: Uint8Array, b: IteratorBounds): boolean {
  if (b.lower !== undefined) {
    const c = compareBytes(key, b.lower)
    if (c < 0 || (c === 0 && !b.lowerInclusive)) return false
  }
  if (b.upper !== undefined) {
    const c = compareBytes(key, b.upper)
    if (c > 0 || (c === 0 && !b.upperInclusive)) return false
  }
  return true
}

/** What a reader at `snapshot` sees inside `bounds`, sorted by user key. */
function visible(writes: readonly Write[], snapshot: number, bounds: IteratorBounds): { key: string; value: string }[] {
  const newest = new Map<string, Write>()
  for (const w of writes) {
    if (w.seq > snapshot) continue
    const old = newest.get(hex(w.key))
    if (old === undefined || old.seq < w.seq) newest.set(hex(w.key), w)
  }
  return [...newest.values()]
    .filter((w) => w.kind === KIND_VALUE && inBounds(w.key, bounds))
    .sort((a, b) => compareBytes(a.key, b.key))
    .map((w) => ({ key: hex(w.key), value: hex(w.value) }))
}

function expectAt(it: DBIterator, model: readonly { key: string; value: string }[], pos: number): void {
  const want = model[pos]
  expect(it.valid()).toBe(want !== undefined)
  if (want !== undefined) expect({ key: hex(it.key()), value: hex(it.value()) }).toEqual(want)
}

function newIterator(writes: readonly Write[], snapshot: number, bounds?: IteratorBounds): DBIterator {
  return new DBIterator(mergeIterators(icmp, sources(writes, [], 1)), snapshot, bytewiseComparator, bounds)
}

describe('DBIterator', () => {
  it('equals the model (newest visible version, deletions hidden, bounded) under any mix of moves', () => {
    fc.assert(
      fc.property(
        writesArb,
        fc.array(fc.nat(3), { maxLength: 40 }),
        fc.integer({ min: 1, max: 4 }),
        fc.nat(44),
        boundsArb,
        fc.array(opArb, { maxLength: 40 }),
        (writes, childOf, children, snapOffset, bounds, ops) => {
          const snapshot = Math.max(0, (writes[0]?.seq ?? 0) - 1 + snapOffset)
          const model = visible(writes, snapshot, bounds)
          const it = new DBIterator(mergeIterators(icmp, sources(writes, childOf, children)), snapshot, bytewiseComparator, bounds)
          let pos = -1
          expect(it.valid()).toBe(false)
          for (const o of ops) {
            const wasValid = it.valid()
            switch (o.op) {
              case 'seekToFirst':
                it.seekToFirst()
                pos = 0
                break
              case 'seekToLast':
                it.seekToLast()
                pos = model.length - 1
                break
              case 'seek': {
                it.seek(o.target)
                const i = model.findIndex((e) => compareBytes(Buffer.from(e.key, 'hex'), o.target) >= 0)
                pos = i < 0 ? model.length : i
                break
              }
              case 'next':
                it.next()
                pos = wasValid ? pos + 1 : model.length // a no-op while not valid
                break
              case 'prev':
                it.prev()
                pos = wasValid ? pos - 1 : -1
                break
            }
            expectAt(it, model, pos)
          }
          it.close()
        },
      ),
      { seed: 201, numRuns: RUNS },
    )
  })

  it('reads the same range the same way forward and in reverse', () => {
    fc.assert(
      fc.property(writesArb, fc.nat(44), boundsArb, (writes, snapOffset, bounds) => {
        const snapshot = Math.max(0, (writes[0]?.seq ?? 0) - 1 + snapOffset)
        const model = visible(writes, snapshot, bounds)
        const it = newIterator(writes, snapshot, bounds)
        const forward: string[] = []
        for (it.seekToFirst(); it.valid(); it.next()) forward.push(hex(it.key()) + '=' + hex(it.value()))
        const backward: string[] = []
        for (it.seekToLast(); it.valid(); it.prev()) backward.push(hex(it.key()) + '=' + hex(it.value()))
        expect(forward).toEqual(model.map((e) => e.key + '=' + e.value))
        expect(backward.reverse()).toEqual(forward)
      }),
      { seed: 202, numRuns: RUNS },
    )
  })

  it('shows the newest version at or below the snapshot and hides newer writes and deletions', () => {
    const k = utf8('k')
    const writes: Write[] = [
      { key: k, seq: 1, kind: KIND_VALUE, value: utf8('one') },
      { key: k, seq: 2, kind: KIND_VALUE, value: utf8('two') },
      { key: k, seq: 3, kind: KIND_DELETION, value: new Uint8Array(0) },
      { key: k, seq: 4, kind: KIND_VALUE, value: utf8('four') },
    ]
    const at = (snapshot: number, reverse: boolean): string | undefined => {
      const it = newIterator(writes, snapshot)
      if (reverse) it.seekToLast()
      else it.seekToFirst()
      return it.valid() ? Buffer.from(it.value()).toString() : undefined
    }
    for (const reverse of [false, true]) {
      expect([0, 1, 2, 3, 4, 9].map((s) => at(s, reverse))).toEqual([undefined, 'one', 'two', undefined, 'four', 'four'])
    }
  })

  it('treats the empty user key as a key like any other', () => {
    const writes: Write[] = [
      { key: new Uint8Array(0), seq: 1, kind: KIND_VALUE, value: utf8('empty') },
      { key: Uint8Array.of(0), seq: 2, kind: KIND_VALUE, value: utf8('zero') },
    ]
    const it = newIterator(writes, 2)
    it.seekToFirst()
    expect(it.key().length).toBe(0)
    expect(Buffer.from(it.value()).toString()).toBe('empty')
    it.next()
    it.prev()
    expect(Buffer.from(it.value()).toString()).toBe('empty')
    it.seek(new Uint8Array(0))
    expect(it.key().length).toBe(0)
    const above = newIterator(writes, 2, { lower: new Uint8Array(0), lowerInclusive: false, upperInclusive: true })
    above.seekToFirst()
    expect(hex(above.key())).toBe('00')
    const none = newIterator(writes, 2, { lowerInclusive: true, upper: new Uint8Array(0), upperInclusive: false })
    none.seekToLast()
    expect(none.valid()).toBe(false)
  })

  it('keeps long keys and large values intact in reverse, past the initial buffers', () => {
    const writes: Write[] = []
    for (let i = 0; i < 8; i++) {
      const key = new Uint8Array(100 + i * 50).fill(0x61 + i)
      writes.push({ key, seq: 2 * i + 1, kind: KIND_VALUE, value: new Uint8Array(1000 * (i + 1)).fill(i) })
      writes.push({ key, seq: 2 * i + 2, kind: KIND_VALUE, value: new Uint8Array(300 * (8 - i)).fill(0x80 + i) })
    }
    const it = newIterator(writes, 100)
    const model = visible(writes, 100, boundsFromRange({}))
    let pos = model.length - 1
    for (it.seekToLast(); it.valid(); it.prev(), pos--) expectAt(it, model, pos)
    expect(pos).toBe(-1)
  })

  it('seeks to the last key at an inclusive upper bound that has many versions', () => {
    const writes: Write[] = []
    for (let s = 1; s <= 20; s++) writes.push({ key: utf8(s % 2 === 0 ? 'b' : 'c'), seq: s, kind: KIND_VALUE, value: utf8(`v${s}`) })
    writes.push({ key: utf8('a'), seq: 21, kind: KIND_VALUE, value: utf8('a') })
    const it = newIterator(writes, 15, boundsFromRange({ lte: utf8('b') }))
    it.seekToLast()
    expect(Buffer.from(it.key()).toString()).toBe('b')
    expect(Buffer.from(it.value()).toString()).toBe('v14')
    it.prev()
    expect(it.valid()).toBe(false) // 'a' was written after the snapshot
    it.seek(utf8('c'))
    expect(it.valid()).toBe(false)
  })

  it('reports a short internal key or an unknown kind as CORRUPTION', () => {
    const short = new DBIterator(new ArrayIterator(icmp, [{ key: Uint8Array.of(1, 2, 3), value: new Uint8Array(0) }]), 5, bytewiseComparator)
    expect(() => short.seekToFirst()).toThrowError(expect.objectContaining({ code: 'CORRUPTION' }))
    expect(short.valid()).toBe(false)
    const odd = new DBIterator(new ArrayIterator(icmp, [{ key: makeInternalKey(utf8('k'), 1, 0x7f), value: new Uint8Array(0) }]), 5, bytewiseComparator)
    expect(() => odd.seekToLast()).toThrowError(expect.objectContaining({ code: 'CORRUPTION' }))
    expect(odd.valid()).toBe(false)
  })

  it('closes its source once and refuses moves after close', () => {
    const src = new ArrayIterator(icmp, [{ key: makeInternalKey(utf8('k'), 1, KIND_VALUE), value: utf8('v') }])
    const it = new DBIterator(src, 1, bytewiseComparator)
    it.seekToFirst()
    it.close()
    it.close()
    expect(src.closeCount).toBe(1)
    expect(it.valid()).toBe(false)
    for (const move of [() => it.seekToFirst(), () => it.seek(utf8('k')), () => it.seekToLast(), () => it.next(), () => it.prev()]) {
      expect(move).toThrowError(expect.objectContaining({ code: 'CLOSED' }))
    }
  })

  it('rejects a snapshot sequence that is not a safe non-negative integer', () => {
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 53]) {
      expect(() => new DBIterator(new ArrayIterator(icmp, []), bad, bytewiseComparator)).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT' }))
    }
  })

  it('does not scan tombstones past the upper bound', () => {
    const entries: TestEntry[] = [{ key: makeInternalKey(utf8('a'), 1, KIND_VALUE), value: utf8('a') }]
    for (let i = 0; i < 1000; i++) entries.push({ key: makeInternalKey(utf8('z' + String(i).padStart(4, '0')), 2, KIND_DELETION), value: new Uint8Array(0) })
    const src = new ArrayIterator(icmp, entries)
    const it = new DBIterator(src, 5, bytewiseComparator, boundsFromRange({ lt: utf8('m') }))
    it.seekToFirst()
    it.next()
    expect(it.valid()).toBe(false)
    expect(src.moves).toBeLessThan(5)
  })
})

describe('boundsFromRange', () => {
  it('lets gte win over gt and lte over lt', () => {
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(utf8) as [Uint8Array, Uint8Array, Uint8Array, Uint8Array]
    expect(boundsFromRange({ gt: a, gte: b, lt: d, lte: c })).toEqual({ lower: b, lowerInclusive: true, upper: c, upperInclusive: true })
    expect(boundsFromRange({ gt: a, lt: d })).toEqual({ lower: a, lowerInclusive: false, upper: d, upperInclusive: false })
    expect(boundsFromRange({})).toEqual({ lowerInclusive: true, upperInclusive: true })
  })
})
