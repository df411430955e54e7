// The lmdb driver (lmdb-js 3: LMDB, the memory-mapped B+tree Node users pick for speed), through
// its synchronous API, each write its own transaction as LevelDB's and stratadb's are, with the
// same durability as theirs:
// - a write (sync: false elsewhere): putSync / removeSync in an environment opened with noSync,
//   so each commit reaches the OS (a process crash loses nothing) without an fsync, as LevelDB's
//   and stratadb's unsynced writes;
// - a sync write: the environment reopened (untimed) with lmdb's defaults, then per write an
//   awaited put and an awaited db.flushed, lmdb's way to know a commit is on disk;
// - sync-x64: the same from 64 writers at once (lmdb batches one event turn's puts into one
//   transaction: its group commit);
// - fillbatch: one transaction per batch; reads: getBinary (a Buffer the caller owns) and
//   getRange iterators (a fresh one per seek, limited to seekNexts entries).
// Keys and values are binary (keyEncoding and encoding 'binary'), uncompressed: lmdb-js has no
// block cache or bloom filter settings; the OS page cache is its cache.
import { fileURLToPath } from 'node:url'
import { open, type RootDatabase } from 'lmdb'
import type { EngineDriver, Session, Tally } from '../engines.js'
import { KEY_SIZE, writeKey } from '../keys.js'
import type { ValuePool } from '../keys.js'
import type { BenchSettings } from '../settings.js'
import type { LatencyRecorder } from '../stats.js'
import { packageVersion } from './package-version.js'
import { ScanClock, timedDeletes, timedGets } from './timed-loops.js'

type Lmdb = RootDatabase<Buffer, Buffer>

function openLmdb(dir: string, durable: boolean): Lmdb {
  return open<Buffer, Buffer>({ path: dir, keyEncoding: 'binary', encoding: 'binary', compression: false, noSync: !durable })
}

class LmdbSession implements Session {
  private durable = false

  constructor(
    private db: Lmdb,
    private readonly dir: string,
    private readonly settings: BenchSettings,
    private readonly values: ValuePool,
  ) {}

  /** Reopens the environment with lmdb's syncing defaults (before a sync workload, untimed). */
  private async makeDurable(): Promise<void> {
    if (this.durable) return
    await this.db.close()
    this.db = openLmdb(this.dir, true)
    this.durable = true
  }

  async fill(keys: Int32Array, sync: boolean, rec: LatencyRecorder): Promise<Tally> {
    if (sync) await this.makeDurable()
    const { db, values } = this
    let bytes = 0
    for (let i = 0; i < keys.length; i++) {
      const key = Buffer.allocUnsafe(KEY_SIZE) // an async put holds it until its commit
      writeKey(key, keys[i]!)
      const value = values.value(i)
      const t0 = performance.now()
      if (sync) {
        await db.put(key, value)
        await db.flushed
      } else {
        db.putSync(key, value)
      }
      rec.add(performance.now() - t0)
      bytes += KEY_SIZE + value.length
    }
    return { entries: keys.length, found: 0, bytes }
  }

  async fillBatch(keys: Int32Array, rec: LatencyRecorder): Promise<Tally> {
    const { db, values } = this
    const size = this.settings.batchSize
    const key = Buffer.allocUnsafe(KEY_SIZE)
    let bytes = 0
    for (let start = 0; start < keys.length; start += size) {
      const end = Math.min(keys.length, start + size)
      const t0 = performance.now()
      db.transactionSync(() => {
        for (let i = start; i < end; i++) {
          writeKey(key, keys[i]!)
          const value = values.value(i)
          db.put(key, value)
          bytes += KEY_SIZE + value.length
        }
      })
      rec.add((performance.now() - t0) / (end - start))
    }
    return { entries: keys.length, found: 0, bytes }
  }

  async fillConcurrentSync(keys: Int32Array, rec: LatencyRecorder): Promise<Tally> {
    await this.makeDurable()
    const { db, values } = this
    let next = 0
    let bytes = 0
    const writer = async (): Promise<void> => {
      for (let i = next++; i < keys.length; i = next++) {
        const key = Buffer.allocUnsafe(KEY_SIZE) // held by lmdb until its batch commits
        writeKey(key, keys[i]!)
        const value = values.value(i)
        const t0 = performance.now()
        await db.put(key, value)
        await db.flushed
        rec.add(performance.now() - t0)
        bytes += KEY_SIZE + value.length
      }
    }
    await Promise.all(Array.from({ length: this.settings.writers }, writer))
    return { entries: keys.length, found: 0, bytes }
  }

  async get(keys: Int32Array, missing: boolean, rec: LatencyRecorder): Promise<Tally> {
    const { db } = this
    return timedGets(keys, missing, rec, (key) => db.getBinary(key))
  }

  async scan(reverse: boolean, rec: LatencyRecorder): Promise<Tally> {
    let entries = 0
    let bytes = 0
    const clock = new ScanClock(rec)
    for (const { key, value } of this.db.getRange({ reverse })) {
      bytes += key.length + value.length
      entries++
      clock.tick()
    }
    clock.finish()
    return { entries, found: 0, bytes }
  }

  async seek(keys: Int32Array, rec: LatencyRecorder): Promise<Tally> {
    const key = Buffer.allocUnsafe(KEY_SIZE)
    const limit = this.settings.seekNexts
    let found = 0
    let entries = 0
    let bytes = 0
    for (let i = 0; i < keys.length; i++) {
      writeKey(key, keys[i]!)
      const t0 = performance.now()
      let got = 0
      for (const { key: k, value } of this.db.getRange({ start: key, limit })) {
        bytes += k.length + value.length
        got++
      }
      rec.add(performance.now() - t0)
      if (got > 0) found++
      entries += got
    }
    return { entries, found, bytes }
  }

  async del(keys: Int32Array, rec: LatencyRecorder): Promise<Tally> {
    const { db } = this
    return timedDeletes(keys, rec, (key) => db.removeSync(key))
  }

  /** lmdb reports no write amplification; the worker measures it from /proc/self/io. */
  writeAmplification(): undefined {
    return undefined
  }

  async close(): Promise<void> {
    await this.db.flushed
    await this.db.close()
  }
}

export const driver: EngineDriver = {
  version: () => packageVersion(fileURLToPath(import.meta.url), 'lmdb'),
  async open(dir: string, settings: BenchSettings, values: ValuePool): Promise<Session> {
    return new LmdbSession(openLmdb(dir, false), dir, settings, values)
  },
}
