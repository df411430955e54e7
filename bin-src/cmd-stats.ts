// strata stats DIR [--json] and strata compact DIR [--json]: the database's shape and
// counters, and a full manual compaction (shown as a progress bar on a terminal).
import type { Stats } from '../engine/db/stats.js'
import { bytewiseComparator } from '../engine/base/comparator.js'
import { joinPath } from '../engine/base/filenames.js'
import { parse } from './args.js'
import type { Output } from './output.js'
import { currentManifest, readManifest, splitInternalKey } from './inspect.js'
import { openExisting, withDb } from './open.js'
import { Progress } from './progress.js'
import type { ProgressStream } from './progress.js'
import { showSize } from './render.js'

export function stats(argv: readonly string[], out: Output): number {
  const { positionals, flags } = parse('stats', argv, { json: { type: 'boolean' } }, [1, 1])
  const s = withDb(openExisting(positionals[0]!), (db) => db.stats())
  if (flags.json === true) out.json(s)
  else printStats(s, out)
  return 0
}

/** Compaction slices: the key space is compacted in this many pieces, for the progress bar. */
const COMPACT_SLICES = 16

export function compact(argv: readonly string[], out: Output, stream: ProgressStream = process.stderr): number {
  const { positionals, flags } = parse('compact', argv, { json: { type: 'boolean' } }, [1, 1])
  const dir = positionals[0]!
  const { before, after } = withDb(openExisting(dir), (db) => {
    const first = db.stats()
    const cuts = sliceKeys(dir)
    const progress = new Progress('compacting', cuts.length + 1, stream)
    let start: Uint8Array | undefined
    for (const cut of cuts) {
      db.compactRange(start, cut)
      start = cut
      progress.advance(1)
    }
    db.compactRange(start, undefined)
    progress.advance(1)
    progress.finish()
    return { before: first, after: db.stats() }
  })
  if (flags.json === true) out.json({ before: shape(before), after: shape(after) })
  else out.line(`compacted: ${describeShape(before)} -> ${describeShape(after)}`)
  return 0
}

/**
 * Up to COMPACT_SLICES - 1 user keys that cut the key space into slices holding about equal
 * numbers of tables: the smallest keys of the live tables (from the MANIFEST), evenly sampled.
 * REQUIRES: the database in `dir` is open in this process (so the MANIFEST is stable).
 */
function sliceKeys(dir: string): Uint8Array[] {
  const name = currentManifest(dir)
  const manifest = readManifest(joinPath(dir, name), name)
  const keys = manifest.files.flat().map((f) => splitInternalKey(f.smallest).user)
  keys.sort((a, b) => bytewiseComparator.compare(a, b))
  const cuts: Uint8Array[] = []
  const step = Math.max(1, Math.ceil(keys.length / COMPACT_SLICES))
  for (let i = step; i < keys.length; i += step) {
    const k = keys[i]!
    if (cuts.length === 0 || bytewiseComparator.compare(cuts[cuts.length - 1]!, k) < 0) cuts.push(k)
  }
  return cuts
}

function shape(s: Stats): { files: number; bytes: number; levels: number[] } {
  return {
    files: s.levels.reduce((n, l) => n + l.files, 0),
    bytes: s.levels.reduce((n, l) => n + l.bytes, 0),
    levels: s.levels.map((l) => l.files),
  }
}

function describeShape(s: Stats): string {
  const sh = shape(s)
  return `${sh.files} files, ${showSize(sh.bytes)} (files per level ${sh.levels.join('/')})`
}

function printStats(s: Stats, out: Output): void {
  out.line('level  files        bytes  score')
  for (const l of s.levels) {
    out.line(`L${l.level}     ${String(l.files).padStart(5)}  ${showSize(l.bytes).padStart(11)}  ${l.score.toFixed(2).padStart(5)}`)
  }
  out.line('')
  out.line(`total               ${s.levels.reduce((n, l) => n + l.files, 0)} files, ${showSize(s.levels.reduce((n, l) => n + l.bytes, 0))}`)
  out.line(`memtable            ${showSize(s.memtableBytes)} (immutable ${showSize(s.immutableMemtableBytes)})`)
  out.line(`last sequence       ${s.lastSequence}`)
  out.line('since this open (recovery included):')
  out.line(`written by user     ${showSize(s.bytesWrittenByUser)}; WAL ${showSize(s.walBytes)}, ${s.walSyncs} syncs`)
  out.line(`flushes             ${s.flushes} (${showSize(s.bytesFlushed)})`)
  out.line(`compactions         ${s.compactions} (${s.trivialMoves} trivial moves, ${s.seekCompactions} for seeks); read ${showSize(s.bytesCompactedRead)}, wrote ${showSize(s.bytesCompactedWritten)}`)
  out.line(`write amplification ${s.writeAmplification.toFixed(2)}`)
  out.line(`write stalls        ${s.stalls} stops, ${s.slowdowns} slowdowns, ${(s.stallMicros / 1000).toFixed(1)} ms`)
  out.line(`block cache         ${showSize(s.blockCache.usage)} of ${showSize(s.blockCache.capacity)}, hit rate ${(s.blockCache.hitRate * 100).toFixed(1)}%`)
  out.line(`table cache         ${s.tableCache.open} open, hit rate ${(s.tableCache.hitRate * 100).toFixed(1)}%`)
  out.line(`compaction mode     ${s.compactionMode}`)
  if (s.backgroundError !== undefined) out.line(`background error    ${s.backgroundError}`)
}
