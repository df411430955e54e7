// MergingIterator against a model: the sorted union of its children, ordered by key and then
// by child index, under random seeks and moves in both directions.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { bytewiseComparator, internalKeyComparator, KIND_DELETION, KIND_VALUE, makeInternalKey } from '../../engine/base/index.js'
import type { InternalIterator } from '../../engine/base/index.js'
import { isStrataError, corruption } from '../../engine/errors.js'
import { MergingIterator, mergeIterators } from '../../engine/iterator/index.js'
import { ArrayIterator, FailingIterator, hex, utf8 } from './array-iterator.js'
import type { TestEntry } from './array-iterator.js'

const icmp = internalKeyComparator(bytewiseComparator)
const RUNS = Number(process.env.FUZZ_RUNS ?? 300)

/** An entry of the model: which child holds it decides ties between equal keys. */
interface Placed extends TestEntry {
  readonly child: number
}

const userKey = fc.array(fc.constantFrom(0x00, 0x61, 0x62, 0xff), { maxLength: 3 }).map((a) => Uint8Array.from(a))
const internalKey = fc
  .tuple(userKey, fc.constantFrom(0, 1, 2, 0xffffff, 0x1000000, 2 ** 40), fc.constantFrom(KIND_DELETION, KIND_VALUE))
  .map(([u, seq, kind]) => makeInternalKey(u, seq, kind))

type Op =
  | { readonly op: 'seekToFirst' }
  | { readonly op: 'seekToLast' }
  | { readonly op: 'seek'; readonly target: Uint8Array }
  | { readonly op: 'next' }
  | { readonly op: 'prev' }

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.constant<Op>({ op: 'seekToFirst' }),
  fc.constant<Op>({ op: 'seekToLast' }),
  internalKey.map<Op>((target) => ({ op: 'seek', target })),
  { arbitrary: fc.constant<Op>({ op: 'next' }), weight: 4 },
  { arbitrary: fc.constant<Op>({ op: 'prev' }), weight: 4 },
)

/** Children of distinct sorted keys each; the same key may sit in several children. */
const childrenArb = fc.array(fc.uniqueArray(internalKey, { selector: hex, maxLength: 12 }), { maxLength: 5 }).map((lists) =>
  lists.map((keys, child) =>
    keys
      .sort((a, b) => icmp.compare(a, b))
      .map((key, i): Placed => ({ key, value: utf8(`c${child}#${i}`), child })),
  ),
)

function buildMerged(children: readonly (readonly Placed[])[]): { iter: InternalIterator; sources: ArrayIterator[] } {
  const sources = children.map((entries) => new ArrayIterator(icmp, entries))
  return { iter: new MergingIterator(icmp, sources), sources }
}

/** The sorted union: by key, then by child index (lower index first). */
function model(children: readonly (readonly Placed[])[]): Placed[] {
  return children.flat().sort((a, b) => icmp.compare(a.key, b.key) || a.child - b.child)
}

function apply(o: Op, iter: InternalIterator, all: readonly Placed[], pos: number): number {
  switch (o.op) {
    case 'seekToFirst':
      iter.seekToFirst()
      return 0
    case 'seekToLast':
      iter.seekToLast()
      return all.length - 1
    case 'seek': {
      iter.seek(o.target)
      const i = all.findIndex((e) => icmp.compare(e.key, o.target) >= 0)
      return i < 0 ? all.length : i
    }
    case 'next':
      iter.next()
      return pos + 1
    case 'prev':
      iter.prev()
      return pos - 1
  }
}

function expectAt(iter: InternalIterator, all: readonly Placed[], pos: number): void {
  const want = all[pos]
  expect(iter.valid()).toBe(want !== undefined)
  if (want !== undefined) {
    expect(hex(iter.key())).toBe(hex(want.key))
    expect(hex(iter.value())).toBe(hex(want.value))
  }
}

