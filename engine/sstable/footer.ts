// The fixed-size footer that ends every table: where the meta-index and index blocks are.
// Format: format-spec/sstable.md, "Footer".
//
//   footer := metaindex-handle · index-handle · zero padding      (32 bytes together)
//             · format-version (fixed32) · masked-crc32 of the 36 bytes before it (fixed32)
//             · magic (fixed64)                                     = 48 bytes
import { getFixed32, putFixed32 } from '../base/coding.js'
import { crc32, maskCrc, unmaskCrc } from '../base/crc.js'
import { corruption, notSupported } from '../errors.js'
import {
  type BlockHandle, FOOTER_CRC_OFFSET, FOOTER_HANDLES_SIZE, FOOTER_MAGIC_OFFSET, FOOTER_SIZE,
  FOOTER_VERSION_OFFSET, FORMAT_VERSION, MAGIC_HIGH, MAGIC_LOW, getHandle, putHandle,
} from './format.js'

export interface Footer {
  readonly metaindex: BlockHandle
  readonly index: BlockHandle
}

/** The footer's 48 bytes. */
export function encodeFooter(metaindex: BlockHandle, index: BlockHandle): Uint8Array {
  const out = new Uint8Array(FOOTER_SIZE)
  putHandle(out, putHandle(out, 0, metaindex), index)
  putFixed32(out, FOOTER_VERSION_OFFSET, FORMAT_VERSION)
  putFixed32(out, FOOTER_CRC_OFFSET, maskCrc(crc32(out, 0, FOOTER_CRC_OFFSET)))
  putFixed32(out, FOOTER_MAGIC_OFFSET, MAGIC_LOW)
  putFixed32(out, FOOTER_MAGIC_OFFSET + 4, MAGIC_HIGH)
  return out
}

/**
 * Parses the footer in buf[0, 48), which sits at `fileOffset` of `file`. Checks, in order:
 * magic (CORRUPTION: not a table), checksum (CORRUPTION), version (NOT_SUPPORTED for a
 * version this code does not know), handles and zero padding (CORRUPTION).
 */
export function decodeFooter(buf: Uint8Array, file: string, fileOffset: number): Footer {
  if (getFixed32(buf, FOOTER_MAGIC_OFFSET) !== MAGIC_LOW || getFixed32(buf, FOOTER_MAGIC_OFFSET + 4) !== MAGIC_HIGH) {
    throw corruption(file, fileOffset + FOOTER_MAGIC_OFFSET, 'bad table magic number (not an SSTable, or truncated)')
  }
  if (unmaskCrc(getFixed32(buf, FOOTER_CRC_OFFSET)) !== crc32(buf, 0, FOOTER_CRC_OFFSET)) {
    throw corruption(file, fileOffset, 'footer checksum mismatch')
  }
  const version = getFixed32(buf, FOOTER_VERSION_OFFSET)
  if (version !== FORMAT_VERSION) {
    throw notSupported(`${file}: table format version ${version} (this build reads version ${FORMAT_VERSION})`)
  }
  const metaindex: BlockHandle = { offset: 0, size: 0 }
  const index: BlockHandle = { offset: 0, size: 0 }
  let p = getHandle(buf, 0, FOOTER_HANDLES_SIZE, metaindex)
  if (p >= 0) p = getHandle(buf, p, FOOTER_HANDLES_SIZE, index)
  if (p < 0) throw corruption(file, fileOffset, 'bad block handle in footer')
  for (; p < FOOTER_HANDLES_SIZE; p++) {
    if (buf[p] !== 0) throw corruption(file, fileOffset + p, 'footer padding is not zero')
  }
  return { metaindex, index }
}
