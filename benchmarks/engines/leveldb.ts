// The LevelDB driver "leveldb" (classic-level 3, LevelDB through N-API), through the fastest
// honest API per workload: db.getSync for point reads, iterator nextv(1000) for scans, seek +
// nextv(10) for seekrandom, db.batch(array) for fillbatch. classic-level has no synchronous
// write, so single writes are awaited puts. The "leveldb (await)" flavour (leveldb-await.ts)
// reuses these writes and reads the promise way.
// Keys and values are Buffers (keyEncoding/valueEncoding 'buffer'): no transcoding.
import { fileURLToPath } from 'node:url'
import { ClassicLevel } from 'classic-level'
import type { EngineDriver, Session, Tally } from '../engines.js'
import { KEY_SIZE, writeKey } from '../keys.js'
import type { ValuePool } from '../keys.js'
import type { BenchSettings } from '../settings.js'
import type { LatencyRecorder } from '../stats.js'
import { packageVersion } from './package-version.js'
import { SCAN_BATCH, timedGets } from './timed-loops.js'

export type Level = ClassicLevel<Buffer, Buffer>

const SYNC = Object.freeze({ sync: true })

interface PutOp {
  type: 'put'
  key: Buffer
  value: Buffer
}

/** The fast flavour; also every write workload of both flavours. */
export class LevelSession implements Session {
  constructor(
    protected readonly db: Level,
    protected readonly settings: BenchSettings,
    private readonly values: ValuePool,
  ) {}

  async fill(keys: Int32Array, sync: boolean, rec: LatencyRecorder): Promise<Tally> {
    const { db, values } = this
    const key = Buffer.allocUnsafe(KEY_SIZE)
    let bytes = 0
    for (let i = 0; i < keys.length; i++) {
      writeKey(key, keys[i]!)
      const value = values.value(i)
      const t0 = performance.now()
      if (sync) await db.put(key, value, SYNC)
      else await db.put(key, value)
      rec.add(performance.now() - t0)
      bytes += KEY_SIZE + value.length
    }
    return { entries: keys.length, found: 0, bytes }
  }

  async fillBatch(keys: Int32Array, rec: LatencyRecorder): Promise<Tally> {
    const { db, values } = this
    const size = this.settings.batchSize
    const ops: PutOp[] = Array.from({ length: size }, () => ({ type: 'put', key: Buffer.allocUnsafe(KEY_SIZE), value: values.value(0) }))
    let bytes = 0
    for (let start = 0; start < keys.length; start += size) {
      const end = Math.min(keys.length, start + size)
      const t0 = performance.now()
      for (let i = start; i < end; i++) {
        const op = ops[i - start]!
        writeKey(op.key, keys[i]!)
        op.value = values.value(i)
        bytes += KEY_SIZE + op.value.length
      }
      await db.batch(end - start === size ? ops : ops.slice(0, end - start))
      rec.add((performance.now() - t0) / (end - start))
    }
    return { entries: keys.length, found: 0, bytes }
  }

  async fillConcurrentSync(keys: Int32Array, rec: LatencyRecorder): Promise<Tally> {
    const { db, values } = this
    let next = 0
    let bytes = 0
    const writer = async (): Promise<void> => {
      const key = Buffer.allocUnsafe(KEY_SIZE)
      for (let i = next++; i < keys.length; i = next++) {
        writeKey(key, keys[i]!)
        const value = values.value(i)
        const t0 = performance.now()
        await db.put(key, value, SYNC)
        rec.add(performance.now() - t0)
        bytes += KEY_SIZE + value.length
      }
    }
    await Promise.all(Array.from({ length: this.settings.writers }, writer))
    return { entries: keys.length, found: 0, bytes }
  }

  async get(keys: Int32Array, missing: boolean, rec: LatencyRecorder): Promise<Tally> {
    const { db } = this
    return timedGets(keys, missing, rec, (key) => db.getSync(key))
  }

  async scan(reverse: boolean, rec: LatencyRecorder): Promise<Tally> {
    const it = this.db.iterator({ reverse })
    let entries = 0
    let bytes = 0
    let t0 = performance.now()
    for (;;) {
      const batch = await it.nextv(SCAN_BATCH)
      if (batch.length === 0) break
      for (const [k, v] of batch) bytes += k.length + v.length
      entries += batch.length
      const t = performance.now()
      rec.add((t - t0) / batch.length)
      t0 = t
    }
    await it.close()
    return { entries, found: 0, bytes }
  }

  async seek(keys: Int32Array, rec: LatencyRecorder): Promise<Tally> {
    const it = this.db.iterator()
    const key = Buffer.allocUnsafe(KEY_SIZE)
    let found = 0
    let entries = 0
    let bytes = 0
    for (let i = 0; i < keys.length; i++) {
      writeKey(key, keys[i]!)
      const t0 = performance.now()
      it.seek(key)
      const got = await it.nextv(this.settings.seekNexts)
      rec.add(performance.now() - t0)
      if (got.length > 0) found++
      entries += got.length
      for (const [k, v] of got) bytes += k.length + v.length
    }
    await it.close()
    return { entries, found, bytes }
  }

  async del(keys: Int32Array, rec: LatencyRecorder): Promise<Tally> {
    const { db } = this
    const key = Buffer.allocUnsafe(KEY_SIZE)
    for (let i = 0; i < keys.length; i++) {
      writeKey(key, keys[i]!)
      const t0 = performance.now()
      await db.del(key)
      rec.add(performance.now() - t0)
    }
    return { entries: keys.length, found: 0, bytes: keys.length * KEY_SIZE }
  }

  /** LevelDB reports no write amplification; the worker measures it from /proc/self/io. */
  writeAmplification(): undefined {
    return undefined
  }

  async close(): Promise<void> {
    await this.db.close()
  }
}

export async function openLevel(dir: string, settings: BenchSettings): Promise<Level> {
  const db = new ClassicLevel<Buffer, Buffer>(dir, {
    keyEncoding: 'buffer',
    valueEncoding: 'buffer',
    createIfMissing: true,
    cacheSize: settings.cacheBytes,
    writeBufferSize: settings.writeBufferBytes,
    blockSize: settings.blockSize,
    compression: settings.compression,
    maxOpenFiles: settings.maxOpenFiles,
  })
  await db.open()
  return db
}

export const version = (): string => packageVersion(fileURLToPath(import.meta.url), 'classic-level')

export const fastDriver: EngineDriver = {
  version,
  async open(dir: string, settings: BenchSettings, values: ValuePool): Promise<Session> {
    return new LevelSession(await openLevel(dir, settings), settings, values)
  },
}
