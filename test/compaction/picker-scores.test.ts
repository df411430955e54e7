// The picker's level targets, scores, and choice of level and first file (round robin).
import { describe, expect, it } from 'vitest'
import { computeScores, levelMaxBytes, pickCompaction } from '../../engine/compaction/index.js'
import type { PickerOptions } from '../../engine/compaction/index.js'
import { NUM_LEVELS } from '../../engine/version/index.js'
import { icmp, meta, numbers, ucmp, versionOf } from './helpers.js'

const MiB = 1024 * 1024
const OPTIONS: PickerOptions = { targetFileSize: 2 * MiB, levelSizeMultiplier: 10, l0CompactionTrigger: 4 }
const NO_POINTERS: Array<Uint8Array | undefined> = new Array(NUM_LEVELS).fill(undefined)

describe('levelMaxBytes', () => {
  it('gives L1 10 MiB and multiplies by levelSizeMultiplier per level', () => {
    expect(levelMaxBytes(1, OPTIONS)).toBe(10 * MiB)
    expect(levelMaxBytes(2, OPTIONS)).toBe(100 * MiB)
    expect(levelMaxBytes(3, OPTIONS)).toBe(1000 * MiB)
    expect(levelMaxBytes(3, { levelSizeMultiplier: 4 })).toBe(160 * MiB)
  })
})

describe('computeScores', () => {
  it('scores L0 by files over l0CompactionTrigger and L1+ by bytes over the level target', () => {
    const l0 = [1, 2, 3, 4, 5].map((n) => meta(n, 'a', 'z'))
    const l1 = [meta(10, 'a', 'm', 10 * MiB), meta(11, 'n', 'z', 5 * MiB)]
    const l2 = [meta(20, 'a', 'z', 50 * MiB)]
    const scores = computeScores(versionOf([l0, l1, l2]), OPTIONS)
    expect(scores.map((s) => s.level)).toEqual([0, 1, 2, 3, 4, 5])
    expect(scores[0]!.score).toBe(5 / 4)
    expect(scores[1]!.score).toBe(1.5)
    expect(scores[2]!.score).toBe(0.5)
    expect(scores[3]!.score).toBe(0)
  })

  it('never scores the last level, however large', () => {
    const version = versionOf([[], [], [], [], [], [], [meta(60, 'a', 'z', 2 ** 50)]])
    const scores = computeScores(version, OPTIONS)
    expect(scores).toHaveLength(NUM_LEVELS - 1)
    expect(scores.every((s) => s.score === 0)).toBe(true)
    expect(pickCompaction(version, OPTIONS, NO_POINTERS, icmp, ucmp)).toBeUndefined()
  })
})

describe('pickCompaction: which level', () => {
  it('picks nothing while every score is below 1', () => {
    const version = versionOf([[meta(1, 'a', 'b'), meta(2, 'c', 'd'), meta(3, 'e', 'f')], [meta(10, 'a', 'z', 9 * MiB)]])
    expect(pickCompaction(version, OPTIONS, NO_POINTERS, icmp, ucmp)).toBeUndefined()
  })

  it('picks the level with the highest score', () => {
    const l0 = [1, 2, 3, 4].map((n) => meta(n, 'a', 'z')) // score 1
    const l1 = [meta(10, 'a', 'z', 12 * MiB)] // score 1.2
    const l2 = [meta(20, 'a', 'z', 300 * MiB)] // score 3
    expect(pickCompaction(versionOf([l0, l1, l2]), OPTIONS, NO_POINTERS, icmp, ucmp)?.level).toBe(2)
    expect(pickCompaction(versionOf([l0, l1]), OPTIONS, NO_POINTERS, icmp, ucmp)?.level).toBe(1)
    expect(pickCompaction(versionOf([l0]), OPTIONS, NO_POINTERS, icmp, ucmp)?.level).toBe(0)
  })

  it('prefers the shallower level on a tie', () => {
    const l0 = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => meta(n, 'a', 'z')) // score 2
    const l1 = [meta(10, 'a', 'z', 20 * MiB)] // score 2
    expect(pickCompaction(versionOf([l0, l1]), OPTIONS, NO_POINTERS, icmp, ucmp)?.level).toBe(0)
  })
})

describe('pickCompaction: round robin over the key space', () => {
  const l1 = [meta(10, 'a', 'b', 4 * MiB), meta(11, 'c', 'd', 4 * MiB), meta(12, 'e', 'f', 4 * MiB)]
  const version = versionOf([[], l1])

  it('starts at the first file when the level has no compaction pointer', () => {
    expect(numbers(pickCompaction(version, OPTIONS, NO_POINTERS, icmp, ucmp)!.inputs)).toEqual([10])
  })

  it('takes the first file past the pointer, and wraps to the first after the last', () => {
    const pointers = [...NO_POINTERS]
    const picked: number[] = []
    for (let i = 0; i < 4; i++) {
      const spec = pickCompaction(version, OPTIONS, pointers, icmp, ucmp)!
      picked.push(...numbers(spec.inputs))
      expect(spec.nextCompactPointer).toEqual(spec.inputs[spec.inputs.length - 1]!.largest)
      pointers[1] = spec.nextCompactPointer
    }
    expect(picked).toEqual([10, 11, 12, 10])
  })

  it('takes the file holding the first key past a pointer that falls inside the level', () => {
    const pointers = [...NO_POINTERS]
    pointers[1] = meta(0, 'c@50', 'c@50').smallest // inside file 11 (c@100 .. d@100)
    expect(numbers(pickCompaction(version, OPTIONS, pointers, icmp, ucmp)!.inputs)).toEqual([11])
  })
})
