// BlockIter: a cursor over one Block's entries (format-spec/sstable.md, "Blocks").
//
// No per-entry copies of values and no per-entry allocation: the current key is rebuilt in a
// reusable buffer (grown as needed) from the shared prefix and the stored suffix; value() is a
// view into the block. Seek binary-searches the restart points, comparing restart keys in place
// (they are stored whole), then scans forward. Any malformed entry or restart point throws
// CORRUPTION naming the file and the block; it is never taken for the end of the block.
//
// Views from key()/value() are valid until the next move, reset or close.
import type { Comparator } from '../base/comparator.js'
import { getVarint32, varint } from '../base/coding.js'
import type { InternalIterator } from '../base/internal-iterator.js'
import { Block } from './block.js'
import { copyInto } from './block-builder.js'

/** A block with no entries, for iterators not attached to one. Immutable. */
const EMPTY_BLOCK = new Block(new Uint8Array(4), '(none)', 0)

export class BlockIter implements InternalIterator {
  private block = EMPTY_BLOCK
  private data = EMPTY_BLOCK.data
  private limit = 0
  private current = 0
  private nextOffset = 0
  private restartIndex = 0
  private keyBuf = new Uint8Array(64)
  private keyLen = 0
  private valueStart = 0
  private valueEnd = 0
  private keyView: Uint8Array | undefined

  constructor(private readonly cmp: Comparator, block?: Block) {
    if (block !== undefined) this.reset(block)
  }

  /** Attaches the iterator to `block`, unpositioned. Keeps the key buffer. */
  reset(block: Block): void {
    this.block = block
    this.data = block.data
    this.limit = block.restartsOffset
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

  /** REQUIRES: valid(). */
  next(): void {
    this.parseNext()
  }

  /** REQUIRES: valid(). Re-scans from the restart point before the current entry. */
  prev(): void {
    const original = this.current
    while (this.block.restartPoint(this.restartIndex) >= original) {
      if (this.restartIndex === 0) return this.invalidate()
      this.restartIndex--
    }
    this.seekToRestart(this.restartIndex)
    do {
      if (!this.parseNext()) break
    } while (this.nextOffset < original)
    if (this.nextOffset !== original) throw this.block.damaged(original, 'entries do not chain from the restart point')
  }

  key(): Uint8Array {
    return (this.keyView ??= this.keyBuf.subarray(0, this.keyLen))
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
    this.keyLen = 0
    this.keyView = undefined
  }

  private seekToRestart(i: number): void {
    this.keyLen = 0
    this.restartIndex = i
    this.nextOffset = this.block.restartPoint(i)
  }

  /** Compares the key stored whole at restart point i with target, without copying it. */
  private compareRestartKey(i: number, target: Uint8Array): number {
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
    return this.cmp.compareRange(data, p, p + unshared, target, 0, target.length)
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
    copyInto(data, p, p + unshared, this.keyBuf, shared)
    this.keyLen = keyLength
    this.keyView = undefined
    this.current = at
    this.valueStart = p + unshared
    this.valueEnd = this.valueStart + valueLength
    this.nextOffset = this.valueEnd
    const block = this.block
    while (this.restartIndex + 1 < block.numRestarts && block.restartPoint(this.restartIndex + 1) <= at) {
      this.restartIndex++
    }
    return true
  }

  private growKey(need: number): void {
    const grown = new Uint8Array(Math.max(need, this.keyBuf.length * 2))
    grown.set(this.keyBuf.subarray(0, this.keyLen))
    this.keyBuf = grown
  }
}
