import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { getFixed32, getFixed64, getVarint, putFixed32, putFixed64, putVarint, varint, varintLength } from '../../engine/base/coding.js'
import { crc32, maskCrc, unmaskCrc } from '../../engine/base/crc.js'

describe('coding', () => {
  it('round-trips varints below 2^53 and reports their length', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), (n) => {
        const buf = new Uint8Array(10)
        const end = putVarint(buf, 0, n)
        expect(end).toBe(varintLength(n))
        expect(getVarint(buf, 0, end)).toBe(end)
        expect(varint.value).toBe(n)
      }),
      { seed: 1 },
    )
  })

  it('rejects a truncated or overlong varint instead of reading past the end', () => {
    const buf = Uint8Array.of(0x80, 0x80)
    expect(getVarint(buf, 0, 2)).toBe(-1)
    expect(getVarint(new Uint8Array(9).fill(0xff), 0, 9)).toBe(-1)
  })

  it('encodes fixed-width integers little-endian (golden bytes)', () => {
    const buf = new Uint8Array(12)
    putFixed32(buf, 0, 0x01020304)
    putFixed64(buf, 4, 2 ** 40 + 5)
    expect(Buffer.from(buf).toString('hex')).toBe('04030201' + '0500000000010000')
    expect(getFixed32(buf, 0)).toBe(0x01020304)
    expect(getFixed64(buf, 4)).toBe(2 ** 40 + 5)
  })
})

describe('crc', () => {
  it('is CRC-32/IEEE (check value of "123456789")', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926)
  })

  it('masks reversibly and changes the value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (c) => {
        expect(unmaskCrc(maskCrc(c))).toBe(c)
        expect(maskCrc(c)).not.toBe(c)
      }),
      { seed: 2 },
    )
  })
})

describe('crc32 over both implementations', () => {
  it('gives the same CRC for any length and chunking (package below 768 bytes, native above)', async () => {
    const CRC32 = (await import('crc-32')).default
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), fc.nat(), (bytes, cut) => {
        const want = CRC32.buf(bytes, 0) >>> 0
        expect(crc32(bytes)).toBe(want)
        const at = bytes.length === 0 ? 0 : cut % bytes.length
        expect(crc32(bytes, at, bytes.length, crc32(bytes, 0, at))).toBe(want)
      }),
      { seed: 3, numRuns: 300 },
    )
  })
})
