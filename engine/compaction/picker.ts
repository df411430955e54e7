// The compaction picker: which level compacts next, and which files of it and of the level
// below take part. Pure and synchronous: it reads a Version and returns a plain CompactionSpec
// (format.ts) that job.ts runs, here or in a worker.
//
// Scores. L0 is scored by file count (files / l0CompactionTrigger), since every L0 file costs
// every read; L1+ by bytes over levelMaxBytes. The last level never compacts down. The level
// with the highest score at or above 1 compacts next (ties: the shallower level). When none
// does, a seek candidate (version/seek-compaction.ts: a file point reads had to look past too
// often) compacts, if it is still in the version at its level.
//
// Inputs. In L1+ the first file whose largest key is past the level's compaction pointer (the
// first file once the pointer passes the end), so compactions walk the key space round robin.
// In L0 the oldest file, closed under overlap (every L0 file whose range touches the set).
// Then, as in LevelDB's picker:
//   1. every level+1 file overlapping the inputs' user-key range;
//   2. widen the inputs to every file of `level` inside the combined range, but only where
//      that adds no level+1 file and both levels stay under EXPANDED_COMPACTION_FACTOR x
//      targetFileSize bytes;
//   3. the level+2 files overlapping the combined range ("grandparents"), which bound how much
//      each output may overlap there.
// Invariant kept: in L1+ the input set never splits a user key. Where neighbouring files share
// a boundary user key, all of them join ("boundary inputs"), else the newer version would
// move down while an older one stayed above it.
import type { Comparator } from '../base/comparator.js'
import { TRAILER_SIZE } from '../base/internal-key.js'
import { invalidArgument } from '../errors.js'
import type { FileMetaData, SeekCandidate, Version } from '../version/index.js'
import { NUM_LEVELS } from '../version/index.js'
import type { CompactionSpec, LevelKeyRanges } from './format.js'
import { EXPANDED_COMPACTION_FACTOR, GRANDPARENT_OVERLAP_FACTOR, LEVEL1_MAX_BYTES } from './format.js'

/** The options the picker reads (a subset of ResolvedOptions). */
export interface PickerOptions {
  readonly targetFileSize: number
  readonly levelSizeMultiplier: number
  readonly l0CompactionTrigger: number
}

export interface LevelScore {
  level: number
  /** At or above 1: the level is over its target and wants compacting. */
  score: number
}

/** Target bytes of a level: 10 MiB for L1 (and L0, which is not scored by bytes), then x multiplier. */
export function levelMaxBytes(level: number, options: Pick<PickerOptions, 'levelSizeMultiplier'>): number {
  let bytes = LEVEL1_MAX_BYTES
  for (let l = 2; l <= level; l++) bytes *= options.levelSizeMultiplier
  return bytes
}

/** Scores of L0..L(NUM_LEVELS - 2), in level order (the last level has none). */
export function computeScores(version: Version, options: PickerOptions): LevelScore[] {
  const scores: LevelScore[] = []
  for (let level = 0; level < NUM_LEVELS - 1; level++) {
    const score = level === 0
      ? version.files[0]!.length / options.l0CompactionTrigger
      : version.levelBytes(level) / levelMaxBytes(level, options)
    scores.push({ level, score })
  }
  return scores
}

/**
 * The next compaction: size-triggered, else `seek`'s (when its file is still at its level in
 * `version`), else undefined. `compactPointers[level]` is the largest internal key the level's
 * last compaction took.
 */
