// LogReader on hand-made damage: each kind of damage, in each recovery mode.
import { describe, expect, it } from 'vitest'
import { BLOCK_SIZE, TYPE_FIRST, TYPE_FULL, TYPE_LAST, TYPE_MIDDLE } from '../../engine/wal/format.js'
import { isStrataError } from '../../engine/errors.js'
import { LogReader } from '../../engine/wal/index.js'
import { concat, fragment, padToBlock, pattern, readAll } from './helpers.js'

const text = (s: string): Uint8Array => Buffer.from(s)
const strings = (records: Uint8Array[]): string[] => records.map((r) => Buffer.from(r).toString())

const A = fragment(TYPE_FULL, text('alpha')) // 12 bytes at 0
const C = fragment(TYPE_FULL, text('gamma'))
const D = fragment(TYPE_FULL, text('delta'))
/** 'beta' with a checksum that does not match. */
const badB = (): Uint8Array => {
  const f = fragment(TYPE_FULL, text('beta'))
  f[0]! ^= 0x40
  return f
}

/** Fills the rest of the block with one FULL record, so the next bytes start a new block. */
function fillBlock(length: number, seed: number): Uint8Array {
  const left = BLOCK_SIZE - (length % BLOCK_SIZE)
  return fragment(TYPE_FULL, pattern(left - 7, seed))
}

/** Joins parts, then fills the current block with a record, then appends `next`. */
function blocks(first: Uint8Array[], ...next: Uint8Array[][]): Buffer {
  let out = concat(...first)
  for (const parts of next) out = concat(out, fillBlock(out.length, out.length & 0xff), ...parts)
  return out
}

describe('LogReader: a checksum mismatch', () => {
  const file = blocks([A, badB(), C], [D])

  it('is CORRUPTION naming file and offset in absolute mode', () => {
    const r = readAll(file, 'absolute')
    expect(strings(r.records)).toEqual(['alpha'])
    expect(r.error).toEqual({ code: 'CORRUPTION', message: '000007.log@12: chunk checksum mismatch' })
  })

  it('is CORRUPTION in tolerate mode when a valid fragment follows in the same block', () => {
    const r = readAll(concat(A, badB(), C), 'tolerate-torn-tail')
    expect(r.error?.code).toBe('CORRUPTION')
    expect(r.error?.message).toBe('000007.log@12: chunk checksum mismatch; a valid fragment follows at 23, so it is not a torn tail')
  })

  it('drops the rest of the block in skip mode and goes on at the next block', () => {
    const r = readAll(file, 'skip-corrupted')
    expect(r.error).toBeUndefined()
    expect(strings(r.records)).toEqual(['alpha', 'delta'])
    expect(r.dropped).toEqual([{ offset: 12, bytes: BLOCK_SIZE - 12, reason: 'chunk checksum mismatch' }])
  })

  it('names the fragment offset in the message, e.g. 000007.log@98304', () => {
    const f = fragment(TYPE_FULL, text('x'))
    f[7]! ^= 1
    const r = readAll(blocks([A], [], [], [f]), 'absolute')
    expect(r.records).toHaveLength(4)
    expect(r.error?.message).toBe('000007.log@98304: chunk checksum mismatch')
  })

  it('is a torn tail in tolerate mode when nothing checksummed follows (zeroed end of a payload)', () => {
    const last = fragment(TYPE_FULL, pattern(500, 1))
    last.fill(0, 300)
    const r = readAll(concat(A, C, last), 'tolerate-torn-tail')
    expect(r.error).toBeUndefined()
    expect(strings(r.records)).toEqual(['alpha', 'gamma'])
    expect(r.dropped).toEqual([{ offset: 24, bytes: 507, reason: 'chunk checksum mismatch' }])
  })

  it('is CORRUPTION in tolerate mode when a later block starts with a valid fragment', () => {
    const garbage = pattern(BLOCK_SIZE, 9).map((b) => (b & 0xf0) | 0x08) // no plausible types
    // non-zero filler: a whole zeroed sector before the valid fragment would read as a torn write
    const filler = padToBlock(A.length + 11).map(() => 0x08)
    const file2 = concat(A, badB(), filler, garbage, D)
    const r = readAll(file2, 'tolerate-torn-tail')
    expect(r.error?.message).toContain(`a valid fragment follows at ${2 * BLOCK_SIZE}`)
    const skipped = readAll(file2, 'skip-corrupted')
    expect(strings(skipped.records)).toEqual(['alpha', 'delta'])
    expect(skipped.dropped).toEqual([{ offset: 12, bytes: 2 * BLOCK_SIZE - 12, reason: 'chunk checksum mismatch' }])
  })
})

