// A failure in background work (a flush or compaction that cannot write its table) never
// loses data: the database refuses writes with the error, stats() reports it, reads go on,
// and reopening recovers every acknowledged write.
import { describe, expect, it } from 'vitest'
import { DB, StrataError } from '../../engine/index.js'
import { ioError } from '../../engine/errors.js'
import { MemFileSystem } from '../../engine/fs/mem-fs.js'
import type { WritableFile } from '../../engine/fs/fs.js'

/** MemFileSystem whose table creations fail while `failTables` is set (a full disk). */
class FullDiskFs extends MemFileSystem {
  failTables = false
  override create(file: string): WritableFile {
    if (this.failTables && file.endsWith('.sst')) {
      throw ioError('create', file, Object.assign(new Error('ENOSPC: no space left on device (injected)'), { code: 'ENOSPC', injected: true }))
    }
    return super.create(file)
  }
}

const k = (i: number): string => `key${String(i).padStart(6, '0')}`

describe('background failure', () => {
  it('makes writes fail with a sticky error, keeps reads working, and loses nothing on reopen', () => {
    const fs = new FullDiskFs()
    const options = { fs, memtableSize: 4096, compaction: 'inline' as const }
    const db = DB.open('/db', options)
    let acked = 0
    for (; acked < 100; acked++) db.put(k(acked), 'v'.repeat(20))
    fs.failTables = true
    let failure: unknown
    try {
      for (;; acked++) db.put(k(acked), 'v'.repeat(20))
    } catch (err) {
      failure = err
    }
    expect(failure).toBeInstanceOf(StrataError)
    expect((failure as StrataError).code).toBe('IO_ERROR')
    expect((failure as StrataError).injected).toBe(true)
    expect(() => db.put('after', 'x')).toThrow(failure as Error)
    expect(() => db.delete(k(0))).toThrow(failure as Error)
    expect(db.stats().backgroundError).toMatch(/ENOSPC/)
    for (let i = 0; i < acked; i++) expect(db.get(k(i))?.toString()).toBe('v'.repeat(20))
    db.close()

    fs.failTables = false
    const again = DB.open('/db', options)
    for (let i = 0; i < acked; i++) expect(again.get(k(i))?.toString()).toBe('v'.repeat(20))
    expect(again.has('after')).toBe(false)
    again.put('after', 'x')
    expect(again.get('after')?.toString()).toBe('x')
    again.close()
  })
})
