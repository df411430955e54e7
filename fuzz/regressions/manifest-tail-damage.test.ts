// Regression (bugs.md #5): damage to the last record of the MANIFEST (a flipped byte, or a
// truncation inside it) is taken for a torn write and the record is dropped silently. That
// edit had been synced and acted on (the WAL it retired was deleted), so the database opens
// without the edit's tables and loses acknowledged writes without reporting CORRUPTION.
// Shrunk from corruption (seed 2989).
import { describe, expect, it } from 'vitest'
import { FaultFileSystem } from '../../engine/fs/fault-fs.js'
import { DB } from '../../engine/index.js'
import { isStrataError } from '../../engine/errors.js'

/** A database whose MANIFEST ends with the edit of a flush; returns it and the MANIFEST's name. */
function flushed(): { fs: FaultFileSystem; manifest: string } {
  const fs = new FaultFileSystem()
  const db = DB.open('/db', { fs, compaction: 'inline' })
  db.put('a', Buffer.alloc(100, 1), { sync: true })
  db.flush() // the edit: table added, the WAL holding 'a' retired and deleted
  db.put('z', 'tail')
  db.close()
  return { fs, manifest: `/db/${fs.list('/db').find((n) => n.startsWith('MANIFEST-'))!}` }
}

/** Opens and reads 'a': the right value, or CORRUPTION. Returns what happened. */
function outcome(fs: FaultFileSystem): string {
  try {
    const db = DB.open('/db', { fs, compaction: 'inline' })
    try {
      const a = db.get('a')
      return a?.equals(Buffer.alloc(100, 1)) ? 'intact' : `wrong: a = ${a === undefined ? 'missing' : `${a.length} bytes`}`
    } finally {
      db.close()
    }
  } catch (err) {
    return isStrataError(err, 'CORRUPTION') ? 'CORRUPTION' : `error ${String(err)}`
  }
}

describe('regression: damage to the last MANIFEST record', () => {
  it('is CORRUPTION (or harmless) for every flipped byte and every truncation of that record', () => {
    const { fs, manifest } = flushed()
    const bytes = fs.readFile(manifest)
    const bad: string[] = []
    // the last record is the flush's edit; the first one (the snapshot at open) precedes it
    for (let i = Math.floor(bytes.length / 2); i < bytes.length; i++) {
      for (const how of ['flip', 'truncate'] as const) {
        const copy = fs.clone()
        const b = Buffer.from(bytes)
        copy.rewrite(manifest, how === 'flip' ? (b[i]! ^= 0x10, b) : b.subarray(0, i))
        const got = outcome(copy)
        if (got !== 'intact' && got !== 'CORRUPTION') bad.push(`${how} at ${i}: ${got}`)
      }
    }
    expect(bad).toEqual([])
  })
})
