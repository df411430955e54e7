// MemTable: lookups by sequence number, key edge cases, ownership of bytes, size accounting,
// and iterators that interleave with inserts.
import { describe, expect, it } from 'vitest'
import { compareBytes } from '../../engine/base/bytes.js'
import { bytewiseComparator } from '../../engine/base/comparator.js'
import type { Comparator } from '../../engine/base/comparator.js'
import { KIND_DELETION, KIND_SEEK, KIND_VALUE, makeInternalKey, MAX_SEQUENCE, sequenceAt, userKeyOf } from '../../engine/base/internal-key.js'
import { newEntrySpan } from '../../engine/base/internal-iterator.js'
import { LARGE_ENTRY_SIZE } from '../../engine/memtable/arena.js'
import { MemTable } from '../../engine/memtable/memtable.js'
import type { LookupResult } from '../../engine/memtable/memtable.js'

const b = (s: string): Buffer => Buffer.from(s, 'latin1')
const result = (): LookupResult => ({ value: undefined })

function lookup(mem: MemTable, key: Uint8Array, sequence: number): string {
  const out = result()
  const status = mem.get(key, sequence, out)
  return status === 'value' ? `value:${out.value!.toString('latin1')}@${out.sequence}` : status
}

function userKeys(mem: MemTable): string[] {
  const it = mem.iterator()
  const keys: string[] = []
  for (it.seekToFirst(); it.valid(); it.next()) keys.push(Buffer.from(userKeyOf(it.key())).toString('latin1'))
  return keys
}

describe('MemTable.get', () => {
  it('finds the newest entry at or below the sequence number', () => {
    const mem = new MemTable()
    mem.add(10, KIND_VALUE, b('k'), b('v10'))
    mem.add(20, KIND_DELETION, b('k'), b(''))
    mem.add(30, KIND_VALUE, b('k'), b('v30'))
    expect(lookup(mem, b('k'), 9)).toBe('absent')
    expect(lookup(mem, b('k'), 10)).toBe('value:v10@10')
    expect(lookup(mem, b('k'), 19)).toBe('value:v10@10')
    expect(lookup(mem, b('k'), 20)).toBe('deleted')
    expect(lookup(mem, b('k'), 29)).toBe('deleted')
    expect(lookup(mem, b('k'), MAX_SEQUENCE)).toBe('value:v30@30')
    expect(lookup(mem, b('j'), MAX_SEQUENCE)).toBe('absent')
    expect(lookup(mem, b('kk'), MAX_SEQUENCE)).toBe('absent')
    expect(lookup(mem, b(''), MAX_SEQUENCE)).toBe('absent')
  })

  it('reports the sequence number of a deletion it finds', () => {
    const mem = new MemTable()
    mem.add(7, KIND_DELETION, b('x'), b('ignored'))
    const out = result()
    expect(mem.get(b('x'), 7, out)).toBe('deleted')
    expect(out.sequence).toBe(7)
    expect(out.value).toBeUndefined()
  })

  it('orders sequence numbers across the trailer\'s 2^24 and 2^32 boundaries', () => {
    const mem = new MemTable()
    const seqs = [1, 2 ** 24 - 1, 2 ** 24, 2 ** 24 + 1, 2 ** 32, 2 ** 40 + 3, MAX_SEQUENCE - 1, MAX_SEQUENCE]
    for (const s of [...seqs].reverse()) mem.add(s, KIND_VALUE, b('k'), b(String(s)))
    for (const s of seqs) expect(lookup(mem, b('k'), s)).toBe(`value:${s}@${s}`)
    const it = mem.iterator()
    const seen: number[] = []
    for (it.seekToFirst(); it.valid(); it.next()) seen.push(sequenceAt(it.key(), it.key().length))
    expect(seen).toEqual([...seqs].reverse())
    expect(mem.checkInvariants()).toBeUndefined()
  })

  it('accepts the empty key and empty values', () => {
    const mem = new MemTable()
    mem.add(1, KIND_VALUE, b(''), b(''))
    mem.add(2, KIND_VALUE, b('a'), b(''))
    mem.add(3, KIND_VALUE, b(''), b('non-empty'))
    expect(lookup(mem, b(''), 1)).toBe('value:@1')
    expect(lookup(mem, b(''), 3)).toBe('value:non-empty@3')
    expect(lookup(mem, b('a'), 3)).toBe('value:@2')
    expect(userKeys(mem)).toEqual(['', '', 'a'])
  })

  it('orders 1-byte keys and long keys sharing a prefix bytewise, the shorter first', () => {
    const prefix = 'p'.repeat(300)
    const keys = ['\x00', '\xff', 'a', prefix, prefix + '\x00', prefix + 'a', prefix + 'a\x00', prefix + 'b', prefix.slice(1), 'q']
    const mem = new MemTable()
    keys.forEach((k, i) => mem.add(i + 1, KIND_VALUE, b(k), b(`v${i}`)))
    const sorted = [...keys].sort((x, y) => compareBytes(b(x), b(y)))
    expect(userKeys(mem)).toEqual(sorted)
    keys.forEach((k, i) => expect(lookup(mem, b(k), MAX_SEQUENCE)).toBe(`value:v${i}@${i + 1}`))
    expect(lookup(mem, b(prefix + 'a\x00\x00'), MAX_SEQUENCE)).toBe('absent')
  })

  it('copies keys and values in, and hands out values the caller owns', () => {
    const mem = new MemTable()
    const key = b('key')
    const value = b('value')
    mem.add(1, KIND_VALUE, key, value)
    key.fill(0)
    value.fill(0)
    const out = result()
    expect(mem.get(b('key'), 1, out)).toBe('value')
    expect(out.value!.toString()).toBe('value')
    out.value!.fill(0x21)
    expect(lookup(mem, b('key'), 1)).toBe('value:value@1')
  })

  it('stores values larger than an arena chunk in their own allocation', () => {
    const mem = new MemTable()
    const big = Buffer.alloc(LARGE_ENTRY_SIZE * 3, 7)
    mem.add(1, KIND_VALUE, b('a'), b('small'))
    mem.add(2, KIND_VALUE, b('big'), big)
    mem.add(3, KIND_VALUE, b('c'), b('after'))
    const out = result()
    expect(mem.get(b('big'), 2, out)).toBe('value')
    expect(out.value!.equals(big)).toBe(true)
    expect(lookup(mem, b('a'), 3)).toBe('value:small@1')
    expect(lookup(mem, b('c'), 3)).toBe('value:after@3')
    expect(mem.approximateBytes).toBeGreaterThan(big.length)
  })
})

