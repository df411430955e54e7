// The picker's input sets: L0 overlap closure, boundary inputs, level+1 inputs and widening,
// grandparents, what the job needs for deletions, trivial moves, and manual range picks.
import { describe, expect, it } from 'vitest'
import { pickCompaction, pickManualCompaction } from '../../engine/compaction/index.js'
import type { CompactionSpec, PickerOptions } from '../../engine/compaction/index.js'
import { isStrataError } from '../../engine/errors.js'
import { NUM_LEVELS } from '../../engine/version/index.js'
import type { FileMetaData } from '../../engine/version/index.js'
import { enc, icmp, meta, numbers, str, ucmp, versionOf } from './helpers.js'

const MiB = 1024 * 1024
const OPTIONS: PickerOptions = { targetFileSize: 2 * MiB, levelSizeMultiplier: 10, l0CompactionTrigger: 4 }
const NO_POINTERS: Array<Uint8Array | undefined> = new Array(NUM_LEVELS).fill(undefined)
const BIG = 11 * MiB // one such file puts L1 over its 10 MiB target

/** The size-triggered pick with level 1 over target and file `first` picked first. */
function pickL1(levels: FileMetaData[][], first?: FileMetaData): CompactionSpec {
  const pointers = [...NO_POINTERS]
  const l1 = levels[1]!
  const i = first === undefined ? 0 : l1.indexOf(first)
  if (i > 0) pointers[1] = l1[i - 1]!.largest
  const spec = pickCompaction(versionOf(levels), OPTIONS, pointers, icmp, ucmp)
  if (spec === undefined || spec.level !== 1) throw new Error('expected an L1 compaction')
  return spec
}

describe('L0 inputs', () => {
  it('take the oldest L0 file and every L0 file overlapping the growing set', () => {
    const l0 = [meta(1, 'a', 'c'), meta(2, 'b', 'd'), meta(3, 'x', 'z'), meta(4, 'd', 'e'), meta(5, 'f', 'g')]
    const spec = pickCompaction(versionOf([l0]), OPTIONS, NO_POINTERS, icmp, ucmp)!
    expect(spec.level).toBe(0)
    expect(numbers(spec.inputs)).toEqual([1, 2, 4])
    expect(spec.isTrivialMove).toBe(false)
  })

  it('bring in every L1 file overlapping the L0 range', () => {
    const l0 = [meta(1, 'c', 'f'), meta(2, 'e', 'h'), meta(3, 'a', 'b'), meta(4, 'y', 'z')]
    const l1 = [meta(10, 'a', 'b'), meta(11, 'd', 'e'), meta(12, 'g', 'k'), meta(13, 'm', 'n')]
    const spec = pickCompaction(versionOf([l0, l1]), OPTIONS, NO_POINTERS, icmp, ucmp)!
    expect(numbers(spec.inputs)).toEqual([1, 2])
    expect(numbers(spec.nextInputs)).toEqual([11, 12])
  })
})

describe('boundary inputs', () => {
  // Files 10 and 11 share user key "c"; 11 and 12 share "e": one user key never splits.
  const l1 = [meta(10, 'a@9', 'c@7', BIG), meta(11, 'c@5', 'e@8', BIG), meta(12, 'e@3', 'f@1', BIG), meta(13, 'g', 'h', BIG)]

  it('join every neighbour sharing a boundary user key with the picked file', () => {
    expect(numbers(pickL1([[], l1], l1[0]).inputs)).toEqual([10, 11, 12])
    expect(numbers(pickL1([[], l1], l1[1]).inputs)).toEqual([10, 11, 12])
    expect(numbers(pickL1([[], l1], l1[3]).inputs)).toEqual([13])
  })

  it('join in level+1 too, past the end of the range', () => {
    const l2 = [meta(20, 'a', 'f@9'), meta(21, 'f@4', 'k'), meta(22, 'm', 'n')]
    const spec = pickL1([[], [meta(10, 'a', 'b', BIG)], l2])
    expect(numbers(spec.nextInputs)).toEqual([20, 21])
  })
})

