// WriteBatch: the public, chainable list of puts and deletes that db.write applies atomically.
// It holds its operations already encoded in their wire form (format-spec/batch.md), in one
// growable buffer, so writing it to the WAL is a single append and replay reads the same bytes.
//
// Keys and values are copied in when added (strings UTF-8 encoded straight into the buffer):
// changing the caller's bytes afterwards changes nothing. A bad argument throws
// INVALID_ARGUMENT and leaves the batch as it was.
import { putFixed32, putFixed64, putVarint, varintLength } from '../base/coding.js'
import { MAX_SEQUENCE } from '../base/internal-key.js'
import { invalidArgument } from '../errors.js'
import { COUNT_OFFSET, HEADER_SIZE, KIND_DELETION, KIND_VALUE, MAX_BATCH_SIZE, MAX_COUNT, SEQUENCE_OFFSET } from './format.js'

const INITIAL_CAPACITY = 128

/** A list of puts and deletes applied all together or not at all. */
export class WriteBatch {
  #buf: Buffer
  #end = HEADER_SIZE
  #count = 0
  #sequence = 0

  constructor() {
    this.#buf = Buffer.allocUnsafe(INITIAL_CAPACITY)
    this.#buf.fill(0, 0, HEADER_SIZE)
  }

  /** Number of operations in the batch. */
  get length(): number {
    return this.#count
  }

  /** Adds `key` -> `value`. Both are Uint8Array or string (UTF-8); both are copied. */
  put(key: Uint8Array | string, value: Uint8Array | string): this {
    const keyLength = byteLengthOf(key, 'key')
    const valueLength = byteLengthOf(value, 'value')
    let at = this.#reserve(1 + varintLength(keyLength) + keyLength + varintLength(valueLength) + valueLength)
    const buf = this.#buf
    buf[at++] = KIND_VALUE
    at = writeBytes(buf, putVarint(buf, at, keyLength), key, keyLength)
    this.#end = writeBytes(buf, putVarint(buf, at, valueLength), value, valueLength)
    this.#setCount(this.#count + 1)
    return this
  }

  /** Adds a deletion of `key` (Uint8Array or string). */
  delete(key: Uint8Array | string): this {
    const keyLength = byteLengthOf(key, 'key')
    let at = this.#reserve(1 + varintLength(keyLength) + keyLength)
    const buf = this.#buf
    buf[at++] = KIND_DELETION
    this.#end = writeBytes(buf, putVarint(buf, at, keyLength), key, keyLength)
    this.#setCount(this.#count + 1)
    return this
  }

  /** Removes every operation (and the sequence number), keeping the buffer for reuse. */
  clear(): this {
    this.#end = HEADER_SIZE
    this.#setCount(0)
    this.setSequence(0)
    return this
  }

  /** @internal The sequence number of the first operation, as set by the write path. */
  get sequence(): number {
    return this.#sequence
  }

  /**
   * @internal Stamps the sequence number of the first operation; the others follow it by one
   * each. REQUIRES (checked): the last one stays at or below 2^53 - 1.
   */
  setSequence(sequence: number): void {
    const rest = this.#count > 0 ? this.#count - 1 : 0
    if (!Number.isInteger(sequence) || sequence < 0 || sequence > MAX_SEQUENCE - rest) {
      throw invalidArgument(`sequence number ${sequence} for ${this.#count} operations leaves 0 to 2^53 - 1`)
    }
    this.#sequence = sequence
    putFixed64(this.#buf, SEQUENCE_OFFSET, sequence)
  }

  /** @internal The encoded batch (format-spec/batch.md): a view valid until the next change. */
  contents(): Uint8Array {
    return this.#buf.subarray(0, this.#end)
  }

  /** @internal Bytes of the encoded batch, header included. */
  get byteSize(): number {
    return this.#end
  }

  /**
   * @internal Appends the operations of `other` after this batch's (group commit). The
   * sequence number stays this batch's. `other` is left unchanged.
   */
  append(other: WriteBatch): this {
    const otherEnd = other.#end
    const otherCount = other.#count
    if (this.#count + otherCount > MAX_COUNT) throw invalidArgument(`a batch holds at most ${MAX_COUNT} operations`)
    const at = this.#reserve(otherEnd - HEADER_SIZE)
    other.#buf.copy(this.#buf, at, HEADER_SIZE, otherEnd) // after #reserve: other may be this
    this.#end = at + otherEnd - HEADER_SIZE
    this.#setCount(this.#count + otherCount)
    return this
  }

  /** Makes room for `size` more bytes; returns where they start. Throws before any change. */
  #reserve(size: number): number {
    const end = this.#end
    if (end + size > MAX_BATCH_SIZE) throw invalidArgument(`a batch holds at most ${MAX_BATCH_SIZE} bytes`)
    if (this.#count === MAX_COUNT) throw invalidArgument(`a batch holds at most ${MAX_COUNT} operations`)
    if (end + size > this.#buf.length) {
      const grown = Buffer.allocUnsafe(Math.min(MAX_BATCH_SIZE, Math.max(this.#buf.length * 2, end + size)))
      this.#buf.copy(grown, 0, 0, end)
      this.#buf = grown
    }
    return end
  }

  #setCount(count: number): void {
    this.#count = count
    putFixed32(this.#buf, COUNT_OFFSET, count)
  }
}

/** Encoded length of a key or value; throws INVALID_ARGUMENT for anything but bytes or a string. */
function byteLengthOf(x: unknown, what: string): number {
  if (typeof x === 'string') return Buffer.byteLength(x, 'utf8')
  if (x instanceof Uint8Array) return x.length
  throw invalidArgument(`${what} must be a Uint8Array or a string, got ${describe(x)}`)
}

/** Writes `x` (already measured as `length` bytes) at `at`; returns the offset after it. */
function writeBytes(buf: Buffer, at: number, x: Uint8Array | string, length: number): number {
  if (typeof x === 'string') buf.write(x, at, length, 'utf8')
  else buf.set(x, at)
  return at + length
}

function describe(x: unknown): string {
  if (x === null) return 'null'
  if (typeof x === 'object') return (x as object).constructor?.name ?? 'object'
  return typeof x
}
