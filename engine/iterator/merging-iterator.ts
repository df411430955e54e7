// The merging iterator: one sorted InternalIterator over N sorted children (the memtable, the
// immutable memtable, L0 tables newest first, one concatenation per deeper level).
//
// The current entry is the top of a binary heap of child indices: a min-heap while moving
// forward, a max-heap while moving in reverse. Every child in the heap is valid, and its key
// is cached in `keys` right after the child moves, so comparisons never call key() again.
//
// Order. Entries order by (key, child index): where two children hold equal keys (not
// expected, since sequence numbers are unique), the lower index, the newer source, comes
// first going forward and last going in reverse, so prev() exactly undoes next().
//
// Direction changes (as in LevelDB's merging iterator): moving forward, every child other than
// the current one sits at its first entry after the current entry; in reverse, at its last
// entry before it. On a change of direction each non-current child is re-seeked relative to the
// current key, then the heap is rebuilt with the other order. Moves in one direction are
// O(log N) compares and allocate nothing here.
//
// After a child throws (CORRUPTION, IO_ERROR), the merging iterator is not valid; a seek
// starts it afresh.
import type { Comparator, EntryRanges, EntrySpan, InternalIterator } from '../base/index.js'
import { hasEntryRanges } from '../base/index.js'
import { closed } from '../errors.js'

const FORWARD = 1
const REVERSE = -1
const NO_KEY = new Uint8Array(0)

/**
 * One iterator over `children` in `comparator` order. With exactly one child, that child
 * itself is returned (no heap to pay for). The result owns the children: closing it closes
 * each of them once. A lower index means a newer source (see the order note above).
 */
export function mergeIterators(
  comparator: Comparator, children: readonly (InternalIterator & EntryRanges)[],
): InternalIterator & EntryRanges
export function mergeIterators(comparator: Comparator, children: readonly InternalIterator[]): InternalIterator
export function mergeIterators(comparator: Comparator, children: readonly InternalIterator[]): InternalIterator {
  if (children.length === 1) return children[0]!
  return new MergingIterator(comparator, children)
}

export class MergingIterator implements InternalIterator, EntryRanges {
  /** Whether every child offers EntryRanges (then this does too). */
  readonly hasEntryRanges: boolean
  private readonly comparator: Comparator
  private readonly children: readonly InternalIterator[]
  /** keys[i] is children[i].key() as of child i's last move; meaningful while i is in the heap. */
  private readonly keys: Uint8Array[]
  /** heap[0, size) holds the indices of the valid children, ordered by `before`. */
  private readonly heap: Int32Array
  private size = 0
  private direction: typeof FORWARD | typeof REVERSE = FORWARD
  private isClosed = false

  constructor(comparator: Comparator, children: readonly InternalIterator[]) {
    this.comparator = comparator
    this.children = children.slice()
    this.hasEntryRanges = children.every((c) => hasEntryRanges(c))
    this.keys = new Array<Uint8Array>(children.length).fill(NO_KEY)
    this.heap = new Int32Array(children.length)
  }

  valid(): boolean {
    return this.size > 0
  }

  seekToFirst(): void {
    this.startMove(FORWARD)
    for (const child of this.children) child.seekToFirst()
    this.rebuild(-1)
  }

  seekToLast(): void {
    this.startMove(REVERSE)
    for (const child of this.children) child.seekToLast()
    this.rebuild(-1)
  }

  seek(target: Uint8Array): void {
    this.startMove(FORWARD)
    for (const child of this.children) child.seek(target)
    this.rebuild(-1)
  }

  /** REQUIRES: valid(). */
  next(): void {
    try {
      if (this.direction !== FORWARD) this.turn(FORWARD)
      const top = this.heap[0]!
      this.children[top]!.next()
      this.settleTop(top)
    } catch (err) {
      this.size = 0
      throw err
    }
  }