describe('MergingIterator', () => {
  it('equals the sorted union of its children under any mix of seeks, next and prev', () => {
    fc.assert(
      fc.property(childrenArb, fc.array(op, { maxLength: 40 }), (children, ops) => {
        const all = model(children)
        const { iter } = buildMerged(children)
        let pos = -1
        expect(iter.valid()).toBe(false)
        for (const o of ops) {
          const moving = o.op === 'next' || o.op === 'prev'
          if (moving && !iter.valid()) continue // next/prev REQUIRE valid()
          pos = apply(o, iter, all, pos)
          expectAt(iter, all, pos)
        }
      }),
      { seed: 101, numRuns: RUNS },
    )
  })

  it('walks the whole union forward then back, switching direction at every step', () => {
    fc.assert(
      fc.property(childrenArb, (children) => {
        const all = model(children)
        const { iter } = buildMerged(children)
        iter.seekToFirst()
        for (let pos = 0; pos < all.length; pos++) {
          expectAt(iter, all, pos)
          if (pos > 0) {
            iter.prev()
            expectAt(iter, all, pos - 1)
            iter.next()
            expectAt(iter, all, pos)
          }
          iter.next()
        }
        expect(iter.valid()).toBe(false)
      }),
      { seed: 102, numRuns: RUNS },
    )
  })

  it('orders an equal key in several children by child index, in both directions', () => {
    const k = makeInternalKey(utf8('k'), 7, KIND_VALUE)
    const a = makeInternalKey(utf8('a'), 1, KIND_VALUE)
    const z = makeInternalKey(utf8('z'), 1, KIND_VALUE)
    const children: Placed[][] = [
      [{ key: k, value: utf8('new'), child: 0 }],
      [{ key: a, value: utf8('a'), child: 1 }, { key: k, value: utf8('mid'), child: 1 }],
      [{ key: k, value: utf8('old'), child: 2 }, { key: z, value: utf8('z'), child: 2 }],
    ]
    const { iter } = buildMerged(children)
    const seen: string[] = []
    for (iter.seekToFirst(); iter.valid(); iter.next()) seen.push(Buffer.from(iter.value()).toString())
    expect(seen).toEqual(['a', 'new', 'mid', 'old', 'z'])
    const back: string[] = []
    for (iter.seekToLast(); iter.valid(); iter.prev()) back.push(Buffer.from(iter.value()).toString())
    expect(back).toEqual(['z', 'old', 'mid', 'new', 'a'])
    iter.seek(k)
    iter.next() // at 'mid'
    iter.prev()
    expect(Buffer.from(iter.value()).toString()).toBe('new')
    iter.next()
    iter.next()
    expect(Buffer.from(iter.value()).toString()).toBe('old')
  })

  it('returns the only child itself, and is never valid with no children', () => {
    const only = new ArrayIterator(icmp, [])
    expect(mergeIterators(icmp, [only])).toBe(only)
    const none = mergeIterators(icmp, [])
    for (const move of [() => none.seekToFirst(), () => none.seekToLast(), () => none.seek(makeInternalKey(utf8(''), 0, 1))]) {
      move()
      expect(none.valid()).toBe(false)
    }
  })

  it('closes every child exactly once, even when closed twice, and refuses seeks afterwards', () => {
    const sources = [new ArrayIterator(icmp, []), new ArrayIterator(icmp, []), new ArrayIterator(icmp, [])]
    const iter = mergeIterators(icmp, sources)
    iter.close()
    iter.close()
    expect(sources.map((s) => s.closeCount)).toEqual([1, 1, 1])
    expect(() => iter.seekToFirst()).toThrowError(expect.objectContaining({ code: 'CLOSED' }))
  })

  it('passes on damage a child reports, and is then not valid', () => {
    const keys = ['a', 'b', 'c'].map((s) => ({ key: makeInternalKey(utf8(s), 1, KIND_VALUE), value: utf8(s) }))
    const damage = corruption('000005.ldb', 4096, 'block checksum mismatch')
    const failing = new FailingIterator(icmp, keys, 2, damage)
    const iter = mergeIterators(icmp, [new ArrayIterator(icmp, keys.map((e) => ({ ...e, key: makeInternalKey(e.value, 2, KIND_VALUE) }))), failing])
    iter.seekToFirst()
    let thrown: unknown
    try {
      for (let i = 0; i < 10 && iter.valid(); i++) iter.next()
    } catch (err) {
      thrown = err
    }
    expect(isStrataError(thrown, 'CORRUPTION')).toBe(true)
    expect(iter.valid()).toBe(false)
  })

  it('makes O(log N) compares per step, not a pass over all children', () => {
    const n = 64
    const sources = Array.from({ length: n }, (_, c) => {
      const entries = Array.from({ length: 50 }, (_, i) => ({ key: makeInternalKey(utf8(String(i * n + c).padStart(6, '0')), 1, KIND_VALUE), value: utf8('v') }))
      return new ArrayIterator(icmp, entries)
    })
    let compares = 0
    const counting = { ...icmp, compare: (a: Uint8Array, b: Uint8Array) => (compares++, icmp.compare(a, b)) }
    const iter = new MergingIterator(counting, sources)
    iter.seekToFirst()
    compares = 0
    let steps = 0
    for (; iter.valid(); iter.next()) steps++
    expect(steps).toBe(n * 50)
    expect(compares / steps).toBeLessThan(2 * Math.log2(n) + 1)
  })
})
