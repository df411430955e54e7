// The disk's own floor for fillsync, "disk": each entry's key and value appended to one file
// with fs.writeSync, then fs.fdatasyncSync, exactly what a synced single-entry commit must at
// least cost on this file system. It runs only fillsync; the report's "vs disk" ratio is then
// stratadb's synced-put rate over this floor (1.0 = no overhead above the disk's).
import { closeSync, fdatasyncSync, mkdirSync, openSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import type { EngineDriver, Session, Tally } from '../engines.js'
import { KEY_SIZE, writeKey } from '../keys.js'
import type { ValuePool } from '../keys.js'
import type { LatencyRecorder } from '../stats.js'

class DiskSession implements Session {
  constructor(
    private readonly fd: number,
    private readonly values: ValuePool,
  ) {}

  async fill(keys: Int32Array, sync: boolean, rec: LatencyRecorder): Promise<Tally> {
    const record = Buffer.allocUnsafe(KEY_SIZE + 4096)
    let bytes = 0
    for (let i = 0; i < keys.length; i++) {
      writeKey(record, keys[i]!)
      const value = this.values.value(i)
      record.set(value, KEY_SIZE)
      const length = KEY_SIZE + value.length
      const t0 = performance.now()
      writeSync(this.fd, record, 0, length)
      if (sync) fdatasyncSync(this.fd)
      rec.add(performance.now() - t0)
      bytes += length
    }
    return { entries: keys.length, found: 0, bytes }
  }

  fillBatch(): Promise<Tally> {
    return unsupported('fillbatch')
  }

  fillConcurrentSync(): Promise<Tally> {
    return unsupported('sync-x64')
  }

  get(): Promise<Tally> {
    return unsupported('point reads')
  }

  scan(): Promise<Tally> {
    return unsupported('scans')
  }

  seek(): Promise<Tally> {
    return unsupported('seeks')
  }

  del(): Promise<Tally> {
    return unsupported('deletes')
  }

  writeAmplification(): number {
    return 1
  }

  async close(): Promise<void> {
    closeSync(this.fd)
  }
}

function unsupported(what: string): Promise<never> {
  return Promise.reject(new Error(`the disk baseline runs fillsync only, not ${what}`))
}

export const diskDriver: EngineDriver = {
  version: () => `node ${process.version} fs`,
  async open(dir: string, _settings, values: ValuePool): Promise<Session> {
    mkdirSync(dir, { recursive: true })
    return new DiskSession(openSync(join(dir, 'append.log'), 'a'), values)
  },
}