describe('LogReader: sectors lost in a power loss', () => {
  it('drops from the damage on as a torn tail when a zeroed 512-byte sector lies before later data', () => {
    const file = concat(A, badB(), padToBlock(A.length + 11), D)
    const r = readAll(file, 'tolerate-torn-tail')
    expect(r.error).toBeUndefined()
    expect(strings(r.records)).toEqual(['alpha'])
    expect(r.dropped[0]?.offset).toBe(12)
    expect(readAll(file, 'absolute').error?.code).toBe('CORRUPTION')
  })
})

describe('LogReader: malformed fragments with a good checksum', () => {
  it('rejects an unknown type; skip mode drops just that fragment', () => {
    const file = concat(A, fragment(9, text('future')), C)
    expect(readAll(file, 'absolute').error?.message).toBe('000007.log@12: unknown fragment type 9')
    expect(readAll(file, 'tolerate-torn-tail').error?.code).toBe('CORRUPTION')
    const r = readAll(file, 'skip-corrupted')
    expect(strings(r.records)).toEqual(['alpha', 'gamma'])
    expect(r.dropped).toEqual([{ offset: 12, bytes: 13, reason: 'unknown fragment type 9' }])
  })

  it('rejects a MIDDLE or LAST without a FIRST', () => {
    for (const [type, name] of [[TYPE_MIDDLE, 'MIDDLE'], [TYPE_LAST, 'LAST']] as const) {
      const file = concat(A, fragment(type, text('orphan')), C)
      expect(readAll(file, 'absolute').error?.message).toBe(`000007.log@12: ${name} fragment without a FIRST`)
      expect(readAll(file, 'tolerate-torn-tail').error?.code).toBe('CORRUPTION')
      const r = readAll(file, 'skip-corrupted')
      expect(strings(r.records)).toEqual(['alpha', 'gamma'])
      expect(r.dropped).toEqual([{ offset: 12, bytes: 13, reason: `${name} fragment without a FIRST` }])
    }
  })

  it('rejects a FIRST followed by a FULL or another FIRST; skip mode drops the partial record', () => {
    const first = fragment(TYPE_FIRST, text('half'))
    const file = concat(A, first, C)
    expect(readAll(file, 'absolute').error?.message).toBe('000007.log@23: partial record followed by a FULL fragment')
    expect(readAll(file, 'tolerate-torn-tail').error?.code).toBe('CORRUPTION')
    const r = readAll(file, 'skip-corrupted')
    expect(strings(r.records)).toEqual(['alpha', 'gamma'])
    expect(r.dropped).toEqual([{ offset: 12, bytes: 11, reason: 'partial record followed by a FULL fragment' }])

    const twice = concat(A, first, fragment(TYPE_FIRST, text('ga')), fragment(TYPE_LAST, text('mma')))
    expect(readAll(twice, 'absolute').error?.message).toBe('000007.log@23: partial record followed by a FIRST fragment')
    expect(strings(readAll(twice, 'skip-corrupted').records)).toEqual(['alpha', 'gamma'])
  })

  it('rejects a length that runs past the end of its block', () => {
    const fill = fragment(TYPE_FULL, pattern(BLOCK_SIZE - 12 - 7 - 33, 2)) // leaves 33 bytes
    const long = fragment(TYPE_FULL, pattern(26, 3)) // fills them, then claims 30 bytes
    long[4] = 30
    const file = concat(A, fill, long, D)
    const at = BLOCK_SIZE - 33
    expect(readAll(file, 'absolute').error?.message).toBe(`000007.log@${at}: fragment length 30 runs past the end of its block`)
    expect(readAll(file, 'tolerate-torn-tail').error?.message).toContain(`a valid fragment follows at ${BLOCK_SIZE}`)
    const skipped = readAll(file, 'skip-corrupted')
    expect(strings(skipped.records.filter((r) => r.length === 5))).toEqual(['alpha', 'delta'])
    expect(skipped.dropped).toEqual([{ offset: at, bytes: 33, reason: 'fragment length 30 runs past the end of its block' }])
  })

  it('requires the block trailer to be zero', () => {
    const fill = fragment(TYPE_FULL, pattern(BLOCK_SIZE - 12 - 7 - 3, 4)) // leaves 3 bytes
    const file = concat(A, fill, Uint8Array.of(0, 5, 0), D)
    const at = BLOCK_SIZE - 3
    expect(readAll(file, 'absolute').error?.message).toBe(`000007.log@${at}: non-zero bytes in a block trailer`)
    expect(readAll(file, 'tolerate-torn-tail').error?.code).toBe('CORRUPTION')
    const r = readAll(file, 'skip-corrupted')
    expect(r.records.map((x) => x.length)).toEqual([5, fill.length - 7, 5])
    expect(r.dropped).toEqual([{ offset: at, bytes: 3, reason: 'non-zero bytes in a block trailer' }])
    const clean = concat(A, fill, Uint8Array.of(0, 0, 0), D)
    expect(readAll(clean, 'absolute').records).toHaveLength(3)
  })

  it('rejects zeros where a header belongs when data follows them', () => {
    const file = concat(A, new Uint8Array(20), C)
    expect(readAll(file, 'absolute').error?.message).toBe('000007.log@12: zero-filled bytes where a fragment header belongs')
    expect(readAll(file, 'tolerate-torn-tail').error?.message).toContain('a valid fragment follows at 32')
    const skipped = readAll(file, 'skip-corrupted')
    expect(strings(skipped.records)).toEqual(['alpha'])
    expect(skipped.dropped).toEqual([{ offset: 12, bytes: 32, reason: 'zero-filled bytes where a fragment header belongs' }])
  })

  it('treats a zeroed page before later records as a torn write, dropping from the damage on (tolerate mode)', () => {
    const records = [A, fragment(TYPE_FULL, pattern(3000, 1)), fragment(TYPE_FULL, pattern(2000, 2)), C, D]
    const file = concat(...records)
    file.fill(0, 100, 4096) // a page never written: from inside the second record into the third
    const r = readAll(file, 'tolerate-torn-tail')
    expect(r.error).toBeUndefined()
    expect(strings(r.records)).toEqual(['alpha'])
    expect(r.dropped[0]?.offset).toBe(12)
    expect(readAll(file, 'absolute').error?.message).toBe('000007.log@12: chunk checksum mismatch')
  })

  it('does not count log bytes inside a torn record\'s payload as data after the damage', () => {
    const inner = concat(fragment(TYPE_FULL, text('one')), fragment(TYPE_FULL, text('two')), fragment(TYPE_FULL, pattern(300, 3)))
    const value = concat(pattern(50, 4), inner, pattern(400, 5))
    const file = concat(A, fragment(TYPE_FULL, value))
    for (const cut of [12 + 7 + 55, 12 + 7 + 50 + 10 + 10 + 200, file.length - 1]) {
      const torn = file.subarray(0, cut)
      const r = readAll(torn, 'tolerate-torn-tail')
      expect(r.error).toBeUndefined()
      expect(strings(r.records)).toEqual(['alpha'])
      const zeroed = Buffer.from(file)
      zeroed.fill(0, cut)
      expect(readAll(zeroed, 'tolerate-torn-tail').dropped).toEqual([{ offset: 12, bytes: file.length - 12, reason: 'chunk checksum mismatch' }])
    }
  })
})

