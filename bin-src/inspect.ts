// Reading a database directory's files without opening the database: the MANIFEST named by
// CURRENT (its edits and the version they add up to), tables and WALs. Shared by verify, dump
// and compact. Uses the engine's own decoders (a CLI may reach inside the engine); every read
// checks checksums, and damage is the engine's CORRUPTION error.
import { internalKeyComparator, bytewiseComparator } from '../engine/base/comparator.js'
import { CURRENT, joinPath, parseFileName } from '../engine/base/filenames.js'
import { kindAt, sequenceAt, TRAILER_SIZE } from '../engine/base/internal-key.js'
import { corruption } from '../engine/errors.js'
import type { FileSystem } from '../engine/fs/fs.js'
import { NodeFileSystem } from '../engine/fs/node-fs.js'
import { TableReader } from '../engine/sstable/index.js'
import type { FileMetaData } from '../engine/version/index.js'
import { VersionEdit } from '../engine/version/index.js'
import { LogReader } from '../engine/wal/index.js'
import type { DroppedRegion, WalReadMode } from '../engine/wal/index.js'

export const fs: FileSystem = new NodeFileSystem()

/** The internal-key comparator every stratadb table uses. */
export const icmp = internalKeyComparator(bytewiseComparator)

/** Bytes the engine strips from each key before the bloom filter sees it (the trailer). */
const FILTER_SUFFIX_LENGTH = TRAILER_SIZE

/** The MANIFEST file name CURRENT names. */
export function currentManifest(dir: string): string {
  const text = fs.readFile(joinPath(dir, CURRENT)).toString('utf8')
  const m = /^(MANIFEST-\d{1,16})\n$/.exec(text)
  if (!m) throw corruption(CURRENT, 0, 'CURRENT does not name a MANIFEST followed by a newline')
  return m[1]!
}

export interface ManifestRecord {
  offset: number
  edit: VersionEdit
}

export interface ManifestContents {
  name: string
  records: ManifestRecord[]
  /** A torn tail (or, in 'skip-corrupted' mode, any damage) the reader dropped. */
  dropped: readonly DroppedRegion[]
  /** files[level]: the live tables once every edit is applied. */
  files: FileMetaData[][]
  logNumber: number | undefined
  nextFileNumber: number | undefined
  lastSequence: number | undefined
  comparator: string | undefined
}

/** Reads and replays a MANIFEST; damage other than a torn tail throws CORRUPTION. */
export function readManifest(path: string, name: string, mode: WalReadMode = 'tolerate-torn-tail'): ManifestContents {
  const reader = new LogReader(fs.readFile(path), name, { mode })
  const levels: Array<Map<number, FileMetaData>> = Array.from({ length: 7 }, () => new Map())
  const out: ManifestContents = { name, records: [], dropped: reader.dropped, files: [], logNumber: undefined, nextFileNumber: undefined, lastSequence: undefined, comparator: undefined }
  for (let rec = reader.readRecord(); rec !== undefined; rec = reader.readRecord()) {
    const edit = VersionEdit.decode(rec, name, reader.lastRecordOffset)
    out.records.push({ offset: reader.lastRecordOffset, edit })
    for (const d of edit.deletedFiles) levels[d.level]!.delete(d.number)
    for (const { level, file } of edit.newFiles) levels[level]!.set(file.number, file)
    out.logNumber = edit.logNumber ?? out.logNumber
    out.nextFileNumber = edit.nextFileNumber ?? out.nextFileNumber
    out.lastSequence = edit.lastSequence ?? out.lastSequence
    out.comparator = edit.comparatorName ?? out.comparator
  }
  out.files = levels.map((m, level) => [...m.values()].sort((a, b) => (level === 0 ? a.number - b.number : icmp.compare(a.smallest, b.smallest))))
  return out
}

/** The WAL files of `dir` at or above `logNumber` (the ones replay would read), oldest first. */
export function liveLogs(dir: string, logNumber: number): Array<{ name: string; number: number }> {
  const logs: Array<{ name: string; number: number }> = []
  for (const name of fs.list(dir)) {
    const parsed = parseFileName(name)
    if (parsed?.kind === 'log' && parsed.number >= logNumber) logs.push({ name, number: parsed.number })
  }
  return logs.sort((a, b) => a.number - b.number)
}

/** Opens the table at `path` (every read checksum-verified). The caller closes it. */
export function openTable(path: string, name: string, fileNumber = 0): TableReader {
  const file = fs.openRead(path)
  try {
    return TableReader.open(file, name, { comparator: icmp, filterSuffixLength: FILTER_SUFFIX_LENGTH, fileNumber, verifyChecksums: true })
  } catch (err) {
    file.close()
    throw err
  }
}

/** An internal key's parts: user key (a view), sequence number, kind. */
export function splitInternalKey(key: Uint8Array, file = '<key>', offset = 0): { user: Uint8Array; sequence: number; kind: number } {
  if (key.length < TRAILER_SIZE) throw corruption(file, offset, `internal key of ${key.length} bytes is shorter than its trailer`)
  return { user: key.subarray(0, key.length - TRAILER_SIZE), sequence: sequenceAt(key, key.length), kind: kindAt(key, key.length) }
}
