// Round trips: whatever sequence of record sizes is written reads back, in order, in every mode.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { BLOCK_SIZE, HEADER_SIZE } from '../../engine/wal/format.js'
import { LogReader, LogWriter } from '../../engine/wal/index.js'
import type { WalReadMode } from '../../engine/wal/index.js'
import { CountingFile, FILE, pattern } from './helpers.js'

const RUNS = Number(process.env.FUZZ_RUNS ?? 60)
const MODES: readonly WalReadMode[] = ['absolute', 'tolerate-torn-tail', 'skip-corrupted']

/**
 * A record size, either free or chosen to end `leave` bytes before a block's end after
 * `blocks` more block boundaries (so 0..8 bytes left, a record ending exactly at a boundary,
 * an empty FIRST in the last 7 bytes, ...).
 */
type SizeSpec =
  | { kind: 'free'; size: number }
  | { kind: 'fit'; leave: number; blocks: number }

const sizeSpec: fc.Arbitrary<SizeSpec> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('free' as const), size: fc.nat({ max: 300 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('free' as const), size: fc.integer({ min: 300, max: 120_000 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('fit' as const), leave: fc.nat({ max: 8 }), blocks: fc.nat({ max: 2 }) }) },
)

/** The size that `spec` means for a record written at file offset `pos`. */
function sizeAt(spec: SizeSpec, pos: number): number {
  if (spec.kind === 'free') return spec.size
  let left = BLOCK_SIZE - (pos % BLOCK_SIZE)
  if (left < HEADER_SIZE) left = BLOCK_SIZE
  return Math.max(0, left - HEADER_SIZE + spec.blocks * (BLOCK_SIZE - HEADER_SIZE) - spec.leave)
}

/** Writes records of the given sizes; returns the records, their end offsets and the file. */
function writeSizes(specs: readonly SizeSpec[]): { records: Uint8Array[]; ends: number[]; bytes: Buffer } {
  const file = new CountingFile()
  const writer = new LogWriter(file)
  const records: Uint8Array[] = []
  const ends: number[] = []
  specs.forEach((spec, i) => {
    const record = pattern(sizeAt(spec, writer.size), i)
    records.push(record)
    ends.push(writer.addRecord(record))
  })
  // one append per record, except records framed larger than the writer's 1 MiB scratch
  if (records.every((r) => r.length < 1_000_000)) expect(file.appends).toBe(records.length)
  return { records, ends, bytes: file.bytes() }
}

/** Where the first fragment of a record written at `pos` begins (after any block padding). */
function headerAt(pos: number): number {
  const left = BLOCK_SIZE - (pos % BLOCK_SIZE)
  return left < HEADER_SIZE ? pos + left : pos
}

describe('WAL round trip', () => {
  it('reads back any sequence of record sizes in order, with their offsets, in every mode', () => {
    fc.assert(
      fc.property(fc.array(sizeSpec, { maxLength: 25 }), (specs) => {
        const { records, ends, bytes } = writeSizes(specs)
        expect(bytes.length).toBe(ends.at(-1) ?? 0)
        for (const mode of MODES) {
          const reader = new LogReader(bytes, FILE, { mode })
          records.forEach((expected, i) => {
            const got = reader.readRecord()
            expect(got && Buffer.from(got).equals(Buffer.from(expected))).toBe(true)
            expect(reader.lastRecordOffset).toBe(headerAt(i === 0 ? 0 : ends[i - 1]!))
            expect(reader.lastRecordEnd).toBe(ends[i])
          })
          expect(reader.readRecord()).toBeUndefined()
          expect(reader.readRecord()).toBeUndefined()
          expect(reader.dropped).toEqual([])
        }
      }),
      { seed: 0x3a1, numRuns: RUNS },
    )
  })

  it('round-trips records around every block-end remainder from 0 to 8 bytes', () => {
    for (let leave = 0; leave <= 8; leave++) {
      for (let blocks = 0; blocks <= 1; blocks++) {
        const specs: SizeSpec[] = [{ kind: 'free', size: 5 }, { kind: 'fit', leave, blocks }, { kind: 'free', size: 0 }, { kind: 'free', size: 40 }]
        const { records, bytes } = writeSizes(specs)
        const reader = new LogReader(bytes, FILE, { mode: 'absolute' })
        for (const expected of records) expect(Buffer.from(reader.readRecord()!).equals(Buffer.from(expected))).toBe(true)
        expect(reader.readRecord()).toBeUndefined()
      }
    }
  })

  it('round-trips a record of several MiB between small ones', () => {
    const { records, bytes } = writeSizes([{ kind: 'free', size: 10 }, { kind: 'free', size: 2.5 * 1024 * 1024 + 123 }, { kind: 'free', size: 1 }])
    const reader = new LogReader(bytes, FILE, { mode: 'tolerate-torn-tail' })
    for (const expected of records) expect(Buffer.from(reader.readRecord()!).equals(Buffer.from(expected))).toBe(true)
    expect(reader.readRecord()).toBeUndefined()
    expect(reader.dropped).toEqual([])
  })

  it('returns a one-fragment record as a view into the file bytes and a split one as a copy', () => {
    const { bytes } = writeSizes([{ kind: 'free', size: 100 }, { kind: 'free', size: 50_000 }])
    const reader = new LogReader(bytes, FILE, { mode: 'absolute' })
    const small = reader.readRecord()!
    expect(small.buffer === bytes.buffer).toBe(true)
    expect(small.byteOffset).toBe(bytes.byteOffset + HEADER_SIZE)
    const big = reader.readRecord()!
    expect(big.buffer === bytes.buffer).toBe(false)
    const again = new LogReader(bytes, FILE, { mode: 'absolute' })
    again.readRecord()
    expect(again.readRecord() === big).toBe(false) // each read assembles a new array
  })

  it('treats zeros after the last record as the end of the log in every mode', () => {
    const { records, bytes } = writeSizes([{ kind: 'free', size: 100 }, { kind: 'free', size: 33_000 }])
    for (const zeros of [1, 6, 7, 100, BLOCK_SIZE * 2]) {
      const padded = Buffer.concat([bytes, Buffer.alloc(zeros)])
      for (const mode of MODES) {
        const reader = new LogReader(padded, FILE, { mode })
        expect(reader.readRecord()!.length).toBe(records[0]!.length)
        expect(reader.readRecord()!.length).toBe(records[1]!.length)
        expect(reader.readRecord()).toBeUndefined()
        expect(reader.dropped).toEqual([])
      }
    }
  })

  it('reads an empty file as a log with no records', () => {
    for (const mode of MODES) {
      const reader = new LogReader(new Uint8Array(0), FILE, { mode })
      expect(reader.readRecord()).toBeUndefined()
      expect(reader.lastRecordOffset).toBe(-1)
      expect(reader.dropped).toEqual([])
    }
  })
})
