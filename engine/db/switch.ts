// Switching memtables: the full memtable is frozen (queued for its flush) and a new WAL starts
// beside a new memtable. The old WAL is fdatasynced off the event loop (an fdatasync of up to
// memtableSize dirty bytes stalled the loop for tens of ms when it ran here). Ordering across
// WALs is kept two ways: a synced write in a newer WAL waits for every older WAL's sync
// (retiredWalsDurable), and recovery stops at an older WAL's torn tail, so no write of a newer
// WAL survives a loss in an older one (open.ts).
import { joinPath, logFileName } from '../base/filenames.js'
import type { StrataError } from '../errors.js'
import { MemTable } from '../memtable/index.js'
import { LogWriter } from '../wal/index.js'
import type { DBCore } from './core.js'

/** Freezes the memtable (queued for its flush) and starts a new WAL. */
export function switchMemtable(core: DBCore): void {
  const number = core.versions.newFileNumber()
  let writer: LogWriter
  try {
    const file = core.fs.create(joinPath(core.dir, logFileName(number)))
    writer = new LogWriter(file)
    core.fs.syncDir(core.dir) // a synced write to the new log needs its directory entry durable
  } catch (err) {
    core.backgroundError ??= err as StrataError
    throw err
  }
  retireWal(core, core.wal)
  core.imms.push({ mem: core.mem, walNumber: core.walNumber })
  core.wal = writer
  core.walNumber = number
  core.mem = core.newMemTable()
}

/** Syncs a WAL that takes no more writes, off the event loop, then closes it. */
function retireWal(core: DBCore, old: LogWriter): void {
  const earlier = core.walSyncInFlight ?? Promise.resolve()
  const entry = { writer: old, synced: false, done: Promise.resolve() }
  entry.done = earlier.catch(() => undefined).then(() => old.syncAsync()).then(
    () => {
      entry.synced = true
    },
    (err: unknown) => {
      core.backgroundError ??= err as StrataError
    },
  ).then(() => {
    const i = core.retiredWals.indexOf(entry)
    if (i >= 0) core.retiredWals.splice(i, 1)
    try {
      old.close()
    } catch (err) {
      // close(2) failing after a successful fdatasync loses nothing; before one, the sync
      // already failed and set the sticky error above
      if (!entry.synced) core.backgroundError ??= err as StrataError
    }
  })
  core.retiredWals.push(entry)
}

/**
 * Makes every retired WAL durable now, on this stack: before a synced write in the live WAL
 * is acknowledged. Usually they already are, and this costs nothing.
 */
export function retiredWalsDurableSync(core: DBCore): void {
  for (const entry of core.retiredWals) {
    if (!entry.synced) {
      entry.writer.sync()
      entry.synced = true
    }
  }
}

/** As retiredWalsDurableSync, awaiting the syncs already running instead of blocking. */
export async function retiredWalsDurable(core: DBCore): Promise<void> {
  while (core.retiredWals.some((e) => !e.synced)) {
    await Promise.all(core.retiredWals.map((e) => e.done))
    if (core.backgroundError) throw core.backgroundError
  }
}
