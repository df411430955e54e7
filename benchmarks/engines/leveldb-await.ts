// The "leveldb (await)" driver: the promise path most classic-level users write, for the reads
// (await db.get, for await over an iterator, await it.next() after a seek). Its writes would be
// those of the "leveldb" driver (already awaited), so engines.ts gives it no write workloads.
import type { EngineDriver, Session, Tally } from '../engines.js'
import { KEY_SIZE, writeKey } from '../keys.js'
import type { ValuePool } from '../keys.js'
import type { BenchSettings } from '../settings.js'
import type { LatencyRecorder } from '../stats.js'
import { LevelSession, openLevel, version } from './leveldb.js'
import { ScanClock, timedGets } from './timed-loops.js'

/** The promise path for reads; writes as in LevelSession (they are awaited there already). */
class LevelAwaitSession extends LevelSession {
  override async get(keys: Int32Array, missing: boolean, rec: LatencyRecorder): Promise<Tally> {
    const { db } = this
    return timedGets(keys, missing, rec, (key) => db.get(key))
  }

  override async scan(reverse: boolean, rec: LatencyRecorder): Promise<Tally> {
    let entries = 0
    let bytes = 0
    const clock = new ScanClock(rec)
    for await (const [k, v] of this.db.iterator({ reverse })) {
      bytes += k.length + v.length
      entries++
      clock.tick()
    }
    clock.finish()
    return { entries, found: 0, bytes }
  }

  override async seek(keys: Int32Array, rec: LatencyRecorder): Promise<Tally> {
    const it = this.db.iterator()
    const key = Buffer.allocUnsafe(KEY_SIZE)
    let found = 0
    let entries = 0
    let bytes = 0
    for (let i = 0; i < keys.length; i++) {
      writeKey(key, keys[i]!)
      const t0 = performance.now()
      it.seek(key)
      for (let j = 0; j < this.settings.seekNexts; j++) {
        const entry = await it.next()
        if (entry === undefined) break
        if (j === 0) found++
        entries++
        bytes += entry[0].length + entry[1].length
      }
      rec.add(performance.now() - t0)
    }
    await it.close()
    return { entries, found, bytes }
  }
}

export const awaitDriver: EngineDriver = {
  version,
  async open(dir: string, settings: BenchSettings, values: ValuePool): Promise<Session> {
    return new LevelAwaitSession(await openLevel(dir, settings), settings, values)
  },
}
