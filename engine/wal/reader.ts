// LogReader: reads records back from a write-ahead log file's bytes, checking every fragment,
// and deals with damage as its recovery mode says.
// Format: format-spec/wal.md, "Reading a log" (damage kinds, and what each mode does).
import { corruption } from '../errors.js'
import type { StrataError } from '../errors.js'
import { HEADER_SIZE, MAX_TYPE, TYPE_FIRST, TYPE_FULL, TYPE_LAST, TYPE_MIDDLE, TYPE_OFFSET, TYPE_ZERO, typeName } from './format.js'
import { allZero, blockEndOf, checksumMatches, lengthAt, validFragmentAfter } from './scan.js'

/**
 * What a reader does with damage:
 * - 'absolute': any damage, a torn tail included, throws CORRUPTION.
 * - 'tolerate-torn-tail': damage with no checksummed fragment anywhere after it is a torn
 *   write: it is reported in `dropped` and reading ends there. Any other damage throws.
 * - 'skip-corrupted': damage is reported in `dropped` and skipped; reading resumes at the next
 *   block (or fragment, where the damaged one's length can be trusted). Never throws.
 */
export type WalReadMode = 'tolerate-torn-tail' | 'skip-corrupted' | 'absolute'

export interface LogReaderOptions {
  readonly mode: WalReadMode
}

/** A stretch of the file that held no returned record: bytes [offset, offset + bytes). */
export interface DroppedRegion {
  readonly offset: number
  readonly bytes: number
  readonly reason: string
}

/** Damage whose tail end is the end of the file: nothing can follow it. */
const TORN = 0
/** Bytes that are not a fragment; its length field cannot be trusted either. */
const BAD = 1
/** A fragment with a good checksum that does not fit where it is. */
const MISPLACED = 2
type Damage = typeof TORN | typeof BAD | typeof MISPLACED

/** nextFragment's results other than a fragment type. */
const END = -1
const DAMAGED = -2

const RESYNC_REASON = 'fragment of a dropped record'

/**
 * Reads the records of one log file, in order. `bytes` is the whole file (the caller reads it);
 * `fileName` names it in error messages (`000007.log@98304: chunk checksum mismatch`).
 */
export class LogReader {
  /** File offset of the first fragment of the record `readRecord` last returned; -1 before. */
  lastRecordOffset = -1
  /** File offset just after the record `readRecord` last returned; 0 before. */
  lastRecordEnd = 0

  private readonly bytes: Uint8Array
  private readonly end: number
  private readonly fileName: string
  private readonly mode: WalReadMode
  private readonly droppedRegions: DroppedRegion[] = []
  /** Offset of the next fragment header (or block trailer). */
  private pos = 0
  private finished = false
  /** Offset of the FIRST fragment of the record being assembled; -1 when none. */
  private recordStart = -1
  /** Payload offset and length of each fragment of that record, flattened; reused. */
  private readonly parts: number[] = []
  private recordLength = 0
  /** Skipping MIDDLE and LAST fragments of a record dropped by skip-corrupted. */
  private resyncing = false
  /** The fragment nextFragment returned: header offset, payload length. */
  private fragmentOffset = 0
  private fragmentLength = 0
  /** buf[zeroFrom, zeroTo) is known to be zero and buf[zeroTo] not (or zeroTo = end). */
  private zeroFrom = 1
  private zeroTo = 0
  /** The CORRUPTION thrown, thrown again by every later readRecord. */
  private failure: StrataError | undefined = undefined

  constructor(bytes: Uint8Array, fileName: string, options: LogReaderOptions) {
    this.bytes = bytes
    this.end = bytes.length
    this.fileName = fileName
    this.mode = options.mode
  }

  /** Every damaged or torn region dropped so far, in file order. */
  get dropped(): ReadonlyArray<DroppedRegion> {
    return this.droppedRegions
  }

