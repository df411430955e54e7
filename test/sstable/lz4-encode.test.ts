// The WebAssembly LZ4 block encoder (lz4-encode.ts, lz4-encode.wat): its committed bytes are the
// WAT source compiled; for any input it gives exactly the TypeScript encoder's bytes (whose
// format and end rules lz4-compress.test.ts checks) and lz4-napi's independent decoder gives
// the input back; nothing of an earlier call (its hash table, a larger block, a memory growth,
// the table's reset when its position counter would overflow) changes a later call's output;
// a block over WASM_BLOCK_LIMIT goes to the TypeScript encoder and the addon instead, so it
// never grows either module's memory, which cannot shrink;
// and where WebAssembly is unavailable (node --jitless) compression falls back to the
// TypeScript encoder with the same bytes, and a table written that way reads back.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compressLz4, decompressLz4, WASM_BLOCK_LIMIT } from '../../engine/sstable/compression.js'
import { LZ4_ENCODE_WASM } from '../../engine/sstable/lz4-encode-wasm.js'
import { Lz4WasmEncoder, lz4WasmEncoder } from '../../engine/sstable/lz4-encode.js'
import { lz4WasmDecoder } from '../../engine/sstable/lz4-decode.js'
import { lz4Bound } from '../../engine/sstable/lz4-compress.js'
import { compileLz4Wat, LZ4_MODULES } from '../../tools/gen-lz4-wasm.mjs'
import { lz4InputArb, runs } from './arbitraries.js'
import { napiDecode, referenceStored } from './lz4-oracles.js'

/** Checks one call of `encoder` on input[start, end): same bytes as the reference, and lz4-napi decodes them. */
function expectEncodes(encoder: Lz4WasmEncoder, input: Uint8Array, start = 0, end = input.length): void {
  const raw = input.subarray(start, end)
  const stored = Buffer.from(encoder.compress(input, start, end))
  expect(stored.length).toBeLessThanOrEqual(4 + lz4Bound(raw.length))
  expect(stored.equals(referenceStored(raw)), `${raw.length} bytes`).toBe(true)
  if (raw.length > 0) expect(napiDecode(stored.subarray(4), raw.length)?.equals(raw)).toBe(true)
}

describe('LZ4 WebAssembly encoder', () => {
  it('is the WAT source compiled (npm run build:wasm)', async () => {
    expect((await compileLz4Wat(LZ4_MODULES.encode.wat)).toString('base64')).toBe(LZ4_ENCODE_WASM)
  })

  it('gives the TypeScript encoder\'s bytes for any input, and lz4-napi decodes them', () => {
    const encoder = new Lz4WasmEncoder()
    fc.assert(
      fc.property(lz4InputArb, fc.nat(20), fc.nat(20), (input, before, after) => {
        expectEncodes(encoder, input)
        // the same bytes inside a larger buffer: only [start, end) is read
        const framed = new Uint8Array(before + input.length + after).fill(0x5a)
        framed.set(input, before)
        expectEncodes(encoder, framed, before, before + input.length)
      }),
      { seed: 4301, numRuns: runs(300) },
    )
  })

  it('is not swayed by earlier calls: a sequence of inputs gives what a fresh encoder gives each', () => {
    fc.assert(
      fc.property(fc.array(lz4InputArb, { minLength: 2, maxLength: 8 }), (inputs) => {
        const encoder = new Lz4WasmEncoder()
        for (const input of inputs) expectEncodes(encoder, input)
        // the last input again, now after all the others, and on a fresh encoder
        const last = inputs[inputs.length - 1]!
        expect(Buffer.from(encoder.compress(last, 0, last.length)).equals(Buffer.from(new Lz4WasmEncoder().compress(last, 0, last.length)))).toBe(true)
      }),
      { seed: 4302, numRuns: runs(60) },
    )
  })

  it('grows its memory for a large block and still encodes small ones after it', () => {
    const encoder = new Lz4WasmEncoder()
    const phrase = Uint8Array.from({ length: 997 }, (_, i) => (Math.imul(i + 3, 2654435761) >>> 24) & 0xff)
    const big = new Uint8Array(600_000)
    for (let at = 0; at < big.length; at += phrase.length) big.set(phrase.subarray(0, Math.min(phrase.length, big.length - at)), at)
    for (let i = 0; i < big.length; i += 4099) big[i] = i & 0xff // breaks some matches
    const small = big.subarray(5, 4100)
    expectEncodes(encoder, small)
    expectEncodes(encoder, big) // several 64 KiB pages more
    expectEncodes(encoder, small)
  })

  it('clears its hash table when the position counter would overflow, and encodes the same after', () => {
    // Each call advances the counter by its length + 65,536, so ~32,750 calls of 32 bytes
    // carry it past 2^31 - 1: the reset path runs (at least once) inside this loop.
    const encoder = new Lz4WasmEncoder()
    const input = Uint8Array.from({ length: 32 }, (_, i) => 1 + (i % 8))
    const reference = referenceStored(input)
    let differing = 0
    for (let call = 0; call < 33_500; call++) {
      if (!Buffer.from(encoder.compress(input, 0, input.length)).equals(reference)) differing++
    }
    expect(differing).toBe(0)
    expect(reference.length).toBeLessThan(4 + input.length) // the input has a match to find
    const phrase = new Uint8Array(5000).map((_, i) => (i % 97) ^ (i >> 9))
    expectEncodes(encoder, phrase)
  })

  it('leaves a block over WASM_BLOCK_LIMIT to the TypeScript encoder and the addon: same bytes, no module memory kept', () => {
    const encoder = lz4WasmEncoder()!
    const decoder = lz4WasmDecoder()!
    const small = Uint8Array.from({ length: 4000 }, (_, i) => (i % 40 < 20 ? i & 3 : (i * 97) & 0xff))
    decompressLz4(Uint8Array.from(compressLz4(small, 0, small.length)!), 't.sst', 0) // both modules in use
    const encoderBytes = encoder.memoryBytes
    const decoderBytes = decoder.memoryBytes
    expect(encoderBytes).toBeLessThan(WASM_BLOCK_LIMIT)
    const huge = new Uint8Array(WASM_BLOCK_LIMIT + 4096)
    for (let at = 0; at < huge.length; at += small.length) huge.set(small.subarray(0, Math.min(small.length, huge.length - at)), at)
    const stored = Uint8Array.from(compressLz4(huge, 0, huge.length)!)
    expect(Buffer.from(stored).equals(referenceStored(huge))).toBe(true)
    expect(Buffer.from(decompressLz4(stored, 't.sst', 0)).equals(huge)).toBe(true)
    expect(encoder.memoryBytes).toBe(encoderBytes) // the huge block never entered either module
    expect(decoder.memoryBytes).toBe(decoderBytes)
    // at the limit itself, the modules still take the block
    const atLimit = huge.subarray(0, WASM_BLOCK_LIMIT)
    expect(Buffer.from(compressLz4(atLimit, 0, atLimit.length)!).equals(referenceStored(atLimit))).toBe(true)
    expect(encoder.memoryBytes).toBeGreaterThan(WASM_BLOCK_LIMIT)
  })

  it('compressLz4 is this encoder where WebAssembly runs', () => {
    expect(lz4WasmEncoder()).toBeDefined()
    const raw = Uint8Array.from({ length: 4000 }, (_, i) => (i % 50 < 25 ? i & 7 : (i * 131) & 0xff))
    expect(Buffer.from(compressLz4(raw, 0, raw.length)!).equals(referenceStored(raw))).toBe(true)
  })
})

