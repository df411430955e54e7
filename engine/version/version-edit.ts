// VersionEdit: one change to the set of live files, as recorded in the MANIFEST.
// Format: format-spec/manifest.md, "Version edit".
//
//   edit  := field*
//   field := varint tag · payload          (tags in format.ts)
//   string := varint length · bytes
//   comparator: string; log number, next file number, last sequence: varint
//   compact pointer: varint level · string internal key
//   deleted file: varint level · varint file number
//   new file: varint level · varint number · varint size · string smallest · string largest
import { getVarint, putVarint, varint, varintLength } from '../base/coding.js'
import { corruption } from '../errors.js'
import type { FileMetaData } from './file-metadata.js'
import {
  NUM_LEVELS, TAG_COMPACT_POINTER, TAG_COMPARATOR, TAG_DELETED_FILE, TAG_LAST_SEQUENCE,
  TAG_LOG_NUMBER, TAG_NEW_FILE, TAG_NEXT_FILE_NUMBER,
} from './format.js'

export class VersionEdit {
  comparatorName: string | undefined
  logNumber: number | undefined
  nextFileNumber: number | undefined
  lastSequence: number | undefined
  readonly compactPointers: Array<{ level: number; key: Uint8Array }> = []
  readonly deletedFiles: Array<{ level: number; number: number }> = []
  readonly newFiles: Array<{ level: number; file: FileMetaData }> = []

  addFile(level: number, file: FileMetaData): this {
    this.newFiles.push({ level, file })
    return this
  }

  deleteFile(level: number, number: number): this {
    this.deletedFiles.push({ level, number })
    return this
  }

  encode(): Uint8Array {
    const name = this.comparatorName === undefined ? undefined : Buffer.from(this.comparatorName, 'utf8')
    let size = 0
    if (name) size += 1 + varintLength(name.length) + name.length
    for (const v of [this.logNumber, this.nextFileNumber, this.lastSequence]) {
      if (v !== undefined) size += 1 + varintLength(v)
    }
    for (const p of this.compactPointers) size += 2 + varintLength(p.key.length) + p.key.length
    for (const d of this.deletedFiles) size += 2 + varintLength(d.number)
    for (const { file } of this.newFiles) {
      size += 2 + varintLength(file.number) + varintLength(file.size)
      size += varintLength(file.smallest.length) + file.smallest.length
      size += varintLength(file.largest.length) + file.largest.length
    }
    const out = new Uint8Array(size)
    let o = 0
    const bytes = (b: Uint8Array): void => {
      o = putVarint(out, o, b.length)
      out.set(b, o)
      o += b.length
    }
    if (name) {
      o = putVarint(out, o, TAG_COMPARATOR)
      bytes(name)
    }
    if (this.logNumber !== undefined) o = putVarint(out, putVarint(out, o, TAG_LOG_NUMBER), this.logNumber)
    if (this.nextFileNumber !== undefined) o = putVarint(out, putVarint(out, o, TAG_NEXT_FILE_NUMBER), this.nextFileNumber)
    if (this.lastSequence !== undefined) o = putVarint(out, putVarint(out, o, TAG_LAST_SEQUENCE), this.lastSequence)
    for (const p of this.compactPointers) {
      o = putVarint(out, putVarint(out, o, TAG_COMPACT_POINTER), p.level)
      bytes(p.key)
    }
    for (const d of this.deletedFiles) {
      o = putVarint(out, putVarint(out, o, TAG_DELETED_FILE), d.level)
      o = putVarint(out, o, d.number)
    }
    for (const { level, file } of this.newFiles) {
      o = putVarint(out, putVarint(out, o, TAG_NEW_FILE), level)
      o = putVarint(out, o, file.number)
      o = putVarint(out, o, file.size)
      bytes(file.smallest)
      bytes(file.largest)
    }
    return out
  }

  /** Decodes one edit; damage is CORRUPTION at `file`@`fileOffset` (the record's offset). */
  static decode(buf: Uint8Array, file: string, fileOffset: number): VersionEdit {
    const edit = new VersionEdit()
    const end = buf.length
    let o = 0
    const fail = (what: string): never => {
      throw corruption(file, fileOffset, `version edit: ${what} at byte ${o}`)
    }
    const num = (what: string): number => {
      const next = getVarint(buf, o, end)
      if (next < 0) fail(`bad ${what}`)
      o = next
      return varint.value
    }
    const level = (): number => {
      const l = num('level')
      if (l >= NUM_LEVELS) fail(`level ${l} out of range`)
      return l
    }
    const bytes = (what: string): Uint8Array => {
      const len = num(`${what} length`)
      if (len > end - o) fail(`${what} runs past the end`)
      const b = buf.slice(o, o + len)
      o += len
      return b
    }
    while (o < end) {
      const tag = num('tag')
      switch (tag) {
        case TAG_COMPARATOR: edit.comparatorName = Buffer.from(bytes('comparator')).toString('utf8'); break
        case TAG_LOG_NUMBER: edit.logNumber = num('log number'); break
        case TAG_NEXT_FILE_NUMBER: edit.nextFileNumber = num('next file number'); break
        case TAG_LAST_SEQUENCE: edit.lastSequence = num('last sequence'); break
        case TAG_COMPACT_POINTER: edit.compactPointers.push({ level: level(), key: bytes('compact pointer') }); break
        case TAG_DELETED_FILE: edit.deletedFiles.push({ level: level(), number: num('file number') }); break
        case TAG_NEW_FILE: {
          const l = level()
          const number = num('file number')
          const size = num('file size')
          const smallest = bytes('smallest key')
          const largest = bytes('largest key')
          if (smallest.length < 8 || largest.length < 8) fail('file key shorter than its trailer')
          edit.newFiles.push({ level: l, file: { number, size, smallest, largest } })
          break
        }
        default: fail(`unknown tag ${tag}`)
      }
    }
    return edit
  }
}
