// Decoding batches from untrusted bytes, and applying them to a memtable all or nothing.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { putFixed32, putFixed64 } from '../../engine/base/coding.js'
import { MAX_SEQUENCE } from '../../engine/base/internal-key.js'
import { applyBatch, batchCount, batchSequence, forEachRecord } from '../../engine/batch/reader.js'
import { WriteBatch } from '../../engine/batch/write-batch.js'
import { isStrataError } from '../../engine/errors.js'
import { MemTable } from '../../engine/memtable/memtable.js'

const RUNS = Number(process.env.FUZZ_RUNS ?? 300)

function header(sequence: number, count: number): Uint8Array {
  const h = new Uint8Array(12)
  putFixed64(h, 0, sequence)
  putFixed32(h, 8, count)
  return h
}

const concat = (...parts: Uint8Array[]): Buffer => Buffer.concat(parts)

function expectCorruption(bytes: Uint8Array, at: number): void {
  expect(() => forEachRecord(bytes, '000042.log', 500, () => {})).toThrow(
    expect.objectContaining({ code: 'CORRUPTION', message: expect.stringMatching(new RegExp(`^000042\\.log@${500 + at}: `)) }),
  )
}

describe('forEachRecord', () => {
  it('gives records inside the input or CORRUPTION for arbitrary bytes, never anything else', () => {
    const arb = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      // A plausible header first, so the fuzzer reaches the records.
      fc.tuple(fc.integer({ min: 0, max: 4 }), fc.uint8Array({ maxLength: 48 })).map(([n, body]) => concat(header(7, n), body)),
      fc.tuple(fc.integer({ min: 0, max: 4 }), fc.array(fc.constantFrom(0, 1, 2, 3, 0x61, 0x80, 0xff), { maxLength: 24 }))
        .map(([n, body]) => concat(header(7, n), Uint8Array.from(body))),
    )
    let decodedSome = 0
    fc.assert(
      fc.property(arb, (bytes) => {
        let seen = 0
        try {
          const count = forEachRecord(bytes, 'fuzz', 0, (seq, kind, buf, ks, ke, vs, ve) => {
            expect(buf).toBe(bytes)
            expect(kind === 0 || kind === 1).toBe(true)
            expect(0 <= ks && ks <= ke && ke <= vs && vs <= ve && ve <= bytes.length).toBe(true)
            expect(seq).toBe(batchSequence(bytes) + seen)
            seen++
          })
          expect(count).toBe(seen)
          expect(count).toBe(batchCount(bytes))
          decodedSome++
        } catch (err) {
          if (!isStrataError(err, 'CORRUPTION')) throw err
        }
      }),
      { seed: 21, numRuns: RUNS },
    )
    expect(decodedSome).toBeGreaterThan(0)
  })

  it('reports a header shorter than 12 bytes at the start', () => {
    for (let n = 0; n < 12; n++) expectCorruption(new Uint8Array(n), 0)
    expect(() => batchSequence(new Uint8Array(3))).toThrow(expect.objectContaining({ code: 'CORRUPTION' }))
    expect(() => batchCount(new Uint8Array(11))).toThrow(expect.objectContaining({ code: 'CORRUPTION' }))
  })

  it('reports a sequence number of 2^53 or more, and a count that runs past 2^53 - 1', () => {
    const big = new Uint8Array(12).fill(0xff)
    expectCorruption(big, 0)
    // Regression: `sequence + count - 1` computed in doubles rounded 2^53 back down to 2^53 - 1.
    expectCorruption(concat(header(MAX_SEQUENCE, 2), Uint8Array.of(0, 0, 0, 0)), 8)
    expect(forEachRecord(concat(header(MAX_SEQUENCE, 1), Uint8Array.of(0, 0)), 'f', 0, () => {})).toBe(1)
  })

  it('reports an unknown kind byte where it stands', () => {
    expectCorruption(concat(header(1, 1), Uint8Array.of(2, 0)), 12)
    expectCorruption(concat(header(1, 2), Uint8Array.of(0, 0, 0xff)), 14)
  })

  it('reports a truncated, overlong or oversized length varint', () => {
    expectCorruption(concat(header(1, 1), Uint8Array.of(1)), 13) // no key length at all
    expectCorruption(concat(header(1, 1), Uint8Array.of(1, 0x80)), 13) // varint cut
    expectCorruption(concat(header(1, 1), Uint8Array.of(1, 0)), 14) // no value length
    expectCorruption(concat(header(1, 1), Uint8Array.of(0, 0x80, 0x80, 0x80, 0x80, 0x10)), 13) // 2^32
    expectCorruption(concat(header(1, 1), Uint8Array.of(0, ...new Array<number>(9).fill(0x80), 0)), 13) // 10 bytes
  })

  it('accepts a non-shortest length varint of up to 8 bytes', () => {
    const keys: number[] = []
    forEachRecord(concat(header(1, 1), Uint8Array.of(0, 0x81, 0x80, 0x80, 0, 0x61)), 'f', 0, (_s, _k, _b, ks, ke) => keys.push(ks, ke))
    expect(keys).toEqual([17, 18])
  })

  it('reports a key or value length that runs past the end', () => {
    expectCorruption(concat(header(1, 1), Uint8Array.of(0, 2, 0x61)), 13)
    expectCorruption(concat(header(1, 1), Uint8Array.of(1, 1, 0x61, 5, 1, 2, 3, 4)), 15)
  })

  it('reports bytes after the counted records, and fewer records than counted', () => {
    expectCorruption(concat(header(1, 1), Uint8Array.of(0, 0, 0)), 14)
    expectCorruption(concat(header(1, 0), Uint8Array.of(0)), 12)
    expectCorruption(concat(header(1, 3), Uint8Array.of(0, 0, 0, 0)), 16)
    expectCorruption(header(1, 1), 12)
  })
})

describe('applyBatch', () => {
  it('inserts record i at sequence + i, so a later record shadows an earlier one', () => {
    const batch = new WriteBatch().put('k', 'one').put('k', 'two').delete('gone').put('other', '')
    batch.setSequence(100)
    const mem = new MemTable()
    expect(applyBatch(batch.contents(), mem)).toBe(4)
    const out = { value: undefined as Buffer | undefined, sequence: 0 }
    expect(mem.get(Buffer.from('k'), 100, out)).toBe('value')
    expect(out.value?.toString()).toBe('one')
    expect(mem.get(Buffer.from('k'), 1000, out)).toBe('value')
    expect(out.value?.toString()).toBe('two')
    expect(out.sequence).toBe(101)
    expect(mem.get(Buffer.from('gone'), 102, out)).toBe('deleted')
    expect(mem.get(Buffer.from('gone'), 101, out)).toBe('absent')
    expect(mem.get(Buffer.from('other'), 103, out)).toBe('value')
    expect(out.value?.length).toBe(0)
    expect([mem.firstSequence, mem.lastSequence, mem.count]).toEqual([100, 103, 4])
  })

  it('applies nothing from a batch damaged after its first records', () => {
    const good = new WriteBatch().put('a', '1').put('b', '2').contents()
    const damaged = concat(good, Uint8Array.of(0)) // a trailing byte, found only at the end
    const mem = new MemTable()
    expect(() => applyBatch(damaged, mem, '000009.log', 64)).toThrow(
      expect.objectContaining({ code: 'CORRUPTION', message: expect.stringMatching(/^000009\.log@/) }),
    )
    expect(mem.count).toBe(0)
  })
})
