// The report's ratios as a hand-written SVG bar chart: one horizontal bar per workload (and per
// peer family, if there are several), on a log2 axis centred on 1x, so "twice as fast" and
// "half as fast" are bars of equal length on either side. No dependency.
import type { Report } from './report.js'
import { ratioFamilies } from './report.js'

const WIDTH = 760
const LEFT = 150
const RIGHT = 60
const TOP = 56
const BAR = 18
const GAP = 8
const FASTER = '#2e7d32'
const SLOWER = '#c62828'

interface Bar {
  label: string
  ratio: number
}

export function ratioChart(report: Report): string {
  const families = ratioFamilies(report)
  const bars: Bar[] = []
  for (const row of report.rows) {
    for (const family of families) {
      const ratio = row.ratios[family]
      if (ratio === undefined) continue
      bars.push({ label: families.length > 1 ? `${row.workload} vs ${family}` : row.workload, ratio })
    }
  }
  const extreme = Math.max(3, ...bars.map((b) => Math.ceil(Math.abs(Math.log2(b.ratio)))))
  const plot = WIDTH - LEFT - RIGHT
  const x = (ratio: number): number => LEFT + plot / 2 + (Math.log2(ratio) / extreme) * (plot / 2)
  const height = TOP + Math.max(1, bars.length) * (BAR + GAP) + 48
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(`stratadb speed / best ${families.join(', ') || 'peer'} (log scale)`)}</text>`,
    `<text x="${WIDTH / 2}" y="40" text-anchor="middle" fill="#555">${esc(caption(report))}</text>`,
  ]
  const bottom = TOP + bars.length * (BAR + GAP)
  for (let p = -extreme; p <= extreme; p++) {
    const tx = x(2 ** p).toFixed(1)
    out.push(`<line x1="${tx}" y1="${TOP - 4}" x2="${tx}" y2="${bottom}" stroke="${p === 0 ? '#000' : '#ddd'}"/>`)
    out.push(`<text x="${tx}" y="${bottom + 16}" text-anchor="middle" fill="#555">${esc(tick(p))}</text>`)
  }
  bars.forEach((b, i) => {
    const y = TOP + i * (BAR + GAP)
    const x0 = x(1)
    const x1 = x(b.ratio)
    const faster = b.ratio >= 1
    out.push(`<text x="${LEFT - 8}" y="${y + BAR - 5}" text-anchor="end">${esc(b.label)}</text>`)
    out.push(`<rect x="${Math.min(x0, x1).toFixed(1)}" y="${y}" width="${Math.max(1, Math.abs(x1 - x0)).toFixed(1)}" height="${BAR}" fill="${faster ? FASTER : SLOWER}"/>`)
    const lx = faster ? x1 + 4 : x1 - 4
    out.push(`<text x="${lx.toFixed(1)}" y="${y + BAR - 5}" text-anchor="${faster ? 'start' : 'end'}">${b.ratio.toFixed(2)}x</text>`)
  })
  out.push(`<text x="${WIDTH / 2}" y="${bottom + 36}" text-anchor="middle" fill="#555">right of 1x: stratadb faster; left: slower</text>`)
  out.push('</svg>')
  return `${out.join('\n')}\n`
}

function caption(report: Report): string {
  const m = report.machine
  return `${report.settings.num.toLocaleString('en-US')} entries, ${report.runs} run(s), ${m.cpu}, ${m.cores} cores, Node ${m.node}, ${m.date.slice(0, 10)}`
}

function tick(power: number): string {
  return power >= 0 ? `${2 ** power}x` : `1/${2 ** -power}x`
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}
