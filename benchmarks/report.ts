// The results of one invocation as a document: one row per workload and engine (the median
// run), the ratios of the engine under test over the best row of every other family, the
// machine, the settings and the footnotes. run.ts prints it (table.ts), writes it as JSON and
// draws its ratios (svg.ts).
import type { EngineId } from './engines.js'
import { engineSpec, ENGINES } from './engines.js'
import type { CheckResult } from './job.js'
import type { MachineInfo } from './machine.js'
import type { Outcome } from './orchestrate.js'
import type { BenchSettings } from './settings.js'
import { MiB } from './settings.js'
import type { LatencySummary } from './stats.js'
import type { WorkloadName } from './workloads.js'
import { syncEntries } from './workloads.js'

export interface ReportRow {
  workload: WorkloadName
  engine: EngineId
  label: string
  family: string
  api: string
  ops: number
  usPerOp: number
  opsPerSec: number
  mbPerSec: number | null
  latency: LatencySummary
  check: CheckResult | null
  diskBytes: number | null
  writeAmp: number | null
  writeAmpIo: number | null
  maxRssBytes: number
  baseRssBytes: number
  /** ops/s of every run, in order (the row is the median one). */
  runsOpsPerSec: number[]
  /** On the subject's rows: its ops/s over the best row of each other family, by family. */
  ratios: Record<string, number>
  /** Failed runs. A row whose every run failed has zeros and this set. */
  errors: string[]
}

/** Where and how the run was made. */
export interface RunContext {
  /** The flags run.js was given. */
  command: string
  /** The scratch directory the databases lived in, and its file system. */
  scratch: string
  filesystem: string | undefined
}

export const REPORT_TITLE = 'stratadb vs LevelDB (classic-level) and LMDB (lmdb-js): db_bench-style workloads'

export interface Report {
  title: string
  context: RunContext
  machine: MachineInfo
  loadBefore: number[]
  loadAfter: number[]
  durationSeconds: number
  settings: BenchSettings
  runs: number
  /** Engine label -> version, as the workers reported. */
  versions: Record<string, string>
  rows: ReportRow[]
  notes: string[]
  /** Failed checks and failed runs: a report with any is not a valid measurement. */
  problems: string[]
}

export interface ReportInput {
  context: RunContext
  machine: MachineInfo
  loadBefore: number[]
  loadAfter: number[]
  durationSeconds: number
  settings: BenchSettings
  runs: number
  outcomes: readonly Outcome[]
}

export function buildReport(input: ReportInput): Report {
  const rows = input.outcomes.map(toRow)
  addRatios(rows)
  const versions: Record<string, string> = {}
  const problems: string[] = []
  for (const o of input.outcomes) {
    for (const r of o.runs) {
      versions[r.label] = r.engineVersion
      if (r.check && !r.check.ok) problems.push(`${r.workload} ${r.label}: check failed ${r.check.text}`)
    }
    for (const e of o.errors) problems.push(`${o.workload} ${engineSpec(o.engine).label}: ${e}`)
  }
  return {
    title: REPORT_TITLE,
    context: input.context,
    machine: input.machine,
    loadBefore: input.loadBefore,
    loadAfter: input.loadAfter,
    durationSeconds: input.durationSeconds,
    settings: input.settings,
    runs: input.runs,
    versions,
    rows,
    notes: notes(input.settings, input.runs, input.loadBefore, input.loadAfter, input.machine.cores),
    problems,
  }
}

function toRow(o: Outcome): ReportRow {
  const spec = engineSpec(o.engine)
  const m = o.median
  const base = {
    workload: o.workload,
    engine: o.engine,
    label: spec.label,
    family: spec.family,
    api: spec.api[o.workload] ?? '',
    runsOpsPerSec: o.runs.map((r) => r.opsPerSec),
    ratios: {},
    errors: o.errors,
  }
  if (m === undefined) {
    const zero = { samples: 0, meanUs: 0, p50Us: 0, p99Us: 0, p999Us: 0, maxUs: 0 }
    return { ...base, ops: 0, usPerOp: 0, opsPerSec: 0, mbPerSec: null, latency: zero, check: null, diskBytes: null, writeAmp: null, writeAmpIo: null, maxRssBytes: 0, baseRssBytes: 0 }
  }
  const { ops, usPerOp, opsPerSec, mbPerSec, latency, check, diskBytes, writeAmp, writeAmpIo, maxRssBytes, baseRssBytes } = m
  return { ...base, ops, usPerOp, opsPerSec, mbPerSec, latency, check, diskBytes, writeAmp, writeAmpIo, maxRssBytes, baseRssBytes }
}

