// ClockCache: what a get returns, what usage counts and when onEvict runs, checked against a
// model that learns evictions only from onEvict (so the CLOCK order itself is free, but a
// value may never vanish, reappear, or leave twice); then the second chance, and slots that
// outlive their reader exactly as long as they hold blocks.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ClockCache, type TableSlots } from '../../engine/cache/index.js'
import { isStrataError } from '../../engine/errors.js'

const RUNS = Number(process.env.FUZZ_RUNS ?? 300)

/** A cached value with an identity, so onEvict calls can be traced. */
interface Val {
  readonly id: number
}

type Op =
  | { readonly op: 'open'; readonly file: number }
  | { readonly op: 'close'; readonly file: number }
  | { readonly op: 'get'; readonly file: number; readonly block: number }
  | { readonly op: 'insert'; readonly file: number; readonly block: number; readonly charge: number; readonly sameValue: boolean }

const BLOCKS = 4 // blocks per table; inserts may also name block 4, outside the table
const file = fc.constantFrom(1, 2, 3, 2 ** 53 - 1)
const block = fc.integer({ min: 0, max: BLOCKS })
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('open' as const), file }),
  fc.record({ op: fc.constant('close' as const), file }),
  { arbitrary: fc.record({ op: fc.constant('get' as const), file, block }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('insert' as const), file, block, charge: fc.nat(60), sameValue: fc.boolean() }), weight: 4 },
)

describe('ClockCache', () => {
  it('returns only what is cached, charges it, and hands each kept value to onEvict once as it leaves', () => {
    fc.assert(
      fc.property(fc.nat(150), fc.array(opArb, { minLength: 10, maxLength: 150 }), (capacity, ops) => {
        const evicted: Val[] = []
        const cache = new ClockCache<Val>(capacity, { onEvict: (v) => evicted.push(v) })
        const open = new Map<number, TableSlots<Val>[]>() // readers holding each table's slots
        const present = new Map<string, { value: Val; charge: number }>() // the model
        const kept = new Set<Val>()
        let nextId = 0
        let hits = 0
        let misses = 0
        const openSlots = (f: number): TableSlots<Val> => {
          const s = cache.table(f, BLOCKS)
          const held = open.get(f) ?? []
          if (held.length > 0) expect(s).toBe(held[0]) // one set of slots per table
          held.push(s)
          open.set(f, held)
          return s
        }
        // A get or insert on a table no reader holds opens a reader first.
        const slotsOf = (f: number): TableSlots<Val> => open.get(f)?.[0] ?? openSlots(f)
        const learnEvictions = (): void => {
          for (const v of evicted.splice(0)) {
            expect(kept.delete(v)).toBe(true) // kept, and leaving for the first time
            const at = [...present].find(([, e]) => e.value === v)
            expect(at).toBeDefined()
            present.delete(at![0])
          }
        }
        for (const o of ops) {
          if (o.op === 'open') {
            openSlots(o.file)
          } else if (o.op === 'close') {
            open.get(o.file)?.pop()?.release()
          } else if (o.op === 'get') {
            const s = slotsOf(o.file)
            const want = present.get(`${o.file}:${o.block}`)
            const got = s.get(o.block)
            expect(got).toBe(want?.value)
            if (got === undefined) misses++
            else hits++
          } else {
            const s = slotsOf(o.file)
            const key = `${o.file}:${o.block}`
            const old = present.get(key)
            const value = o.sameValue && old !== undefined ? old.value : { id: nextId++ }
            const fits = o.charge <= capacity && capacity > 0 && o.block < BLOCKS
            // Replacing a value by itself does not hand it to onEvict: it stays the cache's.
            if (old !== undefined && old.value === value && !fits) kept.delete(value)
            const took = s.insert(o.block, value, o.charge)
            expect(took).toBe(fits)
            if (old !== undefined && old.value === value) present.delete(key)
            learnEvictions()
            if (took) {
              present.set(key, { value, charge: o.charge })
              kept.add(value)
            }
          }
          const usage = [...present.values()].reduce((n, e) => n + e.charge, 0)
          expect(cache.usage).toBe(usage)
          expect(cache.usage).toBeLessThanOrEqual(capacity)
          expect(cache.size).toBe(present.size)
          expect(cache.hits).toBe(hits)
          expect(cache.misses).toBe(misses)
          // Slots are kept for tables a reader holds or that hold blocks, and for no others.
          const live = new Set([...open].filter(([, h]) => h.length > 0).map(([f]) => f))
          for (const k of present.keys()) live.add(Number(k.split(':')[0]))
          expect(cache.tableCount).toBe(live.size)
        }
        expect([...kept].sort((a, b) => a.id - b.id)).toEqual([...present.values()].map((e) => e.value).sort((a, b) => a.id - b.id))
      }),
      { numRuns: RUNS, seed: 20261203 },
    )
  })

  it('gives a block hit since the hand last passed a second chance', () => {
    const evicted: string[] = []
    const cache = new ClockCache<string>(30, { onEvict: (v) => evicted.push(v) })
    const t = cache.table(1, 8)
    for (const [i, v] of ['a', 'b', 'c'].entries()) expect(t.insert(i, v, 10)).toBe(true)
    expect(t.get(0)).toBe('a')
    t.insert(3, 'd', 10)
    expect(evicted).toEqual(['b'])
    expect(t.get(0)).toBe('a')
    t.insert(4, 'e', 10)
    t.insert(5, 'f', 10)
    expect(evicted).toEqual(['b', 'c', 'd']) // a was hit again; d, never hit, went first
    expect([t.get(0), t.get(1), t.get(2), t.get(3)]).toEqual(['a', undefined, undefined, undefined])
  })

  it('keeps a closed table\'s blocks for the next reader, and forgets the table once they are gone', () => {
    const cache = new ClockCache<string>(20)
    const first = cache.table(9, 2)
    first.insert(0, 'x', 10)
    first.release()
    expect(cache.tableCount).toBe(1)
    const again = cache.table(9, 2)
    expect(again.get(0)).toBe('x')
    again.release()
    const other = cache.table(10, 4)
    other.insert(0, 'y', 10)
    other.insert(1, 'z', 10) // x, just hit, has its second chance: y goes
    expect(cache.tableCount).toBe(2)
    other.insert(2, 'w', 10) // now x goes, and table 9 with it
    expect(cache.tableCount).toBe(1)
    expect(cache.table(9, 2).get(0)).toBeUndefined()
  })

  it('keeps nothing at capacity 0 or larger than the capacity, and rejects bad numbers', () => {
    const none = new ClockCache<string>(0).table(1, 1)
    expect(none.insert(0, 'v', 0)).toBe(false)
    expect(none.get(0)).toBeUndefined()
    const small = new ClockCache<string>(10).table(1, 1)
    expect(small.insert(0, 'v', 11)).toBe(false)
    expect(small.insert(0, 'v', 10)).toBe(true)
    for (const bad of [-1, Number.NaN, Infinity]) {
      expect(isStrataError(catchError(() => new ClockCache(bad)), 'INVALID_ARGUMENT')).toBe(true)
      expect(isStrataError(catchError(() => small.insert(0, 'w', bad)), 'INVALID_ARGUMENT')).toBe(true)
    }
  })
})

function catchError(f: () => unknown): unknown {
  try {
    f()
  } catch (err) {
    return err
  }
  return undefined
}
