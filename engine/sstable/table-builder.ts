// TableBuilder: writes one SSTable from entries added in strictly increasing key order.
// Format: format-spec/sstable.md, "File layout".
//
//   table := data-block* filter-block? properties-block metaindex-block index-block footer
//
// Blocks are appended through a write buffer: the file sees appends of at least one whole
// block (WRITE_CHUNK bytes normally), never one per entry. The builder copies what it keeps,
// so callers may reuse their buffers once add returns.
import { rangeView } from '../base/bytes.js'
import type { Comparator } from '../base/comparator.js'
import { putFixed32 } from '../base/coding.js'
import { invalidArgument, StrataError } from '../errors.js'
import type { WritableFile } from '../fs/fs.js'
import type { Compression } from '../options.js'
import { BlockBuilder, ownedCopy } from './block-builder.js'
import { blockChecksum } from './block-io.js'
import { BloomFilterBuilder } from './bloom.js'
import { compressLz4, lz4Available } from './compression.js'
import { encodeFooter } from './footer.js'
import {
  BLOCK_TRAILER_SIZE, type BlockHandle, COMPRESSION_LZ4, COMPRESSION_NONE, FORMAT_VERSION,
  MAX_HANDLE_LENGTH, META_BLOOM_FILTER, META_PROPERTIES, encodeHandle, putHandle,
} from './format.js'
import { CHECK_INVARIANTS } from '../base/invariants.js'
import { encodeProperties, type TableProperties } from './properties.js'

export interface TableBuilderOptions {
  readonly comparator: Comparator
  /** Target uncompressed bytes per data block. */
  readonly blockSize: number
  readonly blockRestartInterval: number
  /** Bloom filter bits per key; 0 writes no filter. */
  readonly bloomBitsPerKey: number
  readonly compression: Compression
  /** Bytes cut from the end of each key before it enters the filter (8 for internal keys). */
  readonly filterSuffixLength: number
  /** Seconds since the epoch to record; defaults to now. Set it for byte-reproducible tables. */
  readonly creationTime?: number
}

/** Bytes buffered before an append; not wire. A 1M-entry build makes ~950 appends, not ~28k. */
const WRITE_CHUNK = 64 * 1024
/**
 * Blocks shorter than this are never handed to LZ4: the addon costs ~2.4 µs per call even on
 * tiny inputs (measured), and below 64 bytes a saving is a few bytes at best. Only the last
 * block of a table or blockSize < 64 makes such blocks.
 */
const MIN_COMPRESS_INPUT = 64

type State = 'open' | 'finished' | 'abandoned' | 'failed'

/**
 * What a finished builder leaves for the next one in this thread: its write buffer, its index
 * block's buffer and its filter's hash array. A flush or a compaction writes table after
 * table; made fresh each time, these (~400 KB for a 2 MiB table of 116-byte entries, most of
 * it the hash array doubling its way up) were garbage that piled up in the compaction worker
 * until its collection limit (compaction/worker.ts). One set is kept: builders alive at the
 * same time (a flush run between a compaction's entries) make their own.
 */
interface Spares {
  out: Uint8Array
  index: Uint8Array
  hashes: Uint32Array | undefined
}
let spares: Spares | undefined
const NO_BYTES = new Uint8Array(0)

/**
 * Writes one table to `file`: add() entries in strictly increasing key order, then finish()
 * (or abandon()). Not safe for concurrent use; the caller syncs and closes the file.
 */
export class TableBuilder {
  private readonly cmp: Comparator
  private readonly data: BlockBuilder
  private readonly index: BlockBuilder
  private readonly filter: BloomFilterBuilder | undefined
  private readonly useLz4: boolean
  private state: State = 'open'
  private out: Uint8Array
  private outLength = 0
  private appended = 0
  private pendingIndex = false
  private readonly pendingHandle: BlockHandle = { offset: 0, size: 0 }
  private readonly handleScratch = new Uint8Array(MAX_HANDLE_LENGTH)
  private entries = 0
  private rawKeySize = 0
  private rawValueSize = 0
  private numDataBlocks = 0
  private dataSize = 0
  private smallest: Uint8Array = new Uint8Array(0)

