// Regression (bugs.md #1): an automatic inline compaction (after a flush, or at open) leaves
// its input tables on disk: deleteObsoleteFiles runs while the compaction still pins the input
// version, and nothing runs it again once the pin is released. Shrunk from crash-recovery
// (seed 12648430): the directory must hold exactly the live tables after every flush.
import { describe, expect, it } from 'vitest'
import { FaultFileSystem } from '../../engine/fs/fault-fs.js'
import { DB } from '../../engine/index.js'
import { directoryProblems } from '../support/checks.js'

describe('regression: orphan compaction inputs', () => {
  it('deletes the inputs of an automatic inline compaction', () => {
    const fs = new FaultFileSystem()
    const db = DB.open('/db', { fs, compaction: 'inline', memtableSize: 1024, l0CompactionTrigger: 2 })
    for (let i = 0; i < 2; i++) { // the second flush makes two L0 tables: a compaction
      db.put('k', Buffer.alloc(100, i)) // one key: the tables overlap, so no trivial move
      db.flush()
    }
    expect(db.stats().compactions + db.stats().trivialMoves).toBeGreaterThan(0)
    expect(directoryProblems(fs, '/db', db)).toEqual([])
    db.close()
  })

  it('deletes the inputs of a compaction that runs during open', () => {
    const fs = new FaultFileSystem()
    const options = { fs, compaction: 'inline' as const, memtableSize: 1024, l0CompactionTrigger: 2 }
    let db = DB.open('/db', options)
    db.put('k', Buffer.alloc(100, 1))
    db.flush()
    db.put('k', Buffer.alloc(100, 2))
    db.close() // the second value is only in the WAL: the open below flushes it to L0, which triggers a compaction
    db = DB.open('/db', options)
    expect(directoryProblems(fs, '/db', db)).toEqual([])
    db.close()
  })
})
