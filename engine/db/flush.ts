// Flush: an immutable memtable becomes an L0 SSTable, recorded in the MANIFEST together with
// the new log number, after which the WAL that fed it is obsolete. The table is fdatasynced and
// the directory synced before the MANIFEST names it, so a recorded table always exists.
import { joinPath, tableFileName } from '../base/filenames.js'
import type { InternalIterator } from '../base/internal-iterator.js'
import { copyBytes } from '../base/bytes.js'
import type { StrataError } from '../errors.js'
import type { MemTable } from '../memtable/index.js'
import { TableBuilder } from '../sstable/index.js'
import type { FileMetaData } from '../version/index.js'
import { VersionEdit } from '../version/index.js'
import type { DBCore } from './core.js'
import { deleteObsoleteFiles } from './obsolete.js'

/**
 * Writes every entry of `iter` (already positioned by the caller's seekToFirst) into table
 * `number`; returns its metadata, or undefined (and no file) when `iter` is empty.
 */
export function buildTable(core: DBCore, number: number, iter: InternalIterator): FileMetaData | undefined {
  iter.seekToFirst()
  if (!iter.valid()) return undefined
  const { fs, dir, options, icmp } = core
  const path = joinPath(dir, tableFileName(number))
  const file = fs.create(path)
  let ok = false
  try {
    const builder = new TableBuilder(file, {
      comparator: icmp,
      blockSize: options.blockSize,
      blockRestartInterval: options.blockRestartInterval,
      bloomBitsPerKey: options.bloomBitsPerKey,
      compression: options.compression,
      filterSuffixLength: 8,
    })
    const smallest = copyBytes(iter.key())
    let largest: Uint8Array = smallest
    for (; iter.valid(); iter.next()) {
      largest = iter.key()
      builder.add(largest, iter.value())
    }
    largest = copyBytes(largest)
    builder.finish()
    file.sync()
    const size = file.size
    file.close()
    ok = true
    return { number, size, smallest, largest }
  } finally {
    if (!ok) {
      file.close()
      try {
        fs.unlink(path)
      } catch {
        // the failed table is an orphan either way; the next open's cleanup removes it
      }
    }
  }
}

/**
 * Flushes `core.imm` (which must be set) to L0 and installs it with `core.walNumber` as the log
 * number, so older WALs become obsolete and are deleted. A failure is sticky: the memtable's
 * writes are still safe in their WAL, and reopening replays them.
 */
export function flushImmutable(core: DBCore): void {
  const imm = core.imm
  if (!imm) return
  try {
    installLevel0(core, imm, core.walNumber)
  } catch (err) {
    core.backgroundError ??= err as StrataError
    throw err
  }
  core.imm = undefined
  deleteObsoleteFiles(core)
}

/** Builds `mem` into an L0 table and logs it with `logNumber` as the oldest log still needed. */
export function installLevel0(core: DBCore, mem: MemTable, logNumber: number): void {
  const edit = new VersionEdit()
  const number = core.versions.newFileNumber()
  const iter = mem.iterator()
  let meta: FileMetaData | undefined
  try {
    meta = buildTable(core, number, iter)
  } finally {
    iter.close()
  }
  if (meta) {
    core.fs.syncDir(core.dir)
    edit.addFile(0, meta)
    core.counters.bytesFlushed += meta.size
    core.counters.flushes++
  }
  edit.logNumber = logNumber
  core.versions.logAndApply(edit)
}
