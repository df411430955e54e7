// The report as plain text: a header (machine, engines, settings), one table row per workload
// and engine, then the footnotes and any problems.
import type { Report, ReportRow } from './report.js'
import { ratioFamilies } from './report.js'
import { MiB } from './settings.js'

interface Column {
  readonly title: string
  readonly left?: boolean
  readonly cell: (row: ReportRow, first: boolean) => string
}

const GiB = 1024 * MiB

export function formatHeader(report: Pick<Report, 'title' | 'context' | 'machine' | 'settings' | 'runs' | 'loadBefore'>): string {
  const m = report.machine
  const s = report.settings
  const fs = report.context.filesystem
  const tmpfs = fs?.startsWith('tmpfs') === true ? ' -- tmpfs: fsync is free and nothing is larger than memory' : ''
  return [
    report.title,
    `machine:  ${m.cpu}, ${m.cores} cores, ${(m.ramBytes / GiB).toFixed(1)} GiB RAM, Node ${m.node}, ${m.platform}, ${m.date}`,
    `scratch:  ${report.context.scratch} (${fs ?? 'file system unknown'})${tmpfs}`,
    `command:  run.js ${report.context.command}`,
    `settings: ${s.num.toLocaleString('en-US')} entries, ${s.reads.toLocaleString('en-US')} random reads, 16-byte keys, ${s.valueSize}-byte values (${Math.round(s.valueCompressionRatio * 100)}% random), ` +
      `write buffer ${s.writeBufferBytes / MiB} MiB, blocks ${s.blockSize / 1024} KiB, bloom ${s.bloomBitsPerKey} bits/key (stratadb), ` +
      `cache ${s.cacheBytes / MiB} MiB, compression ${s.compression ? 'on' : 'off'}, ` +
      `stratadb compaction ${s.strataCompaction === 'default' ? "(engine's default)" : s.strataCompaction}, ${report.runs} run(s) per workload`,
    `load average before: ${report.loadBefore.map((x) => x.toFixed(2)).join(' ')}`,
  ].join('\n')
}

export function formatTable(report: Report): string {
  const columns: Column[] = [
    { title: 'workload', left: true, cell: (r, first) => (first ? r.workload : '') },
    { title: 'engine', left: true, cell: (r) => r.label },
    { title: 'µs/op', cell: (r) => num(r.usPerOp) },
    { title: 'ops/s', cell: (r) => Math.round(r.opsPerSec).toLocaleString('en-US') },
    { title: 'MB/s', cell: (r) => (r.mbPerSec === null ? '-' : r.mbPerSec.toFixed(1)) },
    { title: 'p50 µs', cell: (r) => num(r.latency.p50Us) },
    { title: 'p99 µs', cell: (r) => num(r.latency.p99Us) },
    { title: 'p99.9 µs', cell: (r) => num(r.latency.p999Us) },
    ...ratioFamilies(report).map((family): Column => ({
      title: `vs ${family}`,
      cell: (r) => (r.ratios[family] === undefined ? '' : `${r.ratios[family].toFixed(2)}x`),
    })),
    { title: 'disk MB', cell: (r) => (r.diskBytes === null ? '' : (r.diskBytes / MiB).toFixed(1)) },
    { title: 'w-amp', cell: (r) => (r.writeAmp === null ? '' : r.writeAmp.toFixed(2)) },
    { title: 'io w-amp', cell: (r) => (r.writeAmpIo === null ? (r.diskBytes === null ? '' : '-') : r.writeAmpIo.toFixed(2)) },
    { title: 'RSS MB', cell: (r) => (r.maxRssBytes === 0 ? '' : (r.maxRssBytes / MiB).toFixed(0)) },
    { title: 'check', left: true, cell: (r) => (r.runsOpsPerSec.length === 0 ? 'FAILED' : (r.check?.text ?? '')) },
  ]
  const cells = report.rows.map((r, i) =>
    columns.map((c, j) => {
      const first = i === 0 || report.rows[i - 1]!.workload !== r.workload
      const failed = r.runsOpsPerSec.length === 0 && j >= 2 && j < columns.length - 1
      return failed ? '-' : c.cell(r, first)
    }),
  )
  const widths = columns.map((c, j) => Math.max(c.title.length, ...cells.map((row) => row[j]!.length)))
  const line = (values: readonly string[]): string =>
    values.map((v, j) => (columns[j]!.left ? v.padEnd(widths[j]!) : v.padStart(widths[j]!))).join('  ').trimEnd()
  const rule = '-'.repeat(widths.reduce((a, b) => a + b + 2, -2))
  return [line(columns.map((c) => c.title)), rule, ...cells.map(line), rule].join('\n')
}

export function formatFooter(report: Report): string {
  const versions = Object.entries(report.versions).map(([label, v]) => `${label} ${v}`).join(', ')
  const out = [`engines: ${versions || 'none ran'}; leveldb rows show classic-level's version`, `took ${report.durationSeconds.toFixed(1)} s`, '']
  for (const note of report.notes) out.push(`* ${note}`)
  if (report.problems.length > 0) {
    out.push('', 'PROBLEMS (this run is not a valid measurement):')
    for (const p of report.problems) out.push(`  ${p}`)
  }
  return out.join('\n')
}

/** A figure with about three significant digits. */
function num(n: number): string {
  if (n >= 999.5) return Math.round(n).toLocaleString('en-US')
  if (n >= 100) return n.toFixed(0)
  if (n >= 10) return n.toFixed(1)
  return n.toFixed(2)
}
