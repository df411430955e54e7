// LZ4 block encoding in WebAssembly (lz4-encode.wat, compiled into lz4-encode-wasm.ts): the raw
// block is copied into the module's memory and compressed there, and the caller gets a view of
// the output (fixed32 length · raw LZ4 block, a type-1 block's stored bytes) in that memory.
// Same algorithm, and the same output byte for byte, as lz4-compress.ts in TypeScript.
//
// Why not lz4-napi's compressSync, and the costs of each encoder: compression.ts.
//
// One instance per thread, made on first use; its memory grows to the largest block seen and
// is reused by every call.
import { putFixed32 } from '../base/coding.js'
import { copyRange } from '../base/bytes.js'
import { LZ4_ENCODE_WASM } from './lz4-encode-wasm.js'
import { lz4Bound } from './lz4-compress.js'
import { LZ4_LENGTH_PREFIX } from './format.js'
import { perThread, WasmInstance, type WasmMemory } from './wasm.js'

/** Bytes [0, TABLE_BYTES) of the module's memory are its hash table (lz4-encode.wat). */
const TABLE_BYTES = 16384
/** Scratch bytes the encoder may touch past its input and past its output (lz4-encode.wat). */
const WILD_COPY_SLACK = 16

interface EncoderExports {
  readonly memory: WasmMemory
  compress(src: number, srcEnd: number, dst: number): number
}

export class Lz4WasmEncoder extends WasmInstance<EncoderExports> {
  constructor() {
    super(LZ4_ENCODE_WASM)
  }

  /**
   * LZ4-compresses src[start, end) into fixed32 length · raw LZ4 block. The result is a view of
   * this encoder's memory, valid until its next call: copy it out first.
   * REQUIRES: end - start < 2^30.
   */
  compress(src: Uint8Array, start: number, end: number): Uint8Array {
    const n = end - start
    // Memory: table, input and its slack, then the output's length prefix, the output and its slack.
    const inputEnd = TABLE_BYTES + n
    const prefix = (inputEnd + WILD_COPY_SLACK + 7) & ~7
    const output = prefix + LZ4_LENGTH_PREFIX
    const view = this.reserve(output + lz4Bound(n) + WILD_COPY_SLACK)
    copyRange(src, start, end, view, TABLE_BYTES)
    putFixed32(view, prefix, n)
    const outputEnd = this.exports.compress(TABLE_BYTES, inputEnd, output)
    return view.subarray(prefix, outputEnd)
  }
}

/** This thread's encoder, or undefined where WebAssembly is unavailable (callers then use the TypeScript encoder). */
export const lz4WasmEncoder = perThread(() => new Lz4WasmEncoder())
