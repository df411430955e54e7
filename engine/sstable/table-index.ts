// TableIndex: a table's index block decoded once, when the table opens, into flat arrays, so
// that a point lookup or a seek finds its data block by a binary search over 32-bit words
// instead of decoding prefix-compressed index entries at every step. The index block itself is
// format-spec/sstable.md, "Index block"; this is only its in-memory form.
//
// Each separator's word is the 4 bytes of its leading (non-trailer) part that follow the bytes
// every separator of the table shares, big-endian, zero-padded past the end of the key. Words
// order like the keys they come from wherever they differ; where they are equal the keys are
// compared in full from the shared bytes on. The last separator is left out of the words and
// compared in full: it is the short successor of the table's largest key ("1" after keys that
// all start "000..."), so it would leave the others nothing in common. Comparators that do not
// order bytewise (no `bytewiseTrailer`) are searched by full compares.
import { copyRange } from '../base/bytes.js'
import { compareFrom, type CommonPrefix, type Comparator } from '../base/comparator.js'
import { corruption } from '../errors.js'
import type { Block } from './block.js'
import { BlockIter } from './block-iter.js'
import { type BlockHandle, getHandle } from './format.js'

export class TableIndex {
  /** Data blocks (index entries). */
  readonly count: number
  /** Stored offset and size of data block i. */
  readonly offsets: Float64Array
  readonly sizes: Float64Array
  /** Separator i is keys[ends[i - 1] (0 for i = 0), ends[i]). */
  private readonly keys: Uint8Array
  private readonly ends: Int32Array
  private readonly words: Uint32Array
  /** Leading bytes every separator shares (0 where the comparator is not bytewise). */
  private readonly shared: number
  /** cmp.bytewiseTrailer, or -1. */
  private readonly trailer: number
  private readonly lcp: CommonPrefix = { lcp: 0 }

  private constructor(private readonly cmp: Comparator, keys: Uint8Array, ends: Int32Array, offsets: Float64Array, sizes: Float64Array) {
    const count = ends.length
    this.count = count
    this.keys = keys
    this.ends = ends
    this.offsets = offsets
    this.sizes = sizes
    this.trailer = cmp.bytewiseTrailer ?? -1
    // Words for all separators but the last (see the header).
    const m = count > 0 ? count - 1 : 0
    this.words = new Uint32Array(m)
    let shared = 0
    if (this.trailer >= 0 && this.allHoldTrailer()) {
      if (m > 0) {
        const lastStart = this.start(m - 1)
        const firstLen = ends[0]! - this.trailer
        const lastLen = ends[m - 1]! - lastStart - this.trailer
        const n = Math.min(firstLen, lastLen)
        while (shared < n && keys[shared] === keys[lastStart + shared]) shared++
      }
      for (let i = 0; i < m; i++) this.words[i] = this.wordOf(keys, this.start(i), ends[i]! - this.trailer, shared)
    } else {
      this.trailer = -1
    }
    this.shared = shared
  }

  /** Decodes `block` (an index block); CORRUPTION naming `file` for a malformed block handle. */
  static decode(block: Block, cmp: Comparator): TableIndex {
    const it = new BlockIter(cmp, block)
    const handle: BlockHandle = { offset: 0, size: 0 }
    // Index blocks restart at every entry (one per restart point) and so store each key whole:
    // the restart count bounds the entries and the block's size bounds their key bytes.
    const max = block.numRestarts
    const ends = new Int32Array(max)
    const offsets = new Float64Array(max)
    const sizes = new Float64Array(max)
    let keys = new Uint8Array(block.data.length)
    let used = 0
    let n = 0
    for (it.seekToFirst(); it.valid(); it.next(), n++) {
      const end = it.valueLimit
      if (n === max || getHandle(it.blockData, it.valueOffset, end, handle) !== end) {
        throw corruption(block.file, block.fileOffset, `bad block handle in index entry (index byte ${it.valueOffset})`)
      }
      const length = it.keyLength
      if (used + length > keys.length) {
        const grown = new Uint8Array(Math.max(keys.length * 2, used + length))
        grown.set(keys.subarray(0, used))
        keys = grown
      }
      copyRange(it.keyBuffer, 0, length, keys, used)
      used += length
      ends[n] = used
      offsets[n] = handle.offset
      sizes[n] = handle.size
    }
    return new TableIndex(cmp, keys.slice(0, used), ends.slice(0, n), offsets.slice(0, n), sizes.slice(0, n))
  }

  /** The first entry whose separator is >= target, or count when there is none. */
  find(target: Uint8Array): number {
    const trailer = this.trailer
    if (trailer < 0 || target.length < trailer) return this.findByComparator(target)
    if (this.count === 0) return 0
    const keys = this.keys
    const shared = this.shared
    const targetLen = target.length - trailer
    // Against the bytes all separators but the last share, the target decides for all of them.
    const n = targetLen < shared ? targetLen : shared
    for (let i = 0; i < n; i++) {
      if (target[i] !== keys[i]) return target[i]! < keys[i]! ? 0 : this.lastOrEnd(target)
    }
    if (targetLen < shared) return 0
    const word = this.wordOf(target, 0, targetLen, shared)
    const words = this.words
    let lo = 0
    let hi = words.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const w = words[mid]!
      const c = w !== word ? w - word : compareFrom(trailer, keys, this.start(mid), this.ends[mid]!, target, 0, target.length, shared, this.lcp)
      if (c < 0) lo = mid + 1
      else hi = mid
    }
    return lo < words.length ? lo : this.lastOrEnd(target)
  }

  /** count - 1 if target <= the last separator, else count. REQUIRES: count > 0, trailer >= 0. */
  private lastOrEnd(target: Uint8Array): number {
    const last = this.count - 1
    const c = compareFrom(this.trailer, this.keys, this.start(last), this.ends[last]!, target, 0, target.length, 0, this.lcp)
    return c >= 0 ? last : this.count
  }

  /** Separator i, a view of memory the index keeps. REQUIRES: 0 <= i < count. */
  key(i: number): Uint8Array {
    return this.keys.subarray(this.start(i), this.ends[i]!)
  }

  /** Bytes of memory the index holds. */
  get charge(): number {
    return this.keys.byteLength + this.ends.byteLength + this.offsets.byteLength + this.sizes.byteLength + this.words.byteLength
  }

  private findByComparator(target: Uint8Array): number {
    let lo = 0
    let hi = this.count
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.cmp.compareRange(this.keys, this.start(mid), this.ends[mid]!, target, 0, target.length) < 0) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  private start(i: number): number {
    return i === 0 ? 0 : this.ends[i - 1]!
  }

  private allHoldTrailer(): boolean {
    for (let i = 0; i < this.count; i++) if (this.ends[i]! - this.start(i) < this.trailer) return false
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
