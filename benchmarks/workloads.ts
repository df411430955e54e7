// The db_bench workloads: their names, what database each starts from, how many operations it
// runs for a given --num, and the correctness check a read workload must pass. Pure data and
// arithmetic: no engine code, so the parent process (run.ts) can plan without loading an engine.
//
// Semantics follow LevelDB's db_bench (benchmarks/README.md, "Workloads"), with one deliberate
// difference: fillrandom writes every key of [0, num) exactly once in shuffled order (db_bench
// draws with replacement), so that readrandom on its result can demand that every key is found.

export const WORKLOAD_NAMES = [
  'fillseq',
  'fillrandom',
  'overwrite',
  'fillbatch',
  'fillsync',
  'sync-x64',
  'readrandom',
  'readmissing',
  'readseq',
  'readreverse',
  'seekrandom',
  'deleterandom',
] as const

export type WorkloadName = (typeof WORKLOAD_NAMES)[number]

/**
 * Where a workload's database comes from.
 * - fresh: an empty directory, removed after the run.
 * - read: the shared read database of the engine (the first fillrandom's result), not changed.
 * - copy: a private copy of the read database, made untimed before the run, removed after it.
 */
export type DatabaseSource = 'fresh' | 'read' | 'copy'

/** How a workload picks its keys (indices into [0, num)); see keyOrder in keys.ts. */
export type KeyPattern = 'sequential' | 'shuffled' | 'uniform' | 'none'

export interface Workload {
  readonly name: WorkloadName
  readonly description: string
  readonly source: DatabaseSource
  readonly keys: KeyPattern
  /** True when the workload writes: on-disk size and write amplification are measured after it. */
  readonly writes: boolean
}

const W = (
  name: WorkloadName,
  source: DatabaseSource,
  keys: KeyPattern,
  writes: boolean,
  description: string,
): Workload => Object.freeze({ name, source, keys, writes, description })

export const WORKLOADS: ReadonlyMap<WorkloadName, Workload> = new Map(
  [
    W('fillseq', 'fresh', 'sequential', true, 'write num entries in key order'),
    W('fillrandom', 'fresh', 'shuffled', true, 'write each of num keys once, in random order'),
    W('overwrite', 'copy', 'uniform', true, 'write num random existing keys (with repeats)'),
    W('fillbatch', 'fresh', 'sequential', true, 'write num entries in key order, 1,000 per batch'),
    W('fillsync', 'fresh', 'shuffled', true, 'write num/100 (>= 1,000) random keys, each sync: true'),
    W('sync-x64', 'fresh', 'shuffled', true, 'as fillsync, from 64 concurrent writers (group commit)'),
    W('readrandom', 'read', 'uniform', false, 'get `reads` random existing keys'),
    W('readmissing', 'read', 'uniform', false, "get `reads` random missing keys (an existing key + '.')"),
    W('readseq', 'read', 'none', false, 'scan the whole database forward'),
    W('readreverse', 'read', 'none', false, 'scan the whole database backward'),
    W('seekrandom', 'read', 'uniform', false, 'seek to `reads` random keys, read 10 entries from each'),
    W('deleterandom', 'copy', 'uniform', true, 'delete num random keys (with repeats)'),
  ].map((w) => [w.name, w]),
)

export function workload(name: WorkloadName): Workload {
  const w = WORKLOADS.get(name)
  if (w === undefined) throw new Error(`unknown workload ${name}`)
  return w
}

export function isWorkloadName(s: string): s is WorkloadName {
  return (WORKLOAD_NAMES as readonly string[]).includes(s)
}

/** Entries the sync workloads write: num/100, at least 1,000, at most num. */
export function syncEntries(num: number): number {
  return Math.min(num, Math.max(1000, Math.floor(num / 100)))
}

/** Workloads that look up random keys; they run `reads` operations (db_bench --reads). */
export const RANDOM_READS: ReadonlySet<WorkloadName> = new Set(['readrandom', 'readmissing', 'seekrandom'])

/**
 * Operations a keyed workload runs: entries written or deleted, keys looked up, seeks. (Scans
 * read the whole database.)
 */
export function operationCount(name: WorkloadName, num: number, reads: number): number {
  if (name === 'fillsync' || name === 'sync-x64') return syncEntries(num)
  return RANDOM_READS.has(name) ? reads : num
}

/** The database every read workload expects: exactly the keys 0 .. num-1, one value each. */
export interface ReadCheck {
  /** Operations that must find their key (readrandom, seekrandom: all of them; readmissing: 0). */
  readonly found?: number
  /** Entries a full scan must count. */
  readonly entries?: number
}

export function expectedCheck(name: WorkloadName, num: number, reads: number): ReadCheck | undefined {
  switch (name) {
    case 'readrandom':
    case 'seekrandom':
      return { found: reads }
    case 'readmissing':
      return { found: 0 }
    case 'readseq':
    case 'readreverse':
      return { entries: num }
    default:
      return undefined
  }
}
