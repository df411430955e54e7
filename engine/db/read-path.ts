// The read path: point lookups (memtable, immutable memtable, L0 newest first, then one file
// per deeper level) and the merged internal iterator that scans are built on.
import { copyBytes } from '../base/bytes.js'
import type { InternalIterator } from '../base/internal-iterator.js'
import { KIND_DELETION, KIND_SEEK, putTrailer, TRAILER_SIZE } from '../base/internal-key.js'
import { mergeIterators } from '../iterator/index.js'
import type { LookupResult } from '../memtable/index.js'
import { filterHash } from '../sstable/index.js'
import { chargeSeek, LevelIterator } from '../version/index.js'
import type { FileMetaData, OpenTable, Version } from '../version/index.js'
import type { DBCore } from './core.js'

/** Per-database scratch for point lookups, so a get allocates only the value it returns. */
export class LookupScratch {
  private buf = new Uint8Array(256)
  /** The last view handed out, reused while keys keep its length (they usually do). */
  private view = this.buf.subarray(0, 0)
  readonly mem: LookupResult = { value: undefined, sequence: 0 }

  /** userKey · trailer(sequence, KIND_SEEK), a view valid until the next call. */
  key(userKey: Uint8Array, sequence: number): Uint8Array {
    const need = userKey.length + TRAILER_SIZE
    if (this.buf.length < need) this.buf = new Uint8Array(need * 2)
    if (this.view.length !== need || this.view.buffer !== this.buf.buffer) this.view = this.buf.subarray(0, need)
    this.buf.set(userKey, 0)
    putTrailer(this.buf, userKey.length, sequence, KIND_SEEK)
    return this.view
  }
}

/** The newest value of `userKey` visible at `sequence`, as a Buffer the caller owns. */
export function getValue(core: DBCore, userKey: Uint8Array, sequence: number): Buffer | undefined {
  const memResult = core.lookup.mem
  const state = core.mem.get(userKey, sequence, memResult)
  if (state === 'value') return memResult.value
  if (state === 'deleted') return undefined
  for (let i = core.imms.length - 1; i >= 0; i--) {
    const frozen = core.imms[i]!.mem.get(userKey, sequence, memResult)
    if (frozen === 'value') return memResult.value
    if (frozen === 'deleted') return undefined
  }
  const lookup = core.lookup.key(userKey, sequence)
  const hash = filterHash(userKey, 0, userKey.length) // tables filter user keys (suffix = trailer)
  const version = core.versions.current
  const { ucmp } = core
  // The first file looked in, charged a wasted probe once a second one is (seek-compaction.ts).
  let first: FileMetaData | undefined
  let firstLevel = 0
  let charged = false
  const l0 = version.files[0]!
  for (let i = l0.length - 1; i >= 0; i--) {
    const f = l0[i]!
    if (!inRange(core, f, userKey)) continue
    if (first === undefined) first = f
    else if (!charged) charged = charge(core, first, 0)
    const found = searchTable(core, f, lookup, userKey, hash)
    if (found !== NOT_FOUND) return found
  }
  for (let level = 1; level < version.files.length; level++) {
    const files = version.files[level]!
    if (files.length === 0) continue
    const f = files[version.findFile(level, lookup)]
    if (f === undefined) continue
    if (ucmp.compareRange(f.smallest, 0, f.smallest.length - TRAILER_SIZE, userKey, 0, userKey.length) > 0) continue
    if (first === undefined) {
      first = f
      firstLevel = level
    } else if (!charged) {
      charged = charge(core, first, firstLevel)
    }
    const found = searchTable(core, f, lookup, userKey, hash)
    if (found !== NOT_FOUND) return found
  }
  return undefined
}

/**
 * Charges `f` a wasted probe; once it has used up its allowance and no other file waits, it
 * becomes the seek candidate: worker mode starts compacting it before the next read
 * (Background.beforeRead), inline mode at its next compaction check, as a read never runs a
 * compaction on the caller's thread. Returns true.
 */
function charge(core: DBCore, f: FileMetaData, level: number): true {
  if (chargeSeek(f) && core.seekCandidate === undefined) core.seekCandidate = { file: f, level }
  return true
}

const NOT_FOUND = Symbol('not found')

/** A value, undefined for a deletion, or NOT_FOUND when the table holds no version. */
function searchTable(core: DBCore, f: FileMetaData, lookup: Uint8Array, userKey: Uint8Array, hash: number): Buffer | undefined | typeof NOT_FOUND {
  const reader = core.tableCache.get(f.number)
  if (!reader.seekEntry(lookup, hash)) return NOT_FOUND
  const found = reader.found
  const k = found.keyBuffer
  const userKeyEnd = found.keyLength - TRAILER_SIZE
  if (core.ucmp.compareRange(k, 0, userKeyEnd, userKey, 0, userKey.length) !== 0) return NOT_FOUND
  if (k[userKeyEnd] === KIND_DELETION) return undefined
  return copyBytes(found.blockData, found.valueOffset, found.valueLimit)
}

function inRange(core: DBCore, f: FileMetaData, userKey: Uint8Array): boolean {
  const { ucmp } = core
  return (
    ucmp.compareRange(userKey, 0, userKey.length, f.smallest, 0, f.smallest.length - TRAILER_SIZE) >= 0 &&
    ucmp.compareRange(userKey, 0, userKey.length, f.largest, 0, f.largest.length - TRAILER_SIZE) <= 0
  )
}

/** A merged view of every source, pinned until `release`. */
export interface PinnedSources {
  iter: InternalIterator
  release(): void
}

/** Merges the memtables and every table of the current version, newest source first. */
export function newInternalIterator(core: DBCore): PinnedSources {
  const version: Version = core.versions.current
  version.ref()
  const children: InternalIterator[] = []
  children.push(core.mem.iterator())
  for (let i = core.imms.length - 1; i >= 0; i--) children.push(core.imms[i]!.mem.iterator())
  const open = (f: FileMetaData): OpenTable => {
    const handle = core.tableCache.acquire(f.number)
    return { iter: handle.reader.iterator(), release: () => handle.release() }
  }
  const l0 = version.files[0]!
  for (let i = l0.length - 1; i >= 0; i--) {
    const t = open(l0[i]!)
    children.push(withRelease(t.iter, t.release))
  }
  for (let level = 1; level < version.files.length; level++) {
    const files = version.files[level]!
    if (files.length > 0) children.push(new LevelIterator(files, core.icmp, open))
  }
  const iter = mergeIterators(core.icmp, children)
  let released = false
  return {
    iter,
    release: () => {
      if (released) return
      released = true
      iter.close()
      version.unref()
    },
  }
}

/** Wraps an iterator so that closing it also releases what opened it. */
function withRelease(iter: InternalIterator, release: () => void): InternalIterator {
  const close = iter.close.bind(iter)
  iter.close = () => {
    close()
    release()
  }
  return iter
}
