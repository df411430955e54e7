// Golden vectors of format-spec/sstable.md, checked byte for byte in both directions: the
// builder must produce exactly these bytes, and the reader must decode them back.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { makeInternalKey, KIND_VALUE } from '../../engine/base/internal-key.js'
import { isStrataError } from '../../engine/errors.js'
import { Block } from '../../engine/sstable/block.js'
import { BlockBuilder } from '../../engine/sstable/block-builder.js'
import { BlockIter } from '../../engine/sstable/block-iter.js'
import { readBlockContents } from '../../engine/sstable/block-io.js'
import { compressLz4 } from '../../engine/sstable/compression.js'
import { FOOTER_SIZE } from '../../engine/sstable/format.js'
import { filterHash, murmur3 } from '../../engine/sstable/hash.js'
import { bytewiseComparator } from '../../engine/base/comparator.js'
import { buildTable, enc, hex, memFile, openTable, scanForward } from './helpers.js'

/** The hex of a fenced block ```name in the spec, whitespace removed. */
function specVector(name: string): string {
  const spec = readFileSync(new URL('../../format-spec/sstable.md', import.meta.url), 'utf8')
  const m = new RegExp('```' + name + '\\n([\\s\\S]*?)```').exec(spec)
  if (!m) throw new Error(`format-spec/sstable.md has no ${name} vector`)
  return m[1]!.replace(/\s+/g, '')
}

const GOLDEN_ENTRIES: [Uint8Array, Uint8Array][] = [
  [enc('apple'), enc('red')],
  [enc('apricot'), enc('')],
  [enc('banana'), enc('yellow')],
]

const TABLE_HEX =
  '0005036170706c657265640205007269636f7400000000010000000035d5c20900060662616e616e6179656c6c6f7700000000' +
  '0100000000b1fb0b170cc110c238a140150700a3207d1c000a1a636f6d70617261746f726c6576656c64622e427974657769' +
  '7365436f6d70617261746f72000b04636f6d7072657373696f6e6e6f6e65000d056372656174696f6e2d74696d6580e2cfaa' +
  '06000b01646174612d626c6f636b7302000901646174612d73697a653c000701656e747269657303000b0166696c7465722d' +
  '73697a650e00140166696c7465722d7375666669782d6c656e67746800000e01666f726d61742d76657273696f6e01000a01' +
  '696e6465782d73697a6523000b066c6172676573742d6b657962616e616e61000c017261772d6b65792d73697a6512000e01' +
  '7261772d76616c75652d73697a6509000c05736d616c6c6573742d6b65796170706c650000000027000000390000004e0000' +
  '005d0000006a00000075000000840000009c000000ae000000bc000000d0000000e0000000f20000000e0000000027cb7a01' +
  '00170266696c7465722e73747261746164622e426c6f6f6d33323c09000a0370726f706572746965734ac202000000001c00' +
  '0000020000000042dc6ec400070261707269636f74001b000102632017000000000c00000002000000008da78c2c910338ce' +
  '031e000000000000000000000000000000000000000000000000000001000000cba7fee4d80c6460a68d7d96'

const BLOCK_HEX = '0001406b' + '61'.repeat(64) + '00000000' + '01000000'
const LZ4_BLOCK_HEX = '4c000000' + '5f0001406b6101002c800000000001000000' + '01' + 'a9524c97'

