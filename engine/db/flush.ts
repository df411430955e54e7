// Flush: an immutable memtable becomes an L0 SSTable, recorded in the MANIFEST together with
// the new log number, after which the WAL that fed it is obsolete. The table is fdatasynced and
// the directory synced before the MANIFEST names it, so a recorded table always exists.
import type { MemTable } from '../memtable/index.js'
import { buildTable } from '../compaction/build-table.js'
import type { FileMetaData } from '../version/index.js'
import { VersionEdit } from '../version/index.js'
import type { DBCore } from './core.js'

/** Writes `mem` as a new table (fdatasynced, not yet recorded); undefined when `mem` is empty. */
export function writeLevel0Table(core: DBCore, mem: MemTable): FileMetaData | undefined {
  const iter = mem.iterator()
  try {
    return buildTable(core.tableEnv, core.versions.newFileNumber(), iter)
  } finally {
    iter.close()
  }
}

/** Builds `mem` into an L0 table and logs it with `logNumber` as the oldest log still needed. */
export function installLevel0(core: DBCore, mem: MemTable, logNumber: number): void {
  const edit = new VersionEdit()
  const meta = writeLevel0Table(core, mem)
  if (meta) {
    core.fs.syncDir(core.dir)
    edit.addFile(0, meta)
    core.counters.bytesFlushed += meta.size
    core.counters.flushes++
  }
  edit.logNumber = logNumber
  core.versions.logAndApply(edit)
}
