// stats(): a plain-object report of one database's shape and counters: per-level files, bytes
// and compaction scores; flush, compaction and WAL traffic; write amplification; write
// stalls; cache hit rates; background work running; the sticky background error, if any.
import { computeScores } from '../compaction/index.js'
import { NUM_LEVELS } from '../version/index.js'
import type { BackgroundStats } from './background.js'
import type { DBCore } from './core.js'

export interface LevelStats {
  level: number
  files: number
  bytes: number
  /** Compaction score: >= 1 means the level is due (L0 by file count, L1+ by bytes). */
  score: number
}

export interface Stats {
  memtableBytes: number
  immutableMemtableBytes: number
  levels: LevelStats[]
  lastSequence: number
  snapshots: number
  openIterators: number
  /** Key and value bytes the user wrote (batch payload). */
  bytesWrittenByUser: number
  walBytes: number
  walSyncs: number
  bytesFlushed: number
  flushes: number
  bytesCompactedRead: number
  bytesCompactedWritten: number
  compactions: number
  trivialMoves: number
  /** Compactions that took a file point reads had looked past too often (seek compaction). */
  seekCompactions: number
  /** Bytes written to disk (WAL, flushes, compaction outputs) per byte the user wrote. */
  writeAmplification: number
  /** Writes that waited for a flush or compaction, and those delayed at the slowdown trigger. */
  stalls: number
  slowdowns: number
  stallMicros: number
  compactionsRunning: number
  /** Input bytes of the compaction running in the background now (0 when none). */
  compactionRunningBytes: number
  flushesRunning: number
  /** 'worker' when background work runs in the compaction worker, else 'inline'. */
  compactionMode: 'worker' | 'inline'
  /**
   * arenaBytes: memory the cached blocks' arena has taken (engine/sstable/block-arena.ts);
   * heapBlocks: blocks read while it had no slot for them, held in buffers of their own.
   */
  blockCache: { capacity: number; usage: number; hits: number; misses: number; hitRate: number; arenaBytes: number; heapBlocks: number }
  tableCache: { open: number; hits: number; misses: number; hitRate: number }
  backgroundError: string | undefined
}

const rate = (hits: number, misses: number): number => (hits + misses === 0 ? 0 : hits / (hits + misses))

export function collectStats(core: DBCore, openIterators: number): Stats {
  const v = core.versions.current
  const scores = computeScores(v, core.options)
  const levels: LevelStats[] = []
  for (let level = 0; level < NUM_LEVELS; level++) {
    const score = scores.find((s) => s.level === level)?.score ?? 0
    levels.push({ level, files: v.files[level]!.length, bytes: v.levelBytes(level), score })
  }
  const c = core.counters
  const bg: BackgroundStats = core.background.stats
  const bc = core.blockCache
  const tc = core.tableCache
  const diskBytes = c.walBytes + c.bytesFlushed + bg.compactionBytesWritten
  return {
    memtableBytes: core.mem.approximateBytes,
    immutableMemtableBytes: core.imms.reduce((n, f) => n + f.mem.approximateBytes, 0),
    levels,
    lastSequence: core.versions.lastSequence,
    snapshots: core.snapshots.count,
    openIterators,
    bytesWrittenByUser: c.bytesWrittenByUser,
    walBytes: c.walBytes,
    walSyncs: c.walSyncs,
    bytesFlushed: c.bytesFlushed,
    flushes: c.flushes,
    bytesCompactedRead: bg.compactionBytesRead,
    bytesCompactedWritten: bg.compactionBytesWritten,
    compactions: bg.compactions,
    trivialMoves: bg.trivialMoves,
    seekCompactions: bg.seekCompactions,
    writeAmplification: c.bytesWrittenByUser === 0 ? 0 : diskBytes / c.bytesWrittenByUser,
    stalls: bg.stalls,
    slowdowns: bg.slowdowns,
    stallMicros: bg.stallMicros,
    compactionsRunning: bg.compactionsRunning,
    compactionRunningBytes: bg.compactionRunningBytes,
    flushesRunning: bg.flushesRunning,
    compactionMode: core.background.threaded ? 'worker' : 'inline',
    blockCache: {
      capacity: bc.capacity, usage: bc.usage, hits: bc.hits, misses: bc.misses, hitRate: rate(bc.hits, bc.misses),
      arenaBytes: core.blockArena?.bytes ?? 0, heapBlocks: core.blockArena?.heapAllocations ?? 0,
    },
    tableCache: { open: tc.size, hits: tc.hits, misses: tc.misses, hitRate: rate(tc.hits, tc.misses) },
    backgroundError: core.backgroundError?.message,
  }
}
