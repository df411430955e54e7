// FaultFileSystem: the crash model (what survives a power loss) and the injected failures.
import { describe, expect, it } from 'vitest'
import { isStrataError } from '../../engine/errors.js'
import type { StrataError } from '../../engine/errors.js'
import { FaultFileSystem, SECTOR_SIZE } from '../../engine/fs/fault-fs.js'
import type { CrashPolicy } from '../../engine/fs/fault-fs.js'

const bytes = (n: number, seed = 1): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => ((i * 31 + seed * 7) % 255) + 1))

function caught(fn: () => unknown): StrataError {
  try {
    fn()
  } catch (err) {
    if (isStrataError(err)) return err
    throw err
  }
  throw new Error('expected a StrataError')
}

/** A file system with /d/f holding `synced` synced bytes then `unsynced` more, entry synced. */
function withTail(synced: number, unsynced: number): { fs: FaultFileSystem; data: Buffer } {
  const fs = new FaultFileSystem()
  fs.mkdir('/d')
  const data = bytes(synced + unsynced)
  const f = fs.create('/d/f')
  f.append(data, 0, synced)
  f.sync()
  f.append(data, synced, synced + unsynced)
  fs.syncDir('/d')
  return { fs, data }
}

describe('FaultFileSystem crash model: file data', () => {
  it('keeps fsynced bytes under every policy and drops all unsynced ones under lose-unsynced', () => {
    for (const policy of ['random', 'keep-all', 'lose-unsynced', 'prefix', 'torn'] as CrashPolicy[]) {
      for (let seed = 0; seed < 20; seed++) {
        const { fs, data } = withTail(1000, 3000)
        fs.crash(seed, policy)
        const got = fs.readFile('/d/f')
        expect(got.length).toBeGreaterThanOrEqual(1000)
        expect(got.subarray(0, 1000).equals(data.subarray(0, 1000))).toBe(true)
        if (policy === 'lose-unsynced') expect(got.length).toBe(1000)
        if (policy === 'keep-all') expect(got.equals(data)).toBe(true)
      }
    }
  })

  it('cuts the unsynced tail as a prefix under the prefix policy, at many different lengths', () => {
    const lengths = new Set<number>()
    for (let seed = 0; seed < 50; seed++) {
      const { fs, data } = withTail(100, 2000)
      fs.crash(seed, 'prefix')
      const got = fs.readFile('/d/f')
      expect(got.equals(data.subarray(0, got.length))).toBe(true)
      lengths.add(got.length)
    }
    expect(lengths.size).toBeGreaterThan(20)
  })

  it('tears the unsynced tail at sector granularity: each sector is new data or zeros', () => {
    let torn = 0
    let holes = 0
    for (let seed = 0; seed < 50; seed++) {
      const { fs, data } = withTail(700, 4000)
      const report = fs.crash(seed, 'torn')
      const got = fs.readFile('/d/f')
      for (let s = 0; s * SECTOR_SIZE < got.length; s++) {
        const from = Math.max(700, s * SECTOR_SIZE)
        const to = Math.min(got.length, (s + 1) * SECTOR_SIZE)
        if (from >= to) continue
        const part = got.subarray(from, to)
        const isNew = part.equals(data.subarray(from, to))
        const isZero = part.every((b) => b === 0)
        expect(isNew || isZero).toBe(true)
        // a zeroed sector followed by a written one: the disk reordered the sector writes
        if (isZero && to < got.length && !got.subarray(to, Math.min(got.length, to + SECTOR_SIZE)).every((b) => b === 0)) holes++
      }
      torn += report.files[0]?.tornSectors ?? 0
    }
    expect(torn).toBeGreaterThan(0)
    expect(holes).toBeGreaterThan(0)
  })

  it('lets writes to different files reach the disk in either order', () => {
    const outcomes = new Set<string>()
    for (let seed = 0; seed < 60; seed++) {
      const fs = new FaultFileSystem()
      fs.mkdir('/d')
      const a = fs.create('/d/a')
      const b = fs.create('/d/b')
      fs.syncDir('/d')
      a.append(bytes(10))
      b.append(bytes(10))
      fs.crash(seed, 'random')
      outcomes.add(`${fs.size('/d/a') > 0 ? 'a' : '-'}${fs.size('/d/b') > 0 ? 'b' : '-'}`)
    }
    expect([...outcomes].sort()).toEqual(['--', '-b', 'a-', 'ab'])
  })

  it('chooses the same state for the same seed', () => {
    const run = (): string => {
      const { fs } = withTail(10, 5000)
      fs.crash(1234)
      return fs.readFile('/d/f').toString('hex')
    }
    expect(run()).toBe(run())
  })
})

