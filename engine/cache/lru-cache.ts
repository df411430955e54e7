// LruCache: a least-recently-used cache keyed by (file number, offset), charged in bytes, for
// decoded SSTable blocks; with `maxEntries` and `onEvict` it can also bound open files.
//
// Layout: a two-level map, file number -> offset -> entry (file numbers grow without bound,
// so the pair is never packed into one double; the per-file map also makes evictFile cheap),
// and an intrusive doubly-linked recency list through the entries, oldest to newest. Every
// operation is O(1) except evictFile and clear, which are linear in what they remove.
//
// Ownership: once insert() returns true, the cache owns the value until it leaves: evicted to
// make room, replaced by another value at its key, erased, dropped by evictFile, or cleared.
// Then onEvict(value) runs exactly once, after the entry is already gone from the cache (an
// exception from onEvict propagates, and the cache stays consistent). Values the cache did
// not keep (insert returned false) stay the caller's, and onEvict never sees them.
// The cache does not pin: a value in use elsewhere can be evicted; callers that must keep a
// value alive while using it count their own references.
import { invalidArgument } from '../errors.js'

export interface LruCacheOptions<V> {
  /** At most this many entries, whatever their charges (e.g. maxOpenFiles). Default: unbounded. */
  maxEntries?: number
  /** Runs once for each value that leaves the cache (see the ownership note above). */
  onEvict?: (value: V) => void
}

class Entry<V> {
  older: Entry<V> | null = null
  newer: Entry<V> | null = null
  constructor(
    readonly fileNumber: number,
    readonly offset: number,
    readonly value: V,
    readonly charge: number,
  ) {}
}

export class LruCache<V> {
  private readonly files = new Map<number, Map<number, Entry<V>>>()
  private oldest: Entry<V> | null = null
  private newest: Entry<V> | null = null
  private readonly capacityBytes: number
  private readonly entryLimit: number
  private readonly onEvict: ((value: V) => void) | undefined
  private usedBytes = 0
  private count = 0
  private hitCount = 0
  private missCount = 0
  private evictionCount = 0

  /** @param capacityBytes total charge kept; 0 keeps nothing, Infinity bounds by count only. */
  constructor(capacityBytes: number, options: Readonly<LruCacheOptions<V>> = {}) {
    if (!(capacityBytes >= 0)) throw invalidArgument(`cache capacity must be >= 0 bytes, got ${capacityBytes}`)
    const maxEntries = options.maxEntries ?? Infinity
    if (!(maxEntries >= 0) || (maxEntries !== Infinity && !Number.isInteger(maxEntries))) {
      throw invalidArgument(`cache maxEntries must be an integer >= 0, got ${maxEntries}`)
    }
    this.capacityBytes = capacityBytes
    this.entryLimit = maxEntries
    this.onEvict = options.onEvict
  }

  /** The value cached at (fileNumber, offset), now the most recently used; counts a hit or miss. */
  get(fileNumber: number, offset: number): V | undefined {
    const e = this.files.get(fileNumber)?.get(offset)
    if (e === undefined) {
      this.missCount++
      return undefined
    }
    this.hitCount++
    if (e !== this.newest) {
      this.unlink(e)
      this.linkNewest(e)
    }
    return e.value
  }

  /**
   * Caches `value` at (fileNumber, offset) as the most recently used, replacing what was there
   * and evicting the least recently used entries until it fits. Returns false, keeping nothing,
   * where `charge` exceeds the capacity, or the capacity or maxEntries is 0 (a disabled
   * cache); the caller then still owns `value`.
   */
  insert(fileNumber: number, offset: number, value: V, charge: number): boolean {
    if (!(charge >= 0 && charge < Infinity)) throw invalidArgument(`cache charge must be a finite number >= 0, got ${charge}`)
    const old = this.files.get(fileNumber)?.get(offset)
    if (old !== undefined) {
      this.remove(old)
      if (old.value !== value) this.evicted(old.value)
    }
    if (charge > this.capacityBytes || this.capacityBytes === 0 || this.entryLimit === 0) return false
    while (this.oldest !== null && (this.usedBytes + charge > this.capacityBytes || this.count >= this.entryLimit)) {
      const victim = this.oldest
      this.remove(victim)
      this.evictionCount++
      this.evicted(victim.value)
    }
    const e = new Entry(fileNumber, offset, value, charge)
    let inner = this.files.get(fileNumber)
    if (inner === undefined) {
      inner = new Map()
      this.files.set(fileNumber, inner)
    }
    inner.set(offset, e)
    this.linkNewest(e)
    this.usedBytes += charge
    this.count++
    return true
  }

  /** Drops the entry at (fileNumber, offset), if any. Returns whether there was one. */
  erase(fileNumber: number, offset: number): boolean {
    const e = this.files.get(fileNumber)?.get(offset)
    if (e === undefined) return false
    this.remove(e)
    this.evicted(e.value)
    return true
  }

  /** Drops every entry of a file (one being deleted). Returns how many there were. */
  evictFile(fileNumber: number): number {
    const inner = this.files.get(fileNumber)
    if (inner === undefined) return 0
    const gone = [...inner.values()]
    for (const e of gone) this.remove(e)
    for (const e of gone) this.evicted(e.value)
    return gone.length
  }

  /** Drops every entry, oldest first. */
  clear(): void {
    const gone: V[] = []
    for (let e = this.oldest; e !== null; e = e.newer) gone.push(e.value)
    this.files.clear()
    this.oldest = this.newest = null
    this.usedBytes = 0
    this.count = 0
    for (const value of gone) this.evicted(value)
  }

  /** Sum of the charges of the entries held. */
  get usage(): number {
    return this.usedBytes
  }

  get capacity(): number {
    return this.capacityBytes
  }

  get maxEntries(): number {
    return this.entryLimit
  }

  /** Entries held. */
  get size(): number {
    return this.count
  }

  /** get() calls that found a value. */
  get hits(): number {
    return this.hitCount
  }

  /** get() calls that found nothing. */
  get misses(): number {
    return this.missCount
  }

  /** Entries dropped to make room (not those replaced, erased, dropped by file, or cleared). */
  get evictions(): number {
    return this.evictionCount
  }

  /** Unmaps and unlinks `e`, and takes its charge off. */
  private remove(e: Entry<V>): void {
    const inner = this.files.get(e.fileNumber)!
    inner.delete(e.offset)
    if (inner.size === 0) this.files.delete(e.fileNumber)
    this.unlink(e)
    this.usedBytes -= e.charge
    this.count--
  }

  private unlink(e: Entry<V>): void {
    if (e.older === null) this.oldest = e.newer
    else e.older.newer = e.newer
    if (e.newer === null) this.newest = e.older
    else e.newer.older = e.older
    e.older = e.newer = null
  }

  private linkNewest(e: Entry<V>): void {
    e.older = this.newest
    e.newer = null
    if (this.newest === null) this.oldest = e
    else this.newest.newer = e
    this.newest = e
  }

  private evicted(value: V): void {
    if (this.onEvict !== undefined) this.onEvict(value)
  }
}
