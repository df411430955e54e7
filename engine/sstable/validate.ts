// Whole-block and whole-table checks beyond checksums: every entry decodes, keys are strictly
// increasing, the index agrees with the data, and the properties agree with the contents.
// Used by paranoid reads (verifyChecksums) and by the CLI's `verify` (verifyTable).
import { compareRange } from '../base/bytes.js'
import type { Comparator } from '../base/comparator.js'
import { corruption } from '../errors.js'
import type { Block } from './block.js'
import { BlockIter } from './block-iter.js'

/**
 * Decodes every entry of `block` and checks strict key order. With `thorough`, also walks
 * the block backwards (which exercises every restart point) and expects the same count.
 * Throws CORRUPTION naming the block.
 */
export function validateBlock(block: Block, cmp: Comparator, thorough = false): number {
  const it = new BlockIter(cmp, block)
  let prev = new Uint8Array(64)
  let prevLength = -1
  let count = 0
  for (it.seekToFirst(); it.valid(); it.next()) {
    const key = it.keyBuffer
    const length = it.keyLength
    if (prevLength >= 0 && cmp.compareRange(prev, 0, prevLength, key, 0, length) >= 0) {
      throw corruption(block.file, block.fileOffset, `block keys out of order at entry ${count}`)
    }
    if (length > prev.length) prev = new Uint8Array(Math.max(length, prev.length * 2))
    prev.set(key.subarray(0, length))
    prevLength = length
    count++
  }
  if (thorough) {
    let back = 0
    for (it.seekToLast(); it.valid(); it.prev()) back++
    if (back !== count) throw corruption(block.file, block.fileOffset, `block has ${count} entries forwards, ${back} backwards`)
  }
  return count
}

/** True when a and b hold the same bytes. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return compareRange(a, 0, a.length, b, 0, b.length) === 0
}
