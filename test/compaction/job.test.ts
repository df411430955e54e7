// The compaction job on hand-made inputs: which versions and deletions survive, how outputs are
// cut, trivial moves, the VersionEdit it fills, and plain-data results.
import { describe, expect, it } from 'vitest'
import {
  applyCompactionResult, pickCompaction, pickManualCompaction, runCompaction,
} from '../../engine/compaction/index.js'
import type { CompactionEnv, CompactionSpec, PickerOptions } from '../../engine/compaction/index.js'
import { kindAt, sequenceAt, TRAILER_SIZE } from '../../engine/base/internal-key.js'
import type { MemFileSystem } from '../../engine/fs/mem-fs.js'
import { NUM_LEVELS, VersionEdit } from '../../engine/version/index.js'
import type { FileMetaData } from '../../engine/version/index.js'
import {
  del, icmp, label, meta, newFs, numbers, put, readTable, sortEntries, str, TABLE, ucmp, versionOf, writeTable,
} from './helpers.js'
import type { Entry } from './helpers.js'

const PICK: PickerOptions = { targetFileSize: 1 << 20, levelSizeMultiplier: 10, l0CompactionTrigger: 1 }

function envFor(fs: MemFileSystem, smallestSnapshot: number, targetFileSize = 1 << 20, firstNumber = 100): CompactionEnv {
  let next = firstNumber
  return { fs, dir: '/db', table: TABLE, targetFileSize, smallestSnapshot, allocateFileNumber: () => next++ }
}

/** A manual compaction of all of `level` in a version made of `levels`. */
function manualSpec(levels: FileMetaData[][], level: number): CompactionSpec {
  return pickManualCompaction(versionOf(levels), level, undefined, undefined, PICK, icmp, ucmp)!
}

/** Compacts `entries` alone in L1 (nothing below unless `deeper` is given) and returns the labels kept. */
function survivors(entries: Entry[], smallestSnapshot: number, deeper: FileMetaData[][] = []): string[] {
  const fs = newFs()
  const spec = manualSpec([[], [writeTable(fs, 1, entries)], [], ...deeper], 1)
  const result = runCompaction(spec, envFor(fs, smallestSnapshot))
  return result.outputs.flatMap((f) => readTable(fs, f).map(label))
}

describe('which versions survive', () => {
  it('keeps the newest version and every version a snapshot at or after smallestSnapshot can see', () => {
    const history = [put('a', 9), put('a', 7), put('a', 5), put('a', 3), put('b', 2)]
    expect(survivors(history, 6)).toEqual(['a@9', 'a@7', 'a@5', 'b@2'])
    expect(survivors(history, 100)).toEqual(['a@9', 'b@2'])
    expect(survivors(history, 1)).toEqual(['a@9', 'a@7', 'a@5', 'a@3', 'b@2'])
  })

  it('drops a deletion no snapshot needs when no deeper level can hold its key', () => {
    expect(survivors([del('b', 8), put('b', 4), put('c', 1)], 10)).toEqual(['c@1'])
  })

  it('keeps a deletion whose key a deeper level may hold, but not the versions under it', () => {
    const l3 = [meta(30, 'a', 'bb')]
    expect(survivors([del('b', 8), put('b', 4), put('c', 1)], 10, [[], l3])).toEqual(['b@8:del', 'c@1'])
  })

  it('keeps a deletion newer than the oldest snapshot, and what that snapshot sees under it', () => {
    expect(survivors([del('b', 8), put('b', 4), put('b', 2)], 7)).toEqual(['b@8:del', 'b@4'])
  })

  it('merges overlapping L0 files and L1 by sequence, whatever the file order', () => {
    const fs = newFs()
    const l0 = [writeTable(fs, 5, [put('a', 20), put('m', 21)]), writeTable(fs, 7, [put('a', 30), del('c', 31)])]
    const l1 = [writeTable(fs, 3, [put('a', 1), put('c', 2), put('z', 3)])]
    const spec = manualSpec([l0, l1], 0)
    expect(numbers(spec.inputs)).toEqual([5, 7])
    const result = runCompaction(spec, envFor(fs, 100))
    expect(result.outputs.flatMap((f) => readTable(fs, f).map(label))).toEqual(['a@30', 'm@21', 'z@3'])
    expect(result.stats).toMatchObject({ entriesIn: 7, entriesOut: 3, droppedObsolete: 3, droppedTombstones: 1 })
  })
})

