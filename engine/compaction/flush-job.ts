// A flush from a closed WAL: replay its batches into a fresh memtable and write that as one L0
// table. The worker runs this so the main thread never walks a frozen memtable; the WAL holds
// exactly what the frozen memtable held (a WAL is switched together with its memtable).
import { joinPath, logFileName } from '../base/filenames.js'
import { applyBatch } from '../batch/index.js'
import { MemTable } from '../memtable/index.js'
import type { FileMetaData } from '../version/index.js'
import { LogReader } from '../wal/index.js'
import { buildTable } from './build-table.js'
import type { TableEnv } from './build-table.js'

export function flushWal(env: TableEnv, walNumber: number, outputNumber: number): FileMetaData | undefined {
  const name = logFileName(walNumber)
  const mem = new MemTable()
  // The WAL was written by this process and fully handed to the OS before the switch: any
  // damage here is real, never a torn tail.
  const reader = new LogReader(env.fs.readFile(joinPath(env.dir, name)), name, { mode: 'absolute' })
  for (let rec = reader.readRecord(); rec !== undefined; rec = reader.readRecord()) {
    applyBatch(rec, mem, name, reader.lastRecordOffset)
  }
  const iter = mem.iterator()
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
