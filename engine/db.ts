// DB: the public facade. Each method validates its arguments and the database's state, then
// delegates to engine/db/ (open.ts, write-path.ts, read-path.ts, iterator.ts, snapshots.ts,
// stats.ts). No engine logic lives here.
import { joinPath, LOCK, parseFileName } from './base/filenames.js'
import { WriteBatch } from './batch/index.js'
import { invalidArgument } from './errors.js'
import type { Bytes } from './db/args.js'
import { optionsObject, syncOption, toBytes } from './db/args.js'
import type { DBCore } from './db/core.js'
import { Iterator } from './db/iterator.js'
import type { IteratorRange } from './db/iterator.js'
import { openCore } from './db/open.js'
import { getValue } from './db/read-path.js'
import type { Snapshot } from './db/snapshots.js'
import { collectStats } from './db/stats.js'
import type { Stats } from './db/stats.js'
import { GroupCommit, writeSync } from './db/write-path.js'
import type { Options } from './options.js'
import { resolveOptions } from './options.js'

export interface WriteOptions {
  /** fdatasync the WAL before the call completes, so the write survives power loss. */
  sync?: boolean
}

export interface ReadOptions {
  snapshot?: Snapshot
}

export class DB {
  private readonly single = new WriteBatch()
  private readonly iterators = new Set<Iterator>()
  private readonly group: GroupCommit

  private constructor(private readonly core: DBCore) {
    this.group = new GroupCommit(core)
  }

  /** Opens (creating, locking and recovering) the database in `dir`. */
  static open(dir: string, options?: Options): DB {
    if (typeof dir !== 'string' || dir === '') throw invalidArgument('dir must be a non-empty string')
    return new DB(openCore(dir, resolveOptions(options)))
  }

  /** Deletes the database in `dir` and its files. LOCKED while it is open. */
  static destroy(dir: string, options?: Options): void {
    if (typeof dir !== 'string' || dir === '') throw invalidArgument('dir must be a non-empty string')
    const { fs } = resolveOptions(options)
    if (!fs.exists(dir)) return
    const lock = fs.lock(joinPath(dir, LOCK))
    try {
      for (const name of fs.list(dir)) {
        const parsed = parseFileName(name)
        if (parsed && parsed.kind !== 'lock') fs.unlink(joinPath(dir, name))
      }
    } finally {
      lock.release()
    }
    if (fs.exists(joinPath(dir, LOCK))) fs.unlink(joinPath(dir, LOCK))
    if (fs.list(dir).length === 0) fs.rmdir(dir)
  }

  put(key: Bytes, value: Bytes, options?: WriteOptions): void {
    this.core.checkWritable()
    const sync = syncOption(options)
    const batch = this.single
    batch.clear()
    batch.put(key, value)
    writeSync(this.core, batch, sync)
  }

  delete(key: Bytes, options?: WriteOptions): void {
    this.core.checkWritable()
    const sync = syncOption(options)
    const batch = this.single
    batch.clear()
    batch.delete(key)
    writeSync(this.core, batch, sync)
  }

  /** Applies every operation of `batch` atomically: all of it or none, also after a crash. */
  write(batch: WriteBatch, options?: WriteOptions): void {
    this.core.checkWritable()
    checkBatch(batch)
    const sync = syncOption(options)
    if (batch.length > 0) writeSync(this.core, batch, sync)
  }

  /** As write(), without blocking: concurrent writers share one WAL append and one fdatasync. */
  writeAsync(batch: WriteBatch, options?: WriteOptions): Promise<void> {
    try {
      this.core.checkWritable()
      checkBatch(batch)
      const sync = syncOption(options)
      if (batch.length === 0) return Promise.resolve()
      return this.group.submit(batch, sync)
    } catch (err) {
      return Promise.reject(err)
    }
  }

  /** The newest value of `key` (at the snapshot, if given), or undefined. */
  get(key: Bytes, options?: ReadOptions): Buffer | undefined {
    this.core.checkOpen()
    const k = toBytes(key, 'key')
    this.core.background.beforeRead()
    return getValue(this.core, k, this.readSequence(options))
  }

  has(key: Bytes, options?: ReadOptions): boolean {
    return this.get(key, options) !== undefined
  }

  /** An iterator over `range`, seeing the database as it is now (or at range.snapshot). */
  iterator(range?: IteratorRange): Iterator {
    this.core.checkOpen()
    const it = new Iterator(this.core, range, (closedIt) => this.iterators.delete(closedIt))
    this.iterators.add(it)
    return it
  }

  snapshot(): Snapshot {
    this.core.checkOpen()
    return this.core.snapshots.take(this.core.versions.lastSequence)
  }

  /** Writes the memtable to an L0 table now, and waits for that. */
  flush(): void {
    this.core.checkWritable()
    this.core.background.flushNow()
  }

  /**
   * Compacts every file overlapping [start, end] (open-ended where omitted) down to the
   * deepest level holding data there. Blocks until done.
   */
  compactRange(start?: Bytes, end?: Bytes): void {
    this.core.checkWritable()
    const begin = start === undefined ? undefined : toBytes(start, 'start')
    const last = end === undefined ? undefined : toBytes(end, 'end')
    this.core.background.compactRange(begin, last)
  }

  stats(): Stats {
    this.core.checkOpen()
    return collectStats(this.core, this.iterators.size)
  }

  /** Closes the database: pending async writes are committed, iterators and snapshots end. */
  close(): void {
    const core = this.core
    if (core.isClosed) return
    if (!core.backgroundError) this.group.drainNow()
    core.background.drainSync()
    for (const it of [...this.iterators]) it.close()
    core.snapshots.releaseAll()
    core.isClosed = true
    const steps: Array<() => void> = [
      () => {
        const wal = core.wal
        if (core.walSyncInFlight) void core.walSyncInFlight.then(() => wal.close(), () => wal.close())
        else wal.close()
      },
      () => core.background.close(),
      () => core.versions.close(),
      () => core.tableCache.close(),
      () => core.lock.release(),
    ]
    let first: unknown
    for (const step of steps) {
      try {
        step()
      } catch (err) {
        first ??= err
      }
    }
    if (first !== undefined) throw first
  }

  get closed(): boolean {
    return this.core.isClosed
  }

  private readSequence(options: ReadOptions | undefined): number {
    if (options === undefined) return this.core.versions.lastSequence // the common get: nothing to inspect
    const { snapshot } = optionsObject<ReadOptions>(options, 'read options')
    if (snapshot === undefined) return this.core.versions.lastSequence
    return this.core.snapshots.check(snapshot).sequence
  }
}

function checkBatch(batch: unknown): asserts batch is WriteBatch {
  if (!(batch instanceof WriteBatch)) throw invalidArgument('batch must be a WriteBatch')
}
