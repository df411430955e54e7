// strata dump sst FILE | wal FILE | manifest DIR|FILE [--hex] [--json]: a file's contents for
// people (or, with --json, one JSON object per line). Tables and MANIFESTs are decoded with
// every checksum checked (damage ends the dump with CORRUPTION); a WAL is read in salvage mode,
// so damaged regions are listed where they are and the records around them still shown.
import { basename } from 'node:path'
import { forEachRecord } from '../engine/batch/index.js'
import { KIND_DELETION, KIND_VALUE } from '../engine/base/internal-key.js'
import { StrataError } from '../engine/errors.js'
import type { FileMetaData, VersionEdit } from '../engine/version/index.js'
import { LogReader } from '../engine/wal/index.js'
import { parse, UsageError } from './args.js'
import { currentManifest, fs, openTable, readManifest, splitInternalKey } from './inspect.js'
import type { Output } from './output.js'
import type { RenderMode } from './render.js'
import { jsonBytes, showBytes, showSize } from './render.js'

const FLAGS = { hex: { type: 'boolean' }, json: { type: 'boolean' } } as const

export function dump(argv: readonly string[], out: Output): number {
  const what = argv[0]
  if (what !== 'sst' && what !== 'wal' && what !== 'manifest') throw new UsageError(`dump needs sst, wal or manifest, got ${JSON.stringify(what ?? '')}`, 'dump')
  const { positionals, flags } = parse(`dump ${what}`, argv.slice(1), FLAGS, [1, 1])
  const mode = { hex: flags.hex === true }
  const json = flags.json === true
  const target = positionals[0]!
  if (what === 'sst') dumpTable(target, mode, json, out)
  else if (what === 'wal') dumpLog(target, mode, json, out)
  else dumpManifest(target, mode, json, out)
  return 0
}

const kindName = (kind: number): string => (kind === KIND_VALUE ? 'put' : kind === KIND_DELETION ? 'del' : `kind ${kind}`)

/** An internal key for people: user key @sequence kind. */
function showInternal(key: Uint8Array, mode: RenderMode): string {
  const k = splitInternalKey(key)
  return `${showBytes(k.user, mode)} @${k.sequence} ${kindName(k.kind)}`
}

function jsonInternal(key: Uint8Array, mode: RenderMode): { key: unknown; sequence: number; kind: string } {
  const k = splitInternalKey(key)
  return { key: jsonBytes(k.user, mode), sequence: k.sequence, kind: kindName(k.kind) }
}

function dumpTable(path: string, mode: RenderMode, json: boolean, out: Output): void {
  const name = basename(path)
  const reader = openTable(path, name)
  try {
    const p = reader.properties
    const props = { ...p, smallestKey: p.numEntries > 0 ? jsonInternal(p.smallestKey, mode) : null, largestKey: p.numEntries > 0 ? jsonInternal(p.largestKey, mode) : null }
    if (json) out.json({ type: 'properties', file: name, ...props })
    else {
      out.line(`${name}: ${p.numEntries} entries in ${p.numDataBlocks} data blocks, ${showSize(fs.size(path))}`)
      for (const [k, v] of Object.entries(p)) {
        const shown = k === 'smallestKey' || k === 'largestKey' ? (p.numEntries > 0 ? showInternal(v as Uint8Array, mode) : '(none)') : String(v)
        out.line(`  ${k.padEnd(20)} ${shown}`)
      }
      out.line('entries:')
    }
    const it = reader.iterator()
    try {
      for (it.seekToFirst(); it.valid() && !out.broken; it.next()) {
        const key = splitInternalKey(it.key(), name)
        const value = it.value()
        if (json) out.json({ type: 'entry', key: jsonBytes(key.user, mode), sequence: key.sequence, kind: kindName(key.kind), ...(key.kind === KIND_VALUE ? { value: jsonBytes(value, mode) } : {}) })
        else out.line(`  ${showBytes(key.user, mode)} @${key.sequence} ${kindName(key.kind)}${key.kind === KIND_VALUE ? `\t${showBytes(value, mode)}` : ''}`)
      }
    } finally {
      it.close()
    }
  } finally {
    reader.close()
  }
}

