// Checks shared by the WAL damage tests: what a reader may return from a damaged log. Plain
// comparisons (not expect) in these loops: they run tens of thousands of times per test.
import { BLOCK_SIZE, HEADER_SIZE } from '../../engine/wal/format.js'
import { pattern, readAll, writeLog } from './helpers.js'
import type { WrittenLog } from './helpers.js'

/** Log 1 (~33.5 KB): small records, an empty one, then 13000 bytes split across the boundary. */
export const SPLIT_RECORD_SIZES: readonly number[] = [100, 0, 5, 300, 20_000, 13_000, 1, 60]
/** Log 2 (~33 KB): block 0 ends in a 3-byte zero trailer; small records follow in block 1. */
export const TRAILER_SIZES: readonly number[] = [32_000, BLOCK_SIZE - 32_007 - HEADER_SIZE - 3, 10, 0, 200, 50, 30]
/** Log 3 (~33 KB): exactly 7 bytes left in block 0, so the next record starts with an empty FIRST. */
export const EMPTY_FIRST_SIZES: readonly number[] = [32_000, BLOCK_SIZE - 32_007 - HEADER_SIZE - HEADER_SIZE, 10, 1]

export interface Built {
  records: Uint8Array[]
  log: WrittenLog
}

export function build(sizes: readonly number[]): Built {
  const records = sizes.map((n, i) => pattern(n, i + 1))
  return { records, log: writeLog(records) }
}

/** Where the first header of a record written at `pos` sits (after any block padding). */
export function headerAt(pos: number): number {
  const left = BLOCK_SIZE - (pos % BLOCK_SIZE)
  return left < HEADER_SIZE ? pos + left : pos
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength))
}

/** Undefined when `got` are the first records written, unchanged; else what is wrong. */
export function prefixProblem(got: readonly Uint8Array[], originals: readonly Uint8Array[]): string | undefined {
  if (got.length > originals.length) return `${got.length} records returned, ${originals.length} written`
  for (let i = 0; i < got.length; i++) if (!same(got[i]!, originals[i]!)) return `record ${i} differs from the one written`
  return undefined
}

/** Indexes of `got` among `originals` if they are some of them, unchanged, in order; else undefined. */
export function subsequence(got: readonly Uint8Array[], originals: readonly Uint8Array[]): number[] | undefined {
  const indexes: number[] = []
  let j = 0
  for (const r of got) {
    while (j < originals.length && !same(r, originals[j]!)) j++
    if (j === originals.length) return undefined
    indexes.push(j++)
  }
  return indexes
}

/**
 * What reading `bytes` (a log of `built` with one damaged byte at `at`) got wrong, or
 * undefined. Tolerate mode: CORRUPTION, or one reported drop and a prefix. Skip mode: drops
 * reported, a subsequence, and every record lying wholly outside the damaged block kept.
 * Absolute mode (when `strict`): CORRUPTION after a prefix.
 */
export function flipProblem(built: Built, bytes: Uint8Array, at: number, strict: boolean): string | undefined {
  const { records, log } = built
  if (strict) {
    const r = readAll(bytes, 'absolute')
    if (r.error?.code !== 'CORRUPTION') return `absolute: no CORRUPTION (${r.error?.code})`
    const p = prefixProblem(r.records, records)
    if (p) return `absolute: ${p}`
  }
  const tolerant = readAll(bytes, 'tolerate-torn-tail')
  const p = prefixProblem(tolerant.records, records)
  if (p) return `tolerate: ${p}`
  if (tolerant.error === undefined ? tolerant.dropped.length !== 1 : tolerant.error.code !== 'CORRUPTION') {
    return `tolerate: neither CORRUPTION nor one reported drop`
  }
  const skipping = readAll(bytes, 'skip-corrupted')
  if (skipping.error !== undefined) return `skip: threw ${skipping.error.message}`
  if (skipping.dropped.length === 0) return 'skip: damage not reported'
  const kept = subsequence(skipping.records, records)
  if (!kept) return 'skip: a returned record was never written (or out of order)'
  const block = Math.floor(at / BLOCK_SIZE)
  for (let i = 0; i < records.length; i++) {
    const first = Math.floor(headerAt(i === 0 ? 0 : log.ends[i - 1]!) / BLOCK_SIZE)
    const last = Math.floor((log.ends[i]! - 1) / BLOCK_SIZE)
    if ((first > block || last < block) && !kept.includes(i)) return `skip: record ${i}, outside block ${block}, lost`
  }
  return undefined
}

/** Flips each byte of the range in turn (a non-zero XOR that varies), collecting problems. */
export function flipEach(built: Built, from: number, to: number): string[] {
  const bytes = built.log.bytes
  const problems: string[] = []
  for (let at = from; at < to; at++) {
    const mask = ((at * 131) % 255) + 1
    bytes[at]! ^= mask
    const problem = flipProblem(built, bytes, at, at % 8 === 0)
    bytes[at]! ^= mask
    if (problem) problems.push(`flip at ${at} ^ ${mask}: ${problem}`)
  }
  return problems
}
