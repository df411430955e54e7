// The compaction job: merges a CompactionSpec's input files into new tables for level+1.
// Pure synchronous work over a FileSystem, so it runs the same inline or in a worker thread;
// its result is plain data (format.ts) that applyCompactionResult turns into a VersionEdit.
//
// What survives (the merged stream brings each user key's versions newest first):
//   - a version whose next newer version of the same user key (kept or not) has a sequence at
//     or below smallestSnapshot is hidden from every reader: dropped ("obsolete");
//   - a deletion at or below smallestSnapshot whose user key no level below level+1 can hold
//     is dropped ("tombstone"); the versions under it then go by the first rule;
//   - everything else is kept.
// Outputs are cut at user-key boundaries only (a user key lives in exactly one output), once
// the current output reaches targetFileSize, or once the keys it covers overlap more than
// GRANDPARENT_OVERLAP_FACTOR x targetFileSize bytes of level+2 files.
//
// Hot loop: no allocation per entry beyond what TableBuilder keeps; user keys are compared by
// range against one reused buffer. Damage in the inputs throws CORRUPTION; on any failure the
// outputs made so far are removed and the error is rethrown.
import { bytewiseComparator, internalKeyComparator, type Comparator } from '../base/comparator.js'
import { joinPath, tableFileName } from '../base/filenames.js'
import { newEntrySpan, type EntryRanges, type InternalIterator } from '../base/internal-iterator.js'
import { KIND_DELETION, KIND_VALUE, kindAt, sequenceAt, TRAILER_SIZE } from '../base/internal-key.js'
import { corruption, invalidArgument, type StrataError } from '../errors.js'
import type { FileSystem, WritableFile } from '../fs/fs.js'
import { mergeIterators } from '../iterator/index.js'
import type { Compression } from '../options.js'
import { BlockRecycler, TableBuilder, TableReader } from '../sstable/index.js'
import type { FileMetaData, TableOpener, VersionEdit } from '../version/index.js'
import { LevelIterator } from '../version/index.js'
import type { CompactionResult, CompactionSpec, CompactionStats } from './format.js'
import { GRANDPARENT_OVERLAP_FACTOR } from './format.js'

/** How output tables are built: plain data, the table-format subset of ResolvedOptions. */
export interface CompactionTableOptions {
  readonly blockSize: number
  readonly blockRestartInterval: number
  readonly bloomBitsPerKey: number
  readonly compression: Compression
}

export interface CompactionEnv {
  readonly fs: FileSystem
  readonly dir: string
  readonly table: CompactionTableOptions
  /** Bytes after which an output is cut (at the next user key). */
  readonly targetFileSize: number
  /**
   * Versions at or below this sequence are visible to the oldest reader: the oldest live
   * snapshot's sequence, or the last sequence when there is no snapshot.
   */
  readonly smallestSnapshot: number
  /** A fresh table number per output (a worker gets them from a range allocated in advance). */
  readonly allocateFileNumber: () => number
  /** Opens an input table; default: through `fs` with a TableReader of its own. */
  readonly openTable?: TableOpener
  /** The user-key order; default bytewise. `icmp`, if given, must be its internal-key form. */
  readonly ucmp?: Comparator
  readonly icmp?: Comparator
  /** Fully decode and order-check each input block as it is read (paranoid mode). */
  readonly verifyChecksums?: boolean
  /**
   * Runs every INTERLEAVE_ENTRIES input entries: the worker takes a waiting flush there, so a
   * long compaction never holds a full memtable up (LevelDB's compaction loop checks for an
   * immutable memtable the same way).
   */
  readonly interleave?: () => void
}

/** Input entries between two calls of CompactionEnv.interleave. */
export const INTERLEAVE_ENTRIES = 1024