function dumpLog(path: string, mode: RenderMode, json: boolean, out: Output): void {
  const name = basename(path)
  const reader = new LogReader(fs.readFile(path), name, { mode: 'skip-corrupted' })
  let shownDrops = 0
  const showDrops = (): void => {
    for (; shownDrops < reader.dropped.length; shownDrops++) {
      const d = reader.dropped[shownDrops]!
      if (json) out.json({ type: 'dropped', offset: d.offset, bytes: d.bytes, reason: d.reason })
      else out.line(`! @${d.offset}: ${d.bytes} bytes dropped: ${d.reason}`)
    }
  }
  if (!json) out.line(`${name}: ${showSize(fs.size(path))}`)
  for (let rec = reader.readRecord(); rec !== undefined && !out.broken; rec = reader.readRecord()) {
    showDrops()
    const offset = reader.lastRecordOffset
    const ops: Array<{ type: string; key: unknown; value?: unknown }> = []
    const lines: string[] = []
    try {
      let first = -1
      forEachRecord(rec, name, offset, (sequence, kind, buf, ks, ke, vs, ve) => {
        if (first < 0) first = sequence
        const key = buf.subarray(ks, ke)
        const value = buf.subarray(vs, ve)
        if (json) ops.push(kind === KIND_VALUE ? { type: 'put', key: jsonBytes(key, mode), value: jsonBytes(value, mode) } : { type: 'del', key: jsonBytes(key, mode) })
        else lines.push(kind === KIND_VALUE ? `  put ${showBytes(key, mode)}\t${showBytes(value, mode)}` : `  del ${showBytes(key, mode)}`)
      })
      if (json) out.json({ type: 'record', offset, sequence: first, ops })
      else {
        out.line(`@${offset}: batch of ${lines.length} at sequence ${first}`)
        for (const line of lines) out.line(line)
      }
    } catch (err) {
      if (!(err instanceof StrataError)) throw err
      if (json) out.json({ type: 'damaged-record', offset, error: err.message })
      else out.line(`! @${offset}: record does not decode: ${err.message}`)
    }
  }
  showDrops()
}

function dumpManifest(target: string, mode: RenderMode, json: boolean, out: Output): void {
  const isDir = fs.exists(`${target}/CURRENT`)
  const name = isDir ? currentManifest(target) : basename(target)
  const path = isDir ? `${target}/${name}` : target
  const m = readManifest(path, name)
  if (!json) out.line(`${name}: ${m.records.length} edits, ${showSize(fs.size(path))}`)
  for (const { offset, edit } of m.records) {
    if (json) out.json({ type: 'edit', offset, ...jsonEdit(edit, mode) })
    else {
      out.line(`@${offset}:`)
      for (const line of showEdit(edit, mode)) out.line(`  ${line}`)
    }
  }
  for (const d of m.dropped) {
    if (json) out.json({ type: 'dropped', offset: d.offset, bytes: d.bytes, reason: d.reason })
    else out.line(`! @${d.offset}: ${d.bytes} bytes dropped (torn tail): ${d.reason}`)
  }
  const counters = { logNumber: m.logNumber, nextFileNumber: m.nextFileNumber, lastSequence: m.lastSequence, comparator: m.comparator }
  if (json) out.json({ type: 'version', ...counters, levels: m.files.map((files) => files.map((f) => jsonFile(f, mode))) })
  else {
    out.line(`version: log number ${m.logNumber}, next file ${m.nextFileNumber}, last sequence ${m.lastSequence}, comparator ${m.comparator}`)
    m.files.forEach((files, level) => {
      if (files.length > 0) out.line(`  L${level}: ${files.map((f) => `${f.number} (${showSize(f.size)})`).join(', ')}`)
    })
  }
}

function showFile(f: FileMetaData, mode: RenderMode): string {
  return `${f.number}, ${f.size} bytes, ${showInternal(f.smallest, mode)} .. ${showInternal(f.largest, mode)}`
}

function jsonFile(f: FileMetaData, mode: RenderMode): object {
  return { number: f.number, size: f.size, smallest: jsonInternal(f.smallest, mode), largest: jsonInternal(f.largest, mode) }
}

function showEdit(e: VersionEdit, mode: RenderMode): string[] {
  const lines: string[] = []
  if (e.comparatorName !== undefined) lines.push(`comparator ${e.comparatorName}`)
  if (e.logNumber !== undefined) lines.push(`log number ${e.logNumber}`)
  if (e.nextFileNumber !== undefined) lines.push(`next file number ${e.nextFileNumber}`)
  if (e.lastSequence !== undefined) lines.push(`last sequence ${e.lastSequence}`)
  for (const p of e.compactPointers) lines.push(`compact pointer L${p.level} ${showInternal(p.key, mode)}`)
  for (const d of e.deletedFiles) lines.push(`delete L${d.level} ${d.number}`)
  for (const { level, file } of e.newFiles) lines.push(`add L${level} ${showFile(file, mode)}`)
  return lines
}

function jsonEdit(e: VersionEdit, mode: RenderMode): object {
  return {
    ...(e.comparatorName !== undefined ? { comparator: e.comparatorName } : {}),
    ...(e.logNumber !== undefined ? { logNumber: e.logNumber } : {}),
    ...(e.nextFileNumber !== undefined ? { nextFileNumber: e.nextFileNumber } : {}),
    ...(e.lastSequence !== undefined ? { lastSequence: e.lastSequence } : {}),
    compactPointers: e.compactPointers.map((p) => ({ level: p.level, ...jsonInternal(p.key, mode) })),
    deletedFiles: e.deletedFiles,
    newFiles: e.newFiles.map(({ level, file }) => ({ level, ...jsonFile(file, mode) })),
  }
}
