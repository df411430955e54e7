// The db_bench-style suite, stratadb side by side with LevelDB (classic-level): plans the run,
// runs every job in a fresh worker process, prints the table, writes JSON and an SVG chart.
//
//   npm start        (= node dist/benchmarks/run.js --quick)
//   npm run bench    (= node dist/benchmarks/run.js; 1,000,000 entries, median of 3 runs)
//   node dist/benchmarks/run.js --num 20000000 --cache-size 8    (larger than memory)
//
// Flags: cli.ts (USAGE). Method and caveats: benchmarks/README.md.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseCli, USAGE } from './cli.js'
import { forkLauncher, inProcessLauncher } from './launcher.js'
import { filesystemOf, loadAverage, machineInfo } from './machine.js'
import { runPlan } from './orchestrate.js'
import { buildReport, REPORT_TITLE } from './report.js'
import { ratioChart } from './svg.js'
import { formatFooter, formatHeader, formatTable } from './table.js'

const here = dirname(fileURLToPath(import.meta.url))
// Built: dist/benchmarks/run.js writes to benchmarks/results/ of the repository.
const resultsDir = basename(dirname(here)) === 'dist' ? join(here, '..', '..', 'benchmarks', 'results') : join(here, 'results')

async function main(): Promise<number> {
  const cli = parseCli(process.argv.slice(2), resultsDir)
  if (cli.help) {
    console.log(USAGE)
    return 0
  }
  const started = performance.now()
  const machine = machineInfo()
  const loadBefore = loadAverage()
  const scratch = join(cli.scratchRoot, `stratadb-bench-${process.pid}-${Date.now()}`)
  const context = { command: process.argv.slice(2).join(' '), scratch, filesystem: filesystemOf(cli.scratchRoot) }
  const header = { title: REPORT_TITLE, context, machine, settings: cli.settings, runs: cli.runs, loadBefore }
  console.log(formatHeader(header))
  console.log(`workloads: ${cli.workloads.join(', ')}\n`)

  process.once('SIGINT', () => {
    if (!cli.keep) rmSync(scratch, { recursive: true, force: true })
    process.exit(130)
  })
  const launch = cli.inProcess ? inProcessLauncher : forkLauncher(join(here, 'worker.js'), cli.timeoutMs)
  const plan = { settings: cli.settings, workloads: cli.workloads, engines: cli.engines, runs: cli.runs, scratch, keep: cli.keep }
  const outcomes = await runPlan(plan, launch, (line) => console.error(`  ${line}`))

  const report = buildReport({
    context,
    machine,
    loadBefore,
    loadAfter: loadAverage(),
    durationSeconds: (performance.now() - started) / 1000,
    settings: cli.settings,
    runs: cli.runs,
    outcomes,
  })
  console.log(`\n${formatTable(report)}\n${formatFooter(report)}`)
  for (const [path, text] of [[cli.jsonPath, `${JSON.stringify(report, null, 2)}\n`], [cli.svgPath, ratioChart(report)]] as const) {
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, text)
  }
  console.log(`\nwrote ${cli.jsonPath} and ${cli.svgPath}${cli.keep ? `; databases kept in ${scratch}` : ''}`)
  return report.problems.length > 0 ? 1 : 0
}

main().then(
  (code) => {
    process.exitCode = code
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err)
    process.exitCode = 2
  },
)
