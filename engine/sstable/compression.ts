// Block compression: LZ4 through the `lz4-napi` native addon, loaded lazily on first use.
// Format: format-spec/sstable.md, "Stored blocks" (type 1, LZ4).
//
// lz4-napi's compressSync writes the uncompressed length as a fixed32 (little-endian), then
// one raw LZ4 block (no frame); that is exactly what a type-1 block stores. Where the addon
// cannot load, writing falls back to uncompressed blocks and reading an LZ4 block throws
// NOT_SUPPORTED. The loaded addon is process-wide, like Node's module cache.
import { createRequire } from 'node:module'
import { asBuffer } from '../base/bytes.js'
import { getFixed32 } from '../base/coding.js'
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
 * LZ4-compresses raw[start, end): fixed32 length · LZ4 block. Returns undefined where the
 * addon cannot load (the caller stores the block uncompressed).
 */
export function compressLz4(raw: Uint8Array, start: number, end: number): Buffer | undefined {
  const binding = load().binding
  if (binding === undefined) return undefined
  return binding.compressSync(asBuffer(raw).subarray(start, end))
}

/**
 * Decompresses a type-1 block's stored bytes. Throws NOT_SUPPORTED where the addon cannot
 * load, CORRUPTION (naming `file` and the block's `offset`) for a bad length prefix, damaged
 * LZ4 data or output of the wrong size.
 */
export function decompressLz4(stored: Uint8Array, file: string, offset: number): Uint8Array {
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
  let out: Buffer
  try {
    out = loaded.binding.uncompressSync(asBuffer(stored))
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err)
    throw corruption(file, offset, `LZ4 data damaged (${why})`)
  }
  if (out.length !== expected) {
    throw corruption(file, offset, `LZ4 output is ${out.length} bytes, expected ${expected}`)
  }
  return out
}
