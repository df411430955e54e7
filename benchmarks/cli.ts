// Command-line flags of run.ts, parsed and checked into the options of one invocation.
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { EngineId } from './engines.js'
import { ENGINES, isEngineId } from './engines.js'
import type { BenchSettings } from './settings.js'
import type { StrataCompaction } from './settings.js'
import { DEFAULT_SETTINGS, MiB, QUICK_NUM, QUICK_READS, STRATA_COMPACTION_MODES } from './settings.js'
import type { WorkloadName } from './workloads.js'
import { isWorkloadName, WORKLOAD_NAMES } from './workloads.js'

/** Seconds a job may run before its worker is killed. */
const QUICK_TIMEOUT_S = 120
const FULL_TIMEOUT_S = 3600

export const USAGE = `usage: node dist/benchmarks/run.js [flags]
  --quick               ${QUICK_NUM.toLocaleString('en-US')} entries, ${QUICK_READS.toLocaleString('en-US')} random reads, 1 run
                        (unless --num / --reads / --runs say otherwise)
  --num N               entries (default ${DEFAULT_SETTINGS.num.toLocaleString('en-US')})
  --reads N             operations of readrandom, readmissing, seekrandom (default: num; ${QUICK_READS.toLocaleString('en-US')} with --quick)
  --workloads a,b,c     any of: ${WORKLOAD_NAMES.join(', ')}
  --engines a,b         strata, leveldb (both leveldb rows), leveldb-await, lmdb, disk (fillsync's floor); default all
  --no-await            leave out the "leveldb (await)" row
  --runs R              runs per workload; the median by ops/s is reported (default 1 with --quick, else 3)
  --dir D               scratch directory for the databases (default: the OS temp dir)
  --cache-size MiB      block cache of both engines (default ${DEFAULT_SETTINGS.cacheBytes / MiB})
  --write-buffer-size MiB  memtable / write buffer of both engines (default ${DEFAULT_SETTINGS.writeBufferBytes / MiB})
  --value-size B        value bytes (default ${DEFAULT_SETTINGS.valueSize})
  --seed N              seed of keys and values (default ${DEFAULT_SETTINGS.seed})
  --compaction MODE     stratadb's compaction option: worker or inline (default: the engine's default)
  --timeout S           seconds after which a job's worker is killed and the job fails
                        (default ${QUICK_TIMEOUT_S} with --quick, else ${FULL_TIMEOUT_S})
  --json PATH           where to write the JSON results (default benchmarks/results/latest.json)
  --svg PATH            where to write the SVG chart (default benchmarks/results/latest.svg)
  --keep                keep the scratch databases
  --in-process          run the jobs in this process instead of one child each (debugging only)`

export interface CliOptions {
  readonly settings: BenchSettings
  readonly workloads: readonly WorkloadName[]
  readonly engines: readonly EngineId[]
  readonly runs: number
  readonly quick: boolean
  readonly scratchRoot: string
  readonly jsonPath: string
  readonly svgPath: string
  readonly timeoutMs: number
  readonly keep: boolean
  readonly inProcess: boolean
  readonly help: boolean
}

/** Parses argv (without node and the script); `resultsDir` is where JSON and SVG go by default. */
export function parseCli(argv: readonly string[], resultsDir: string): CliOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      quick: { type: 'boolean', default: false },
      num: { type: 'string' },
      reads: { type: 'string' },
      workloads: { type: 'string' },
      engines: { type: 'string' },
      'no-await': { type: 'boolean', default: false },
      runs: { type: 'string' },
      dir: { type: 'string' },
      'cache-size': { type: 'string' },
      'write-buffer-size': { type: 'string' },
      'value-size': { type: 'string' },
      seed: { type: 'string' },
      compaction: { type: 'string' },
      timeout: { type: 'string' },
      json: { type: 'string' },
      svg: { type: 'string' },
      keep: { type: 'boolean', default: false },
      'in-process': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  const quick = values.quick
  const num = int('--num', values.num, quick ? QUICK_NUM : DEFAULT_SETTINGS.num, 1)
  const settings: BenchSettings = {
    ...DEFAULT_SETTINGS,
    num,
    reads: int('--reads', values.reads, quick && values.num === undefined ? QUICK_READS : num, 1),
    cacheBytes: int('--cache-size', values['cache-size'], DEFAULT_SETTINGS.cacheBytes / MiB, 0) * MiB,
    writeBufferBytes: int('--write-buffer-size', values['write-buffer-size'], DEFAULT_SETTINGS.writeBufferBytes / MiB, 1) * MiB,
    valueSize: int('--value-size', values['value-size'], DEFAULT_SETTINGS.valueSize, 1),
    seed: int('--seed', values.seed, DEFAULT_SETTINGS.seed, 0),
    strataCompaction: compaction(values.compaction),
  }
  return {
    settings,
    workloads: list(values.workloads, WORKLOAD_NAMES, isWorkloadName, '--workloads'),
    engines: engines(values.engines, values['no-await']),
    runs: int('--runs', values.runs, quick ? 1 : 3, 1),
    quick,
    scratchRoot: resolve(values.dir ?? tmpdir()),
    jsonPath: resolve(values.json ?? join(resultsDir, 'latest.json')),
    svgPath: resolve(values.svg ?? join(resultsDir, 'latest.svg')),
    timeoutMs: int('--timeout', values.timeout, quick ? QUICK_TIMEOUT_S : FULL_TIMEOUT_S, 1) * 1000,
    keep: values.keep,
    inProcess: values['in-process'],
    help: values.help,
  }
}

function int(flag: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback
  const n = Number(text.replaceAll('_', ''))
  if (!Number.isSafeInteger(n) || n < min) throw new Error(`${flag} must be an integer >= ${min}, got ${text}`)
  return n
}

function compaction(text: string | undefined): StrataCompaction {
  if (text === undefined) return DEFAULT_SETTINGS.strataCompaction
  const mode = STRATA_COMPACTION_MODES.find((m) => m === text && m !== 'default')
  if (mode === undefined) throw new Error(`--compaction must be worker or inline, got ${text}`)
  return mode
}

function list<T extends string>(text: string | undefined, all: readonly T[], is: (s: string) => s is T, flag: string): T[] {
  if (text === undefined) return [...all]
  const out: T[] = []
  for (const item of text.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    if (!is(item)) throw new Error(`${flag}: unknown ${item}; choose from ${all.join(', ')}`)
    if (!out.includes(item)) out.push(item)
  }
  if (out.length === 0) throw new Error(`${flag} names nothing`)
  return out
}

/** A family name selects every engine of the family; an engine id selects that engine. */
function engines(text: string | undefined, noAwait: boolean): EngineId[] {
  const specs = [...ENGINES.values()]
  const names = text === undefined ? specs.map((s) => s.family) : text.split(',').map((s) => s.trim()).filter((s) => s !== '')
  const out: EngineId[] = []
  for (const name of names) {
    const family = specs.filter((s) => s.family === name).map((s) => s.id)
    const picked = family.length > 0 ? family : isEngineId(name) ? [name] : []
    if (picked.length === 0) throw new Error(`--engines: unknown ${name}; choose from strata, leveldb, leveldb-await, disk`)
    for (const id of picked) if (!out.includes(id) && !(noAwait && id === 'leveldb-await')) out.push(id)
  }
  if (out.length === 0) throw new Error('--engines names nothing')
  return out
}
