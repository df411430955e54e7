// MemTable: the newest writes, held in memory as internal keys in a skiplist until the table is
// full, frozen and flushed to an L0 SSTable. Entries are copied into the skiplist's arena on
// `add`; lookups and iterators read them there without allocating per entry.
//
// Single writer. Readers (get, iterators) on the same thread may run between writes; see
// skiplist.ts for what an iterator sees of entries added after it was created.
import { copyBytes, copyRange } from '../base/bytes.js'
import { bytewiseComparator, internalKeyComparator } from '../base/comparator.js'
import type { Comparator } from '../base/comparator.js'
import { KIND_DELETION, KIND_SEEK, KIND_VALUE, MAX_SEQUENCE, putTrailer, sequenceAt, TRAILER_SIZE } from '../base/internal-key.js'
import { invalidArgument } from '../errors.js'
import { checkSkipList } from './check.js'
import { MemTableIterator } from './iterator.js'
import type { SharedBufferPool } from './buffer-pool.js'
import { NIL, SkipList } from './skiplist.js'
import type { SharedSkipList } from './skiplist.js'

export interface MemTableOptions {
  /** Orders user keys; bytewise by default. */
  comparator?: Comparator
  /** Seeds the skiplist's height generator; any fixed value gives a reproducible shape. */
  seed?: number
  /**
   * Where the table's memory comes from and, once its last reference is dropped (unref), goes
   * back to. Without one, dead tables are left to the garbage collector.
   */
  buffers?: SharedBufferPool
}

/** Where `get` leaves what it found. Reuse one across lookups: `{ value: undefined }`. */
export interface LookupResult {
  /** For 'value': an owned copy of the value. Otherwise undefined. */
  value: Buffer | undefined
  /** For 'value' and 'deleted': the sequence number of the entry found. */
  sequence?: number
}

export type LookupStatus = 'value' | 'deleted' | 'absent'

/** A frozen memtable as structured-cloneable data over shared memory (MemTable.share). */
export interface SharedMemTable {
  readonly list: SharedSkipList
  readonly firstSequence: number
  readonly lastSequence: number
}

/** Largest entry (internal key plus value) the arena's Int32 lengths can describe. */
const MAX_ENTRY_SIZE = 0x7fffffff

export class MemTable {
  private readonly list: SkipList
  private readonly user: Comparator
  private readonly internal: Comparator
  private lookupKey = new Uint8Array(64)
  private smallestSequence = -1
  private largestSequence = -1
  /** The owner's reference plus one per open iterator; at zero the memory is recycled. */
  private refs = 1

  constructor(options: MemTableOptions = {}, shared?: SharedMemTable) {
    this.user = options.comparator ?? bytewiseComparator
    this.internal = internalKeyComparator(this.user)
    this.list = new SkipList(this.internal.compareRange, this.user === bytewiseComparator, options.seed ?? 0x2545f491, shared?.list, options.buffers)
    if (shared !== undefined) {
      this.smallestSequence = shared.firstSequence
      this.largestSequence = shared.lastSequence
    }
  }

  /**
   * A read-only memtable over the entries of a frozen one, possibly made in another thread
   * (the flush worker iterates it instead of replaying the WAL). No bytes are copied.
   */
  static attach(shared: SharedMemTable, options: MemTableOptions = {}): MemTable {
    return new MemTable(options, shared)
  }

  /**
   * This table's entries as shareable data for `attach`. REQUIRES: nothing is added afterwards
   * (the table is frozen); adding to an attached table throws.
   */
  share(): SharedMemTable {
    return { list: this.list.share(), firstSequence: this.smallestSequence, lastSequence: this.largestSequence }
  }

  /** Number of entries added. */
  get count(): number {
    return this.list.count
  }

  /**
   * Memory the table holds: arena bytes used (with the tails of full chunks) plus index slots
   * used. Compared against `memtableSize` to decide when to switch to a new memtable.
   */
  get approximateBytes(): number {
    return this.list.arena.bytesUsed + this.list.indexBytes
  }

  /** Smallest sequence number added, or -1 while empty. */
  get firstSequence(): number {
    return this.smallestSequence
  }

  /** Largest sequence number added, or -1 while empty. */
  get lastSequence(): number {
    return this.largestSequence
  }

