// The DB iterator: the cursor users see, over user keys, built on one InternalIterator over
// internal keys (the merged memtables and tables). Modelled on LevelDB's DBIter.
//
// What it shows: for each user key inside the bounds, the newest entry whose sequence is at
// most the snapshot's; if that entry is a deletion, the key is hidden. Entries newer than the
// snapshot are invisible. Moves are absolute: next() toward larger keys, prev() toward smaller.
//
// Invariants, by direction:
// - FORWARD: when valid, the internal iterator is at the entry being shown, the first visible
//   (so newest visible) entry of its user key; key() and value() are views into it. `saved`
//   holds, while skipping, the user key to step past.
// - REVERSE: the internal iterator is just before every entry of the key being shown (at the
//   previous key's last entry, or not valid); the shown key and value were copied into the
//   reusable `saved` and `savedValue` buffers while walking back over that key's versions,
//   oldest first, keeping the newest visible one.
// A direction change repositions the internal iterator first (see next() and prev()).
//
// Costs: forward steps copy the current user key into a reused buffer and allocate nothing
// else; reverse steps copy each visible version's key and value into reused, growing buffers.
import { copyBytes, KIND_DELETION, KIND_SEEK, KIND_VALUE, MAX_SEQUENCE, TRAILER_SIZE, kindAt, printable, putTrailer, sequenceAt } from '../base/index.js'
import type { Comparator, InternalIterator } from '../base/index.js'
import { closed, corruption, invalidArgument } from '../errors.js'
import { KeyBounds, UNBOUNDED } from './bounds.js'
import type { IteratorBounds } from './bounds.js'

/** Where the scratch buffers start: each grows on first use (a seek reading forward needs one). */
const NO_BYTES = new Uint8Array(0)
const FORWARD = 1
const REVERSE = -1

export class DBIterator {
  /** The bounds in force (copied at construction). */
  readonly bounds: KeyBounds
  private readonly iter: InternalIterator
  private readonly sequence: number
  private readonly comparator: Comparator
  private direction: typeof FORWARD | typeof REVERSE = FORWARD
  private isValid = false
  private isClosed = false
  /** saved[0, savedLen): the skip key (forward) or the current key (reverse). May hold more bytes. */
  private saved = NO_BYTES
  private savedLen = 0
  private savedValue = NO_BYTES
  private savedValueLen = 0
  /** Reused for the internal keys seeks are made with. */
  private lookup = NO_BYTES

  /**
   * @param iter internal entries in internal-key order; the DB iterator owns it and closes it.
   * @param sequence the snapshot: entries with a larger sequence are invisible.
   * @param comparator the user-key comparator the internal keys were ordered with.
   * @param bounds user-key bounds; copied.
   */
  constructor(iter: InternalIterator, sequence: number, comparator: Comparator, bounds: Readonly<IteratorBounds> = UNBOUNDED) {
    if (!Number.isSafeInteger(sequence) || sequence < 0) {
      throw invalidArgument(`snapshot sequence ${sequence} is not an integer in [0, 2^53)`)
    }
    this.iter = iter
    this.sequence = sequence
    this.comparator = comparator
    this.bounds = new KeyBounds(comparator, bounds)
  }

  valid(): boolean {
    return this.isValid
  }

  /** Positions at the first visible key inside the bounds. */
  seekToFirst(): void {
    this.begin(FORWARD)
    this.seekFromLower()
  }

  /** Positions at the first visible key >= `userKey` inside the bounds. */
  seek(userKey: Uint8Array): void {
    this.begin(FORWARD)
    if (this.bounds.belowLower(userKey, 0, userKey.length)) {
      this.seekFromLower()
      return
    }
    if (this.bounds.aboveUpper(userKey, 0, userKey.length)) return // nothing at or after it
    this.seekInternal(userKey, this.sequence, KIND_SEEK)
    this.findNextUserEntry(false)
  }

