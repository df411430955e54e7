// The stratadb driver: each workload through the engine's synchronous public API (put, write,
// get, the cursor), except sync-x64, which uses writeAsync so concurrent sync writers share an
// fdatasync. One reusable key buffer per loop: the engine never keeps a caller's buffer.
import { fileURLToPath } from 'node:url'
import { DB, WriteBatch } from '../../engine/index.js'
import type { EngineDriver, Session, Tally } from '../engines.js'
import { KEY_SIZE, writeKey } from '../keys.js'
import type { ValuePool } from '../keys.js'
import type { BenchSettings } from '../settings.js'
import type { LatencyRecorder } from '../stats.js'
import { packageVersion } from './package-version.js'
import { ScanClock, timedDeletes, timedGets } from './timed-loops.js'

class StrataSession implements Session {
  constructor(
    private readonly db: DB,
    private readonly settings: BenchSettings,
    private readonly values: ValuePool,
  ) {}

  async fill(keys: Int32Array, sync: boolean, rec: LatencyRecorder): Promise<Tally> {
    const { db, values } = this
    const key = Buffer.allocUnsafe(KEY_SIZE)
    const options = { sync }
    let bytes = 0
    for (let i = 0; i < keys.length; i++) {
      writeKey(key, keys[i]!)
      const value = values.value(i)
      const t0 = performance.now()
      db.put(key, value, options)
      rec.add(performance.now() - t0)
      bytes += KEY_SIZE + value.length
    }
    return { entries: keys.length, found: 0, bytes }
  }

  async fillBatch(keys: Int32Array, rec: LatencyRecorder): Promise<Tally> {
    const { db, values } = this
    const key = Buffer.allocUnsafe(KEY_SIZE)
    const batch = new WriteBatch()
    let bytes = 0
    for (let start = 0; start < keys.length; start += this.settings.batchSize) {
      const end = Math.min(keys.length, start + this.settings.batchSize)
      const t0 = performance.now()
      batch.clear()
      for (let i = start; i < end; i++) {
        writeKey(key, keys[i]!)
        const value = values.value(i)
        batch.put(key, value)
        bytes += KEY_SIZE + value.length
      }
      db.write(batch)
      rec.add((performance.now() - t0) / (end - start))
    }
    return { entries: keys.length, found: 0, bytes }
  }

  async fillConcurrentSync(keys: Int32Array, rec: LatencyRecorder): Promise<Tally> {
    const { db, values } = this
    const options = { sync: true }
    let next = 0
    let bytes = 0
    const writer = async (): Promise<void> => {
      const key = Buffer.allocUnsafe(KEY_SIZE)
      const batch = new WriteBatch()
      for (let i = next++; i < keys.length; i = next++) {
        writeKey(key, keys[i]!)
        const value = values.value(i)
        batch.clear()
        batch.put(key, value)
        const t0 = performance.now()
        await db.writeAsync(batch, options)
        rec.add(performance.now() - t0)
        bytes += KEY_SIZE + value.length
      }
    }
    await Promise.all(Array.from({ length: this.settings.writers }, writer))
    return { entries: keys.length, found: 0, bytes }
  }

  async get(keys: Int32Array, missing: boolean, rec: LatencyRecorder): Promise<Tally> {
    const { db } = this
    return timedGets(keys, missing, rec, (key) => db.get(key))
  }

  async scan(reverse: boolean, rec: LatencyRecorder): Promise<Tally> {
    const it = this.db.iterator()
    let entries = 0
    let bytes = 0
    const clock = new ScanClock(rec)
    if (reverse) it.seekToLast()
    else it.seekToFirst()
    while (it.valid()) {
      bytes += it.key().length + it.value().length
      entries++
      if (reverse) it.prev()
      else it.next()
      clock.tick()
    }
    clock.finish()
    it.close()
    return { entries, found: 0, bytes }
  }

  async seek(keys: Int32Array, rec: LatencyRecorder): Promise<Tally> {
    const it = this.db.iterator()
    const key = Buffer.allocUnsafe(KEY_SIZE)
    const nexts = this.settings.seekNexts
    let found = 0
    let entries = 0
    let bytes = 0
    for (let i = 0; i < keys.length; i++) {
      writeKey(key, keys[i]!)
      const t0 = performance.now()
      it.seek(key)
      if (it.valid()) found++
      for (let j = 0; j < nexts && it.valid(); j++) {
        bytes += it.key().length + it.value().length
        entries++
        it.next()
      }
      rec.add(performance.now() - t0)
    }
    it.close()
    return { entries, found, bytes }
  }

  async del(keys: Int32Array, rec: LatencyRecorder): Promise<Tally> {
    const { db } = this
    return timedDeletes(keys, rec, (key) => db.delete(key))
  }

  writeAmplification(): number {
    return this.db.stats().writeAmplification
  }

  async close(): Promise<void> {
    this.db.close()
  }
}

export const driver: EngineDriver = {
  version: () => packageVersion(fileURLToPath(import.meta.url), 'stratadb'),
  async open(dir: string, settings: BenchSettings, values: ValuePool): Promise<Session> {
    const db = DB.open(dir, {
      createIfMissing: true,
      memtableSize: settings.writeBufferBytes,
      blockSize: settings.blockSize,
      bloomBitsPerKey: settings.bloomBitsPerKey,
      compression: settings.compression ? 'lz4' : 'none',
      blockCacheSize: settings.cacheBytes,
      maxOpenFiles: settings.maxOpenFiles,
      ...(settings.strataCompaction === 'default' ? {} : { compaction: settings.strataCompaction }),
    })
    return new StrataSession(db, settings, values)
  },
}