  constructor(private readonly file: WritableFile, private readonly options: TableBuilderOptions) {
    const { blockSize, blockRestartInterval, bloomBitsPerKey, filterSuffixLength } = options
    for (const [name, v, min] of [['blockSize', blockSize, 1], ['blockRestartInterval', blockRestartInterval, 1],
      ['bloomBitsPerKey', bloomBitsPerKey, 0], ['filterSuffixLength', filterSuffixLength, 0]] as const) {
      if (!Number.isInteger(v) || v < min) throw invalidArgument(`TableBuilder: ${name} must be an integer >= ${min}`)
    }
    this.cmp = options.comparator
    this.data = new BlockBuilder(blockRestartInterval, Math.min(blockSize + (blockSize >>> 2), 1 << 20))
    const spare = spares
    spares = undefined
    this.out = spare?.out ?? new Uint8Array(WRITE_CHUNK + 8 * 1024)
    this.index = new BlockBuilder(1, 4096, spare?.index)
    this.filter = bloomBitsPerKey > 0 ? new BloomFilterBuilder(bloomBitsPerKey, spare?.hashes) : undefined
    this.useLz4 = options.compression === 'lz4' && lz4Available()
  }

  get numEntries(): number {
    return this.entries
  }

  /** Bytes of the table so far, including bytes buffered but not yet appended. */
  get fileSize(): number {
    return this.appended + this.outLength
  }

  /** REQUIRES: key sorts strictly after the previous key (checked under STRATADB_INVARIANTS=1). */
  add(key: Uint8Array, value: Uint8Array): void {
    this.addRange(key, 0, key.length, value, 0, value.length)
  }

  /**
   * As `add`, for the key key[keyStart, keyEnd) and the value value[valueStart, valueEnd): a
   * caller holding entries in larger buffers (a memtable's arena) adds them without a view each.
   */
  addRange(key: Uint8Array, keyStart: number, keyEnd: number, value: Uint8Array, valueStart: number, valueEnd: number): void {
    this.checkOpen('add')
    const data = this.data
    const n = this.entries
    if (n > 0) {
      if (CHECK_INVARIANTS && this.cmp.compareRange(key, keyStart, keyEnd, data.lastKeyBuffer, 0, data.lastKeyLength) <= 0) {
        throw invalidArgument('TableBuilder.add: keys must be strictly increasing')
      }
      if (this.pendingIndex) this.addIndexEntry(this.cmp.findShortestSeparator(data.lastKey(), rangeView(key, keyStart, keyEnd)))
    }
    if (this.filter !== undefined) this.addFilterKey(key, keyStart, keyEnd, n === 0)
    data.addRange(key, keyStart, keyEnd, value, valueStart, valueEnd)
    this.entries = n + 1
    this.rawKeySize += keyEnd - keyStart
    this.rawValueSize += valueEnd - valueStart
    if (n === 0) this.smallest = ownedCopy(rangeView(key, keyStart, keyEnd))
    if (data.estimatedSize() >= this.options.blockSize) this.flushDataBlock()
  }

  /** Writes the rest of the table (filter, properties, meta-index, index, footer). No sync, no close. */
  finish(): TableProperties {
    this.checkOpen('finish')
    if (this.data.numEntries > 0) this.flushDataBlock()
    let filterHandle: BlockHandle | undefined
    let filterSize = 0
    if (this.filter !== undefined) {
      const contents = this.filter.finish()
      filterHandle = this.writeStored(contents, COMPRESSION_NONE)
      filterSize = contents.length + BLOCK_TRAILER_SIZE
    }
    const largest = this.entries > 0 ? ownedCopy(this.data.lastKey()) : new Uint8Array(0)
    if (this.pendingIndex) this.addIndexEntry(this.cmp.findShortSuccessor(largest))
    const index = this.compress(this.index.finish())
    const properties: TableProperties = Object.freeze({
      numEntries: this.entries,
      rawKeySize: this.rawKeySize,
      rawValueSize: this.rawValueSize,
      numDataBlocks: this.numDataBlocks,
      dataSize: this.dataSize,
      indexSize: index.bytes.length + BLOCK_TRAILER_SIZE,
      filterSize,
      filterSuffixLength: this.options.filterSuffixLength,
      smallestKey: this.smallest,
      largestKey: largest,
      comparatorName: this.cmp.name,
      compression: this.useLz4 ? 'lz4' : 'none',
      creationTime: this.options.creationTime ?? Math.floor(Date.now() / 1000),
      formatVersion: FORMAT_VERSION,
    })
    const propertiesHandle = this.writeStored(encodeProperties(properties), COMPRESSION_NONE)
    const meta = new BlockBuilder(1, 128)
    if (filterHandle !== undefined) meta.add(Buffer.from(META_BLOOM_FILTER, 'latin1'), encodeHandle(filterHandle))
    meta.add(Buffer.from(META_PROPERTIES, 'latin1'), encodeHandle(propertiesHandle))
    const metaHandle = this.writeStored(meta.finish(), COMPRESSION_NONE)
    const indexHandle = this.writeStored(index.bytes, index.type)
    const footer = encodeFooter(metaHandle, indexHandle)
    this.reserve(footer.length)
    this.out.set(footer, this.outLength)
    this.outLength += footer.length
    this.flushOut()
    this.state = 'finished'
    spares = { out: this.out, index: this.index.buffer, hashes: this.filter?.hashBuffer ?? spares?.hashes }
    this.out = NO_BYTES
    return properties
  }

