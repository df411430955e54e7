// LruCache against a model (an array ordered by recency): contents, eviction order, onEvict
// calls, counters, and the edge cases of capacity 0, oversized entries and huge keys.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { LruCache } from '../../engine/cache/index.js'

const RUNS = Number(process.env.FUZZ_RUNS ?? 300)

/** A cached value with an identity, so onEvict calls can be traced. */
interface Val {
  readonly id: number
}

interface ModelEntry {
  readonly file: number
  readonly offset: number
  readonly value: Val
  readonly charge: number
}

/** The reference: an array ordered by recency, oldest first, with linear scans. */
class Model {
  entries: ModelEntry[] = []
  evicted: Val[] = []
  hits = 0
  misses = 0
  evictions = 0

  constructor(
    readonly capacity: number,
    readonly maxEntries: number,
  ) {}

  get usage(): number {
    return this.entries.reduce((sum, e) => sum + e.charge, 0)
  }

  find(file: number, offset: number): number {
    return this.entries.findIndex((e) => e.file === file && e.offset === offset)
  }

  get(file: number, offset: number): Val | undefined {
    const i = this.find(file, offset)
    if (i < 0) {
      this.misses++
      return undefined
    }
    this.hits++
    const [e] = this.entries.splice(i, 1)
    this.entries.push(e!)
    return e!.value
  }

  insert(file: number, offset: number, value: Val, charge: number): boolean {
    const i = this.find(file, offset)
    if (i >= 0) {
      const [old] = this.entries.splice(i, 1)
      if (old!.value !== value) this.evicted.push(old!.value)
    }
    if (charge > this.capacity || this.capacity === 0 || this.maxEntries === 0) return false
    while (this.entries.length > 0 && (this.usage + charge > this.capacity || this.entries.length >= this.maxEntries)) {
      this.evictions++
      this.evicted.push(this.entries.shift()!.value)
    }
    this.entries.push({ file, offset, value, charge })
    return true
  }

  erase(file: number, offset: number): boolean {
    const i = this.find(file, offset)
    if (i < 0) return false
    this.evicted.push(this.entries.splice(i, 1)[0]!.value)
    return true
  }

  evictFile(file: number): number {
    const gone = this.entries.filter((e) => e.file === file)
    this.entries = this.entries.filter((e) => e.file !== file)
    this.evicted.push(...gone.map((e) => e.value))
    return gone.length
  }
}

type Op =
  | { readonly op: 'get'; readonly file: number; readonly offset: number }
  | { readonly op: 'insert'; readonly file: number; readonly offset: number; readonly charge: number; readonly sameValue: boolean }
  | { readonly op: 'erase'; readonly file: number; readonly offset: number }
  | { readonly op: 'evictFile'; readonly file: number }

// File numbers and offsets past 2^32 and up to 2^53 - 1, where packing both in one double breaks.
const file = fc.constantFrom(1, 2, 2 ** 32, 2 ** 53 - 1)
const offset = fc.constantFrom(0, 4096, 2 ** 32, 2 ** 53 - 1)
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('get' as const), file, offset }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('insert' as const), file, offset, charge: fc.nat(60), sameValue: fc.boolean() }), weight: 4 },
  fc.record({ op: fc.constant('erase' as const), file, offset }),
  fc.record({ op: fc.constant('evictFile' as const), file }),
)

const byId = (a: Val, b: Val): number => a.id - b.id

