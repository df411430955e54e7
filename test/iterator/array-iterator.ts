// Test helpers: an InternalIterator over a sorted array of entries that holds its users to
// the InternalIterator contract, and small builders for internal keys.
//
// Strictness: moving while not valid, or reading key()/value() while not valid, throws; every
// view key() and value() handed out is overwritten with 0xee bytes on the next move, so a
// caller that keeps a stale view sees garbage instead of silently passing.
import type { Comparator, InternalIterator } from '../../engine/base/index.js'

export interface TestEntry {
  readonly key: Uint8Array
  readonly value: Uint8Array
}

export class ArrayIterator implements InternalIterator {
  /** How many times close() was called. */
  closeCount = 0
  /** Moves made (seeks included), to check that work is bounded. */
  moves = 0
  private pos = -1
  private served: Uint8Array[] = []

  constructor(
    private readonly comparator: Comparator,
    private readonly entries: readonly TestEntry[],
  ) {
    for (let i = 1; i < entries.length; i++) {
      if (comparator.compare(entries[i - 1]!.key, entries[i]!.key) >= 0) throw new Error(`entries not strictly sorted at ${i}`)
    }
  }

  valid(): boolean {
    return this.pos >= 0 && this.pos < this.entries.length
  }

  seekToFirst(): void {
    this.moveTo(0)
  }

  seekToLast(): void {
    this.moveTo(this.entries.length - 1)
  }

  seek(target: Uint8Array): void {
    let lo = 0
    let hi = this.entries.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.comparator.compare(this.entries[mid]!.key, target) < 0) lo = mid + 1
      else hi = mid
    }
    this.moveTo(lo)
  }

  next(): void {
    this.requireValid('next')
    this.moveTo(this.pos + 1)
  }

  prev(): void {
    this.requireValid('prev')
    this.moveTo(this.pos - 1)
  }

  key(): Uint8Array {
    this.requireValid('key')
    return this.serve(this.entries[this.pos]!.key)
  }

  value(): Uint8Array {
    this.requireValid('value')
    return this.serve(this.entries[this.pos]!.value)
  }

  close(): void {
    this.closeCount++
    this.pos = -1
  }

  private moveTo(pos: number): void {
    if (this.closeCount > 0) throw new Error('move after close')
    this.moves++
    for (const view of this.served) view.fill(0xee)
    this.served = []
    this.pos = pos < 0 ? -1 : Math.min(pos, this.entries.length)
  }

  private serve(bytes: Uint8Array): Uint8Array {
    const copy = bytes.slice()
    this.served.push(copy)
    return copy
  }

  private requireValid(op: string): void {
    if (!this.valid()) throw new Error(`${op}() on an iterator that is not valid`)
  }
}

/** An iterator whose every move after the first `healthyMoves` throws `error`. */
export class FailingIterator extends ArrayIterator {
  private left: number

  constructor(comparator: Comparator, entries: readonly TestEntry[], healthyMoves: number, private readonly error: Error) {
    super(comparator, entries)
    this.left = healthyMoves
  }

  override seekToFirst(): void {
    this.tick()
    super.seekToFirst()
  }

  override seek(target: Uint8Array): void {
    this.tick()
    super.seek(target)
  }

  override next(): void {
    this.tick()
    super.next()
  }

  private tick(): void {
    if (this.left-- <= 0) throw this.error
  }
}

export const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values)
export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s)
export const hex = (u: Uint8Array): string => Buffer.from(u).toString('hex')
