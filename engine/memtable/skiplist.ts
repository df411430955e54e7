// The memtable's index: a skiplist whose nodes are slots in one Int32Array, over entries whose
// bytes live in an Arena. No JS object exists per entry.
//
// Thread safety: one writer, and readers (iterators) on the same thread that may interleave
// with writes between their calls. Every insert leaves the structure fully linked before it
// returns, so a reader always sees a consistent list; a node inserted after a reader's position
// is seen by that reader if and only if it moves across it.
//
// Invariants:
//   1. Level 0 links every node in comparator order; equal keys keep newest-inserted first.
//   2. Each level i > 0 links a subsequence of level i - 1, in the same order.
//   3. prev(n) is the node before n at level 0 (HEAD for the first node); tail is the last.
//   4. Nodes are never removed or moved: a node number stays valid for the list's life.
//
// Node layout, at pool[n ...] (all Int32):
//   n + 0  CHUNK         arena chunk holding the entry
//   n + 1  OFFSET        start of the entry in that chunk: internal key, then value
//   n + 2  KEY_LENGTH    bytes of internal key (user key + 8-byte trailer)
//   n + 3  VALUE_LENGTH  bytes of value, right after the key
//   n + 4  PREV          previous node at level 0
//   n + 5 .. n + 8       PREFIX: the user key's first 16 bytes as four words (see keyPrefix),
//                        or 0s when disabled
//   n + 9 + i            next node at level i, for i < height (height is not stored: a search
//                        reaches a node at level i only through a level-i link)
// HEAD is node 0, with MAX_HEIGHT links. No link ever leads to HEAD, so 0 doubles as NIL.
import type { Comparator } from '../base/comparator.js'
import { TRAILER_SIZE } from '../base/internal-key.js'
import { Arena } from './arena.js'
import type { SharedBufferPool } from './buffer-pool.js'

/**
 * A frozen skiplist as plain, structured-cloneable data: the node pool and the arena's chunks
 * are SharedArrayBuffers, so another thread attaches the same bytes without a copy. Valid only
 * while nothing is inserted any more (a frozen memtable's list).
 */
export interface SharedSkipList {
  readonly pool: SharedArrayBuffer
  readonly chunks: readonly SharedArrayBuffer[]
  readonly count: number
  readonly tail: number
  readonly height: number
}

/** Tallest node; with BRANCHING 4 this indexes 4^12 = 16M entries in O(log n). */
export const MAX_HEIGHT = 12
/** A node is raised one more level with probability 1 / BRANCHING. */
export const BRANCHING = 4

export const HEAD = 0
export const NIL = 0

const CHUNK = 0
const OFFSET = 1
const KEY_LENGTH = 2
const VALUE_LENGTH = 3
const PREV = 4
const PREFIX = 5
/** Words of key prefix per node: 16 bytes settle most compares of keys up to 16 bytes long. */
const PREFIX_WORDS = 4
const NEXT = PREFIX + PREFIX_WORDS

/** The node layout above, for code that walks a shared pool without a SkipList (tests). */
export const NODE_SLOTS = Object.freeze({ CHUNK, OFFSET, KEY_LENGTH, VALUE_LENGTH, NEXT })

const INITIAL_POOL_SLOTS = 1024

export class SkipList {
  readonly arena: Arena
  /** Entries linked. */
  count = 0

  /** Node slots; grown by doubling, so read `this.pool` again after an insert. */
  private pool: Int32Array
  private tail = NIL
  private poolUsed = NEXT + MAX_HEIGHT // the head
  private height = 1
  private rng: number
  private readonly splice = new Int32Array(MAX_HEIGHT)
  /** Prefix words of the key being inserted or sought (see compareWithProbe). */
  private readonly probe = new Int32Array(PREFIX_WORDS)
  /** The last node of each level (HEAD while a level is empty): the splice of an append. */
  private readonly lastAt = new Int32Array(MAX_HEIGHT)
  /** An attached list (another thread's frozen one) is read-only. */
  private readonly attached: boolean

