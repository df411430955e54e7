// Smoke test of the benchmark harness: a tiny run of a few workloads on every engine, checked
// for sane numbers and the read workloads' own correctness counts, then the report, the table
// and the SVG built from it; and one job through the real child-process path (the built
// dist/benchmarks/worker.js: `npm test` runs `npm run build` first).
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { forkLauncher, inProcessLauncher } from '../../benchmarks/launcher.js'
import { machineInfo } from '../../benchmarks/machine.js'
import { runPlan } from '../../benchmarks/orchestrate.js'
import type { Outcome } from '../../benchmarks/orchestrate.js'
import { buildReport } from '../../benchmarks/report.js'
import { DEFAULT_SETTINGS } from '../../benchmarks/settings.js'
import type { BenchSettings } from '../../benchmarks/settings.js'
import { ratioChart } from '../../benchmarks/svg.js'
import { formatTable } from '../../benchmarks/table.js'

const NUM = 2000
// 'inline': no compaction thread, so the smoke test exercises the harness, not thread start-up.
const settings: BenchSettings = { ...DEFAULT_SETTINGS, num: NUM, reads: NUM, strataCompaction: 'inline' }
const root = mkdtempSync(join(tmpdir(), 'strata-bench-smoke-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

function outcome(outcomes: readonly Outcome[], workload: string, engine: string): Outcome {
  const o = outcomes.find((x) => x.workload === workload && x.engine === engine)
  if (o === undefined) throw new Error(`no outcome for ${workload} ${engine}`)
  return o
}

describe('benchmark harness', () => {
  it('runs fills and reads on every engine with sane numbers and correct counts', async () => {
    const scratch = join(root, 'plan')
    const plan = {
      settings,
      workloads: ['fillrandom', 'readrandom', 'readmissing', 'readseq'] as const,
      engines: ['strata', 'leveldb', 'leveldb-await'] as const,
      runs: 1,
      scratch,
      keep: false,
    }
    const log: string[] = []
    const outcomes = await runPlan(plan, inProcessLauncher, (line) => log.push(line))

    // leveldb (await) runs only the reads: 4 + 4 + 3 rows
    expect(outcomes).toHaveLength(11)
    for (const o of outcomes) {
      expect(o.errors, `${o.workload} ${o.engine}`).toEqual([])
      const m = o.median!
      expect(m.opsPerSec).toBeGreaterThan(0)
      expect(Number.isFinite(m.usPerOp) && m.usPerOp > 0).toBe(true)
      expect(m.latency.samples).toBeGreaterThan(0)
      expect(m.latency.p50Us).toBeLessThanOrEqual(m.latency.p99Us)
      expect(m.latency.p99Us).toBeLessThanOrEqual(m.latency.p999Us)
      expect(m.latency.p999Us).toBeLessThanOrEqual(m.latency.maxUs)
      expect(m.maxRssBytes).toBeGreaterThan(0)
      if (m.check) expect(m.check.ok, `${o.workload} ${o.engine} ${m.check.text}`).toBe(true)
    }
    for (const engine of ['strata', 'leveldb'] as const) {
      const fill = outcome(outcomes, 'fillrandom', engine).median!
      expect(fill.ops).toBe(NUM)
      expect(fill.tally.bytes).toBe(NUM * (16 + settings.valueSize))
      expect(fill.diskBytes).toBeGreaterThan(NUM * 16)
      expect(fill.writeAmp).toBeGreaterThan(0.5)
    }
    for (const engine of ['strata', 'leveldb', 'leveldb-await'] as const) {
      expect(outcome(outcomes, 'readrandom', engine).median!.tally.found).toBe(NUM)
      expect(outcome(outcomes, 'readmissing', engine).median!.tally.found).toBe(0)
      expect(outcome(outcomes, 'readseq', engine).median!.tally.entries).toBe(NUM)
    }
    expect(log.some((l) => l.includes(`(${NUM} of ${NUM} found)`))).toBe(true)
    expect(existsSync(scratch)).toBe(false) // the databases are removed

    const report = buildReport({
      context: { command: '--num 2000', scratch, filesystem: undefined },
      machine: machineInfo(),
      loadBefore: [0, 0, 0],
      loadAfter: [0, 0, 0],
      durationSeconds: 1,
      settings,
      runs: 1,
      outcomes,
    })
    expect(report.problems).toEqual([])
    const strataRows = report.rows.filter((r) => r.engine === 'strata')
    expect(strataRows).toHaveLength(4)
    for (const r of strataRows) expect(r.ratios.leveldb).toBeGreaterThan(0)
    const table = formatTable(report)
    expect(table).toContain('vs leveldb')
    expect(table).toContain(`(${NUM} of ${NUM} entries)`)
    const svg = ratioChart(report)
    expect(svg.startsWith('<svg')).toBe(true)
    expect(svg.match(/<rect /g)).toHaveLength(1 + strataRows.length) // background + one bar each
  })

  it('builds the read database when no fillrandom ran, and deletes only from a copy of it', async () => {
    const plan = {
      settings,
      workloads: ['deleterandom', 'readseq'] as const,
      engines: ['strata', 'leveldb'] as const,
      runs: 2,
      scratch: join(root, 'copy'),
      keep: false,
    }
    const log: string[] = []
    const outcomes = await runPlan(plan, inProcessLauncher, (line) => log.push(line))
    expect(log.filter((l) => l.startsWith('building the'))).toHaveLength(2) // once per family
    for (const engine of ['strata', 'leveldb'] as const) {
      const del = outcome(outcomes, 'deleterandom', engine)
      expect(del.runs).toHaveLength(2)
      expect(del.median!.diskBytes).toBeGreaterThan(0)
      // both runs of deleterandom changed a copy: the read database still has every entry
      expect(outcome(outcomes, 'readseq', engine).runs.map((r) => r.tally.entries)).toEqual([NUM, NUM])
    }
  })

  it('runs a job in a child process of the built worker and gets its result over IPC', async () => {
    const worker = join(import.meta.dirname, '../../dist/benchmarks/worker.js')
    expect(existsSync(worker), `${worker} is missing: run npm run build first`).toBe(true)
    const launch = forkLauncher(worker, 60_000)
    const result = await launch({ engine: 'leveldb', workload: 'fillseq', dir: join(root, 'fork'), settings })
    expect(result.ops).toBe(NUM)
    expect(result.opsPerSec).toBeGreaterThan(0)
    expect(result.diskBytes).toBeGreaterThan(0)
    await expect(launch({ engine: 'strata', workload: 'readseq', dir: '', settings })).rejects.toThrow(/bad dir/)
  })
})
