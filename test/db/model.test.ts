import fc from 'fast-check'
import { describe, it } from 'vitest'
import { DB } from '../../engine/index.js'
import { MemFileSystem } from '../../engine/fs/mem-fs.js'
import type { Options } from '../../engine/index.js'
import { checkAll, commandArbs } from './model.js'
import type { Model, Real } from './model.js'

const RUNS = Number(process.env.FUZZ_RUNS ?? 60)

const configs: Array<[string, Options]> = [
  ['tiny memtable, 256-byte blocks, lz4', { memtableSize: 1024, blockSize: 256, blockRestartInterval: 2, compression: 'lz4', compaction: 'inline' }],
  ['tiny memtable, no compression, no bloom', { memtableSize: 2048, blockSize: 512, compression: 'none', bloomBitsPerKey: 0, compaction: 'inline' }],
  ['default sizes', { compaction: 'inline' }],
]

describe('DB against a sorted-map model', () => {
  for (const [name, config] of configs) {
    it(`agrees with the model (${name})`, async () => {
      let seed = 0
      await fc.assert(
        fc.asyncProperty(fc.commands(commandArbs, { maxCommands: 200, size: 'large' }), async (cmds) => {
          const fs = new MemFileSystem()
          const options: Options = { ...config, fs }
          const dir = `/db${seed++}`
          const real: Real = { db: DB.open(dir, options), dir, options, snapshots: [] }
          const model: Model = { data: new Map(), snapshots: [] }
          try {
            await fc.asyncModelRun(() => ({ model, real }), cmds)
            checkAll(model, real)
          } finally {
            real.db.close()
          }
        }),
        { seed: 42, numRuns: RUNS },
      )
    })
  }
})
