// Cursor: walks an engine iterator the way abstract-level's iterators consume it. The engine
// iterator is made when the cursor is, so it sees the database as of that call (abstract-level's
// implicit snapshot); the cursor moves lazily, one step per entry asked for, and honours
// `reverse`. It ignores `limit`: abstract-level counts what iterators yield, _clear counts itself.
//
// seek(target) follows abstract-level: forward, the first key >= target; reverse, the last key
// <= target; either way only within the range, and it revives an iterator that had ended.
import type { DB } from '../db.js'
import type { AbstractSnapshot } from 'abstract-level'
import type { Iterator as EngineIterator, IteratorRange } from '../db/iterator.js'
import type { Encoded, Format } from './formats.js'
import { bytesOf, output } from './formats.js'
import { engineSnapshot } from './snapshot.js'

/** The range part of the options abstract-level passes to _iterator, _keys, _values, _clear. */
export interface RangeOptions {
  gt?: Encoded
  gte?: Encoded
  lt?: Encoded
  lte?: Encoded
  reverse: boolean
  limit: number
  snapshot?: AbstractSnapshot | undefined
}

/** Before the first step: position at the range's first (last) entry. */
const START = 0
/** Positioned by seek: the entry there is the next one to hand out. */
const AT = 1
/** The entry under the engine cursor was handed out: move before reading again. */
const ADVANCE = 2

export class Cursor {
  private readonly it: EngineIterator
  private readonly reverse: boolean
  private state = START

  /** Opens an engine iterator over `options`' range. Throws StrataError (translate at the edge). */
  constructor(db: DB, options: Readonly<RangeOptions>) {
    this.reverse = options.reverse
    this.it = db.iterator(engineRange(options))
  }

  /** Moves to the next entry to hand out; false at the end of the range. */
  step(): boolean {
    const it = this.it
    if (this.state === START) {
      if (this.reverse) it.seekToLast()
      else it.seekToFirst()
    } else if (this.state === ADVANCE) {
      if (!it.valid()) return false
      if (this.reverse) it.prev()
      else it.next()
    }
    this.state = ADVANCE
    return it.valid()
  }

  seek(target: Encoded): void {
    const it = this.it
    it.seek(target)
    if (this.reverse) {
      if (!it.valid()) it.seekToLast()
      else if (Buffer.compare(it.key(), bytesOf(target)) > 0) it.prev()
    }
    this.state = AT
  }

  /** The current key in `format`. REQUIRES: the last step() returned true. */
  key(format: Format): Encoded {
    return output(this.it.key(), format)
  }

  /** The current key as engine bytes (a Buffer the caller owns). REQUIRES: as key(). */
  keyBytes(): Buffer {
    return this.it.key()
  }

  /** The current value in `format`. REQUIRES: the last step() returned true. */
  value(format: Format): Encoded {
    return output(this.it.value(), format)
  }

  close(): void {
    this.it.close()
  }
}

function engineRange(options: Readonly<RangeOptions>): IteratorRange {
  const range: IteratorRange = { reverse: options.reverse }
  if (options.gt !== undefined) range.gt = options.gt
  if (options.gte !== undefined) range.gte = options.gte
  if (options.lt !== undefined) range.lt = options.lt
  if (options.lte !== undefined) range.lte = options.lte
  const snapshot = engineSnapshot(options.snapshot)
  if (snapshot !== undefined) range.snapshot = snapshot
  return range
}
