// Every single-byte flip of a log whose first block ends in a zero trailer (log 2), and of the
// bytes around an empty FIRST fragment in a block's last 7 bytes (log 3).
import { describe, expect, it } from 'vitest'
import { BLOCK_SIZE } from '../../engine/wal/format.js'
import { EMPTY_FIRST_SIZES, TRAILER_SIZES, build, flipEach } from './damage.js'

describe('WAL damage: single-byte flips around a block end', () => {
  it('every single-byte flip of a log with a zero block trailer is CORRUPTION or a reported drop', () => {
    const built = build(TRAILER_SIZES)
    expect(built.log.ends[1]).toBe(BLOCK_SIZE - 3)
    expect(flipEach(built, 0, built.log.bytes.length)).toEqual([])
  })

  it('every flip near an empty FIRST fragment is CORRUPTION or a reported drop', () => {
    const built = build(EMPTY_FIRST_SIZES)
    expect(built.log.ends[1]).toBe(BLOCK_SIZE - 7)
    expect(flipEach(built, BLOCK_SIZE - 200, built.log.bytes.length)).toEqual([])
    expect(flipEach(built, 0, 200)).toEqual([])
  })
})
