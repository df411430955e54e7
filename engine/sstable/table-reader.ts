// TableReader: an open SSTable. Opening reads and checks the footer, meta-index, properties,
// filter and index (all kept in memory; the index located into arrays on first use); data
// blocks are read on demand, checksum-verified, and shared through an optional block cache.
// Format: format-spec/sstable.md.
//
// A reader is used from one thread. seekEntry's results (foundKey/foundValue) are views valid
// until the next seekEntry; iterators are independent of each other and of seekEntry.
import { bytewiseComparator, type Comparator } from '../base/comparator.js'
import type { InternalIterator } from '../base/internal-iterator.js'
import { closed, corruption, invalidArgument } from '../errors.js'
import type { RandomAccessFile } from '../fs/fs.js'
import { Block } from './block.js'
import { type BlockArena, type BlockMemory, type BlockRecycler, heapMemory } from './block-arena.js'
import { BlockIter } from './block-iter.js'
import { type Readahead, type ReadScratch, readBlockContents } from './block-io.js'
import { bloomMayContain, bloomMayContainHash, checkFilter } from './bloom.js'
import { filterHash } from './hash.js'
import { decodeFooter } from './footer.js'
import { type BlockHandle, FOOTER_SIZE, getHandle, META_BLOOM_FILTER, META_PROPERTIES } from './format.js'
import { decodeProperties, type TableProperties } from './properties.js'
import { TableIndex } from './table-index.js'
import { TableIterator } from './table-iterator.js'
import { validateBlock } from './validate.js'

/**
 * Decoded blocks shared between readers, implemented by the cache layer. A reader takes its
 * table's slots when it opens and releases them when it closes. Blocks handed to `insert`
 * are verified and immutable; `charge` is bytes; insert returns whether the cache kept the
 * block.
 */
export interface BlockCache {
  table(fileNumber: number, blockCount: number): BlockSlots
}

/** One table's cached data blocks, by position in the table's index. */
export interface BlockSlots {
  get(i: number): Block | undefined
  insert(i: number, block: Block, charge: number): boolean
  release(): void
}

export interface TableReaderOptions {
  readonly comparator: Comparator
  /** Must equal the builder's (recorded in the properties); else INVALID_ARGUMENT at open. */
  readonly filterSuffixLength: number
  /** The table's file number: its key in the block cache. */
  readonly fileNumber: number
  readonly blockCache?: BlockCache
  /**
   * Checksums of blocks read from disk are always verified. When true, each data block is also
   * fully decoded and its key order checked once when it is read (paranoid mode).
   */
  readonly verifyChecksums: boolean
  /** A buffer reads of single blocks go through (one per database); default: a fresh buffer per read. */
  readonly readScratch?: ReadScratch
  /**
   * Memory for the data blocks this reader puts in `blockCache` (one per database, given only
   * with a cache whose evictions free the blocks' memory to it); default: fresh buffers.
   */
  readonly blockArena?: BlockArena
}

/** An open table: point lookups (seekEntry), iterators, properties. See the file comment. */
export class TableReader {
  private readonly index: Block
  private decodedIndex: TableIndex | undefined = undefined
  private readonly filter: Uint8Array | undefined
  private readonly blocksEnd: number
  private readonly seekData: BlockIter
  private readonly cached: BlockSlots | undefined
  private isClosed = false

  private constructor(
    private readonly file: RandomAccessFile,
    readonly fileName: string,
    private readonly options: TableReaderOptions,
    readonly properties: TableProperties,
    index: Block,
    filter: Uint8Array | undefined,
  ) {
    this.index = index
    this.filter = filter
    this.blocksEnd = file.size - FOOTER_SIZE
    this.seekData = new BlockIter(options.comparator)
    // Index blocks restart at every entry, so the restart count is the number of data blocks.
    this.cached = options.blockCache?.table(options.fileNumber, index.numRestarts)
  }

