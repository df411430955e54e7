// StrataLevel beyond abstract-level's suite: the engine's `sync` and group commit, options and
// errors passed through with LEVEL_* codes, clear() and close() ordering against writes.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { StrataLevel } from '../../engine/index.js'
import type { StrataLevelOptions } from '../../engine/index.js'
import { MemFileSystem } from '../../engine/fs/mem-fs.js'

let dir: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-level-'))
})
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true })
})

/** A StrataLevel in `dir` with inline compaction (no worker thread to start). */
function open(options: StrataLevelOptions<string, string> = {}): StrataLevel {
  return new StrataLevel(path.join(dir, 'db'), { compaction: 'inline', ...options })
}

/** The rejection of `promise` (fails the test if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<{ code?: string; cause?: { code?: string; message?: string } }> {
  try {
    await promise
  } catch (err) {
    return err as { code?: string; cause?: { code?: string; message?: string } }
  }
  throw new Error('expected a rejection')
}

describe('StrataLevel writes', () => {
  it('fdatasyncs for sync: true only, and concurrent sync writes share fsyncs', async () => {
    const db = open()
    await db.open()
    await Promise.all(Array.from({ length: 20 }, (_, i) => db.put(`plain${i}`, 'v')))
    expect(db.engine.stats().walSyncs).toBe(0)
    await Promise.all(Array.from({ length: 50 }, (_, i) => db.put(`sync${i}`, 'v', { sync: true })))
    const syncs = db.engine.stats().walSyncs
    expect(syncs).toBeGreaterThanOrEqual(1)
    expect(syncs).toBeLessThan(50)
    await db.batch([{ type: 'put', key: 'b', value: 'v' }], { sync: true })
    await db.batch().put('c', 'v').write({ sync: true })
    expect(db.engine.stats().walSyncs).toBe(syncs + 2)
    await db.close()
  })

  it('rejects a non-boolean sync option with LEVEL_INVALID_ARGUMENT', async () => {
    const db = open()
    const err = await rejection(db.put('k', 'v', { sync: 'yes' } as unknown as { sync: boolean }))
    expect(err.code).toBe('LEVEL_INVALID_ARGUMENT')
    expect(await db.get('k')).toBeUndefined()
    await db.close()
  })

  it('close() commits writes still in flight', async () => {
    const db = open()
    await db.open()
    const writes = Array.from({ length: 100 }, (_, i) => db.put(`k${i}`, `v${i}`, { sync: i % 10 === 0 }))
    await db.close()
    await Promise.all(writes)
    const again = open()
    expect(await again.getMany(['k0', 'k50', 'k99'])).toEqual(['v0', 'v50', 'v99'])
    await again.close()
  })

  it('clear() deletes the range as it was, and a write issued right after it survives', async () => {
    const db = open()
    await db.batch('abcdefghij'.split('').map((key) => ({ type: 'put' as const, key, value: 'old' })))
    const cleared = db.clear({ gte: 'c', lt: 'h' })
    const written = db.put('e', 'new')
    await Promise.all([cleared, written])
    expect(await db.keys().all()).toEqual(['a', 'b', 'e', 'h', 'i', 'j'])
    expect(await db.get('e')).toBe('new')
    await db.clear({ reverse: true, limit: 2 })
    expect(await db.keys().all()).toEqual(['a', 'b', 'e', 'h'])
    await db.close()
  })
})

describe('StrataLevel open and errors', () => {
  it('passes engine options through to DB.open', async () => {
    const db = open({ memtableSize: 16 * 1024 })
    await db.open()
    for (let i = 0; i < 50; i++) {
      await db.batch(Array.from({ length: 20 }, (_, j) => ({ type: 'put' as const, key: `k${i * 20 + j}`, value: 'x'.repeat(50) })))
    }
    expect(db.engine.stats().flushes).toBeGreaterThan(0)
    await db.close()

    const bad = open({ memtableSize: 1 })
    const err = await rejection(bad.open())
    expect(err.code).toBe('LEVEL_DATABASE_NOT_OPEN')
    expect(err.cause?.code).toBe('LEVEL_INVALID_ARGUMENT')
    expect(err.cause?.message).toMatch(/memtableSize/)
  })

  it('runs on the FileSystem given in its options', async () => {
    const fs_ = new MemFileSystem()
    const db = new StrataLevel<string, { n: number }>('/mem/db', { fs: fs_, compaction: 'inline', valueEncoding: 'json' })
    await db.put('k', { n: 1 })
    await db.close()
    expect(fs.existsSync('/mem/db')).toBe(false)
    expect(fs_.list('/mem/db')).toContain('CURRENT')
    const again = new StrataLevel<string, { n: number }>('/mem/db', { fs: fs_, compaction: 'inline', valueEncoding: 'json' })
    expect(await again.get('k')).toEqual({ n: 1 })
    await again.close()
  })

  it('reports a directory another StrataLevel holds as LEVEL_LOCKED', async () => {
    const first = open()
    await first.open()
    const second = open()
    const err = await rejection(second.open())
    expect(err.code).toBe('LEVEL_DATABASE_NOT_OPEN')
    expect(err.cause?.code).toBe('LEVEL_LOCKED')
    await first.close()
    await second.open()
    expect(second.status).toBe('open')
    await second.close()
  })

  it('refuses a missing directory with createIfMissing: false and an existing one with errorIfExists', async () => {
    const missing = open({ createIfMissing: false })
    expect((await rejection(missing.open())).cause?.message).toMatch(/does not exist/)
    const db = open()
    await db.open()
    await db.close()
    const again = open({ errorIfExists: true })
    expect((await rejection(again.open())).cause?.message).toMatch(/already exists/)
  })

  it('reports a damaged table block as LEVEL_CORRUPTION, never as data', async () => {
    const db = open({ compression: 'none' })
    await db.batch(Array.from({ length: 200 }, (_, i) => ({ type: 'put' as const, key: `key${i}`, value: `value${i}` })))
    db.engine.flush()
    await db.close()
    const location = path.join(dir, 'db')
    const table = fs.readdirSync(location).find((name) => name.endsWith('.sst'))!
    const file = path.join(location, table)
    const bytes = fs.readFileSync(file)
    bytes[20] = bytes[20]! ^ 0xff // inside the first data block
    fs.writeFileSync(file, bytes)
    const reopened = open({ compression: 'none' })
    await reopened.open()
    const err = await rejection(reopened.get('key0'))
    expect(err.code).toBe('LEVEL_CORRUPTION')
    expect(err.cause?.code).toBe('CORRUPTION')
    expect((await rejection(reopened.iterator().all())).code).toBe('LEVEL_CORRUPTION')
    await reopened.close()
  })

  it('gives the engine only while open', async () => {
    const db = open()
    await db.open()
    expect(db.engine.closed).toBe(false)
    await db.close()
    expect(() => db.engine).toThrow(expect.objectContaining({ code: 'LEVEL_DATABASE_NOT_OPEN' }))
  })
})
