// The reference points the LZ4 tests and the LZ4 fuzz campaign check against: the TypeScript
// encoder's stored form of an input (the bytes the WebAssembly encoder must equal), and
// lz4-napi's decoder (an independent implementation of the format).
import { createRequire } from 'node:module'
import { compressLz4Block, lz4Bound } from '../../engine/sstable/lz4-compress.js'

const lz4 = createRequire(import.meta.url)('lz4-napi') as { uncompressSync(b: Buffer): Buffer }

/** The TypeScript encoder's stored form of `input`: fixed32 length · raw block. */
export function referenceStored(input: Uint8Array): Buffer {
  const dst = new Uint8Array(4 + lz4Bound(input.length))
  const end = compressLz4Block(input, 0, input.length, dst, 4)
  const out = Buffer.from(dst.subarray(0, end))
  out.writeUInt32LE(input.length, 0)
  return out
}

/** lz4-napi's decoding of the raw block `raw` declared as `length` bytes; undefined where it refuses the block. */
export function napiDecode(raw: Uint8Array, length: number): Buffer | undefined {
  const framed = Buffer.concat([Buffer.alloc(4), raw])
  framed.writeUInt32LE(length, 0)
  try {
    return lz4.uncompressSync(framed)
  } catch {
    return undefined
  }
}
