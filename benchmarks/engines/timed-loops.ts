// What the drivers' timed loops share: point-lookup and delete loops around an engine's calls,
// and the batch clock of scans. The engine's own call stays the only thing between the two
// clock reads of an operation (with, for lookups, the check whether it answered with a
// promise); each job is a fresh process running one engine, so the lookup function below is
// the only one its call site ever sees, and V8 inlines it.
import type { Tally } from '../engines.js'
import { KEY_SIZE, MISSING_KEY_SIZE, writeKey, writeMissingKey } from '../keys.js'
import type { LatencyRecorder } from '../stats.js'

/** Entries per latency sample in scans (and per nextv call of classic-level's fastest scan). */
export const SCAN_BATCH = 1000

/**
 * One timed lookup per key (of its missing neighbour, key + '.', when `missing`) through
 * `lookup`, which returns the value or undefined, or a promise of it (classic-level's plain
 * `await db.get`), awaited inside the timed region. The key buffer is reused. A synchronous
 * lookup never awaits: the loop runs to its end in one go.
 */
export async function timedGets(
  keys: Int32Array, missing: boolean, rec: LatencyRecorder,
  lookup: (key: Buffer) => Uint8Array | undefined | Promise<Uint8Array | undefined>,
): Promise<Tally> {
  const key = Buffer.allocUnsafe(missing ? MISSING_KEY_SIZE : KEY_SIZE)
  let found = 0
  let bytes = 0
  for (let i = 0; i < keys.length; i++) {
    if (missing) writeMissingKey(key, keys[i]!)
    else writeKey(key, keys[i]!)
    const t0 = performance.now()
    let value = lookup(key)
    if (value instanceof Promise) value = await value
    rec.add(performance.now() - t0)
    if (value !== undefined) {
      found++
      bytes += key.length + value.length
    }
  }
  return { entries: keys.length, found, bytes }
}

/** One timed synchronous delete per key, through `remove`. The key buffer is reused. */
export function timedDeletes(keys: Int32Array, rec: LatencyRecorder, remove: (key: Buffer) => unknown): Tally {
  const key = Buffer.allocUnsafe(KEY_SIZE)
  for (let i = 0; i < keys.length; i++) {
    writeKey(key, keys[i]!)
    const t0 = performance.now()
    remove(key)
    rec.add(performance.now() - t0)
  }
  return { entries: keys.length, found: 0, bytes: keys.length * KEY_SIZE }
}

/**
 * The clock of a scan read entry by entry: records, per batch of SCAN_BATCH entries, the
 * batch's time divided by its length. Starts when made; `finish` records the last, partial batch.
 */
export class ScanClock {
  private inBatch = 0
  private t0 = performance.now()

  constructor(private readonly rec: LatencyRecorder) {}

  /** One entry was read. */
  tick(): void {
    if (++this.inBatch === SCAN_BATCH) {
      const t = performance.now()
      this.rec.add((t - this.t0) / this.inBatch)
      this.t0 = t
      this.inBatch = 0
    }
  }

  finish(): void {
    if (this.inBatch > 0) this.rec.add((performance.now() - this.t0) / this.inBatch)
  }
}