describe('FaultFileSystem crash model: directory entries', () => {
  it('loses a creation that was not followed by syncDir, even of an fsynced file', () => {
    const fs = new FaultFileSystem()
    fs.mkdir('/d')
    const f = fs.create('/d/f')
    f.append(bytes(10))
    f.sync()
    fs.crash(0, 'lose-unsynced')
    expect(fs.exists('/d/f')).toBe(false)
    const g = fs.create('/d/g')
    g.append(bytes(10))
    g.sync()
    fs.syncDir('/d')
    fs.crash(0, 'lose-unsynced')
    expect(fs.readFile('/d/g').equals(bytes(10))).toBe(true)
  })

  it('undoes an unlink that was not followed by syncDir', () => {
    const { fs, data } = withTail(50, 0)
    fs.unlink('/d/f')
    expect(fs.exists('/d/f')).toBe(false)
    fs.crash(0, 'lose-unsynced')
    expect(fs.readFile('/d/f').equals(data)).toBe(true)
  })

  it('makes a rename atomic: the target holds the old or the new file, never neither', () => {
    const seen = new Set<string>()
    for (let seed = 0; seed < 40; seed++) {
      const fs = new FaultFileSystem()
      fs.mkdir('/d')
      const old = fs.create('/d/CURRENT')
      old.append(Buffer.from('old'))
      old.sync()
      fs.syncDir('/d')
      const tmp = fs.create('/d/tmp')
      tmp.append(Buffer.from('new'))
      tmp.sync()
      fs.rename('/d/tmp', '/d/CURRENT')
      fs.crash(seed, 'random')
      const got = fs.readFile('/d/CURRENT').toString()
      expect(['old', 'new']).toContain(got)
      if (got === 'new') expect(fs.exists('/d/tmp')).toBe(false)
      seen.add(got)
    }
    expect([...seen].sort()).toEqual(['new', 'old'])
  })

  it('keeps a prefix of a directory\'s pending changes, in order', () => {
    for (let seed = 0; seed < 40; seed++) {
      const fs = new FaultFileSystem()
      fs.mkdir('/d')
      for (const name of ['a', 'b', 'c']) fs.create(`/d/${name}`).sync()
      fs.crash(seed, 'random')
      const present = ['a', 'b', 'c'].map((n) => fs.exists(`/d/${n}`))
      expect(present.join()).toMatch(/^(true,)*(false,?)*$|^true,true,true$/)
    }
  })

  it('keeps mkdir without any sync', () => {
    const fs = new FaultFileSystem()
    fs.mkdir('/a/b')
    fs.crash(0, 'lose-unsynced')
    expect(fs.exists('/a/b')).toBe(true)
  })
})

describe('FaultFileSystem injected failures', () => {
  it('fails the n-th matching call with an injected EIO StrataError and leaves others alone', () => {
    const fs = new FaultFileSystem()
    fs.mkdir('/d')
    fs.inject({ ops: ['append'], path: '.log', nth: 2, error: 'EIO' })
    const log = fs.create('/d/1.log')
    const other = fs.create('/d/2.sst')
    log.append(bytes(5))
    other.append(bytes(5))
    const err = caught(() => log.append(bytes(5)))
    expect(err.code).toBe('IO_ERROR')
    expect(err.injected).toBe(true)
    expect((err.cause as { code?: string }).code).toBe('EIO')
    expect(log.size).toBe(5)
    log.append(bytes(5))
    expect(log.size).toBe(10)
    expect(fs.faults).toEqual([{ op: 'append', path: '/d/1.log', error: 'EIO' }])
  })

  it('fails with ENOSPC, and a short write lands half the bytes before failing', () => {
    const fs = new FaultFileSystem()
    fs.mkdir('/d')
    fs.inject({ ops: ['append'], nth: 1, error: 'ENOSPC' })
    fs.inject({ ops: ['append'], nth: 2, error: 'short-write' })
    const f = fs.create('/d/f')
    const e1 = caught(() => f.append(bytes(100)))
    expect((e1.cause as { code?: string }).code).toBe('ENOSPC')
    expect(f.size).toBe(0)
    const e2 = caught(() => f.append(bytes(100)))
    expect(e2.injected).toBe(true)
    expect(f.size).toBe(50)
  })

  it('fails fsync (sync and syncAsync) and leaves the bytes unsynced', async () => {
    const fs = new FaultFileSystem()
    fs.mkdir('/d')
    fs.inject({ ops: ['sync'], nth: 1, error: 'EIO', persistent: true })
    const f = fs.create('/d/f')
    fs.syncDir('/d')
    f.append(bytes(10))
    expect(caught(() => f.sync()).injected).toBe(true)
    await expect(f.syncAsync()).rejects.toMatchObject({ code: 'IO_ERROR', injected: true })
    fs.crash(0, 'lose-unsynced')
    expect(fs.size('/d/f')).toBe(0)
  })

  it('fails reads: openRead, read and readFile', () => {
    const { fs } = withTail(10, 0)
    fs.inject({ ops: ['read', 'readFile', 'openRead'], nth: 1, error: 'EIO', persistent: true })
    expect(caught(() => fs.readFile('/d/f')).injected).toBe(true)
    expect(caught(() => fs.openRead('/d/f')).injected).toBe(true)
    fs.clearFaults()
    const r = fs.openRead('/d/f')
    fs.inject({ ops: ['read'], nth: 1, error: 'EIO' })
    expect(caught(() => r.read(0, 4, new Uint8Array(4), 0)).code).toBe('IO_ERROR')
    expect(r.read(0, 4, new Uint8Array(4), 0)).toBe(4)
  })

  it('applies and counts no rule inside withoutFaults, and resumes them after', () => {
    const { fs } = withTail(10, 0)
    fs.inject({ ops: ['readFile'], nth: 1, error: 'EIO' })
    expect(fs.withoutFaults(() => fs.readFile('/d/f').length)).toBe(10)
    expect(caught(() => fs.readFile('/d/f')).injected).toBe(true) // still the 1st counted call
    expect(fs.readFile('/d/f').length).toBe(10)
  })

  it('reports a missing file as a plain (not injected) ENOENT', () => {
    const fs = new FaultFileSystem()
    const err = caught(() => fs.readFile('/nope'))
    expect(err.injected).toBe(false)
    expect((err.cause as { code?: string }).code).toBe('ENOENT')
  })
})

