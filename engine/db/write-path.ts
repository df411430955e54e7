// The write path: a batch gets the next sequence numbers, is appended to the WAL as one record,
// then applied to the memtable. `writeSync` does it on the caller's stack; `GroupCommit` serves
// writeAsync, where every writer queued in the same tick shares one WAL append and, when any
// of them asked for `sync`, one fdatasync run off the event loop (LevelDB's writer queue).
//
// Durability: the WAL append hands the bytes to the OS before any call returns (survives a
// process kill); `sync: true` fdatasyncs before the call (or promise) completes (survives power
// loss). A failed append or sync is sticky: the database refuses writes from then on, since the
// WAL may hold a torn record that later appends would bury.
import { applyBatch, WriteBatch } from '../batch/index.js'
import type { StrataError } from '../errors.js'
import type { DBCore } from './core.js'
import { retiredWalsDurable, retiredWalsDurableSync } from './switch.js'

/** Appends `batch` to the WAL and the memtable. REQUIRES: core writable, batch non-empty. */
export function writeSync(core: DBCore, batch: WriteBatch, sync: boolean): void {
  core.background.makeRoomSync()
  commit(core, batch)
  if (sync) syncWalNow(core)
}

function commit(core: DBCore, batch: WriteBatch): void {
  applyToMemtable(core, batch, appendToWal(core, batch))
}

/** Numbers the batch's entries and appends it to the WAL; returns the record's bytes. */
function appendToWal(core: DBCore, batch: WriteBatch): Uint8Array {
  batch.setSequence(core.versions.lastSequence + 1)
  const bytes = batch.contents()
  try {
    core.wal.addRecord(bytes)
  } catch (err) {
    core.backgroundError ??= err as StrataError
    throw err
  }
  core.counters.walBytes += bytes.length
  core.counters.bytesWrittenByUser += batch.byteSize
  return bytes
}

/** Applies the batch appendToWal just logged, and makes its sequence numbers the last used. */
function applyToMemtable(core: DBCore, batch: WriteBatch, bytes: Uint8Array): void {
  applyBatch(bytes, core.mem)
  core.versions.lastSequence += batch.length
}

function syncWalNow(core: DBCore): void {
  try {
    retiredWalsDurableSync(core)
    core.wal.sync()
    core.counters.walSyncs++
  } catch (err) {
    core.backgroundError ??= err as StrataError
    throw err
  }
}

interface Waiter {
  batch: WriteBatch
  sync: boolean
  resolve(): void
  reject(err: unknown): void
}

/** Group commit for writeAsync. One instance per database. */
export class GroupCommit {
  private queue: Waiter[] = []
  private running = false
  private readonly group = new WriteBatch()

  constructor(private readonly core: DBCore) {}

  /** Queues a private copy of `batch`; resolves once it is applied (and synced if asked). */
  submit(batch: WriteBatch, sync: boolean): Promise<void> {
    const copy = new WriteBatch()
    copy.append(batch)
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ batch: copy, sync, resolve, reject })
      if (!this.running) {
        this.running = true
        queueMicrotask(() => void this.drain())
      }
    })
  }

  /**
   * Commits every queued write now, on this stack (for close()). Their promises resolve once
   * done; a sync write is fdatasynced here.
   */
  drainNow(): void {
    const waiters = this.queue
    this.queue = []
    for (const w of waiters) {
      try {
        writeSync(this.core, w.batch, w.sync)
        w.resolve()
      } catch (err) {
        w.reject(err)
      }
    }
  }

  private async drain(): Promise<void> {
    const core = this.core
    while (this.queue.length > 0) {
      if (core.isClosed) break // close() drained the queue itself
      const waiters = this.queue
      this.queue = []
      try {
        core.checkWritable()
        let batch: WriteBatch
        if (waiters.length === 1) batch = waiters[0]!.batch
        else {
          batch = this.group
          batch.clear()
          for (const w of waiters) batch.append(w.batch)
        }
        await core.background.makeRoom()
        core.checkWritable() // close() may have run while this group waited for room
        const bytes = appendToWal(core, batch)
        // The fdatasync starts here and runs while the batch goes into the memtable: the
        // batch was visible before its sync completed before this too, so only the order of
        // the two changes (sync-x64, 64 writers: a group cycle about 250 µs shorter).
        const synced = waiters.some((w) => w.sync) ? this.syncWal() : undefined
        try {
          applyToMemtable(core, batch, bytes)
        } finally {
          if (synced !== undefined) await synced
        }
        for (const w of waiters) w.resolve()
      } catch (err) {
        for (const w of waiters) w.reject(err)
      }
    }
    this.running = false
  }

  /** Starts the WAL's fdatasync before returning, unless older WALs are still syncing first. */
  private async syncWal(): Promise<void> {
    const core = this.core
    if (core.retiredWals.some((e) => !e.synced)) await retiredWalsDurable(core)
    const promise = core.wal.syncAsync()
    core.walSyncInFlight = promise
    try {
      await promise
      core.counters.walSyncs++
    } catch (err) {
      core.backgroundError ??= err as StrataError
      throw err
    } finally {
      if (core.walSyncInFlight === promise) core.walSyncInFlight = undefined
    }
  }
}
