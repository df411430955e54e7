// Wire constants of the SSTable format, and block handles (the file's internal pointers).
// Format: format-spec/sstable.md. Every constant here is on-disk: never renumber or reuse.
import { getVarint, putVarint, varint } from '../base/coding.js'

// ---- Stored blocks ("Stored blocks") ----

/** Block trailer: compression type byte + masked CRC-32 of (stored bytes · type byte). */
export const BLOCK_TRAILER_SIZE = 1 + 4

/** Compression type bytes. On-disk: never renumber or reuse. */
export const COMPRESSION_NONE = 0
export const COMPRESSION_LZ4 = 1

/** An LZ4 block's stored bytes start with the uncompressed length as a fixed32. */
export const LZ4_LENGTH_PREFIX = 4
/** LZ4 expands at most ~255x; a declared length beyond this is damage (and never allocated). */
export const LZ4_MAX_RATIO = 255

// ---- Block contents ("Blocks") ----

/** Each restart point is a fixed32 offset; the array ends with a fixed32 count. */
export const RESTART_ENTRY_SIZE = 4
export const RESTART_COUNT_SIZE = 4

// ---- Block handles ("Block handles") ----

/** A varint below 2^53 takes at most 8 bytes (7 bits each: 8 * 7 = 56 >= 53). */
export const MAX_VARINT53_LENGTH = 8
/** handle := varint offset · varint size. */
export const MAX_HANDLE_LENGTH = 2 * MAX_VARINT53_LENGTH

// ---- Footer ("Footer") ----

/** Both handles, zero-padded to this width. */
export const FOOTER_HANDLES_SIZE = 2 * MAX_HANDLE_LENGTH // 32
export const FOOTER_VERSION_OFFSET = FOOTER_HANDLES_SIZE // 32
export const FOOTER_CRC_OFFSET = FOOTER_VERSION_OFFSET + 4 // 36
export const FOOTER_MAGIC_OFFSET = FOOTER_CRC_OFFSET + 4 // 40
export const FOOTER_SIZE = FOOTER_MAGIC_OFFSET + 8 // 48

/** The only format version this code writes and reads. */
export const FORMAT_VERSION = 1

/**
 * Table magic number 0x967d8da660640cd8: the leading 64 bits of SHA-1("stratadb/sstable"),
 * stored as a fixed64 (bytes d8 0c 64 60 a6 8d 7d 96). Kept as two 32-bit halves because it
 * exceeds 2^53. On-disk: never change.
 */
export const MAGIC_LOW = 0x60640cd8
export const MAGIC_HIGH = 0x967d8da6

// ---- Filter block ("Filter block", "Filter hash") ----

/** Fewest bits a filter has (8 bytes), so tiny tables do not get a useless one. */
export const MIN_FILTER_BITS = 64
/** Probes per key are clamped to 1..MAX_PROBES; a k byte outside that is damage. */
export const MAX_PROBES = 30
/** Seed of the MurmurHash3 x86_32 filter hash. */
export const FILTER_HASH_SEED = 0x9747b28c
/** XORed into a key's hash before mixing it into the probe step. */
export const FILTER_DELTA_XOR = 0x5bd1e995

// ---- Meta-index and meta blocks ("Meta-index block") ----

export const META_FILTER_PREFIX = 'filter.'
/** The one filter this code writes: a whole-table Bloom filter over MurmurHash3 x86_32. */
export const BLOOM_FILTER_NAME = 'stratadb.Bloom32'
export const META_BLOOM_FILTER = META_FILTER_PREFIX + BLOOM_FILTER_NAME
export const META_PROPERTIES = 'properties'

// ---- Block handles ----

/** Where a stored block sits: `size` counts the stored bytes, not the 5-byte trailer. */
export interface BlockHandle {
  offset: number
  size: number
}

/** Writes `handle` at buf[offset...]; returns the offset after it. */
export function putHandle(buf: Uint8Array, offset: number, handle: Readonly<BlockHandle>): number {
  return putVarint(buf, putVarint(buf, offset, handle.offset), handle.size)
}

/** Encodes a handle into a new array (index and meta-index values). */
export function encodeHandle(handle: Readonly<BlockHandle>): Uint8Array {
  const scratch = new Uint8Array(MAX_HANDLE_LENGTH)
  return scratch.slice(0, putHandle(scratch, 0, handle))
}

/**
 * Decodes a handle from buf[offset, end) into `out`. Returns the offset after it, or -1 for
 * a truncated or overlong varint.
 */
export function getHandle(buf: Uint8Array, offset: number, end: number, out: BlockHandle): number {
  const afterOffset = getVarint(buf, offset, end)
  if (afterOffset < 0) return -1
  const blockOffset = varint.value
  const afterSize = getVarint(buf, afterOffset, end)
  if (afterSize < 0) return -1
  out.offset = blockOffset
  out.size = varint.value
  return afterSize
}
