// A log cut at any offset (a torn write at the tail) reads back the records before the cut and
// reports the torn one; absolute mode calls it CORRUPTION.
import { describe, expect, it } from 'vitest'
import { BLOCK_SIZE } from '../../engine/wal/format.js'
import type { WalReadMode } from '../../engine/wal/index.js'
import { readAll } from './helpers.js'
import { EMPTY_FIRST_SIZES, SPLIT_RECORD_SIZES, TRAILER_SIZES, build, headerAt, prefixProblem } from './damage.js'
import type { Built } from './damage.js'

/** What reading `built`'s log cut at `t` in `mode` got wrong, or undefined. */
function truncationProblem(built: Built, lastNonZeroBefore: Int32Array, t: number, mode: WalReadMode): string | undefined {
  const { records, log } = built
  const cut = log.bytes.subarray(0, t)
  const whole = log.ends.filter((e) => e <= t).length
  const lastEnd = whole === 0 ? 0 : log.ends[whole - 1]!
  // zeros after the last whole record (block padding, or a header starting with 00) are no damage
  const clean = lastNonZeroBefore[t]! < lastEnd
  const r = readAll(cut, mode)
  if (mode === 'absolute') {
    if (clean ? r.error !== undefined : r.error?.code !== 'CORRUPTION') return `absolute: ${r.error?.message ?? 'no error'}`
    return prefixProblem(r.records, records)
  }
  if (r.error) return `threw ${r.error.message}`
  if (r.records.length !== whole) return `${r.records.length} records, expected ${whole}`
  const p = prefixProblem(r.records, records)
  if (p) return p
  const torn = headerAt(lastEnd)
  const expected = clean ? '' : `${torn}+${t - torn}`
  const got = r.dropped.map((d) => `${d.offset}+${d.bytes}`).join(',')
  return got === expected ? undefined : `dropped ${got}, expected ${expected}`
}

function truncations(built: Built, offsets: Iterable<number>, modes: readonly WalReadMode[]): string[] {
  const bytes = built.log.bytes
  const lastNonZeroBefore = new Int32Array(bytes.length + 1)
  lastNonZeroBefore[0] = -1
  for (let i = 0; i < bytes.length; i++) lastNonZeroBefore[i + 1] = bytes[i] !== 0 ? i : lastNonZeroBefore[i]!
  const problems: string[] = []
  for (const t of offsets) {
    for (const mode of modes) {
      const problem = truncationProblem(built, lastNonZeroBefore, t, mode)
      if (problem) problems.push(`cut at ${t}, ${mode}: ${problem}`)
    }
  }
  return problems
}

function* range(from: number, to: number, step = 1): Generator<number> {
  for (let t = from; t < to; t += step) yield t
}

describe('WAL damage: truncation', () => {
  it('a log with a split record, cut at every offset, reads back a prefix and reports the torn tail', () => {
    const built = build(SPLIT_RECORD_SIZES)
    const n = built.log.bytes.length
    expect(truncations(built, range(0, n + 1), ['tolerate-torn-tail'])).toEqual([])
    expect(truncations(built, range(0, n + 1, 5), ['skip-corrupted', 'absolute'])).toEqual([])
  })

  it('a log with a zero block trailer or an empty FIRST, cut near the block end or anywhere, does the same', () => {
    for (const sizes of [TRAILER_SIZES, EMPTY_FIRST_SIZES]) {
      const built = build(sizes)
      const n = built.log.bytes.length
      const modes: readonly WalReadMode[] = ['tolerate-torn-tail', 'skip-corrupted', 'absolute']
      expect(truncations(built, range(BLOCK_SIZE - 300, n + 1), modes)).toEqual([])
      expect(truncations(built, range(0, BLOCK_SIZE - 300, 97), modes)).toEqual([])
    }
  })
})
