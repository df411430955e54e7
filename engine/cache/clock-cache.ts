// ClockCache: the block cache. Decoded data blocks, charged in bytes, kept per table in an
// array indexed by the block's position in the table's index, and evicted by CLOCK (second
// chance) instead of strict LRU. Implements sstable's BlockCache.
//
// Why not an LRU list under a (file, offset) map: a hit then costs two Map lookups and an
// unlink/relink that touches three entries, in a loop that is otherwise a few memory loads;
// with a 32 MiB cache over 1M keys those were ~10% of a point read's samples (--cpu-prof,
// kept 1M-key DB). Here a hit is one array load and one flag store.
//
// Layout: each table's slots (TableSlots) hold its cached entries by block index; every entry
// also sits at one position of `ring`, which the clock hand sweeps. A hit sets the entry's
// `referenced` flag. To make room, the hand clears set flags and evicts the first entry it
// finds clear, so a block hit since the hand last passed survives one more revolution.
// Evicted positions become holes, refilled newest-first (the hole just behind the hand).
//
// A table's slots live while a reader holds them or while they hold an entry: a reopened
// reader finds the blocks its predecessor cached, and a deleted table's blocks age out.
//
// Ownership: once insert() returns true, the cache owns the value until it leaves (evicted to
// make room, or replaced by another value in its slot); onEvict(value) then runs exactly once,
// after the entry is gone. Values the cache did not keep (insert returned false) stay the
// caller's. The cache does not pin: callers that use a value across calls count their own
// references.
import { invalidArgument } from '../errors.js'

export interface ClockCacheOptions<V> {
  /** Runs once for each value that leaves the cache (see the ownership note above). */
  onEvict?: (value: V) => void
}

class Entry<V> {
  referenced = false
  constructor(
    readonly table: TableSlots<V>,
    readonly index: number,
    readonly value: V,
    readonly charge: number,
    public position: number,
  ) {}
}

/** One table's slots: what a reader holds while open. */
export class TableSlots<V> {
  readonly entries: (Entry<V> | undefined)[]
  /** Open readers holding these slots; the cache forgets the table once 0 and empty. */
  holders = 1
  count = 0

  constructor(
    private readonly cache: ClockCache<V>,
    readonly fileNumber: number,
    blockCount: number,
  ) {
    this.entries = new Array<Entry<V> | undefined>(blockCount).fill(undefined)
  }

  /** The value cached for block i, marked as used; counts a hit or a miss. */
  get(i: number): V | undefined {
    const e = this.entries[i]
    if (e === undefined) {
      this.cache.misses++
      return undefined
    }
    this.cache.hits++
    e.referenced = true
    return e.value
  }

  /** Caches `value` for block i (see ClockCache.insert). */
  insert(i: number, value: V, charge: number): boolean {
    return this.cache.insert(this, i, value, charge)
  }

  /** The reader closed. Its cached blocks stay (a reopened reader finds them) until evicted. */
  release(): void {
    if (--this.holders === 0 && this.count === 0) this.cache.forget(this)
  }
}

export class ClockCache<V> {
  private readonly tables = new Map<number, TableSlots<V>>()
  private readonly ring: (Entry<V> | undefined)[] = []
  private readonly holes: number[] = []
  private hand = 0
  private usedBytes = 0
  private entryCount = 0
  private readonly onEvict: ((value: V) => void) | undefined
  /** TableSlots.get calls that found a value. */
  hits = 0
  /** TableSlots.get calls that found nothing. */
  misses = 0
  /** Entries dropped to make room. */
  evictions = 0

  /** @param capacity total charge kept, in bytes; 0 keeps nothing. */
  constructor(
    readonly capacity: number,
    options: Readonly<ClockCacheOptions<V>> = {},
  ) {
    if (!(capacity >= 0 && capacity < Infinity)) throw invalidArgument(`cache capacity must be a finite number >= 0 bytes, got ${capacity}`)
    this.onEvict = options.onEvict
  }

  /** The slots of table `fileNumber`, which has `blockCount` data blocks; release() them on close. */
  table(fileNumber: number, blockCount: number): TableSlots<V> {
    const known = this.tables.get(fileNumber)
    if (known !== undefined && known.entries.length === blockCount) {
      known.holders++
      return known
    }
    if (known !== undefined) this.dropTable(known) // cannot happen for a table file (never rewritten)
    const slots = new TableSlots(this, fileNumber, blockCount)
    this.tables.set(fileNumber, slots)
    return slots
  }

  /**
   * Caches `value` as block i of `table`, replacing what was there, and evicts until it fits.
   * Returns false, keeping nothing, where `charge` exceeds the capacity (or i is outside the
   * table); the caller then still owns `value`.
   */
  insert(table: TableSlots<V>, i: number, value: V, charge: number): boolean {
    if (!(charge >= 0 && charge < Infinity)) throw invalidArgument(`cache charge must be a finite number >= 0, got ${charge}`)
    if (!(i >= 0 && i < table.entries.length)) return false
    const old = table.entries[i]
    if (old !== undefined) {
      this.remove(old)
      if (old.value !== value) this.evicted(old.value)
    }
    if (charge > this.capacity || this.capacity === 0) return false
    while (this.usedBytes + charge > this.capacity && this.entryCount > 0) this.advance()
    const position = this.holes.length > 0 ? this.holes.pop()! : this.ring.length
    const e = new Entry(table, i, value, charge, position)
    this.ring[position] = e
    table.entries[i] = e
    table.count++
    this.usedBytes += charge
    this.entryCount++
    return true
  }

  /** Sum of the charges of the entries held. */
  get usage(): number {
    return this.usedBytes
  }

  /** Entries held. */
  get size(): number {
    return this.entryCount
  }

  /** Tables the cache keeps slots for (open ones, and closed ones with blocks still cached). */
  get tableCount(): number {
    return this.tables.size
  }

  /** @internal TableSlots.release: a closed table whose last block left. */
  forget(table: TableSlots<V>): void {
    if (this.tables.get(table.fileNumber) === table) this.tables.delete(table.fileNumber)
  }

  /** One step of the hand: a second chance for a referenced entry, eviction for the rest. */
  private advance(): void {
    if (this.hand >= this.ring.length) this.hand = 0
    const e = this.ring[this.hand++]
    if (e === undefined) return
    if (e.referenced) {
      e.referenced = false
      return
    }
    this.remove(e)
    this.evictions++
    this.evicted(e.value)
  }

  private remove(e: Entry<V>): void {
    this.ring[e.position] = undefined
    this.holes.push(e.position)
    const table = e.table
    table.entries[e.index] = undefined
    this.usedBytes -= e.charge
    this.entryCount--
    if (--table.count === 0 && table.holders <= 0) this.forget(table)
  }

  private dropTable(table: TableSlots<V>): void {
    for (const e of table.entries) {
      if (e === undefined) continue
      this.remove(e)
      this.evicted(e.value)
    }
    this.forget(table)
  }

  private evicted(value: V): void {
    if (this.onEvict !== undefined) this.onEvict(value)
  }
}
