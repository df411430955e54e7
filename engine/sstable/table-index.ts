// TableIndex: a table's index block located once, on first use, into flat arrays of where each
// separator lies in the block, so that a point lookup or a seek finds its data block by a
// binary search over 32-bit words instead of decoding index entries at every step. The index
// block itself is format-spec/sstable.md, "Index block"; this is only its in-memory form.
//
// Each separator's word is the 4 bytes of its leading (non-trailer) part that follow the bytes
// every separator of the table shares, big-endian, zero-padded past the end of the key. Words
// order like the keys they come from wherever they differ; where they are equal the keys are
// compared in full from the shared bytes on. The last separator is left out of the words and
// compared in full: it is the short successor of the table's largest key ("1" after keys that
// all start "000..."), so it would leave the others nothing in common. Comparators that do not
// order bytewise (no `bytewiseTrailer`) are searched by full compares.
import { getVarint32, varint } from '../base/coding.js'
import { compareFrom, type CommonPrefix, type Comparator } from '../base/comparator.js'
import { corruption } from '../errors.js'
import type { Block } from './block.js'
import { type BlockHandle, getHandle } from './format.js'

export class TableIndex {
  /** Data blocks (index entries). */
  readonly count: number
  /** The index block's bytes: separator i is data[starts[i], ends[i]), its handle follows it. */
  private readonly data: Uint8Array
  private readonly starts: Int32Array
  private readonly ends: Int32Array
  /** Data block i's stored offset and size, decoded from its handle on first use (-1 before). */
  private readonly offsets: Float64Array
  private readonly sizes: Float64Array
  private readonly words: Uint32Array
  /** Leading bytes every separator shares (0 where the comparator is not bytewise). */
  private readonly shared: number
  /** cmp.bytewiseTrailer, or -1. */
  private readonly trailer: number
  private readonly lcp: CommonPrefix = { lcp: 0 }
  private readonly handle: BlockHandle = { offset: 0, size: 0 }

  private constructor(private readonly cmp: Comparator, private readonly block: Block, starts: Int32Array, ends: Int32Array) {
    const count = ends.length
    const data = block.data
    this.count = count
    this.data = data
    this.starts = starts
    this.ends = ends
    this.offsets = new Float64Array(count).fill(-1)
    this.sizes = new Float64Array(count)
    this.trailer = cmp.bytewiseTrailer ?? -1
    // Words for all separators but the last (see the header).
    const m = count > 0 ? count - 1 : 0
    this.words = new Uint32Array(m)
    let shared = 0
    if (this.trailer >= 0 && this.allHoldTrailer()) {
      if (m > 0) {
        const first = starts[0]!
        const last = starts[m - 1]!
        const n = Math.min(ends[0]! - first, ends[m - 1]! - last) - this.trailer
        while (shared < n && data[first + shared] === data[last + shared]) shared++
      }
      for (let i = 0; i < m; i++) this.words[i] = this.wordOf(data, starts[i]!, ends[i]! - this.trailer, shared)
    } else {
      this.trailer = -1
    }
    this.shared = shared
  }

  /**
   * Indexes `block` (an index block) where it lies: each entry is a restart point (interval 1),
   * so the restart array locates every separator without decoding the entries before it, and
   * no key is copied. Handles are decoded when their block is first read. CORRUPTION naming
   * the block's file for an entry that is not whole, not at a restart point, or does not end
   * where the next begins.
   *
   * Why not decode every entry at open: a lookup needs one handle, and the lookups of a cold
   * database reach every table's index early (1M-key DB, 33 tables: decoding them whole cost
   * about 1 ms each in a fresh process, ~30 ms of a 200,000-get run of missing keys).
   */
  static decode(block: Block, cmp: Comparator): TableIndex {
    const data = block.data
    const count = block.numRestarts
    const starts = new Int32Array(count)
    const ends = new Int32Array(count)
    let next = count > 0 ? block.restartPoint(0) : 0
    for (let i = 0; i < count; i++) {
      const at = next
      next = i + 1 < count ? block.restartPoint(i + 1) : block.restartsOffset
      let p: number
      let keyLength: number
      let valueLength: number
      if (at + 3 <= next && data[at] === 0 && (data[at + 1]! | data[at + 2]!) < 0x80) {
        keyLength = data[at + 1]! // fast path: shared = 0 and one-byte lengths
        valueLength = data[at + 2]!
        p = at + 3
      } else {
        p = getVarint32(data, at, next)
        if (p < 0 || varint.value !== 0) throw badEntry(block, at)
        p = getVarint32(data, p, next)
        keyLength = varint.value
        if (p >= 0) p = getVarint32(data, p, next)
        valueLength = varint.value
        if (p < 0) throw badEntry(block, at)
      }
      if (p + keyLength + valueLength !== next) throw badEntry(block, at)
      starts[i] = p
      ends[i] = p + keyLength
    }
    return new TableIndex(cmp, block, starts, ends)
  }

