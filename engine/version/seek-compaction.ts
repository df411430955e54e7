// Seek compaction, as in LevelDB (its allowed_seeks): a point read that has to look in more
// than one file charges the first of them, and a file that has been charged its allowance is
// compacted into the next level even though no level is over its size. Read-mostly data thus
// settles into fewer levels, so later reads probe fewer files (fewer filter checks, index
// searches and, on a filter's false positive, block reads).
//
// The allowance follows LevelDB's model: a wasted probe is worth about 16 KiB of compaction
// work (LevelDB estimates one seek ~ 40 KB compacted and halves that to be conservative), and
// every file gets at least 100, so small files are not compacted for a handful of reads.
import type { FileMetaData } from './file-metadata.js'

/** Bytes of compaction one wasted probe of a file is worth (not wire). */
export const SEEK_CHARGE_BYTES = 16 * 1024
/** The fewest probes any file is allowed (not wire). */
export const MIN_ALLOWED_SEEKS = 100

/** A file's allowance of wasted probes: its size / SEEK_CHARGE_BYTES, at least MIN_ALLOWED_SEEKS. */
export function allowedSeeksFor(fileBytes: number): number {
  return Math.max(MIN_ALLOWED_SEEKS, Math.floor(fileBytes / SEEK_CHARGE_BYTES))
}

/** A file that has used up its allowance, and its level: the next seek compaction's input. */
export interface SeekCandidate {
  readonly level: number
  readonly file: FileMetaData
}

/** Charges one wasted probe to `file`; true when that used up its allowance. */
export function chargeSeek(file: FileMetaData): boolean {
  const left = (file.allowedSeeks ?? allowedSeeksFor(file.size)) - 1
  file.allowedSeeks = left
  return left <= 0
}
