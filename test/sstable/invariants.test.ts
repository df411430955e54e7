// With STRATADB_INVARIANTS=1 the table builder refuses keys that are not strictly increasing.
import { describe, expect, it, vi } from 'vitest'

vi.hoisted(() => {
  process.env['STRATADB_INVARIANTS'] = '1'
})

const { MemFileSystem } = await import('../../engine/fs/mem-fs.js')
const { TableBuilder } = await import('../../engine/sstable/index.js')
const { CHECK_INVARIANTS } = await import('../../engine/base/invariants.js')
const { internalKeyComparator, bytewiseComparator } = await import('../../engine/base/comparator.js')
const { makeInternalKey } = await import('../../engine/base/internal-key.js')
const { RAW_OPTIONS, enc } = await import('./helpers.js')

describe('invariant switch', () => {
  it('is on in this file', () => {
    expect(CHECK_INVARIANTS).toBe(true)
  })

  it('rejects a key equal to or before the previous one', () => {
    const b = new TableBuilder(new MemFileSystem().create('/t.sst'), RAW_OPTIONS)
    b.add(enc('b'), enc(''))
    expect(() => b.add(enc('b'), enc(''))).toThrow(/strictly increasing/)
    expect(() => b.add(enc('a'), enc(''))).toThrow(/strictly increasing/)
    b.add(enc('ba'), enc(''))
    expect(b.numEntries).toBe(2)
  })

  it('orders by the table comparator (internal keys: newer sequence first)', () => {
    const icmp = internalKeyComparator(bytewiseComparator)
    const b = new TableBuilder(new MemFileSystem().create('/t.sst'), { ...RAW_OPTIONS, comparator: icmp, filterSuffixLength: 8 })
    b.add(makeInternalKey(enc('a'), 9, 1), enc(''))
    b.add(makeInternalKey(enc('a'), 8, 1), enc(''))
    expect(() => b.add(makeInternalKey(enc('a'), 10, 1), enc(''))).toThrow(/strictly increasing/)
  })
})