  /** Adds (userKey, sequence, kind) -> value, copying both. The value is ignored for deletions. */
  add(sequence: number, kind: number, userKey: Uint8Array, value: Uint8Array): void {
    this.addRange(sequence, kind, userKey, 0, userKey.length, value, 0, value.length)
  }

  /**
   * As `add`, from key[keyStart, keyEnd) and value[valueStart, valueEnd), so a write batch can
   * be replayed straight from its encoded bytes.
   * REQUIRES: the internal key (userKey, sequence, kind) is not in the table yet.
   */
  addRange(
    sequence: number, kind: number,
    key: Uint8Array, keyStart: number, keyEnd: number,
    value: Uint8Array, valueStart: number, valueEnd: number,
  ): void {
    if (this.refs <= 0) throw new Error('add to a released memtable')
    if (kind !== KIND_VALUE && kind !== KIND_DELETION) throw invalidArgument(`unknown entry kind ${kind}`)
    if (!(Number.isInteger(sequence) && sequence >= 0 && sequence <= MAX_SEQUENCE)) {
      throw invalidArgument(`sequence number ${sequence} is not an integer from 0 to 2^53 - 1`)
    }
    const userKeyLength = keyEnd - keyStart
    const valueLength = kind === KIND_VALUE ? valueEnd - valueStart : 0
    const keyLength = userKeyLength + TRAILER_SIZE
    if (keyLength + valueLength > MAX_ENTRY_SIZE) throw invalidArgument('entry too large for a memtable')
    const arena = this.list.arena
    const chunkNumber = arena.allocate(keyLength + valueLength)
    const chunk = arena.chunks[chunkNumber]!
    const offset = arena.offset
    copyRange(key, keyStart, keyEnd, chunk, offset)
    putTrailer(chunk, offset + userKeyLength, sequence, kind)
    copyRange(value, valueStart, valueStart + valueLength, chunk, offset + keyLength)
    this.list.insert(chunkNumber, offset, keyLength, valueLength)
    if (this.smallestSequence < 0 || sequence < this.smallestSequence) this.smallestSequence = sequence
    if (sequence > this.largestSequence) this.largestSequence = sequence
  }

  /**
   * The newest entry for `userKey` with a sequence number <= `sequence`. For 'value',
   * out.value is an owned copy of its value; for 'value' and 'deleted', out.sequence is its
   * sequence number.
   */
  get(userKey: Uint8Array, sequence: number, out: LookupResult): LookupStatus {
    out.value = undefined
    // Empty (as after a reopen), or every entry newer than the read: nothing to find.
    if (this.smallestSequence < 0 || sequence < this.smallestSequence) return 'absent'
    const probeLength = userKey.length + TRAILER_SIZE
    if (probeLength > this.lookupKey.length) this.lookupKey = new Uint8Array(probeLength * 2)
    const probe = this.lookupKey
    probe.set(userKey)
    putTrailer(probe, userKey.length, sequence, KIND_SEEK)
    const list = this.list
    const node = list.seek(probe, 0, probeLength)
    if (node === NIL) return 'absent'
    const chunk = list.chunkOf(node)
    const offset = list.offsetOf(node)
    const keyEnd = offset + list.keyLengthOf(node)
    const userKeyEnd = keyEnd - TRAILER_SIZE
    if (this.user.compareRange(chunk, offset, userKeyEnd, userKey, 0, userKey.length) !== 0) return 'absent'
    out.sequence = sequenceAt(chunk, keyEnd)
    if (chunk[userKeyEnd] === KIND_DELETION) return 'deleted'
    out.value = copyBytes(chunk, keyEnd, keyEnd + list.valueLengthOf(node))
    return 'value'
  }

  /**
   * A cursor over the table's internal keys; see MemTableIterator for its contract. It holds a
   * reference to the table until it is closed.
   */
  iterator(): MemTableIterator {
    if (this.refs <= 0) throw new Error('iterator over a released memtable')
    this.refs++
    return new MemTableIterator(this.list, () => this.unref())
  }

  /**
   * Drops the owner's reference (or, from an iterator's close, that iterator's). When none is
   * left, the table's memory goes back to its pool and the table must not be used again.
   */
  unref(): void {
    if (--this.refs === 0) this.list.recycle()
  }

  /** Walks the whole index (O(n)): the first broken invariant, or undefined. For tests. */
  checkInvariants(): string | undefined {
    return checkSkipList(this.list, this.internal.compareRange)
  }
}
