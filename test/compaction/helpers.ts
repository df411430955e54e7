// Test helpers for the compaction layer: entries as plain records, tables written with
// TableBuilder into a MemFileSystem and read back, synthetic file metadata for the picker, and
// a level-ordered model reader (L0 newest file first, then one file per deeper level) to
// compare what readers see before and after a compaction.
import { bytewiseComparator, internalKeyComparator } from '../../engine/base/comparator.js'
import { joinPath, tableFileName } from '../../engine/base/filenames.js'
import {
  KIND_DELETION, KIND_VALUE, kindAt, makeInternalKey, sequenceAt, TRAILER_SIZE,
} from '../../engine/base/internal-key.js'
import type { CompactionEditDescription, CompactionTableOptions } from '../../engine/compaction/index.js'
import type { FileSystem } from '../../engine/fs/fs.js'
import { MemFileSystem } from '../../engine/fs/mem-fs.js'
import { TableBuilder, TableReader } from '../../engine/sstable/index.js'
import { NUM_LEVELS, Version } from '../../engine/version/index.js'
import type { FileMetaData } from '../../engine/version/index.js'

export const ucmp = bytewiseComparator
export const icmp = internalKeyComparator(ucmp)
export const DIR = '/db'

export const enc = (s: string): Uint8Array => Buffer.from(s, 'utf8')
export const str = (u: Uint8Array): string => Buffer.from(u).toString('latin1')
export const hex = (u: Uint8Array): string => Buffer.from(u).toString('hex')

/** One version of a user key. `value` is ignored for deletions. */
export interface Entry {
  readonly user: Uint8Array
  readonly seq: number
  readonly kind: number
  readonly value: Uint8Array
}

export const put = (user: string, seq: number, value = `v${seq}`): Entry =>
  ({ user: enc(user), seq, kind: KIND_VALUE, value: enc(value) })
export const del = (user: string, seq: number): Entry => ({ user: enc(user), seq, kind: KIND_DELETION, value: new Uint8Array(0) })

export const ikey = (e: Entry): Uint8Array => makeInternalKey(e.user, e.seq, e.kind)
export const sortEntries = (es: readonly Entry[]): Entry[] => [...es].sort((a, b) => icmp.compare(ikey(a), ikey(b)))
/** "user@seq" or "user@seq:del", for readable comparisons. */
export const label = (e: Entry): string => `${str(e.user)}@${e.seq}${e.kind === KIND_DELETION ? ':del' : ''}`

export const TABLE: CompactionTableOptions = Object.freeze({
  blockSize: 256, blockRestartInterval: 4, bloomBitsPerKey: 10, compression: 'none',
})

export function newFs(): MemFileSystem {
  const fs = new MemFileSystem()
  fs.mkdir(DIR)
  return fs
}

/** Writes `entries` (any order) as table `number` in `dir`; returns its metadata. */
export function writeTable(fs: FileSystem, number: number, entries: readonly Entry[], table = TABLE, dir = DIR): FileMetaData {
  const file = fs.create(joinPath(dir, tableFileName(number)))
  const builder = new TableBuilder(file, { comparator: icmp, ...table, filterSuffixLength: TRAILER_SIZE })
  for (const e of sortEntries(entries)) builder.add(ikey(e), e.value)
  const p = builder.finish()
  file.close()
  return { number, size: file.size, smallest: p.smallestKey, largest: p.largestKey }
}

/** Every entry of table `file` in `dir`, in table order. */
export function readTable(fs: FileSystem, file: FileMetaData, dir = DIR): Entry[] {
  const name = tableFileName(file.number)
  const reader = TableReader.open(fs.openRead(joinPath(dir, name)), name, {
    comparator: icmp, filterSuffixLength: TRAILER_SIZE, fileNumber: file.number, verifyChecksums: true,
  })
  const out: Entry[] = []
  const it = reader.iterator()
  for (it.seekToFirst(); it.valid(); it.next()) {
    const k = it.key()
    out.push({ user: k.slice(0, k.length - TRAILER_SIZE), seq: sequenceAt(k, k.length), kind: kindAt(k, k.length), value: it.value().slice() })
  }
  it.close()
  reader.close()
  return out
}

