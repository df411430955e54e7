// Model-based property: random write histories laid out as a valid LSM tree (older writes in
// deeper levels), one compaction picked and run, and then:
//   - every read at every sequence from smallestSnapshot to the newest answers as before;
//   - what the job dropped was droppable, and everything droppable was dropped;
//   - outputs are sorted, disjoint, split only between user keys, and cut near targetFileSize;
//   - the stats add up and every level stays sorted with no user key in two files.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { KIND_DELETION, KIND_VALUE, kindAt, sequenceAt, TRAILER_SIZE } from '../../engine/base/internal-key.js'
import { pickCompaction, pickManualCompaction, runCompaction } from '../../engine/compaction/index.js'
import type { CompactionResult, CompactionSpec, CompactionTableOptions, PickerOptions } from '../../engine/compaction/index.js'
import { NUM_LEVELS } from '../../engine/version/index.js'
import type { FileMetaData } from '../../engine/version/index.js'
import {
  applyEdit, checkLevelsDisjoint, DIR, hex, icmp, ikey, label, newFs, readModel, readTable, sortEntries, TABLE, ucmp,
  versionOf, writeTable,
} from './helpers.js'
import type { Entry } from './helpers.js'

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 120)

const userKey = fc.uint8Array({ min: 0x61, max: 0x64, maxLength: 2 }) // "", a..d, aa..dd
const op = fc.record({
  user: userKey,
  deletion: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
  value: fc.uint8Array({ maxLength: 24, size: 'max' }),
})
const scenario = fc.record({
  ops: fc.array(op, { minLength: 1, maxLength: 120, size: 'max' }),
  seqBase: fc.constantFrom(1, 2 ** 24 - 30, 2 ** 40),
  level: fc.integer({ min: 0, max: NUM_LEVELS - 2 }),
  /** Percent splits of the history: deeper levels | level+1 | the compacted level. */
  splits: fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 })),
  /** Where files of a sorted level end (cycled over user-key boundaries). */
  cuts: fc.array(fc.boolean(), { minLength: 1, maxLength: 16 }),
  l0Files: fc.integer({ min: 1, max: 4 }),
  snapshotPercent: fc.integer({ min: 0, max: 100 }),
  targetFileSize: fc.oneof(fc.integer({ min: 128, max: 512 }), fc.integer({ min: 128, max: 4096 })),
  blockSize: fc.constantFrom(64, 256, 1024),
  auto: fc.boolean(),
  /** A manual compaction's range; swapped into order where begin > end. */
  begin: fc.option(userKey, { nil: undefined, freq: 1 }),
  end: fc.option(userKey, { nil: undefined, freq: 1 }),
  maxInputBytes: fc.option(fc.integer({ min: 1, max: 4000 }), { nil: undefined }),
})
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never

interface World {
  levels: FileMetaData[][]
  contents: Map<number, Entry[]>
}

/** Lays the history out: the oldest writes deepest, L0 files split by time, L1+ by key. */
function buildWorld(s: Scenario, table: CompactionTableOptions): { world: World; fs: ReturnType<typeof newFs> } {
  const fs = newFs()
  const history: Entry[] = s.ops.map((o, i) => ({
    user: o.user, seq: s.seqBase + i, kind: o.deletion ? KIND_DELETION : KIND_VALUE, value: o.deletion ? new Uint8Array(0) : o.value,
  }))
  const n = history.length
  const deepEnd = Math.floor((n * s.splits[0]) / 100)
  const nextEnd = deepEnd + Math.floor(((n - deepEnd) * s.splits[1]) / 100)
  const deepest = Math.min(s.level + 3, NUM_LEVELS - 1)
  const deepSplit = deepest > s.level + 2 ? Math.floor((deepEnd * s.splits[2]) / 100) : 0
  const world: World = { levels: Array.from({ length: NUM_LEVELS }, () => []), contents: new Map() }
  let number = 1
  const add = (level: number, entries: Entry[]): void => {
    if (entries.length === 0) return
    const f = writeTable(fs, number++, entries, table)
    world.levels[level]!.push(f)
    world.contents.set(f.number, sortEntries(entries))
  }
  const sortedLevel = (level: number, entries: Entry[]): void => {
    const sorted = sortEntries(entries)
    let file: Entry[] = []
    let boundary = 0
    for (const e of sorted) {
      const last = file[file.length - 1]
      if (last !== undefined && ucmp.compare(last.user, e.user) !== 0 && s.cuts[boundary++ % s.cuts.length]!) {
        add(level, file)
        file = []
      }
      file.push(e)
    }
    add(level, file)
  }
  if (s.level + 2 < NUM_LEVELS) {
    sortedLevel(deepest, history.slice(0, deepSplit))
    sortedLevel(s.level + 2, history.slice(deepSplit, deepEnd))
  }
  sortedLevel(s.level + 1, history.slice(s.level + 2 < NUM_LEVELS ? deepEnd : 0, nextEnd))
  if (s.level === 0) {
    const recent = history.slice(nextEnd)
    const per = Math.ceil(recent.length / s.l0Files)
    for (let i = 0; i < recent.length; i += per) add(0, recent.slice(i, i + per))
  } else {
    sortedLevel(s.level, history.slice(nextEnd))
  }
  return { world, fs }
}

