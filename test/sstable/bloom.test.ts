// The Bloom filter: no false negatives, a false-positive rate within 1.2% at 10 bits per key
// (measured on 100,000 absent keys), k = round(bits * ln 2) clamped to 1..30.
import { describe, expect, it } from 'vitest'
import { BloomFilterBuilder, bloomMayContain, checkFilter, probesFor } from '../../engine/sstable/bloom.js'
import { buildTable, enc, openTable } from './helpers.js'

const key = (prefix: string, i: number): Uint8Array => enc(`${prefix}${String(i).padStart(8, '0')}`)

describe('bloom filter', () => {
  it('has no false negatives and at most 1.2% false positives at 10 bits/key over 100,000 absent keys', () => {
    const n = 100_000
    const b = new BloomFilterBuilder(10)
    for (let i = 0; i < n; i++) {
      const k = key('present', i)
      b.add(k, 0, k.length)
    }
    const filter = b.finish()
    expect(checkFilter(filter)).toBeUndefined()
    let falseNegatives = 0
    for (let i = 0; i < n; i++) {
      const k = key('present', i)
      if (!bloomMayContain(filter, k, 0, k.length)) falseNegatives++
    }
    expect(falseNegatives).toBe(0)
    let falsePositives = 0
    for (let i = 0; i < n; i++) {
      const k = key('absent', i)
      if (bloomMayContain(filter, k, 0, k.length)) falsePositives++
    }
    const rate = falsePositives / n
    expect(rate).toBeLessThanOrEqual(0.012)
    expect(rate).toBeGreaterThan(0.002) // a filter that never matches would be a bug too
  })

  it('keeps the rate for a table read through TableReader.mayContain and seekEntry', () => {
    const entries = Array.from({ length: 20_000 }, (_, i) => [key('k', i * 2), enc('v')] as [Uint8Array, Uint8Array])
    const reader = openTable(buildTable(entries).bytes)
    let passed = 0
    let wrongHits = 0
    for (let i = 0; i < 20_000; i++) {
      const absent = key('k', i * 2 + 1)
      if (reader.mayContain(absent, 0, absent.length)) passed++
      if (reader.seekEntry(absent) && Buffer.compare(reader.foundKey(), absent) === 0) wrongHits++
    }
    expect(passed / 20_000).toBeLessThanOrEqual(0.012)
    expect(wrongHits).toBe(0)
  })

  it('chooses k = round(bitsPerKey * ln 2) within 1..30', () => {
    expect(probesFor(10)).toBe(7)
    expect(probesFor(1)).toBe(1)
    expect(probesFor(0.1)).toBe(1)
    expect(probesFor(16)).toBe(11)
    expect(probesFor(64)).toBe(30)
  })

  it('gives a tiny table 64 bits and an empty table a filter that matches nothing', () => {
    const b = new BloomFilterBuilder(10)
    b.add(enc('a'), 0, 1)
    expect(b.finish().length).toBe(8 + 1)
    const empty = new BloomFilterBuilder(10).finish()
    expect(bloomMayContain(empty, enc('a'), 0, 1)).toBe(false)
  })

  it('rejects a malformed filter block', () => {
    expect(checkFilter(new Uint8Array(5))).toMatch(/too short/)
    expect(checkFilter(Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 31))).toMatch(/outside 1..30/)
    expect(checkFilter(Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0))).toMatch(/outside 1..30/)
  })
})
