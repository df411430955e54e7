// Shared helpers for the WAL tests: deterministic payloads, writing a log to memory, reading
// every record back, and hand-made fragments for damage the writer never produces.
import { putFixed32 } from '../../engine/base/coding.js'
import { crc32, maskCrc } from '../../engine/base/crc.js'
import { isStrataError } from '../../engine/errors.js'
import type { WritableFile } from '../../engine/fs/fs.js'
import { MemFileSystem } from '../../engine/fs/mem-fs.js'
import { BLOCK_SIZE, HEADER_SIZE } from '../../engine/wal/format.js'
import { LogReader, LogWriter } from '../../engine/wal/index.js'
import type { DroppedRegion, WalReadMode } from '../../engine/wal/index.js'

export const FILE = '000007.log'

/** n bytes of a pattern that depends on `seed`, so records differ from each other. */
export function pattern(n: number, seed = 0): Uint8Array {
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i++) out[i] = (i * 31 + seed * 17 + (i >>> 8)) & 0xff
  return out
}

/** byte i = i mod 256: the golden vectors' payload. */
export function counting(n: number): Uint8Array {
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i++) out[i] = i & 0xff
  return out
}

export interface WrittenLog {
  bytes: Buffer
  /** File offset after each record, as addRecord returned it. */
  ends: number[]
}

/** Writes `records` with a LogWriter to an in-memory file and returns the file's bytes. */
export function writeLog(records: readonly Uint8Array[]): WrittenLog {
  const fs = new MemFileSystem()
  const file = fs.create('/' + FILE)
  const writer = new LogWriter(file)
  const ends = records.map((r) => writer.addRecord(r))
  writer.close()
  return { bytes: fs.readFile('/' + FILE), ends }
}

export interface ReadResult {
  records: Uint8Array[]
  dropped: ReadonlyArray<DroppedRegion>
  /** The StrataError's code and message when reading threw; undefined when it ended. */
  error: { code: string; message: string } | undefined
}

/** Reads every record; a StrataError ends the reading and is returned, anything else throws. */
export function readAll(bytes: Uint8Array, mode: WalReadMode): ReadResult {
  const reader = new LogReader(bytes, FILE, { mode })
  const records: Uint8Array[] = []
  try {
    for (let r = reader.readRecord(); r !== undefined; r = reader.readRecord()) records.push(r)
  } catch (err) {
    if (!isStrataError(err)) throw err
    return { records, dropped: reader.dropped, error: { code: err.code, message: err.message } }
  }
  return { records, dropped: reader.dropped, error: undefined }
}

/** One framed fragment with a correct checksum (or the given wrong one), for crafted files. */
export function fragment(type: number, payload: Uint8Array, checksum?: number): Uint8Array {
  const out = new Uint8Array(HEADER_SIZE + payload.length)
  out[4] = payload.length & 0xff
  out[5] = payload.length >>> 8
  out[6] = type
  out.set(payload, HEADER_SIZE)
  putFixed32(out, 0, checksum ?? maskCrc(crc32(out, 6, out.length)))
  return out
}

export function concat(...parts: Uint8Array[]): Buffer {
  return Buffer.concat(parts)
}

/** Zero bytes up to the next block boundary after `length` bytes. */
export function padToBlock(length: number): Uint8Array {
  return new Uint8Array((BLOCK_SIZE - (length % BLOCK_SIZE)) % BLOCK_SIZE)
}

export function hex(u: Uint8Array): string {
  return Buffer.from(u.buffer, u.byteOffset, u.byteLength).toString('hex')
}

/** A WritableFile that counts appends and can be told to fail. */
export class CountingFile implements WritableFile {
  appends = 0
  syncs = 0
  failAppend = false
  failSync = false
  closed = false
  private readonly chunks: Buffer[] = []
  private length: number

  constructor(initialSize = 0) {
    this.length = initialSize
    if (initialSize > 0) this.chunks.push(Buffer.alloc(initialSize))
  }

  append(data: Uint8Array, start = 0, end = data.length): void {
    if (this.failAppend) throw Object.assign(new Error('injected append failure'), { injected: true })
    this.appends++
    this.chunks.push(Buffer.from(data.subarray(start, end)))
    this.length += end - start
  }

  sync(): void {
    if (this.failSync) throw Object.assign(new Error('injected sync failure'), { injected: true })
    this.syncs++
  }

  syncAsync(): Promise<void> {
    try {
      this.sync()
      return Promise.resolve()
    } catch (err) {
      return Promise.reject(err)
    }
  }

  get size(): number {
    return this.length
  }

  close(): void {
    this.closed = true
  }

  bytes(): Buffer {
    return Buffer.concat(this.chunks)
  }
}
