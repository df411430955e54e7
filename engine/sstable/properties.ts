// Table properties: what a table says about itself, stored as the "properties" meta block.
// Format: format-spec/sstable.md, "Properties block".
//
// A block (restart interval 1) of name -> value entries in bytewise name order. Numbers are
// varints that fill the value exactly; strings are UTF-8; keys are raw bytes. A reader ignores
// names it does not know and treats a missing known name as damage.
import { bytewiseComparator } from '../base/comparator.js'
import { getVarint, putVarint, varint } from '../base/coding.js'
import { corruption } from '../errors.js'
import type { Compression } from '../options.js'
import type { Block } from './block.js'
import { BlockBuilder, ownedCopy } from './block-builder.js'
import { BlockIter } from './block-iter.js'

export interface TableProperties {
  /** Entries (keys) in the table. */
  readonly numEntries: number
  /** Sum of key lengths and of value lengths, as added (before prefix compression). */
  readonly rawKeySize: number
  readonly rawValueSize: number
  readonly numDataBlocks: number
  /** Bytes of stored data blocks, trailers included. */
  readonly dataSize: number
  /** Bytes of the stored index block, trailer included. */
  readonly indexSize: number
  /** Bytes of the stored filter block, trailer included; 0 without a filter. */
  readonly filterSize: number
  /** Bytes stripped from the end of each key before it enters the filter. */
  readonly filterSuffixLength: number
  /** First and last keys; empty arrays for an empty table. */
  readonly smallestKey: Uint8Array
  readonly largestKey: Uint8Array
  readonly comparatorName: string
  /** The compression the builder used ('lz4' only where the addon loaded). */
  readonly compression: Compression
  /** Seconds since the Unix epoch. */
  readonly creationTime: number
  readonly formatVersion: number
}

type NumberField = Exclude<keyof TableProperties, 'smallestKey' | 'largestKey' | 'comparatorName' | 'compression'>

/** Stored names in bytewise order. On-disk: never rename; retired names stay reserved here. */
const FIELDS: readonly (readonly [name: string, field: keyof TableProperties])[] = [
  ['comparator', 'comparatorName'],
  ['compression', 'compression'],
  ['creation-time', 'creationTime'],
  ['data-blocks', 'numDataBlocks'],
  ['data-size', 'dataSize'],
  ['entries', 'numEntries'],
  ['filter-size', 'filterSize'],
  ['filter-suffix-length', 'filterSuffixLength'],
  ['format-version', 'formatVersion'],
  ['index-size', 'indexSize'],
  ['largest-key', 'largestKey'],
  ['raw-key-size', 'rawKeySize'],
  ['raw-value-size', 'rawValueSize'],
  ['smallest-key', 'smallestKey'],
]

/** The properties block's contents (a new array). */
export function encodeProperties(p: TableProperties): Uint8Array {
  const builder = new BlockBuilder(1, 256)
  const num = new Uint8Array(8)
  for (const [name, field] of FIELDS) {
    const v = p[field]
    const value = typeof v === 'number' ? num.subarray(0, putVarint(num, 0, v))
      : typeof v === 'string' ? Buffer.from(v, 'utf8') : v
    builder.add(Buffer.from(name, 'latin1'), value)
  }
  return ownedCopy(builder.finish())
}

/** Parses a properties block; CORRUPTION for a bad number, a bad compression name or a missing field. */
export function decodeProperties(block: Block): TableProperties {
  const found: Partial<Record<keyof TableProperties, unknown>> = {}
  const it = new BlockIter(bytewiseComparator, block)
  const bad = (what: string): Error => corruption(block.file, block.fileOffset, `properties: ${what}`)
  for (it.seekToFirst(); it.valid(); it.next()) {
    const name = Buffer.from(it.key()).toString('latin1')
    const entry = FIELDS.find(([n]) => n === name)
    if (entry === undefined) continue // a newer writer's field
    const field = entry[1]
    const v = it.value()
    if (field === 'smallestKey' || field === 'largestKey') found[field] = ownedCopy(v)
    else if (field === 'comparatorName') found[field] = Buffer.from(v).toString('utf8')
    else if (field === 'compression') {
      const c = Buffer.from(v).toString('latin1')
      if (c !== 'lz4' && c !== 'none') throw bad(`unknown compression ${JSON.stringify(c)}`)
      found[field] = c
    } else {
      if (getVarint(v, 0, v.length) !== v.length) throw bad(`${name} is not a varint`)
      found[field satisfies NumberField] = varint.value
    }
  }
  for (const [name, field] of FIELDS) {
    if (found[field] === undefined) throw bad(`missing ${name}`)
  }
  return Object.freeze(found) as unknown as TableProperties
}
