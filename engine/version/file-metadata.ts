// FileMetaData: what a version knows of one SSTable: its number, size and key range.

export interface FileMetaData {
  readonly number: number
  /** File size in bytes. */
  readonly size: number
  /** Smallest and largest internal keys in the file (owned copies). */
  readonly smallest: Uint8Array
  readonly largest: Uint8Array
  /**
   * Point reads this file may still cost before it is compacted (seek compaction, as in
   * LevelDB: see seek-compaction.ts). In memory only, never persisted; set when the file
   * joins a version.
   */
  allowedSeeks?: number
}