/** Runs the compaction `spec` describes. A trivial move does no I/O. */
export function runCompaction(spec: CompactionSpec, env: CompactionEnv): CompactionResult {
  if (spec.isTrivialMove) return trivialMoveResult(spec)
  const ucmp = env.ucmp ?? bytewiseComparator
  const icmp = env.icmp ?? internalKeyComparator(ucmp)
  const { targetFileSize } = env
  if (!Number.isInteger(targetFileSize) || targetFileSize < 1) {
    throw invalidArgument(`compaction: targetFileSize must be a positive integer, got ${String(targetFileSize)}`)
  }
  const stats: CompactionStats = {
    bytesRead: 0, bytesWritten: 0, entriesIn: 0, entriesOut: 0, droppedObsolete: 0, droppedTombstones: 0,
  }
  for (const f of spec.inputs) stats.bytesRead += f.size
  for (const f of spec.nextInputs) stats.bytesRead += f.size
  const outputs = new CompactionOutputs(spec, env, icmp)
  const input = openInputs(spec, env, icmp)
  try {
    mergeEntries(spec, input, outputs, ucmp, env.smallestSnapshot, stats, env.interleave)
    outputs.finish()
  } catch (err) {
    outputs.abandon()
    throw err
  } finally {
    input.close()
  }
  stats.bytesWritten = outputs.bytesWritten
  stats.entriesOut = outputs.entriesOut
  return {
    outputs: outputs.files,
    edit: {
      level: spec.level,
      deleted: deletedInputs(spec),
      added: outputs.files.map((file) => ({ level: spec.level + 1, file })),
      compactPointer: { level: spec.level, key: spec.nextCompactPointer },
    },
    stats,
    trivialMove: false,
  }
}

/** The result of a trivial move: the one input file, unchanged, one level down. */
export function trivialMoveResult(spec: CompactionSpec): CompactionResult {
  const file = spec.inputs[0]
  if (spec.inputs.length !== 1 || file === undefined || spec.nextInputs.length !== 0) {
    throw invalidArgument('a trivial move needs exactly one input and no level+1 inputs')
  }
  return {
    outputs: [file],
    edit: {
      level: spec.level,
      deleted: [{ level: spec.level, number: file.number }],
      added: [{ level: spec.level + 1, file }],
      compactPointer: { level: spec.level, key: spec.nextCompactPointer },
    },
    stats: { bytesRead: 0, bytesWritten: 0, entriesIn: 0, entriesOut: 0, droppedObsolete: 0, droppedTombstones: 0 },
    trivialMove: true,
  }
}

/**
 * Records `result` in `edit`: inputs deleted, outputs added to level+1, the new compaction
 * pointer. INVALID_ARGUMENT when the result is not `spec`'s.
 */
export function applyCompactionResult(edit: VersionEdit, spec: CompactionSpec, result: CompactionResult): VersionEdit {
  const d = result.edit
  if (d.level !== spec.level || d.deleted.length !== spec.inputs.length + spec.nextInputs.length) {
    throw invalidArgument(`compaction result does not belong to this L${spec.level} compaction`)
  }
  for (const { level, number } of d.deleted) edit.deleteFile(level, number)
  for (const { level, file } of d.added) edit.addFile(level, file)
  edit.compactPointers.push({ level: d.compactPointer.level, key: d.compactPointer.key })
  return edit
}

function deletedInputs(spec: CompactionSpec): Array<{ level: number; number: number }> {
  return [
    ...spec.inputs.map((f) => ({ level: spec.level, number: f.number })),
    ...spec.nextInputs.map((f) => ({ level: spec.level + 1, number: f.number })),
  ]
}

