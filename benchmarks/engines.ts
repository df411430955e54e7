// The engines the suite compares, as rows of the report, and the contract a driver implements.
// This file is metadata only: the parent process plans with it and never loads an engine; the
// worker child imports a driver through `load`.
//
// Adding an engine (e.g. lmdb): write engines/<name>.ts exporting a `driver: EngineDriver`, add
// its id to ENGINE_IDS and a spec below with its own `family`. The report then gets a "vs <family>"
// ratio column and the SVG a bar per family, with no other change.
import type { ValuePool } from './keys.js'
import type { BenchSettings } from './settings.js'
import type { LatencyRecorder } from './stats.js'
import type { WorkloadName } from './workloads.js'

export const ENGINE_IDS = ['strata', 'leveldb', 'leveldb-await', 'lmdb', 'disk'] as const
export type EngineId = (typeof ENGINE_IDS)[number]

/** What one workload did, counted by the driver while it ran. */
export interface Tally {
  /** Entries written, deleted, looked up or read by a scan / after seeks. */
  entries: number
  /** Lookups or seeks that found an entry. */
  found: number
  /** Key and value bytes written or read. */
  bytes: number
}

/**
 * An open database under test. Every method runs one whole workload, timing each operation into
 * `rec` (scans: each batch of up to 1,000 entries, as a per-entry time). `keys` are key numbers
 * (keys.ts, writeKey); value i of a write is `values.value(i)`.
 */
export interface Session {
  /** One write per key, in order; each with sync: true if `sync`. */
  fill(keys: Int32Array, sync: boolean, rec: LatencyRecorder): Promise<Tally>
  /** The keys written in atomic batches of `settings.batchSize`. */
  fillBatch(keys: Int32Array, rec: LatencyRecorder): Promise<Tally>
  /** `settings.writers` concurrent writers share the keys, every write with sync: true. */
  fillConcurrentSync(keys: Int32Array, rec: LatencyRecorder): Promise<Tally>
  /** A point lookup per key; of the missing neighbour (key + '.') if `missing`. */
  get(keys: Int32Array, missing: boolean, rec: LatencyRecorder): Promise<Tally>
  /** Reads every entry, forward or backward. */
  scan(reverse: boolean, rec: LatencyRecorder): Promise<Tally>
  /** Per key: seek to it, then read up to `settings.seekNexts` entries. */
  seek(keys: Int32Array, rec: LatencyRecorder): Promise<Tally>
  /** One delete per key. */
  del(keys: Int32Array, rec: LatencyRecorder): Promise<Tally>
  /** The engine's own write amplification since open, if it reports one. */
  writeAmplification(): number | undefined
  close(): Promise<void>
}

export interface EngineDriver {
  /** The engine's version, for the report. */
  version(): string
  open(dir: string, settings: BenchSettings, values: ValuePool): Promise<Session>
}

export interface EngineSpec {
  readonly id: EngineId
  /** Row label in the report. */
  readonly label: string
  /** Engines of one family read the same files: they share one read database. */
  readonly family: string
  /** The engine under test: ratios are its speed over the best engine of each other family. */
  readonly subject: boolean
  /** The workloads this row runs, with the API each one goes through. */
  readonly api: Readonly<Partial<Record<WorkloadName, string>>>
  /** Imports the driver (in the worker only). */
  readonly load: () => Promise<EngineDriver>
}

const STRATA_API: Readonly<Record<WorkloadName, string>> = {
  fillseq: 'db.put',
  fillrandom: 'db.put',
  overwrite: 'db.put',
  fillbatch: 'db.write(WriteBatch)',
  fillsync: 'db.put {sync}',
  'sync-x64': 'await db.writeAsync {sync}',
  readrandom: 'db.get',
  readmissing: 'db.get',
  readseq: 'cursor next()',
  readreverse: 'cursor prev()',
  seekrandom: 'cursor seek() + next()',
  deleterandom: 'db.delete',
}