function pick(s: Scenario, world: World): CompactionSpec | undefined {
  const options: PickerOptions = { targetFileSize: s.targetFileSize, levelSizeMultiplier: 10, l0CompactionTrigger: 1 }
  const version = versionOf(world.levels)
  if (s.auto && s.level === 0) return pickCompaction(version, options, new Array(NUM_LEVELS).fill(undefined), icmp, ucmp)
  const [begin, end] = s.begin !== undefined && s.end !== undefined && ucmp.compare(s.begin, s.end) > 0
    ? [s.end, s.begin] : [s.begin, s.end]
  return pickManualCompaction(version, s.level, begin, end, options, icmp, ucmp, s.maxInputBytes)
}

const visible = (r: string): string => (r === 'deleted' ? 'absent' : r)

/** Checks every claim of the header for one scenario. */
function check(s: Scenario): void {
  const table = { ...TABLE, blockSize: s.blockSize }
  const { world, fs } = buildWorld(s, table)
  checkLevelsDisjoint(world.levels)
  const spec = pick(s, world)
  if (spec === undefined) return
  const lastSeq = s.seqBase + s.ops.length - 1
  const smallestSnapshot = s.seqBase - 1 + Math.floor((s.ops.length * s.snapshotPercent) / 100)
  let next = 100_000
  const result = runCompaction(spec, {
    fs, dir: DIR, table, targetFileSize: s.targetFileSize, smallestSnapshot, allocateFileNumber: () => next++,
  })
  const after: World = { levels: applyEdit(world.levels, result.edit), contents: new Map(world.contents) }
  for (const f of result.outputs) if (!result.trivialMove) after.contents.set(f.number, readTable(fs, f))
  checkLevelsDisjoint(after.levels)

  const users = new Map(s.ops.map((o) => [hex(o.user), o.user]))
  for (const user of users.values()) {
    for (let seq = smallestSnapshot; seq <= lastSeq; seq++) {
      const want = visible(readModel(world.levels, world.contents, user, seq))
      const got = visible(readModel(after.levels, after.contents, user, seq))
      if (got !== want) throw new Error(`read of ${hex(user)} at ${seq}: ${got}, expected ${want}`)
    }
  }
  if (!result.trivialMove) checkOutputs(s, spec, result, after, smallestSnapshot)
}

function checkOutputs(s: Scenario, spec: CompactionSpec, result: CompactionResult, after: World, smallestSnapshot: number): void {
  const inputs = [...spec.inputs, ...spec.nextInputs].flatMap((f) => after.contents.get(f.number) ?? [])
  const byLabel = new Map(inputs.map((e) => [label(e), e]))
  const outputs = result.outputs.map((f) => after.contents.get(f.number)!)
  const out = outputs.flat()
  // Kept entries are input entries, unchanged, in order; what was dropped had to go.
  for (const e of out) expect(hex(byLabel.get(label(e))?.value ?? new Uint8Array([1, 2, 3]))).toBe(hex(e.value))
  for (let i = 1; i < out.length; i++) {
    const [a, b] = [out[i - 1]!, out[i]!]
    expect(icmp.compare(ikey(a), ikey(b))).toBeLessThan(0)
    if (ucmp.compare(a.user, b.user) === 0) expect(a.seq).toBeGreaterThan(smallestSnapshot)
  }
  for (const e of out) {
    if (e.kind !== KIND_DELETION || e.seq > smallestSnapshot) continue
    const deeperHolds = spec.levelFilesForDrop.some((l) =>
      l.smallest.some((lo, i) => ucmp.compare(e.user, lo) >= 0 && ucmp.compare(e.user, l.largest[i]!) <= 0))
    expect(deeperHolds).toBe(true)
  }
  // Outputs: metadata matches contents, no user key in two outputs, each cut near the target.
  for (const [i, f] of result.outputs.entries()) {
    const es = outputs[i]!
    expect(label(es[0]!)).toBe(label(keyEntry(f.smallest)))
    expect(label(es[es.length - 1]!)).toBe(label(keyEntry(f.largest)))
    const nextFirst = outputs[i + 1]?.[0]
    if (nextFirst !== undefined) expect(ucmp.compare(es[es.length - 1]!.user, nextFirst.user)).toBeLessThan(0)
    let group = 0
    let maxGroup = 0
    for (const [j, e] of es.entries()) {
      if (j > 0 && ucmp.compare(es[j - 1]!.user, e.user) !== 0) group = 0
      group += e.user.length + TRAILER_SIZE + e.value.length + 15
      maxGroup = Math.max(maxGroup, group)
    }
    const overhead = 600 + es.length * 4 + Math.ceil(es.length / 4) * 40 // index, filter, properties, footer
    expect(f.size).toBeLessThanOrEqual(s.targetFileSize + 2 * maxGroup + 3 * s.blockSize + overhead)
  }
  const st = result.stats
  expect(st.entriesIn).toBe(inputs.length)
  expect(st.entriesOut).toBe(out.length)
  expect(st.entriesIn - st.entriesOut).toBe(st.droppedObsolete + st.droppedTombstones)
  expect(st.bytesRead).toBe([...spec.inputs, ...spec.nextInputs].reduce((n, f) => n + f.size, 0))
  expect(st.bytesWritten).toBe(result.outputs.reduce((n, f) => n + f.size, 0))
}

/** An internal key as an Entry (no value). */
function keyEntry(ik: Uint8Array): Entry {
  return { user: ik.slice(0, ik.length - TRAILER_SIZE), seq: sequenceAt(ik, ik.length), kind: kindAt(ik, ik.length), value: new Uint8Array(0) }
}

describe('compaction against a level-ordered model', () => {
  it('keeps every read from smallestSnapshot on, drops exactly what may go, and cuts outputs cleanly', () => {
    fc.assert(fc.property(scenario, (s) => check(s)), { seed: 0x5eed_c0de, numRuns: RUNS })
  })
})
