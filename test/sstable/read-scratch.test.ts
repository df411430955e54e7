// ReadScratch: block reads through one reused buffer. Blocks handed to the cache must own
// their bytes, so a later read through the same buffer changes nothing cached, for stored
// blocks uncompressed or LZ4.
import { describe, expect, it } from 'vitest'
import { bytewiseComparator } from '../../engine/base/comparator.js'
import { ReadScratch, TableReader } from '../../engine/sstable/index.js'
import { buildTable, hex, MapBlockCache, memFile } from './helpers.js'

function entries(n: number): [Uint8Array, Uint8Array][] {
  return Array.from({ length: n }, (_, i) => [
    Buffer.from(`key${String(i).padStart(6, '0')}`),
    Buffer.from(`value ${i} `.repeat(8)),
  ])
}

describe('ReadScratch', () => {
  for (const compression of ['none', 'lz4'] as const) {
    it(`leaves blocks cached earlier intact after later reads (${compression})`, () => {
      const all = entries(2000)
      const { bytes } = buildTable(all, { compression, blockSize: 512 })
      const cache = new MapBlockCache()
      const reader = TableReader.open(memFile(bytes), 't.sst', {
        comparator: bytewiseComparator, filterSuffixLength: 0, fileNumber: 7, verifyChecksums: false,
        blockCache: cache, readScratch: new ReadScratch(),
      })
      expect(reader.blocks.count).toBeGreaterThan(20)
      // Every lookup reads a new block through the scratch; then all are read back from the cache.
      for (const [k, v] of all) {
        expect(reader.seekEntry(k)).toBe(true)
        expect(hex(reader.foundValue())).toBe(hex(v))
      }
      expect(cache.inserts).toBe(reader.blocks.count)
      const it = reader.iterator()
      let i = 0
      for (it.seekToFirst(); it.valid(); it.next(), i++) {
        expect(hex(it.key())).toBe(hex(all[i]![0]))
        expect(hex(it.value())).toBe(hex(all[i]![1]))
      }
      expect(i).toBe(all.length)
      expect(cache.inserts).toBe(reader.blocks.count) // all from the cache
    })
  }
})