/** Metadata for a file that need not exist (picker tests). Keys are "user@seq". */
export function meta(number: number, smallest: string, largest: string, size = 1000): FileMetaData {
  return { number, size, smallest: parseKey(smallest), largest: parseKey(largest) }
}

function parseKey(s: string): Uint8Array {
  const at = s.lastIndexOf('@')
  return at < 0 ? makeInternalKey(enc(s), 100, KIND_VALUE) : makeInternalKey(enc(s.slice(0, at)), Number(s.slice(at + 1)), KIND_VALUE)
}

/** A Version from per-level file lists (missing levels are empty; L0 sorted by number). */
export function versionOf(levels: ReadonlyArray<readonly FileMetaData[]>): Version {
  const files = Array.from({ length: NUM_LEVELS }, (_, l) => [...(levels[l] ?? [])])
  files[0]!.sort((a, b) => a.number - b.number)
  return new Version(files, icmp)
}

export const numbers = (files: readonly FileMetaData[]): number[] => files.map((f) => f.number)

/** The file set after an edit: deleted files gone, added ones in place (L1+ sorted by key). */
export function applyEdit(levels: ReadonlyArray<readonly FileMetaData[]>, edit: CompactionEditDescription): FileMetaData[][] {
  const out = Array.from({ length: NUM_LEVELS }, (_, l) => [...(levels[l] ?? [])])
  for (const d of edit.deleted) {
    const i = out[d.level]!.findIndex((f) => f.number === d.number)
    if (i < 0) throw new Error(`edit deletes file ${d.number}, absent from L${d.level}`)
    out[d.level]!.splice(i, 1)
  }
  for (const a of edit.added) out[a.level]!.push(a.file)
  out[0]!.sort((a, b) => a.number - b.number)
  for (let l = 1; l < NUM_LEVELS; l++) out[l]!.sort((a, b) => icmp.compare(a.smallest, b.smallest))
  return out
}

/** Throws unless every level L1+ is sorted with no user key in two files. */
export function checkLevelsDisjoint(levels: ReadonlyArray<readonly FileMetaData[]>): void {
  for (let l = 1; l < levels.length; l++) {
    const files = levels[l]!
    for (let i = 1; i < files.length; i++) {
      const a = files[i - 1]!.largest
      const b = files[i]!.smallest
      if (ucmp.compareRange(a, 0, a.length - TRAILER_SIZE, b, 0, b.length - TRAILER_SIZE) >= 0) {
        throw new Error(`L${l}: files ${files[i - 1]!.number} and ${files[i]!.number} share or overlap user keys`)
      }
    }
  }
}

/**
 * What a read of `user` at sequence `seq` returns, walking files the way the read path does:
 * L0 newest first, then the one file of each deeper level whose range holds the key. The
 * first file with a version at or below `seq` decides. `contents` maps file number to entries.
 */
export function readModel(
  levels: ReadonlyArray<readonly FileMetaData[]>, contents: ReadonlyMap<number, readonly Entry[]>, user: Uint8Array, seq: number,
): string {
  const inRange = (f: FileMetaData): boolean =>
    ucmp.compareRange(user, 0, user.length, f.smallest, 0, f.smallest.length - TRAILER_SIZE) >= 0 &&
    ucmp.compareRange(user, 0, user.length, f.largest, 0, f.largest.length - TRAILER_SIZE) <= 0
  const search = (f: FileMetaData): string | undefined => {
    const hit = contents.get(f.number)!.find((e) => ucmp.compare(e.user, user) === 0 && e.seq <= seq)
    if (hit === undefined) return undefined
    return hit.kind === KIND_DELETION ? 'deleted' : `value:${hex(hit.value)}`
  }
  const l0 = levels[0] ?? []
  for (let i = l0.length - 1; i >= 0; i--) {
    if (!inRange(l0[i]!)) continue
    const r = search(l0[i]!)
    if (r !== undefined) return r
  }
  for (let l = 1; l < levels.length; l++) {
    const holders = levels[l]!.filter(inRange)
    if (holders.length > 1) throw new Error(`L${l}: user key ${str(user)} in ${holders.length} files`)
    const r = holders[0] === undefined ? undefined : search(holders[0])
    if (r !== undefined) return r
  }
  return 'absent'
}
