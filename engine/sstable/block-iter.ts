// BlockIter: a cursor over one Block's entries (format-spec/sstable.md, "Blocks").
//
// No per-entry copies of values and no per-entry allocation: the current key is rebuilt in a
// reusable buffer (grown as needed) from the shared prefix and the stored suffix; value() is a
// view into the block. Seek binary-searches the restart points, comparing restart keys in place
// (they are stored whole), then scans forward. Any malformed entry or restart point throws
// CORRUPTION naming the file and the block; it is never taken for the end of the block.
//
// Views from key()/value() are valid until the next move, reset or close.
//
// Backward steps: an entry can only be decoded from the restart point before it, so prev()
// re-scans that run of entries; the scan keeps what it decoded (each entry's offsets and key)
// so the following prev() calls within the same run restore an entry instead of re-scanning
// (a reverse scan would otherwise decode each entry restartInterval / 2 times on average).
import { compareFrom, type CommonPrefix, type Comparator } from '../base/comparator.js'
import { copyRange } from '../base/bytes.js'
import { getVarint32, varint } from '../base/coding.js'
import type { InternalIterator } from '../base/internal-iterator.js'
import { Block } from './block.js'

/** Int32 fields per entry of a prev() run (see BlockIter.remember). */
const RUN_FIELDS = 6

/** The empty run an iterator starts with (never written: remember() grows it first). */
const NO_RUN_INFO = new Int32Array(0)
const NO_RUN_KEYS = new Uint8Array(0)

/** A block with no entries, for iterators not attached to one. Immutable. */
const EMPTY_BLOCK = new Block(new Uint8Array(4), '(none)', 0)

export class BlockIter implements InternalIterator {
  private block = EMPTY_BLOCK
  private data = EMPTY_BLOCK.data
  private limit = 0
  private current = 0
  private nextOffset = 0
  private restartIndex = 0
  /** Offset of restart point restartIndex + 1, or limit when restartIndex is the last. */
  private nextRestart = 0
  private keyBuf = new Uint8Array(64)
  private keyLen = 0
  private valueStart = 0
  private valueEnd = 0
  private keyView: Uint8Array | undefined
  /** The run of entries the last prev() re-scan decoded (see the header), in block order. */
  private runBlock: Block | undefined
  private runCount = 0
  /** Per entry: offset, valueStart, valueEnd, keyLength, restartIndex, start of its key in runKeys. */
  private runInfo = NO_RUN_INFO // allocated by the first prev() re-scan (most iterators never step back)
  private runKeys = NO_RUN_KEYS
  /** cmp.bytewiseTrailer, or -1 when keys must be compared through cmp alone. */
  private readonly trailer: number
  /** Common leading bytes of the key and the target in the last compareFrom. */
  private readonly lcp: CommonPrefix = { lcp: 0 }
  /** Bytes the entry parseNext decoded last shares with the key before it. */
  private entryShared = 0
  /** Length of the key restartKeyAt found. */
  private restartKeyLength = 0

  constructor(private readonly cmp: Comparator, block?: Block) {
    this.trailer = cmp.bytewiseTrailer ?? -1
    if (block !== undefined) this.reset(block)
  }

  /** Attaches the iterator to `block`, unpositioned. Keeps the key buffer. */
  reset(block: Block): void {
    this.block = block
    this.data = block.data
    this.limit = block.restartsOffset
    this.runBlock = undefined
    this.invalidate()
  }

  valid(): boolean {
    return this.current < this.limit
  }

  seekToFirst(): void {
    if (this.block.numRestarts === 0) return this.invalidate()
    this.seekToRestart(0)
    this.parseNext()
  }

  seekToLast(): void {
    if (this.block.numRestarts === 0) return this.invalidate()
    this.seekToRestart(this.block.numRestarts - 1)
    if (!this.parseNext()) return
    while (this.nextOffset < this.limit) this.parseNext()
  }

  seek(target: Uint8Array): void {
    const n = this.block.numRestarts
    if (n === 0) return this.invalidate()
    if (this.trailer < 0) return this.seekByComparator(target, n)
    // Keys order bytewise but for the trailer, so each compare can start where the key is known
    // to agree with the target. Restart keys between two compared ones share with the target at
    // least the shorter of those two keys' common prefixes with it; an entry decoded after one
    // whose common prefix with the target was m shares min(m, its shared bytes) with it.
    let left = 0
    let right = n - 1
    let lcpLeft = 0
    let lcpRight = 0
    while (left < right) {
      const mid = (left + right + 1) >>> 1
      if (this.compareRestartFrom(mid, target, lcpLeft < lcpRight ? lcpLeft : lcpRight) < 0) {
        left = mid
        lcpLeft = this.lcp.lcp
      } else {
        right = mid - 1
        lcpRight = this.lcp.lcp
      }
    }
    this.seekToRestart(left)
    let matched = 0
    while (this.parseNext()) {
      const from = this.entryShared < matched ? this.entryShared : matched
      if (this.compareFrom(this.keyBuf, 0, this.keyLen, target, from) >= 0) return
      matched = this.lcp.lcp
    }
  }

