// MemTableIterator: the InternalIterator over a memtable's entries (internal keys in comparator
// order). Contract: engine/base/internal-iterator.ts.
//
// The cursor is a node number, so it stays valid while the memtable grows. Entries added after
// the iterator was created are seen if the cursor moves across them (the DB filters versions by
// sequence number anyway). next() and prev() are O(1): level 0 is doubly linked.
//
// key() and value() are views of the arena, made at most once per position. For loops that
// must not allocate at all (a flush), entryRanges describes the same bytes as ranges of the
// entry's arena chunk: the key, then the value right after it.
import type { EntryRanges, EntrySpan, InternalIterator } from '../base/internal-iterator.js'
import { NIL } from './skiplist.js'
import type { SkipList } from './skiplist.js'

export class MemTableIterator implements InternalIterator, EntryRanges {
  readonly hasEntryRanges = true
  private node = NIL
  private keyView: Uint8Array | undefined = undefined
  private valueView: Uint8Array | undefined = undefined

  /** `onClose` runs once, at the first close (the memtable's reference is dropped). */
  constructor(private readonly list: SkipList, private onClose?: () => void) {}

  valid(): boolean {
    return this.node !== NIL
  }

  seekToFirst(): void {
    this.moveTo(this.list.first())
  }

  seekToLast(): void {
    this.moveTo(this.list.last())
  }

  /** Positions at the first entry whose internal key >= target. REQUIRES: target is an internal key. */
  seek(target: Uint8Array): void {
    this.moveTo(this.list.seek(target, 0, target.length))
  }

  /** REQUIRES: valid(). */
  next(): void {
    this.moveTo(this.list.next(this.node))
  }

  /** REQUIRES: valid(). */
  prev(): void {
    this.moveTo(this.list.prev(this.node))
  }

  /** REQUIRES: valid(). The internal key; a view valid until the next move (copy to keep). */
  key(): Uint8Array {
    if (this.keyView === undefined) {
      const start = this.list.offsetOf(this.node)
      this.keyView = this.list.chunkOf(this.node).subarray(start, start + this.list.keyLengthOf(this.node))
    }
    return this.keyView
  }

  /** REQUIRES: valid(). The value (empty for a deletion); a view valid until the next move. */
  value(): Uint8Array {
    if (this.valueView === undefined) {
      const start = this.list.offsetOf(this.node) + this.list.keyLengthOf(this.node)
      this.valueView = this.list.chunkOf(this.node).subarray(start, start + this.list.valueLengthOf(this.node))
    }
    return this.valueView
  }

  entryRanges(out: EntrySpan): void {
    const list = this.list
    const node = this.node
    const chunk = list.chunkOf(node)
    const start = list.offsetOf(node)
    const keyEnd = start + list.keyLengthOf(node)
    out.keyBuffer = chunk
    out.keyStart = start
    out.keyEnd = keyEnd
    out.valueBuffer = chunk
    out.valueStart = keyEnd
    out.valueEnd = keyEnd + list.valueLengthOf(node)
  }

  /** Leaves the iterator invalid and releases its hold on the memtable. Idempotent. */
  close(): void {
    this.moveTo(NIL)
    const done = this.onClose
    this.onClose = undefined
    done?.()
  }

  private moveTo(node: number): void {
    this.node = node
    this.keyView = undefined
    this.valueView = undefined
  }
}
