// Opening a database: take the LOCK, read CURRENT and the MANIFEST (or create a new database),
// replay every WAL the MANIFEST does not yet cover into a memtable, write that memtable as an
// L0 table, start a fresh WAL, record it all in a new MANIFEST and delete what is obsolete.
// Recovery rules (SPEC.md, "Recovery"): a torn tail of the newest WAL is dropped; damage
// anywhere else is CORRUPTION, unless walRecovery is 'skip-corrupted'.
import { bytewiseComparator, internalKeyComparator } from '../base/comparator.js'
import { CURRENT, joinPath, LOCK, logFileName, manifestFileName, parseFileName, tableFileName } from '../base/filenames.js'
import { applyBatch, batchSequence, batchCount } from '../batch/index.js'
import { ClockCache, TableCache } from '../cache/index.js'
import { corruption, invalidArgument } from '../errors.js'
import type { FileLock } from '../fs/fs.js'
import { MemTable } from '../memtable/index.js'
import type { ResolvedOptions } from '../options.js'
import { TRAILER_SIZE } from '../base/internal-key.js'
import { type Block, BlockArena, blockArenaLimit, lz4Available, ReadScratch } from '../sstable/index.js'
import { VersionEdit, VersionSet } from '../version/index.js'
import { LogReader, LogWriter } from '../wal/index.js'
import type { WalReadMode } from '../wal/index.js'
import { Background } from './background.js'
import { DBCore } from './core.js'
import { writeLevel0Table } from './flush.js'
import { deleteObsoleteFiles } from './obsolete.js'
import { SnapshotList } from './snapshots.js'

/** Readers the table cache keeps below maxOpenFiles, for the WAL, MANIFEST and LOCK. */
const RESERVED_FILES = 10

export function openCore(dir: string, options: ResolvedOptions): DBCore {
  const { fs } = options
  if (!fs.exists(dir)) {
    if (!options.createIfMissing) throw invalidArgument(`${dir} does not exist (createIfMissing is false)`)
    fs.mkdir(dir)
  }
  const lock = fs.lock(joinPath(dir, LOCK))
  try {
    return recoverCore(dir, options, lock)
  } catch (err) {
    lock.release()
    throw err
  }
}

function recoverCore(dir: string, options: ResolvedOptions, lock: FileLock): DBCore {
  const { fs } = options
  const ucmp = bytewiseComparator
  const icmp = internalKeyComparator(ucmp)
  const versions = new VersionSet({ fs, dir, icmp, comparatorName: ucmp.name, paranoid: options.paranoidChecks })
  const exists = fs.exists(joinPath(dir, CURRENT))
  if (exists) {
    if (options.errorIfExists) throw invalidArgument(`${dir} already exists and holds a database (errorIfExists is true)`)
    versions.recover()
  } else if (!options.createIfMissing) {
    throw invalidArgument(`${dir} holds no database (createIfMissing is false)`)
  }
  lz4Available() // loads the LZ4 addon now (~4 ms), not on the first read of a compressed block
  const arenaLimit = blockArenaLimit(options.blockCacheSize)
  const blockArena = arenaLimit > 0 ? new BlockArena(arenaLimit) : undefined
  // Evicted blocks give their memory back to the arena (block-arena.ts says when it is reused).
  const blockCache = new ClockCache<Block>(options.blockCacheSize, blockArena === undefined ? {} : {
    onEvict: (block) => block.retire(blockArena),
  })
  const readScratch = new ReadScratch()
  const tableCache = new TableCache(fs, dir, Math.max(options.maxOpenFiles - RESERVED_FILES, 6), (fileNumber) => ({
    comparator: icmp,
    filterSuffixLength: TRAILER_SIZE, // tables filter user keys: read-path.ts hashes them once per get
    fileNumber,
    blockCache,
    readScratch,
    ...(blockArena === undefined ? {} : { blockArena }),
    verifyChecksums: options.paranoidChecks, // block checksums are always verified; this adds full block validation
  }))
  const core = new DBCore({
    dir, options, fs, ucmp, icmp, lock, versions, tableCache, blockCache, blockArena,
    mem: new MemTable(),
    wal: undefined as unknown as LogWriter, // set below, before anyone writes
    walNumber: 0,
    snapshots: new SnapshotList(),
  })
  core.background = new Background(core)
  versions.onVersionDropped = () => {
    if (!core.isClosed) deleteObsoleteFiles(core)
  }
  try {
    startUp(core)
  } catch (err) {
    core.background.close()
    core.versions.close()
    core.tableCache.close()
    throw err
  }
  return core
}