  /** Gives up on the table: nothing more is appended (buffered bytes are dropped). No close. */
  abandon(): void {
    if (this.state === 'open') this.state = 'abandoned'
    this.out = NO_BYTES
    this.outLength = 0
  }

  private checkOpen(op: string): void {
    if (this.state !== 'open') {
      throw new StrataError('INVALID_ARGUMENT', `TableBuilder.${op}: the builder is ${this.state}`)
    }
  }

  private addFilterKey(key: Uint8Array, keyStart: number, keyEnd: number, first: boolean): void {
    const suffix = this.options.filterSuffixLength
    const length = keyEnd - keyStart
    const end = length > suffix ? length - suffix : 0
    if (!first) {
      // Versions of one user key are adjacent: add each filter key once.
      const last = this.data.lastKeyBuffer
      const lastLength = this.data.lastKeyLength
      if ((lastLength > suffix ? lastLength - suffix : 0) === end) {
        let i = 0
        while (i < end && key[keyStart + i] === last[i]) i++
        if (i === end) return
      }
    }
    this.filter!.add(key, keyStart, keyStart + end)
  }

  private addIndexEntry(separator: Uint8Array): void {
    const n = putHandle(this.handleScratch, 0, this.pendingHandle)
    this.index.add(separator, this.handleScratch.subarray(0, n))
    this.pendingIndex = false
  }

  private flushDataBlock(): void {
    const block = this.compress(this.data.finish())
    const handle = this.writeStored(block.bytes, block.type)
    this.data.reset()
    this.pendingHandle.offset = handle.offset
    this.pendingHandle.size = handle.size
    this.pendingIndex = true
    this.numDataBlocks++
    this.dataSize += handle.size + BLOCK_TRAILER_SIZE
  }

  /** LZ4 where it saves at least 1/8 (stored < raw - floor(raw / 8)); else the raw bytes. */
  private compress(raw: Uint8Array): { bytes: Uint8Array; type: number } {
    if (this.useLz4 && raw.length >= MIN_COMPRESS_INPUT) {
      const packed = compressLz4(raw, 0, raw.length)
      if (packed !== undefined && packed.length < raw.length - (raw.length >>> 3)) {
        return { bytes: packed, type: COMPRESSION_LZ4 }
      }
    }
    return { bytes: raw, type: COMPRESSION_NONE }
  }

  /** Buffers contents · type · checksum; returns where the block lands in the file. */
  private writeStored(contents: Uint8Array, type: number): BlockHandle {
    const handle = { offset: this.fileSize, size: contents.length }
    this.reserve(contents.length + BLOCK_TRAILER_SIZE)
    const at = this.outLength
    const out = this.out
    out.set(contents, at)
    const typeAt = at + contents.length
    out[typeAt] = type
    putFixed32(out, typeAt + 1, blockChecksum(out, at, typeAt + 1))
    this.outLength = typeAt + BLOCK_TRAILER_SIZE
    if (this.outLength >= WRITE_CHUNK) this.flushOut()
    return handle
  }

  private reserve(extra: number): void {
    const need = this.outLength + extra
    if (need <= this.out.length) return
    const grown = new Uint8Array(Math.max(need, this.out.length * 2))
    grown.set(this.out.subarray(0, this.outLength))
    this.out = grown
  }

  private flushOut(): void {
    if (this.outLength === 0) return
    try {
      this.file.append(this.out, 0, this.outLength)
    } catch (err) {
      this.state = 'failed'
      throw err
    }
    this.appended += this.outLength
    this.outLength = 0
  }
}