describe('FaultFileSystem asynchronous fsync', () => {
  it('completes syncAsync at the next turn of the event loop, covering the bytes appended before it', async () => {
    const fs = new FaultFileSystem()
    fs.mkdir('/d')
    const f = fs.create('/d/f')
    fs.syncDir('/d')
    f.append(bytes(10))
    const done = f.syncAsync()
    f.append(bytes(5)) // after the call: not covered by it
    await done
    fs.crash(0, 'lose-unsynced')
    expect(fs.size('/d/f')).toBe(10)
  })

  it('loses the bytes when the process dies before the fsync completes', async () => {
    const fs = new FaultFileSystem()
    fs.mkdir('/d')
    const f = fs.create('/d/f')
    fs.syncDir('/d')
    f.append(bytes(10))
    fs.armCrash(1)
    const done = f.syncAsync()
    expect(() => fs.create('/d/g')).toThrow() // the process dies here, before the fsync ends
    await expect(done).rejects.toMatchObject({ injected: true })
    fs.crash(0, 'lose-unsynced')
    expect(fs.size('/d/f')).toBe(0)
  })
})

describe('FaultFileSystem crash points', () => {
  it('lets the n-th mutating call take effect, then refuses every call until crash()', () => {
    const fs = new FaultFileSystem()
    fs.mkdir('/d')
    const f = fs.create('/d/f')
    fs.armCrash(2)
    f.append(bytes(10))
    const err = caught(() => f.sync())
    expect(err.injected).toBe(true)
    expect(fs.crashed).toBe(true)
    expect(fs.crashPoint).toEqual({ op: 'sync', path: '/d/f' })
    expect(caught(() => fs.exists('/d/f')).injected).toBe(true)
    fs.crash(0, 'lose-unsynced')
    expect(fs.crashed).toBe(false)
    expect(fs.exists('/d/f')).toBe(false) // its creation was never dir-synced
    expect(caught(() => f.append(bytes(1))).injected).toBe(true) // a handle from before the crash
  })

  it('counts only mutating calls toward the crash point', () => {
    const { fs } = withTail(10, 0)
    fs.armCrash(1)
    fs.readFile('/d/f')
    fs.list('/d')
    expect(fs.crashed).toBe(false)
    expect(() => fs.unlink('/d/f')).toThrow()
    expect(fs.crashPoint?.op).toBe('unlink')
  })

  it('locks like a real file system and forgets locks at a crash', () => {
    const fs = new FaultFileSystem()
    fs.lock('/d/LOCK')
    expect(caught(() => fs.lock('/d/LOCK')).code).toBe('LOCKED')
    fs.crash(0)
    fs.lock('/d/LOCK').release()
  })

  it('clones its live state as durable, and rewrites a file durably', () => {
    const { fs, data } = withTail(10, 20)
    const c = fs.clone()
    c.crash(0, 'lose-unsynced')
    expect(c.readFile('/d/f').equals(data)).toBe(true)
    c.rewrite('/d/f', Buffer.from('x'))
    c.crash(0, 'lose-unsynced')
    expect(c.readFile('/d/f').toString()).toBe('x')
    expect(fs.readFile('/d/f').equals(data)).toBe(true)
  })
})
