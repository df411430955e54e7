// Fixed-width little-endian integers and LEB128 varints over byte arrays.
// Format: format-spec/sstable.md, "Encodings". Numbers stay below 2^53 (Number.MAX_SAFE_INTEGER);
// a varint that would exceed it decodes as an error, never as a rounded value.
//
// Decoders take (buf, offset, end) and return -1 (or throw via the caller) on a short or bad
// input: they never read past `end` and never throw RangeError.

/** Largest value a varint64 or fixed64 may hold here: 2^53 - 1. */
export const MAX_SAFE = Number.MAX_SAFE_INTEGER

export function putFixed32(buf: Uint8Array, offset: number, value: number): void {
  buf[offset] = value & 0xff
  buf[offset + 1] = (value >>> 8) & 0xff
  buf[offset + 2] = (value >>> 16) & 0xff
  buf[offset + 3] = (value >>> 24) & 0xff
}

/** REQUIRES: offset + 4 <= buf.length. */
export function getFixed32(buf: Uint8Array, offset: number): number {
  return ((buf[offset]! | (buf[offset + 1]! << 8) | (buf[offset + 2]! << 16)) + buf[offset + 3]! * 0x1000000)
}

/** Writes `value` (0 <= value < 2^53) as 8 little-endian bytes. */
export function putFixed64(buf: Uint8Array, offset: number, value: number): void {
  const lo = value % 0x100000000
  const hi = (value - lo) / 0x100000000
  putFixed32(buf, offset, lo)
  putFixed32(buf, offset + 4, hi)
}

/** REQUIRES: offset + 8 <= buf.length. Returns -1 where the value is 2^53 or more. */
export function getFixed64(buf: Uint8Array, offset: number): number {
  const lo = getFixed32(buf, offset)
  const hi = getFixed32(buf, offset + 4)
  if (hi > 0x1fffff) return -1
  return hi * 0x100000000 + lo
}

/** Bytes a varint of `value` takes (1..8 for values below 2^53). */
export function varintLength(value: number): number {
  let n = 1
  while (value >= 0x80) {
    value = Math.floor(value / 128)
    n++
  }
  return n
}

/** Writes `value` (0 <= value < 2^53) as a varint; returns the offset after it. */
export function putVarint(buf: Uint8Array, offset: number, value: number): number {
  while (value >= 0x80) {
    buf[offset++] = (value & 0x7f) | 0x80
    value = Math.floor(value / 128)
  }
  buf[offset++] = value
  return offset
}

/**
 * Decoded varint: the value is left in `varint.value`, the offset after it is returned.
 * One shared result slot keeps hot decoding loops free of allocation.
 */
export const varint = { value: 0 }

/**
 * Reads a varint from buf[offset, end). Returns the offset after it, with the value in
 * `varint.value`, or -1 where it runs past `end`, has more than 8 bytes or reaches 2^53.
 */
export function getVarint(buf: Uint8Array, offset: number, end: number): number {
  let result = 0
  let scale = 1
  for (let i = 0; i < 8; i++) {
    if (offset >= end) return -1
    const byte = buf[offset++]!
    result += (byte & 0x7f) * scale
    if (byte < 0x80) {
      if (result > MAX_SAFE) return -1
      varint.value = result
      return offset
    }
    scale *= 128
  }
  return -1
}

/** Reads a varint known to fit 32 bits (lengths, counts): fast path for 1-2 byte values. */
export function getVarint32(buf: Uint8Array, offset: number, end: number): number {
  if (offset < end) {
    const b0 = buf[offset]!
    if (b0 < 0x80) {
      varint.value = b0
      return offset + 1
    }
    if (offset + 1 < end) {
      const b1 = buf[offset + 1]!
      if (b1 < 0x80) {
        varint.value = (b0 & 0x7f) | (b1 << 7)
        return offset + 2
      }
    }
  }
  const next = getVarint(buf, offset, end)
  if (next < 0 || varint.value > 0xffffffff) return -1
  return next
}
