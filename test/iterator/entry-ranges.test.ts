// EntryRanges: the iterators a flush or a compaction walks (memtable, table, level, merging)
// describe their current entry as byte ranges; those ranges must be exactly key() and value(),
// at every position and in both directions, across block and file boundaries.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { bytewiseComparator, hasEntryRanges, internalKeyComparator, KIND_VALUE, makeInternalKey, newEntrySpan } from '../../engine/base/index.js'
import type { EntryRanges, InternalIterator } from '../../engine/base/index.js'
import { mergeIterators } from '../../engine/iterator/index.js'
import { MemTable } from '../../engine/memtable/index.js'
import { LevelIterator } from '../../engine/version/index.js'
import type { FileMetaData } from '../../engine/version/index.js'
import { buildTable, hex, openTable } from '../sstable/helpers.js'
import { runs } from '../sstable/arbitraries.js'
import { ArrayIterator } from './array-iterator.js'

const icmp = internalKeyComparator(bytewiseComparator)

/** Every position's ranges, read both ways, as hex; checked against key()/value() on the way. */
function walk(iter: InternalIterator & EntryRanges): string[] {
  const seen: string[] = []
  const span = newEntrySpan()
  const check = (): void => {
    iter.entryRanges(span)
    const k = hex(span.keyBuffer.subarray(span.keyStart, span.keyEnd))
    const v = hex(span.valueBuffer.subarray(span.valueStart, span.valueEnd))
    expect(k).toBe(hex(iter.key()))
    expect(v).toBe(hex(iter.value()))
    seen.push(k + ':' + v)
  }
  for (iter.seekToFirst(); iter.valid(); iter.next()) check()
  for (iter.seekToLast(); iter.valid(); iter.prev()) check()
  return seen
}

describe('EntryRanges', () => {
  it('are key() and value() in memtable, table, level and merging iterators', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.nat(5000), { minLength: 1, maxLength: 300 }),
        fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 64, max: 1024 }),
        (ids, valueLengths, blockSize) => {
          // Entries spread round-robin over a memtable and three tables (two of them one level).
          const users = ids.map((id) => Buffer.from(String(id).padStart(6, '0')))
          const values = ids.map((_, i) => Buffer.alloc(valueLengths[i % valueLengths.length]!, i & 0xff))
          const entries = ids.map((_, i) => [makeInternalKey(users[i]!, i + 1, KIND_VALUE), values[i]!] as const)
          const parts: (readonly [Uint8Array, Uint8Array])[][] = [[], [], [], []]
          entries.forEach((e, i) => parts[i % 4]!.push(e))
          for (const p of parts) p.sort(([a], [b]) => icmp.compare(a, b))
          const mem = new MemTable()
          for (let i = 0; i < ids.length; i += 4) mem.add(i + 1, KIND_VALUE, users[i]!, values[i]!)
          const table = (i: number) => openTable(buildTable(parts[i]!, { comparator: icmp, blockSize, filterSuffixLength: 8 }).bytes,
            { comparator: icmp, filterSuffixLength: 8 })
          const t1 = table(1)
          // A level of two files: the third part split where the fourth part's keys would not overlap it.
          const level = [parts[2]!, parts[3]!].filter((p) => p.length > 0).flat().sort(([a], [b]) => icmp.compare(a, b))
          const half = level.length >> 1
          const files = [level.slice(0, half), level.slice(half)].filter((p) => p.length > 0)
          const readers = files.map((p) => openTable(buildTable(p, { comparator: icmp, blockSize, filterSuffixLength: 8 }).bytes,
            { comparator: icmp, filterSuffixLength: 8 }))
          const metas: FileMetaData[] = files.map((p, i) => ({ number: i, size: 0, smallest: p[0]![0], largest: p[p.length - 1]![0] }))
          const levelIter = new LevelIterator(metas, icmp, (f) => ({ iter: readers[f.number]!.iterator(), release: () => {} }))
          const merged = mergeIterators(icmp, [mem.iterator(), t1.iterator(), levelIter])
          expect(hasEntryRanges(merged)).toBe(true)
          if (!hasEntryRanges(merged)) return
          const all = [...entries].sort(([a], [b]) => icmp.compare(a, b)).map(([k, v]) => hex(k) + ':' + hex(v))
          expect(walk(merged)).toEqual([...all, ...[...all].reverse()])
          merged.close()
        },
      ),
      { seed: 71, numRuns: runs(40) },
    )
  })

  it('are absent from a merging iterator when any child lacks them', () => {
    const mem = new MemTable()
    mem.add(1, KIND_VALUE, Buffer.from('a'), Buffer.from('1'))
    const plain = new ArrayIterator(icmp, [])
    expect(hasEntryRanges(mergeIterators(icmp, [mem.iterator(), mem.iterator()]))).toBe(true)
    expect(hasEntryRanges(mergeIterators(icmp, [mem.iterator(), plain]))).toBe(false)
    expect(hasEntryRanges(plain)).toBe(false)
  })
})
