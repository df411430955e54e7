// A fast 32-bit hash of a byte range, for Bloom filters: MurmurHash3 x86_32 (Austin Appleby's
// public-domain design), written from its published description. No allocation.
// Format: format-spec/sstable.md, "Filter hash". On-disk: the filter bits depend on every
// constant here and in format.ts (seed, delta xor); never change them.
import { FILTER_DELTA_XOR, FILTER_HASH_SEED } from './format.js'

const C1 = 0xcc9e2d51
const C2 = 0x1b873593

/** MurmurHash3 x86_32 of buf[start, end) with `seed`; an unsigned 32-bit result. */
export function murmur3(buf: Uint8Array, start: number, end: number, seed: number): number {
  let h = seed | 0
  const length = end - start
  const bodyEnd = start + (length & ~3)
  let i = start
  for (; i < bodyEnd; i += 4) {
    let k = buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24)
    k = Math.imul(k, C1)
    k = (k << 15) | (k >>> 17)
    k = Math.imul(k, C2)
    h ^= k
    h = (h << 13) | (h >>> 19)
    h = (Math.imul(h, 5) + 0xe6546b64) | 0
  }
  const tail = length & 3
  if (tail !== 0) {
    let k = 0
    if (tail === 3) k ^= buf[i + 2]! << 16
    if (tail >= 2) k ^= buf[i + 1]! << 8
    k ^= buf[i]!
    k = Math.imul(k, C1)
    k = (k << 15) | (k >>> 17)
    k = Math.imul(k, C2)
    h ^= k
  }
  return fmix32(h ^ length)
}

/** MurmurHash3's finaliser: every input bit affects every output bit. Unsigned result. */
export function fmix32(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** The probe step for a key with filter hash h: odd, so never 0. */
export function filterDelta(h: number): number {
  return (fmix32(h ^ FILTER_DELTA_XOR) | 1) >>> 0
}

/** The hash the SSTable filter stores: murmur3 with {@link FILTER_HASH_SEED}. */
export function filterHash(buf: Uint8Array, start: number, end: number): number {
  return murmur3(buf, start, end, FILTER_HASH_SEED)
}