  /** seek for comparators that are not bytewise: every compare from the first byte. */
  private seekByComparator(target: Uint8Array, n: number): void {
    // Find the last restart point whose key is < target (or the first one).
    let left = 0
    let right = n - 1
    while (left < right) {
      const mid = (left + right + 1) >>> 1
      if (this.compareRestartKey(mid, target) < 0) left = mid
      else right = mid - 1
    }
    this.seekToRestart(left)
    while (this.parseNext()) {
      if (this.cmp.compareRange(this.keyBuf, 0, this.keyLen, target, 0, target.length) >= 0) return
    }
  }

  /**
   * Orders the key a[start, end) against target given that their leading (non-trailer) parts
   * agree on `from` bytes; sets lcp. REQUIRES: trailer >= 0.
   */
  private compareFrom(a: Uint8Array, start: number, end: number, target: Uint8Array, from: number): number {
    const trailer = this.trailer
    if (end - start < trailer || target.length < trailer) {
      this.lcp.lcp = 0 // not an internal key: only possible in a damaged block
      return this.cmp.compareRange(a, start, end, target, 0, target.length)
    }
    return compareFrom(trailer, a, start, end, target, 0, target.length, from, this.lcp)
  }

  /** REQUIRES: valid(). */
  next(): void {
    this.parseNext()
  }

  /**
   * REQUIRES: valid(). Moves to the entry before the current one: from the run the last
   * re-scan decoded if it holds it, else by re-scanning from the restart point before.
   */
  prev(): void {
    const original = this.current
    if (this.runBlock === this.block && this.restoreBefore(original)) return
    while (this.block.restartPoint(this.restartIndex) >= original) {
      if (this.restartIndex === 0) return this.invalidate()
      this.restartIndex--
    }
    this.seekToRestart(this.restartIndex)
    this.runBlock = this.block
    this.runCount = 0
    let keysUsed = 0
    do {
      if (!this.parseNext()) break
      keysUsed = this.remember(keysUsed)
    } while (this.nextOffset < original)
    if (this.nextOffset !== original) {
      this.runBlock = undefined
      throw this.block.damaged(original, 'entries do not chain from the restart point')
    }
  }

  /** Records the entry just parsed as the next of the run; returns the key bytes used. */
  private remember(keysUsed: number): number {
    const n = this.runCount
    if ((n + 1) * RUN_FIELDS > this.runInfo.length) {
      const grown = new Int32Array(Math.max(16 * RUN_FIELDS, this.runInfo.length * 2))
      grown.set(this.runInfo)
      this.runInfo = grown
    }
    const len = this.keyLen
    if (keysUsed + len > this.runKeys.length) {
      const grown = new Uint8Array(Math.max(256, this.runKeys.length * 2, keysUsed + len))
      grown.set(this.runKeys.subarray(0, keysUsed))
      this.runKeys = grown
    }
    copyRange(this.keyBuf, 0, len, this.runKeys, keysUsed)
    const info = this.runInfo
    const at = n * RUN_FIELDS
    info[at] = this.current
    info[at + 1] = this.valueStart
    info[at + 2] = this.valueEnd
    info[at + 3] = len
    info[at + 4] = this.restartIndex
    info[at + 5] = keysUsed
    this.runCount = n + 1
    return keysUsed + len
  }

  /** Restores the run's entry just before the one at `offset`, if the run holds both. */
  private restoreBefore(offset: number): boolean {
    const info = this.runInfo
    for (let i = this.runCount - 1; i > 0; i--) {
      if (info[i * RUN_FIELDS] !== offset) continue
      const at = (i - 1) * RUN_FIELDS
      const len = info[at + 3]!
      if (len > this.keyBuf.length) this.growKey(len)
      const keyStart = info[at + 5]!
      copyRange(this.runKeys, keyStart, keyStart + len, this.keyBuf, 0)
      this.keyLen = len
      this.current = info[at]!
      this.valueStart = info[at + 1]!
      this.valueEnd = info[at + 2]!
      this.nextOffset = this.valueEnd
      this.setRestart(info[at + 4]!)
      return true
    }
    return false
  }

  key(): Uint8Array {
    // One view serves every entry of the same key length (it aliases keyBuf either way).
    const view = this.keyView
    if (view !== undefined && view.length === this.keyLen) return view
    return (this.keyView = this.keyBuf.subarray(0, this.keyLen))
  }