describe('LruCache', () => {
  it('behaves like an array ordered by recency: contents, eviction order, onEvict, counters', () => {
    fc.assert(
      fc.property(fc.nat(150), fc.option(fc.nat(6), { freq: 2 }), fc.array(opArb, { maxLength: 60 }), (capacity, maxEntries, ops) => {
        const evicted: Val[] = []
        const cache = new LruCache<Val>(capacity, { onEvict: (v) => evicted.push(v), ...(maxEntries !== null ? { maxEntries } : {}) })
        const model = new Model(capacity, maxEntries ?? Infinity)
        let nextId = 0
        for (const o of ops) {
          const before = evicted.length
          const modelBefore = model.evicted.length
          switch (o.op) {
            case 'get':
              expect(cache.get(o.file, o.offset)).toBe(model.get(o.file, o.offset))
              break
            case 'insert': {
              const current = model.entries[model.find(o.file, o.offset)]?.value
              const value = o.sameValue && current !== undefined ? current : { id: nextId++ }
              expect(cache.insert(o.file, o.offset, value, o.charge)).toBe(model.insert(o.file, o.offset, value, o.charge))
              break
            }
            case 'erase':
              expect(cache.erase(o.file, o.offset)).toBe(model.erase(o.file, o.offset))
              break
            case 'evictFile':
              expect(cache.evictFile(o.file)).toBe(model.evictFile(o.file))
              break
          }
          // A file's entries leave in no promised order; every other removal is oldest first.
          const got = evicted.slice(before)
          const want = model.evicted.slice(modelBefore)
          if (o.op === 'evictFile') expect(got.sort(byId)).toEqual(want.sort(byId))
          else expect(got).toEqual(want)
          expect(cache.usage).toBe(model.usage)
          expect(cache.usage).toBeLessThanOrEqual(capacity)
          expect(cache.size).toBe(model.entries.length)
          expect(cache.size).toBeLessThanOrEqual(maxEntries ?? Infinity)
          expect([cache.hits, cache.misses, cache.evictions]).toEqual([model.hits, model.misses, model.evictions])
        }
        for (const e of [...model.entries]) expect(cache.get(e.file, e.offset)).toBe(model.get(e.file, e.offset))
        const held = model.entries.map((e) => e.value)
        const before = evicted.length
        cache.clear()
        expect(evicted.slice(before)).toEqual(held) // oldest first
        expect([cache.size, cache.usage]).toEqual([0, 0])
        // Every value the cache kept left it exactly once.
        const ids = evicted.map((v) => v.id)
        expect(new Set(ids).size).toBe(ids.length)
      }),
      { seed: 301, numRuns: RUNS },
    )
  })

  it('evicts the least recently used first, where a get counts as a use', () => {
    const out: string[] = []
    const cache = new LruCache<string>(30, { onEvict: (v) => out.push(v) })
    cache.insert(1, 0, 'a', 10)
    cache.insert(1, 10, 'b', 10)
    cache.insert(2, 0, 'c', 10)
    expect(cache.get(1, 0)).toBe('a')
    cache.insert(3, 0, 'd', 15)
    expect(out).toEqual(['b', 'c'])
    expect(cache.get(1, 10)).toBeUndefined()
    expect([cache.usage, cache.size, cache.hits, cache.misses, cache.evictions]).toEqual([25, 2, 1, 1, 2])
  })

  it('keeps nothing at capacity 0, and never keeps an entry larger than the capacity', () => {
    const out: number[] = []
    const none = new LruCache<number>(0, { onEvict: (v) => out.push(v) })
    expect(none.insert(1, 0, 1, 0)).toBe(false)
    expect(none.insert(1, 0, 2, 1)).toBe(false)
    expect(none.get(1, 0)).toBeUndefined()
    expect([none.size, none.usage, none.misses]).toEqual([0, 0, 1])
    const small = new LruCache<number>(100, { onEvict: (v) => out.push(v) })
    small.insert(1, 0, 10, 60)
    expect(small.insert(1, 100, 11, 101)).toBe(false)
    expect(small.get(1, 0)).toBe(10) // not evicted to make room for an entry that cannot fit
    expect(out).toEqual([])
  })

  it('keys on the full (file, offset) pair, even where the numbers exceed 2^32', () => {
    const cache = new LruCache<string>(Infinity)
    const keys: [number, number][] = [[1, 2 ** 32], [2 ** 32 + 1, 0], [2 ** 53 - 1, 2 ** 53 - 1], [2 ** 53 - 2, 2 ** 53 - 1], [0, 0]]
    keys.forEach(([f, o], i) => cache.insert(f, o, `v${i}`, 1))
    keys.forEach(([f, o], i) => expect(cache.get(f, o)).toBe(`v${i}`))
    expect(cache.evictFile(2 ** 53 - 1)).toBe(1)
    expect(cache.get(2 ** 53 - 2, 2 ** 53 - 1)).toBe('v3')
  })

  it('bounds the entry count for a table cache and closes what it drops, once each', () => {
    const closes = new Map<string, number>()
    const close = (r: string): void => void closes.set(r, (closes.get(r) ?? 0) + 1)
    const tables = new LruCache<string>(Infinity, { maxEntries: 2, onEvict: close })
    tables.insert(7, 0, 'reader7', 1)
    tables.insert(8, 0, 'reader8', 1)
    tables.get(7, 0)
    tables.insert(9, 0, 'reader9', 1) // drops reader8, the least recently used
    tables.insert(9, 0, 'reader9', 1) // the same reader again: not closed
    tables.evictFile(7)
    tables.clear()
    expect(Object.fromEntries(closes)).toEqual({ reader8: 1, reader7: 1, reader9: 1 })
    expect(tables.evictions).toBe(1)
  })

  it('stays consistent when onEvict throws', () => {
    const cache = new LruCache<number>(2, {
      onEvict: (v) => {
        if (v === 1) throw new Error('close failed')
      },
    })
    cache.insert(1, 0, 1, 1)
    cache.insert(1, 1, 2, 1)
    expect(() => cache.insert(1, 2, 3, 1)).toThrow('close failed')
    expect(cache.get(1, 0)).toBeUndefined()
    expect([cache.size, cache.usage]).toEqual([1, 1])
    expect(cache.insert(1, 2, 3, 1)).toBe(true)
    expect([cache.get(1, 1), cache.get(1, 2)]).toEqual([2, 3])
  })

  it('rejects a negative or non-numeric capacity, entry limit or charge', () => {
    const bad = expect.objectContaining({ code: 'INVALID_ARGUMENT' })
    expect(() => new LruCache(-1)).toThrowError(bad)
    expect(() => new LruCache(Number.NaN)).toThrowError(bad)
    expect(() => new LruCache(10, { maxEntries: 1.5 })).toThrowError(bad)
    expect(() => new LruCache(10, { maxEntries: -1 })).toThrowError(bad)
    const cache = new LruCache<number>(10)
    expect(() => cache.insert(1, 0, 1, -1)).toThrowError(bad)
    expect(() => cache.insert(1, 0, 1, Number.NaN)).toThrowError(bad)
    expect(() => cache.insert(1, 0, 1, Infinity)).toThrowError(bad)
    expect(cache.size).toBe(0)
  })
})
