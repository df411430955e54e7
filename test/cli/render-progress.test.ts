// The CLI's building blocks, in process: how bytes print and parse, prefix bounds, and the
// progress bar (drawn only on a terminal).
import { describe, expect, it } from 'vitest'
import { UsageError } from '../../bin-src/args.js'
import { prefixEnd } from '../../bin-src/cmd-scan.js'
import { Progress } from '../../bin-src/progress.js'
import { jsonBytes, parseBytes, showBytes, showSize } from '../../bin-src/render.js'

const text = { hex: false }
const hex = { hex: true }

describe('printing bytes', () => {
  it('prints printable UTF-8 as text and everything else as 0x-hex', () => {
    expect(showBytes(Buffer.from('héllo wörld'), text)).toBe('héllo wörld')
    expect(showBytes(Buffer.from([0xff, 0x00]), text)).toBe('0xff00') // not UTF-8
    expect(showBytes(Buffer.from('a\nb'), text)).toBe('0x610a62') // a control character
    expect(showBytes(Buffer.from('0xab'), text)).toBe('0x30786162') // text that reads as hex
    expect(showBytes(Buffer.from(''), text)).toBe('')
    expect(showBytes(Buffer.from('abc'), hex)).toBe('0x616263')
  })

  it('gives JSON a string for any UTF-8 and { hex } otherwise', () => {
    expect(jsonBytes(Buffer.from('a\tb'), text)).toBe('a\tb')
    expect(jsonBytes(Buffer.from([0xc3]), text)).toEqual({ hex: 'c3' })
    expect(jsonBytes(Buffer.from('ok'), hex)).toEqual({ hex: '6f6b' })
  })

  it('reads arguments as UTF-8, or as bytes when written 0x... or with --hex', () => {
    expect(parseBytes('key', text, 'get', 'KEY')).toEqual(Buffer.from('key'))
    expect(parseBytes('0x00ff', text, 'get', 'KEY')).toEqual(Buffer.from([0, 0xff]))
    expect(parseBytes('00ff', hex, 'get', 'KEY')).toEqual(Buffer.from([0, 0xff]))
    expect(parseBytes('0x', text, 'get', 'KEY')).toEqual(Buffer.alloc(0))
    expect(() => parseBytes('0xabc', text, 'get', 'KEY')).toThrow(UsageError)
    expect(() => parseBytes('zz', hex, 'get', 'KEY')).toThrow(UsageError)
  })

  it('round-trips every byte string through show and parse', () => {
    for (const bytes of [Buffer.from([0]), Buffer.from('0x12'), Buffer.from('plain'), Buffer.from([0xe2, 0x82]), Buffer.from('tab\there')]) {
      expect(parseBytes(showBytes(bytes, text), text, 'get', 'KEY')).toEqual(bytes)
    }
  })

  it('shows sizes with binary units', () => {
    expect(showSize(512)).toBe('512 B')
    expect(showSize(1536)).toBe('1.5 KiB')
    expect(showSize(3 * 1024 * 1024)).toBe('3.0 MiB')
  })
})

describe('prefix bounds', () => {
  it('ends a prefix at its successor, skipping trailing 0xff bytes', () => {
    expect(prefixEnd(Buffer.from('ab'))).toEqual(Buffer.from('ac'))
    expect(prefixEnd(Buffer.from([0x61, 0xff, 0xff]))).toEqual(Buffer.from([0x62]))
    expect(prefixEnd(Buffer.from([0xff]))).toBeUndefined()
    expect(prefixEnd(Buffer.alloc(0))).toBeUndefined()
  })
})

describe('progress bar', () => {
  const stream = (isTTY: boolean): { isTTY: boolean; columns: number; written: string[]; write(t: string): boolean } => ({
    isTTY,
    columns: 80,
    written: [],
    write(t: string) {
      this.written.push(t)
      return true
    },
  })

  it('draws on a terminal, at most every 100 ms, and always at the end', () => {
    const s = stream(true)
    let now = 0
    const p = new Progress('verifying', 4, s, () => now)
    p.advance(1)
    expect(s.written).toHaveLength(1)
    expect(s.written[0]).toMatch(/^\r\x1b\[2Kverifying \[#+-+\]  25% $/)
    now = 50
    p.advance(1)
    expect(s.written).toHaveLength(1) // too soon
    p.advance(2, 'done')
    expect(s.written).toHaveLength(2)
    expect(s.written[1]).toMatch(/\[#+\] 100% done$/)
    p.finish()
    expect(s.written[2]).toBe('\r\x1b[2K')
  })

  it('stays quiet when the stream is not a terminal', () => {
    const s = stream(false)
    const p = new Progress('compacting', 10, s, () => 0)
    for (let i = 0; i < 10; i++) p.advance(1)
    p.finish()
    expect(s.written).toEqual([])
  })
})