  /**
   * `compare` orders internal keys by range (an internalKeyComparator's compareRange).
   * `bytewise` says the user keys order bytewise, which lets key prefixes settle most compares.
   * With `shared`, the list is a read-only view of a frozen list made by `share()`. With
   * `buffers`, node slots and arena chunks come from and go back to that pool.
   */
  constructor(
    private readonly compare: Comparator['compareRange'],
    private readonly bytewise: boolean,
    seed: number,
    shared?: SharedSkipList,
    private readonly buffers?: SharedBufferPool,
  ) {
    this.rng = seed | 0 || 0x2545f491 // xorshift state must not be 0
    this.attached = shared !== undefined
    if (shared === undefined) {
      this.arena = new Arena(buffers)
      this.pool = this.newPool(INITIAL_POOL_SLOTS)
      this.pool.fill(0, 0, this.poolUsed) // the head's links start NIL (a reused buffer holds old ones)
    } else {
      this.arena = new Arena(undefined, shared.chunks)
      this.pool = new Int32Array(shared.pool)
      this.count = shared.count
      this.tail = shared.tail
      this.height = shared.height
      this.poolUsed = this.pool.length
    }
  }

  /** Hands the node slots and the arena's chunks back to the pool. REQUIRES: the list is dead. */
  recycle(): void {
    if (this.buffers === undefined || this.attached) return
    this.arena.recycle()
    this.buffers.give(this.pool.buffer as SharedArrayBuffer)
    this.pool = new Int32Array(0)
    this.count = 0
  }

  /** The list as shareable data. REQUIRES: no insert after this (the memtable is frozen). */
  share(): SharedSkipList {
    return { pool: this.pool.buffer as SharedArrayBuffer, chunks: this.arena.buffers, count: this.count, tail: this.tail, height: this.height }
  }

  /** Bytes of the node pool in use: the index's share of the memtable's size. */
  get indexBytes(): number {
    return this.poolUsed * 4
  }

  chunkOf(node: number): Uint8Array {
    return this.arena.chunks[this.pool[node + CHUNK]!]!
  }

  offsetOf(node: number): number {
    return this.pool[node + OFFSET]!
  }

  keyLengthOf(node: number): number {
    return this.pool[node + KEY_LENGTH]!
  }

  valueLengthOf(node: number): number {
    return this.pool[node + VALUE_LENGTH]!
  }

  /** The first node, or NIL while empty. */
  first(): number {
    return this.pool[HEAD + NEXT]!
  }

  /** The last node, or NIL while empty. */
  last(): number {
    return this.tail
  }

  /** REQUIRES: node is not NIL. The node after it, or NIL. */
  next(node: number): number {
    return this.pool[node + NEXT]!
  }

  /** The node after `node` at `level` (HEAD for the first at that level), or NIL. */
  nextAt(node: number, level: number): number {
    return this.pool[node + NEXT + level]!
  }

  /** REQUIRES: node is not NIL. The node before it, or NIL. */
  prev(node: number): number {
    return this.pool[node + PREV]!
  }

  /** The first node whose key >= buf[start, end), or NIL. */
  seek(buf: Uint8Array, start: number, end: number): number {
    this.setProbe(buf, start, end)
    return this.findGreaterOrEqual(buf, start, end, false)
  }

  /**
   * Links an entry already written to the arena at chunks[chunk][offset, ...). An entry equal
   * to one present goes before it (the engine never inserts equal internal keys).
   */
  insert(chunk: number, offset: number, keyLength: number, valueLength: number): void {
    if (this.attached) throw new Error('insert into an attached (read-only) skiplist')
    const height = this.randomHeight()
    const node = this.allocateNode(height)
    const pool = this.pool
    pool[node + CHUNK] = chunk
    pool[node + OFFSET] = offset
    pool[node + KEY_LENGTH] = keyLength
    pool[node + VALUE_LENGTH] = valueLength
    const entry = this.arena.chunks[chunk]!
    const end = offset + keyLength
    this.setProbe(entry, offset, end)
    const probe = this.probe
    for (let w = 0; w < PREFIX_WORDS; w++) pool[node + PREFIX + w] = probe[w]!
    const splice = this.splice
    const tail = this.tail
    if (tail !== NIL && this.compareWithProbe(tail, entry, offset, end) < 0) {
      // An append (keys written in order: fillseq, a sorted batch): the last node of each
      // level is the splice, found without a search.
      splice.set(this.lastAt)
    } else {
      this.findGreaterOrEqual(entry, offset, end, true)
    }
    for (let level = this.height; level < height; level++) splice[level] = HEAD
    if (height > this.height) this.height = height
    for (let level = 0; level < height; level++) {
      const before = splice[level]!
      const after = pool[before + NEXT + level]!
      pool[node + NEXT + level] = after
      pool[before + NEXT + level] = node
      if (after === NIL) this.lastAt[level] = node
    }
    const after = pool[node + NEXT]!
    pool[node + PREV] = splice[0]!
    if (after === NIL) this.tail = node
    else pool[after + PREV] = node
    this.count++
  }

