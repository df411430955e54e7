// An LZ4 block compressor in TypeScript, writing into a buffer the caller owns. Its output is
// the standard LZ4 block format (the LZ4 project's lz4_Block_format.md), which lz4-napi's
// uncompressSync and every other LZ4 decoder read.
//
// It is the encoder where WebAssembly is unavailable (about 23 µs per 4 KiB db_bench block),
// and the reference for lz4-encode.wat, which runs the same algorithm about three times as fast
// and must give the same bytes (test/sstable/lz4-encode.test.ts). Why neither is lz4-napi's
// compressSync: compression.ts.
//
// The algorithm is LZ4's fast greedy one: a hash table of 4-byte sequences gives at most one
// candidate per position; a match of >= 4 bytes within 65,535 bytes back is extended forward
// and emitted, else the position is skipped (faster the longer nothing matched). The format's
// end rules hold: the last 5 bytes are literals and no match starts in the last 12 bytes.
import { copyRange } from '../base/bytes.js'

const MIN_MATCH = 4
/** No match may start within this many bytes of the end. */
const MF_LIMIT = 12
/** The last bytes of a block are always literals. */
const LAST_LITERALS = 5
const MAX_OFFSET = 65535
const HASH_LOG = 12
/**
 * Skip acceleration: after 2^SKIP_TRIGGER misses in a row the step grows by one. LZ4's own
 * default is 6; on blocks of db_bench values (half random) 5 compressed as well and 20% faster.
 */
const SKIP_TRIGGER = 5

/**
 * Positions of recent 4-byte sequences, stored as `base + position`: entries from earlier
 * calls are below `base` and so never mistaken for candidates, and the table needs no clearing.
 */
const table = new Int32Array(1 << HASH_LOG)
let base = 1

/** The most bytes an LZ4 block of `n` input bytes can take (LZ4's compress bound). */
export function lz4Bound(n: number): number {
  return n + Math.floor(n / 255) + 16
}

function hash(src: Uint8Array, i: number): number {
  const seq = src[i]! | (src[i + 1]! << 8) | (src[i + 2]! << 16) | (src[i + 3]! << 24)
  return Math.imul(seq, 2654435761) >>> (32 - HASH_LOG)
}

function sameFour(src: Uint8Array, a: number, b: number): boolean {
  return src[a] === src[b] && src[a + 1] === src[b + 1] && src[a + 2] === src[b + 2] && src[a + 3] === src[b + 3]
}

/**
 * Compresses src[start, end) as one LZ4 block into dst at `at`. Returns the end of the output
 * in dst. REQUIRES: dst has lz4Bound(end - start) bytes from `at`, and end - start < 2^30.
 */
export function compressLz4Block(src: Uint8Array, start: number, end: number, dst: Uint8Array, at: number): number {
  const n = end - start
  if (base + n + MAX_OFFSET + 1 >= 0x7fffffff) {
    table.fill(0)
    base = 1
  }
  const offsetBase = base - start // table value = offsetBase + position
  base += n + MAX_OFFSET + 1 // the next call's entries all lie above every entry of this one
  let out = at
  let anchor = start // first byte not yet emitted
  if (n >= MF_LIMIT + 1) {
    const matchLimit = end - LAST_LITERALS // matches end at or before this
    const lastStart = end - MF_LIMIT // no match starts after this
    let i = start + 1
    let misses = 1 << SKIP_TRIGGER
    table[hash(src, start)] = offsetBase + start
    while (i <= lastStart) {
      const h = hash(src, i)
      const candidate = table[h]! - offsetBase
      table[h] = offsetBase + i
      if (candidate < start || i - candidate > MAX_OFFSET || !sameFour(src, candidate, i)) {
        i += misses++ >>> SKIP_TRIGGER
        continue
      }
      misses = 1 << SKIP_TRIGGER
      // extend backward over pending literals, then forward
      let m = i
      let c = candidate
      while (m > anchor && c > start && src[m - 1] === src[c - 1]) {
        m--
        c--
      }
      let e = i + MIN_MATCH
      let ce = candidate + MIN_MATCH
      while (e < matchLimit && src[e] === src[ce]) {
        e++
        ce++
      }
      out = emitSequence(src, anchor, m, m - c, e - m, dst, out)
      anchor = e
      i = e
      if (i <= lastStart) {
        table[hash(src, i - 2)] = offsetBase + i - 2
      }
    }
  }
  return emitLastLiterals(src, anchor, end, dst, out)
}

/** Writes a length's extension bytes (255 = go on) for the part beyond a token's 15. */
function putLengthTail(dst: Uint8Array, out: number, rest: number): number {
  while (rest >= 255) {
    dst[out++] = 255
    rest -= 255
  }
  dst[out++] = rest
  return out
}

/** One sequence: literals src[from, to), then a match of `length` bytes `offset` back. */
function emitSequence(src: Uint8Array, from: number, to: number, offset: number, length: number, dst: Uint8Array, out: number): number {
  const literals = to - from
  const matchCode = length - MIN_MATCH
  const tokenAt = out++
  dst[tokenAt] = ((literals >= 15 ? 15 : literals) << 4) | (matchCode >= 15 ? 15 : matchCode)
  if (literals >= 15) out = putLengthTail(dst, out, literals - 15)
  copyRange(src, from, to, dst, out)
  out += literals
  dst[out++] = offset & 0xff
  dst[out++] = offset >>> 8
  if (matchCode >= 15) out = putLengthTail(dst, out, matchCode - 15)
  return out
}

/** The final sequence: literals only. */
function emitLastLiterals(src: Uint8Array, from: number, to: number, dst: Uint8Array, out: number): number {
  const literals = to - from
  dst[out++] = (literals >= 15 ? 15 : literals) << 4
  if (literals >= 15) out = putLengthTail(dst, out, literals - 15)
  copyRange(src, from, to, dst, out)
  return out + literals
}
