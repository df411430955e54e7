// Block compression: LZ4. A type-1 block stores the uncompressed length as a fixed32
// (little-endian), then one raw LZ4 block (no frame). Format: format-spec/sstable.md, "Stored
// blocks" (type 1, LZ4).
//
// Both directions run in WebAssembly, in memory each thread's module reuses, with no
// allocation per block: lz4-encode.ts compresses (about 8 µs per 4 KiB db_bench block, where
// the `lz4-napi` addon's compressSync took 13-15 µs and returned a Buffer per block that is
// freed only on a later turn of the event loop: a flush or compaction is one long synchronous
// stretch, so those Buffers piled up in RSS until it ended); lz4-decode.ts decompresses into
// memory the caller chose (a block arena slot). Where WebAssembly is unavailable, and for
// blocks over WASM_BLOCK_LIMIT, blocks are compressed by lz4-compress.ts (TypeScript, the same
// output, ~23 µs per 4 KiB block) and decompressed by the addon's uncompressSync.
// Where the addon cannot load, writing stores blocks uncompressed and reading an LZ4 block
// throws NOT_SUPPORTED (the contract in DESIGN.md ties LZ4 support to the addon, so the
// WebAssembly modules do not lift it). The addon is process-wide.
import { createRequire } from 'node:module'
import { asBuffer } from '../base/bytes.js'
import { getFixed32, putFixed32 } from '../base/coding.js'
import { type BlockMemory, heapMemory } from './block-arena.js'
import { compressLz4Block, lz4Bound } from './lz4-compress.js'
import { lz4WasmDecoder } from './lz4-decode.js'
import { lz4WasmEncoder } from './lz4-encode.js'
import { corruption, notSupported } from '../errors.js'
import { LZ4_LENGTH_PREFIX, LZ4_MAX_RATIO } from './format.js'

interface Lz4Binding {
  uncompressSync(data: Buffer): Buffer
}

type LoadState = { binding: Lz4Binding; error?: undefined } | { binding?: undefined; error: unknown }
let state: LoadState | undefined

function load(): LoadState {
  if (state !== undefined) return state
  try {
    const mod = createRequire(import.meta.url)('lz4-napi') as Partial<Lz4Binding>
    if (typeof mod.uncompressSync !== 'function') {
      throw new Error('lz4-napi lacks uncompressSync')
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
 * Blocks of more raw bytes than this bypass the WebAssembly modules. A module's memory grows to
 * the largest block it has handled and never shrinks, so one huge value would pin about twice
 * its size in every thread that wrote or read it. Such a block (in practice one entry larger
 * than this) is compressed by the TypeScript encoder into a buffer of its own and decompressed
 * by the addon, both left to the garbage collector.
 */
export const WASM_BLOCK_LIMIT = 1024 * 1024

/** Blocks this large or larger are stored uncompressed (the encoders' position arithmetic needs n < 2^30). */
const MAX_COMPRESS_INPUT = 2 ** 30

/**
 * LZ4-compresses raw[start, end): fixed32 length · LZ4 block. The result is a view of a buffer
 * this thread reuses (for blocks up to WASM_BLOCK_LIMIT), valid until the next call: copy it
 * out first. Returns undefined where the addon cannot load or the block is too large (the
 * caller stores the block uncompressed).
 */
export function compressLz4(raw: Uint8Array, start: number, end: number): Uint8Array | undefined {
  const n = end - start
  if (load().binding === undefined || n >= MAX_COMPRESS_INPUT) return undefined
  const wasm = n <= WASM_BLOCK_LIMIT ? lz4WasmEncoder() : undefined
  if (wasm !== undefined) return wasm.compress(raw, start, end)
  const need = LZ4_LENGTH_PREFIX + lz4Bound(n)
  let out = scratch
  if (n > WASM_BLOCK_LIMIT) out = new Uint8Array(need) // not kept: see WASM_BLOCK_LIMIT
  else if (scratch.length < need) out = scratch = new Uint8Array(Math.max(need, scratch.length * 2))
  putFixed32(out, 0, n)
  return out.subarray(0, compressLz4Block(raw, start, end, out, LZ4_LENGTH_PREFIX))
}

/** compressLz4's output buffer where WebAssembly is unavailable: one per thread, grown to the largest block up to WASM_BLOCK_LIMIT. */
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
  const wasm = expected <= WASM_BLOCK_LIMIT ? lz4WasmDecoder() : undefined
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
