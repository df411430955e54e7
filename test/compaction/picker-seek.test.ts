// Seek compaction in the picker (version/seek-compaction.ts): with no level over its size, a
// seek candidate still in its level compacts into the next one; a size compaction goes first;
// a stale candidate, or one in the last level, picks nothing. And the allowance arithmetic.
import { describe, expect, it } from 'vitest'
import { pickCompaction } from '../../engine/compaction/index.js'
import type { PickerOptions } from '../../engine/compaction/index.js'
import { allowedSeeksFor, chargeSeek, MIN_ALLOWED_SEEKS, NUM_LEVELS } from '../../engine/version/index.js'
import { icmp, meta, numbers, ucmp, versionOf } from './helpers.js'

const MiB = 1024 * 1024
const OPTIONS: PickerOptions = { targetFileSize: 2 * MiB, levelSizeMultiplier: 10, l0CompactionTrigger: 4 }
const NO_POINTERS: Array<Uint8Array | undefined> = new Array(NUM_LEVELS).fill(undefined)

describe('seek compaction', () => {
  const l1 = [meta(10, 'a', 'c'), meta(11, 'd', 'f'), meta(12, 'g', 'i')]
  const l2 = [meta(20, 'a', 'b'), meta(21, 'e', 'e'), meta(22, 'f', 'h')]

  it('compacts the candidate into the next level when no level is over its size', () => {
    const version = versionOf([[], l1, l2])
    expect(pickCompaction(version, OPTIONS, NO_POINTERS, icmp, ucmp)).toBeUndefined()
    const spec = pickCompaction(version, OPTIONS, NO_POINTERS, icmp, ucmp, { level: 1, file: l1[1]! })!
    expect(spec.level).toBe(1)
    expect(numbers(spec.inputs)).toEqual([11, 12]) // widened: 12 adds no L2 file
    expect(numbers(spec.nextInputs)).toEqual([21, 22])
  })

  it('takes an L0 candidate with every L0 file overlapping it', () => {
    const l0 = [meta(1, 'a', 'b'), meta(2, 'x', 'z'), meta(3, 'y', 'y')]
    const spec = pickCompaction(versionOf([l0, l1]), OPTIONS, NO_POINTERS, icmp, ucmp, { level: 0, file: l0[2]! })!
    expect(spec.level).toBe(0)
    expect(numbers(spec.inputs)).toEqual([2, 3])
  })

  it('lets a level over its size go first', () => {
    const big = [meta(10, 'a', 'c', 11 * MiB), meta(11, 'd', 'f')]
    const spec = pickCompaction(versionOf([[], big, l2]), OPTIONS, NO_POINTERS, icmp, ucmp, { level: 1, file: big[1]! })!
    expect(numbers(spec.inputs)).toEqual([10])
  })

  it('picks nothing for a candidate that left its level, or sits in the last one', () => {
    const version = versionOf([[], l1, l2])
    expect(pickCompaction(version, OPTIONS, NO_POINTERS, icmp, ucmp, { level: 2, file: l1[0]! })).toBeUndefined()
    expect(pickCompaction(version, OPTIONS, NO_POINTERS, icmp, ucmp, { level: 1, file: meta(10, 'a', 'c') })).toBeUndefined()
    const last = meta(60, 'a', 'z')
    const deep = versionOf([...Array.from({ length: NUM_LEVELS - 1 }, () => []), [last]])
    expect(pickCompaction(deep, OPTIONS, NO_POINTERS, icmp, ucmp, { level: NUM_LEVELS - 1, file: last })).toBeUndefined()
  })

  it('allows a file size / 16 KiB wasted probes, at least 100, and says when they are used up', () => {
    expect(allowedSeeksFor(0)).toBe(MIN_ALLOWED_SEEKS)
    expect(allowedSeeksFor(2 * MiB)).toBe(128)
    const f = meta(5, 'a', 'b', 2 * MiB)
    for (let i = 1; i < 128; i++) expect(chargeSeek(f)).toBe(false)
    expect(chargeSeek(f)).toBe(true)
    expect(chargeSeek(f)).toBe(true) // stays used up until the file is compacted away
  })
})