  /** Positions at the last visible key inside the bounds. */
  seekToLast(): void {
    this.begin(REVERSE)
    const iter = this.iter
    const upper = this.bounds.upper
    if (upper === undefined) {
      iter.seekToLast()
    } else {
      if (this.bounds.upperInclusive) {
        // (upper, sequence 0, kind 0) is the smallest internal key of `upper`: step over it.
        this.seekInternal(upper, 0, KIND_DELETION)
        if (iter.valid() && this.userKeyEquals(iter.key(), upper)) iter.next()
      } else {
        // The largest internal key of `upper`: the seek lands on its first version.
        this.seekInternal(upper, MAX_SEQUENCE, KIND_SEEK)
      }
      // Now at the first entry past the range, or past the end: step back into the range.
      if (iter.valid()) iter.prev()
      else iter.seekToLast()
    }
    this.findPrevUserEntry()
  }

  /** Moves to the next larger visible key. REQUIRES: valid(); does nothing otherwise. */
  next(): void {
    if (!this.isValid) {
      if (this.isClosed) throw closed('iterator')
      return
    }
    this.isValid = false
    const iter = this.iter
    if (this.direction === REVERSE) {
      // The internal iterator is just before the current key's entries, and `saved` holds
      // the current key: move onto those entries and skip them.
      this.direction = FORWARD
      if (iter.valid()) iter.next()
      else iter.seekToFirst()
    } else {
      const k = iter.key()
      this.saveKey(k, k.length - TRAILER_SIZE)
      iter.next()
    }
    this.findNextUserEntry(true)
  }

  /** Moves to the next smaller visible key. REQUIRES: valid(); does nothing otherwise. */
  prev(): void {
    if (!this.isValid) {
      if (this.isClosed) throw closed('iterator')
      return
    }
    this.isValid = false
    const iter = this.iter
    if (this.direction === FORWARD) {
      // The entries just before the current one that share its user key are newer versions,
      // all invisible (the current entry is the newest visible one), so findPrevUserEntry
      // passes over them on its way to the previous key.
      this.direction = REVERSE
      iter.prev()
    }
    this.findPrevUserEntry()
  }

  /** REQUIRES: valid(). The user key: a view valid until the next move or close. */
  key(): Uint8Array {
    if (this.direction === FORWARD) {
      const k = this.iter.key()
      return k.subarray(0, k.length - TRAILER_SIZE)
    }
    return this.saved.subarray(0, this.savedLen)
  }

  /** REQUIRES: valid(). key() copied into a Buffer the caller owns (no intermediate view). */
  copyKey(): Buffer {
    if (this.direction === FORWARD) {
      const k = this.iter.key()
      return copyBytes(k, 0, k.length - TRAILER_SIZE)
    }
    return copyBytes(this.saved, 0, this.savedLen)
  }

  /** REQUIRES: valid(). The value: a view valid until the next move or close. */
  value(): Uint8Array {
    if (this.direction === FORWARD) return this.iter.value()
    return this.savedValue.subarray(0, this.savedValueLen)
  }

  /** Closes the internal iterator (once). Later moves throw CLOSED. */
  close(): void {
    if (this.isClosed) return
    this.isClosed = true
    this.isValid = false
    this.iter.close()
  }

  private begin(direction: typeof FORWARD | typeof REVERSE): void {
    if (this.isClosed) throw closed('iterator')
    this.direction = direction
    this.isValid = false
  }

  /** Forward from the lower bound (inclusive or not), or from the very first entry. */
  private seekFromLower(): void {
    const lower = this.bounds.lower
    if (lower === undefined) {
      this.iter.seekToFirst()
      this.findNextUserEntry(false)
      return
    }
    this.seekInternal(lower, this.sequence, KIND_SEEK)
    if (this.bounds.lowerInclusive) {
      this.findNextUserEntry(false)
    } else {
      this.saveKey(lower, lower.length)
      this.findNextUserEntry(true)
    }
  }

