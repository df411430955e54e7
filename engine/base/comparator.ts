// Comparators: how keys order. The bytewise one orders user keys; the internal-key one orders
// the keys the memtable and SSTables hold (user key ascending, then sequence descending).
// Every compare in the engine goes through one of these two. Compare methods take ranges, so
// hot loops compare keys held in reused buffers without slicing them.
import { compareRange } from './bytes.js'
import { getFixed32 } from './coding.js'
import { TRAILER_SIZE } from './internal-key.js'

export interface Comparator {
  /** Recorded in the MANIFEST; a database opened with another comparator is refused. */
  readonly name: string
  /** Orders a[aStart, aEnd) against b[bStart, bEnd): negative, 0 or positive. */
  compareRange(a: Uint8Array, aStart: number, aEnd: number, b: Uint8Array, bStart: number, bEnd: number): number
  compare(a: Uint8Array, b: Uint8Array): number
  /**
   * A short key k with start <= k, and k < limit where start < limit. Used for index-block
   * separators. May return `start` itself. The result is a new array or `start`.
   */
  findShortestSeparator(start: Uint8Array, limit: Uint8Array): Uint8Array
  /** A short key k >= key. May return `key` itself. */
  findShortSuccessor(key: Uint8Array): Uint8Array
  /**
   * Set when keys order bytewise but for a fixed trailer: 0 for plain bytewise keys,
   * TRAILER_SIZE for internal keys over bytewise user keys (equal leading bytes, then the
   * trailer descending). Searches use it to skip the bytes a key is known to share with the
   * target (engine/sstable/block-iter.ts); undefined means only compareRange may be used.
   */
  readonly bytewiseTrailer?: number
}

/** Keys as plain bytes, like memcmp, the shorter first on a tie. */
export const bytewiseComparator: Comparator = Object.freeze({
  name: 'leveldb.BytewiseComparator',
  bytewiseTrailer: 0,
  compareRange,
  compare(a: Uint8Array, b: Uint8Array): number {
    return compareRange(a, 0, a.length, b, 0, b.length)
  },
  findShortestSeparator(start: Uint8Array, limit: Uint8Array): Uint8Array {
    const n = Math.min(start.length, limit.length)
    let i = 0
    while (i < n && start[i] === limit[i]) i++
    if (i >= n) return start // one is a prefix of the other
    const byte = start[i]!
    if (byte < 0xff && byte + 1 < limit[i]!) {
      const out = start.slice(0, i + 1)
      out[i] = byte + 1
      return out
    }
    return start
  },
  findShortSuccessor(key: Uint8Array): Uint8Array {
    for (let i = 0; i < key.length; i++) {
      if (key[i] !== 0xff) {
        const out = key.slice(0, i + 1)
        out[i] = key[i]! + 1
        return out
      }
    }
    return key
  },
})

/**
 * Internal keys: user key, then an 8-byte trailer (sequence << 8 | kind, little-endian).
 * Order: user key ascending by `user`, then trailer descending, so the newest version of a
 * key comes first. REQUIRES: every key compared is at least TRAILER_SIZE bytes.
 */
export function internalKeyComparator(user: Comparator): Comparator {
  const compareInternal = (a: Uint8Array, aStart: number, aEnd: number, b: Uint8Array, bStart: number, bEnd: number): number => {
    const c = user.compareRange(a, aStart, aEnd - TRAILER_SIZE, b, bStart, bEnd - TRAILER_SIZE)
    if (c !== 0) return c
    const aHi = getFixed32(a, aEnd - 4)
    const bHi = getFixed32(b, bEnd - 4)
    if (aHi !== bHi) return bHi - aHi
    return getFixed32(b, bEnd - 8) - getFixed32(a, aEnd - 8)
  }
  return Object.freeze({
    name: 'stratadb.InternalKeyComparator:' + user.name,
    ...(user.bytewiseTrailer === 0 ? { bytewiseTrailer: TRAILER_SIZE } : {}),
    compareRange: compareInternal,
    compare(a: Uint8Array, b: Uint8Array): number {
      return compareInternal(a, 0, a.length, b, 0, b.length)
    },
    findShortestSeparator(start: Uint8Array, limit: Uint8Array): Uint8Array {
      const userStart = start.subarray(0, start.length - TRAILER_SIZE)
      const userLimit = limit.subarray(0, limit.length - TRAILER_SIZE)
      const sep = user.findShortestSeparator(userStart, userLimit)
      if (sep.length < userStart.length && user.compare(userStart, sep) < 0) {
        return withMaxTrailer(sep)
      }
      return start
    },
    findShortSuccessor(key: Uint8Array): Uint8Array {
      const userKey = key.subarray(0, key.length - TRAILER_SIZE)
      const succ = user.findShortSuccessor(userKey)
      if (succ.length < userKey.length && user.compare(userKey, succ) < 0) return withMaxTrailer(succ)
      return key
    },
  })
}

/** The user key followed by the largest trailer (all 0xff), which sorts before every real one. */
function withMaxTrailer(userKey: Uint8Array): Uint8Array {
  const out = new Uint8Array(userKey.length + TRAILER_SIZE)
  out.set(userKey)
  out.fill(0xff, userKey.length)
  return out
}

/** Where compareFrom leaves the length of the compared keys' common leading part. */
export interface CommonPrefix {
  lcp: number
}

/**
 * Orders a[aStart, aEnd) against b[bStart, bEnd) for a comparator whose `bytewiseTrailer` is
 * `trailer` (0 or TRAILER_SIZE), given that the keys' leading (non-trailer) parts agree on
 * their first `from` bytes, which are not compared again. Sets out.lcp to the length of the
 * leading parts' common prefix. REQUIRES: both keys are at least `trailer` bytes.
 */
export function compareFrom(
  trailer: number,
  a: Uint8Array, aStart: number, aEnd: number,
  b: Uint8Array, bStart: number, bEnd: number,
  from: number, out: CommonPrefix,
): number {
  const aLen = aEnd - aStart - trailer
  const bLen = bEnd - bStart - trailer
  const n = aLen < bLen ? aLen : bLen
  let i = from < n ? from : n
  while (i < n && a[aStart + i] === b[bStart + i]) i++
  out.lcp = i
  if (i < n) return a[aStart + i]! - b[bStart + i]!
  if (aLen !== bLen || trailer === 0) return aLen - bLen
  // Equal user keys: the trailers order descending (newest sequence first).
  const aHi = getFixed32(a, aEnd - 4)
  const bHi = getFixed32(b, bEnd - 4)
  if (aHi !== bHi) return bHi - aHi
  return getFixed32(b, bEnd - 8) - getFixed32(a, aEnd - 8)
}