export function pickCompaction(
  version: Version,
  options: PickerOptions,
  compactPointers: ReadonlyArray<Uint8Array | undefined>,
  icmp: Comparator,
  ucmp: Comparator,
  seek?: SeekCandidate,
): CompactionSpec | undefined {
  let best: LevelScore | undefined
  for (const s of computeScores(version, options)) {
    if (s.score >= 1 && (best === undefined || s.score > best.score)) best = s
  }
  let level: number
  let seed: FileMetaData | undefined
  if (best !== undefined) {
    level = best.level
  } else if (seek !== undefined && seek.level < NUM_LEVELS - 1 && version.files[seek.level]!.includes(seek.file)) {
    level = seek.level
    seed = seek.file
  } else {
    return undefined
  }
  const files = version.files[level]!
  let inputs: FileMetaData[]
  if (level === 0) {
    seed ??= files[0]!
    inputs = version.overlappingInputs(0, ucmp, userKey(seed.smallest), userKey(seed.largest))
  } else if (seed !== undefined) {
    const i = files.indexOf(seed)
    const [lo, hi] = widenToBoundaries(files, ucmp, i, i + 1)
    inputs = files.slice(lo, hi)
  } else {
    const pointer = compactPointers[level]
    let i = 0
    if (pointer !== undefined) {
      while (i < files.length && icmp.compare(files[i]!.largest, pointer) <= 0) i++
      if (i === files.length) i = 0
    }
    const [lo, hi] = widenToBoundaries(files, ucmp, i, i + 1)
    inputs = files.slice(lo, hi)
  }
  return setupOtherInputs(version, level, inputs, options, icmp, ucmp, false)
}

/**
 * A manual compaction of `level` into level+1 over the user-key range [begin, end] (undefined:
 * open on that side), or undefined when no file of `level` overlaps it or `level` is the last.
 * In L1+ `maxInputBytes` stops taking files of `level` once their sizes reach it (widening may
 * still add files up to EXPANDED_COMPACTION_FACTOR x targetFileSize); once the result is
 * installed, the same call picks the next files, as the compacted ones have left the level.
 * L0 is always taken whole over the range: a newer L0 file must never move below an older
 * overlapping one.
 */
export function pickManualCompaction(
  version: Version,
  level: number,
  begin: Uint8Array | undefined,
  end: Uint8Array | undefined,
  options: PickerOptions,
  icmp: Comparator,
  ucmp: Comparator,
  maxInputBytes = Number.POSITIVE_INFINITY,
): CompactionSpec | undefined {
  if (!Number.isInteger(level) || level < 0 || level >= NUM_LEVELS) {
    throw invalidArgument(`compaction level must be an integer from 0 to ${NUM_LEVELS - 1}, got ${String(level)}`)
  }
  if (level === NUM_LEVELS - 1) return undefined
  let inputs: FileMetaData[]
  if (level === 0) {
    inputs = version.overlappingInputs(0, ucmp, begin, end)
  } else {
    const files = version.files[level]!
    let [lo, hi] = overlappingRun(files, ucmp, begin, end, true)
    let total = 0
    for (let i = lo; i < hi; i++) {
      total += files[i]!.size
      if (total >= maxInputBytes) {
        ;[lo, hi] = widenToBoundaries(files, ucmp, lo, i + 1)
        break
      }
    }
    inputs = files.slice(lo, hi)
  }
  if (inputs.length === 0) return undefined
  return setupOtherInputs(version, level, inputs, options, icmp, ucmp, true)
}

/** Steps 1-3 of the header: level+1 inputs, widening, grandparents, and what drops need. */
function setupOtherInputs(
  version: Version,
  level: number,
  inputs: FileMetaData[],
  options: PickerOptions,
  icmp: Comparator,
  ucmp: Comparator,
  isManual: boolean,
): CompactionSpec {
  let range = keyRange(inputs, icmp)
  let nextInputs = filesInRange(version, level + 1, ucmp, range, true)
  let all = keyRange([...inputs, ...nextInputs], icmp)
  if (nextInputs.length > 0) {
    const expanded = filesInRange(version, level, ucmp, all, true)
    const limit = EXPANDED_COMPACTION_FACTOR * options.targetFileSize
    if (expanded.length > inputs.length && totalBytes(expanded) + totalBytes(nextInputs) < limit) {
      const expandedRange = keyRange(expanded, icmp)
      const expandedNext = filesInRange(version, level + 1, ucmp, expandedRange, true)
      if (expandedNext.length === nextInputs.length) {
        inputs = expanded
        range = expandedRange
        nextInputs = expandedNext
        all = keyRange([...inputs, ...nextInputs], icmp)
      }
    }
  }
  const grandparents = level + 2 < NUM_LEVELS ? filesInRange(version, level + 2, ucmp, all, false) : []
  const levelFilesForDrop: LevelKeyRanges[] = []
  for (let deeper = level + 2; deeper < NUM_LEVELS; deeper++) {
    const files = filesInRange(version, deeper, ucmp, all, false)
    if (files.length === 0) continue
    levelFilesForDrop.push({
      level: deeper,
      smallest: files.map((f) => userKey(f.smallest).slice()),
      largest: files.map((f) => userKey(f.largest).slice()),
    })
  }
  const isTrivialMove = !isManual && inputs.length === 1 && nextInputs.length === 0 &&
    totalBytes(grandparents) <= GRANDPARENT_OVERLAP_FACTOR * options.targetFileSize
  return {
    level,
    inputs,
    nextInputs,
    grandparents,
    isTrivialMove,
    isManual,
    nextCompactPointer: range.largest.slice(),
    bottommost: levelFilesForDrop.length === 0,
    levelFilesForDrop,
  }
}

