// Damage to real logs: every single-byte flip and every truncation of small multi-block logs,
// and arbitrary bytes. Never a wrong record, never a half record, never a non-StrataError.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { BLOCK_SIZE, HEADER_SIZE } from '../../engine/wal/format.js'
import type { WalReadMode } from '../../engine/wal/index.js'
import { pattern, readAll, writeLog } from './helpers.js'
import type { ReadResult, WrittenLog } from './helpers.js'

const RUNS = Number(process.env.FUZZ_RUNS ?? 100)

/** Log 1 (~41 KB): small records, an empty one, one split across the boundary, small ones after. */
const SIZES_1 = [100, 0, 5, 300, 20_000, 15_000, 1, 4000, 60]
/** Log 2 (~33 KB): a 3-byte zero trailer, then an empty FIRST in a block's last 7 bytes. */
const SIZES_2 = [32_000, BLOCK_SIZE - 32_007 - 7 - 3, 10, 200, BLOCK_SIZE - 7 - 7 - 10 - 7 - 200 - 7, 50, 30]

function build(sizes: readonly number[]): { records: Uint8Array[]; log: WrittenLog } {
  const records = sizes.map((n, i) => pattern(n, i + 1))
  return { records, log: writeLog(records) }
}

const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b))

/** The returned records are the first ones written, unchanged. */
function expectPrefix(got: readonly Uint8Array[], originals: readonly Uint8Array[], what: string): void {
  expect(got.length, what).toBeLessThanOrEqual(originals.length)
  got.forEach((r, i) => expect(same(r, originals[i]!), `${what}: record ${i}`).toBe(true))
}

/** The returned records are some of those written, unchanged, in order; returns their indexes. */
function subsequenceIndexes(got: readonly Uint8Array[], originals: readonly Uint8Array[], what: string): number[] {
  const indexes: number[] = []
  let j = 0
  for (const r of got) {
    while (j < originals.length && !same(r, originals[j]!)) j++
    expect(j < originals.length, `${what}: a returned record was never written`).toBe(true)
    indexes.push(j++)
  }
  return indexes
}

/** Where record i's first header sits (after any block padding). */
function headerAt(pos: number): number {
  const left = BLOCK_SIZE - (pos % BLOCK_SIZE)
  return left < HEADER_SIZE ? pos + left : pos
}

function checkFlip(records: readonly Uint8Array[], log: WrittenLog, at: number): void {
  const what = `flip at ${at}`
  const strict = readAll(log.bytes, 'absolute')
  expect(strict.error?.code, what).toBe('CORRUPTION')
  expectPrefix(strict.records, records, what)

  const tolerant = readAll(log.bytes, 'tolerate-torn-tail')
  expectPrefix(tolerant.records, records, what)
  if (tolerant.error === undefined) expect(tolerant.dropped.length, what).toBe(1)
  else expect(tolerant.error.code, what).toBe('CORRUPTION')

  const skipping = readAll(log.bytes, 'skip-corrupted')
  expect(skipping.error, what).toBeUndefined()
  expect(skipping.dropped.length, what).toBeGreaterThan(0)
  const kept = new Set(subsequenceIndexes(skipping.records, records, what))
  // Every record that lies wholly outside the damaged block is still read.
  const block = Math.floor(at / BLOCK_SIZE)
  records.forEach((_, i) => {
    const start = headerAt(i === 0 ? 0 : log.ends[i - 1]!)
    const touches = Math.floor(start / BLOCK_SIZE) <= block && Math.floor((log.ends[i]! - 1) / BLOCK_SIZE) >= block
    if (!touches) expect(kept.has(i), `${what}: record ${i} outside block ${block} lost`).toBe(true)
  })
}

describe('WAL damage: single-byte flips', () => {
  for (const [name, sizes] of [['log 1', SIZES_1], ['log 2', SIZES_2]] as const) {
    it(`every single-byte flip of ${name} is CORRUPTION or a reported drop, never a wrong record`, () => {
      const { records, log } = build(sizes)
      expect(log.bytes.length).toBeGreaterThan(BLOCK_SIZE)
      for (let at = 0; at < log.bytes.length; at++) {
        const mask = ((at * 131) % 255) + 1
        log.bytes[at]! ^= mask
        checkFlip(records, log, at)
        log.bytes[at]! ^= mask
      }
    })
  }

  it('a flip in the middle followed by valid records is CORRUPTION in tolerate mode', () => {
    const { log } = build(SIZES_1)
    for (const at of [3, 8, 120, 5000, 33_000]) {
      log.bytes[at]! ^= 0x20
      const r = readAll(log.bytes, 'tolerate-torn-tail')
      expect(r.error?.code, `flip at ${at}`).toBe('CORRUPTION')
      expect(r.error?.message).toContain('not a torn tail')
      log.bytes[at]! ^= 0x20
    }
  })
})

describe('WAL damage: truncation', () => {
  for (const [name, sizes] of [['log 1', SIZES_1], ['log 2', SIZES_2]] as const) {
    it(`truncating ${name} at every offset reads back a prefix and reports the torn tail`, () => {
      const { records, log } = build(sizes)
      for (let t = 0; t <= log.bytes.length; t++) {
        const cut = log.bytes.subarray(0, t)
        const whole = log.ends.filter((e) => e <= t).length
        const lastEnd = whole === 0 ? 0 : log.ends[whole - 1]!
        const clean = cut.subarray(lastEnd).every((b) => b === 0)
        const expected = clean ? [] : [{ offset: headerAt(lastEnd), bytes: t - headerAt(lastEnd) }]
        for (const mode of ['tolerate-torn-tail', 'skip-corrupted'] as const) {
          const r = readAll(cut, mode)
          expect(r.error, `cut at ${t}`).toBeUndefined()
          expect(r.records.length, `cut at ${t}`).toBe(whole)
          expectPrefix(r.records, records, `cut at ${t}`)
          expect(r.dropped.map((d) => ({ offset: d.offset, bytes: d.bytes })), `cut at ${t}`).toEqual(expected)
        }
        if (t % 7 === 0) expect(readAll(cut, 'absolute').error?.code, `cut at ${t}`).toBe(clean ? undefined : 'CORRUPTION')
      }
    })
  }
})

describe('WAL damage: arbitrary bytes', () => {
  const modes: readonly WalReadMode[] = ['absolute', 'tolerate-torn-tail', 'skip-corrupted']

  function readAny(bytes: Uint8Array, mode: WalReadMode): ReadResult {
    const r = readAll(bytes, mode) // a non-StrataError (RangeError, TypeError, ...) throws out of here
    if (r.error !== undefined) expect(r.error.code).toBe('CORRUPTION')
    if (mode === 'skip-corrupted') expect(r.error).toBeUndefined()
    return r
  }

  it('reads random bytes as CORRUPTION or drops, never anything else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3 * BLOCK_SIZE }), (bytes) => {
        for (const mode of modes) readAny(bytes, mode)
      }),
      { seed: 0x5eed, numRuns: Math.ceil(RUNS / 2) },
    )
  })

  it('never returns a record that was not written when a log is spliced, zeroed and cut', () => {
    const { records, log } = build([...SIZES_1, 70_000, 3, 9000])
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
          else if (e.at < bytes.length) bytes[e.at]! ^= e.byte
        }
        for (const mode of modes) {
          const r = readAny(bytes, mode)
          if (mode === 'skip-corrupted') subsequenceIndexes(r.records, records, 'skip')
          else expectPrefix(r.records, records, mode)
        }
      }),
      { seed: 0xc0ffee, numRuns: RUNS },
    )
  })
})
