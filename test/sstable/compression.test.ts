// LZ4 is used only where it saves at least 12.5% (stored < raw - floor(raw / 8)), and blocks
// of either kind read back. The stored type byte is inspected straight from the file.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { bytewiseComparator } from '../../engine/base/comparator.js'
import { BlockIter } from '../../engine/sstable/block-iter.js'
import { compressLz4, decompressLz4, lz4Available } from '../../engine/sstable/compression.js'
import { COMPRESSION_LZ4, COMPRESSION_NONE, type BlockHandle } from '../../engine/sstable/format.js'
import { decodeIndexValue } from '../../engine/sstable/verify.js'
import { runs, type Entry } from './arbitraries.js'
import { buildTable, enc, openTable, scanForward } from './helpers.js'

/** [type byte, stored bytes] of every data block, read from the file bytes. */
function storedDataBlocks(bytes: Buffer): [number, Buffer][] {
  const reader = openTable(bytes)
  const it = new BlockIter(bytewiseComparator, reader.indexBlock)
  const h: BlockHandle = { offset: 0, size: 0 }
  const out: [number, Buffer][] = []
  for (it.seekToFirst(); it.valid(); it.next()) {
    decodeIndexValue(it, h, 't.sst', 0)
    out.push([bytes[h.offset + h.size]!, bytes.subarray(h.offset, h.offset + h.size)])
  }
  return out
}

/** A value whose first `random` bytes are noise and the rest a run: tunable compressibility. */
function mixedValue(seed: number, size: number, random: number): Uint8Array {
  const v = new Uint8Array(size)
  let x = seed * 2654435761 + 1
  for (let i = 0; i < size; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5
    v[i] = i < random ? x & 0xff : 0x2e
  }
  return v
}

describe('block compression', () => {
  it('has the LZ4 addon on this platform (the rest of this file needs it)', () => {
    expect(lz4Available()).toBe(true)
  })

  it('stores a block as LZ4 exactly when that saves at least 12.5%', () => {
    const seen = { lz4: 0, none: 0 }
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 64, max: 8192 }), fc.integer({ min: 1, max: 40 }), (randomPercent, blockSize, count) => {
        const entries: Entry[] = []
        for (let i = 0; i < count; i++) entries.push([enc(`key${String(i).padStart(5, '0')}`), mixedValue(i + randomPercent, 120, Math.round(1.2 * randomPercent))])
        const { bytes } = buildTable(entries, { compression: 'lz4', blockSize })
        for (const [type, stored] of storedDataBlocks(bytes)) {
          if (type === COMPRESSION_LZ4) {
            const raw = decompressLz4(stored, 't.sst', 0)
            expect(stored.length).toBeLessThan(raw.length - (raw.length >>> 3))
            seen.lz4++
          } else {
            seen.none++
            expect(type).toBe(COMPRESSION_NONE)
            const packed = compressLz4(stored, 0, stored.length)!
            if (stored.length >= 64) expect(packed.length).toBeGreaterThanOrEqual(stored.length - (stored.length >>> 3))
          }
        }
        expect(scanForward(openTable(bytes)).length).toBe(count)
      }),
      { seed: 301, numRuns: runs(60) },
    )
    expect(seen.lz4).toBeGreaterThan(10)
    expect(seen.none).toBeGreaterThan(10)
  })

  it('compresses compressible data and leaves noise alone', () => {
    const compressible = Array.from({ length: 200 }, (_, i): Entry => [enc(`k${String(i).padStart(4, '0')}`), mixedValue(i, 100, 10)])
    const noise = Array.from({ length: 200 }, (_, i): Entry => [enc(`k${String(i).padStart(4, '0')}`), mixedValue(i, 100, 100)])
    expect(storedDataBlocks(buildTable(compressible, { compression: 'lz4' }).bytes).every(([t]) => t === COMPRESSION_LZ4)).toBe(true)
    expect(storedDataBlocks(buildTable(noise, { compression: 'lz4' }).bytes).every(([t]) => t === COMPRESSION_NONE)).toBe(true)
  })

  it("never compresses with compression 'none' and records what it used", () => {
    const entries = Array.from({ length: 100 }, (_, i): Entry => [enc(`k${String(i).padStart(4, '0')}`), new Uint8Array(100)])
    const none = buildTable(entries, { compression: 'none' })
    expect(storedDataBlocks(none.bytes).every(([t]) => t === COMPRESSION_NONE)).toBe(true)
    expect(none.properties.compression).toBe('none')
    expect(buildTable(entries, { compression: 'lz4' }).properties.compression).toBe('lz4')
  })

  it('does not offer blocks under 64 bytes to LZ4', () => {
    const entries: Entry[] = [[enc('k'), new Uint8Array(40)]]
    const [[type]] = storedDataBlocks(buildTable(entries, { compression: 'lz4' }).bytes) as [[number, Buffer]]
    expect(type).toBe(COMPRESSION_NONE)
  })
})