  /**
   * From the internal iterator's position forward, stops at the first entry that shows a key:
   * visible, a value, not hidden by a newer deletion, not a key <= `saved` while `skipping`.
   * Stops not valid past the upper bound or the end.
   */
  private findNextUserEntry(skipping: boolean): void {
    const iter = this.iter
    const cmp = this.comparator
    while (iter.valid()) {
      const k = iter.key()
      const end = userEnd(k)
      if (!skipping || cmp.compareRange(k, 0, end, this.saved, 0, this.savedLen) > 0) {
        if (this.bounds.aboveUpper(k, 0, end)) break
        if (sequenceAt(k, k.length) <= this.sequence) {
          const kind = kindAt(k, k.length)
          if (kind === KIND_VALUE) {
            this.isValid = true
            return
          }
          if (kind !== KIND_DELETION) throw unknownKind(k)
          // The newest visible version is a deletion: hide every older one too.
          this.saveKey(k, end)
          skipping = true
        }
      }
      iter.next()
    }
  }

  /**
   * From the internal iterator's position backward, collects the newest visible version of
   * the first key that has one, leaving the iterator just before that key's entries.
   * Stops not valid below the lower bound or the start.
   */
  private findPrevUserEntry(): void {
    const iter = this.iter
    const cmp = this.comparator
    let haveValue = false
    while (iter.valid()) {
      const k = iter.key()
      const end = userEnd(k)
      if (haveValue) {
        if (cmp.compareRange(k, 0, end, this.saved, 0, this.savedLen) < 0) break
      } else if (this.bounds.belowLower(k, 0, end)) {
        break
      }
      if (sequenceAt(k, k.length) <= this.sequence) {
        const kind = kindAt(k, k.length)
        if (kind === KIND_VALUE) {
          this.saveKey(k, end)
          this.saveValue(iter.value())
          haveValue = true
        } else if (kind === KIND_DELETION) {
          haveValue = false
        } else {
          throw unknownKind(k)
        }
      }
      iter.prev()
    }
    this.isValid = haveValue
  }

  /** Seeks the internal iterator to userKey · trailer(sequence, kind). */
  private seekInternal(userKey: Uint8Array, sequence: number, kind: number): void {
    const size = userKey.length + TRAILER_SIZE
    if (this.lookup.length < size) this.lookup = new Uint8Array(Math.max(size, 2 * this.lookup.length))
    this.lookup.set(userKey)
    putTrailer(this.lookup, userKey.length, sequence, kind)
    this.iter.seek(this.lookup.subarray(0, size))
  }

  /** saved := src[0, len). Copies all of src (no view is made); the tail past len is ignored. */
  private saveKey(src: Uint8Array, len: number): void {
    if (this.saved.length < src.length) this.saved = new Uint8Array(Math.max(src.length, 2 * this.saved.length))
    this.saved.set(src)
    this.savedLen = len
  }

  private saveValue(src: Uint8Array): void {
    if (this.savedValue.length < src.length) {
      this.savedValue = new Uint8Array(Math.max(src.length, 2 * this.savedValue.length))
    }
    this.savedValue.set(src)
    this.savedValueLen = src.length
  }

  private userKeyEquals(internalKey: Uint8Array, userKey: Uint8Array): boolean {
    const end = userEnd(internalKey)
    return this.comparator.compareRange(internalKey, 0, end, userKey, 0, userKey.length) === 0
  }
}

/** End of the user key within internal key `k`; a key too short for its trailer is damage. */
function userEnd(k: Uint8Array): number {
  const end = k.length - TRAILER_SIZE
  if (end < 0) throw corruption('iterator', 0, `internal key ${printable(k)} is shorter than its ${TRAILER_SIZE}-byte trailer`)
  return end
}

function unknownKind(k: Uint8Array): Error {
  return corruption('iterator', 0, `internal key ${printable(k)} has unknown kind ${kindAt(k, k.length)}`)
}
