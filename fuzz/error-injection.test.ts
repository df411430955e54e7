// Error injection: programs interleave operations with injected file-system failures (EIO on
// write, read or fsync; ENOSPC; short writes; failures of create, rename, unlink, syncDir,
// list and close) and the occasional power loss. After each failure the database must either
// carry on correctly or refuse writes with a StrataError (never CORRUPTION, never another
// exception); after a failed WAL append or fsync every later write is refused (sticky); and a
// reopen (or recovery) holds everything acknowledged. Outcomes are counted per fault kind.
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { FaultFileSystem } from '../engine/fs/fault-fs.js'
import { DB, WriteBatch } from '../engine/index.js'
import { params, runs, TIMEOUT } from './support/env.js'
import { crashArb, faultArb, programArb, SMALL_CONFIGS, workArbs } from './support/program.js'
import { Runner } from './support/runner.js'
import { Summary } from './support/summary.js'

const summary = new Summary('error-injection')
afterAll(() => summary.print())

const programs = programArb([...workArbs, { weight: 4, arbitrary: faultArb }, { weight: 1, arbitrary: crashArb }], 50)

describe('injected file-system errors', () => {
  it('carries on or refuses writes with a StrataError, and a reopen holds every acknowledged write', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(SMALL_CONFIGS.length - 1), programs, async (config, program) => {
        summary.add('programs', SMALL_CONFIGS[config]!.name)
        try {
          await new Runner(SMALL_CONFIGS[config]!.options, summary).run([...program, { t: 'reopen' }])
        } catch (err) {
          summary.add('failures', 'all')
          throw err
        }
      }),
      params(0xfa17, runs(120, 2000)),
    )
  }, TIMEOUT)

  for (const how of ['put', 'writeAsync'] as const) {
    it(`refuses every write after a failed WAL fsync (${how}), keeps reads, and a reopen holds what was acknowledged`, async () => {
      const fs = new FaultFileSystem()
      const db = DB.open('/db', { fs, compaction: 'inline' })
      db.put('a', '1', { sync: true })
      fs.inject({ ops: ['sync'], path: '.log', nth: 1, error: 'EIO' })
      const failed = how === 'put'
        ? new Promise<void>((resolve, reject) => { try { db.put('b', '2', { sync: true }); resolve() } catch (err) { reject(err) } })
        : db.writeAsync(new WriteBatch().put('b', '2'), { sync: true })
      await expect(failed).rejects.toMatchObject({ code: 'IO_ERROR', injected: true })
      // sticky: no later write is acknowledged, whatever its kind; the fault itself is long gone
      expect(() => db.put('c', '3')).toThrow(expect.objectContaining({ code: 'IO_ERROR' }))
      expect(() => db.delete('a')).toThrow(expect.objectContaining({ code: 'IO_ERROR' }))
      expect(() => db.write(new WriteBatch().put('c', '3'))).toThrow(expect.objectContaining({ code: 'IO_ERROR' }))
      await expect(db.writeAsync(new WriteBatch().put('c', '3'), { sync: true })).rejects.toMatchObject({ code: 'IO_ERROR' })
      expect(() => db.flush()).toThrow(expect.objectContaining({ code: 'IO_ERROR' }))
      expect(db.stats().backgroundError).toMatch(/EIO/)
      expect(db.get('a')?.toString()).toBe('1') // reads keep working
      db.close()
      fs.crash(1, 'lose-unsynced')
      const again = DB.open('/db', { fs, compaction: 'inline' })
      expect(again.get('a')?.toString()).toBe('1')
      expect(again.has('c')).toBe(false)
      again.put('d', '4', { sync: true }) // a reopened database takes writes again
      expect(again.get('d')?.toString()).toBe('4')
      again.close()
    })
  }
})
