// Golden vectors of format-spec/wal.md, "Golden vectors": fixed records, exact bytes.
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { unmaskCrc } from '../../engine/base/crc.js'
import { getFixed32 } from '../../engine/base/coding.js'
import { counting, hex, readAll, writeLog } from './helpers.js'

const sha256 = (u: Uint8Array): string => createHash('sha256').update(u).digest('hex')

describe('WAL golden vectors', () => {
  it('frames "", "a" and "hello" as three FULL fragments, byte for byte', () => {
    const log = writeLog([Buffer.from(''), Buffer.from('a'), Buffer.from('hello')])
    expect(hex(log.bytes)).toBe(
      'e334ba60' + '0000' + '01' +
      'c6af6387' + '0100' + '01' + '61' +
      '3000bee9' + '0500' + '01' + '68656c6c6f',
    )
    expect(log.ends).toEqual([7, 15, 27])
    const back = readAll(log.bytes, 'absolute')
    expect(back.records.map((r) => Buffer.from(r).toString())).toEqual(['', 'a', 'hello'])
  })

  it('splits a 40000-byte record into FIRST (32761 bytes) and LAST (7239 bytes) at the block boundary', () => {
    const record = counting(40000)
    const log = writeLog([record])
    expect(log.bytes.length).toBe(40014)
    expect(hex(log.bytes.subarray(0, 7))).toBe('5b99b4c9' + 'f97f' + '02')
    expect(hex(log.bytes.subarray(32760, 32790))).toBe(
      'f1f2f3f4f5f6f7f8' + 'a9034298' + '471c' + '04' + 'f9fafbfcfdfeff0001020304050607',
    )
    expect(hex(log.bytes.subarray(40006))).toBe('38393a3b3c3d3e3f')
    expect(unmaskCrc(getFixed32(log.bytes, 0))).toBe(0xd7419398)
    expect(unmaskCrc(getFixed32(log.bytes, 32768))).toBe(0x8c68fadf)
    expect(sha256(log.bytes)).toBe('a540cf5669e1ed7f4af85b9075b62def617890e82bc3e92404df8617c50a22e3')
    const back = readAll(log.bytes, 'absolute')
    expect(back.records).toHaveLength(1)
    expect(Buffer.from(back.records[0]!).equals(Buffer.from(record))).toBe(true)
  })

  it('zero-fills a block trailer of fewer than 7 bytes and starts the next record in the next block', () => {
    const log = writeLog([counting(32758), Buffer.from('x')])
    expect(log.ends).toEqual([32765, 32776])
    expect(hex(log.bytes.subarray(0, 7))).toBe('4b14f9ea' + 'f67f' + '01')
    expect(hex(log.bytes.subarray(32760))).toBe('f1f2f3f4f5' + '000000' + '11f7e257' + '0100' + '01' + '78')
    expect(sha256(log.bytes)).toBe('e00751fc958dac7dd1d2fbf53bc4d699d9cec80bcaefb5fd6c660320fd1d33a3')
    expect(readAll(log.bytes, 'absolute').records.map((r) => r.length)).toEqual([32758, 1])
  })

  it('fills exactly 7 bytes left in a block with an empty FIRST fragment', () => {
    const log = writeLog([counting(32754), Buffer.from('hi')])
    expect(log.bytes.length).toBe(32777)
    expect(hex(log.bytes.subarray(32758))).toBe(
      'eff0f1' + 'f162c5bf' + '0000' + '02' + 'dcacbd35' + '0200' + '04' + '6869',
    )
    expect(sha256(log.bytes)).toBe('233463857aadbd6f1f0e38e5c6bb88a5a5a9c49108b939c37d6536b1656ca1dc')
    const back = readAll(log.bytes, 'absolute')
    expect(back.records.map((r) => Buffer.from(r).subarray(0, 2).toString('hex'))).toEqual(['0001', '6869'])
    expect(back.records[1]!.length).toBe(2)
  })

  it('gives CORRUPTION for a flip of any byte of the first vector in absolute mode', () => {
    const { bytes } = writeLog([Buffer.from(''), Buffer.from('a'), Buffer.from('hello')])
    for (let i = 0; i < bytes.length; i++) {
      for (const mask of [0x01, 0x80, 0xff]) {
        bytes[i]! ^= mask
        expect(readAll(bytes, 'absolute').error?.code, `byte ${i} ^ ${mask}`).toBe('CORRUPTION')
        bytes[i]! ^= mask
      }
    }
  })
})