describe('level+1 inputs and widening', () => {
  it('widens the level inputs to the combined range when level+1 stays the same', () => {
    const l1 = [meta(10, 'a', 'b', BIG), meta(11, 'c', 'd', 1000), meta(12, 'e', 'f', 1000), meta(13, 'x', 'y', 1000)]
    const spec = pickL1([[], l1, [meta(20, 'a', 'f')]])
    expect(numbers(spec.inputs)).toEqual([10, 11, 12])
    expect(numbers(spec.nextInputs)).toEqual([20])
    expect(spec.nextCompactPointer).toEqual(l1[2]!.largest)
  })

  it('does not widen where that would add a level+1 file', () => {
    const l1 = [meta(10, 'a', 'b', BIG), meta(11, 'c', 'd', 1000)]
    const spec = pickL1([[], l1, [meta(20, 'a', 'c'), meta(21, 'd', 'z')]])
    expect(numbers(spec.inputs)).toEqual([10])
    expect(numbers(spec.nextInputs)).toEqual([20])
  })

  it('does not widen past 25 x targetFileSize bytes of inputs', () => {
    const l1 = [meta(10, 'a', 'b', BIG), meta(11, 'c', 'd', 40 * MiB)]
    const spec = pickL1([[], l1, [meta(20, 'a', 'f')]])
    expect(numbers(spec.inputs)).toEqual([10])
  })
})

describe('grandparents and deeper levels', () => {
  const l1 = [meta(10, 'd', 'f', BIG)]
  const l2 = [meta(20, 'c', 'g')]
  const l3 = [meta(30, 'a', 'b'), meta(31, 'b', 'd'), meta(32, 'e', 'e'), meta(33, 'g', 'h'), meta(34, 'i', 'j')]
  const l5 = [meta(50, 'f', 'f@3'), meta(51, 'x', 'y')]

  it('names the level+2 files overlapping the whole compaction range as grandparents', () => {
    const spec = pickL1([[], l1, l2, l3])
    expect(numbers(spec.grandparents)).toEqual([31, 32, 33])
  })

  it('lists, per deeper level, the user-key ranges of files in range', () => {
    const spec = pickL1([[], l1, l2, l3, [], l5])
    expect(spec.bottommost).toBe(false)
    expect(spec.levelFilesForDrop.map((l) => l.level)).toEqual([3, 5])
    const l3Ranges = spec.levelFilesForDrop[0]!
    expect(l3Ranges.smallest.map(str)).toEqual(['b', 'e', 'g'])
    expect(l3Ranges.largest.map(str)).toEqual(['d', 'e', 'h'])
    expect(spec.levelFilesForDrop[1]!.smallest.map(str)).toEqual(['f'])
  })

  it('is bottommost when no deeper level holds the range', () => {
    const spec = pickL1([[], l1, l2, [meta(30, 'a', 'b')], [], [meta(51, 'x', 'y')]])
    expect(spec.bottommost).toBe(true)
    expect(spec.levelFilesForDrop).toEqual([])
  })
})

describe('trivial moves', () => {
  it('move one file with nothing below it to merge and little grandparent overlap', () => {
    const spec = pickL1([[], [meta(10, 'd', 'f', BIG)], [meta(20, 'a', 'b')], [meta(30, 'd', 'e', 20 * MiB)]])
    expect(spec.isTrivialMove).toBe(true)
  })

  it('are refused where the file overlaps level+1', () => {
    expect(pickL1([[], [meta(10, 'd', 'f', BIG)], [meta(20, 'a', 'd')]]).isTrivialMove).toBe(false)
  })

  it('are refused where grandparent overlap exceeds 10 x targetFileSize', () => {
    const spec = pickL1([[], [meta(10, 'd', 'f', BIG)], [], [meta(30, 'd', 'e', 15 * MiB), meta(31, 'f', 'g', 6 * MiB)]])
    expect(spec.isTrivialMove).toBe(false)
  })

  it('are refused where boundary inputs make more than one file', () => {
    const l1 = [meta(10, 'a@9', 'c@7', BIG), meta(11, 'c@5', 'e@8', 1000)]
    expect(pickL1([[], l1]).isTrivialMove).toBe(false)
  })

  it('move a lone L0 file into an empty range of L1', () => {
    const l0 = [1, 2, 3, 4].map((n) => meta(n, `k${n}a`, `k${n}b`))
    const spec = pickCompaction(versionOf([l0, [meta(10, 'x', 'y')]]), OPTIONS, NO_POINTERS, icmp, ucmp)!
    expect(numbers(spec.inputs)).toEqual([1])
    expect(spec.isTrivialMove).toBe(true)
  })
})

