// strata verify DIR [--json]: reads every live file of a closed database and checks every
// checksum: the MANIFEST named by CURRENT, every table it names (verifyTable: every block from
// disk, key order, filters, properties) and every WAL that recovery would replay (framing and
// batch encoding). Holds the LOCK meanwhile, so a database in use is LOCKED, not misread.
// Prints one line per file; exit status 2 when any file is damaged.
import { forEachRecord } from '../engine/batch/index.js'
import { joinPath, LOCK, CURRENT } from '../engine/base/filenames.js'
import { invalidArgument, StrataError } from '../engine/errors.js'
import { verifyTable } from '../engine/sstable/index.js'
import { LogReader } from '../engine/wal/index.js'
import { parse } from './args.js'
import { currentManifest, fs, liveLogs, openTable, readManifest } from './inspect.js'
import type { Output } from './output.js'
import { Progress } from './progress.js'
import type { ProgressStream } from './progress.js'
import { showSize } from './render.js'

interface FileReport {
  file: string
  kind: 'manifest' | 'table' | 'log'
  bytes: number
  ok: boolean
  /** What was checked: entries and blocks of a table, records of a log, edits of a MANIFEST. */
  detail: string
  error?: string
  code?: string
}

export function verify(argv: readonly string[], out: Output, stream: ProgressStream = process.stderr): number {
  const { positionals, flags } = parse('verify', argv, { json: { type: 'boolean' } }, [1, 1])
  const dir = positionals[0]!
  if (!fs.exists(joinPath(dir, CURRENT))) throw invalidArgument(`${dir} holds no database (no CURRENT file)`)
  const lock = fs.lock(joinPath(dir, LOCK))
  let reports: FileReport[]
  try {
    reports = verifyDir(dir, stream)
  } finally {
    lock.release()
  }
  const damaged = reports.filter((r) => !r.ok)
  if (flags.json === true) out.json({ ok: damaged.length === 0, files: reports })
  else {
    for (const r of reports) out.line(`${r.ok ? 'ok     ' : 'DAMAGED'}  ${r.file.padEnd(16)} ${r.ok ? r.detail : `${r.code}: ${r.error}`}`)
    const bytes = reports.reduce((n, r) => n + r.bytes, 0)
    out.line(damaged.length === 0 ? `verified ${reports.length} files (${showSize(bytes)}): no damage` : `${damaged.length} of ${reports.length} files damaged`)
  }
  if (damaged.length > 0) throw new StrataError('CORRUPTION', `${damaged.length} of ${reports.length} files damaged; first: ${damaged[0]!.file}: ${damaged[0]!.error}`)
  return 0
}

function verifyDir(dir: string, stream: ProgressStream): FileReport[] {
  const manifestName = currentManifest(dir)
  const reports: FileReport[] = []
  const manifestReport = check(manifestName, 'manifest', fs.size(joinPath(dir, manifestName)), () => {
    const m = readManifest(joinPath(dir, manifestName), manifestName)
    const torn = m.dropped.length > 0 ? `; torn tail of ${m.dropped.reduce((n, d) => n + d.bytes, 0)} bytes dropped` : ''
    return { detail: `${m.records.length} edits${torn}`, manifest: m }
  })
  reports.push(manifestReport.report)
  const manifest = manifestReport.value?.manifest
  if (manifest === undefined) return reports
  const tables = manifest.files.flat()
  const logs = liveLogs(dir, manifest.logNumber ?? 0)
  const total = tables.reduce((n, f) => n + f.size, 0) + logs.reduce((n, l) => n + fs.size(joinPath(dir, l.name)), 0)
  const progress = new Progress('verifying', total, stream)
  for (const meta of tables) {
    const name = `${String(meta.number).padStart(6, '0')}.sst`
    const path = joinPath(dir, name)
    const { report } = check(name, 'table', meta.size, () => {
      if (!fs.exists(path)) throw new StrataError('CORRUPTION', `${manifestName} names ${name}, which is missing`)
      const size = fs.size(path)
      if (size !== meta.size) throw new StrataError('CORRUPTION', `${name} is ${size} bytes; ${manifestName} says ${meta.size}`)
      const reader = openTable(path, name, meta.number)
      try {
        const v = verifyTable(reader)
        return { detail: `${v.numEntries} entries in ${v.numDataBlocks} blocks, ${showSize(meta.size)}` }
      } finally {
        reader.close()
      }
    })
    reports.push(report)
    progress.advance(meta.size, name)
  }
  logs.forEach((log, i) => {
    const path = joinPath(dir, log.name)
    const bytes = fs.size(path)
    const { report } = check(log.name, 'log', bytes, () => {
      const newest = i === logs.length - 1
      const reader = new LogReader(fs.readFile(path), log.name, { mode: newest ? 'tolerate-torn-tail' : 'absolute' })
      let records = 0
      let ops = 0
      for (let rec = reader.readRecord(); rec !== undefined; rec = reader.readRecord()) {
        ops += forEachRecord(rec, log.name, reader.lastRecordOffset, () => {})
        records++
      }
      const torn = reader.dropped.length > 0 ? `; torn tail of ${reader.dropped.reduce((n, d) => n + d.bytes, 0)} bytes dropped` : ''
      return { detail: `${records} records, ${ops} operations${torn}` }
    })
    reports.push(report)
    progress.advance(bytes, log.name)
  })
  progress.finish()
  return reports
}

/** Runs one file's check; a StrataError becomes a failed report, anything else propagates. */
function check<T extends { detail: string }>(file: string, kind: FileReport['kind'], bytes: number, fn: () => T): { report: FileReport; value?: T } {
  try {
    const value = fn()
    return { report: { file, kind, bytes, ok: true, detail: value.detail }, value }
  } catch (err) {
    if (!(err instanceof StrataError)) throw err
    return { report: { file, kind, bytes, ok: false, detail: '', error: err.message, code: err.code } }
  }
}
