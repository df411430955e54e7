// Internal keys: what the memtable, WAL replay and SSTables store and order.
// Format: format-spec/sstable.md, "Internal keys".
//
//   internal key := user key · trailer
//   trailer      := fixed64 little-endian of (sequence << 8 | kind)      (8 bytes)
//
// Sequence numbers are below 2^53 here (the format allows 56 bits). The trailer is written
// and read as two 32-bit halves so no 64-bit arithmetic is needed:
//   low  half = (sequence mod 2^24) << 8 | kind
//   high half = floor(sequence / 2^24)
import { getFixed32, putFixed32 } from './coding.js'

export const TRAILER_SIZE = 8

/** Entry kinds. On-disk: never renumber or reuse. */
export const KIND_DELETION = 0
export const KIND_VALUE = 1
/** The kind a lookup key carries: the highest kind, so it sorts before every entry at its sequence. */
export const KIND_SEEK = KIND_VALUE

export type EntryKind = typeof KIND_DELETION | typeof KIND_VALUE

/** Largest sequence number the engine assigns: 2^53 - 1. */
export const MAX_SEQUENCE = Number.MAX_SAFE_INTEGER

/** Writes the trailer for (sequence, kind) at buf[offset, offset + 8). */
export function putTrailer(buf: Uint8Array, offset: number, sequence: number, kind: number): void {
  const low24 = sequence % 0x1000000
  putFixed32(buf, offset, ((low24 << 8) | kind) >>> 0)
  putFixed32(buf, offset + 4, (sequence - low24) / 0x1000000)
}

/** The sequence number of the internal key ending at `end`. REQUIRES: end >= 8. */
export function sequenceAt(buf: Uint8Array, end: number): number {
  const low = getFixed32(buf, end - 8)
  const high = getFixed32(buf, end - 4)
  return high * 0x1000000 + (low >>> 8)
}

/** The kind byte of the internal key ending at `end`. REQUIRES: end >= 8. */
export function kindAt(buf: Uint8Array, end: number): number {
  return buf[end - 8]!
}

/** A new internal key: userKey · trailer(sequence, kind). */
export function makeInternalKey(userKey: Uint8Array, sequence: number, kind: number): Uint8Array {
  const out = new Uint8Array(userKey.length + TRAILER_SIZE)
  out.set(userKey, 0)
  putTrailer(out, userKey.length, sequence, kind)
  return out
}

/** The user-key part of an internal key (a view, no copy). */
export function userKeyOf(internalKey: Uint8Array): Uint8Array {
  return internalKey.subarray(0, internalKey.length - TRAILER_SIZE)
}
