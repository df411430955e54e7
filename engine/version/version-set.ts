// VersionSet: the current Version, the counters that survive restarts (next file number, last
// sequence, log number), and the MANIFEST that records every change. Format:
// format-spec/manifest.md; directory protocol (CURRENT, atomic replace): format-spec/directory.md.
//
// File lifetimes: a version is live while it is current or referenced (an iterator, a running
// compaction). A table file may be deleted only when no live version names it; liveFiles()
// gives that set. Every edit reaches the MANIFEST and is fdatasynced before the new version is
// installed, so an installed version is always recoverable.
import type { Comparator } from '../base/comparator.js'
import { CURRENT, joinPath, manifestFileName, tempFileName } from '../base/filenames.js'
import { corruption, StrataError } from '../errors.js'
import type { FileSystem, WritableFile } from '../fs/fs.js'
import { LogReader, LogWriter } from '../wal/index.js'
import type { FileMetaData } from './file-metadata.js'
import { NUM_LEVELS } from './format.js'
import { allowedSeeksFor } from './seek-compaction.js'
import { Version } from './version.js'
import { VersionEdit } from './version-edit.js'

/** A MANIFEST past this size is rewritten as one snapshot edit at the next change. */
const MANIFEST_ROTATE_BYTES = 64 * 1024 * 1024

export interface VersionSetOptions {
  fs: FileSystem
  dir: string
  icmp: Comparator
  /** The user comparator's name, recorded in and checked against the MANIFEST. */
  comparatorName: string
  /** Fail on any damage to the MANIFEST, not only a torn tail. */
  paranoid: boolean
}

export class VersionSet {
  current: Version
  nextFileNumber = 2
  lastSequence = 0
  logNumber = 0
  manifestNumber = 0
  readonly compactPointers: Array<Uint8Array | undefined> = new Array(NUM_LEVELS).fill(undefined)
  private readonly live = new Set<Version>()
  private manifest: { writer: LogWriter; file: WritableFile } | undefined
  /**
   * Called when a superseded version loses its last reference (an iterator closed, a
   * compaction finished): the files only it named may now be deleted.
   */
  onVersionDropped: (() => void) | undefined

  constructor(private readonly opts: VersionSetOptions) {
    this.current = Version.empty(opts.icmp)
    this.install(this.current)
  }

  newFileNumber(): number {
    return this.nextFileNumber++
  }

  /** Marks `n` used, so it is never handed out again (for numbers seen in recovery). */
  markFileNumberUsed(n: number): void {
    if (this.nextFileNumber <= n) this.nextFileNumber = n + 1
  }

  /** Reads CURRENT and replays its MANIFEST. REQUIRES: CURRENT exists. */
  recover(): void {
    const { fs, dir } = this.opts
    const currentPath = joinPath(dir, CURRENT)
    const text = fs.readFile(currentPath).toString('utf8')
    const m = /^MANIFEST-(\d{1,16})\n$/.exec(text)
    if (!m) throw corruption(CURRENT, 0, 'CURRENT does not name a MANIFEST followed by a newline')
    const name = `MANIFEST-${m[1]}`
    const bytes = fs.readFile(joinPath(dir, name))
    const reader = new LogReader(bytes, name, { mode: this.opts.paranoid ? 'absolute' : 'tolerate-torn-tail' })
    const builder = new LevelsBuilder(this.current)
    let logNumber: number | undefined
    let nextFile: number | undefined
    let lastSequence: number | undefined
    for (let rec = reader.readRecord(); rec !== undefined; rec = reader.readRecord()) {
      const edit = VersionEdit.decode(rec, name, reader.lastRecordOffset)
      if (edit.comparatorName !== undefined && edit.comparatorName !== this.opts.comparatorName) {
        throw new StrataError('INVALID_ARGUMENT', `database was created with comparator ${edit.comparatorName}, not ${this.opts.comparatorName}`)
      }
      builder.apply(edit)
      for (const p of edit.compactPointers) this.compactPointers[p.level] = p.key
      logNumber = edit.logNumber ?? logNumber
      nextFile = edit.nextFileNumber ?? nextFile
      lastSequence = edit.lastSequence ?? lastSequence
    }
    if (logNumber === undefined || nextFile === undefined || lastSequence === undefined) {
      throw corruption(name, 0, 'MANIFEST lacks a log number, next file number or last sequence')
    }
    this.manifestNumber = Number(m[1])
    this.logNumber = logNumber
    this.nextFileNumber = nextFile
    this.lastSequence = lastSequence
    this.markFileNumberUsed(this.manifestNumber)
    this.markFileNumberUsed(logNumber)
    const version = builder.build(this.opts.icmp, name)
    for (const files of version.files) for (const f of files) this.markFileNumberUsed(f.number)
    this.install(version)
  }

