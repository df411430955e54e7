// Iterator bounds: a range of user keys whose ends are each inclusive, exclusive or absent,
// turned into checks that cost one comparison each, plus the gt/gte/lt/lte translation the
// public range options use (DESIGN.md, "Ranges": where both are given, gte and lte win).
import type { Comparator } from '../base/index.js'

/** A user-key range. An absent end is unbounded; its `Inclusive` flag is then ignored. */
export interface IteratorBounds {
  lower?: Uint8Array
  lowerInclusive: boolean
  upper?: Uint8Array
  upperInclusive: boolean
}

/** The public range options, after strings have become bytes at the API edge. */
export interface KeyRange {
  gt?: Uint8Array
  gte?: Uint8Array
  lt?: Uint8Array
  lte?: Uint8Array
}

/** Every key. */
export const UNBOUNDED: Readonly<IteratorBounds> = Object.freeze({ lowerInclusive: true, upperInclusive: true })

/** The bounds a gt/gte/lt/lte range names; gte beats gt and lte beats lt. Keeps the arrays given. */
export function boundsFromRange(range: Readonly<KeyRange>): IteratorBounds {
  const bounds: IteratorBounds = { lowerInclusive: true, upperInclusive: true }
  if (range.gte !== undefined) bounds.lower = range.gte
  else if (range.gt !== undefined) {
    bounds.lower = range.gt
    bounds.lowerInclusive = false
  }
  if (range.lte !== undefined) bounds.upper = range.lte
  else if (range.lt !== undefined) {
    bounds.upper = range.lt
    bounds.upperInclusive = false
  }
  return bounds
}

/**
 * Bounds ready for hot loops. The ends are copied, so the caller may reuse its arrays.
 * Each check is a single compare against a precomputed cut:
 *   above upper  <=>  compare(key, upper) >= upperCut   (1 if inclusive, 0 if exclusive)
 *   below lower  <=>  compare(key, lower) <  lowerCut   (0 if inclusive, 1 if exclusive)
 */
export class KeyBounds {
  readonly lower: Uint8Array | undefined
  readonly upper: Uint8Array | undefined
  readonly lowerInclusive: boolean
  readonly upperInclusive: boolean
  private readonly comparator: Comparator
  private readonly lowerCut: number
  private readonly upperCut: number

  constructor(comparator: Comparator, bounds: Readonly<IteratorBounds> = UNBOUNDED) {
    this.comparator = comparator
    this.lower = bounds.lower?.slice()
    this.upper = bounds.upper?.slice()
    this.lowerInclusive = bounds.lowerInclusive
    this.upperInclusive = bounds.upperInclusive
    this.lowerCut = bounds.lowerInclusive ? 0 : 1
    this.upperCut = bounds.upperInclusive ? 1 : 0
  }

  /** True when the user key buf[start, end) lies past the upper end. */
  aboveUpper(buf: Uint8Array, start: number, end: number): boolean {
    const upper = this.upper
    return upper !== undefined && this.comparator.compareRange(buf, start, end, upper, 0, upper.length) >= this.upperCut
  }

  /** True when the user key buf[start, end) lies before the lower end. */
  belowLower(buf: Uint8Array, start: number, end: number): boolean {
    const lower = this.lower
    return lower !== undefined && this.comparator.compareRange(buf, start, end, lower, 0, lower.length) < this.lowerCut
  }

  /** True when `key` lies inside the bounds. */
  contains(key: Uint8Array): boolean {
    return !this.belowLower(key, 0, key.length) && !this.aboveUpper(key, 0, key.length)
  }
}
