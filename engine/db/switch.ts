// Switching memtables: the full memtable is frozen (it becomes `imm`, to be flushed) and a new
// WAL starts beside a new memtable. The old WAL is synced first: a later synced write in the
// new WAL must never survive a power loss that the old WAL's tail did not.
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
    core.wal.sync()
    const file = core.fs.create(joinPath(core.dir, logFileName(number)))
    writer = new LogWriter(file)
    core.fs.syncDir(core.dir) // a synced write to the new log needs its directory entry durable
  } catch (err) {
    core.backgroundError ??= err as StrataError
    throw err
  }
  const old = core.wal
  const inFlight = core.walSyncInFlight
  if (inFlight) void inFlight.then(() => old.close(), () => old.close())
  else old.close()
  core.imms.push({ mem: core.mem, walNumber: core.walNumber })
  core.wal = writer
  core.walNumber = number
  core.mem = new MemTable()
}