describe('LogReader: a record cut by the end of the file', () => {
  const big = pattern(40_000, 5)
  const first = fragment(TYPE_FIRST, big.subarray(0, BLOCK_SIZE - 12 - 7))
  const cases: Array<[string, Buffer, number, string]> = [
    ['a cut header', concat(A, C.subarray(0, 5)), 12, 'fragment header cut by the end of the file'],
    ['a cut payload', concat(A, C.subarray(0, 9)), 12, 'fragment cut by the end of the file (2 of 5 payload bytes)'],
    ['a FIRST with no LAST', concat(A, first), 12, 'record cut by the end of the file: no LAST fragment'],
    ['a FIRST and MIDDLE with no LAST', concat(A, first, fragment(TYPE_MIDDLE, pattern(BLOCK_SIZE - 7, 6))), 12,
      'record cut by the end of the file: no LAST fragment'],
    ['a FIRST, then a cut LAST', concat(A, first, fragment(TYPE_LAST, pattern(100, 7)).subarray(0, 50)), 12,
      'fragment cut by the end of the file (43 of 100 payload bytes)'],
    ['a FIRST, then zeros', concat(A, first, new Uint8Array(1000)), 12, 'record cut by the end of the file: no LAST fragment'],
  ]

  for (const [name, file, offset, reason] of cases) {
    it(`drops ${name} as a torn tail in tolerate and skip mode, and is CORRUPTION in absolute mode`, () => {
      for (const mode of ['tolerate-torn-tail', 'skip-corrupted'] as const) {
        const r = readAll(file, mode)
        expect(r.error).toBeUndefined()
        expect(strings(r.records)).toEqual(['alpha'])
        expect(r.dropped).toEqual([{ offset, bytes: file.length - offset, reason }])
      }
      const strict = readAll(file, 'absolute')
      expect(strict.error?.code).toBe('CORRUPTION')
      expect(strict.error?.message).toContain(reason.slice(0, 20))
    })
  }
})