/** Replays the WALs, starts a new one and records the result as the first version edit. */
function startUp(core: DBCore): void {
  const { fs, dir, versions } = core
  // The replayed WALs become L0 tables, all recorded by ONE edit together with the new log
  // number, which makes every replayed log obsolete at once. A crash before that edit leaves
  // only orphan tables (deleted at the next open, which replays the same logs again); an edit
  // per table would let the next open replay a log whose records a recorded table already
  // holds, and two tables with the same internal keys cannot be merged.
  const edit = new VersionEdit()
  replayLogs(core, edit)
  writeRecovered(core, edit)
  const walNumber = versions.newFileNumber()
  core.wal = new LogWriter(fs.create(joinPath(dir, logFileName(walNumber))))
  core.walNumber = walNumber
  fs.syncDir(dir)
  // With nothing replayed the edit still starts a new MANIFEST (and, for a new database,
  // writes the first CURRENT).
  edit.logNumber = walNumber
  versions.logAndApply(edit)
  deleteObsoleteFiles(core)
  core.background.maybeCompact()
}

/**
 * A MANIFEST that lost its last edit to damage (a flipped or cut final record reads like a
 * torn append) would silently roll the database back: the files that edit retired are already
 * gone. Every table the recovered version names, and the WAL its log number names, exist as
 * long as the MANIFEST is whole (they are deleted only after a later edit is synced), so a
 * missing one means the MANIFEST is damaged: CORRUPTION, never a silent rollback.
 */
function checkManifestAgainstDirectory(core: DBCore, present: ReadonlySet<string>): void {
  const { versions } = core
  const manifest = manifestFileName(versions.manifestNumber)
  for (const files of versions.current.files) {
    for (const f of files) {
      if (!present.has(tableFileName(f.number))) {
        throw corruption(manifest, 0, `names table ${tableFileName(f.number)}, which is missing: the MANIFEST or the directory is damaged`)
      }
    }
  }
  if (versions.manifestNumber > 0 && versions.logNumber > 0 && !present.has(logFileName(versions.logNumber))) {
    throw corruption(manifest, 0, `names log ${logFileName(versions.logNumber)} as the oldest needed, which is missing: the MANIFEST lost an edit`)
  }
}

/** Writes the replayed memtable (if any) as an L0 table added to `edit`, and empties it. */
function writeRecovered(core: DBCore, edit: VersionEdit): void {
  if (core.mem.count === 0) return
  const meta = writeLevel0Table(core, core.mem)
  if (meta) edit.addFile(0, meta)
  core.mem = core.newMemTable()
}

/** Replays, oldest first, every log at or above the MANIFEST's log number, into L0 tables of `edit`. */
function replayLogs(core: DBCore, edit: VersionEdit): void {
  const { fs, dir, versions, options } = core
  const logs: number[] = []
  const present = new Set<string>()
  for (const name of fs.list(dir)) {
    const parsed = parseFileName(name)
    if (!parsed) continue
    present.add(name)
    versions.markFileNumberUsed(parsed.number)
    if (parsed.kind === 'log' && parsed.number >= versions.logNumber) logs.push(parsed.number)
  }
  checkManifestAgainstDirectory(core, present)
  logs.sort((a, b) => a - b)
  // Any WAL may end in a torn record after a power loss (retired WALs are synced off the event
  // loop). A torn tail ends the replay: writes in later WALs came after the lost ones, so
  // keeping them would leave a hole. (Synced writes are never lost this way: a synced write
  // waits for every older WAL's sync.) Damage followed by valid records is CORRUPTION, unless
  // walRecovery is 'skip-corrupted'.
  const mode: WalReadMode =
    options.walRecovery === 'skip-corrupted' ? 'skip-corrupted'
    : options.walRecovery === 'tolerate-torn-tail' && !options.paranoidChecks ? 'tolerate-torn-tail'
    : 'absolute'
  for (const number of logs) {
    const name = logFileName(number)
    const reader = new LogReader(fs.readFile(joinPath(dir, name)), name, { mode })
    for (let rec = reader.readRecord(); rec !== undefined; rec = reader.readRecord()) {
      applyBatch(rec, core.mem, name, reader.lastRecordOffset)
      const last = batchSequence(rec) + batchCount(rec) - 1
      if (last > versions.lastSequence) versions.lastSequence = last
      if (core.mem.approximateBytes >= options.memtableSize) writeRecovered(core, edit)
    }
    if (mode === 'tolerate-torn-tail' && reader.dropped.length > 0) break
  }
}
