// Block compression: LZ4. A type-1 block stores the uncompressed length as a fixed32
// (little-endian), then one raw LZ4 block (no frame). Format: format-spec/sstable.md, "Stored
// blocks" (type 1, LZ4).
//
// Decompression is lz4-decode.ts's WebAssembly decoder, which writes into memory the caller
// chose (a block arena slot); the `lz4-napi` addon's uncompressSync is the fallback where
// WebAssembly is unavailable. Compression depends on the thread:
// - in a worker thread (flushes and compactions by default): the addon's compressSync, about
//   10 µs per 4 KiB block;
// - on the main thread (compaction 'inline', recovery): lz4-compress.ts, in TypeScript, into a
//   reused buffer, about 14 µs per block. The addon's Buffers are freed only on a later turn of
//   the event loop, and an inline flush or compaction runs inside the caller's synchronous
//   writes, so they piled up: a 1M-key inline fill peaked at 486 MB RSS, 125 MB with this
//   encoder. A worker turns its event loop after every job, so there the faster addon is kept
//   (with it, fillbatch ran 750k entries/s against 590k with the TypeScript encoder).
// Where the addon cannot load, writing stores blocks uncompressed and reading an LZ4 block
// throws NOT_SUPPORTED (the contract in DESIGN.md ties LZ4 support to the addon, so the
// WebAssembly decoder does not lift it). The addon is process-wide.
import { createRequire } from 'node:module'
import { isMainThread } from 'node:worker_threads'
import { asBuffer } from '../base/bytes.js'
import { getFixed32, putFixed32 } from '../base/coding.js'
import { type BlockMemory, heapMemory } from './block-arena.js'
import { compressLz4Block, lz4Bound } from './lz4-compress.js'
import { lz4WasmDecoder } from './lz4-decode.js'
import { corruption, notSupported } from '../errors.js'
import { LZ4_LENGTH_PREFIX, LZ4_MAX_RATIO } from './format.js'

interface Lz4Binding {
  compressSync(data: Buffer): Buffer
  uncompressSync(data: Buffer): Buffer
}

type LoadState = { binding: Lz4Binding; error?: undefined } | { binding?: undefined; error: unknown }
let state: LoadState | undefined

function load(): LoadState {
  if (state !== undefined) return state
  try {
    const mod = createRequire(import.meta.url)('lz4-napi') as Partial<Lz4Binding>
    if (typeof mod.compressSync !== 'function' || typeof mod.uncompressSync !== 'function') {
      throw new Error('lz4-napi lacks compressSync/uncompressSync')
    }
    state = { binding: mod as Lz4Binding }
  } catch (error) {
    state = { error }
  }
  return state
}

/** True when the LZ4 addon loads on this platform. */
export function lz4Available(): boolean {
  return load().binding !== undefined
}

/**
 * LZ4-compresses raw[start, end): fixed32 length · LZ4 block. On the main thread the result is
 * a view of a buffer this module reuses, valid until the next call: copy it out first. Returns
 * undefined where the addon cannot load (the caller stores the block uncompressed).
 */
export function compressLz4(raw: Uint8Array, start: number, end: number): Uint8Array | undefined {
  const binding = load().binding
  if (binding === undefined) return undefined
  if (!isMainThread && process.env['STRATA_OWN_LZ4'] !== '1') return binding.compressSync(asBuffer(raw).subarray(start, end))
  const need = LZ4_LENGTH_PREFIX + lz4Bound(end - start)
  if (scratch.length < need) scratch = new Uint8Array(Math.max(need, scratch.length * 2))
  putFixed32(scratch, 0, end - start)
  return scratch.subarray(0, compressLz4Block(raw, start, end, scratch, LZ4_LENGTH_PREFIX))
}

/** compressLz4's output buffer, reused: one per thread, grown to the largest block. */
let scratch = new Uint8Array(0)

/**
 * Decompresses a type-1 block's stored bytes into `memory.alloc(length)`. Throws NOT_SUPPORTED where the addon cannot load, CORRUPTION (naming
 * `file` and the block's `offset`) for a bad length prefix, damaged LZ4 data or output of the
 * wrong size (memory it took is given back first).
 */
export function decompressLz4(stored: Uint8Array, file: string, offset: number, memory: BlockMemory = heapMemory): Uint8Array {
  const loaded = load()
  if (loaded.binding === undefined) {
    const why = loaded.error instanceof Error ? loaded.error.message : String(loaded.error)
    throw notSupported(`${file}@${offset}: block is LZ4-compressed but lz4-napi cannot load (${why})`)
  }
  if (stored.length < LZ4_LENGTH_PREFIX) throw corruption(file, offset, 'LZ4 block shorter than its length prefix')
  const expected = getFixed32(stored, 0)
  const payload = stored.length - LZ4_LENGTH_PREFIX
  if (expected === 0 || expected > payload * LZ4_MAX_RATIO + 16) {
    throw corruption(file, offset, `LZ4 block declares an impossible length ${expected} for ${payload} bytes`)
  }
  const wasm = lz4WasmDecoder()
  if (wasm !== undefined) {
    const out = memory.alloc(expected)
    if (wasm.decode(stored, LZ4_LENGTH_PREFIX, stored.length, expected, out, 0)) return out
    memory.free(out)
    throw corruption(file, offset, `LZ4 data damaged (does not decode to the declared ${expected} bytes)`)
  }
  let decoded: Buffer
  try {
    decoded = loaded.binding.uncompressSync(asBuffer(stored))
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err)
    throw corruption(file, offset, `LZ4 data damaged (${why})`)
  }
  if (decoded.length !== expected) {
    throw corruption(file, offset, `LZ4 output is ${decoded.length} bytes, expected ${expected}`)
  }
  if (memory === heapMemory) return decoded // already a fresh buffer of its own
  const out = memory.alloc(expected)
  out.set(decoded)
  return out
}