  value(): Uint8Array {
    return this.data.subarray(this.valueStart, this.valueEnd)
  }

  /** The buffer holding the current key in [0, keyLength): for compares without a view. */
  get keyBuffer(): Uint8Array {
    return this.keyBuf
  }

  get keyLength(): number {
    return this.keyLen
  }

  /** The current value is blockData[valueOffset, valueLimit). */
  get blockData(): Uint8Array {
    return this.data
  }

  get valueOffset(): number {
    return this.valueStart
  }

  get valueLimit(): number {
    return this.valueEnd
  }

  close(): void {
    this.reset(EMPTY_BLOCK)
  }

  private invalidate(): void {
    this.current = this.limit
    this.nextOffset = this.limit
    this.restartIndex = this.block.numRestarts
    this.nextRestart = this.limit
    this.keyLen = 0
    this.keyView = undefined
  }

  private seekToRestart(i: number): void {
    this.keyLen = 0
    this.setRestart(i)
    this.nextOffset = this.block.restartPoint(i)
  }

  private setRestart(i: number): void {
    this.restartIndex = i
    this.nextRestart = i + 1 < this.block.numRestarts ? this.block.restartPoint(i + 1) : this.limit
  }

  /** Compares the key stored whole at restart point i with target, without copying it. */
  private compareRestartKey(i: number, target: Uint8Array): number {
    const p = this.restartKeyAt(i)
    return this.cmp.compareRange(this.data, p, p + this.restartKeyLength, target, 0, target.length)
  }

  /** compareFrom for the key stored whole at restart point i. */
  private compareRestartFrom(i: number, target: Uint8Array, from: number): number {
    const p = this.restartKeyAt(i)
    return this.compareFrom(this.data, p, p + this.restartKeyLength, target, from)
  }

  /** Where the key stored whole at restart point i starts; its length goes to restartKeyLength. */
  private restartKeyAt(i: number): number {
    const data = this.data
    const limit = this.limit
    const at = this.block.restartPoint(i)
    let p: number
    let unshared: number
    if (at + 3 <= limit && data[at] === 0 && (data[at + 1]! | data[at + 2]!) < 0x80) {
      unshared = data[at + 1]! // fast path: shared = 0 and one-byte lengths
      p = at + 3
    } else {
      p = getVarint32(data, at, limit)
      if (p < 0 || varint.value !== 0) throw this.block.damaged(at, 'bad entry at a restart point')
      p = getVarint32(data, p, limit)
      unshared = varint.value
      if (p >= 0) p = getVarint32(data, p, limit)
      if (p < 0) throw this.block.damaged(at, 'bad entry at a restart point')
    }
    if (p + unshared > limit) throw this.block.damaged(at, 'bad entry at a restart point')
    this.restartKeyLength = unshared
    return p
  }

  /** Decodes the entry at nextOffset. False (and invalid) at the end of the entries. */
  private parseNext(): boolean {
    const data = this.data
    const limit = this.limit
    const at = this.nextOffset
    if (at >= limit) {
      this.invalidate()
      return false
    }
    let p: number
    let shared: number
    let unshared: number
    let valueLength: number
    if (at + 3 <= limit && (data[at]! | data[at + 1]! | data[at + 2]!) < 0x80) {
      shared = data[at]! // fast path: three one-byte varints
      unshared = data[at + 1]!
      valueLength = data[at + 2]!
      p = at + 3
    } else {
      p = getVarint32(data, at, limit)
      shared = varint.value
      if (p >= 0) p = getVarint32(data, p, limit)
      unshared = varint.value
      if (p >= 0) p = getVarint32(data, p, limit)
      valueLength = varint.value
    }
    if (p < 0 || shared > this.keyLen || p + unshared + valueLength > limit) {
      throw this.block.damaged(at, 'bad block entry')
    }
    const keyLength = shared + unshared
    if (keyLength > this.keyBuf.length) this.growKey(keyLength)
    const keyBuf = this.keyBuf
    for (let i = 0; i < unshared; i++) keyBuf[shared + i] = data[p + i]!
    this.keyLen = keyLength
    this.entryShared = shared
    this.current = at
    this.valueStart = p + unshared
    this.valueEnd = this.valueStart + valueLength
    this.nextOffset = this.valueEnd
    while (this.nextRestart <= at) this.setRestart(this.restartIndex + 1)
    return true
  }

  private growKey(need: number): void {
    const grown = new Uint8Array(Math.max(need, this.keyBuf.length * 2))
    grown.set(this.keyBuf.subarray(0, this.keyLen))
    this.keyBuf = grown
    this.keyView = undefined
  }
}
