import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { makeInternalKey } from '../../engine/base/internal-key.js'
import { StrataError } from '../../engine/errors.js'
import { VersionEdit } from '../../engine/version/version-edit.js'

function goldenEdit(): VersionEdit {
  const e = new VersionEdit()
  e.comparatorName = 'leveldb.BytewiseComparator'
  e.logNumber = 3
  e.nextFileNumber = 4
  e.lastSequence = 5
  e.addFile(0, { number: 2, size: 100, smallest: makeInternalKey(Buffer.from('a'), 1, 1), largest: makeInternalKey(Buffer.from('z'), 2, 1) })
  e.deleteFile(1, 7)
  e.compactPointers.push({ level: 1, key: makeInternalKey(Buffer.from('m'), 300, 0) })
  return e
}

describe('version edit', () => {
  it('encodes the golden vector of format-spec/manifest.md byte for byte', () => {
    const hex = Buffer.from(goldenEdit().encode()).toString('hex')
    expect(hex).toBe(
      '011a6c6576656c64622e4279746577697365436f6d70617261746f72' +
        '0203' + '0304' + '0405' +
        '0501096d002c010000000000' +
        '060107' +
        '07000264' + '09610101000000000000' + '097a0102000000000000',
    )
  })

  it('decodes what it encodes', () => {
    const keyArb = fc.uint8Array({ minLength: 8, maxLength: 30 })
    fc.assert(
      fc.property(
        fc.option(fc.string(), { nil: undefined }),
        fc.option(fc.maxSafeNat(), { nil: undefined }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.maxSafeNat(), fc.maxSafeNat(), keyArb, keyArb), { maxLength: 5 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.maxSafeNat()), { maxLength: 5 }),
        (name, seq, files, deleted) => {
          const e = new VersionEdit()
          e.comparatorName = name
          e.lastSequence = seq
          for (const [level, number, size, smallest, largest] of files) e.addFile(level, { number, size, smallest, largest })
          for (const [level, number] of deleted) e.deleteFile(level, number)
          const d = VersionEdit.decode(e.encode(), 'MANIFEST-000001', 0)
          expect(d.comparatorName).toBe(name)
          expect(d.lastSequence).toBe(seq)
          expect(d.newFiles.map((f) => [f.level, f.file.number, f.file.size, Buffer.from(f.file.smallest).toString('hex')])).toEqual(
            files.map(([l, n, s, k]) => [l, n, s, Buffer.from(k).toString('hex')]),
          )
          expect(d.deletedFiles).toEqual(deleted.map(([level, number]) => ({ level, number })))
        },
      ),
      { seed: 7, numRuns: 200 },
    )
  })

  it('gives CORRUPTION, never another exception, for arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          VersionEdit.decode(bytes, 'MANIFEST-000009', 128)
        } catch (err) {
          expect(err).toBeInstanceOf(StrataError)
          expect((err as StrataError).code).toBe('CORRUPTION')
          expect((err as StrataError).message).toMatch(/^MANIFEST-000009@128: /)
        }
      }),
      { seed: 8, numRuns: 2000 },
    )
  })

  it('detects every truncation of the golden edit', () => {
    const bytes = goldenEdit().encode()
    let corrupt = 0
    for (let n = 0; n < bytes.length; n++) {
      try {
        VersionEdit.decode(bytes.subarray(0, n), 'M', 0)
      } catch (err) {
        expect((err as StrataError).code).toBe('CORRUPTION')
        corrupt++
      }
    }
    // a cut exactly between fields decodes to a shorter, valid edit; the MANIFEST's record
    // checksum is what catches those (format-spec/wal.md)
    expect(corrupt).toBeGreaterThan(bytes.length / 2)
  })
})
