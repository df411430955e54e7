// Seek compaction through a whole database: point reads that keep looking past a file that
// lacks their keys get it compacted away, and every key reads the same before and after. In
// worker mode a loop of synchronous gets starts the compaction and installs its result
// without yielding to the event loop; in inline mode a read never compacts, and the next
// compaction check (here after a flush) takes the candidate.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DB } from '../../engine/index.js'
import { MemFileSystem } from '../../engine/fs/mem-fs.js'
import type { Options } from '../../engine/index.js'

let dir: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-seek-'))
})
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true })
})

const N = 4000
const key = (i: number): string => `key${String(i).padStart(6, '0')}`
const value = (i: number, round: number): string => `${round}:${i}:`.repeat(8)

/** Every key in L1, then the even ones rewritten into one L0 file that spans them all. */
function build(db: DB): void {
  for (let i = 0; i < N; i++) db.put(key(i), value(i, 1))
  db.compactRange()
  for (let i = 0; i < N; i += 2) db.put(key(i), value(i, 2))
  db.flush()
  const levels = db.stats().levels
  expect(levels[0]!.files).toBe(1)
  expect(levels[1]!.files).toBeGreaterThan(0)
}

function expectAllKeys(db: DB): void {
  for (let i = 0; i < N; i++) expect(db.get(key(i))?.toString()).toBe(value(i, i % 2 === 0 ? 2 : 1))
}

const options: Options = { memtableSize: 256 * 1024, targetFileSize: 64 * 1024 }

describe('seek compaction', () => {
  it('compacts an L0 file that odd-key reads keep looking past, during a synchronous read loop (worker)', () => {
    const db = DB.open(dir, { ...options, compaction: 'worker' })
    try {
      build(db)
      let reads = 0
      // The L0 file may be charged 100 probes; then a few more reads take the compaction's result.
      while (db.stats().levels[0]!.files > 0 && reads < 200_000) {
        expect(db.get(key(1 + 2 * (reads % (N / 2))))?.toString()).toBe(value(1 + 2 * (reads % (N / 2)), 1))
        reads++
      }
      expect(db.stats().levels[0]!.files).toBe(0)
      expect(db.stats().seekCompactions).toBe(1)
      expect(reads).toBeGreaterThan(100)
      expectAllKeys(db)
    } finally {
      db.close()
    }
  })

  it('leaves the compaction to the next check in inline mode, never to the read', () => {
    const db = DB.open('/db', { ...options, compaction: 'inline', fs: new MemFileSystem() })
    try {
      build(db)
      const compactions = db.stats().compactions
      for (let r = 0; r < 500; r++) db.get(key(1 + 2 * r))
      expect(db.stats().compactions).toBe(compactions)
      expect(db.stats().levels[0]!.files).toBe(1)
      db.put('zzz', 'one more table')
      db.flush() // a second L0 file: under the trigger, so only the seek candidate compacts
      expect(db.stats().seekCompactions).toBe(1)
      expect(db.stats().levels[0]!.files).toBe(1) // the new one; the charged one went down
      expectAllKeys(db)
    } finally {
      db.close()
    }
  })
})
