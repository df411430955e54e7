// Writing one SSTable from an internal iterator: the loop flushes share, on the main thread
// (inline) and in the compaction worker. The table is fdatasynced and closed before return;
// the caller syncs the directory before a MANIFEST edit names it.
import type { Comparator } from '../base/comparator.js'
import { joinPath, tableFileName } from '../base/filenames.js'
import { newEntrySpan, type EntryRanges, type InternalIterator } from '../base/internal-iterator.js'
import { TRAILER_SIZE } from '../base/internal-key.js'
import type { FileSystem } from '../fs/fs.js'
import type { Compression } from '../options.js'
import { TableBuilder } from '../sstable/index.js'
import type { FileMetaData } from '../version/index.js'

/** What writing a table needs: plain data (and an fs), so a worker can hold one too. */
export interface TableEnv {
  fs: FileSystem
  dir: string
  icmp: Comparator
  table: TableShape
}

/** The table-format options, a structured-cloneable subset of Options. */
export interface TableShape {
  blockSize: number
  blockRestartInterval: number
  bloomBitsPerKey: number
  compression: Compression
}

/**
 * Writes every entry of `iter` from its first into table `number`; returns its metadata, or
 * undefined (and no file) when `iter` is empty. On failure the partial file is removed.
 */
export function buildTable(env: TableEnv, number: number, iter: InternalIterator & EntryRanges): FileMetaData | undefined {
  iter.seekToFirst()
  if (!iter.valid()) return undefined
  const path = joinPath(env.dir, tableFileName(number))
  const file = env.fs.create(path)
  let ok = false
  try {
    const builder = new TableBuilder(file, { comparator: env.icmp, ...env.table, filterSuffixLength: TRAILER_SIZE })
    // Entries copied from their ranges: no view per entry, so a flush leaves no garbage in the worker's heap.
    const e = newEntrySpan()
    for (; iter.valid(); iter.next()) {
      iter.entryRanges(e)
      builder.addRange(e.keyBuffer, e.keyStart, e.keyEnd, e.valueBuffer, e.valueStart, e.valueEnd)
    }
    const { smallestKey: smallest, largestKey: largest } = builder.finish()
    file.sync()
    const size = file.size
    file.close()
    ok = true
    return { number, size, smallest, largest }
  } finally {
    if (!ok) removePartial(env.fs, file, path)
  }
}

function removePartial(fs: FileSystem, file: { close(): void }, path: string): void {
  try {
    file.close()
    fs.unlink(path)
  } catch {
    // an orphan table is harmless: the next open deletes files no version names
  }
}
