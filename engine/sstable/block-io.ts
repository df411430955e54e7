// Reading a stored block back from a table file: bounds, checksum, compression type, LZ4.
// Format: format-spec/sstable.md, "Stored blocks".
//
//   stored-block := contents[size] · type (1 byte) · masked-crc32 (fixed32)
//
// The checksum covers contents and type byte; it is always verified here (a data block read
// from disk is never used unchecked), so the cache only ever holds verified blocks.
import { getFixed32 } from '../base/coding.js'
import { crc32, maskCrc, unmaskCrc } from '../base/crc.js'
import { corruption } from '../errors.js'
import type { RandomAccessFile } from '../fs/fs.js'
import { type BlockMemory, heapMemory } from './block-arena.js'
import { decompressLz4 } from './compression.js'
import { BLOCK_TRAILER_SIZE, COMPRESSION_LZ4, COMPRESSION_NONE } from './format.js'

/** The stored form of the checksum of buf[start, end) (contents followed by the type byte). */
export function blockChecksum(buf: Uint8Array, start: number, end: number): number {
  return maskCrc(crc32(buf, start, end))
}

/**
 * Reads the block stored at [offset, offset + size) plus its trailer, which must end at or
 * before `limit` (where the footer starts). Returns the decoded contents: a view of a fresh
 * buffer, or, for a block read through `readahead` or decompressed, memory from `memory`. Throws CORRUPTION for an out-of-range handle, a short read, a checksum mismatch, an
 * unknown type or bad LZ4 data; NOT_SUPPORTED where LZ4 cannot load.
 */
export function readBlockContents(
  file: RandomAccessFile, fileName: string, offset: number, size: number, limit: number, readahead?: BlockSource,
  memory: BlockMemory = heapMemory,
): Uint8Array {
  const total = size + BLOCK_TRAILER_SIZE
  if (!(offset >= 0 && size >= 0 && offset + total <= limit)) {
    throw corruption(fileName, offset, `block handle (size ${size}) runs past the table's blocks (end ${limit})`)
  }
  let buf: Uint8Array
  let owned = true
  const window = readahead?.bytes(file, offset, total, limit)
  if (window !== undefined) {
    buf = window
    owned = false
  } else {
    buf = Buffer.allocUnsafe(total)
    const got = file.read(offset, total, buf, 0)
    if (got !== total) throw corruption(fileName, offset, `short read: ${got} of ${total} block bytes`)
  }
  const stored = getFixed32(buf, size + 1)
  if (unmaskCrc(stored) !== crc32(buf, 0, size + 1)) {
    throw corruption(fileName, offset, 'block checksum mismatch')
  }
  const type = buf[size]!
  const contents = buf.subarray(0, size)
  // A block may be cached and outlive the source's buffer, which is reused: copy it out.
  if (type === COMPRESSION_NONE) {
    if (owned) return contents
    const copy = memory.alloc(size)
    copy.set(contents)
    return copy
  }
  if (type === COMPRESSION_LZ4) return decompressLz4(contents, fileName, offset, memory)
  throw corruption(fileName, offset, `unknown block compression type ${type}`)
}

/**
 * Where readBlockContents gets a block's stored bytes instead of reading them into a fresh
 * buffer: a view valid until the next call (the block is decoded or copied out before then),
 * or undefined on a short read.
 */
export interface BlockSource {
  bytes(file: RandomAccessFile, offset: number, length: number, limit: number): Uint8Array | undefined
}

/**
 * One reused buffer for block reads (point lookups, seeks): a block read from disk is decoded
 * or copied out of it at once, so a miss in the block cache allocates only the decoded block.
 * One per database; used from one thread.
 */
export class ReadScratch implements BlockSource {
  private buf: Buffer = Buffer.allocUnsafeSlow(8 * 1024)

  bytes(file: RandomAccessFile, offset: number, length: number): Uint8Array | undefined {
    if (this.buf.length < length) this.buf = Buffer.allocUnsafeSlow(Math.max(length, this.buf.length * 2))
    if (file.read(offset, length, this.buf, 0) !== length) return undefined
    return this.buf.subarray(0, length)
  }
}

/** Readahead windows grow from this to READAHEAD_MAX as a scan keeps going (not wire). */
const READAHEAD_MIN = 32 * 1024
const READAHEAD_MAX = 256 * 1024

/**
 * Readahead for one sequential scan of a table: a window of the file read in one call, from
 * which the following blocks are served without a syscall each (RocksDB's iterator readahead
 * is the model). The window grows while the scan keeps needing new ones and follows the scan's
 * direction. Bytes served are views valid until the next call.
 */
export class Readahead implements BlockSource {
  private buf: Buffer = Buffer.alloc(0)
  private start = 0
  private end = 0
  private size = READAHEAD_MIN
  /** Direction of the scan: +1 forward, -1 backward. */
  direction: 1 | -1 = 1

  /** file[offset, offset + length), from the window (refilled as needed); undefined on a short read. */
  bytes(file: RandomAccessFile, offset: number, length: number, limit: number): Uint8Array | undefined {
    if (offset < this.start || offset + length > this.end) {
      if (this.end > this.start) this.size = Math.min(this.size * 2, READAHEAD_MAX)
      const span = Math.max(this.size, length)
      const from = this.direction > 0 ? offset : Math.max(0, offset + length - span)
      const to = Math.min(limit, from + span)
      if (this.buf.length < to - from) this.buf = Buffer.allocUnsafe(to - from)
      const got = file.read(from, to - from, this.buf, 0)
      this.start = from
      this.end = from + got
      if (offset + length > this.end) return undefined
    }
    return this.buf.subarray(offset - this.start, offset - this.start + length)
  }
}
