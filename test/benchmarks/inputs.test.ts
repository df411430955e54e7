// The harness's inputs and arithmetic: key format, key orders, the half-compressible values,
// percentiles and medians, and the command-line flags.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseCli } from '../../benchmarks/cli.js'
import { KEY_SIZE, keyOrder, MISSING_KEY_SIZE, ValuePool, writeKey, writeMissingKey } from '../../benchmarks/keys.js'
import { MiB } from '../../benchmarks/settings.js'
import { LatencyRecorder, medianIndex, quantile } from '../../benchmarks/stats.js'
import { operationCount } from '../../benchmarks/workloads.js'

describe('keys', () => {
  it('formats key numbers as 16 zero-padded decimal digits, like db_bench', () => {
    const buf = Buffer.alloc(KEY_SIZE)
    writeKey(buf, 42)
    expect(buf.toString()).toBe('0000000000000042')
    writeKey(buf, 1_234_567_890_123_456)
    expect(buf.toString()).toBe('1234567890123456')
    const missing = Buffer.alloc(MISSING_KEY_SIZE)
    writeMissingKey(missing, 7)
    expect(missing.toString()).toBe('0000000000000007.')
  })

  it('orders keys the way their byte strings sort, so fillseq writes in key order', () => {
    fc.assert(
      fc.property(fc.nat(2 ** 40), fc.nat(2 ** 40), (a, b) => {
        const ka = Buffer.alloc(KEY_SIZE)
        const kb = Buffer.alloc(KEY_SIZE)
        writeKey(ka, a)
        writeKey(kb, b)
        expect(Math.sign(Buffer.compare(ka, kb))).toBe(Math.sign(a - b))
      }),
      { seed: 11, numRuns: 200 },
    )
  })

  it('shuffles a permutation (each key once), draws uniform keys in range, repeats a seed exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), fc.nat(), (num, seed) => {
        const perm = keyOrder('shuffled', num, num, seed)
        expect([...perm].sort((a, b) => a - b)).toEqual(Array.from({ length: num }, (_, i) => i))
        const part = keyOrder('shuffled', num, Math.ceil(num / 2), seed)
        expect(new Set(part).size).toBe(part.length)
        const uniform = keyOrder('uniform', num, 500, seed)
        for (const k of uniform) expect(k >= 0 && k < num).toBe(true)
        expect(keyOrder('uniform', num, 500, seed)).toEqual(uniform)
      }),
      { seed: 12, numRuns: 40 },
    )
    expect([...keyOrder('sequential', 5, 5, 1)]).toEqual([0, 1, 2, 3, 4])
  })

  it('makes values whose second half repeats the first, so a compressor halves them', () => {
    const pool = new ValuePool(100, 0.5, 3)
    const distinct = new Set<string>()
    for (let i = 0; i < 200; i++) {
      const v = pool.value(i)
      expect(v.length).toBe(100)
      expect(v.subarray(50).equals(v.subarray(0, 50))).toBe(true)
      for (const byte of v) expect(byte >= 0x20 && byte < 0x7f).toBe(true)
      distinct.add(v.toString('latin1'))
    }
    expect(distinct.size).toBe(200)
  })
})

describe('stats', () => {
  it('takes nearest-rank percentiles of the recorded latencies, in microseconds', () => {
    const rec = new LatencyRecorder(1000)
    for (let i = 1000; i >= 1; i--) rec.add(i / 1000) // 1 .. 1000 µs, recorded in ms
    const s = rec.summary()
    expect(s.samples).toBe(1000)
    expect(s.p50Us).toBeCloseTo(500)
    expect(s.p99Us).toBeCloseTo(990)
    expect(s.p999Us).toBeCloseTo(999)
    expect(s.maxUs).toBeCloseTo(1000)
    expect(s.meanUs).toBeCloseTo(500.5)
    expect(quantile([], 0.5)).toBe(0)
  })

  it('picks the run with the median value, the lower middle one for an even count', () => {
    expect(medianIndex([30, 10, 20])).toBe(2)
    expect(medianIndex([5, 1, 4, 2])).toBe(3)
    expect(() => medianIndex([])).toThrow()
  })
})

describe('flags', () => {
  const results = '/r'

  it('--quick means 100,000 entries and one run; the full run 1,000,000 and three', () => {
    const quick = parseCli(['--quick'], results)
    expect([quick.settings.num, quick.runs]).toEqual([100_000, 1])
    const full = parseCli([], results)
    expect([full.settings.num, full.runs]).toEqual([1_000_000, 3])
    expect(full.jsonPath).toBe('/r/latest.json')
    expect(full.engines).toEqual(['strata', 'leveldb', 'leveldb-await', 'lmdb', 'disk'])
    expect([quick.settings.reads, full.settings.reads]).toEqual([10_000, 1_000_000])
    expect(parseCli(['--quick', '--num', '5000'], results).settings.reads).toBe(5000)
    expect(operationCount('fillsync', 100_000, 10)).toBe(1000)
    expect(operationCount('fillsync', 1_000_000, 10)).toBe(10_000)
    expect(operationCount('seekrandom', 1_000_000, 10)).toBe(10)
  })

  it('reads --num, --cache-size in MiB, --workloads and --engines, and rejects unknown names', () => {
    const cli = parseCli(['--num', '20000000', '--cache-size', '8', '--workloads', 'readrandom,fillseq', '--engines', 'strata,leveldb', '--no-await'], results)
    expect(cli.settings.num).toBe(20_000_000)
    expect(cli.settings.cacheBytes).toBe(8 * MiB)
    expect(cli.workloads).toEqual(['readrandom', 'fillseq'])
    expect(cli.engines).toEqual(['strata', 'leveldb'])
    expect(() => parseCli(['--workloads', 'fillfast'], results)).toThrow(/unknown fillfast/)
    expect(() => parseCli(['--engines', 'rocksdb'], results)).toThrow(/unknown rocksdb/)
    expect(() => parseCli(['--num', '0'], results)).toThrow(/--num/)
    expect(() => parseCli(['--compaction', 'sometimes'], results)).toThrow(/--compaction/)
  })
})