describe('MemTable with another user comparator', () => {
  it('orders and finds keys by that comparator (no bytewise prefix shortcut)', () => {
    const reverse: Comparator = {
      ...bytewiseComparator,
      name: 'test.Reverse',
      compareRange: (a, as, ae, b, bs, be) => bytewiseComparator.compareRange(b, bs, be, a, as, ae),
      compare: (a, b) => bytewiseComparator.compare(b, a),
    }
    const mem = new MemTable({ comparator: reverse })
    const keys = ['a', 'abc', 'b', '', 'zz', 'ab']
    keys.forEach((k, i) => mem.add(i + 1, KIND_VALUE, b(k), b(k.toUpperCase())))
    mem.add(10, KIND_DELETION, b('b'), b(''))
    expect(userKeys(mem)).toEqual(['zz', 'b', 'b', 'abc', 'ab', 'a', ''])
    expect(lookup(mem, b('abc'), 10)).toBe('value:ABC@2')
    expect(lookup(mem, b('b'), 10)).toBe('deleted')
    expect(lookup(mem, b('b'), 9)).toBe('value:B@3')
    expect(lookup(mem, b('c'), 10)).toBe('absent')
    expect(mem.checkInvariants()).toBeUndefined()
  })
})

describe('MemTable bookkeeping', () => {
  it('counts entries and tracks the smallest and largest sequence numbers', () => {
    const mem = new MemTable()
    expect([mem.count, mem.firstSequence, mem.lastSequence]).toEqual([0, -1, -1])
    mem.add(5, KIND_VALUE, b('a'), b('1'))
    mem.add(3, KIND_DELETION, b('b'), b(''))
    mem.add(9, KIND_VALUE, b('a'), b('2'))
    expect([mem.count, mem.firstSequence, mem.lastSequence]).toEqual([3, 3, 9])
  })

  it('grows approximateBytes with every entry, at least by its key and value bytes', () => {
    const mem = new MemTable()
    let last = mem.approximateBytes
    let payload = 0
    for (let i = 0; i < 5000; i++) {
      const key = b(`key-${i}`)
      const value = Buffer.alloc(i % 200, 1)
      mem.add(i, KIND_VALUE, key, value)
      payload += key.length + 8 + value.length
      expect(mem.approximateBytes).toBeGreaterThan(last)
      last = mem.approximateBytes
    }
    expect(last).toBeGreaterThanOrEqual(payload)
    expect(last).toBeLessThan(payload * 1.5 + 64 * 1024)
  })

  it('rejects an unknown kind or a sequence number outside 0..2^53 - 1 with INVALID_ARGUMENT', () => {
    const mem = new MemTable()
    for (const [seq, kind] of [[1, 2], [1, -1], [-1, KIND_VALUE], [0.5, KIND_VALUE], [MAX_SEQUENCE + 1, KIND_VALUE], [NaN, KIND_VALUE]] as const) {
      expect(() => mem.add(seq, kind, b('k'), b('v'))).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }))
    }
    expect(mem.count).toBe(0)
  })

  it('builds the same structure for the same seed and inserts', () => {
    const shape = (seed: number): number => {
      const mem = new MemTable({ seed })
      for (let i = 0; i < 3000; i++) mem.add(i, KIND_VALUE, b(String((i * 7919) % 3001)), b(''))
      return mem.approximateBytes
    }
    expect(shape(42)).toBe(shape(42))
    expect(shape(42)).not.toBe(shape(43))
  })
})

