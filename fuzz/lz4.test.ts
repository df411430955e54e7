// LZ4 codecs: the WebAssembly encoder (lz4-encode.wat) against the TypeScript one it mirrors and
// against lz4-napi's independent decoder, and the WebAssembly decoder (lz4-decode.wat) on
// damaged blocks. Inputs are built from pieces that steer the encoder into every branch: random
// bytes (no match), runs (offset-1 matches, long length extensions), phrases repeated at short
// and long distances (matches near the 65,535-byte offset limit), near-repeats (matches that
// end early, backward extension over literals) and db_bench-like entries.
// Properties:
//   - encoding: the two encoders give the same bytes; lz4-napi and our decoder give the input
//     back; the output stays within LZ4's bound;
//   - damage: a block with bytes overwritten, cut short or given a wrong length makes our
//     decoder answer false (never throw, never write outside its output), and wherever both it
//     and lz4-napi decode the block, they give the same bytes.
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { lz4Bound } from '../engine/sstable/lz4-compress.js'
import { Lz4WasmDecoder } from '../engine/sstable/lz4-decode.js'
import { Lz4WasmEncoder } from '../engine/sstable/lz4-encode.js'
import { napiDecode, referenceStored } from '../test/sstable/lz4-oracles.js'
import { params, runs, TIMEOUT } from './support/env.js'
import { Summary } from './support/summary.js'

const summary = new Summary('lz4')
afterAll(() => summary.print())

const encoder = new Lz4WasmEncoder()
const decoder = new Lz4WasmDecoder()

type Piece =
  | { kind: 'random'; bytes: Uint8Array }
  | { kind: 'run'; byte: number; length: number }
  | { kind: 'repeat'; distance: number; length: number; flips: number[] }
  | { kind: 'entry'; key: number }

/** `n` bytes that repeat nothing (a multiplicative hash of the position and a counter). */
let noiseCalls = 0
function noise(n: number): Uint8Array {
  const salt = ++noiseCalls * 0x9e3779b1
  return Uint8Array.from({ length: n }, (_, i) => (Math.imul(i + salt, 2654435761) >>> 24) & 0xff)
}

const pieceArb: fc.Arbitrary<Piece> = fc.oneof(
  { weight: 3, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 300 }).map((bytes) => ({ kind: 'random' as const, bytes })) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('run' as const), byte: fc.nat(255), length: fc.integer({ min: 1, max: 5000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('random' as const), bytes: fc.integer({ min: 1, max: 20_000 }).map((n) => noise(n)) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('repeat' as const),
      distance: fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 65, max: 70_000 })),
      length: fc.integer({ min: 1, max: 600 }),
      flips: fc.array(fc.nat(599), { maxLength: 3 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('entry' as const), key: fc.nat(999_999) }) },
)

/** The input the pieces describe; a repeat copies from `distance` bytes back (clamped to what exists). */
function build(pieces: Piece[]): Uint8Array {
  const out: number[] = []
  for (const p of pieces) {
    if (p.kind === 'random') out.push(...p.bytes)
    else if (p.kind === 'run') for (let i = 0; i < p.length; i++) out.push(p.byte)
    else if (p.kind === 'entry') {
      out.push(0, 24, 100, ...Buffer.from(String(p.key).padStart(16, '0')), 1, 0, 0, 0, 0, 0, 0, 1)
      for (let i = 0; i < 100; i++) out.push(i < 50 ? (p.key * 31 + i * 17) & 0xff : 32)
    } else if (out.length > 0) {
      const from = out.length - Math.min(p.distance, out.length)
      const start = out.length
      for (let i = 0; i < p.length; i++) out.push(out[from + i]!)
      for (const f of p.flips) if (f < p.length) out[start + f] = (out[start + f]! + 1) & 0xff
    }
  }
  return Uint8Array.from(out)
}

const inputArb = fc.array(pieceArb, { minLength: 0, maxLength: 120, size: 'medium' }).map(build)

/** Our decoder on raw[...] for `length` bytes, into a guarded buffer; undefined where it refuses. */
function decode(raw: Uint8Array, length: number): Buffer | undefined {
  const out = Buffer.alloc(length + 32, 0xa5)
  const ok = decoder.decode(raw, 0, raw.length, length, out, 16)
  for (let i = 0; i < 16; i++) {
    if (out[i] !== 0xa5 || out[16 + length + i] !== 0xa5) throw new Error(`decoder wrote outside its output (length ${length})`)
  }
  return ok ? out.subarray(16, 16 + length) : undefined
}

describe('LZ4 codecs', () => {
  it('the WebAssembly encoder gives the TypeScript encoder\'s bytes, and both decoders give the input back', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const ours = Buffer.from(encoder.compress(input, 0, input.length))
        expect(ours.equals(referenceStored(input))).toBe(true)
        expect(ours.length).toBeLessThanOrEqual(4 + lz4Bound(input.length))
        summary.add('inputs', input.length < 13 ? 'under 13 bytes' : input.length < 4096 ? 'under 4 KiB' : input.length < 65536 ? 'under 64 KiB' : '64 KiB and over')
        summary.add('ratio', ours.length < input.length / 2 ? 'below 1/2' : ours.length < input.length ? 'below 1' : 'not smaller')
        if (input.length === 0) return
        expect(napiDecode(ours.subarray(4), input.length)?.equals(input)).toBe(true)
        expect(decode(ours.subarray(4), input.length)?.equals(input)).toBe(true)
      }),
      params(4401, runs(150, 5000)),
    )
  }, TIMEOUT)

  it('a damaged block: the decoder refuses it or agrees with lz4-napi, and never writes outside its output', () => {
    fc.assert(
      fc.property(
        inputArb.filter((input) => input.length > 0),
        fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 4 }),
        fc.nat(),
        fc.integer({ min: -8, max: 8 }),
        (input, flips, cut, skew) => {
          const raw = Buffer.from(encoder.compress(input, 0, input.length).subarray(4))
          for (const [at, byte] of flips) raw[at % raw.length] = byte
          const damaged = cut % 5 === 0 ? raw.subarray(0, cut % raw.length) : raw
          const length = Math.max(1, input.length + skew)
          const ours = decode(damaged, length)
          const theirs = napiDecode(damaged, length)
          if (ours === undefined) summary.add('damaged blocks', 'refused')
          else if (theirs !== undefined && theirs.length === length) {
            expect(ours.equals(theirs)).toBe(true)
            summary.add('damaged blocks', 'decoded, same as lz4-napi')
          } else summary.add('damaged blocks', 'decoded, lz4-napi refused')
        },
      ),
      params(4402, runs(150, 5000)),
    )
  }, TIMEOUT)
})
