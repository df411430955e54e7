// fast-check arbitraries for SSTable tests: sorted unique keys (1-byte keys, keys sharing long
// prefixes), values from empty up to 1 MiB (rarely), and builder configurations.
import fc from 'fast-check'
import { compareBytes } from '../../engine/base/bytes.js'

export type Entry = [key: Uint8Array, value: Uint8Array]

/** Runs per property; FUZZ_RUNS raises it for long campaigns. */
export const runs = (quick: number): number => Math.max(quick, Number(process.env['FUZZ_RUNS'] ?? 0))

const LONG_PREFIX = new Uint8Array(200).fill(0x70)

const keyArb: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 2, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 1 }) },
  { weight: 6, arbitrary: fc.uint8Array({ minLength: 0, maxLength: 24 }) },
  {
    weight: 3,
    arbitrary: fc.tuple(fc.integer({ min: 0, max: LONG_PREFIX.length }), fc.uint8Array({ maxLength: 6 }))
      .map(([n, tail]) => Uint8Array.from([...LONG_PREFIX.subarray(0, n), ...tail])),
  },
)

/** A value of `size` bytes: compressible (a short repeated pattern) or not (pseudo-random). */
function bigValue(size: number, seed: number, compressible: boolean): Uint8Array {
  const out = new Uint8Array(size)
  let x = seed | 1
  for (let i = 0; i < size; i++) {
    if (compressible) out[i] = (i % 23) + (seed & 7)
    else {
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5
      out[i] = x & 0xff
    }
  }
  return out
}

export const valueArb: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(new Uint8Array(0)) },
  { weight: 20, arbitrary: fc.uint8Array({ maxLength: 40 }) },
  { weight: 4, arbitrary: fc.tuple(fc.integer({ min: 0, max: 3000 }), fc.integer(), fc.boolean()).map(([n, s, c]) => bigValue(n, s, c)) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 0, max: 1 << 20 }), fc.integer(), fc.boolean()).map(([n, s, c]) => bigValue(n, s, c)) },
)

/** Sorted entries with unique keys. Big values are rare so a run stays fast. */
export const entriesArb = (maxKeys: number): fc.Arbitrary<Entry[]> =>
  fc.uniqueArray(keyArb, { maxLength: maxKeys, selector: (k) => Buffer.from(k).toString('hex') })
    .chain((keys) => fc.array(valueArb, { minLength: keys.length, maxLength: keys.length })
      .map((values) => {
        const sorted = [...keys].sort(compareBytes)
        let bytes = 0
        return sorted.map((k, i): Entry => {
          let v = values[i]!
          if (bytes > 2 << 20) v = v.subarray(0, 16) // at most ~2 MiB of values per table
          bytes += v.length
          return [k, v]
        })
      }))

export const configArb = fc.record({
  blockSize: fc.oneof(fc.integer({ min: 1, max: 256 }), fc.integer({ min: 256, max: 8192 })),
  blockRestartInterval: fc.integer({ min: 1, max: 32 }),
  compression: fc.constantFrom('none' as const, 'lz4' as const),
  bloomBitsPerKey: fc.constantFrom(0, 1, 10, 16),
})

/** Index of the first entry whose key >= target (entries.length if none). */
export function lowerBound(entries: readonly Entry[], target: Uint8Array): number {
  let lo = 0
  let hi = entries.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (compareBytes(entries[mid]![0], target) < 0) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Inputs for LZ4: short, incompressible, one long run, repeated phrases, db_bench-like entries. */
export const lz4InputArb: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 40 }), // below and around the 13-byte minimum for a match
  fc.uint8Array({ minLength: 1000, maxLength: 9000 }), // incompressible
  fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 70000 })).map(([b, n]) => new Uint8Array(n).fill(b)), // one run: offset-1 matches, long length tails
  fc.array(fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 300 })), { maxLength: 60 })
    .map((parts) => Uint8Array.from(parts.flatMap(([p, n]) => Array.from({ length: n % 7 === 0 ? 1 : 1 + (n % 5) }, () => [...p]).flat()))), // repeated phrases
  fc.array(fc.integer({ min: 0, max: 999999 }), { maxLength: 40 }).map((ks) => { // db_bench-like entries
    const out: number[] = []
    for (const k of ks) {
      out.push(0, 24, 100, ...Buffer.from(String(k).padStart(16, '0')), 1, 0, 0, 0, 0, 0, 0, 1)
      for (let i = 0; i < 100; i++) out.push(i < 50 ? (k * 31 + i * 17) & 0xff : 32)
    }
    return Uint8Array.from(out)
  }),
)