  /**
   * The next record, or undefined at the end of the log. A record that was one FULL fragment
   * is a view into `bytes`; a fragmented one is an assembled copy. Either stays valid as long
   * as `bytes` does. Throws CORRUPTION as the mode says, and again on every later call;
   * nothing else.
   */
  readRecord(): Uint8Array | undefined {
    if (this.failure) throw this.failure
    while (!this.finished) {
      const type = this.nextFragment()
      if (type === DAMAGED) continue
      if (type === END) {
        if (this.recordStart >= 0) this.damage(this.recordStart, 'record cut by the end of the file: no LAST fragment', TORN, this.end)
        this.finished = true
        break
      }
      const offset = this.fragmentOffset
      const payload = offset + HEADER_SIZE
      const fragmentEnd = payload + this.fragmentLength
      if (type === TYPE_FULL || type === TYPE_FIRST) {
        this.resyncing = false
        if (this.recordStart >= 0) this.damage(offset, `partial record followed by a ${typeName(type)} fragment`, MISPLACED, offset)
        if (type === TYPE_FULL) return this.returned(offset, fragmentEnd, this.bytes.subarray(payload, fragmentEnd))
        this.recordStart = offset
        this.parts.length = 0
        this.recordLength = 0
        this.addPart(payload, this.fragmentLength)
        continue
      }
      if (this.recordStart < 0) {
        if (this.resyncing) this.drop(offset, fragmentEnd, RESYNC_REASON, true)
        else this.damage(offset, `${typeName(type)} fragment without a FIRST`, MISPLACED, fragmentEnd)
        this.resyncing = type === TYPE_MIDDLE
        continue
      }
      this.addPart(payload, this.fragmentLength)
      if (type === TYPE_LAST) {
        const start = this.recordStart
        this.recordStart = -1
        return this.returned(start, fragmentEnd, this.assemble())
      }
    }
    return undefined
  }

  private returned(start: number, end: number, record: Uint8Array): Uint8Array {
    this.lastRecordOffset = start
    this.lastRecordEnd = end
    return record
  }

  private addPart(payload: number, length: number): void {
    this.parts.push(payload, length)
    this.recordLength += length
  }

  /** Copies the fragments of the record just completed into one new array. */
  private assemble(): Uint8Array {
    const out = new Uint8Array(this.recordLength)
    const parts = this.parts
    let at = 0
    for (let i = 0; i < parts.length; i += 2) {
      const from = parts[i]!
      const length = parts[i + 1]!
      out.set(this.bytes.subarray(from, from + length), at)
      at += length
    }
    return out
  }

  /**
   * Reads the header at `pos` and checks it. Returns the fragment's type (with its offset and
   * length in fragmentOffset/fragmentLength), END at the end of the log (the file's end, or
   * zeros from here to it), or DAMAGED after handling damage.
   */
  private nextFragment(): number {
    const buf = this.bytes
    const end = this.end
    for (;;) {
      const p = this.pos
      if (p >= end) return END
      const blockEnd = blockEndOf(p)
      if (blockEnd - p < HEADER_SIZE) {
        // The block's trailer: the writer zero-fills it.
        if (!allZero(buf, p, Math.min(blockEnd, end))) return this.damage(p, 'non-zero bytes in a block trailer', BAD, blockEnd)
        this.pos = blockEnd
        continue
      }
      if (end - p < HEADER_SIZE) {
        if (this.zerosToEnd(p)) return this.atEnd()
        return this.damage(p, 'fragment header cut by the end of the file', TORN, end)
      }
      const type = buf[p + TYPE_OFFSET]!
      if (type === TYPE_ZERO) {
        if (this.zerosToEnd(p)) return this.atEnd()
        if (allZero(buf, p, p + HEADER_SIZE)) return this.damage(p, 'zero-filled bytes where a fragment header belongs', BAD, blockEnd)
      }
      const length = lengthAt(buf, p)
      const fragmentEnd = p + HEADER_SIZE + length
      if (fragmentEnd > blockEnd) return this.damage(p, `fragment length ${length} runs past the end of its block`, BAD, blockEnd)
      if (fragmentEnd > end) {
        return this.damage(p, `fragment cut by the end of the file (${end - p - HEADER_SIZE} of ${length} payload bytes)`, TORN, end)
      }
      if (!checksumMatches(buf, p, fragmentEnd)) return this.damage(p, 'chunk checksum mismatch', BAD, blockEnd)
      if (type === TYPE_ZERO || type > MAX_TYPE) {
        const result = this.damage(p, `unknown fragment type ${type}`, MISPLACED, fragmentEnd)
        this.resyncing = true
        return result
      }
      this.pos = fragmentEnd
      this.fragmentOffset = p
      this.fragmentLength = length
      return type
    }
  }

