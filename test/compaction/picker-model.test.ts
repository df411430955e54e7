// Property: on random levels (L1+ files may share a boundary user key, as LevelDB-made levels
// can), every spec the picker returns has closed input sets, the right grandparents and deeper
// ranges, the round-robin first file, and is a trivial move exactly when the rule says so.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { makeInternalKey, KIND_VALUE, TRAILER_SIZE } from '../../engine/base/internal-key.js'
import { GRANDPARENT_OVERLAP_FACTOR, pickCompaction, pickManualCompaction } from '../../engine/compaction/index.js'
import type { CompactionSpec, PickerOptions } from '../../engine/compaction/index.js'
import { NUM_LEVELS } from '../../engine/version/index.js'
import type { FileMetaData, Version } from '../../engine/version/index.js'
import { icmp, numbers, ucmp, versionOf } from './helpers.js'

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 300)
const MiB = 1024 * 1024

const user = (f: FileMetaData, end: 'smallest' | 'largest'): Uint8Array => f[end].subarray(0, f[end].length - TRAILER_SIZE)
const meets = (f: FileMetaData, lo: Uint8Array, hi: Uint8Array): boolean =>
  ucmp.compare(user(f, 'largest'), lo) >= 0 && ucmp.compare(user(f, 'smallest'), hi) <= 0

/** Files of a sorted level from sorted keys (repeats allowed): a shared key straddles two files. */
function sortedLevel(keys: number[], sizes: number[], groups: number[], firstNumber: number): FileMetaData[] {
  const sorted = [...keys].sort((a, b) => a - b)
  const files: FileMetaData[] = []
  let i = 0
  let g = 0
  while (i < sorted.length) {
    const n = Math.min(1 + groups[g % groups.length]!, sorted.length - i)
    const key = (p: number): Uint8Array => makeInternalKey(Uint8Array.of(0x61 + sorted[p]!), 10_000 - p, KIND_VALUE)
    files.push({ number: firstNumber + g, size: sizes[g % sizes.length]!, smallest: key(i), largest: key(i + n - 1) })
    i += n
    g++
  }
  return files
}

const levelArb = fc.record({
  keys: fc.array(fc.integer({ min: 0, max: 25 }), { maxLength: 14 }),
  sizes: fc.array(fc.integer({ min: 1, max: 8 * MiB }), { minLength: 1, maxLength: 4 }),
  groups: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 4 }),
})
const l0Arb = fc.array(fc.tuple(fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 25 })), { maxLength: 6 })
const worldArb = fc.record({
  l0: l0Arb,
  levels: fc.array(levelArb, { minLength: NUM_LEVELS - 1, maxLength: NUM_LEVELS - 1 }),
  level: fc.integer({ min: 0, max: NUM_LEVELS - 2 }),
  pointer: fc.option(fc.integer({ min: 0, max: 25 }), { nil: undefined }),
  range: fc.tuple(fc.option(fc.integer({ min: 0, max: 25 }), { nil: undefined }), fc.option(fc.integer({ min: 0, max: 25 }), { nil: undefined })),
  targetFileSize: fc.constantFrom(64 * 1024, 2 * MiB, 2 ** 40),
})

type World = typeof worldArb extends fc.Arbitrary<infer T> ? T : never

function buildVersion(w: World): Version {
  const l0 = w.l0.map(([a, b], i): FileMetaData => ({
    number: 1 + i, size: 1000,
    smallest: makeInternalKey(Uint8Array.of(0x61 + Math.min(a, b)), 50_000 + 2 * i, KIND_VALUE),
    largest: makeInternalKey(Uint8Array.of(0x61 + Math.max(a, b)), 50_000 + 2 * i + 1, KIND_VALUE),
  }))
  return versionOf([l0, ...w.levels.map((l, i) => sortedLevel(l.keys, l.sizes, l.groups, 100 * (i + 1)))])
}

/** The union user-key range of some files. */
function userRange(files: readonly FileMetaData[]): [Uint8Array, Uint8Array] {
  let lo = user(files[0]!, 'smallest')
  let hi = user(files[0]!, 'largest')
  for (const f of files) {
    if (ucmp.compare(user(f, 'smallest'), lo) < 0) lo = user(f, 'smallest')
    if (ucmp.compare(user(f, 'largest'), hi) > 0) hi = user(f, 'largest')
  }
  return [lo, hi]
}