describe('golden table (format-spec/sstable.md, "Golden vectors")', () => {
  it('builds exactly the bytes in the spec', () => {
    const { bytes } = buildTable(GOLDEN_ENTRIES, { blockSize: 24 })
    expect(hex(bytes)).toBe(TABLE_HEX)
    expect(specVector('golden-table')).toBe(TABLE_HEX)
  })

  it('decodes the spec bytes back to the entries and properties', () => {
    const reader = openTable(Buffer.from(TABLE_HEX, 'hex'))
    expect(scanForward(reader).map(([k, v]) => [hex(k), hex(v)])).toEqual(GOLDEN_ENTRIES.map(([k, v]) => [hex(k), hex(v)]))
    const p = reader.properties
    expect(p.numEntries).toBe(3)
    expect(p.numDataBlocks).toBe(2)
    expect(p.dataSize).toBe(60)
    expect(p.filterSize).toBe(14)
    expect(p.indexSize).toBe(35)
    expect(p.rawKeySize).toBe(18)
    expect(p.rawValueSize).toBe(9)
    expect(p.creationTime).toBe(1_700_000_000)
    expect(p.compression).toBe('none')
    expect(p.comparatorName).toBe('leveldb.BytewiseComparator')
    expect(Buffer.from(p.smallestKey).toString()).toBe('apple')
    expect(Buffer.from(p.largestKey).toString()).toBe('banana')
    expect(reader.seekEntry(enc('apricot'))).toBe(true)
    expect(reader.foundValue().length).toBe(0)
  })

  it('ends with the magic bytes d80c6460a68d7d96 and a 48-byte footer', () => {
    expect(FOOTER_SIZE).toBe(48)
    expect(TABLE_HEX.slice(-16)).toBe('d80c6460a68d7d96')
  })

  it('reports CORRUPTION for every single-byte flip of the golden table', () => {
    const good = Buffer.from(TABLE_HEX, 'hex')
    for (let i = 0; i < good.length; i++) {
      const bad = Buffer.from(good)
      bad[i]! ^= 0x01
      let error: unknown
      try {
        const r = openTable(bad)
        scanForward(r)
        for (const [k] of GOLDEN_ENTRIES) r.seekEntry(k)
      } catch (err) {
        error = err
      }
      expect(isStrataError(error, 'CORRUPTION'), `flip at byte ${i}: ${String(error)}`).toBe(true)
    }
  })
})

describe('golden block', () => {
  it('encodes one entry with its restart array exactly as the spec says', () => {
    const b = new BlockBuilder(16)
    b.add(enc('k'), Buffer.alloc(64, 'a'))
    expect(hex(b.finish())).toBe(BLOCK_HEX)
    expect(specVector('golden-block')).toBe(BLOCK_HEX)
  })

  it('decodes the spec block', () => {
    const it = new BlockIter(bytewiseComparator, new Block(Buffer.from(BLOCK_HEX, 'hex'), 'b', 0))
    it.seekToFirst()
    expect(Buffer.from(it.key()).toString()).toBe('k')
    expect(Buffer.from(it.value()).toString()).toBe('a'.repeat(64))
    it.next()
    expect(it.valid()).toBe(false)
  })

  it('decodes the spec LZ4 block to the raw block and lz4-napi still writes it', () => {
    expect(specVector('golden-lz4-block')).toBe(LZ4_BLOCK_HEX)
    const stored = Buffer.from(LZ4_BLOCK_HEX, 'hex')
    const contents = readBlockContents(memFile(stored), 'b', 0, stored.length - 5, stored.length)
    expect(hex(contents)).toBe(BLOCK_HEX)
    const raw = Buffer.from(BLOCK_HEX, 'hex')
    expect(hex(compressLz4(raw, 0, raw.length)!)).toBe(LZ4_BLOCK_HEX.slice(0, -10))
  })
})

describe('filter hash and internal keys', () => {
  it('is MurmurHash3 x86_32 (published vectors with seed 0)', () => {
    const h = (s: string, seed: number): number => murmur3(enc(s), 0, enc(s).length, seed)
    expect(h('', 0)).toBe(0)
    expect(h('', 1)).toBe(0x514e28b7)
    expect(h('hello', 0)).toBe(0x248bfa47)
  })

  it('gives the spec vectors with the filter seed, also over a sub-range', () => {
    const f = (s: string): number => filterHash(enc(s), 0, enc(s).length)
    expect(f('')).toBe(0xebb6c228)
    expect(f('abc')).toBe(0xc84a62dd)
    expect(f('aaaa')).toBe(0x5a97808a)
    expect(f('Hello, world!')).toBe(0x24884cba)
    expect(f('The quick brown fox jumps over the lazy dog')).toBe(0x2fa826cd)
    const padded = enc('xxabcyy')
    expect(filterHash(padded, 2, 5)).toBe(0xc84a62dd)
  })

  it('writes the internal key example of the spec', () => {
    expect(hex(makeInternalKey(enc('k'), 5, KIND_VALUE))).toBe('6b0105000000000000')
  })
})
