// The shapes a compaction is described by, and its size limits.
//
// A CompactionSpec (made by picker.ts) says what to merge; a CompactionResult (made by job.ts)
// says what came out. Both are plain, structured-cloneable data (numbers, booleans, arrays,
// Uint8Arrays, plain objects; no class instances, no functions), so they cross to a
// worker_threads worker and back unchanged. Nothing here is written to disk by this layer: a
// compaction reaches the MANIFEST as a VersionEdit (format-spec/manifest.md, tags 5, 6, 7).
//
// The limits are LevelDB's defaults (version_set.cc), kept until a benchmark here retunes them.
import type { FileMetaData } from '../version/index.js'

const MiB = 1024 * 1024

/** Target bytes of L1; level n (n >= 2) targets L1 x levelSizeMultiplier^(n-1). */
export const LEVEL1_MAX_BYTES = 10 * MiB

/**
 * An output file stops growing once its key range overlaps more than this many times
 * targetFileSize bytes of level+2, so a later compaction of it into level+2 stays bounded.
 * The same bound decides whether a file may move down without being rewritten.
 */
export const GRANDPARENT_OVERLAP_FACTOR = 10

/**
 * The picker widens the inputs in `level` only while inputs of both levels together stay below
 * this many times targetFileSize bytes.
 */
export const EXPANDED_COMPACTION_FACTOR = 25

/**
 * User-key ranges of the files of one level below level+1 that overlap a compaction: what the
 * job needs to decide that no deeper level can hold a key. smallest[i]..largest[i] (inclusive,
 * user keys, owned copies) is file i's range; ranges are sorted and never decrease.
 */
export interface LevelKeyRanges {
  level: number
  smallest: Uint8Array[]
  largest: Uint8Array[]
}

/** What to compact: files of `level` merged with the overlapping files of level+1. */
export interface CompactionSpec {
  /** The level compacted from; outputs go to level + 1. */
  level: number
  /** Files of `level`: by file number ascending for L0, else by key. Never empty. */
  inputs: FileMetaData[]
  /** Files of level+1 overlapping the inputs' user-key range, by key. */
  nextInputs: FileMetaData[]
  /** Files of level+2 overlapping the whole compaction's range, by key (for output cuts). */
  grandparents: FileMetaData[]
  /** One input, nothing to merge with, little grandparent overlap: move it by an edit alone. */
  isTrivialMove: boolean
  /** Picked by pickManualCompaction (compactRange); never a trivial move. */
  isManual: boolean
  /** The largest internal key of `inputs`: the level's compaction pointer once installed. */
  nextCompactPointer: Uint8Array
  /** No level below level+1 holds a key in the compaction's range (every old deletion goes). */
  bottommost: boolean
  /** For each level below level+1 with files in range, those files' user-key ranges. */
  levelFilesForDrop: LevelKeyRanges[]
}

export interface CompactionStats {
  /** Bytes of the input files (both levels). */
  bytesRead: number
  /** Bytes of the output files. */
  bytesWritten: number
  entriesIn: number
  entriesOut: number
  /** Versions dropped because a newer version hides them from every snapshot. */
  droppedObsolete: number
  /** Deletion markers dropped because no snapshot and no deeper level needs them. */
  droppedTombstones: number
}

/** The change to the file set, as plain data; applyCompactionResult turns it into a VersionEdit. */
export interface CompactionEditDescription {
  level: number
  deleted: Array<{ level: number; number: number }>
  added: Array<{ level: number; file: FileMetaData }>
  compactPointer: { level: number; key: Uint8Array }
}

export interface CompactionResult {
  /** New files of level + 1, sorted by key, disjoint (the moved file, for a trivial move). */
  outputs: FileMetaData[]
  edit: CompactionEditDescription
  stats: CompactionStats
  /** True when nothing was rewritten (the spec was a trivial move). */
  trivialMove: boolean
}
