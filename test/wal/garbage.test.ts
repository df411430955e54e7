// Arbitrary bytes and a log mangled by several edits: every mode ends or throws CORRUPTION
// (skip mode never throws), and no record comes back that was not written.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { BLOCK_SIZE } from '../../engine/wal/format.js'
import type { WalReadMode } from '../../engine/wal/index.js'
import { readAll } from './helpers.js'
import type { ReadResult } from './helpers.js'
import { SPLIT_RECORD_SIZES, build, prefixProblem, subsequence } from './damage.js'

const RUNS = Number(process.env.FUZZ_RUNS ?? 100)
const MODES: readonly WalReadMode[] = ['absolute', 'tolerate-torn-tail', 'skip-corrupted']

/** Reads in `mode`; a non-StrataError (RangeError, TypeError, ...) escapes readAll and fails. */
function readAny(bytes: Uint8Array, mode: WalReadMode): ReadResult {
  const r = readAll(bytes, mode)
  if (r.error !== undefined) expect(r.error.code).toBe('CORRUPTION')
  if (mode === 'skip-corrupted') expect(r.error).toBeUndefined()
  return r
}

describe('WAL damage: arbitrary bytes', () => {
  it('reads random bytes as CORRUPTION or drops, never anything else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3 * BLOCK_SIZE }), (bytes) => {
        for (const mode of MODES) readAny(bytes, mode)
      }),
      { seed: 0x5eed, numRuns: Math.ceil(RUNS / 2) },
    )
  })

  it('reads bytes made mostly of plausible headers (types 0..5, short lengths) without a wrong record', () => {
    const header = fc.tuple(fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.nat({ max: 40 }), fc.nat({ max: 5 }))
      .map(([crc, length, type]) => Uint8Array.of(...crc, length, 0, type, ...new Uint8Array(length).fill(type)))
    fc.assert(
      fc.property(fc.array(header, { maxLength: 200 }), (parts) => {
        const bytes = Buffer.concat(parts)
        for (const mode of MODES) expect(readAny(bytes, mode).records).toEqual([])
      }),
      { seed: 0xbeef, numRuns: RUNS },
    )
  })

  it('never returns a record that was not written when a log is spliced, zeroed and cut', () => {
    const { records, log } = build([...SPLIT_RECORD_SIZES, 70_000, 3, 9000])
    const edit = fc.record({
      kind: fc.constantFrom('zero', 'garbage', 'copy', 'flip'),
      at: fc.nat({ max: log.bytes.length - 1 }),
      length: fc.integer({ min: 1, max: 5000 }),
      from: fc.nat({ max: log.bytes.length - 1 }),
      byte: fc.integer({ min: 1, max: 255 }),
    })
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), fc.nat({ max: log.bytes.length }), (edits, cut) => {
        const bytes = Buffer.from(log.bytes.subarray(0, Math.max(cut, 1)))
        for (const e of edits) {
          const end = Math.min(bytes.length, e.at + e.length)
          if (e.kind === 'zero') bytes.fill(0, e.at, end)
          else if (e.kind === 'garbage') for (let i = e.at; i < end; i++) bytes[i] = (i * e.byte) & 0xff
          else if (e.kind === 'copy' && end > e.at) log.bytes.copy(bytes, e.at, e.from, e.from + (end - e.at))
          else if (e.kind === 'flip' && e.at < bytes.length) bytes[e.at]! ^= e.byte
        }
        for (const mode of MODES) {
          const r = readAny(bytes, mode)
          if (mode === 'skip-corrupted') expect(subsequence(r.records, records)).toBeDefined()
          else expect(prefixProblem(r.records, records)).toBeUndefined()
        }
      }),
      { seed: 0xc0ffee, numRuns: RUNS },
    )
  })
})