  /**
   * True when bytes[p, end) are all zero. Remembers the zero run it walked, so skip mode
   * crossing a long zeroed stretch block by block does not walk it again for each block.
   */
  private zerosToEnd(p: number): boolean {
    if (p < this.zeroFrom || p > this.zeroTo) {
      let q = p
      while (q < this.end && this.bytes[q] === 0) q++
      this.zeroFrom = p
      this.zeroTo = q
    }
    return this.zeroTo === this.end
  }

  private atEnd(): number {
    this.pos = this.end
    return END
  }

  /**
   * Damage at `at`. Absolute mode throws; tolerate mode throws unless nothing checksummed
   * follows, and then drops the rest of the file and ends; skip mode drops from the start of
   * the record being assembled (or `at`) to `resumeAt` and goes on from there, skipping the
   * remaining fragments of a dropped record (`resumeAt` before `pos` only ends the dropped
   * region: reading goes on from `pos`). Returns DAMAGED.
   */
  private damage(at: number, reason: string, kind: Damage, resumeAt: number): number {
    resumeAt = Math.min(resumeAt, this.end)
    const from = this.recordStart >= 0 ? this.recordStart : at
    this.recordStart = -1
    if (this.mode === 'absolute') this.fail(at, reason)
    if (this.mode === 'tolerate-torn-tail') {
      if (kind === MISPLACED) this.fail(at, `${reason}; checksummed data follows, so it is not a torn tail`)
      const next = kind === BAD ? validFragmentAfter(this.bytes, at, this.end) : -1
      if (next >= 0 && !zeroSectorBetween(this.bytes, at, next)) {
        this.fail(at, `${reason}; a valid fragment follows at ${next}, so it is not a torn tail`)
      }
      this.drop(from, this.end, reason, false)
      this.pos = this.end
      this.finished = true
      return DAMAGED
    }
    this.drop(from, resumeAt, reason, false)
    if (resumeAt > this.pos) this.pos = resumeAt
    this.resyncing = kind === BAD
    return DAMAGED
  }

  private fail(at: number, what: string): never {
    this.failure = corruption(this.fileName, at, what)
    throw this.failure
  }

  /**
   * Records [offset, end) as dropped. It joins a region that ends at `offset` if `extend` (the
   * rest of a record dropped there) or if the reason is the same (a long zeroed stretch).
   */
  private drop(offset: number, end: number, reason: string, extend: boolean): void {
    if (end <= offset) return
    const list = this.droppedRegions
    const last = list[list.length - 1]
    if (last !== undefined && last.offset + last.bytes === offset && (extend || last.reason === reason)) {
      list[list.length - 1] = { offset: last.offset, bytes: end - last.offset, reason: last.reason }
    } else {
      list.push({ offset, bytes: end - offset, reason })
    }
  }
}

/** Sector size of the torn-write model: a power loss may drop any unsynced 512-byte sector. */
const SECTOR = 512

/**
 * True when a whole 512-byte sector of zeros lies in [from, to): the mark of a sector that never
 * reached the disk (file systems read unwritten blocks as zeros). Damage followed by such a
 * sector and then by valid fragments is a torn write of unsynced data, not bit rot: everything
 * from the damage on is dropped as a torn tail (no record after it can have been synced, as an
 * fdatasync covers every earlier byte of the file).
 */
function zeroSectorBetween(buf: Uint8Array, from: number, to: number): boolean {
  for (let sector = Math.floor(from / SECTOR) * SECTOR; sector + SECTOR <= to; sector += SECTOR) {
    if (sector + SECTOR > from && allZero(buf, sector, sector + SECTOR)) return true
  }
  return false
}