describe('LogReader: after CORRUPTION', () => {
  it('throws the same error again on every later call instead of reporting the end of the log', () => {
    for (const file of [concat(A, badB(), C), concat(A, fragment(TYPE_FIRST, text('half')))]) {
      const reader = new LogReader(file, '000007.log', { mode: 'absolute' })
      expect(Buffer.from(reader.readRecord()!).toString()).toBe('alpha')
      let first: unknown
      try {
        reader.readRecord()
      } catch (err) {
        first = err
      }
      expect(isStrataError(first, 'CORRUPTION')).toBe(true)
      expect(() => reader.readRecord()).toThrow(first as Error)
    }
  })
})

describe('LogReader: skip mode resynchronizes', () => {
  it('skips the MIDDLE and LAST of a record whose earlier fragment was damaged', () => {
    const big = pattern(3 * BLOCK_SIZE, 8)
    const firstLen = BLOCK_SIZE - 12 - 7
    const middle = fragment(TYPE_MIDDLE, big.subarray(firstLen, firstLen + BLOCK_SIZE - 7))
    middle[100]! ^= 0x10
    const file = concat(
      A, fragment(TYPE_FIRST, big.subarray(0, firstLen)),
      middle,
      fragment(TYPE_LAST, big.subarray(firstLen + BLOCK_SIZE - 7, firstLen + BLOCK_SIZE + 93)), C,
    )
    const r = readAll(file, 'skip-corrupted')
    expect(strings(r.records)).toEqual(['alpha', 'gamma'])
    expect(r.dropped).toEqual([{ offset: 12, bytes: 2 * BLOCK_SIZE + 7 + 100 - 12, reason: 'chunk checksum mismatch' }])
    expect(readAll(file, 'absolute').error?.message).toBe(`000007.log@${BLOCK_SIZE}: chunk checksum mismatch`)
    expect(readAll(file, 'tolerate-torn-tail').error?.message).toContain('not a torn tail')
  })

  it('reads on after several damaged blocks and reports each', () => {
    const file = blocks([A, badB()], [C], [badB()], [D])
    const r = readAll(file, 'skip-corrupted')
    expect(strings(r.records.filter((x) => x.length === 5))).toEqual(['alpha', 'gamma', 'delta'])
    expect(r.dropped).toEqual([
      { offset: 12, bytes: BLOCK_SIZE - 12, reason: 'chunk checksum mismatch' },
      { offset: 2 * BLOCK_SIZE, bytes: BLOCK_SIZE, reason: 'chunk checksum mismatch' },
    ])
  })

  it('crosses a long zeroed stretch in one reported region and reads the records after it', () => {
    const zeros = new Uint8Array(200 * BLOCK_SIZE - 12)
    const file = concat(A, zeros, D, C)
    const r = readAll(file, 'skip-corrupted')
    expect(strings(r.records)).toEqual(['alpha', 'delta', 'gamma'])
    expect(r.dropped).toEqual([{ offset: 12, bytes: zeros.length, reason: 'zero-filled bytes where a fragment header belongs' }])
    const torn = readAll(file, 'tolerate-torn-tail') // zeroed sectors: a torn write, not bit rot
    expect(torn.error).toBeUndefined()
    expect(strings(torn.records)).toEqual(['alpha'])
    const tail = readAll(concat(A, zeros), 'tolerate-torn-tail')
    expect(tail.error).toBeUndefined()
    expect(tail.dropped).toEqual([])
  })
})
