// The public Iterator: a cursor and a sync iterable over a range of the database as it was
// when the iterator was created. Range semantics follow abstract-level: gte wins over gt, lte
// over lt; for..of honours reverse and limit; cursor moves are absolute (next toward larger
// keys), stay inside the bounds and ignore limit. Keys and values handed out are copies.
import { copyBytes } from '../base/bytes.js'
import { closed, invalidArgument } from '../errors.js'
import { DBIterator } from '../iterator/index.js'
import type { Bytes } from './args.js'
import { describe, optionsObject, toBytes } from './args.js'
import type { DBCore } from './core.js'
import { newInternalIterator } from './read-path.js'
import type { PinnedSources } from './read-path.js'
import type { Snapshot } from './snapshots.js'

export interface IteratorRange {
  gt?: Bytes
  gte?: Bytes
  lt?: Bytes
  lte?: Bytes
  reverse?: boolean
  /** Entries for..of yields at most; -1 or Infinity for no limit. */
  limit?: number
  snapshot?: Snapshot
}

export class Iterator implements Iterable<[Buffer, Buffer]> {
  private cursor: DBIterator | undefined
  private pinned: PinnedSources | undefined
  private readonly reverse: boolean
  private readonly limit: number

  /** @internal */
  constructor(private readonly core: DBCore, range: unknown, onClose: (it: Iterator) => void) {
    const r = optionsObject<IteratorRange>(range, 'iterator range')
    const lower = r.gte !== undefined ? toBytes(r.gte, 'gte') : r.gt !== undefined ? toBytes(r.gt, 'gt') : undefined
    const upper = r.lte !== undefined ? toBytes(r.lte, 'lte') : r.lt !== undefined ? toBytes(r.lt, 'lt') : undefined
    if (r.reverse !== undefined && typeof r.reverse !== 'boolean') throw invalidArgument(`reverse must be a boolean, got ${describe(r.reverse)}`)
    const limit = r.limit ?? -1
    if (typeof limit !== 'number' || Number.isNaN(limit) || (limit < 0 && limit !== -1)) {
      throw invalidArgument(`limit must be a number >= 0, or -1 for none`)
    }
    const sequence = r.snapshot !== undefined ? core.snapshots.check(r.snapshot).sequence : core.versions.lastSequence
    this.reverse = r.reverse ?? false
    this.limit = limit < 0 ? Infinity : limit
    this.pinned = newInternalIterator(core)
    const bounds = {
      lowerInclusive: r.gte !== undefined,
      upperInclusive: r.lte !== undefined,
      ...(lower !== undefined ? { lower: copyBytes(lower) } : {}),
      ...(upper !== undefined ? { upper: copyBytes(upper) } : {}),
    }
    this.cursor = new DBIterator(this.pinned.iter, sequence, core.ucmp, bounds)
    this.onClose = onClose
  }

  private readonly onClose: (it: Iterator) => void

  private live(): DBIterator {
    if (this.cursor === undefined || this.core.isClosed) throw closed('iterator')
    return this.cursor
  }

  seek(key: Bytes): void {
    this.live().seek(toBytes(key, 'key'))
  }

  seekToFirst(): void {
    this.live().seekToFirst()
  }

  seekToLast(): void {
    this.live().seekToLast()
  }

  valid(): boolean {
    return this.live().valid()
  }

  /** The current key, a Buffer the caller owns. REQUIRES: valid(). */
  key(): Buffer {
    return this.positioned().copyKey()
  }

  /** The current value, a Buffer the caller owns. REQUIRES: valid(). */
  value(): Buffer {
    return copyBytes(this.positioned().value())
  }

  next(): void {
    this.positioned().next()
  }

  prev(): void {
    this.positioned().prev()
  }

  /** Releases what the iterator pins. Idempotent. */
  close(): void {
    if (this.cursor === undefined) return
    this.cursor = undefined
    this.pinned?.release()
    this.pinned = undefined
    this.onClose(this)
  }

  [Symbol.dispose](): void {
    this.close()
  }

  *[Symbol.iterator](): Generator<[Buffer, Buffer]> {
    const c = this.live()
    if (this.reverse) c.seekToLast()
    else c.seekToFirst()
    for (let n = 0; n < this.limit && this.live().valid(); n++) {
      yield [c.copyKey(), copyBytes(c.value())]
      if (this.reverse) c.prev()
      else c.next()
    }
  }

  private positioned(): DBIterator {
    const c = this.live()
    if (!c.valid()) throw invalidArgument('iterator is not positioned on an entry')
    return c
  }
}
