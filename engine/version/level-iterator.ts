// LevelIterator: one InternalIterator over a sorted, non-overlapping level (L1..L6), opening
// each file's table iterator only when the walk reaches it. Holds at most one table open.
import type { Comparator } from '../base/comparator.js'
import type { EntryRanges, EntrySpan, InternalIterator } from '../base/internal-iterator.js'
import type { FileMetaData } from './file-metadata.js'

/** An open table's iterator, and `release`, which gives back whatever the open pinned. */
export interface OpenTable {
  iter: InternalIterator & EntryRanges
  release(): void
}

/** Opens a table's iterator. */
export type TableOpener = (file: FileMetaData) => OpenTable

export class LevelIterator implements InternalIterator, EntryRanges {
  readonly hasEntryRanges = true
  private index = -1
  private current: OpenTable | undefined

  constructor(
    private readonly files: readonly FileMetaData[],
    private readonly icmp: Comparator,
    private readonly open: TableOpener,
  ) {}

  valid(): boolean {
    return this.current !== undefined && this.current.iter.valid()
  }

  seekToFirst(): void {
    this.openFile(0)
    this.current?.iter.seekToFirst()
    this.skipForward()
  }

  seekToLast(): void {
    this.openFile(this.files.length - 1)
    this.current?.iter.seekToLast()
    this.skipBackward()
  }

  seek(target: Uint8Array): void {
    let lo = 0
    let hi = this.files.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.icmp.compare(this.files[mid]!.largest, target) < 0) lo = mid + 1
      else hi = mid
    }
    this.openFile(lo)
    this.current?.iter.seek(target)
    this.skipForward()
  }

  next(): void {
    this.current!.iter.next()
    this.skipForward()
  }

  prev(): void {
    this.current!.iter.prev()
    this.skipBackward()
  }

  key(): Uint8Array {
    return this.current!.iter.key()
  }

  value(): Uint8Array {
    return this.current!.iter.value()
  }
  entryRanges(out: EntrySpan): void {
    this.current!.iter.entryRanges(out)
  }



  close(): void {
    this.openFile(-1)
  }

  /** Moves to later files while the current one is exhausted. */
  private skipForward(): void {
    while (this.current !== undefined && !this.current.iter.valid()) {
      this.openFile(this.index + 1)
      this.current?.iter.seekToFirst()
    }
  }

  private skipBackward(): void {
    while (this.current !== undefined && !this.current.iter.valid()) {
      this.openFile(this.index - 1)
      this.current?.iter.seekToLast()
    }
  }

  /** Makes file `i` current (no file where `i` is out of range), closing the previous one. */
  private openFile(i: number): void {
    if (i === this.index && this.current) return
    if (this.current) {
      this.current.iter.close()
      this.current.release()
      this.current = undefined
    }
    this.index = i
    if (i >= 0 && i < this.files.length) this.current = this.open(this.files[i]!)
  }
}