describe('output files', () => {
  it('cut near targetFileSize, never inside one user key', () => {
    const fs = newFs()
    const entries: Entry[] = []
    for (let k = 0; k < 60; k++) {
      const key = `key${String(k).padStart(3, '0')}`
      const versions = k === 30 ? 40 : 3 // one key with more versions than fit one output
      for (let v = 0; v < versions; v++) entries.push(put(key, 1000 + k * 100 + v, 'x'.repeat(40)))
    }
    const spec = manualSpec([[], [writeTable(fs, 1, entries)]], 1)
    const target = 1024
    const result = runCompaction(spec, envFor(fs, 0, target))
    expect(result.outputs.length).toBeGreaterThan(4)
    const users = result.outputs.map((f) => new Set(readTable(fs, f).map((e) => str(e.user))))
    for (let i = 1; i < users.length; i++) {
      for (const u of users[i]!) expect(users[i - 1]!.has(u)).toBe(false)
    }
    const all = result.outputs.flatMap((f) => readTable(fs, f))
    expect(all.map(label)).toEqual(sortEntries(entries).map(label))
    for (const f of result.outputs) {
      expect(f.size).toBe(fs.size(`/db/${String(f.number).padStart(6, '0')}.sst`))
      const mostVersions = Math.max(...[...countBy(readTable(fs, f).map((e) => str(e.user))).values()])
      if (mostVersions <= 3) expect(f.size).toBeLessThan(target + 3 * TABLE.blockSize + 600)
    }
  })

  it('cut where the keys passed overlap more than 10 x targetFileSize of grandparents', () => {
    const fs = newFs()
    const key = (i: number): string => `k${String(i).padStart(2, '0')}`
    const entries = Array.from({ length: 40 }, (_, i) => put(key(i), i + 1))
    const target = 1 << 20
    // Grandparent i holds older versions (sequence 0) of keys 5i+1 .. 5i+2 and weighs 4 x target:
    // every third one passed takes the overlap past 10 x target.
    const l3 = Array.from({ length: 8 }, (_, i) => meta(30 + i, `${key(5 * i + 1)}@0`, `${key(5 * i + 2)}@0`, 4 * target))
    const spec = manualSpec([[], [writeTable(fs, 1, entries)], [], l3], 1)
    expect(spec.grandparents).toHaveLength(8)
    const result = runCompaction(spec, envFor(fs, 0, target))
    const firsts = result.outputs.map((f) => str(readTable(fs, f)[0]!.user))
    expect(firsts).toEqual(['k00', 'k13', 'k28'])
  })

  it('do not count grandparents that end before the first key', () => {
    const fs = newFs()
    const target = 1 << 20
    const entries = Array.from({ length: 10 }, (_, i) => put(`k${i}`, i + 1))
    const picked = manualSpec([[], [writeTable(fs, 1, entries)]], 1)
    // 8 x target before the first key, then 4 x target inside: only the 4 count, so no cut.
    const spec = { ...picked, grandparents: [meta(30, 'a', 'b', 8 * target), meta(31, 'k3@0', 'k4@0', 4 * target)] }
    expect(runCompaction(spec, envFor(fs, 0, target)).outputs).toHaveLength(1)
  })

  it('are sorted, disjoint, numbered by the allocator and described by their metadata', () => {
    const fs = newFs()
    const entries = Array.from({ length: 300 }, (_, i) => put(`u${String(i).padStart(4, '0')}`, i + 1, 'v'.repeat(20)))
    const result = runCompaction(manualSpec([[], [writeTable(fs, 1, entries)]], 1), envFor(fs, 0, 2048, 500))
    expect(numbers(result.outputs)).toEqual(result.outputs.map((_, i) => 500 + i))
    for (const [i, f] of result.outputs.entries()) {
      const got = readTable(fs, f)
      expect(keyLabel(f.smallest)).toBe(label(got[0]!))
      expect(keyLabel(f.largest)).toBe(label(got[got.length - 1]!))
      if (i > 0) expect(icmp.compare(result.outputs[i - 1]!.largest, f.smallest)).toBeLessThan(0)
    }
    expect(result.stats.bytesWritten).toBe(result.outputs.reduce((n, f) => n + f.size, 0))
  })

  it('are none when every entry is dropped', () => {
    const fs = newFs()
    const spec = manualSpec([[], [writeTable(fs, 1, [del('a', 5), put('a', 4)])]], 1)
    const before = fs.list('/db').length
    const result = runCompaction(spec, envFor(fs, 10))
    expect(result.outputs).toEqual([])
    expect(fs.list('/db')).toHaveLength(before)
    expect(result.edit.deleted).toEqual([{ level: 1, number: 1 }])
  })
})

