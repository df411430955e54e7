// The engine's file-system interface: every byte stratadb reads or writes goes through one of
// these, so a test can swap in an in-memory or fault-injecting file system (fault-fs.ts) and
// crash it. Implementations: node-fs.ts (the real one), mem-fs.ts (tests).
//
// Contract for all methods: a failure throws a StrataError (IO_ERROR, or LOCKED from `lock`),
// with the OS error as `cause` (its `code`, e.g. 'ENOENT', is kept there). No method is async
// except `syncAsync`, which runs the sync off the main thread.

/** A file opened for appending. Writes are sequential; there is one writer per file. */
export interface WritableFile {
  /**
   * Appends data[start, end) at the end of the file. When it returns, the bytes are handed to
   * the OS: they survive a crash of this process, not a power loss. A short write is retried
   * until all bytes are written or an error is thrown.
   */
  append(data: Uint8Array, start?: number, end?: number): void
  /** fdatasync: the bytes appended so far are on stable storage when it returns. */
  sync(): void
  /** As `sync`, without blocking the event loop. */
  syncAsync(): Promise<void>
  /** Bytes appended so far (the file's size, as this writer has made it). */
  readonly size: number
  /** Closes the file. Unsynced bytes stay in the OS's hands. Idempotent. */
  close(): void
}

/** A file opened for positional reads. Safe to share; reads do not move any cursor. */
export interface RandomAccessFile {
  /**
   * Reads up to `length` bytes at `position` into into[intoOffset, ...). Returns the number of
   * bytes read: fewer than `length` only at the end of the file.
   */
  read(position: number, length: number, into: Uint8Array, intoOffset: number): number
  /** The file's size when it was opened. */
  readonly size: number
  close(): void
}

/** A held directory lock. */
export interface FileLock {
  /** Gives the lock up. Idempotent. */
  release(): void
}

export interface FileSystem {
  /** Creates `path` (truncating an existing file) and opens it for appending. */
  create(path: string): WritableFile
  /** Opens an existing file for reading; IO_ERROR with cause code ENOENT if missing. */
  openRead(path: string): RandomAccessFile
  /** The whole content of a file. */
  readFile(path: string): Buffer
  exists(path: string): boolean
  /** Size in bytes of an existing file. */
  size(path: string): number
  /** Names (not paths) of the entries of a directory, in no particular order. */
  list(dir: string): string[]
  /** Creates a directory and any missing parents; no error if it exists. */
  mkdir(dir: string): void
  /** Removes an empty directory. */
  rmdir(dir: string): void
  /** Atomically replaces `to` with `from`. Durable only after `syncDir` of the directory. */
  rename(from: string, to: string): void
  /** Removes a file. Durable only after `syncDir` of the directory. */
  unlink(path: string): void
  /** Makes the directory's entries (creations, renames, removals) durable. */
  syncDir(dir: string): void
  /**
   * Takes the lock file at `path` for this process. Throws LOCKED if another holder (another
   * process, or another open database in this process) has it. A lock left by a process that
   * no longer runs is reclaimed. Format: format-spec/directory.md, "LOCK".
   */
  lock(path: string): FileLock
}

/** True when `err` is a file-system error for a missing file. */
export function isNotFound(err: unknown): boolean {
  const cause = (err as { cause?: { code?: unknown } } | null)?.cause
  return cause?.code === 'ENOENT'
}