/** Sets, on each subject row, its speed over the best successful row of every other family. */
function addRatios(rows: ReportRow[]): void {
  const subjects = new Set([...ENGINES.values()].filter((s) => s.subject).map((s) => s.family))
  for (const row of rows) {
    if (!subjects.has(row.family) || row.opsPerSec === 0) continue
    const best = new Map<string, number>()
    for (const other of rows) {
      if (other.workload !== row.workload || other.family === row.family || other.opsPerSec === 0) continue
      best.set(other.family, Math.max(best.get(other.family) ?? 0, other.opsPerSec))
    }
    for (const [family, ops] of best) row.ratios[family] = row.opsPerSec / ops
  }
}

/** The families that appear as a ratio column, in registry order. */
export function ratioFamilies(report: Report): string[] {
  const present = new Set(report.rows.flatMap((r) => Object.keys(r.ratios)))
  return [...new Set([...ENGINES.values()].map((s) => s.family))].filter((f) => present.has(f))
}

function notes(s: BenchSettings, runs: number, before: number[], after: number[], cores: number): string[] {
  const load = (l: number[]): string => l.map((x) => x.toFixed(2)).join(' / ')
  const busy = Math.max(before[0] ?? 0, after[0] ?? 0) > cores * 0.5
  return [
    `Each workload runs in a fresh child process per engine, after a sync(1) that writes back the previous job's dirty pages; engines alternate order between runs; ${runs} run(s), the median by ops/s is shown.`,
    `fillsync and sync-x64 write ${syncEntries(s.num).toLocaleString('en-US')} entries (num/100, at least 1,000), as db_bench uses fewer entries for sync fills; sync-x64 spreads them over ${s.writers} concurrent writers, each write sync: true.`,
    'fillrandom writes every key once in shuffled order (db_bench draws keys with repeats), so the read workloads can require every key to be found.',
    'Read workloads reopen the database the first fillrandom left (or an untimed fillrandom builds it); overwrite and deleterandom run on a fresh copy of it each run. Opening (WAL replay) is not timed.',
    `Bloom filters: stratadb ${s.bloomBitsPerKey} bits/key; LevelDB 10 bits/key (classic-level always sets NewBloomFilterPolicy(10), and exposes no option for it).`,
    `Compression: stratadb lz4, LevelDB Snappy. Both: write buffer ${s.writeBufferBytes / MiB} MiB, ${s.blockSize} B blocks, block cache ${s.cacheBytes / MiB} MiB, max open files ${s.maxOpenFiles}.`,
    'classic-level has no synchronous write, so its write rows use awaited calls (the same path "leveldb (await)" would take; that row covers the reads).',
    'lmdb (lmdb-js): each write its own transaction; unsynced writes in an environment opened with noSync (to the OS, no fsync, as the others\' unsynced writes), synced ones await db.flushed. It has no cache, compression or filter settings: the OS page cache over its memory map is its cache.',
    'ratio = stratadb ops/s / best leveldb row ops/s (> 1: stratadb is faster); vs lmdb likewise. vs disk (fillsync only): stratadb ops/s / the rate of a bare fs.writeSync + fs.fdatasyncSync per entry on the same file system (1.0 = no cost above the disk\'s).',
    'Latency percentiles per operation; fillbatch, readseq and readreverse: per entry, timed in batches of 1,000.',
    'MB/s counts key + value bytes, 1 MB = 1,048,576 bytes (as db_bench).',
    'w-amp: stratadb db.stats().writeAmplification; leveldb and lmdb: bytes the worker wrote (/proc/self/io wchar, open to close) per user key+value byte. io w-amp: that measure for every engine.',
    'disk MB: the database directory after close. RSS: the worker\'s peak, including the harness\'s own key and latency arrays (same for every engine).',
    `Load average (1/5/15 min) before: ${load(before)}; after: ${load(after)} on ${cores} cores${busy ? ' -- the machine was busy: expect noise' : ''}.`,
  ]
}
