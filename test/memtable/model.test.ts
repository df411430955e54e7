// Model-based properties: a MemTable against a sorted array of (userKey, sequence, kind, value),
// for lookups at random sequence numbers, iteration both ways, seeks to random keys, and
// iterators moving while entries are added.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compareBytes } from '../../engine/base/bytes.js'
import { bytewiseComparator, internalKeyComparator } from '../../engine/base/comparator.js'
import { KIND_DELETION, KIND_SEEK, KIND_VALUE, makeInternalKey, MAX_SEQUENCE } from '../../engine/base/internal-key.js'
import { MemTable } from '../../engine/memtable/memtable.js'
import { keyPrefix } from '../../engine/memtable/skiplist.js'
import type { LookupResult } from '../../engine/memtable/memtable.js'

const RUNS = Number(process.env.FUZZ_RUNS ?? 150)
const icmp = internalKeyComparator(bytewiseComparator)

interface Entry { key: Uint8Array; seq: number; kind: number; value: Uint8Array }

const PREFIX = new Uint8Array(40).fill(0x70)
const userKey = fc.oneof(
  fc.uint8Array({ min: 0, max: 2, maxLength: 3 }), // tiny alphabet: many versions, empty and 1-byte keys
  fc.uint8Array({ min: 0, max: 255, minLength: 1, maxLength: 1 }),
  fc.uint8Array({ min: 0, max: 1, maxLength: 2 }).map((s) => Uint8Array.from([...PREFIX, ...s])), // long shared prefix
)
const sequence = fc.oneof(
  fc.integer({ min: 0, max: 300 }),
  fc.integer({ min: 2 ** 24 - 3, max: 2 ** 24 + 3 }),
  fc.integer({ min: 2 ** 32 - 2, max: 2 ** 32 + 2 }),
  fc.integer({ min: MAX_SEQUENCE - 5, max: MAX_SEQUENCE }),
)
const entries = fc.uniqueArray(
  fc.record({ key: userKey, seq: sequence, kind: fc.constantFrom(KIND_VALUE, KIND_DELETION), value: fc.uint8Array({ maxLength: 12 }) }),
  { maxLength: 80, selector: (e) => `${Buffer.from(e.key).toString('hex')}/${e.seq}/${e.kind}` },
)

const ikey = (e: Entry): Uint8Array => makeInternalKey(e.key, e.seq, e.kind)
const hex = (u: Uint8Array): string => Buffer.from(u).toString('hex')
const valueOf = (e: Entry): string => (e.kind === KIND_VALUE ? hex(e.value) : '')

function sortedModel(es: readonly Entry[]): Entry[] {
  return [...es].sort((a, b) => icmp.compare(ikey(a), ikey(b)))
}

function build(es: readonly Entry[], seed: number): MemTable {
  const mem = new MemTable({ seed })
  for (const e of es) mem.add(e.seq, e.kind, e.key, e.value)
  return mem
}

/** Iterating `mem` forward and backward gives exactly the sorted model's entries. */
function expectIteration(mem: MemTable, model: readonly Entry[]): void {
  const it = mem.iterator()
  const fwd: string[] = []
  for (it.seekToFirst(); it.valid(); it.next()) fwd.push(`${hex(it.key())}=${hex(it.value())}`)
  const want = model.map((e) => `${hex(ikey(e))}=${valueOf(e)}`)
  expect(fwd).toEqual(want)
  const back: string[] = []
  for (it.seekToLast(); it.valid(); it.prev()) back.push(`${hex(it.key())}=${hex(it.value())}`)
  expect(back).toEqual([...want].reverse())
  it.close()
}

/** What get(key, seq) must return, by scanning the model. */
function modelGet(model: readonly Entry[], key: Uint8Array, seq: number): string {
  const hit = model.find((e) => compareBytes(e.key, key) === 0 && e.seq <= seq)
  if (!hit) return 'absent'
  return hit.kind === KIND_VALUE ? `value:${hex(hit.value)}@${hit.seq}` : `deleted@${hit.seq}`
}

