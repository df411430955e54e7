// Version: one immutable set of live SSTables, per level. L0 files may overlap and are kept in
// file-number order (oldest first, so readers walk it backwards, newest first); in L1..L6 files
// are disjoint and sorted by smallest key. Readers pin a version with ref()/unref() so the files
// it names outlive later edits (see version-set.ts, "file lifetimes").
import { compareFrom, type CommonPrefix, type Comparator } from '../base/comparator.js'
import { TRAILER_SIZE } from '../base/internal-key.js'
import type { FileMetaData } from './file-metadata.js'
import { NUM_LEVELS } from './format.js'

/** findFile's common-prefix out-parameter (versions are read from one thread). */
const prefix: CommonPrefix = { lcp: 0 }

export class Version {
  /** files[level]: L0 by file number ascending; L1+ by smallest key. Never mutated once built. */
  readonly files: ReadonlyArray<readonly FileMetaData[]>
  private refs = 0
  /** Called when the last ref is dropped (the version set forgets the version). */
  onUnreferenced: ((v: Version) => void) | undefined

  constructor(files: ReadonlyArray<readonly FileMetaData[]>, readonly icmp: Comparator) {
    this.files = files
  }

  static empty(icmp: Comparator): Version {
    return new Version(Array.from({ length: NUM_LEVELS }, () => []), icmp)
  }

  ref(): void {
    this.refs++
  }

  unref(): void {
    if (--this.refs === 0) this.onUnreferenced?.(this)
  }

  get referenced(): boolean {
    return this.refs > 0
  }

  levelBytes(level: number): number {
    let n = 0
    for (const f of this.files[level]!) n += f.size
    return n
  }

  /**
   * Index of the first file in a sorted level (L1+) whose largest key >= `internalKey`,
   * or files.length. REQUIRES: level >= 1.
   */
  findFile(level: number, internalKey: Uint8Array): number {
    const files = this.files[level]!
    const trailer = this.icmp.bytewiseTrailer
    let lo = 0
    let hi = files.length
    if (trailer === undefined) {
      while (lo < hi) {
        const mid = (lo + hi) >>> 1
        if (this.icmp.compare(files[mid]!.largest, internalKey) < 0) lo = mid + 1
        else hi = mid
      }
      return lo
    }
    // Bytewise keys: the files left between two compared ones have largest keys that share with
    // the target at least the shorter of those two's common prefixes with it, so each compare
    // starts there (db_bench keys share 10-13 leading bytes with their neighbours).
    let lcpLo = 0
    let lcpHi = 0
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const k = files[mid]!.largest
      const from = lcpLo < lcpHi ? lcpLo : lcpHi
      if (compareFrom(trailer, k, 0, k.length, internalKey, 0, internalKey.length, from, prefix) < 0) {
        lo = mid + 1
        lcpLo = prefix.lcp
      } else {
        hi = mid
        lcpHi = prefix.lcp
      }
    }
    return lo
  }

  /**
   * Files of `level` whose user-key range overlaps [begin, end] (user keys; undefined = open).
   * For L0 the range widens to the union of the overlapping files' ranges, since L0 files
   * overlap each other, so the result is closed under overlap.
   */
  overlappingInputs(level: number, user: Comparator, begin?: Uint8Array, end?: Uint8Array): FileMetaData[] {
    const out: FileMetaData[] = []
    let lo = begin
    let hi = end
    const files = this.files[level]!
    for (let i = 0; i < files.length; ) {
      const f = files[i++]!
      const fSmall = f.smallest.subarray(0, f.smallest.length - TRAILER_SIZE)
      const fLarge = f.largest.subarray(0, f.largest.length - TRAILER_SIZE)
      if (lo !== undefined && user.compare(fLarge, lo) < 0) continue
      if (hi !== undefined && user.compare(fSmall, hi) > 0) continue
      out.push(f)
      if (level === 0) {
        let widened = false
        if (lo !== undefined && user.compare(fSmall, lo) < 0) { lo = fSmall; widened = true }
        if (hi !== undefined && user.compare(fLarge, hi) > 0) { hi = fLarge; widened = true }
        if (widened) { out.length = 0; i = 0 }
      }
    }
    return out
  }
}
