// Runs a plan: every selected workload, `runs` times, on every selected engine that runs it,
// alternating the engines' order from run to run, each job through a Launcher (a fresh child
// process in run.ts). Which database each job gets: databases.ts.
import { mkdirSync, rmSync } from 'node:fs'
import { ScratchDatabases } from './databases.js'
import type { EngineId } from './engines.js'
import { engineSpec, supports } from './engines.js'
import type { JobResult } from './job.js'
import type { Launcher } from './launcher.js'
import type { BenchSettings } from './settings.js'
import { medianIndex } from './stats.js'
import type { WorkloadName } from './workloads.js'
import { workload } from './workloads.js'

export interface Plan {
  readonly settings: BenchSettings
  readonly workloads: readonly WorkloadName[]
  readonly engines: readonly EngineId[]
  /** Runs per workload and engine; the report shows the median by ops/s. */
  readonly runs: number
  /** A directory of this invocation's own (created; removed at the end unless `keep`). */
  readonly scratch: string
  readonly keep: boolean
}

export interface Outcome {
  readonly workload: WorkloadName
  readonly engine: EngineId
  /** Every successful run, in order. */
  readonly runs: JobResult[]
  /** The run with the median ops/s; undefined if every run failed. */
  median: JobResult | undefined
  /** Errors of failed runs. */
  readonly errors: string[]
}

export async function runPlan(plan: Plan, launch: Launcher, log: (line: string) => void): Promise<Outcome[]> {
  mkdirSync(plan.scratch, { recursive: true })
  const dbs = new ScratchDatabases(plan.scratch, plan.settings, launch, log)
  const outcomes: Outcome[] = []
  try {
    for (const name of plan.workloads) {
      const w = workload(name)
      const mine = plan.engines
        .filter((e) => supports(e, name))
        .map((engine): Outcome => ({ workload: name, engine, runs: [], median: undefined, errors: [] }))
      for (let run = 0; run < plan.runs; run++) {
        for (const outcome of run % 2 === 0 ? mine : [...mine].reverse()) {
          const label = `${name} ${engineSpec(outcome.engine).label} run ${run + 1}/${plan.runs}`
          let succeeded = false
          try {
            const dir = await dbs.prepare(outcome.engine, w, run)
            const result = await launch({ engine: outcome.engine, workload: name, dir, settings: plan.settings })
            outcome.runs.push(result)
            succeeded = true
            log(`${label}: ${Math.round(result.opsPerSec).toLocaleString('en-US')} ops/s${result.check ? ` ${result.check.text}` : ''}`)
          } catch (err) {
            const message = err instanceof Error ? err.message : String(err)
            outcome.errors.push(message)
            log(`${label}: FAILED: ${message.split('\n')[0]}`)
          }
          dbs.finish(outcome.engine, w, run, succeeded)
        }
      }
      for (const o of mine) {
        o.median = o.runs.length === 0 ? undefined : o.runs[medianIndex(o.runs.map((r) => r.opsPerSec))]
        outcomes.push(o)
      }
    }
  } finally {
    if (!plan.keep) rmSync(plan.scratch, { recursive: true, force: true })
  }
  return outcomes
}
