// TableIterator: the two-level iterator over a table: a position in the table's index (its
// TableIndex) picks the data block, a cursor walks inside it. Empty data blocks are skipped in both
// directions. Implements InternalIterator (engine/base/internal-iterator.ts).
//
// The iterator holds one data block at a time (from the cache, or read from disk) and pins it
// (Block.pin), so the block's memory is not reused while the iterator is on it, even after
// the cache evicts it (block-arena.ts, "Reuse rule"). Views from key()/value() are valid until
// the next move or close.
import type { EntryRanges, EntrySpan, InternalIterator } from '../base/internal-iterator.js'
import { closed } from '../errors.js'
import { Readahead } from './block-io.js'
import type { BlockRecycler } from './block-arena.js'
import type { Block } from './block.js'
import { BlockIter } from './block-iter.js'
import type { TableIndex } from './table-index.js'
import type { TableReader } from './table-reader.js'

export class TableIterator implements InternalIterator, EntryRanges {
  readonly hasEntryRanges = true
  private readonly index: TableIndex
  /** The index entry whose data block `data` walks; -1 or index.count past either end. */
  private position = -1
  private readonly data: BlockIter
  /** Index entry of the block `data` is attached to; -1 when none. */
  private dataIndex = -1
  /** The block `data` walks, pinned; undefined when none. */
  private block: Block | undefined = undefined
  private isClosed = false
  /**
   * Set once the scan has crossed into a neighbouring block twice since its last seek: point
   * lookups and short seeks (seekrandom reads 10 entries) never read ahead.
   */
  private readahead: Readahead | undefined
  private crossings = 0

  /** @param recycler where uncached blocks are read, each retired to it once loaded (TableReader.iterator). */
  constructor(private readonly reader: TableReader, private readonly recycler?: BlockRecycler) {
    this.index = reader.blocks
    this.data = new BlockIter(reader.comparator)
  }

  valid(): boolean {
    return this.dataIndex >= 0 && this.data.valid()
  }

  seekToFirst(): void {
    this.checkOpen()
    this.crossings = 0
    this.position = 0
    if (this.loadBlock()) this.data.seekToFirst()
    this.skipEmptyForward()
  }

  seekToLast(): void {
    this.checkOpen()
    this.crossings = 0
    this.position = this.index.count - 1
    if (this.loadBlock()) this.data.seekToLast()
    this.skipEmptyBackward()
  }

  seek(target: Uint8Array): void {
    this.checkOpen()
    this.crossings = 0
    this.position = this.index.find(target)
    if (this.loadBlock()) this.data.seek(target)
    this.skipEmptyForward()
  }

  /** REQUIRES: valid(). */
  next(): void {
    this.data.next()
    this.skipEmptyForward()
  }

  /** REQUIRES: valid(). */
  prev(): void {
    this.data.prev()
    this.skipEmptyBackward()
  }

  key(): Uint8Array {
    return this.data.key()
  }

  value(): Uint8Array {
    return this.data.value()
  }

  entryRanges(out: EntrySpan): void {
    const data = this.data
    out.keyBuffer = data.keyBuffer
    out.keyStart = 0
    out.keyEnd = data.keyLength
    out.valueBuffer = data.blockData
    out.valueStart = data.valueOffset
    out.valueEnd = data.valueLimit
  }

  close(): void {
    if (this.isClosed) return
    this.isClosed = true
    this.dataIndex = -1
    this.data.close()
    this.attach(undefined)
  }

  private checkOpen(): void {
    if (this.isClosed) throw closed('table iterator')
  }

  /** Attaches `data` to the block the index points at; false (detached) past either end. */
  private loadBlock(): boolean {
    const i = this.position
    if (i < 0 || i >= this.index.count) {
      this.dataIndex = -1
      this.data.close()
      this.attach(undefined)
      return false
    }
    if (i !== this.dataIndex) {
      const block = this.reader.dataBlock(i, this.readahead, this.recycler)
      this.attach(block)
      // Not cached (the reader has no cache): the block's memory goes back at the unpin.
      if (this.recycler !== undefined) block.retire(this.recycler)
      this.data.reset(block)
      this.dataIndex = i
    }
    return true
  }

  /** Pins `block` (the new current one) and unpins the previous, in that order. */
  private attach(block: Block | undefined): void {
    block?.pin()
    this.block?.unpin()
    this.block = block
  }

  private skipEmptyForward(): void {
    while (this.dataIndex >= 0 && !this.data.valid()) {
      this.scanning(1)
      this.position++
      if (this.loadBlock()) this.data.seekToFirst()
    }
  }

  private skipEmptyBackward(): void {
    while (this.dataIndex >= 0 && !this.data.valid()) {
      this.scanning(-1)
      this.position--
      if (this.loadBlock()) this.data.seekToLast()
    }
  }

  /** The scan crosses into a neighbouring block: from now on, read ahead in its direction. */
  private scanning(direction: 1 | -1): void {
    if (++this.crossings < 2) return
    this.readahead ??= new Readahead()
    this.readahead.direction = direction
  }
}