// classic-level writes are async only: the fastest honest single write is an awaited put, so the
// write workloads have one leveldb row; "leveldb (await)" adds the promise path of reads.
const LEVELDB_API: Readonly<Record<WorkloadName, string>> = {
  fillseq: 'await db.put',
  fillrandom: 'await db.put',
  overwrite: 'await db.put',
  fillbatch: 'await db.batch(array)',
  fillsync: 'await db.put {sync}',
  'sync-x64': '64 x await db.put {sync}',
  readrandom: 'db.getSync',
  readmissing: 'db.getSync',
  readseq: 'iterator nextv(1000)',
  readreverse: 'iterator nextv(1000)',
  seekrandom: 'iterator seek() + nextv(10)',
  deleterandom: 'await db.del',
}

const LEVELDB_AWAIT_API: Readonly<Partial<Record<WorkloadName, string>>> = {
  readrandom: 'await db.get',
  readmissing: 'await db.get',
  readseq: 'for await (iterator)',
  readreverse: 'for await (iterator)',
  seekrandom: 'iterator seek() + await next() x10',
}

// lmdb-js (engines/lmdb.ts): its synchronous API, each write its own transaction; unsynced
// writes in an environment opened with noSync, synced ones awaiting db.flushed.
const LMDB_API: Readonly<Record<WorkloadName, string>> = {
  fillseq: 'db.putSync',
  fillrandom: 'db.putSync',
  overwrite: 'db.putSync',
  fillbatch: 'db.transactionSync(1,000 puts)',
  fillsync: 'await db.put + db.flushed',
  'sync-x64': '64 x await db.put + db.flushed',
  readrandom: 'db.getBinary',
  readmissing: 'db.getBinary',
  readseq: 'db.getRange()',
  readreverse: 'db.getRange({reverse})',
  seekrandom: 'db.getRange({start, limit: 10})',
  deleterandom: 'db.removeSync',
}

// The disk's floor for a synced single write (engines/disk.ts): fillsync only.
const DISK_API: Readonly<Partial<Record<WorkloadName, string>>> = {
  fillsync: 'fs.writeSync + fs.fdatasyncSync',
}

export const ENGINES: ReadonlyMap<EngineId, EngineSpec> = new Map<EngineId, EngineSpec>([
  ['strata', {
    id: 'strata', label: 'stratadb', family: 'strata', subject: true, api: STRATA_API,
    load: async () => (await import('./engines/strata.js')).driver,
  }],
  ['leveldb', {
    id: 'leveldb', label: 'leveldb', family: 'leveldb', subject: false, api: LEVELDB_API,
    load: async () => (await import('./engines/leveldb.js')).fastDriver,
  }],
  ['leveldb-await', {
    id: 'leveldb-await', label: 'leveldb (await)', family: 'leveldb', subject: false, api: LEVELDB_AWAIT_API,
    load: async () => (await import('./engines/leveldb-await.js')).awaitDriver,
  }],
  ['lmdb', {
    id: 'lmdb', label: 'lmdb', family: 'lmdb', subject: false, api: LMDB_API,
    load: async () => (await import('./engines/lmdb.js')).driver,
  }],
  ['disk', {
    id: 'disk', label: 'disk (append+fdatasync)', family: 'disk', subject: false, api: DISK_API,
    load: async () => (await import('./engines/disk.js')).diskDriver,
  }],
])

export function engineSpec(id: EngineId): EngineSpec {
  const spec = ENGINES.get(id)
  if (spec === undefined) throw new Error(`unknown engine ${id}`)
  return spec
}

export function isEngineId(s: string): s is EngineId {
  return (ENGINE_IDS as readonly string[]).includes(s)
}

export function supports(id: EngineId, w: WorkloadName): boolean {
  return engineSpec(id).api[w] !== undefined
}

/** The engine that builds a family's read database (an untimed fillrandom). */
export function loaderOf(family: string): EngineId {
  for (const spec of ENGINES.values()) if (spec.family === family && spec.api.fillrandom !== undefined) return spec.id
  throw new Error(`no engine of family ${family} can run fillrandom`)
}
