// Damage never turns into wrong data or a stray exception: every flipped byte of a table is
// CORRUPTION on open or on read; damage behind a recomputed checksum (which no checksum can
// catch) still yields only StrataErrors; truncation, bad magic, versions and types are named.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { putFixed32 } from '../../engine/base/coding.js'
import { StrataError, isStrataError } from '../../engine/errors.js'
import { Block } from '../../engine/sstable/block.js'
import { BlockIter } from '../../engine/sstable/block-iter.js'
import { blockChecksum } from '../../engine/sstable/block-io.js'
import { FOOTER_SIZE, FOOTER_VERSION_OFFSET, FOOTER_CRC_OFFSET } from '../../engine/sstable/format.js'
import { encodeFooter } from '../../engine/sstable/footer.js'
import { bytewiseComparator } from '../../engine/base/comparator.js'
import { runs, type Entry } from './arbitraries.js'
import { buildTable, enc, openTable, scanBackward, scanForward } from './helpers.js'
import { crc32, maskCrc } from '../../engine/base/crc.js'

/** Opens, scans both ways and looks up every key; returns the error thrown, if any. */
function exercise(bytes: Uint8Array, entries: readonly Entry[]): unknown {
  try {
    const r = openTable(bytes)
    scanForward(r)
    scanBackward(r)
    for (const [k] of entries) r.seekEntry(k)
    return undefined
  } catch (err) {
    return err
  }
}

function smallEntries(n: number, valueBytes: number): Entry[] {
  const out: Entry[] = []
  for (let i = 0; i < n; i++) out.push([enc(`key${String(i).padStart(4, '0')}`), Buffer.alloc(valueBytes, i % 251)])
  return out
}

describe('single-byte damage', () => {
  for (const compression of ['none', 'lz4'] as const) {
    it(`every flipped byte of a small ${compression} table is CORRUPTION on open or read`, () => {
      const entries = smallEntries(30, 24)
      const { bytes } = buildTable(entries, { blockSize: 128, blockRestartInterval: 4, compression })
      expect(exercise(bytes, entries)).toBeUndefined()
      const missed: string[] = []
      for (let i = 0; i < bytes.length; i++) {
        const mask = [0x01, 0x80, 0xff][i % 3]!
        const bad = Buffer.from(bytes)
        bad[i]! ^= mask
        const err = exercise(bad, entries)
        if (!isStrataError(err, 'CORRUPTION')) missed.push(`byte ${i} ^ ${mask}: ${String(err)}`)
      }
      expect(missed).toEqual([])
    })
  }

  it('names the file and an offset in the message', () => {
    const entries = smallEntries(10, 8)
    const { bytes } = buildTable(entries, { blockSize: 64 })
    const bad = Buffer.from(bytes)
    bad[3]! ^= 0xff
    expect(String(exercise(bad, entries))).toMatch(/t\.sst@0: block checksum mismatch/)
  })
})

