// Regression (bugs.md #4): when closing a retired WAL fails (close(2) may report EIO, e.g. a
// delayed write error on NFS), the error escapes the background promise chain that syncs and
// closes it (engine/db/switch.ts retireWal) as an unhandled rejection, which terminates a Node
// process by default. Shrunk from error-injection (seed 64023).
import { describe, expect, it } from 'vitest'
import { FaultFileSystem } from '../../engine/fs/fault-fs.js'
import { DB } from '../../engine/index.js'

describe('regression: a failing close of a retired WAL', () => {
  it('does not become an unhandled rejection', async () => {
    const seen: unknown[] = []
    const onRejection = (reason: unknown): void => {
      seen.push(reason)
    }
    process.on('unhandledRejection', onRejection)
    try {
      const fs = new FaultFileSystem()
      const db = DB.open('/db', { fs, compaction: 'inline', memtableSize: 1024 })
      fs.inject({ ops: ['close'], path: '.log', nth: 1, error: 'EIO' })
      db.put('a', Buffer.alloc(2000, 1)) // fills the memtable
      db.put('b', Buffer.from('x')) // switches memtables: the old WAL is synced and closed in the background
      for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve))
      expect(fs.faults.map((f) => f.op)).toEqual(['close'])
      expect(seen).toEqual([])
      expect(db.get('a')?.length).toBe(2000)
      db.close()
    } finally {
      process.off('unhandledRejection', onRejection)
    }
  })
})
