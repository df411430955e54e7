// Per-property counters, printed after each campaign: programs run, operations, crash points
// and where they fell, faults and corruptions by file kind and outcome, failures.
import * as fs from 'node:fs'
import { LONG } from './env.js'

export class Summary {
  private readonly counts = new Map<string, Map<string, number>>()

  constructor(readonly property: string) {}

  /** Adds `n` to `item` of `group` (e.g. 'crash points', 'mid WAL append'). */
  add(group: string, item: string, n = 1): void {
    let g = this.counts.get(group)
    if (!g) this.counts.set(group, (g = new Map()))
    g.set(item, (g.get(item) ?? 0) + n)
  }

  /** Total of a group. */
  total(group: string): number {
    let n = 0
    for (const v of this.counts.get(group)?.values() ?? []) n += v
    return n
  }

  get(group: string, item: string): number {
    return this.counts.get(group)?.get(item) ?? 0
  }

  format(): string {
    const lines = [`== ${this.property} (${LONG ? 'long' : 'short'} run) ==`]
    for (const [group, items] of this.counts) {
      lines.push(`  ${group}: ${this.total(group)}`)
      const sorted = [...items].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      if (sorted.length > 1 || sorted[0]?.[0] !== 'all') for (const [item, n] of sorted) lines.push(`    ${item}: ${n}`)
    }
    return lines.join('\n')
  }

  /** Prints the summary (and appends it to FUZZ_SUMMARY, if set). */
  print(): void {
    const text = this.format()
    console.log(text)
    const file = process.env['FUZZ_SUMMARY']
    if (file) fs.appendFileSync(file, text + '\n')
  }
}
