// A flush of a frozen memtable: write its entries as one L0 table. The worker runs this over the
// memtable's own shared memory (MemTable.attach): no copy of the entries and no WAL replay, and
// the main thread never walks the frozen table.
import { MemTable } from '../memtable/index.js'
import type { SharedMemTable } from '../memtable/index.js'
import type { FileMetaData } from '../version/index.js'
import { buildTable } from './build-table.js'
import type { TableEnv } from './build-table.js'

export function flushMemTable(env: TableEnv, frozen: SharedMemTable, outputNumber: number): FileMetaData | undefined {
  const iter = MemTable.attach(frozen).iterator()
  let meta: FileMetaData | undefined
  try {
    meta = buildTable(env, outputNumber, iter)
  } finally {
    iter.close()
  }
  // The new table's directory entry is made durable here, in the worker, before the main
  // thread's MANIFEST edit names it: one fsync fewer on the event loop per flush.
  if (meta) env.fs.syncDir(env.dir)
  return meta
}
