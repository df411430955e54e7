// The block cache contract (decoded, verified blocks; one insert per block; hits afterwards),
// paranoid reads, and verifyTable for the CLI's `verify`.
import { describe, expect, it } from 'vitest'
import { isStrataError } from '../../engine/errors.js'
import { verifyTable } from '../../engine/sstable/index.js'
import type { Entry } from './arbitraries.js'
import { buildTable, enc, MapBlockCache, openTable, scanBackward, scanForward } from './helpers.js'

const entries = Array.from({ length: 500 }, (_, i): Entry => [enc(`key${String(i).padStart(5, '0')}`), Buffer.alloc(50, i % 7)])

describe('block cache', () => {
  it('inserts each data block once, decoded, then serves scans and lookups from it', () => {
    const { bytes, properties } = buildTable(entries, { blockSize: 512, compression: 'lz4' })
    const cache = new MapBlockCache()
    const reader = openTable(bytes, { blockCache: cache })
    expect(scanForward(reader).length).toBe(500)
    expect(cache.inserts).toBe(properties.numDataBlocks)
    const before = cache.inserts
    expect(scanBackward(reader).length).toBe(500)
    for (const [k, v] of entries) {
      expect(reader.seekEntry(k)).toBe(true)
      expect(Buffer.compare(reader.foundValue(), v)).toBe(0)
    }
    expect(cache.inserts).toBe(before)
    expect(cache.hits).toBeGreaterThan(500)
    for (const block of cache.blocks.values()) {
      expect(block.data.length).toBeGreaterThan(512) // decompressed, not the stored LZ4 bytes
    }
  })

  it('keys blocks by file number so two tables never share an entry', () => {
    const cache = new MapBlockCache()
    const a = openTable(buildTable(entries.slice(0, 10)).bytes, { blockCache: cache })
    scanForward(a)
    expect([...cache.blocks.keys()].every((k) => k.startsWith('7:'))).toBe(true)
  })
})

describe('verifyTable', () => {
  it('counts entries and blocks of a good table', () => {
    const { bytes, properties } = buildTable(entries, { blockSize: 256 })
    expect(verifyTable(openTable(bytes))).toEqual({ numEntries: 500, numDataBlocks: properties.numDataBlocks })
    expect(verifyTable(openTable(buildTable([]).bytes))).toEqual({ numEntries: 0, numDataBlocks: 0 })
  })

  it('reads from disk even where the cache holds a good copy', () => {
    const bytes = Buffer.from(buildTable(entries, { blockSize: 256 }).bytes)
    const cache = new MapBlockCache()
    const reader = openTable(bytes, { blockCache: cache })
    scanForward(reader)
    bytes[10]! ^= 0x20 // damage the first data block on "disk"
    expect(scanForward(reader).length).toBe(500) // served from the cache
    let err: unknown
    try { verifyTable(reader) } catch (e) { err = e }
    expect(isStrataError(err, 'CORRUPTION')).toBe(true)
  })

  it('finds keys out of order that a careless builder wrote (paranoid reads too)', () => {
    // STRATADB_INVARIANTS is off in this file, so the builder accepts the bad order.
    const bad: Entry[] = [[enc('b'), enc('1')], [enc('a'), enc('2')], [enc('c'), enc('3')]]
    const { bytes } = buildTable(bad, { bloomBitsPerKey: 0 })
    expect(() => verifyTable(openTable(bytes))).toThrow(/out of order/)
    expect(() => scanForward(openTable(bytes, { verifyChecksums: true }))).toThrow(/out of order/)
    expect(scanForward(openTable(bytes)).length).toBe(3) // without paranoia nothing checks order
  })
})