describe('pickManualCompaction', () => {
  const l1 = [meta(10, 'a', 'b'), meta(11, 'c', 'd'), meta(12, 'e', 'f@5'), meta(13, 'f@3', 'g'), meta(14, 'x', 'y')]
  const l2 = [meta(20, 'a', 'a'), meta(21, 'cc', 'd')] // never lets L1 widen in these picks
  const version = versionOf([[meta(1, 'b', 'c'), meta(2, 'c', 'e'), meta(3, 'p', 'q')], l1, l2])
  const manual = (level: number, begin?: string, end?: string, max?: number): CompactionSpec | undefined =>
    pickManualCompaction(version, level, begin === undefined ? undefined : enc(begin), end === undefined ? undefined : enc(end),
      OPTIONS, icmp, ucmp, max)

  it('takes the files of the level overlapping [begin, end], plus boundary files', () => {
    const spec = manual(1, 'cc', 'e')!
    expect(numbers(spec.inputs)).toEqual([11, 12, 13])
    expect(numbers(spec.nextInputs)).toEqual([21])
    expect(spec.isManual).toBe(true)
    expect(spec.isTrivialMove).toBe(false)
  })

  it('treats an undefined bound as open', () => {
    expect(numbers(manual(1, undefined, 'c')!.inputs)).toEqual([10, 11])
    expect(numbers(manual(1, 'g', undefined)!.inputs)).toEqual([12, 13, 14]) // 12 shares "f" with 13
    expect(numbers(manual(1)!.inputs)).toEqual([10, 11, 12, 13, 14])
  })

  it('closes L0 picks under overlap', () => {
    expect(numbers(manual(0, 'e', 'e')!.inputs)).toEqual([1, 2])
  })

  it('returns undefined where nothing overlaps the range, and for the last level', () => {
    expect(manual(1, 'h', 'w')).toBeUndefined()
    expect(manual(1, 'z', 'a')).toBeUndefined()
    expect(manual(NUM_LEVELS - 1)).toBeUndefined()
  })

  it('refuses a level outside 0..6 with INVALID_ARGUMENT', () => {
    for (const level of [-1, NUM_LEVELS, 1.5]) {
      let caught: unknown
      try {
        manual(level)
      } catch (err) {
        caught = err
      }
      expect(isStrataError(caught, 'INVALID_ARGUMENT')).toBe(true)
    }
  })

  it('stops taking files once maxInputBytes is reached, without splitting a user key', () => {
    expect(numbers(manual(1, undefined, undefined, 1500)!.inputs)).toEqual([10, 11])
    expect(numbers(manual(1, 'e', undefined, 1)!.inputs)).toEqual([12, 13])
  })

  it('is never a trivial move, so tombstones at the bottom get dropped', () => {
    const lone = versionOf([[], [meta(10, 'a', 'b')]])
    const spec = pickManualCompaction(lone, 1, undefined, undefined, OPTIONS, icmp, ucmp)!
    expect(spec.isTrivialMove).toBe(false)
    expect(spec.bottommost).toBe(true)
  })
})

describe('CompactionSpec', () => {
  it('survives structuredClone unchanged (it can be posted to a worker)', () => {
    const spec = pickL1([[], [meta(10, 'd', 'f', BIG)], [meta(20, 'c', 'g')], [meta(30, 'e', 'h')], [meta(40, 'a', 'z')]])
    const clone = structuredClone(spec)
    expect(clone).toEqual(spec)
    expect(Object.getPrototypeOf(clone)).toBe(Object.prototype)
  })
})