describe('MemTableIterator', () => {
  it('is not positioned until a seek, and positions nowhere on an empty table', () => {
    const it = new MemTable().iterator()
    expect(it.valid()).toBe(false)
    it.seekToFirst()
    expect(it.valid()).toBe(false)
    it.seekToLast()
    expect(it.valid()).toBe(false)
    it.seek(makeInternalKey(b('a'), 1, KIND_SEEK))
    expect(it.valid()).toBe(false)
  })

  it('walks internal keys both ways: user key ascending, newest version first', () => {
    const mem = new MemTable()
    mem.add(1, KIND_VALUE, b('b'), b('b1'))
    mem.add(2, KIND_VALUE, b('a'), b('a2'))
    mem.add(3, KIND_DELETION, b('b'), b(''))
    mem.add(4, KIND_VALUE, b('c'), b('c4'))
    const it = mem.iterator()
    const fwd: string[] = []
    for (it.seekToFirst(); it.valid(); it.next()) fwd.push(`${b2s(userKeyOf(it.key()))}@${sequenceAt(it.key(), it.key().length)}=${b2s(it.value())}`)
    expect(fwd).toEqual(['a@2=a2', 'b@3=', 'b@1=b1', 'c@4=c4'])
    const back: string[] = []
    for (it.seekToLast(); it.valid(); it.prev()) back.push(`${b2s(userKeyOf(it.key()))}@${sequenceAt(it.key(), it.key().length)}`)
    expect(back).toEqual(['c@4', 'b@1', 'b@3', 'a@2'])
  })

  it('seeks to the first entry at or after an internal key', () => {
    const mem = new MemTable()
    for (const [s, k] of [[5, 'b'], [9, 'b'], [2, 'd']] as const) mem.add(s, KIND_VALUE, b(k), b(''))
    const it = mem.iterator()
    const at = (k: string, s: number): string => {
      it.seek(makeInternalKey(b(k), s, KIND_SEEK))
      return it.valid() ? `${b2s(userKeyOf(it.key()))}@${sequenceAt(it.key(), it.key().length)}` : 'end'
    }
    expect(at('a', 1)).toBe('b@9')
    expect(at('b', 100)).toBe('b@9')
    expect(at('b', 9)).toBe('b@9')
    expect(at('b', 8)).toBe('b@5')
    expect(at('b', 4)).toBe('d@2')
    expect(at('d', 1)).toBe('end')
    expect(at('e', 100)).toBe('end')
  })

  it('exposes the current entry as ranges of the arena, matching key() and value()', () => {
    const mem = new MemTable()
    mem.add(1, KIND_VALUE, b('key'), b('value'))
    const it = mem.iterator()
    it.seekToFirst()
    const e = newEntrySpan()
    it.entryRanges(e)
    expect(e.keyBuffer.subarray(e.keyStart, e.keyEnd)).toEqual(it.key())
    expect(e.valueBuffer).toBe(e.keyBuffer)
    expect(e.valueStart).toBe(e.keyEnd)
    expect(b2s(e.valueBuffer.subarray(e.valueStart, e.valueEnd))).toBe('value')
    expect(it.key()).toBe(it.key()) // one view per position
  })

  it('sees entries added after its creation when it moves across them', () => {
    const mem = new MemTable()
    for (const k of ['b', 'd', 'f']) mem.add(1, KIND_VALUE, b(k), b(''))
    const it = mem.iterator()
    it.seekToFirst()
    expect(b2s(userKeyOf(it.key()))).toBe('b')
    mem.add(2, KIND_VALUE, b('a'), b('')) // behind the cursor: not seen going forward
    mem.add(2, KIND_VALUE, b('c'), b('')) // ahead: seen
    const fwd: string[] = []
    for (; it.valid(); it.next()) {
      fwd.push(b2s(userKeyOf(it.key())))
      if (fwd.length === 2) mem.add(3, KIND_VALUE, b('e'), b('')) // right after the cursor
    }
    expect(fwd).toEqual(['b', 'c', 'd', 'e', 'f'])
    it.seekToLast()
    mem.add(4, KIND_VALUE, b('g'), b(''))
    const back: string[] = []
    for (; it.valid(); it.prev()) back.push(b2s(userKeyOf(it.key())))
    expect(back).toEqual(['f', 'e', 'd', 'c', 'b', 'a'])
    expect(mem.checkInvariants()).toBeUndefined()
  })

  it('is invalid after close()', () => {
    const mem = new MemTable()
    mem.add(1, KIND_VALUE, b('k'), b('v'))
    const it = mem.iterator()
    it.seekToFirst()
    it.close()
    expect(it.valid()).toBe(false)
  })
})

function b2s(u: Uint8Array): string {
  return Buffer.from(u).toString('latin1')
}
