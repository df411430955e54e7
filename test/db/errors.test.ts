// Bad input gets a StrataError with DESIGN.md's code, applies nothing and harms nothing.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DB, StrataError, WriteBatch } from '../../engine/index.js'

let dir: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-errors-'))
})
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true })
})

function code(fn: () => unknown): string {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(StrataError)
    return (err as StrataError).code
  }
  throw new Error('expected a StrataError, nothing was thrown')
}

const BAD_VALUES: unknown[] = [1, 0, {}, null, undefined, true, [1], () => 1, Symbol('s'), 10n]

describe('bad input', () => {
  it('rejects keys and values of the wrong type with INVALID_ARGUMENT and stores nothing', () => {
    const db = DB.open(dir)
    try {
      for (const bad of BAD_VALUES) {
        expect(code(() => db.put(bad as string, 'v'))).toBe('INVALID_ARGUMENT')
        expect(code(() => db.put('k', bad as string))).toBe('INVALID_ARGUMENT')
        expect(code(() => db.get(bad as string))).toBe('INVALID_ARGUMENT')
        expect(code(() => db.has(bad as string))).toBe('INVALID_ARGUMENT')
        expect(code(() => db.delete(bad as string))).toBe('INVALID_ARGUMENT')
      }
      expect([...db.iterator()]).toEqual([])
      expect(code(() => db.write({} as WriteBatch))).toBe('INVALID_ARGUMENT')
      expect(code(() => db.put('k', 'v', { sync: 'yes' as unknown as boolean }))).toBe('INVALID_ARGUMENT')
      expect(code(() => db.iterator({ limit: 'x' as unknown as number }))).toBe('INVALID_ARGUMENT')
      expect(code(() => db.iterator({ gt: 5 as unknown as string }))).toBe('INVALID_ARGUMENT')
      expect(code(() => db.iterator({ reverse: 1 as unknown as boolean }))).toBe('INVALID_ARGUMENT')
    } finally {
      db.close()
    }
  })

  it('leaves a batch unchanged when an operation is bad, and applies none of a rejected batch', async () => {
    const db = DB.open(dir)
    try {
      const b = new WriteBatch().put('a', '1')
      expect(code(() => b.put('b', null as unknown as string))).toBe('INVALID_ARGUMENT')
      expect(code(() => b.delete(42 as unknown as string))).toBe('INVALID_ARGUMENT')
      expect(b.length).toBe(1)
      db.write(b)
      expect(db.get('a')?.toString()).toBe('1')
      expect(db.has('b')).toBe(false)
      await expect(db.writeAsync({} as WriteBatch)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' })
    } finally {
      db.close()
    }
  })

  it('accepts the empty key and empty values, as LevelDB does', () => {
    const db = DB.open(dir)
    try {
      db.put('', '')
      db.put(new Uint8Array(0), 'x')
      expect(db.get('')?.toString()).toBe('x')
      db.put('e', new Uint8Array(0))
      expect(db.get('e')?.length).toBe(0)
      expect([...db.iterator()].map(([k]) => k.toString())).toEqual(['', 'e'])
    } finally {
      db.close()
    }
  })

  it('refuses every call after close with CLOSED, and close is idempotent', async () => {
    const db = DB.open(dir)
    db.put('a', '1')
    const it2 = db.iterator()
    db.close()
    db.close()
    expect(code(() => db.put('a', '2'))).toBe('CLOSED')
    expect(code(() => db.get('a'))).toBe('CLOSED')
    expect(code(() => db.delete('a'))).toBe('CLOSED')
    expect(code(() => db.iterator())).toBe('CLOSED')
    expect(code(() => db.snapshot())).toBe('CLOSED')
    expect(code(() => db.flush())).toBe('CLOSED')
    expect(code(() => db.stats())).toBe('CLOSED')
    expect(code(() => it2.seekToFirst())).toBe('CLOSED')
    await expect(db.writeAsync(new WriteBatch().put('a', '3'))).rejects.toMatchObject({ code: 'CLOSED' })
    const again = DB.open(dir)
    expect(again.get('a')?.toString()).toBe('1')
    again.close()
  })

  it('refuses a released snapshot with INVALID_ARGUMENT', () => {
    const db = DB.open(dir)
    try {
      db.put('a', '1')
      const snap = db.snapshot()
      db.put('a', '2')
      expect(db.get('a', { snapshot: snap })?.toString()).toBe('1')
      snap.release()
      expect(code(() => db.get('a', { snapshot: snap }))).toBe('INVALID_ARGUMENT')
      expect(code(() => db.iterator({ snapshot: snap }))).toBe('INVALID_ARGUMENT')
      expect(code(() => db.get('a', { snapshot: {} as typeof snap }))).toBe('INVALID_ARGUMENT')
      expect(db.get('a')?.toString()).toBe('2')
    } finally {
      db.close()
    }
  })

  it('gives LOCKED to a second open of the same directory, and to destroy while open', () => {
    const db = DB.open(dir)
    try {
      expect(code(() => DB.open(dir))).toBe('LOCKED')
      expect(code(() => DB.destroy(dir))).toBe('LOCKED')
      db.put('still', 'works')
      expect(db.get('still')?.toString()).toBe('works')
    } finally {
      db.close()
    }
    DB.open(dir).close()
  })

  it('honours createIfMissing and errorIfExists', () => {
    const missing = path.join(dir, 'nope')
    expect(code(() => DB.open(missing, { createIfMissing: false }))).toBe('INVALID_ARGUMENT')
    expect(fs.existsSync(missing)).toBe(false)
    DB.open(missing).close()
    expect(code(() => DB.open(missing, { errorIfExists: true }))).toBe('INVALID_ARGUMENT')
    DB.open(missing, { createIfMissing: false }).close()
  })

  it('rejects bad options naming the option', () => {
    expect(code(() => DB.open(dir, { memtableSize: -1 }))).toBe('INVALID_ARGUMENT')
    expect(code(() => DB.open(dir, { compression: 'zstd' as 'lz4' }))).toBe('INVALID_ARGUMENT')
    expect(code(() => DB.open(dir, 5 as unknown as object))).toBe('INVALID_ARGUMENT')
    expect(code(() => DB.open(7 as unknown as string))).toBe('INVALID_ARGUMENT')
  })

  it('destroys a closed database and its directory', () => {
    const sub = path.join(dir, 'db')
    const db = DB.open(sub)
    db.put('a', '1')
    db.flush()
    db.close()
    DB.destroy(sub)
    expect(fs.existsSync(sub)).toBe(false)
  })
})
