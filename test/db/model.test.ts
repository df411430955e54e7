import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, it, vi } from 'vitest'
import { DB } from '../../engine/index.js'
import { MemFileSystem } from '../../engine/fs/mem-fs.js'
import type { Options } from '../../engine/index.js'
import { checkAll, commandArbs } from './model.js'
import type { Model, Real } from './model.js'

// Invariant checks on: among them, block memory freed to the cache's arena is poisoned at once,
// so a block read after its slot was given back shows up as a disagreement with the model.
vi.hoisted(() => {
  process.env['STRATADB_INVARIANTS'] = '1'
})

const RUNS = Number(process.env.FUZZ_RUNS ?? (process.env.FUZZ === 'long' ? 400 : 40))

// Tiny memtables and target files so that flushes and compactions (with snapshots held across
// them) happen every few commands; a block cache of four 256-byte blocks, so that scans and
// gets evict blocks other iterators are on, and none at all. 'worker' runs on the real file system: a worker thread
// cannot reach an in-memory one.
const small = { memtableSize: 1024, targetFileSize: 2048, l0CompactionTrigger: 2, l0SlowdownTrigger: 3, l0StopTrigger: 4 }
const configs: Array<[string, Options, 'mem' | 'disk']> = [
  ['inline, tiny memtable, 256-byte blocks, lz4, 1 KiB cache', { ...small, blockSize: 256, blockRestartInterval: 2, compression: 'lz4', compaction: 'inline', blockCacheSize: 1024 }, 'mem'],
  ['inline, no compression, no bloom, no cache', { ...small, memtableSize: 2048, blockSize: 512, compression: 'none', bloomBitsPerKey: 0, compaction: 'inline', blockCacheSize: 0 }, 'mem'],
  ['inline, default sizes', { compaction: 'inline' }, 'mem'],
  ['worker, tiny memtable, lz4', { ...small, blockSize: 256, compaction: 'worker' }, 'disk'],
]

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-model-'))
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }))

describe('DB against a sorted-map model', () => {
  for (const [name, config, where] of configs) {
    it(`agrees with the model (${name})`, async () => {
      let run = 0
      await fc.assert(
        fc.asyncProperty(fc.commands(commandArbs, { maxCommands: 200, size: 'large' }), async (cmds) => {
          const dir = where === 'mem' ? `/db${run++}` : path.join(scratch, `${name.replace(/\W+/g, '-')}-${run++}`)
          const options: Options = where === 'mem' ? { ...config, fs: new MemFileSystem() } : config
          const real: Real = { db: DB.open(dir, options), dir, options, snapshots: [] }
          const model: Model = { data: new Map(), snapshots: [] }
          try {
            await fc.asyncModelRun(() => ({ model, real }), cmds)
            checkAll(model, real)
          } finally {
            real.db.close()
            if (where === 'disk') fs.rmSync(dir, { recursive: true, force: true })
          }
        }),
        { seed: 42, numRuns: where === 'disk' ? Math.ceil(RUNS / 4) : RUNS },
      )
    }, 30 * 60_000) // the long campaign (npm run fuzz) runs hundreds of programs
  }
})
