// The TypeScript LZ4 block compressor (lz4-compress.ts): whatever it is given, lz4-napi's
// decoder (an independent implementation of the format) gives the input back exactly, the
// output stays within LZ4's bound, and the reused output buffer of compressLz4 holds each
// call's result until the next call.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compressLz4, decompressLz4 } from '../../engine/sstable/compression.js'
import { compressLz4Block, lz4Bound } from '../../engine/sstable/lz4-compress.js'
import { lz4InputArb as inputs, runs } from './arbitraries.js'
import { napiDecode } from './lz4-oracles.js'


/**
 * Walks the sequences of an LZ4 block and checks the format's end rules, which lenient decoders
 * do not: the last sequence is literals only, at least 5 of them when the input has 13 bytes
 * or more, and no match starts within the last 12 bytes of the output.
 */
function checkEndRules(block: Uint8Array, inputLength: number): void {
  let p = 0
  let produced = 0
  const length = (start: number): number => {
    let n = start
    if (start === 15) for (let b = 255; b === 255; n += b) b = block[p++]!
    return n
  }
  for (;;) {
    const token = block[p++]!
    const literals = length(token >>> 4)
    p += literals
    produced += literals
    if (p >= block.length) {
      expect(p).toBe(block.length)
      if (inputLength >= 13) expect(literals).toBeGreaterThanOrEqual(5)
      break
    }
    p += 2 // offset
    expect(produced).toBeLessThanOrEqual(inputLength - 12) // this match starts early enough
    produced += length(token & 15) + 4
  }
  expect(produced).toBe(inputLength)
}

/** Compresses with the TypeScript encoder at an offset inside a larger buffer, decodes with lz4-napi. */
function roundTrip(input: Uint8Array, pad: number): Buffer {
  const dst = new Uint8Array(pad + 4 + lz4Bound(input.length) + pad).fill(0xee)
  const end = compressLz4Block(input, 0, input.length, dst, pad + 4)
  expect(end - pad - 4).toBeLessThanOrEqual(lz4Bound(input.length))
  expect(dst.subarray(end + 0, end + pad).every((b) => b === 0xee)).toBe(true) // nothing past the end
  checkEndRules(dst.subarray(pad + 4, end), input.length)
  return napiDecode(dst.subarray(pad + 4, end), input.length) ?? Buffer.alloc(0)
}

describe('compressLz4Block', () => {
  it('round-trips any input through an independent LZ4 decoder, within the bound', () => {
    fc.assert(
      fc.property(inputs, fc.integer({ min: 0, max: 9 }), (input, pad) => {
        expect(Buffer.compare(roundTrip(input, pad), Buffer.from(input))).toBe(0)
      }),
      { seed: 4242, numRuns: runs(300) },
    )
  })

  it('compresses a run and a repeated phrase to a small fraction, and keeps random bytes within the bound', () => {
    const run = new Uint8Array(65536).fill(7)
    const dst = new Uint8Array(lz4Bound(run.length))
    expect(compressLz4Block(run, 0, run.length, dst, 0)).toBeLessThan(300)
    const noise = Uint8Array.from({ length: 4096 }, (_, i) => (Math.imul(i + 1, 2654435761) >>> 24) & 0xff)
    const out = new Uint8Array(lz4Bound(noise.length))
    expect(compressLz4Block(noise, 0, noise.length, out, 0)).toBeLessThanOrEqual(lz4Bound(noise.length))
  })

  it('compresses a sub-range of a larger buffer, not the bytes around it', () => {
    const big = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) % 13)
    const dst = new Uint8Array(lz4Bound(3000))
    const end = compressLz4Block(big, 1000, 4000, dst, 0)
    expect(napiDecode(dst.subarray(0, end), 3000)?.equals(big.subarray(1000, 4000))).toBe(true)
  })
})

describe('compressLz4 (stored form, reused buffer)', () => {
  it('gives the length prefix and a block that decompressLz4 reads back, call after call', () => {
    fc.assert(
      fc.property(fc.array(inputs, { minLength: 1, maxLength: 6 }), (blocks) => {
        for (const raw of blocks) {
          const stored = compressLz4(raw, 0, raw.length)!
          expect(stored.length).toBeLessThanOrEqual(4 + lz4Bound(raw.length))
          if (raw.length === 0) continue // decompressLz4 refuses a zero declared length (never stored)
          expect(Buffer.compare(Buffer.from(decompressLz4(stored, 't.sst', 0)), Buffer.from(raw))).toBe(0)
        }
      }),
      { seed: 4243, numRuns: runs(100) },
    )
  })
})