  /** Computes the prefix words of the internal key buf[start, end) into `probe` (0s when disabled). */
  private setProbe(buf: Uint8Array, start: number, end: number): void {
    const probe = this.probe
    if (!this.bytewise) return // probe stays all 0, like every node's prefix
    const userEnd = end - TRAILER_SIZE
    for (let w = 0; w < PREFIX_WORDS; w++) probe[w] = keyPrefix(buf, start + 4 * w, userEnd)
  }

  /**
   * Orders node's key against buf[start, end), whose prefix words are in `probe`: by the
   * prefixes where they differ, without touching the node's bytes in the arena (a cache miss
   * saved), else by a full compare.
   */
  private compareWithProbe(node: number, buf: Uint8Array, start: number, end: number): number {
    const pool = this.pool
    const probe = this.probe
    for (let w = 0; w < PREFIX_WORDS; w++) {
      // the words differ by at most 2^32 in magnitude: the difference is exact in a double
      const c = pool[node + PREFIX + w]! - probe[w]!
      if (c !== 0) return c
    }
    const at = pool[node + OFFSET]!
    return this.compare(this.arena.chunks[pool[node + CHUNK]!]!, at, at + pool[node + KEY_LENGTH]!, buf, start, end)
  }

  /**
   * Descends from the top level; with `record`, leaves the last node < key per level in splice.
   * REQUIRES: `probe` holds the prefix words of buf[start, end) (setProbe).
   */
  private findGreaterOrEqual(buf: Uint8Array, start: number, end: number, record: boolean): number {
    const pool = this.pool
    const chunks = this.arena.chunks
    const compare = this.compare
    // compareWithProbe, unrolled over locals: as a call per step, random inserts measured 3% slower
    const probe = this.probe
    const p0 = probe[0]!
    const p1 = probe[1]!
    const p2 = probe[2]!
    const p3 = probe[3]!
    let node = HEAD
    let level = this.height - 1
    let known = NIL // a node already found >= key: met again one level down, it needs no compare
    for (;;) {
      const next = pool[node + NEXT + level]!
      if (next !== NIL && next !== known) {
        let c = pool[next + PREFIX]! - p0
        if (c === 0) c = pool[next + PREFIX + 1]! - p1
        if (c === 0) c = pool[next + PREFIX + 2]! - p2
        if (c === 0) c = pool[next + PREFIX + 3]! - p3
        if (c === 0) {
          const at = pool[next + OFFSET]!
          c = compare(chunks[pool[next + CHUNK]!]!, at, at + pool[next + KEY_LENGTH]!, buf, start, end)
        }
        if (c < 0) {
          node = next
          continue
        }
      }
      if (record) this.splice[level] = node
      if (level === 0) return next
      known = next
      level--
    }
  }

  private newPool(slots: number): Int32Array {
    const bytes = slots * Int32Array.BYTES_PER_ELEMENT
    return new Int32Array(this.buffers ? this.buffers.take(bytes) : new SharedArrayBuffer(bytes))
  }

  private randomHeight(): number {
    let height = 1
    let x = this.rng
    while (height < MAX_HEIGHT) {
      x ^= x << 13
      x ^= x >>> 17
      x ^= x << 5
      if ((x & (BRANCHING - 1)) !== 0) break
      height++
    }
    this.rng = x
    return height
  }

  private allocateNode(height: number): number {
    const node = this.poolUsed
    const size = NEXT + height
    if (node + size > this.pool.length) {
      const grown = this.newPool(Math.max(this.pool.length * 2, node + size))
      grown.set(this.pool.subarray(0, node))
      // Only this list ever saw the old slots (it was never shared: shared lists are frozen).
      this.buffers?.give(this.pool.buffer as SharedArrayBuffer)
      this.pool = grown
    }
    this.poolUsed = node + size
    return node
  }
}

/**
 * The first 4 bytes of buf[start, end) (none when start >= end), zero-padded, big-endian, with
 * the top bit flipped so that signed Int32 order is bytewise order. Where two prefixes differ their keys order the
 * same way (zero padding sorts a short key first or ties it); where they are equal, only a
 * full compare can tell.
 */
export function keyPrefix(buf: Uint8Array, start: number, end: number): number {
  const n = end - start
  if (n >= 4) return ((buf[start]! << 24) | (buf[start + 1]! << 16) | (buf[start + 2]! << 8) | buf[start + 3]!) ^ 0x80000000
  let p = 0
  for (let i = 0; i < 4; i++) p = (p << 8) | (i < n ? buf[start + i]! : 0)
  return p ^ 0x80000000
}
