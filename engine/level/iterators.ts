// StrataLevel's iterators: entries, keys and values. Each owns a Cursor (cursor.ts) over an
// engine iterator made when abstract-level calls _iterator/_keys/_values, so each sees the
// database as of that call. The engine is synchronous, so _next, _nextv and _all do all their
// work on the calling tick; abstract-level enforces `limit` for _next and _nextv, and _all
// stops at it itself. The three classes differ only in what they read at each entry.
import { AbstractIterator, AbstractKeyIterator, AbstractValueIterator } from 'abstract-level'
import type { DB } from '../db.js'
import type { RangeOptions } from './cursor.js'
import { Cursor } from './cursor.js'
import { translated } from './errors.js'
import type { Encoded, Format } from './formats.js'

/** What abstract-level passes to _iterator (the encoded range plus these). */
export interface IteratorOptions extends RangeOptions {
  keys: boolean
  values: boolean
  keyEncoding: Format
  valueEncoding: Format
}

/** The database side an iterator needs: the open engine. */
export interface EngineSource {
  readonly engine: DB
}

type Entry = [Encoded | undefined, Encoded | undefined]

/** The next item of `cursor` read by `read`, or undefined at the end. */
function nextItem<T>(cursor: Cursor, read: () => T): T | undefined {
  return translated(() => (cursor.step() ? read() : undefined))
}

/** Up to `max` items of `cursor` read by `read` (fewer only at the end). */
function nextItems<T>(cursor: Cursor, max: number, read: () => T): T[] {
  return translated(() => {
    const out: T[] = []
    while (out.length < max && cursor.step()) out.push(read())
    return out
  })
}

/** How many more items an iterator may yield: `limit` (Infinity for none) minus `count`. */
function room(it: { readonly limit: number; readonly count: number }): number {
  return it.limit - it.count
}

export class StrataIterator extends AbstractIterator<EngineSource, Encoded, Encoded> {
  private readonly cursor: Cursor
  private readonly read: () => Entry

  constructor(db: EngineSource, options: IteratorOptions) {
    const cursor = translated(() => new Cursor(db.engine, options))
    super(db, options)
    this.cursor = cursor
    const { keys, values, keyEncoding, valueEncoding } = options
    this.read = () => [keys ? cursor.key(keyEncoding) : undefined, values ? cursor.value(valueEncoding) : undefined]
  }

  async _next(): Promise<Entry | undefined> {
    return nextItem(this.cursor, this.read)
  }

  async _nextv(size: number): Promise<Entry[]> {
    return nextItems(this.cursor, size, this.read)
  }

  async _all(): Promise<Entry[]> {
    return nextItems(this.cursor, room(this), this.read)
  }

  _seek(target: Encoded): void {
    translated(() => this.cursor.seek(target))
  }

  async _close(): Promise<void> {
    this.cursor.close()
  }
}

export class StrataKeyIterator extends AbstractKeyIterator<EngineSource, Encoded> {
  private readonly cursor: Cursor
  private readonly read: () => Encoded

  constructor(db: EngineSource, options: RangeOptions & { keyEncoding: Format }) {
    const cursor = translated(() => new Cursor(db.engine, options))
    super(db, options)
    this.cursor = cursor
    const format = options.keyEncoding
    this.read = () => cursor.key(format)
  }

  async _next(): Promise<Encoded | undefined> {
    return nextItem(this.cursor, this.read)
  }

  async _nextv(size: number): Promise<Encoded[]> {
    return nextItems(this.cursor, size, this.read)
  }

  async _all(): Promise<Encoded[]> {
    return nextItems(this.cursor, room(this), this.read)
  }

  _seek(target: Encoded): void {
    translated(() => this.cursor.seek(target))
  }

  async _close(): Promise<void> {
    this.cursor.close()
  }
}

export class StrataValueIterator extends AbstractValueIterator<EngineSource, Encoded, Encoded> {
  private readonly cursor: Cursor
  private readonly read: () => Encoded

  constructor(db: EngineSource, options: RangeOptions & { valueEncoding: Format }) {
    const cursor = translated(() => new Cursor(db.engine, options))
    super(db, options)
    this.cursor = cursor
    const format = options.valueEncoding
    this.read = () => cursor.value(format)
  }

  async _next(): Promise<Encoded | undefined> {
    return nextItem(this.cursor, this.read)
  }

  async _nextv(size: number): Promise<Encoded[]> {
    return nextItems(this.cursor, size, this.read)
  }

  async _all(): Promise<Encoded[]> {
    return nextItems(this.cursor, room(this), this.read)
  }

  _seek(target: Encoded): void {
    translated(() => this.cursor.seek(target))
  }

  async _close(): Promise<void> {
    this.cursor.close()
  }
}
