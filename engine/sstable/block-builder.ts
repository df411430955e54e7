// Builds one block's contents: prefix-compressed entries, then the restart array.
// Format: format-spec/sstable.md, "Blocks".
//
//   block   := entry* restart* count
//   entry   := varint shared · varint unshared · varint value-length · key[shared..] · value
//   restart := fixed32 offset of an entry stored with shared = 0
//   count   := fixed32 number of restarts
//
// Every `restartInterval`-th entry (the first one included) is a restart point. An empty
// block is just count = 0.
import { copyRange, sharedPrefixLength } from '../base/bytes.js'
import { putFixed32, putVarint, varintLength } from '../base/coding.js'
import { RESTART_COUNT_SIZE, RESTART_ENTRY_SIZE } from './format.js'

export class BlockBuilder {
  private buf: Uint8Array
  private size = 0
  private restarts: number[] = []
  private counter = 0
  private entries = 0
  private last = new Uint8Array(64)
  private lastLength = 0

  /** `buffer`, if given, is a dead builder's (see `buffer`) to build in instead of a new one. */
  constructor(private readonly restartInterval: number, initialCapacity = 4096, buffer?: Uint8Array) {
    this.buf = buffer !== undefined && buffer.length >= 64 ? buffer : new Uint8Array(Math.max(64, initialCapacity))
  }

  /** The memory the builder writes in, for a later builder once this one is no longer used. */
  get buffer(): Uint8Array {
    return this.buf
  }

  /** Entries added since the last reset. */
  get numEntries(): number {
    return this.entries
  }

  /** Bytes the block would take if finished now. */
  estimatedSize(): number {
    return this.size + this.restarts.length * RESTART_ENTRY_SIZE + RESTART_COUNT_SIZE
  }

  /** The last key added is lastKeyBuffer[0, lastKeyLength): for compares without a view. */
  get lastKeyBuffer(): Uint8Array {
    return this.last
  }

  get lastKeyLength(): number {
    return this.lastLength
  }

  /** The last key added (a view; valid until the next add). Kept across reset. */
  lastKey(): Uint8Array {
    return this.last.subarray(0, this.lastLength)
  }

  /**
   * Appends an entry, copying key and value. REQUIRES: key sorts after the previous key of
   * this block (the table builder checks this under the invariant switch).
   */
  add(key: Uint8Array, value: Uint8Array): void {
    this.addRange(key, 0, key.length, value, 0, value.length)
  }

  /** As `add`, for the key key[keyStart, keyEnd) and the value value[valueStart, valueEnd). */
  addRange(key: Uint8Array, keyStart: number, keyEnd: number, value: Uint8Array, valueStart: number, valueEnd: number): void {
    let shared = 0
    if (this.counter === 0) {
      this.restarts.push(this.size)
    } else {
      shared = sharedPrefixLength(this.last, this.lastLength, key, keyStart, keyEnd)
    }
    if (++this.counter === this.restartInterval) this.counter = 0
    const unshared = keyEnd - keyStart - shared
    const valueLength = valueEnd - valueStart
    const need = varintLength(shared) + varintLength(unshared) + varintLength(valueLength) + unshared + valueLength
    this.reserve(need)
    let p = putVarint(this.buf, this.size, shared)
    p = putVarint(this.buf, p, unshared)
    p = putVarint(this.buf, p, valueLength)
    copyRange(key, keyStart + shared, keyEnd, this.buf, p)
    p += unshared
    copyRange(value, valueStart, valueEnd, this.buf, p)
    this.size = p + valueLength
    this.entries++
    this.rememberKey(key, keyStart, keyEnd, shared)
  }

  /**
   * Appends the restart array and returns the block's contents: a view valid until the
   * next add or reset.
   */
  finish(): Uint8Array {
    const n = this.restarts.length
    this.reserve(n * RESTART_ENTRY_SIZE + RESTART_COUNT_SIZE)
    let p = this.size
    for (let i = 0; i < n; i++, p += RESTART_ENTRY_SIZE) putFixed32(this.buf, p, this.restarts[i]!)
    putFixed32(this.buf, p, n)
    return this.buf.subarray(0, p + RESTART_COUNT_SIZE)
  }

  /** Starts a new block. The last key stays readable (the table builder needs it). */
  reset(): void {
    this.size = 0
    this.restarts.length = 0
    this.counter = 0
    this.entries = 0
  }

  private reserve(extra: number): void {
    const need = this.size + extra
    if (need <= this.buf.length) return
    const grown = new Uint8Array(Math.max(need, this.buf.length * 2))
    grown.set(this.buf.subarray(0, this.size))
    this.buf = grown
  }

  private rememberKey(key: Uint8Array, keyStart: number, keyEnd: number, shared: number): void {
    const length = keyEnd - keyStart
    if (length > this.last.length) {
      const grown = new Uint8Array(Math.max(length, this.last.length * 2))
      grown.set(this.last.subarray(0, shared))
      this.last = grown
    }
    copyRange(key, keyStart + shared, keyEnd, this.last, shared)
    this.lastLength = length
  }
}


/**
 * An owned copy of u as a plain Uint8Array. (Buffer#slice returns a view, so `.slice()` on a
 * caller's Buffer would not copy.)
 */
export function ownedCopy(u: Uint8Array): Uint8Array {
  const out = new Uint8Array(u.length)
  out.set(u)
  return out
}
