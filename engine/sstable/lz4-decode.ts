// LZ4 block decoding in WebAssembly (lz4-decode.wat, compiled into lz4-decode-wasm.ts): the
// stored payload is copied into the module's memory, decoded there, and the output copied
// into memory the caller chose (a block arena slot, or a fresh buffer). Format: the LZ4 block
// format; format-spec/sstable.md, "Stored blocks".
//
// Why not the addon's uncompressSync: it returns a fresh external Buffer per block, and in a
// random-read loop that allocation plus the garbage it leaves cost as much as the decoding
// (benchmarks, 4 KiB db_bench block: addon 2.8-3.7 µs; this decoder 0.8-1.0 µs plus 0.15 µs
// to copy out, and no allocation when the caller reuses memory).
//
// One instance per thread, made on first use; its memory grows to the largest block seen.
// Everything a call does is finished before it returns, so databases sharing it never see
// each other's bytes.
import { copyRange } from '../base/bytes.js'
import { LZ4_DECODE_WASM } from './lz4-decode-wasm.js'
import { perThread, WasmInstance, type WasmMemory } from './wasm.js'

/** Scratch bytes the decoder may touch past its input and past its output (lz4-decode.wat). */
const WILD_COPY_SLACK = 16

interface DecoderExports {
  readonly memory: WasmMemory
  decode(src: number, srcEnd: number, dst: number, dstEnd: number): number
}

export class Lz4WasmDecoder extends WasmInstance<DecoderExports> {
  constructor() {
    super(LZ4_DECODE_WASM)
  }

  /**
   * Decodes the raw LZ4 block src[start, end) into out[outOffset, outOffset + length). Returns
   * false, leaving `out` partly written, when the data is damaged or does not decode to
   * exactly `length` bytes.
   */
  decode(src: Uint8Array, start: number, end: number, length: number, out: Uint8Array, outOffset: number): boolean {
    // Memory: output at [0, length), input after it; each followed by its slack.
    const input = (length + WILD_COPY_SLACK + 7) & ~7
    const inputEnd = input + (end - start)
    const view = this.reserve(inputEnd + WILD_COPY_SLACK)
    copyRange(src, start, end, view, input)
    if (this.exports.decode(input, inputEnd, 0, length) !== length) return false
    copyRange(view, 0, length, out, outOffset)
    return true
  }
}

/** This thread's decoder, or undefined where WebAssembly is unavailable (callers then use the addon). */
export const lz4WasmDecoder = perThread(() => new Lz4WasmDecoder())