/** The merge loop (see the header for the rules). */
function mergeEntries(
  spec: CompactionSpec, iter: InternalIterator & EntryRanges, out: CompactionOutputs, ucmp: Comparator,
  smallestSnapshot: number, stats: CompactionStats, interleave: (() => void) | undefined,
): void {
  const deeper = new DeeperLevels(spec, ucmp)
  let current = new Uint8Array(64) // the current user key (with its first trailer)
  let currentLength = -1 // user-key bytes in `current`; -1 before the first entry
  let previousSequence = Number.POSITIVE_INFINITY // of the newer version of the current user key
  const span = newEntrySpan() // each value is copied from its block without a view
  for (iter.seekToFirst(); iter.valid(); iter.next()) {
    const key = iter.key()
    const keyLength = key.length
    if (keyLength < TRAILER_SIZE) throw damaged(spec, stats.entriesIn, 'key shorter than its trailer')
    const userLength = keyLength - TRAILER_SIZE
    const sequence = sequenceAt(key, keyLength)
    const kind = kindAt(key, keyLength)
    if (kind !== KIND_VALUE && kind !== KIND_DELETION) throw damaged(spec, stats.entriesIn, `unknown entry kind ${kind}`)
    const c = currentLength < 0 ? 1 : ucmp.compareRange(key, 0, userLength, current, 0, currentLength)
    if (c > 0) {
      if (current.length < keyLength) current = new Uint8Array(keyLength * 2)
      current.set(key)
      currentLength = userLength
      previousSequence = Number.POSITIVE_INFINITY
      out.startUserKey(key)
    } else if (c < 0 || sequence >= previousSequence) {
      throw damaged(spec, stats.entriesIn, 'keys out of order')
    }
    if (++stats.entriesIn % INTERLEAVE_ENTRIES === 0) interleave?.()
    if (previousSequence <= smallestSnapshot) {
      stats.droppedObsolete++
    } else if (kind === KIND_DELETION && sequence <= smallestSnapshot && deeper.cannotHold(current, currentLength)) {
      stats.droppedTombstones++
    } else {
      iter.entryRanges(span)
      out.add(key, span.valueBuffer, span.valueStart, span.valueEnd)
    }
    previousSequence = sequence
  }
}

function damaged(spec: CompactionSpec, entry: number, what: string): StrataError {
  return corruption(`compaction of L${spec.level}+L${spec.level + 1}`, entry, `input entry ${entry}: ${what}`)
}

/**
 * "No level below level+1 can hold this user key", for keys asked in increasing order: one
 * cursor per level walks its sorted ranges forward, so the whole compaction costs one pass.
 */
class DeeperLevels {
  private readonly cursors: Int32Array

  constructor(private readonly spec: CompactionSpec, private readonly ucmp: Comparator) {
    this.cursors = new Int32Array(spec.levelFilesForDrop.length)
  }

  /** REQUIRES: user keys asked in non-decreasing order. */
  cannotHold(key: Uint8Array, length: number): boolean {
    const levels = this.spec.levelFilesForDrop
    for (let l = 0; l < levels.length; l++) {
      const { smallest, largest } = levels[l]!
      let i = this.cursors[l]!
      while (i < largest.length && this.ucmp.compareRange(key, 0, length, largest[i]!, 0, largest[i]!.length) > 0) i++
      this.cursors[l] = i
      const s = smallest[i]
      if (s !== undefined && this.ucmp.compareRange(key, 0, length, s, 0, s.length) >= 0) return false
    }
    return true
  }
}

/** One merged iterator over the inputs: L0 files newest first, else one cursor per level. */
function openInputs(spec: CompactionSpec, env: CompactionEnv, icmp: Comparator): InternalIterator & EntryRanges {
  const open = env.openTable ?? defaultOpener(env, icmp)
  const children: LevelIterator[] = []
  if (spec.level === 0) {
    const newestFirst = [...spec.inputs].sort((a, b) => b.number - a.number)
    for (const f of newestFirst) children.push(new LevelIterator([f], icmp, open))
  } else {
    children.push(new LevelIterator(spec.inputs, icmp, open))
  }
  if (spec.nextInputs.length > 0) children.push(new LevelIterator(spec.nextInputs, icmp, open))
  return mergeIterators(icmp, children)
}

/**
 * Opens a table through env.fs with its own reader (no block cache); checks its size. The
 * tables of one compaction read their blocks into one BlockRecycler: the merge loop copies
 * every entry before its input moves on, so a block's memory is reused once left.
 */
function defaultOpener(env: CompactionEnv, icmp: Comparator): TableOpener {
  const recycler = new BlockRecycler()
  return (f: FileMetaData) => {
    const name = tableFileName(f.number)
    const file = env.fs.openRead(joinPath(env.dir, name))
    let reader: TableReader
    try {
      if (file.size !== f.size) throw corruption(name, 0, `table is ${file.size} bytes, the MANIFEST says ${f.size}`)
      reader = TableReader.open(file, name, {
        comparator: icmp,
        filterSuffixLength: TRAILER_SIZE,
        fileNumber: f.number,
        verifyChecksums: env.verifyChecksums ?? false,
      })
    } catch (err) {
      file.close()
      throw err
    }
    return { iter: reader.iterator(recycler), release: () => reader.close() }
  }
}