describe('where WebAssembly is unavailable (node --jitless)', () => {
  it('compresses with the TypeScript encoder, the same bytes, and a database written that way reads back', () => {
    const built = resolve('dist/engine/sstable/compression.js')
    if (!existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` first`)
    const script = `
      import { compressLz4 } from ${JSON.stringify(built)}
      import { lz4WasmEncoder } from ${JSON.stringify(resolve('dist/engine/sstable/lz4-encode.js'))}
      import { lz4WasmDecoder } from ${JSON.stringify(resolve('dist/engine/sstable/lz4-decode.js'))}
      import { DB } from ${JSON.stringify(resolve('dist/engine/index.js'))}
      import { mkdtempSync, rmSync } from 'node:fs'
      import { tmpdir } from 'node:os'
      import { join } from 'node:path'
      const raw = Uint8Array.from({ length: 4000 }, (_, i) => (i % 50 < 25 ? i & 7 : (i * 131) & 0xff))
      const dir = mkdtempSync(join(tmpdir(), 'strata-jitless-'))
      try {
        const db = DB.open(dir, { compaction: 'inline' })
        for (let i = 0; i < 3000; i++) db.put(String(i).padStart(8, '0'), 'value-' + String(i % 10).repeat(60))
        db.flush()
        let ok = 0
        for (let i = 0; i < 3000; i++) if (db.get(String(i).padStart(8, '0'))?.toString() === 'value-' + String(i % 10).repeat(60)) ok++
        const stats = db.stats()
        db.close()
        console.log(JSON.stringify({
          encoder: lz4WasmEncoder() === undefined ? 'none' : 'wasm',
          decoder: lz4WasmDecoder() === undefined ? 'none' : 'wasm',
          stored: Buffer.from(compressLz4(raw, 0, raw.length)).toString('base64'),
          ok,
          files: stats.levels.reduce((n, l) => n + l.files, 0),
        }))
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }`
    const r = spawnSync(process.execPath, ['--jitless', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 })
    expect(r.status, r.stderr).toBe(0)
    const out = JSON.parse(r.stdout) as { encoder: string; decoder: string; stored: string; ok: number; files: number }
    expect(out.encoder).toBe('none')
    expect(out.decoder).toBe('none')
    const raw = Uint8Array.from({ length: 4000 }, (_, i) => (i % 50 < 25 ? i & 7 : (i * 131) & 0xff))
    expect(out.stored).toBe(referenceStored(raw).toString('base64'))
    expect(out.files).toBeGreaterThan(0)
    expect(out.ok).toBe(3000)
  })
})