describe('trivial moves and edits', () => {
  it('moves the one input down without reading or writing a table', () => {
    const l1 = [meta(10, 'd', 'f', 11 << 20)]
    const spec = pickCompaction(versionOf([[], l1]), PICK, new Array(NUM_LEVELS).fill(undefined), icmp, ucmp)!
    expect(spec.isTrivialMove).toBe(true)
    const fs = newFs() // file 10 does not even exist
    const result = runCompaction(spec, envFor(fs, 0))
    expect(result.trivialMove).toBe(true)
    expect(result.outputs).toEqual(l1)
    expect(result.edit.added).toEqual([{ level: 2, file: l1[0] }])
    expect(fs.list('/db')).toEqual([])
  })

  it('fills a VersionEdit with deleted inputs, added outputs and the new compaction pointer', () => {
    const fs = newFs()
    const l1 = [writeTable(fs, 1, [put('a', 5), put('c', 6)])]
    const l2 = [writeTable(fs, 2, [put('b', 1)]), writeTable(fs, 3, [put('c', 2)])]
    const spec = manualSpec([[], l1, l2], 1)
    const result = runCompaction(spec, envFor(fs, 10))
    const edit = applyCompactionResult(new VersionEdit(), spec, result)
    expect(edit.deletedFiles).toEqual([{ level: 1, number: 1 }, { level: 2, number: 2 }, { level: 2, number: 3 }])
    expect(edit.newFiles).toEqual(result.outputs.map((file) => ({ level: 2, file })))
    expect(edit.compactPointers).toEqual([{ level: 1, key: l1[0]!.largest }])
    const decoded = VersionEdit.decode(edit.encode(), 'MANIFEST-000001', 0)
    expect(decoded.newFiles.map((n) => n.file.number)).toEqual(numbers(result.outputs))
  })

  it('refuses to apply a result to another compaction', () => {
    const fs = newFs()
    const spec = manualSpec([[], [writeTable(fs, 1, [put('a', 5)])], [writeTable(fs, 2, [put('a', 1)])]], 1)
    const result = runCompaction(spec, envFor(fs, 10))
    const other = { ...spec, level: 2 }
    expect(() => applyCompactionResult(new VersionEdit(), other, result)).toThrow(/does not belong/)
  })

  it('returns plain data that survives structuredClone', () => {
    const fs = newFs()
    const spec = manualSpec([[], [writeTable(fs, 1, [put('a', 5), del('b', 6)])], [writeTable(fs, 2, [put('b', 1)])]], 1)
    const result = runCompaction(spec, envFor(fs, 10))
    expect(result.outputs.length).toBe(1)
    expect(structuredClone(result)).toEqual(result)
  })
})

function keyLabel(ik: Uint8Array): string {
  const user = ik.slice(0, ik.length - TRAILER_SIZE)
  return label({ user, seq: sequenceAt(ik, ik.length), kind: kindAt(ik, ik.length), value: new Uint8Array(0) })
}

function countBy(xs: readonly string[]): Map<string, number> {
  const m = new Map<string, number>()
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1)
  return m
}
