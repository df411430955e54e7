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
import { decompressLz4 } from './compression.js'
import { BLOCK_TRAILER_SIZE, COMPRESSION_LZ4, COMPRESSION_NONE } from './format.js'

/** The stored form of the checksum of buf[start, end) (contents followed by the type byte). */
export function blockChecksum(buf: Uint8Array, start: number, end: number): number {
  return maskCrc(crc32(buf, start, end))
}

/**
 * Reads the block stored at [offset, offset + size) plus its trailer, which must end at or
 * before `limit` (where the footer starts). Returns the decoded contents: a view of a fresh
 * buffer, or the LZ4 output. Throws CORRUPTION for an out-of-range handle, a short read, a
 * checksum mismatch, an unknown type or bad LZ4 data; NOT_SUPPORTED where LZ4 cannot load.
 */
export function readBlockContents(
  file: RandomAccessFile, fileName: string, offset: number, size: number, limit: number,
): Uint8Array {
  const total = size + BLOCK_TRAILER_SIZE
  if (!(offset >= 0 && size >= 0 && offset + total <= limit)) {
    throw corruption(fileName, offset, `block handle (size ${size}) runs past the table's blocks (end ${limit})`)
  }
  const buf = Buffer.allocUnsafe(total)
  const got = file.read(offset, total, buf, 0)
  if (got !== total) throw corruption(fileName, offset, `short read: ${got} of ${total} block bytes`)
  const stored = getFixed32(buf, size + 1)
  if (unmaskCrc(stored) !== crc32(buf, 0, size + 1)) {
    throw corruption(fileName, offset, 'block checksum mismatch')
  }
  const type = buf[size]!
  const contents = buf.subarray(0, size)
  if (type === COMPRESSION_NONE) return contents
  if (type === COMPRESSION_LZ4) return decompressLz4(contents, fileName, offset)
  throw corruption(fileName, offset, `unknown block compression type ${type}`)
}
