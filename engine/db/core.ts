// DBCore: the state one open database holds, shared by the open, write and read paths.
// No logic beyond state checks lives here; each path is its own file.
import type { Comparator } from '../base/comparator.js'
import type { TableEnv } from '../compaction/build-table.js'
import { closed } from '../errors.js'
import type { StrataError } from '../errors.js'
import type { FileLock, FileSystem } from '../fs/fs.js'
import type { ClockCache, TableCache } from '../cache/index.js'
import { MemTable, memtablePoolCapacity, SharedBufferPool } from '../memtable/index.js'
import type { Block, BlockArena } from '../sstable/index.js'
import type { ResolvedOptions } from '../options.js'
import type { SeekCandidate, VersionSet } from '../version/index.js'
import type { LogWriter } from '../wal/index.js'
import type { Background } from './background.js'
import { LookupScratch } from './read-path.js'
import type { SnapshotList } from './snapshots.js'

/** Counters that stats() reports; later layers add their own. */
export interface Counters {
  bytesWrittenByUser: number
  walBytes: number
  bytesFlushed: number
  flushes: number
  walSyncs: number
}

export interface CoreParts {
  dir: string
  options: ResolvedOptions
  fs: FileSystem
  ucmp: Comparator
  icmp: Comparator
  lock: FileLock
  versions: VersionSet
  mem: MemTable
  wal: LogWriter
  walNumber: number
  tableCache: TableCache
  blockCache: ClockCache<Block>
  /** Memory of the cached blocks; undefined when the cache is disabled. */
  blockArena: BlockArena | undefined
  snapshots: SnapshotList
}

export class DBCore implements CoreParts {
  readonly dir: string
  readonly options: ResolvedOptions
  readonly fs: FileSystem
  readonly ucmp: Comparator
  readonly icmp: Comparator
  readonly lock: FileLock
  readonly versions: VersionSet
  readonly tableCache: TableCache
  readonly blockCache: ClockCache<Block>
  readonly blockArena: BlockArena | undefined
  readonly snapshots: SnapshotList
  mem: MemTable
  /** Frozen memtables waiting for (or in) their flush, oldest first, with the WAL each filled. */
  readonly imms: Array<{ readonly mem: MemTable; readonly walNumber: number }> = []
  wal: LogWriter
  walNumber: number
  isClosed = false
  /** Scratch buffers of the read path. */
  readonly lookup = new LookupScratch()
  /** The memory of flushed memtables, reused by the next ones (memtable/buffer-pool.ts). */
  readonly memBuffers: SharedBufferPool
  /** Table numbers handed to a running flush or compaction: never deleted as orphans. */
  readonly pendingOutputs = new Set<number>()
  /** Flushes, compactions and write stalls; set right after construction (open.ts). */
  background!: Background
  /** An fdatasync of the WAL running off the event loop; the WAL is not closed under it. */
  walSyncInFlight: Promise<void> | undefined = undefined
  /** WALs switched out whose fdatasync (off the event loop) has not yet finished. */
  readonly retiredWals: Array<{ readonly writer: LogWriter; synced: boolean; done: Promise<void> }> = []
  /**
   * Set by a failure that may have left durable state behind what was acknowledged (a failed
   * WAL sync, a failed flush): from then on every write throws it. Reopening recovers.
   */
  backgroundError: StrataError | undefined = undefined
  /** A file point reads have looked past too often: the next seek compaction (read-path.ts). */
  seekCandidate: SeekCandidate | undefined = undefined
  readonly counters: Counters = { bytesWrittenByUser: 0, walBytes: 0, bytesFlushed: 0, flushes: 0, walSyncs: 0 }

  /** What writing a table needs, shared by flushes and compactions. */
  readonly tableEnv: TableEnv

  constructor(parts: CoreParts) {
    this.dir = parts.dir
    this.options = parts.options
    this.fs = parts.fs
    this.ucmp = parts.ucmp
    this.icmp = parts.icmp
    this.lock = parts.lock
    this.versions = parts.versions
    this.mem = parts.mem
    this.wal = parts.wal
    this.walNumber = parts.walNumber
    this.tableCache = parts.tableCache
    this.blockCache = parts.blockCache
    this.blockArena = parts.blockArena
    this.snapshots = parts.snapshots
    this.memBuffers = new SharedBufferPool(memtablePoolCapacity(parts.options.memtableSize))
    const { blockSize, blockRestartInterval, bloomBitsPerKey, compression } = parts.options
    this.tableEnv = { fs: parts.fs, dir: parts.dir, icmp: parts.icmp, table: { blockSize, blockRestartInterval, bloomBitsPerKey, compression } }
  }

  /** A new, empty memtable drawing on memBuffers. */
  newMemTable(): MemTable {
    return new MemTable({ buffers: this.memBuffers })
  }

  /** Throws CLOSED after close(). */
  checkOpen(): void {
    if (this.isClosed) throw closed()
  }

  /** Throws CLOSED, or the sticky background error, before a write. */
  checkWritable(): void {
    if (this.isClosed) throw closed()
    if (this.backgroundError) throw this.backgroundError
  }
}
