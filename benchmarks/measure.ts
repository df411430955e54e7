// Process-level measurements a worker takes around a workload: bytes the process handed to
// write(2) (Linux /proc/self/io "wchar", which counts every thread of the process, so a
// compaction thread's writes too), the size of a database directory, and peak RSS.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** Bytes this process has passed to write-like system calls, or undefined off Linux. */
export function writtenBytes(): number | undefined {
  let text: string
  try {
    text = readFileSync('/proc/self/io', 'utf8')
  } catch {
    return undefined // not Linux (or /proc hidden): write amplification by I/O is not measurable
  }
  const match = /^wchar:\s*(\d+)$/m.exec(text)
  return match?.[1] === undefined ? undefined : Number(match[1])
}

/** Sum of the sizes of the files under `dir` (recursively); 0 if it does not exist. */
export function directoryBytes(dir: string): number {
  let entries
  try {
    entries = readdirSync(dir, { withFileTypes: true })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0
    throw err
  }
  let total = 0
  for (const e of entries) {
    const path = join(dir, e.name)
    if (e.isDirectory()) total += directoryBytes(path)
    else if (e.isFile()) total += statSync(path).size
  }
  return total
}

/** Peak resident set size of this process so far, in bytes. */
export function peakRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024
}