/**
 * The output tables of one compaction: opens one on the first kept entry after a cut, cuts at
 * user-key boundaries (startUserKey), and finishes each with an fdatasync and a close.
 */
class CompactionOutputs {
  readonly files: FileMetaData[] = []
  bytesWritten = 0
  entriesOut = 0
  private builder: TableBuilder | undefined
  private file: WritableFile | undefined
  private number = 0
  /** Every table this compaction created, finished or not (removed on failure). */
  private readonly created: string[] = []
  private readonly targetFileSize: number
  private readonly maxGrandparentOverlap: number
  private grandparentIndex = 0
  private grandparentOverlap = 0
  private seenKey = false

  constructor(private readonly spec: CompactionSpec, private readonly env: CompactionEnv, private readonly icmp: Comparator) {
    this.targetFileSize = env.targetFileSize
    this.maxGrandparentOverlap = GRANDPARENT_OVERLAP_FACTOR * env.targetFileSize
  }

  /**
   * A new user key begins with internal key `key` (its newest version): the one place an
   * output may end. Ends it when it has reached targetFileSize, or when the grandparents
   * passed since the last cut overlap too many bytes.
   */
  startUserKey(key: Uint8Array): void {
    const grandparents = this.spec.grandparents
    while (this.grandparentIndex < grandparents.length &&
      this.icmp.compare(key, grandparents[this.grandparentIndex]!.largest) > 0) {
      if (this.seenKey) this.grandparentOverlap += grandparents[this.grandparentIndex]!.size
      this.grandparentIndex++
    }
    this.seenKey = true
    let cut = false
    if (this.grandparentOverlap > this.maxGrandparentOverlap) {
      this.grandparentOverlap = 0
      cut = true
    }
    const builder = this.builder
    if (builder !== undefined && (cut || builder.fileSize >= this.targetFileSize)) this.finishOutput()
  }

  /** Adds key -> value[valueStart, valueEnd). */
  add(key: Uint8Array, value: Uint8Array, valueStart: number, valueEnd: number): void {
    if (this.builder === undefined) this.openOutput()
    this.builder!.addRange(key, 0, key.length, value, valueStart, valueEnd)
    this.entriesOut++
  }

  /** Finishes the last output and makes the new names durable (one directory sync). */
  finish(): void {
    if (this.builder !== undefined) this.finishOutput()
    if (this.files.length > 0) this.env.fs.syncDir(this.env.dir)
  }

  /** After a failure: drops the open output and removes every table this compaction created. */
  abandon(): void {
    this.builder?.abandon()
    this.builder = undefined
    const file = this.file
    this.file = undefined
    for (const step of [() => file?.close(), ...this.created.map((path) => () => this.env.fs.unlink(path))]) {
      try {
        step()
      } catch {
        // The original failure is what the caller must see. A table left behind is named by
        // no version and numbered above every installed one: the next open removes it.
      }
    }
  }

  private openOutput(): void {
    const { table, fs, dir } = this.env
    this.number = this.env.allocateFileNumber()
    const path = joinPath(dir, tableFileName(this.number))
    const file = fs.create(path)
    this.created.push(path)
    this.file = file
    this.builder = new TableBuilder(file, {
      comparator: this.icmp,
      blockSize: table.blockSize,
      blockRestartInterval: table.blockRestartInterval,
      bloomBitsPerKey: table.bloomBitsPerKey,
      compression: table.compression,
      filterSuffixLength: TRAILER_SIZE,
    })
  }

  private finishOutput(): void {
    const properties = this.builder!.finish()
    const file = this.file!
    file.sync()
    const size = file.size
    file.close()
    this.builder = undefined
    this.file = undefined
    this.files.push({ number: this.number, size, smallest: properties.smallestKey, largest: properties.largestKey })
    this.bytesWritten += size
  }
}
