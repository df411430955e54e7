// verifyTable: reads and checks every block of a table, for the CLI's `verify` command.
// Bypasses the block cache so every data block's checksum is verified from disk.
import { corruption } from '../errors.js'
import { ownedCopy } from './block-builder.js'
import { BlockIter } from './block-iter.js'
import { type BlockHandle, getHandle } from './format.js'
import type { TableReader } from './table-reader.js'
import { sameBytes, validateBlock } from './validate.js'

export interface TableVerification {
  readonly numEntries: number
  readonly numDataBlocks: number
}

/**
 * Reads every data block from disk and checks: checksums and decoding, strict key order
 * within and across blocks, each block's keys <= its index separator and > the previous one,
 * every key passes the filter, and entry/block counts and smallest/largest keys match the
 * properties. Throws CORRUPTION (naming file and offset) on the first problem.
 */
export function verifyTable(reader: TableReader): TableVerification {
  const cmp = reader.comparator
  const props = reader.properties
  const file = reader.fileName
  validateBlock(reader.indexBlock, cmp, true)
  const index = new BlockIter(cmp, reader.indexBlock)
  const data = new BlockIter(cmp)
  const handle: BlockHandle = { offset: 0, size: 0 }
  const suffix = props.filterSuffixLength
  let entries = 0
  let blocks = 0
  let prevKey: Uint8Array | undefined
  let prevSeparator: Uint8Array | undefined
  let firstKey: Uint8Array | undefined
  for (index.seekToFirst(); index.valid(); index.next()) {
    decodeIndexValue(index, handle, file, reader.indexBlock.fileOffset)
    const block = reader.uncachedBlock(handle.offset, handle.size)
    validateBlock(block, cmp, true)
    const separator = ownedCopy(index.key())
    for (data.reset(block), data.seekToFirst(); data.valid(); data.next()) {
      const key = data.key()
      const bad = (what: string): Error => corruption(file, handle.offset, `${what} (entry ${entries})`)
      if (prevKey !== undefined && cmp.compare(prevKey, key) >= 0) throw bad('keys out of order across blocks')
      if (cmp.compare(key, separator) > 0) throw bad('key sorts after its index separator')
      if (prevSeparator !== undefined && cmp.compare(key, prevSeparator) <= 0) throw bad('key sorts before the previous separator')
      if (!reader.mayContain(key, 0, key.length > suffix ? key.length - suffix : 0)) throw bad('filter excludes a key the table holds')
      firstKey ??= ownedCopy(key)
      prevKey = ownedCopy(key)
      entries++
    }
    prevSeparator = separator
    blocks++
  }
  const mismatch = (what: string): Error => corruption(file, reader.indexBlock.fileOffset, `properties disagree with contents: ${what}`)
  if (entries !== props.numEntries) throw mismatch(`${props.numEntries} entries recorded, ${entries} found`)
  if (blocks !== props.numDataBlocks) throw mismatch(`${props.numDataBlocks} data blocks recorded, ${blocks} found`)
  if (!sameBytes(firstKey ?? new Uint8Array(0), props.smallestKey)) throw mismatch('smallest key')
  if (!sameBytes(prevKey ?? new Uint8Array(0), props.largestKey)) throw mismatch('largest key')
  return { numEntries: entries, numDataBlocks: blocks }
}

/** Decodes the block handle in the index entry `index` is at into `out`; CORRUPTION if malformed. */
export function decodeIndexValue(index: BlockIter, out: BlockHandle, file: string, indexOffset: number): void {
  const end = index.valueLimit
  if (getHandle(index.blockData, index.valueOffset, end, out) !== end) {
    throw corruption(file, indexOffset, `bad block handle in index entry (index byte ${index.valueOffset})`)
  }
}
