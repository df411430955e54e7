// stats(): a plain-object report of one database's shape and counters. Later layers
// (compaction, stalls) add their fields here.
import { NUM_LEVELS } from '../version/index.js'
import type { DBCore } from './core.js'

export interface LevelStats {
  level: number
  files: number
  bytes: number
}

export interface Stats {
  memtableBytes: number
  immutableMemtableBytes: number
  levels: LevelStats[]
  lastSequence: number
  snapshots: number
  openIterators: number
  bytesWrittenByUser: number
  walBytes: number
  walSyncs: number
  bytesFlushed: number
  flushes: number
  /** Bytes written to disk (WAL, flushes) per byte the user wrote. */
  writeAmplification: number
  blockCache: { capacity: number; usage: number; hits: number; misses: number; hitRate: number }
  tableCache: { open: number; hits: number; misses: number; hitRate: number }
  backgroundError: string | undefined
}

const rate = (hits: number, misses: number): number => (hits + misses === 0 ? 0 : hits / (hits + misses))

export function collectStats(core: DBCore, openIterators: number): Stats {
  const v = core.versions.current
  const levels: LevelStats[] = []
  for (let level = 0; level < NUM_LEVELS; level++) {
    levels.push({ level, files: v.files[level]!.length, bytes: v.levelBytes(level) })
  }
  const c = core.counters
  const bc = core.blockCache
  const tc = core.tableCache
  return {
    memtableBytes: core.mem.approximateBytes,
    immutableMemtableBytes: core.imm?.approximateBytes ?? 0,
    levels,
    lastSequence: core.versions.lastSequence,
    snapshots: core.snapshots.count,
    openIterators,
    bytesWrittenByUser: c.bytesWrittenByUser,
    walBytes: c.walBytes,
    walSyncs: c.walSyncs,
    bytesFlushed: c.bytesFlushed,
    flushes: c.flushes,
    writeAmplification: c.bytesWrittenByUser === 0 ? 0 : (c.walBytes + c.bytesFlushed) / c.bytesWrittenByUser,
    blockCache: { capacity: bc.capacity, usage: bc.usage, hits: bc.hits, misses: bc.misses, hitRate: rate(bc.hits, bc.misses) },
    tableCache: { open: tc.size, hits: tc.hits, misses: tc.misses, hitRate: rate(tc.hits, tc.misses) },
    backgroundError: core.backgroundError?.message,
  }
}
