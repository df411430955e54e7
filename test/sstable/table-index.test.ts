// TableIndex locates separators through the index block's restart array and decodes a data
// block's handle only when the block is first read: the handles it decodes must be the ones
// stored, and damage must still be reported as CORRUPTION, at open for the entries' framing
// and at first use for a handle.
import { describe, expect, it } from 'vitest'
import { bytewiseComparator } from '../../engine/base/comparator.js'
import { StrataError } from '../../engine/errors.js'
import { Block } from '../../engine/sstable/block.js'
import { BlockBuilder } from '../../engine/sstable/block-builder.js'
import { encodeHandle } from '../../engine/sstable/format.js'
import { TableIndex } from '../../engine/sstable/table-index.js'

const key = (i: number): Uint8Array => Buffer.from(`key${String(i).padStart(6, '0')}`)

/** An index block of `n` entries, separator key(i) -> handle (1000 i, 900 + i). */
function indexBlock(n: number, restartInterval = 1, value = (i: number) => encodeHandle({ offset: 1000 * i, size: 900 + i })): Block {
  const b = new BlockBuilder(restartInterval)
  for (let i = 0; i < n; i++) b.add(key(i), value(i))
  return new Block(b.finish(), 'index.sst', 4242)
}

function corruptionOf(f: () => unknown): StrataError {
  try {
    f()
  } catch (err) {
    expect(err).toBeInstanceOf(StrataError)
    expect((err as StrataError).code).toBe('CORRUPTION')
    return err as StrataError
  }
  throw new Error('expected CORRUPTION')
}

describe('TableIndex', () => {
  it('finds separators and decodes each stored handle, in any order of first use', () => {
    const index = TableIndex.decode(indexBlock(300), bytewiseComparator)
    expect(index.count).toBe(300)
    for (const i of [299, 0, 150, 150, 1, 298]) {
      expect(index.size(i)).toBe(900 + i) // size before offset decodes the handle too
      expect(index.offset(i)).toBe(1000 * i)
    }
    for (let i = 0; i < 300; i++) {
      expect(index.offset(i)).toBe(1000 * i)
      expect(index.size(i)).toBe(900 + i)
      expect(Buffer.from(index.key(i)).toString()).toBe(`key${String(i).padStart(6, '0')}`)
      expect(index.find(key(i))).toBe(i)
    }
    expect(index.find(Buffer.from('key'))).toBe(0)
    expect(index.find(Buffer.from('zzz'))).toBe(300)
  })

  it('refuses an index block with more entries than restart points, naming the file', () => {
    const err = corruptionOf(() => TableIndex.decode(indexBlock(10, 2), bytewiseComparator))
    expect(err.message).toContain('index.sst')
  })

  it('reports a damaged handle as CORRUPTION when its block is first needed, and only then', () => {
    // Entry 5's value is a varint that never ends: the framing is whole, the handle is not.
    const block = indexBlock(10, 1, (i) => (i === 5 ? Uint8Array.from([0xff, 0xff, 0xff]) : encodeHandle({ offset: i, size: 1 })))
    const index = TableIndex.decode(block, bytewiseComparator)
    expect(index.offset(4)).toBe(4)
    expect(index.offset(6)).toBe(6)
    const err = corruptionOf(() => index.offset(5))
    expect(err.message).toContain('bad block handle')
    corruptionOf(() => index.size(5))
  })

  it('refuses a handle with bytes left over in its entry', () => {
    const block = indexBlock(3, 1, (i) => Uint8Array.from([...encodeHandle({ offset: i, size: 1 }), ...(i === 1 ? [7] : [])]))
    const index = TableIndex.decode(block, bytewiseComparator)
    expect(index.offset(2)).toBe(2)
    corruptionOf(() => index.offset(1))
  })
})
