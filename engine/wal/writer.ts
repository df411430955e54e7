// LogWriter: frames records into the write-ahead log's 32 KiB blocks and appends them to a file.
// Format: format-spec/wal.md, "Blocks", "Fragments" and "How the writer splits a record".
//
// A record's framed bytes (block padding, fragment headers, payload) are built in a reusable
// scratch buffer and handed to the file in ONE append, since each append is a system call.
// Records framed larger than MAX_SCRATCH are appended in scratch-sized pieces instead.
//
// After any failed append or sync the writer refuses all further writes and syncs: the file's
// content and position are then unknown, and a failed fsync must never be retried as if the
// data were safe.
import { putFixed32 } from '../base/coding.js'
import { crc32, maskCrc } from '../base/crc.js'
import { StrataError, closed, invalidArgument } from '../errors.js'
import type { WritableFile } from '../fs/fs.js'
import {
  BLOCK_SIZE, CHECKSUM_OFFSET, HEADER_SIZE, LENGTH_OFFSET, MAX_FRAGMENT_PAYLOAD, TYPE_OFFSET,
  TYPE_FIRST, TYPE_FULL, TYPE_LAST, TYPE_MIDDLE,
} from './format.js'

/** Scratch size at first; it doubles as records need. Not wire: any size works. */
const INITIAL_SCRATCH = 4 * 1024
/** The scratch never grows past this; must hold one whole fragment plus padding. */
const MAX_SCRATCH = 1024 * 1024

/** CRC-32 of the single type byte, per type: the seed that the payload's CRC continues from. */
const TYPE_CRC: readonly number[] = Object.freeze([0, 1, 2, 3, 4].map((t) => crc32(Uint8Array.of(t))))

/** Upper bound on the framed size of a record of n bytes: padding, n, and its headers. */
function framedBound(n: number): number {
  return HEADER_SIZE - 1 + n + HEADER_SIZE * (Math.floor(n / MAX_FRAGMENT_PAYLOAD) + 2)
}

/** Appends records to one log file. Not safe for concurrent use; one writer per file. */
export class LogWriter {
  private readonly file: WritableFile
  /** File offset after the last byte handed to the file. */
  private offset: number
  private scratch: Uint8Array = new Uint8Array(INITIAL_SCRATCH)
  /** Bytes of `scratch` framed but not yet appended. */
  private used = 0
  private failure: unknown = undefined
  private isClosed = false

  /**
   * Continues the file at its current size: block arithmetic counts from offset 0, so a writer
   * on a file that another writer left mid-block pads and fragments exactly as that one would.
   */
  constructor(file: WritableFile) {
    this.file = file
    this.offset = file.size
  }

  /** File offset after the last record (the log's size as this writer has made it). */
  get size(): number {
    return this.offset
  }

  /**
   * Appends data[start, end) as one record. Returns the file offset after the record. When it
   * returns, the bytes are handed to the OS (they survive a crash of the process); call
   * `sync` for power loss. Throws INVALID_ARGUMENT for a bad range, CLOSED after `close`,
   * IO_ERROR on a failed append (and on every call after one).
   */
  addRecord(data: Uint8Array, start = 0, end: number = data.length): number {
    this.checkWritable()
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || start > end || end > data.length) {
      throw invalidArgument(`log record range [${start}, ${end}) is outside the ${data.length}-byte input`)
    }
    this.reserve(framedBound(end - start))
    let pos = this.offset
    let p = start
    let first = true
    try {
      do {
        let left = BLOCK_SIZE - (pos % BLOCK_SIZE)
        if (left < HEADER_SIZE) {
          this.zeros(left)
          pos += left
          left = BLOCK_SIZE
        }
        const n = Math.min(end - p, left - HEADER_SIZE)
        const last = p + n === end
        const type = first ? (last ? TYPE_FULL : TYPE_FIRST) : last ? TYPE_LAST : TYPE_MIDDLE
        this.fragment(type, data, p, n)
        pos += HEADER_SIZE + n
        p += n
        first = false
      } while (p < end)
      this.flush()
    } finally {
      this.used = 0
    }
    this.offset = pos
    return pos
  }

  /** fdatasync: every record added so far is on stable storage when it returns. */
  sync(): void {
    this.checkWritable()
    try {
      this.file.sync()
    } catch (err) {
      this.failure = err
      throw err
    }
  }

  /** As `sync`, without blocking the event loop. A failure rejects and poisons the writer. */
  syncAsync(): Promise<void> {
    try {
      this.checkWritable()
    } catch (err) {
      return Promise.reject(err)
    }
    return this.file.syncAsync().then(undefined, (err: unknown) => {
      this.failure = err
      throw err
    })
  }

  /** Closes the file (records not synced stay in the OS's hands). Idempotent. */
  close(): void {
    if (this.isClosed) return
    this.isClosed = true
    this.scratch = new Uint8Array(0)
    this.file.close()
  }

  private checkWritable(): void {
    if (this.isClosed) throw closed('log writer')
    if (this.failure !== undefined) {
      const detail = this.failure instanceof Error ? this.failure.message : String(this.failure)
      throw new StrataError('IO_ERROR', `log writer refuses writes after an earlier failure: ${detail}`, { cause: this.failure })
    }
  }

  /** Grows the scratch (up to MAX_SCRATCH) so that `bytes` framed bytes fit without a flush. */
  private reserve(bytes: number): void {
    if (bytes <= this.scratch.length || this.scratch.length >= MAX_SCRATCH) return
    let size = this.scratch.length * 2
    while (size < bytes && size < MAX_SCRATCH) size *= 2
    this.scratch = new Uint8Array(Math.min(size, MAX_SCRATCH))
  }

  /** Frames `count` zero bytes of block trailer. */
  private zeros(count: number): void {
    if (this.used + count > this.scratch.length) this.flush()
    this.scratch.fill(0, this.used, this.used + count)
    this.used += count
  }

  /** Frames one fragment: header, then data[p, p + n). */
  private fragment(type: number, data: Uint8Array, p: number, n: number): void {
    if (this.used + HEADER_SIZE + n > this.scratch.length) this.flush()
    const s = this.scratch
    const h = this.used
    const whole = p === 0 && n === data.length
    s[h + LENGTH_OFFSET] = n & 0xff
    s[h + LENGTH_OFFSET + 1] = n >>> 8
    s[h + TYPE_OFFSET] = type
    s.set(whole ? data : data.subarray(p, p + n), h + HEADER_SIZE)
    putFixed32(s, h + CHECKSUM_OFFSET, maskCrc(crc32(data, p, p + n, TYPE_CRC[type]!)))
    this.used = h + HEADER_SIZE + n
  }

  /** Hands the framed bytes to the file. A failure poisons the writer. */
  private flush(): void {
    const n = this.used
    this.used = 0
    try {
      this.file.append(this.scratch, 0, n)
    } catch (err) {
      this.failure = err
      throw err
    }
  }
}