interface KeyRange {
  /** Smallest and largest internal keys. */
  smallest: Uint8Array
  largest: Uint8Array
}

/** The internal-key range of a non-empty set of files. */
function keyRange(files: readonly FileMetaData[], icmp: Comparator): KeyRange {
  let smallest = files[0]!.smallest
  let largest = files[0]!.largest
  for (const f of files) {
    if (icmp.compare(f.smallest, smallest) < 0) smallest = f.smallest
    if (icmp.compare(f.largest, largest) > 0) largest = f.largest
  }
  return { smallest, largest }
}

/**
 * Files of `level` whose user-key range meets `range`'s. L0: closed under overlap. L1+: a run
 * of the sorted level, widened to boundary files where `boundaries` is set.
 */
function filesInRange(version: Version, level: number, ucmp: Comparator, range: KeyRange, boundaries: boolean): FileMetaData[] {
  const begin = userKey(range.smallest)
  const end = userKey(range.largest)
  if (level === 0) return version.overlappingInputs(0, ucmp, begin, end)
  const files = version.files[level]!
  const [lo, hi] = overlappingRun(files, ucmp, begin, end, boundaries)
  return files.slice(lo, hi)
}

/**
 * [lo, hi): the files of a sorted level (L1+) whose user-key range meets [begin, end], widened
 * to boundary files where `widen` is set. Empty (lo === hi) when none meets it.
 */
function overlappingRun(
  files: readonly FileMetaData[], ucmp: Comparator, begin: Uint8Array | undefined, end: Uint8Array | undefined,
  widen: boolean,
): [number, number] {
  let lo = 0
  if (begin !== undefined) {
    let hi = files.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (compareUser(ucmp, files[mid]!.largest, begin) < 0) lo = mid + 1
      else hi = mid
    }
  }
  let hi = lo
  while (hi < files.length && (end === undefined || compareUser(ucmp, files[hi]!.smallest, end) <= 0)) hi++
  return widen && lo < hi ? widenToBoundaries(files, ucmp, lo, hi) : [lo, hi]
}

/**
 * Widens [lo, hi) of a sorted level so no user key has versions both inside and outside it:
 * a neighbour joins while its boundary user key equals the run's edge user key.
 */
function widenToBoundaries(files: readonly FileMetaData[], ucmp: Comparator, lo: number, hi: number): [number, number] {
  while (lo > 0 && sameUserKey(ucmp, files[lo - 1]!.largest, files[lo]!.smallest)) lo--
  while (hi < files.length && sameUserKey(ucmp, files[hi - 1]!.largest, files[hi]!.smallest)) hi++
  return [lo, hi]
}

function totalBytes(files: readonly FileMetaData[]): number {
  let n = 0
  for (const f of files) n += f.size
  return n
}

/** The user-key part of an internal key (a view). */
function userKey(internalKey: Uint8Array): Uint8Array {
  return internalKey.subarray(0, internalKey.length - TRAILER_SIZE)
}

/** Orders the user key of internal key `ik` against user key `user`. */
function compareUser(ucmp: Comparator, ik: Uint8Array, user: Uint8Array): number {
  return ucmp.compareRange(ik, 0, ik.length - TRAILER_SIZE, user, 0, user.length)
}

function sameUserKey(ucmp: Comparator, a: Uint8Array, b: Uint8Array): boolean {
  return ucmp.compareRange(a, 0, a.length - TRAILER_SIZE, b, 0, b.length - TRAILER_SIZE) === 0
}
