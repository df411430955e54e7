// The parent/worker protocol: the job travels as JSON in argv[2], the answer as one IPC message.
// parseJob checks the job's shape, since a worker can also be started by hand.
import { isEngineId } from './engines.js'
import type { Job, JobResult } from './job.js'
import type { BenchSettings } from './settings.js'
import { DEFAULT_SETTINGS, STRATA_COMPACTION_MODES } from './settings.js'
import { isWorkloadName } from './workloads.js'

/** The one message a worker sends: its result, or the error that stopped it. */
export type WorkerMessage = { result: JobResult } | { error: string }

/** The job encoded in `arg`; throws a readable Error if it is not one. */
export function parseJob(arg: string | undefined): Job {
  if (arg === undefined) throw new Error('usage: node worker.js \'{"engine":..,"workload":..,"dir":..,"settings":{..}}\'')
  const raw = JSON.parse(arg) as Record<string, unknown>
  const { engine, workload, dir, settings } = raw
  if (typeof engine !== 'string' || !isEngineId(engine)) throw new Error(`bad engine ${String(engine)}`)
  if (typeof workload !== 'string' || !isWorkloadName(workload)) throw new Error(`bad workload ${String(workload)}`)
  if (typeof dir !== 'string' || dir === '') throw new Error('bad dir')
  return { engine, workload, dir, settings: parseSettings(settings) }
}

function parseSettings(value: unknown): BenchSettings {
  if (typeof value !== 'object' || value === null) throw new Error('bad settings')
  const given = value as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const [name, fallback] of Object.entries(DEFAULT_SETTINGS)) {
    const v = given[name] ?? fallback
    if (typeof v !== typeof fallback || (typeof v === 'number' && !Number.isFinite(v))) {
      throw new Error(`bad setting ${name}: ${String(v)}`)
    }
    out[name] = v
  }
  if (!(STRATA_COMPACTION_MODES as readonly unknown[]).includes(out.strataCompaction)) {
    throw new Error(`bad setting strataCompaction: ${String(out.strataCompaction)}`)
  }
  return out as unknown as BenchSettings
}

/** The message `value` carries, if it is one. */
export function asWorkerMessage(value: unknown): WorkerMessage | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  if ('result' in value || ('error' in value && typeof value.error === 'string')) return value as WorkerMessage
  return undefined
}
