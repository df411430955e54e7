import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DB, WriteBatch } from '../../engine/index.js'

let dir: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-basic-'))
})
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true })
})

const k = (i: number): string => `k${String(i).padStart(8, '0')}`

describe('DB', () => {
  it('never keeps a caller buffer, and returns buffers the caller owns', () => {
    const db = DB.open(dir)
    try {
      const key = Buffer.from('key')
      const value = Buffer.from('value')
      db.put(key, value)
      key[0] = 0x7a
      value[0] = 0x7a
      const got = db.get('key')!
      expect(got.toString()).toBe('value')
      got[0] = 0x41
      expect(db.get('key')!.toString()).toBe('value')
      const b = new WriteBatch()
      const bv = Buffer.from('batch')
      b.put('b', bv)
      bv[0] = 0x41
      db.write(b)
      expect(db.get('b')!.toString()).toBe('batch')
    } finally {
      db.close()
    }
  })

  it('reads back many keys across flushes and reopens, newest value winning', () => {
    let db = DB.open(dir, { memtableSize: 16 * 1024, targetFileSize: 4096, compaction: 'inline' })
    try {
      for (let i = 0; i < 3000; i++) db.put(k(i), `v${i}`)
      for (let i = 0; i < 3000; i += 3) db.put(k(i), `w${i}`)
      for (let i = 1; i < 3000; i += 3) db.delete(k(i))
      const shape = db.stats().levels
      expect(shape.reduce((n, l) => n + l.files, 0)).toBeGreaterThan(3)
      expect(shape[0]!.files).toBeLessThan(4) // inline compaction keeps L0 under its trigger
      db.close()
      db = DB.open(dir, { memtableSize: 16 * 1024, targetFileSize: 4096, compaction: 'inline' })
      for (let i = 0; i < 3000; i++) {
        const want = i % 3 === 0 ? `w${i}` : i % 3 === 1 ? undefined : `v${i}`
        expect(db.get(k(i))?.toString()).toBe(want)
      }
      const keys = [...db.iterator({ gte: k(100), lt: k(200) })].map(([key]) => key.toString())
      expect(keys).toEqual(Array.from({ length: 100 }, (_, j) => 100 + j).filter((i) => i % 3 !== 1).map(k))
      const rev = [...db.iterator({ reverse: true, limit: 3 })].map(([key]) => key.toString())
      expect(rev).toEqual([k(2999), k(2997), k(2996)])
    } finally {
      db.close()
    }
  })

  it('gives an iterator the database as it was when it was created', () => {
    const db = DB.open(dir, { memtableSize: 4096, compaction: 'inline' })
    try {
      for (let i = 0; i < 50; i++) db.put(k(i), 'old')
      const it = db.iterator()
      for (let i = 0; i < 200; i++) db.put(k(i), 'new') // flushes happen under the iterator
      db.delete(k(0))
      db.flush()
      const seen = [...it]
      expect(seen.length).toBe(50)
      expect(seen.every(([, v]) => v.toString() === 'old')).toBe(true)
      it.close()
      expect([...db.iterator()].length).toBe(199)
    } finally {
      db.close()
    }
  })

  it('groups concurrent writeAsync calls: 64 sync writers share fdatasyncs', async () => {
    const db = DB.open(dir)
    try {
      const before = db.stats().walSyncs
      await Promise.all(Array.from({ length: 64 }, (_, i) => db.writeAsync(new WriteBatch().put(k(i), 'v'), { sync: true })))
      const syncs = db.stats().walSyncs - before
      expect(syncs).toBeGreaterThanOrEqual(1)
      expect(syncs).toBeLessThan(8)
      for (let i = 0; i < 64; i++) expect(db.get(k(i))?.toString()).toBe('v')
    } finally {
      db.close()
    }
  })

  it('commits queued async writes on close', async () => {
    const db = DB.open(dir)
    const p = db.writeAsync(new WriteBatch().put('queued', 'yes'))
    db.close()
    await p
    const again = DB.open(dir)
    expect(again.get('queued')?.toString()).toBe('yes')
    again.close()
  })

  it('keeps values from 0 bytes to several MiB', () => {
    const db = DB.open(dir, { memtableSize: 64 * 1024 })
    try {
      const big = Buffer.alloc(3 * 1024 * 1024 + 17, 0x5a)
      db.put('big', big)
      db.put('empty', '')
      db.flush()
      expect(db.get('big')!.equals(big)).toBe(true)
      expect(db.get('empty')!.length).toBe(0)
    } finally {
      db.close()
    }
  })

  it('leaves one WAL and one MANIFEST after reopening, and no orphans', () => {
    let db = DB.open(dir, { memtableSize: 8192 })
    for (let i = 0; i < 500; i++) db.put(k(i), 'x'.repeat(50))
    db.close()
    db = DB.open(dir)
    const names = fs.readdirSync(dir)
    expect(names.filter((n) => n.endsWith('.log')).length).toBe(1)
    expect(names.filter((n) => n.startsWith('MANIFEST-')).length).toBe(1)
    expect(names.filter((n) => n.endsWith('.dbtmp')).length).toBe(0)
    const tables = names.filter((n) => n.endsWith('.sst')).length
    const s = db.stats()
    expect(tables).toBe(s.levels.reduce((n, l) => n + l.files, 0))
    db.close()
  })
})