function checkSpec(version: Version, spec: CompactionSpec, targetFileSize: number): void {
  const { level } = spec
  const files = (l: number): readonly FileMetaData[] => version.files[l] ?? []
  const [inLo, inHi] = userRange(spec.inputs)
  // Inputs are exactly the files of `level` meeting their own range: closed under overlap and boundaries.
  expect(numbers(spec.inputs)).toEqual(numbers(files(level).filter((f) => meets(f, inLo, inHi))))
  for (const f of files(level + 1)) if (meets(f, inLo, inHi)) expect(numbers(spec.nextInputs)).toContain(f.number)
  if (spec.nextInputs.length > 0) {
    const [lo, hi] = userRange(spec.nextInputs)
    expect(numbers(spec.nextInputs)).toEqual(numbers(files(level + 1).filter((f) => meets(f, lo, hi))))
  }
  const [lo, hi] = userRange([...spec.inputs, ...spec.nextInputs])
  expect(numbers(spec.grandparents)).toEqual(numbers(files(level + 2).filter((f) => meets(f, lo, hi))))
  const deeper = []
  for (let l = level + 2; l < NUM_LEVELS; l++) {
    const inRange = files(l).filter((f) => meets(f, lo, hi))
    if (inRange.length > 0) deeper.push({ level: l, smallest: inRange.map((f) => user(f, 'smallest')), largest: inRange.map((f) => user(f, 'largest')) })
  }
  expect(spec.levelFilesForDrop).toEqual(deeper)
  expect(spec.bottommost).toBe(deeper.length === 0)
  const gpBytes = spec.grandparents.reduce((n, f) => n + f.size, 0)
  expect(spec.isTrivialMove).toBe(!spec.isManual && spec.inputs.length === 1 && spec.nextInputs.length === 0 &&
    gpBytes <= GRANDPARENT_OVERLAP_FACTOR * targetFileSize)
  const largest = spec.inputs.map((f) => f.largest).sort((a, b) => icmp.compare(b, a))[0]!
  expect(spec.nextCompactPointer).toEqual(largest)
}

describe('picker invariants on random levels', () => {
  it('hold for size-triggered and manual picks', () => {
    fc.assert(fc.property(worldArb, (w) => {
      const version = buildVersion(w)
      const options: PickerOptions = { targetFileSize: w.targetFileSize, levelSizeMultiplier: 2, l0CompactionTrigger: 2 }
      const pointers: Array<Uint8Array | undefined> = new Array(NUM_LEVELS).fill(undefined)
      if (w.pointer !== undefined) pointers.fill(makeInternalKey(Uint8Array.of(0x61 + w.pointer), 10_000, KIND_VALUE))
      const auto = pickCompaction(version, options, pointers, icmp, ucmp)
      if (auto !== undefined) {
        checkSpec(version, auto, w.targetFileSize)
        const candidates = version.files[auto.level]!
        if (auto.level > 0) {
          const pointer = pointers[auto.level]
          const first = candidates.find((f) => pointer === undefined || icmp.compare(f.largest, pointer) > 0) ?? candidates[0]!
          expect(numbers(auto.inputs)).toContain(first.number)
        } else {
          expect(numbers(auto.inputs)).toContain(candidates[0]!.number)
        }
      }
      const [b, e] = w.range
      const key = (k: number | undefined): Uint8Array | undefined => (k === undefined ? undefined : Uint8Array.of(0x61 + k))
      const manual = pickManualCompaction(version, w.level, key(b), key(e), options, icmp, ucmp)
      const wanted = version.overlappingInputs(w.level, ucmp, key(b), key(e))
      expect(manual === undefined).toBe(wanted.length === 0)
      if (manual !== undefined) {
        checkSpec(version, manual, w.targetFileSize)
        for (const f of wanted) expect(numbers(manual.inputs)).toContain(f.number)
      }
    }), { seed: 0xc0ffee, numRuns: RUNS })
  })
})