  /**
   * The index block located into arrays (TableIndex), for finding data blocks. Made on first
   * use, not at open: a lookup the filter excludes never needs it (33 tables opened cold for
   * 10,000 gets of missing keys spent 13 of ~90 ms decoding indexes). CORRUPTION for a
   * malformed entry.
   */
  get blocks(): TableIndex {
    return (this.decodedIndex ??= TableIndex.decode(this.index, this.options.comparator))
  }

  /**
   * Opens the table in `file`, which the reader owns once open returns (close() closes it;
   * if open throws, the caller still owns and closes it). Throws
   * CORRUPTION for any damage to the footer, meta-index, properties, filter or index;
   * INVALID_ARGUMENT when the comparator or filterSuffixLength differs from the builder's.
   */
  static open(file: RandomAccessFile, fileName: string, options: TableReaderOptions): TableReader {
    const size = file.size
    if (size < FOOTER_SIZE) throw corruption(fileName, 0, `file of ${size} bytes is too short for an SSTable`)
    const footerAt = size - FOOTER_SIZE
    const footerBuf = new Uint8Array(FOOTER_SIZE)
    if (file.read(footerAt, FOOTER_SIZE, footerBuf, 0) !== FOOTER_SIZE) throw corruption(fileName, footerAt, 'short read of footer')
    const footer = decodeFooter(footerBuf, fileName, footerAt)
    const load = (h: BlockHandle): Block =>
      new Block(readBlockContents(file, fileName, h.offset, h.size, footerAt), fileName, h.offset)
    const meta = load(footer.metaindex)
    const handles = readMetaIndex(meta)
    const propertiesHandle = handles.get(META_PROPERTIES)
    if (propertiesHandle === undefined) throw corruption(fileName, meta.fileOffset, 'meta-index has no properties block')
    const properties = decodeProperties(load(propertiesHandle))
    if (properties.comparatorName !== options.comparator.name) {
      throw invalidArgument(`${fileName}: table uses comparator ${properties.comparatorName}, not ${options.comparator.name}`)
    }
    if (properties.filterSuffixLength !== options.filterSuffixLength) {
      throw invalidArgument(`${fileName}: table filters keys minus ${properties.filterSuffixLength} bytes, not ${options.filterSuffixLength}`)
    }
    let filter: Uint8Array | undefined
    const filterHandle = handles.get(META_BLOOM_FILTER)
    if (filterHandle !== undefined) {
      filter = readBlockContents(file, fileName, filterHandle.offset, filterHandle.size, footerAt)
      const bad = checkFilter(filter)
      if (bad !== undefined) throw corruption(fileName, filterHandle.offset, bad)
    }
    const index = load(footer.index)
    return new TableReader(file, fileName, options, properties, index, filter)
  }

  /** The comparator the table orders keys by. */
  get comparator(): Comparator {
    return this.options.comparator
  }

  /** The index block (kept in memory). */
  get indexBlock(): Block {
    return this.index
  }

  /** False when the filter proves no key's filter part equals key[start, end). */
  mayContain(key: Uint8Array, start: number, end: number): boolean {
    return this.filter === undefined || bloomMayContain(this.filter, key, start, end)
  }

  /**
   * Point lookup: positions at the first entry with key >= target. False when there is none,
   * or when the filter excludes target's filter part (target minus filterSuffixLength bytes).
   * `hash`, when given, is filterHash of that part (so a lookup through many tables hashes once).
   */
  seekEntry(target: Uint8Array, hash?: number): boolean {
    if (this.isClosed) throw closed('table reader')
    if (this.filter !== undefined) {
      if (hash === undefined) {
        const suffix = this.options.filterSuffixLength
        hash = filterHash(target, 0, target.length > suffix ? target.length - suffix : 0)
      }
      if (!bloomMayContainHash(this.filter, hash)) return false
    }
    const data = this.seekData
    const blocks = this.blocks
    const count = blocks.count
    for (let i = blocks.find(target); i < count; i++) {
      data.reset(this.dataBlock(i))
      data.seek(target)
      if (data.valid()) return true
    }
    data.close()
    return false
  }

