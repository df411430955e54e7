// StrataLevel's iterators: entries, keys and values. Each owns a Cursor (cursor.ts) over an
// engine iterator made when abstract-level calls _iterator/_keys/_values, so each sees the
// database as of that call. The engine is synchronous, so _next, _nextv and _all do all their
// work on the calling tick; abstract-level enforces `limit` for _next and _nextv, and _all
// stops at it itself.
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

/** How many more items an iterator may yield: `limit` (Infinity for none) minus `count`. */
function room(it: { readonly limit: number; readonly count: number }): number {
  return it.limit - it.count
}

export class StrataIterator extends AbstractIterator<EngineSource, Encoded, Encoded> {
  private readonly cursor: Cursor
  private readonly keyFormat: Format
  private readonly valueFormat: Format
  private readonly keys: boolean
  private readonly values: boolean

  constructor(db: EngineSource, options: IteratorOptions) {
    const cursor = translated(() => new Cursor(db.engine, options))
    super(db, options)
    this.cursor = cursor
    this.keyFormat = options.keyEncoding
    this.valueFormat = options.valueEncoding
    this.keys = options.keys
    this.values = options.values
  }

  async _next(): Promise<Entry | undefined> {
    return translated(() => (this.cursor.step() ? this.entry() : undefined))
  }

  async _nextv(size: number): Promise<Entry[]> {
    return translated(() => this.collect(size))
  }

  async _all(): Promise<Entry[]> {
    return translated(() => this.collect(room(this)))
  }

  _seek(target: Encoded): void {
    translated(() => this.cursor.seek(target))
  }

  async _close(): Promise<void> {
    this.cursor.close()
  }

  private collect(max: number): Entry[] {
    const out: Entry[] = []
    while (out.length < max && this.cursor.step()) out.push(this.entry())
    return out
  }

  private entry(): Entry {
    const c = this.cursor
    return [this.keys ? c.key(this.keyFormat) : undefined, this.values ? c.value(this.valueFormat) : undefined]
  }
}

export class StrataKeyIterator extends AbstractKeyIterator<EngineSource, Encoded> {
  private readonly cursor: Cursor
  private readonly format: Format

  constructor(db: EngineSource, options: RangeOptions & { keyEncoding: Format }) {
    const cursor = translated(() => new Cursor(db.engine, options))
    super(db, options)
    this.cursor = cursor
    this.format = options.keyEncoding
  }

  async _next(): Promise<Encoded | undefined> {
    return translated(() => (this.cursor.step() ? this.cursor.key(this.format) : undefined))
  }

  async _nextv(size: number): Promise<Encoded[]> {
    return translated(() => this.collect(size))
  }

  async _all(): Promise<Encoded[]> {
    return translated(() => this.collect(room(this)))
  }

  _seek(target: Encoded): void {
    translated(() => this.cursor.seek(target))
  }

  async _close(): Promise<void> {
    this.cursor.close()
  }

  private collect(max: number): Encoded[] {
    const out: Encoded[] = []
    while (out.length < max && this.cursor.step()) out.push(this.cursor.key(this.format))
    return out
  }
}

export class StrataValueIterator extends AbstractValueIterator<EngineSource, Encoded, Encoded> {
  private readonly cursor: Cursor
  private readonly format: Format

  constructor(db: EngineSource, options: RangeOptions & { valueEncoding: Format }) {
    const cursor = translated(() => new Cursor(db.engine, options))
    super(db, options)
    this.cursor = cursor
    this.format = options.valueEncoding
  }

  async _next(): Promise<Encoded | undefined> {
    return translated(() => (this.cursor.step() ? this.cursor.value(this.format) : undefined))
  }

  async _nextv(size: number): Promise<Encoded[]> {
    return translated(() => this.collect(size))
  }

  async _all(): Promise<Encoded[]> {
    return translated(() => this.collect(room(this)))
  }

  _seek(target: Encoded): void {
    translated(() => this.cursor.seek(target))
  }

  async _close(): Promise<void> {
    this.cursor.close()
  }

  private collect(max: number): Encoded[] {
    const out: Encoded[] = []
    while (out.length < max && this.cursor.step()) out.push(this.cursor.value(this.format))
    return out
  }
}
