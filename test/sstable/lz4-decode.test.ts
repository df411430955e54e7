// The WebAssembly LZ4 block decoder (lz4-decode.ts, lz4-decode.wat): its committed bytes are the
// WAT source compiled; it gives back exactly what either encoder (lz4-napi's, and ours in
// TypeScript) compressed; it handles the format's edge cases (overlapping matches, length
// extensions at 15 and 255); and damaged input makes it answer false, never throw, never
// decode differently from lz4-napi's independent decoder.
import { createRequire } from 'node:module'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decompressLz4 } from '../../engine/sstable/compression.js'
import { LZ4_DECODE_WASM } from '../../engine/sstable/lz4-decode-wasm.js'
import { Lz4WasmDecoder } from '../../engine/sstable/lz4-decode.js'
import { isStrataError } from '../../engine/errors.js'
import { compileLz4Wat } from '../../tools/gen-lz4-wasm.mjs'
import { lz4InputArb, runs } from './arbitraries.js'
import { napiDecode, referenceStored } from './lz4-oracles.js'

const lz4 = createRequire(import.meta.url)('lz4-napi') as {
  compressSync(b: Buffer): Buffer
  uncompressSync(b: Buffer): Buffer
}
const decoder = new Lz4WasmDecoder()

/** Decodes the raw block `raw` into `length` bytes; undefined where the decoder refuses it. */
function decode(raw: Uint8Array, length: number): Buffer | undefined {
  const out = Buffer.alloc(length + 8, 0xab)
  if (!decoder.decode(raw, 0, raw.length, length, out, 4)) return undefined
  expect(out.readUInt32LE(0)).toBe(0xabababab) // nothing written before
  expect(out.readUInt32LE(length + 4)).toBe(0xabababab) // nor after
  return out.subarray(4, 4 + length)
}

/** Our TypeScript encoder's raw block for `input`. */
const encodeTs = (input: Uint8Array): Uint8Array => referenceStored(input).subarray(4)

/** A raw block assembled by hand: [literals, matchOffset, matchLength] sequences, then final literals. */
function assemble(sequences: [Uint8Array, number, number][], last: Uint8Array): Uint8Array {
  const out: number[] = []
  const lengthTail = (n: number): void => {
    for (n -= 15; n >= 255; n -= 255) out.push(255)
    out.push(n)
  }
  const sequence = (literals: Uint8Array, match?: [number, number]): void => {
    const ml = match === undefined ? 0 : match[1] - 4
    out.push((Math.min(literals.length, 15) << 4) | Math.min(ml, 15))
    if (literals.length >= 15) lengthTail(literals.length)
    out.push(...literals)
    if (match === undefined) return
    out.push(match[0] & 0xff, match[0] >>> 8)
    if (ml >= 15) lengthTail(ml)
  }
  for (const [literals, offset, length] of sequences) sequence(literals, [offset, length])
  sequence(last)
  return Uint8Array.from(out)
}

/** What the sequences of `assemble` decode to, computed byte by byte. */
function expand(sequences: [Uint8Array, number, number][], last: Uint8Array): Buffer {
  const out: number[] = []
  for (const [literals, offset, length] of sequences) {
    out.push(...literals)
    for (let i = 0; i < length; i++) out.push(out[out.length - offset]!)
  }
  out.push(...last)
  return Buffer.from(out)
}

describe('LZ4 WebAssembly decoder', () => {
  it('is the WAT source compiled (npm run build:wasm)', async () => {
    expect((await compileLz4Wat()).toString('base64')).toBe(LZ4_DECODE_WASM)
  })

  it('decodes what lz4-napi and the TypeScript encoder compress', () => {
    fc.assert(
      fc.property(lz4InputArb, (input) => {
        if (input.length === 0) return
        const framed = lz4.compressSync(Buffer.from(input))
        expect(framed.readUInt32LE(0)).toBe(input.length)
        expect(decode(framed.subarray(4), input.length)?.equals(input)).toBe(true)
        expect(decode(encodeTs(input), input.length)?.equals(input)).toBe(true)
      }),
      { numRuns: runs(150), seed: 41 },
    )
  })

  it('copies overlapping matches (offsets 1 to 20) and length extensions at 15, 255 and beyond', () => {
    const lengths = [4, 5, 8, 15, 16, 17, 18, 19, 20, 33, 269, 270, 271, 524, 525, 1000]
    for (let offset = 1; offset <= 20; offset++) {
      for (const length of lengths) {
        const literals = Uint8Array.from({ length: Math.max(offset, 14) + (length % 7) }, (_, i) => (i * 37 + offset) & 0xff)
        const sequences: [Uint8Array, number, number][] = [[literals, offset, length], [literals.subarray(0, length % 3), offset, 4]]
        const last = Uint8Array.from({ length: (length * 3) % 280 }, (_, i) => i & 0xff)
        const expected = expand(sequences, last)
        expect(decode(assemble(sequences, last), expected.length)?.equals(expected), `offset ${offset} length ${length}`).toBe(true)
      }
    }
  })

  it('refuses damage: a match before the output, a missing offset, a wrong length, a truncated block', () => {
    const lit = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8])
    expect(decode(assemble([[lit, 9, 4]], lit), 20)).toBeUndefined() // reaches before the output
    expect(decode(assemble([[lit, 0, 4]], lit), 20)).toBeUndefined() // offset 0
    const good = assemble([[lit, 8, 30]], lit)
    expect(decode(good, 46)?.equals(expand([[lit, 8, 30]], lit))).toBe(true)
    expect(decode(good, 45)).toBeUndefined() // output would overrun
    expect(decode(good, 47)).toBeUndefined() // output falls short
    for (let cut = 0; cut < good.length; cut++) expect(decode(good.subarray(0, cut), 46)).toBeUndefined()
    expect(decode(Uint8Array.from([0xf0, 255, 255]), 600)).toBeUndefined() // length extension runs off the end
  })

  it('never throws on damaged blocks, and where it decodes one, lz4-napi decodes the same bytes', () => {
    let agreed = 0
    fc.assert(
      fc.property(lz4InputArb, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), fc.integer({ min: -3, max: 3 }), (input, flips, skew) => {
        if (input.length === 0) return
        const raw = Buffer.from(encodeTs(input))
        for (const [at, byte] of flips) raw[at % raw.length] = byte
        const length = Math.max(1, input.length + skew)
        const ours = decode(raw, length)
        const theirs = napiDecode(raw, length)
        if (ours !== undefined && theirs !== undefined && theirs.length === length) {
          expect(ours.equals(theirs)).toBe(true)
          agreed++
        }
      }),
      { numRuns: runs(300), seed: 42 },
    )
    expect(agreed).toBeGreaterThan(0)
  })

  it('decompressLz4 reports a block the decoder refuses as CORRUPTION', () => {
    const stored = Buffer.concat([Buffer.from([46, 0, 0, 0]), assemble([[Uint8Array.of(1, 2), 9, 30]], Uint8Array.of(3))])
    let err: unknown
    try { decompressLz4(stored, 't.sst', 128) } catch (e) { err = e }
    expect(isStrataError(err, 'CORRUPTION'), String(err)).toBe(true)
    expect(String(err)).toMatch(/t\.sst@128: LZ4 data damaged/)
  })
})