  /**
   * Applies `edit` to the current version, records it in the MANIFEST (starting a new MANIFEST
   * first where there is none yet or it has grown large) and installs the result.
   * On an I/O error nothing is installed and the error is thrown: the caller must stop writes.
   */
  logAndApply(edit: VersionEdit): Version {
    if (edit.logNumber !== undefined) this.logNumber = edit.logNumber
    edit.logNumber = this.logNumber
    edit.nextFileNumber = this.nextFileNumber
    edit.lastSequence = this.lastSequence
    const builder = new LevelsBuilder(this.current)
    builder.apply(edit)
    const version = builder.build(this.opts.icmp, 'version edit')
    if (this.manifest === undefined || this.manifest.writer.size > MANIFEST_ROTATE_BYTES) {
      this.startManifest(version, edit)
    } else {
      this.manifest.writer.addRecord(edit.encode())
      this.manifest.writer.sync()
    }
    for (const p of edit.compactPointers) this.compactPointers[p.level] = p.key
    this.install(version)
    return version
  }

  /** Every table file some live version names. */
  liveFiles(): Set<number> {
    const out = new Set<number>()
    for (const v of this.live) for (const files of v.files) for (const f of files) out.add(f.number)
    return out
  }

  close(): void {
    const m = this.manifest
    this.manifest = undefined
    m?.writer.close()
  }

  /** Writes a new MANIFEST holding the whole of `version`, then points CURRENT at it. */
  private startManifest(version: Version, edit: VersionEdit): void {
    const { fs, dir } = this.opts
    const number = this.newFileNumber()
    edit.nextFileNumber = this.nextFileNumber
    const snapshot = new VersionEdit()
    snapshot.comparatorName = this.opts.comparatorName
    snapshot.logNumber = edit.logNumber
    snapshot.nextFileNumber = this.nextFileNumber
    snapshot.lastSequence = edit.lastSequence
    this.compactPointers.forEach((key, level) => { if (key) snapshot.compactPointers.push({ level, key }) })
    for (const p of edit.compactPointers) snapshot.compactPointers.push(p)
    version.files.forEach((files, level) => { for (const f of files) snapshot.addFile(level, f) })
    const file = fs.create(joinPath(dir, manifestFileName(number)))
    const writer = new LogWriter(file)
    try {
      writer.addRecord(snapshot.encode())
      writer.sync()
      setCurrentFile(fs, dir, number, this.newFileNumber())
    } catch (err) {
      writer.close()
      throw err
    }
    this.manifest?.writer.close()
    this.manifest = { writer, file }
    this.manifestNumber = number
  }

  private install(version: Version): void {
    const old = this.current
    version.onUnreferenced = (v) => {
      if (v === this.current) return
      this.live.delete(v)
      this.onVersionDropped?.()
    }
    this.live.add(version)
    this.current = version
    version.ref()
    if (old !== version) old.unref()
  }
}

/** Writes CURRENT atomically: a temporary file, fsync, rename over CURRENT, fsync the directory. */
export function setCurrentFile(fs: FileSystem, dir: string, manifestNumber: number, tempNumber: number): void {
  const temp = joinPath(dir, tempFileName(tempNumber))
  const f = fs.create(temp)
  try {
    f.append(Buffer.from(`${manifestFileName(manifestNumber)}\n`, 'utf8'))
    f.sync()
  } finally {
    f.close()
  }
  fs.rename(temp, joinPath(dir, CURRENT))
  fs.syncDir(dir)
}

/** Accumulates edits over a base version and builds the next one. */
class LevelsBuilder {
  private readonly levels: Array<Map<number, FileMetaData>>

  constructor(base: Version) {
    this.levels = base.files.map((files) => new Map(files.map((f) => [f.number, f])))
  }

  apply(edit: VersionEdit): void {
    for (const d of edit.deletedFiles) this.levels[d.level]!.delete(d.number)
    for (const { level, file } of edit.newFiles) {
      file.allowedSeeks ??= allowedSeeksFor(file.size)
      this.levels[level]!.set(file.number, file)
    }
  }

  build(icmp: Comparator, source: string): Version {
    const files = this.levels.map((m, level) => {
      const list = [...m.values()]
      if (level === 0) list.sort((a, b) => a.number - b.number)
      else {
        list.sort((a, b) => icmp.compare(a.smallest, b.smallest))
        for (let i = 1; i < list.length; i++) {
          if (icmp.compare(list[i - 1]!.largest, list[i]!.smallest) >= 0) {
            throw corruption(source, 0, `overlapping files ${list[i - 1]!.number} and ${list[i]!.number} in level ${level}`)
          }
        }
      }
      return list
    })
    return new Version(files, icmp)
  }
}