  /** The key seekEntry found: a view valid until the next seekEntry. REQUIRES: it returned true. */
  foundKey(): Uint8Array {
    return this.seekData.key()
  }

  /** The value seekEntry found: a view valid until the next seekEntry. REQUIRES: it returned true. */
  foundValue(): Uint8Array {
    return this.seekData.value()
  }

  /**
   * What seekEntry found, for reads that must not allocate: keyBuffer[0, keyLength) is the key,
   * blockData[valueOffset, valueLimit) the value. Valid until the next seekEntry.
   */
  get found(): BlockIter {
    return this.seekData
  }

  /**
   * A two-level iterator over the whole table (starts unpositioned). With `recycler` and no
   * block cache, the blocks it reads live in the recycler's memory and go back to it as the
   * iterator leaves them: only for a consumer done with each entry's bytes before the next move.
   */
  iterator(recycler?: BlockRecycler): TableIterator {
    if (this.isClosed) throw closed('table reader')
    return new TableIterator(this, this.cached === undefined ? recycler : undefined)
  }

  /**
   * Data block i of the index: from the cache if there, else read, checksum-verified (and
   * fully validated when verifyChecksums) and cached. REQUIRES: 0 <= i < blocks.count.
   */
  dataBlock(i: number, readahead?: Readahead, uncachedMemory: BlockMemory = heapMemory): Block {
    const cache = this.cached
    const hit = cache?.get(i)
    if (hit !== undefined) return hit
    const blocks = this.blocks
    const offset = blocks.offset(i)
    const size = blocks.size(i)
    if (cache === undefined) return this.readDataBlock(offset, size, readahead, uncachedMemory)
    const arena = this.options.blockArena
    let block = this.readDataBlock(offset, size, readahead, arena ?? heapMemory)
    if (!cache.insert(i, block, block.charge) && arena !== undefined) {
      // Not cached, so nothing will free it: move it out of the arena before anyone sees it.
      const data = block.data
      block = new Block(Buffer.from(data), this.fileName, offset)
      arena.free(data)
    }
    return block
  }

  /** The data block at (offset, size) read from disk, never from the cache (verification). */
  uncachedBlock(offset: number, size: number): Block {
    return this.readDataBlock(offset, size, undefined, heapMemory)
  }

  /** The block itself from disk, in `memory` (freed again if it proves damaged). */
  private readDataBlock(offset: number, size: number, readahead: Readahead | undefined, memory: BlockMemory): Block {
    if (this.isClosed) throw closed('table reader')
    const source = readahead ?? this.options.readScratch
    const data = readBlockContents(this.file, this.fileName, offset, size, this.blocksEnd, source, memory)
    try {
      const block = new Block(data, this.fileName, offset)
      if (this.options.verifyChecksums) validateBlock(block, this.options.comparator)
      return block
    } catch (err) {
      memory.free(data)
      throw err
    }
  }

  /** Closes the file. Idempotent. REQUIRES: no iterator of this reader is used afterwards. */
  close(): void {
    if (this.isClosed) return
    this.isClosed = true
    this.cached?.release()
    this.file.close()
  }
}

/** The meta-index block's name -> handle map. */
function readMetaIndex(meta: Block): Map<string, BlockHandle> {
  const handles = new Map<string, BlockHandle>()
  const it = new BlockIter(bytewiseComparator, meta)
  for (it.seekToFirst(); it.valid(); it.next()) {
    const h: BlockHandle = { offset: 0, size: 0 }
    const v = it.value()
    if (getHandle(v, 0, v.length, h) !== v.length) throw corruption(meta.file, meta.fileOffset, 'bad block handle in meta-index')
    handles.set(Buffer.from(it.key()).toString('latin1'), h)
  }
  return handles
}