describe('MemTable against a sorted-array model', () => {
  it('answers get at any sequence number like the model', () => {
    fc.assert(
      fc.property(entries, fc.array(fc.tuple(userKey, sequence), { maxLength: 40 }), fc.integer(), (es, probes, seed) => {
        const mem = build(es, seed)
        const model = sortedModel(es)
        const out: LookupResult = { value: undefined }
        const all = [...probes, ...es.map((e) => [e.key, e.seq] as [Uint8Array, number])]
        for (const [key, seq] of all) {
          const status = mem.get(key, seq, out)
          const got = status === 'value' ? `value:${hex(out.value!)}@${out.sequence}` : status === 'deleted' ? `deleted@${out.sequence}` : 'absent'
          expect(got).toBe(modelGet(model, key, seq))
        }
      }),
      { seed: 31, numRuns: RUNS },
    )
  })

  it('iterates forward and backward exactly as the model sorts, and keeps its invariants', () => {
    fc.assert(
      fc.property(entries, fc.integer(), (es, seed) => {
        const mem = build(es, seed)
        const model = sortedModel(es)
        expect(mem.checkInvariants()).toBeUndefined()
        expect(mem.count).toBe(es.length)
        expectIteration(mem, model)
      }),
      { seed: 32, numRuns: RUNS },
    )
  })

  it('stays exact when entries arrive in order or in sorted runs (appends splice at the tail)', () => {
    const arrival = fc.tuple(entries, fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 10 }), fc.boolean())
    fc.assert(
      fc.property(arrival, fc.integer(), ([es, runs, reversed], seed) => {
        // cut the entries into runs of the given lengths, each sorted: long appends, then jumps back
        const order: Entry[] = []
        let at = 0
        for (let r = 0; at < es.length; r++) {
          const len = runs[r % runs.length]!
          const run = sortedModel(es.slice(at, at + len))
          order.push(...(reversed && r % 2 === 1 ? run.reverse() : run))
          at += len
        }
        const mem = build(order, seed)
        const model = sortedModel(es)
        expect(mem.checkInvariants()).toBeUndefined()
        expectIteration(mem, model)
        const out: LookupResult = { value: undefined }
        for (const e of es) {
          const got = mem.get(e.key, e.seq, out)
          const shown = got === 'value' ? `value:${hex(out.value!)}@${out.sequence}` : got === 'deleted' ? `deleted@${out.sequence}` : got
          expect(shown).toBe(modelGet(model, e.key, e.seq))
        }
      }),
      { seed: 35, numRuns: RUNS },
    )
  })

  it('seeks to the first entry >= a random internal key, then steps either way like the model', () => {
    fc.assert(
      fc.property(entries, fc.array(fc.tuple(userKey, sequence), { minLength: 1, maxLength: 20 }), (es, targets) => {
        const mem = build(es, 7)
        const model = sortedModel(es)
        const it = mem.iterator()
        for (const [key, seq] of targets) {
          const target = makeInternalKey(key, seq, KIND_SEEK)
          it.seek(target)
          const i = model.findIndex((e) => icmp.compare(ikey(e), target) >= 0)
          if (i < 0) {
            expect(it.valid()).toBe(false)
            continue
          }
          expect(hex(it.key())).toBe(hex(ikey(model[i]!)))
          it.prev()
          if (i === 0) expect(it.valid()).toBe(false)
          else expect(hex(it.key())).toBe(hex(ikey(model[i - 1]!)))
          it.seek(target)
          it.next()
          if (i === model.length - 1) expect(it.valid()).toBe(false)
          else expect(hex(it.key())).toBe(hex(ikey(model[i + 1]!)))
        }
      }),
      { seed: 33, numRuns: RUNS },
    )
  })

  it('keeps an iterator correct while entries are added between its moves', () => {
    const steps = fc.array(fc.constantFrom('next', 'prev', 'add', 'add'), { maxLength: 60 })
    fc.assert(
      fc.property(entries, entries, steps, fc.boolean(), (first, later, plan, fromEnd) => {
        const seen = new Set(first.map((e) => hex(ikey(e))))
        const extra = later.filter((e) => !seen.has(hex(ikey(e))))
        const mem = build(first, 3)
        const it = mem.iterator()
        if (fromEnd) it.seekToLast()
        else it.seekToFirst()
        let added = 0
        for (const step of plan) {
          if (step === 'add') {
            const e = extra[added++]
            if (e) mem.add(e.seq, e.kind, e.key, e.value)
            continue
          }
          if (!it.valid()) break
          // Wherever it stands, its neighbours must be those of the model of everything added so far.
          const model = sortedModel([...first, ...extra.slice(0, added)])
          const i = model.findIndex((e) => hex(ikey(e)) === hex(it.key()))
          expect(i).toBeGreaterThanOrEqual(0)
          if (step === 'next') it.next()
          else it.prev()
          const j = step === 'next' ? i + 1 : i - 1
          if (j < 0 || j >= model.length) expect(it.valid()).toBe(false)
          else expect(hex(it.key())).toBe(hex(ikey(model[j]!)))
        }
        expect(mem.checkInvariants()).toBeUndefined()
      }),
      { seed: 34, numRuns: RUNS },
    )
  })

  it('orders keys by their 4-byte prefixes exactly as bytewise, wherever the prefixes differ', () => {
    const key = fc.oneof(fc.uint8Array({ maxLength: 6 }), fc.uint8Array({ min: 0, max: 1, maxLength: 5 }))
    fc.assert(
      fc.property(key, key, (a, b) => {
        const pa = keyPrefix(a, 0, a.length)
        const pb = keyPrefix(b, 0, b.length)
        if (pa !== pb) expect(Math.sign(pa - pb)).toBe(Math.sign(compareBytes(a, b)))
        if (compareBytes(a, b) === 0) expect(pa).toBe(pb)
      }),
      { seed: 35, numRuns: RUNS * 4 },
    )
  })

  it('stays sorted and consistent over 20,000 random inserts', () => {
    const mem = new MemTable({ seed: 99 })
    let x = 12345
    const keys: Buffer[] = []
    for (let i = 0; i < 20000; i++) {
      x = (x * 1103515245 + 12345) >>> 0
      const key = Buffer.alloc(1 + (x % 20))
      for (let j = 0; j < key.length; j++) key[j] = (x >>> (j % 24)) & 0xff
      keys.push(key)
      mem.add(i, KIND_VALUE, key, key)
    }
    expect(mem.checkInvariants()).toBeUndefined()
    const it = mem.iterator()
    let n = 0
    let prev: Uint8Array | undefined
    for (it.seekToFirst(); it.valid(); it.next(), n++) {
      const k = Buffer.from(it.key())
      if (prev) expect(icmp.compare(prev, k)).toBeLessThan(0)
      prev = k
    }
    expect(n).toBe(keys.length)
  })
})
