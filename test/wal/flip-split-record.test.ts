// Every single-byte flip of a log whose record is split across a block boundary (log 1).
import { describe, expect, it } from 'vitest'
import { BLOCK_SIZE } from '../../engine/wal/format.js'
import { readAll } from './helpers.js'
import { SPLIT_RECORD_SIZES, build, flipEach } from './damage.js'

describe('WAL damage: single-byte flips around a split record', () => {
  it('every single-byte flip is CORRUPTION or a reported drop, never a wrong record', () => {
    const built = build(SPLIT_RECORD_SIZES)
    expect(built.log.bytes.length).toBeGreaterThan(BLOCK_SIZE)
    expect(flipEach(built, 0, built.log.bytes.length)).toEqual([])
  })

  it('a flip in the middle followed by valid records is CORRUPTION in tolerate mode', () => {
    const { log } = build(SPLIT_RECORD_SIZES)
    for (const at of [3, 8, 120, 5000, 21_000, 33_000]) {
      log.bytes[at]! ^= 0x20
      const r = readAll(log.bytes, 'tolerate-torn-tail')
      expect(r.error?.code, `flip at ${at}`).toBe('CORRUPTION')
      expect(r.error?.message).toContain('not a torn tail')
      log.bytes[at]! ^= 0x20
    }
  })
})
