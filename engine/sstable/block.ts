// Block: one decoded (decompressed, checksum-verified) block, immutable and shareable between
// iterators and the block cache. Parsing the restart array is all it does up front; entries
// are decoded by BlockIter. Format: format-spec/sstable.md, "Blocks".
import { getFixed32 } from '../base/coding.js'
import { corruption } from '../errors.js'
import { RESTART_COUNT_SIZE, RESTART_ENTRY_SIZE } from './format.js'

/** Bytes a cached block costs beyond its contents (object headers, cache entry). */
const BLOCK_OVERHEAD = 96

export class Block {
  /** Where the entries end and the restart array begins. */
  readonly restartsOffset: number
  readonly numRestarts: number

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
