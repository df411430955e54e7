// Block: one decoded (decompressed, checksum-verified) block, immutable and shareable between
// iterators and the block cache. Parsing the restart array is all it does up front; entries
// are decoded by BlockIter. Format: format-spec/sstable.md, "Blocks".
import { getFixed32 } from '../base/coding.js'
import { corruption } from '../errors.js'
import type { BlockMemory } from './block-arena.js'
import { RESTART_COUNT_SIZE, RESTART_ENTRY_SIZE } from './format.js'

/** Bytes a cached block costs beyond its contents (object headers, cache entry). */
const BLOCK_OVERHEAD = 96

export class Block {
  /** Where the entries end and the restart array begins. */
  readonly restartsOffset: number
  readonly numRestarts: number
  /** Table iterators positioned on this block (block-arena.ts, "Reuse rule"). */
  private pins = 0
  /** Where the memory goes once the last pin is gone, after the cache retired the block. */
  private retiredTo: BlockMemory | undefined = undefined

  /**
   * Parses the restart array of `data`. Throws CORRUPTION naming `file` and the stored
   * block's `fileOffset` when the count or the first restart is impossible.
   */
  constructor(
    readonly data: Uint8Array,
    readonly file: string,
    readonly fileOffset: number,
  ) {
    const size = data.length
    if (size < RESTART_COUNT_SIZE) throw corruption(file, fileOffset, `block of ${size} bytes has no restart count`)
    const n = getFixed32(data, size - RESTART_COUNT_SIZE)
    const maxRestarts = Math.floor((size - RESTART_COUNT_SIZE) / RESTART_ENTRY_SIZE)
    if (n > maxRestarts) throw corruption(file, fileOffset, `block restart count ${n} exceeds its ${size} bytes`)
    this.numRestarts = n
    this.restartsOffset = size - RESTART_COUNT_SIZE - n * RESTART_ENTRY_SIZE
    if (n === 0 ? this.restartsOffset !== 0 : getFixed32(data, this.restartsOffset) !== 0) {
      throw corruption(file, fileOffset, 'block entries do not start at a restart point')
    }
  }

  /** A table iterator is positioned on the block: its memory stays until unpin. */
  pin(): void {
    this.pins++
  }

  /** Undoes one pin; the last one frees the memory of a retired block. */
  unpin(): void {
    if (--this.pins === 0 && this.retiredTo !== undefined) {
      this.retiredTo.free(this.data)
      this.retiredTo = undefined
    }
  }

  /** The cache dropped the block: its memory goes back to `memory` now, or at the last unpin. Once. */
  retire(memory: BlockMemory): void {
    if (this.pins === 0) memory.free(this.data)
    else this.retiredTo = memory
  }

  /** What the block costs in a cache, in bytes. */
  get charge(): number {
    return this.data.byteLength + BLOCK_OVERHEAD
  }

  /** Offset of restart point i (0 <= i < numRestarts); CORRUPTION if it lies outside the entries. */
  restartPoint(i: number): number {
    const offset = getFixed32(this.data, this.restartsOffset + i * RESTART_ENTRY_SIZE)
    if (offset >= this.restartsOffset) throw this.damaged(offset, `restart point ${i} lies outside the entries`)
    return offset
  }

  /** A CORRUPTION error for damage at byte `at` of the decoded contents. */
  damaged(at: number, what: string): Error {
    return corruption(this.file, this.fileOffset, `${what} (block byte ${at})`)
  }
}