describe('damage a checksum cannot see', () => {
  it('random bytes as a block give entries or CORRUPTION, never another exception', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 96 }), fc.array(fc.uint8Array({ maxLength: 4 }), { maxLength: 4 }), (data, targets) => {
        try {
          const it = new BlockIter(bytewiseComparator, new Block(data, 'b', 0))
          for (it.seekToFirst(); it.valid(); it.next()) it.key()
          for (it.seekToLast(); it.valid(); it.prev()) it.value()
          for (const t of targets) it.seek(t)
        } catch (err) {
          expect(err).toBeInstanceOf(StrataError)
          expect((err as StrataError).code).toBe('CORRUPTION')
        }
      }),
      { seed: 201, numRuns: runs(3000) },
    )
  })

  it.each(['none', 'lz4'] as const)('a mutated %s data block with a recomputed checksum gives only StrataErrors', (compression) => {
    const entries = smallEntries(30, 10)
    const { bytes } = buildTable(entries, { blockSize: 4096, blockRestartInterval: 3, bloomBitsPerKey: 0, compression })
    const blockSize = findFirstBlockSize(bytes)
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(blockSize - 1), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 3 }), (edits) => {
        const bad = Buffer.from(bytes)
        for (const [at, x] of edits) bad[at]! ^= x
        putFixed32(bad, blockSize + 1, blockChecksum(bad, 0, blockSize + 1))
        const err = exercise(bad, entries)
        if (err !== undefined) expect(isStrataError(err, 'CORRUPTION'), String(err)).toBe(true)
      }),
      { seed: 202, numRuns: runs(300) },
    )
  })

  it('an unknown compression type behind a good checksum is CORRUPTION', () => {
    const entries = smallEntries(5, 4)
    const { bytes } = buildTable(entries, { bloomBitsPerKey: 0 })
    const n = findFirstBlockSize(bytes)
    const bad = Buffer.from(bytes)
    bad[n] = 7
    putFixed32(bad, n + 1, blockChecksum(bad, 0, n + 1))
    expect(String(exercise(bad, entries))).toMatch(/unknown block compression type 7/)
  })

  it('an LZ4 block whose length prefix lies is CORRUPTION, not a short value', () => {
    const entries: Entry[] = [[enc('k'), Buffer.alloc(200, 'a')]]
    const { bytes } = buildTable(entries, { compression: 'lz4', bloomBitsPerKey: 0 })
    const n = findFirstBlockSize(bytes)
    expect(bytes[n]).toBe(1)
    for (const delta of [-1, 1, 1000, 0x7fffffff]) {
      const bad = Buffer.from(bytes)
      bad.writeUInt32LE(bad.readUInt32LE(0) + delta, 0)
      putFixed32(bad, n + 1, blockChecksum(bad, 0, n + 1))
      const err = exercise(bad, entries)
      expect(isStrataError(err, 'CORRUPTION'), String(err)).toBe(true)
      expect(String(err)).toMatch(/LZ4/)
    }
  })
})

describe('truncation, magic and version', () => {
  it('every truncation of a table is CORRUPTION', () => {
    const entries = smallEntries(20, 8)
    const { bytes } = buildTable(entries, { blockSize: 64 })
    for (let len = 0; len < bytes.length; len++) {
      expect(isStrataError(exercise(bytes.subarray(0, len), entries), 'CORRUPTION'), `length ${len}`).toBe(true)
    }
  })

  it('a file that is not a table fails on its magic number', () => {
    expect(() => openTable(Buffer.alloc(100, 0x41))).toThrow(/bad table magic number/)
    expect(() => openTable(Buffer.alloc(10))).toThrow(/too short/)
  })

  it('a future format version with a good checksum is NOT_SUPPORTED', () => {
    const { bytes } = buildTable(smallEntries(3, 3))
    const bad = Buffer.from(bytes)
    const at = bad.length - FOOTER_SIZE
    putFixed32(bad, at + FOOTER_VERSION_OFFSET, 2)
    putFixed32(bad, at + FOOTER_CRC_OFFSET, maskCrc(crc32(bad, at, at + FOOTER_CRC_OFFSET)))
    let err: unknown
    try { openTable(bad) } catch (e) { err = e }
    expect(isStrataError(err, 'NOT_SUPPORTED')).toBe(true)
  })

  it('a footer handle past the end is CORRUPTION', () => {
    const { bytes } = buildTable(smallEntries(3, 3))
    const footer = encodeFooter({ offset: bytes.length, size: 10 }, { offset: 0, size: 1 })
    const bad = Buffer.concat([bytes.subarray(0, bytes.length - FOOTER_SIZE), footer])
    expect(() => openTable(bad)).toThrow(/runs past the table's blocks/)
  })
})

/** Size of the first data block: the first offset whose trailer checksum matches. */
function findFirstBlockSize(bytes: Buffer): number {
  for (let n = 4; n + 5 <= bytes.length; n++) {
    if (bytes.readUInt32LE(n + 1) === blockChecksum(bytes, 0, n + 1)) return n
  }
  throw new Error('no block found')
}
