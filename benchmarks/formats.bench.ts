// The formats micro-benchmarks of issue 2 in one run (tinybench): SSTable build MB/s and point
// lookups/s on 1M entries (formats-sstable.ts), WAL append MB/s with and without fdatasync
// (formats-wal.ts). Run: npm run bench:formats [-- --entries N] (the build alone takes seconds).
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { Bench } from 'tinybench'
import { addSstableBenchmarks } from './formats-sstable.js'
import { addWalBenchmarks, WAL_TASK_BYTES } from './formats-wal.js'

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? Number(process.argv[i + 1]) : fallback
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-formats-'))
  const entries = flag('entries', 1_000_000)
  try {
    const tables = new Bench({ time: 2000, iterations: 1, warmupIterations: 1 })
    addSstableBenchmarks(tables, dir, { entries })
    await tables.run()
    const wal = new Bench({ time: 1500, warmupTime: 200 })
    addWalBenchmarks(wal, path.join(dir, 'wal'))
    await wal.run()
    console.log(`\nmachine: ${os.cpus()[0]?.model ?? '?'} x${os.cpus().length}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}, node ${process.version}`)
    for (const task of [...tables.tasks, ...wal.tasks]) {
      const r = task.result
      if (!r || !('throughput' in r)) continue
      const hz = r.throughput.mean
      const bytes = WAL_TASK_BYTES.get(task.name)
      const mbs = bytes === undefined ? '' : `  ${((hz * bytes) / 1e6).toFixed(1)} MB/s`
      console.log(`${task.name.padEnd(44)} ${hz.toFixed(0).padStart(10)} ops/s  p50 ${(r.latency.p50 * 1000).toFixed(1)} µs${mbs}`)
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

await main()