  /** REQUIRES: valid(). */
  prev(): void {
    try {
      if (this.direction !== REVERSE) this.turn(REVERSE)
      const top = this.heap[0]!
      this.children[top]!.prev()
      this.settleTop(top)
    } catch (err) {
      this.size = 0
      throw err
    }
  }

  /** REQUIRES: valid(). A view valid until the next move or close. */
  key(): Uint8Array {
    return this.keys[this.heap[0]!]!
  }

  /** REQUIRES: valid(). A view valid until the next move or close. */
  value(): Uint8Array {
    return this.children[this.heap[0]!]!.value()
  }

  /** REQUIRES: valid() and hasEntryRanges. */
  entryRanges(out: EntrySpan): void {
    ;(this.children[this.heap[0]!]! as InternalIterator & EntryRanges).entryRanges(out)
  }

  /** Closes every child once, even if one of them throws; rethrows the first error. */
  close(): void {
    if (this.isClosed) return
    this.isClosed = true
    this.size = 0
    let first: unknown
    let failed = false
    for (const child of this.children) {
      try {
        child.close()
      } catch (err) {
        if (!failed) first = err
        failed = true
      }
    }
    if (failed) throw first
  }

  /** Starts a seek: not valid until the children are positioned (so a throw leaves it invalid). */
  private startMove(direction: typeof FORWARD | typeof REVERSE): void {
    if (this.isClosed) throw closed('iterator')
    this.size = 0
    this.direction = direction
  }

  /**
   * Changes direction. The current entry stays current; every other child moves to its first
   * entry after (forward) or last entry before (reverse) the current (key, index).
   */
  private turn(direction: typeof FORWARD | typeof REVERSE): void {
    const current = this.heap[0]!
    const key = this.keys[current]!
    const cmp = this.comparator
    for (let i = 0; i < this.children.length; i++) {
      if (i === current) continue
      const child = this.children[i]!
      child.seek(key) // first entry with key >= current key
      if (direction === FORWARD) {
        // An equal key in a lower-index child orders before the current entry: step over it.
        if (i < current && child.valid() && cmp.compare(child.key(), key) === 0) child.next()
      } else if (!child.valid()) {
        child.seekToLast()
      } else if (!(i < current && cmp.compare(child.key(), key) === 0)) {
        // Keep an equal key of a lower-index child (it orders before); else step back.
        child.prev()
      }
    }
    this.size = 0
    this.direction = direction
    this.rebuild(current)
  }

  /** Fills the heap with the valid children and heapifies. `keep` already has its key cached. */
  private rebuild(keep: number): void {
    const heap = this.heap
    let size = 0
    for (let i = 0; i < this.children.length; i++) {
      const child = this.children[i]!
      if (!child.valid()) continue
      if (i !== keep) this.keys[i] = child.key()
      heap[size++] = i
    }
    this.size = size
    for (let pos = (size >> 1) - 1; pos >= 0; pos--) this.siftDown(pos)
  }

  /** Child `top`, at heap[0], has just moved: re-cache its key and restore the heap. */
  private settleTop(top: number): void {
    const child = this.children[top]!
    if (child.valid()) {
      this.keys[top] = child.key()
    } else {
      this.size--
      if (this.size === 0) return
      this.heap[0] = this.heap[this.size]!
    }
    this.siftDown(0)
  }

  private siftDown(pos: number): void {
    const heap = this.heap
    const size = this.size
    const item = heap[pos]!
    for (;;) {
      const left = 2 * pos + 1
      if (left >= size) break
      const right = left + 1
      let bestPos = left
      if (right < size && this.before(heap[right]!, heap[left]!)) bestPos = right
      const best = heap[bestPos]!
      if (!this.before(best, item)) break
      heap[pos] = best
      pos = bestPos
    }
    heap[pos] = item
  }

  /** True when child a's entry comes before child b's in the current direction. */
  private before(a: number, b: number): boolean {
    let c = this.comparator.compare(this.keys[a]!, this.keys[b]!)
    if (c === 0) c = a - b
    return this.direction === FORWARD ? c < 0 : c > 0
  }
}
