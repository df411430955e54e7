// One benchmark job: one workload on one engine in one database directory, and its result.
// runJob is what the worker child runs (worker.ts); the smoke test calls it in-process.
//
// Untimed: generating the keys and values, opening the database (WAL replay included), closing
// it. Timed: the workload's loop, from before its first operation to after its last.
import type { EngineId, Session, Tally } from './engines.js'
import { engineSpec } from './engines.js'
import { keyOrder, ValuePool } from './keys.js'
import { directoryBytes, peakRssBytes, writtenBytes } from './measure.js'
import type { BenchSettings } from './settings.js'
import { LatencyRecorder } from './stats.js'
import type { LatencySummary } from './stats.js'
import type { WorkloadName } from './workloads.js'
import { expectedCheck, operationCount, workload, WORKLOAD_NAMES } from './workloads.js'

export interface Job {
  readonly engine: EngineId
  readonly workload: WorkloadName
  /** The database directory (created if missing). */
  readonly dir: string
  readonly settings: BenchSettings
}

export interface CheckResult {
  ok: boolean
  /** db_bench style: "(100000 of 100000 found)". */
  text: string
}

export interface JobResult {
  engine: EngineId
  label: string
  engineVersion: string
  workload: WorkloadName
  /** The API the workload went through. */
  api: string
  /** Operations timed: writes, deletes, lookups, seeks, or entries of a scan. */
  ops: number
  tally: Tally
  seconds: number
  usPerOp: number
  opsPerSec: number
  /** Key and value MiB per second; null where db_bench prints none (readmissing, deleterandom). */
  mbPerSec: number | null
  latency: LatencySummary
  check: CheckResult | null
  /** After a writing workload: bytes of the directory's files, once closed. */
  diskBytes: number | null
  /** stratadb: db.stats().writeAmplification; others: writeAmpIo. Writing workloads only. */
  writeAmp: number | null
  /** Bytes the process wrote (open to close, /proc/self/io) per user key+value byte. */
  writeAmpIo: number | null
  /** Peak RSS of the worker, harness arrays included (see baseRssBytes). */
  maxRssBytes: number
  /** RSS once keys, values and the latency array exist, before the database opens. */
  baseRssBytes: number
  openMs: number
}

/** Runs `job` in this process and measures it. */
export async function runJob(job: Job): Promise<JobResult> {
  const { settings } = job
  const spec = engineSpec(job.engine)
  const api = spec.api[job.workload]
  if (api === undefined) throw new Error(`${spec.label} does not run ${job.workload}`)
  const w = workload(job.workload)
  const count = operationCount(w.name, settings.num, settings.reads)
  const seed = (settings.seed * 31 + WORKLOAD_NAMES.indexOf(w.name)) >>> 0
  const keys = w.keys === 'none' ? new Int32Array(0) : keyOrder(w.keys, settings.num, count, seed)
  const values = new ValuePool(settings.valueSize, settings.valueCompressionRatio, settings.seed)
  const rec = new LatencyRecorder(samplesNeeded(w.name, count, settings))
  const baseRssBytes = process.memoryUsage().rss

  const driver = await spec.load()
  const written0 = writtenBytes()
  const tOpen = performance.now()
  const session = await driver.open(job.dir, settings, values)
  const openMs = performance.now() - tOpen
  let tally: Tally
  let seconds: number
  let engineWriteAmp: number | undefined
  try {
    const t0 = performance.now()
    tally = await dispatch(session, w.name, keys, rec)
    seconds = (performance.now() - t0) / 1000
    engineWriteAmp = session.writeAmplification()
  } finally {
    await session.close()
  }
  const written1 = writtenBytes()

  const ops = w.keys === 'none' ? tally.entries : keys.length
  const userBytes = tally.bytes
  const writeAmpIo = w.writes && written0 !== undefined && written1 !== undefined && userBytes > 0
    ? (written1 - written0) / userBytes
    : null
  const noThroughput = w.name === 'readmissing' || w.name === 'deleterandom'
  return {
    engine: spec.id,
    label: spec.label,
    engineVersion: driver.version(),
    workload: w.name,
    api,
    ops,
    tally,
    seconds,
    usPerOp: ops === 0 ? 0 : (seconds * 1e6) / ops,
    opsPerSec: seconds === 0 ? 0 : ops / seconds,
    mbPerSec: noThroughput || seconds === 0 ? null : tally.bytes / (1024 * 1024) / seconds,
    latency: rec.summary(),
    check: check(w.name, settings, ops, tally),
    diskBytes: w.writes ? directoryBytes(job.dir) : null,
    writeAmp: w.writes ? (engineWriteAmp ?? writeAmpIo) : null,
    writeAmpIo,
    maxRssBytes: peakRssBytes(),
    baseRssBytes,
    openMs,
  }
}

function dispatch(s: Session, name: WorkloadName, keys: Int32Array, rec: LatencyRecorder): Promise<Tally> {
  switch (name) {
    case 'fillseq':
    case 'fillrandom':
    case 'overwrite':
      return s.fill(keys, false, rec)
    case 'fillsync':
      return s.fill(keys, true, rec)
    case 'fillbatch':
      return s.fillBatch(keys, rec)
    case 'sync-x64':
      return s.fillConcurrentSync(keys, rec)
    case 'readrandom':
      return s.get(keys, false, rec)
    case 'readmissing':
      return s.get(keys, true, rec)
    case 'readseq':
      return s.scan(false, rec)
    case 'readreverse':
      return s.scan(true, rec)
    case 'seekrandom':
      return s.seek(keys, rec)
    case 'deleterandom':
      return s.del(keys, rec)
  }
}

/** Latency samples a workload records: one per operation, per batch, or per 1,000 scanned. */
function samplesNeeded(name: WorkloadName, count: number, settings: BenchSettings): number {
  if (name === 'fillbatch') return Math.ceil(count / settings.batchSize)
  if (name === 'readseq' || name === 'readreverse') return Math.ceil(settings.num / 1000) + 16
  return count
}

function check(name: WorkloadName, settings: BenchSettings, ops: number, tally: Tally): CheckResult | null {
  const want = expectedCheck(name, settings.num, settings.reads)
  if (want === undefined) return null
  if (want.entries !== undefined) {
    return { ok: tally.entries === want.entries, text: `(${tally.entries} of ${want.entries} entries)` }
  }
  const found = want.found ?? 0
  return { ok: tally.found === found, text: `(${tally.found} of ${ops} found)` }
}
