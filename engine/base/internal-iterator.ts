// InternalIterator: the cursor every source of entries implements (memtable, SSTable block,
// whole table, merging iterator), over internal keys in comparator order.
//
// Contract:
// - A new iterator is not positioned: valid() is false until a seek.
// - seek(target) positions at the first entry whose key >= target; seekToFirst/seekToLast at
//   the ends. Past either end, valid() is false.
// - next()/prev() REQUIRE valid().
// - key() and value() REQUIRE valid(). The returned bytes are views that stay correct only
//   until the next move or close: copy to keep.
// - Damage found while moving throws a StrataError (CORRUPTION or IO_ERROR); it is never
//   reported as the end of the data.
// - close() releases what the iterator pins (blocks, table readers, a version); idempotent.

export interface InternalIterator {
  valid(): boolean
  seekToFirst(): void
  seekToLast(): void
  seek(target: Uint8Array): void
  next(): void
  prev(): void
  key(): Uint8Array
  value(): Uint8Array
  close(): void
}

/**
 * The current entry of an iterator as byte ranges: the key is keyBuffer[keyStart, keyEnd), the
 * value valueBuffer[valueStart, valueEnd). Filled by EntryRanges.entryRanges.
 */
export interface EntrySpan {
  keyBuffer: Uint8Array
  keyStart: number
  keyEnd: number
  valueBuffer: Uint8Array
  valueStart: number
  valueEnd: number
}

/** An EntrySpan to fill (one per loop, reused for every entry). */
export function newEntrySpan(): EntrySpan {
  const none = new Uint8Array(0)
  return { keyBuffer: none, keyStart: 0, keyEnd: 0, valueBuffer: none, valueStart: 0, valueEnd: 0 }
}

/**
 * What an iterator whose entries live in larger buffers (a memtable's arena, a table's blocks)
 * may offer besides key() and value(): the current entry as ranges, read without making a view
 * per entry (a flush or a compaction copies every entry once and should allocate nothing for
 * it).
 */
export interface EntryRanges {
  /** Whether entryRanges works (a merging iterator has it only if all its children do). */
  readonly hasEntryRanges: boolean
  /** REQUIRES: valid(). Fills `out` with the current entry; the ranges are good until the next move. */
  entryRanges(out: EntrySpan): void
}

/** Whether `iter` offers its entries as ranges (EntryRanges). */
export function hasEntryRanges<T extends InternalIterator>(iter: T): iter is T & EntryRanges {
  return (iter as Partial<EntryRanges>).hasEntryRanges === true
}
