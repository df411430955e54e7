// Databases for the CLI tests, built with the engine's own API (inline compaction, so no
// worker thread is needed): many small L0 tables, and a WAL with records in it.
import * as fs from 'node:fs'
import * as path from 'node:path'
import { DB, WriteBatch } from '../../engine/index.js'

export const key = (i: number): string => `key${String(i).padStart(5, '0')}`

/** Options that keep every flushed table in L0 (nothing triggers a compaction). */
export const MANY_L0 = { compaction: 'inline', memtableSize: 4096, l0CompactionTrigger: 1000, l0SlowdownTrigger: 1000, l0StopTrigger: 1000 } as const

/** `count` entries key(i) -> value(i) spread over several L0 tables, then more in the WAL. */
export function buildDb(dir: string, count: number): { tables: number } {
  const db = DB.open(dir, MANY_L0)
  try {
    for (let i = 0; i < count; i += 50) {
      const b = new WriteBatch()
      for (let j = i; j < Math.min(count, i + 50); j++) b.put(key(j), `value-${j}`)
      db.write(b)
    }
    db.flush()
    for (let j = 0; j < 10; j++) db.put(`wal-${j}`, `in the log ${j}`)
    return { tables: db.stats().levels[0]!.files }
  } finally {
    db.close()
  }
}

/** Names in `dir` ending with `suffix`, sorted. */
export function filesEnding(dir: string, suffix: string): string[] {
  return fs.readdirSync(dir).filter((n) => n.endsWith(suffix)).sort()
}

/** Flips one byte of `file` at `offset` (negative: from the end). */
export function flipByte(file: string, offset: number): void {
  const bytes = fs.readFileSync(file)
  const at = offset < 0 ? bytes.length + offset : offset
  bytes[at] = bytes[at]! ^ 0x5a
  fs.writeFileSync(file, bytes)
}

/** Copies a database directory (to damage the copy). */
export function copyDir(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true })
  for (const name of fs.readdirSync(from)) if (name !== 'LOCK') fs.copyFileSync(path.join(from, name), path.join(to, name))
}