  /** Stored offset of data block i. REQUIRES: 0 <= i < count. CORRUPTION for a bad handle. */
  offset(i: number): number {
    const o = this.offsets[i]!
    return o >= 0 ? o : this.decodeHandle(i)
  }

  /** Stored size of data block i (after offset(i) has decoded its handle). */
  size(i: number): number {
    if (this.offsets[i]! < 0) this.decodeHandle(i)
    return this.sizes[i]!
  }

  private decodeHandle(i: number): number {
    const h = this.handle
    const from = this.ends[i]!
    const end = i + 1 < this.count ? this.block.restartPoint(i + 1) : this.block.restartsOffset
    if (getHandle(this.data, from, end, h) !== end) {
      throw corruption(this.block.file, this.block.fileOffset, `bad block handle in index entry (index byte ${from})`)
    }
    this.sizes[i] = h.size
    this.offsets[i] = h.offset
    return h.offset
  }

  /** The first entry whose separator is >= target, or count when there is none. */
  find(target: Uint8Array): number {
    const trailer = this.trailer
    if (trailer < 0 || target.length < trailer) return this.findByComparator(target)
    if (this.count === 0) return 0
    const keys = this.data
    const shared = this.shared
    const targetLen = target.length - trailer
    // Against the bytes all separators but the last share, the target decides for all of them.
    const n = targetLen < shared ? targetLen : shared
    const first = this.starts[0]!
    for (let i = 0; i < n; i++) {
      const b = keys[first + i]!
      if (target[i] !== b) return target[i]! < b ? 0 : this.lastOrEnd(target)
    }
    if (targetLen < shared) return 0
    const word = this.wordOf(target, 0, targetLen, shared)
    const words = this.words
    let lo = 0
    let hi = words.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const w = words[mid]!
      const c = w !== word ? w - word : compareFrom(trailer, keys, this.starts[mid]!, this.ends[mid]!, target, 0, target.length, shared, this.lcp)
      if (c < 0) lo = mid + 1
      else hi = mid
    }
    return lo < words.length ? lo : this.lastOrEnd(target)
  }

  /** count - 1 if target <= the last separator, else count. REQUIRES: count > 0, trailer >= 0. */
  private lastOrEnd(target: Uint8Array): number {
    const last = this.count - 1
    const c = compareFrom(this.trailer, this.data, this.starts[last]!, this.ends[last]!, target, 0, target.length, 0, this.lcp)
    return c >= 0 ? last : this.count
  }

  /** Separator i, a view of memory the index keeps. REQUIRES: 0 <= i < count. */
  key(i: number): Uint8Array {
    return this.data.subarray(this.starts[i]!, this.ends[i]!)
  }

  private findByComparator(target: Uint8Array): number {
    let lo = 0
    let hi = this.count
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.cmp.compareRange(this.data, this.starts[mid]!, this.ends[mid]!, target, 0, target.length) < 0) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  private allHoldTrailer(): boolean {
    for (let i = 0; i < this.count; i++) if (this.ends[i]! - this.starts[i]! < this.trailer) return false
    return true
  }

  /** Bytes [from, from + 4) of buf[start, end), big-endian, zero past end. */
  private wordOf(buf: Uint8Array, start: number, end: number, from: number): number {
    let w = 0
    for (let i = 0; i < 4; i++) {
      const at = start + from + i
      w = w * 256 + (at < end ? buf[at]! : 0)
    }
    return w
  }
}

function badEntry(block: Block, at: number): Error {
  return block.damaged(at, 'bad index entry (each entry must be a whole restart point)')
}
