// Where the lz4-napi addon cannot load: compression 'none' works, 'lz4' falls back to storing
// blocks uncompressed, and reading an LZ4 block is NOT_SUPPORTED (never CORRUPTION, never a
// crash). The addon is made unloadable by pointing napi-rs at a missing binary before any
// engine module loads (vitest runs each test file in its own process).
import { describe, expect, it, vi } from 'vitest'

vi.hoisted(() => {
  process.env['NAPI_RS_NATIVE_LIBRARY_PATH'] = '/nonexistent/lz4-napi.node'
})

const { isStrataError } = await import('../../engine/errors.js')
const { lz4Available } = await import('../../engine/sstable/index.js')
const { readBlockContents } = await import('../../engine/sstable/block-io.js')
const { buildTable, enc, memFile, openTable, scanForward } = await import('./helpers.js')

/** Built where LZ4 loads: `k -> "a" * 200`, one LZ4 data block, no filter (442 bytes). */
const LZ4_TABLE_HEX =
  'd50000006f0001c8016b610100b4800000000001000000012aa9ad3f000a1a636f6d70617261746f726c6576656c64622e42' +
  '79746577697365436f6d70617261746f72000b03636f6d7072657373696f6e6c7a34000d056372656174696f6e2d74696d65' +
  '80e2cfaa06000b01646174612d626c6f636b7301000901646174612d73697a651c000701656e747269657301000b0166696c' +
  '7465722d73697a650000140166696c7465722d7375666669782d6c656e67746800000e01666f726d61742d76657273696f6e' +
  '01000a01696e6465782d73697a6513000b016c6172676573742d6b65796b000c017261772d6b65792d73697a6501000e0272' +
  '61772d76616c75652d73697a65c801000c01736d616c6c6573742d6b65796b0000000027000000380000004d0000005c0000' +
  '006900000074000000830000009b000000ad000000bb000000ca000000da000000ed0000000e00000000e38996dd000a0370' +
  '726f706572746965731cb902000000000100000000630abd4a0001026c00170000000001000000006dea682dda0218f7020e' +
  '0000000000000000000000000000000000000000000000000000010000003efeaf45d80c6460a68d7d96'

describe('without the LZ4 addon', () => {
  it('reports LZ4 as unavailable', () => {
    expect(lz4Available()).toBe(false)
  })

  it('opens an LZ4 table, then reading its LZ4 data block is NOT_SUPPORTED', () => {
    const reader = openTable(Buffer.from(LZ4_TABLE_HEX, 'hex'))
    expect(reader.properties.compression).toBe('lz4')
    let err: unknown
    try { reader.seekEntry(enc('k')) } catch (e) { err = e }
    expect(isStrataError(err, 'NOT_SUPPORTED'), String(err)).toBe(true)
    expect(String(err)).toMatch(/lz4-napi cannot load/)
    expect(() => scanForward(reader)).toThrow(/LZ4-compressed/)
  })

  it('still checks the checksum first: a damaged LZ4 block is CORRUPTION', () => {
    const bytes = Buffer.from(LZ4_TABLE_HEX, 'hex')
    bytes[6]! ^= 1
    expect(() => readBlockContents(memFile(bytes), 't.sst', 0, 0x16, bytes.length)).toThrow(/checksum/)
  })

  it("writes uncompressed blocks when asked for 'lz4', and reads them back", () => {
    const entries: [Uint8Array, Uint8Array][] = [[enc('k'), Buffer.alloc(200, 'a')]]
    const { bytes, properties } = buildTable(entries, { compression: 'lz4' })
    expect(properties.compression).toBe('none')
    expect(bytes[properties.dataSize - 5]).toBe(0) // the data block's type byte
    expect(scanForward(openTable(bytes)).length).toBe(1)
  })
})
