// One program, many configurations (Pebble's metamorphic idea): the same operations run under
// a tiny memtable with 256-byte blocks, no compression and no bloom filter, default sizes, and
// compaction inline (on an in-memory file system) or in the worker thread (on a real temporary
// directory), and every read in every configuration must equal the sorted-map model.
import * as nodeFs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, it } from 'vitest'
import { MemFileSystem } from '../engine/fs/mem-fs.js'
import { DB, WriteBatch } from '../engine/index.js'
import type { Options, Snapshot } from '../engine/index.js'
import { readState, Violation } from './support/checks.js'
import { params, runs, TIMEOUT } from './support/env.js'
import { serialize } from './support/history.js'
import type { State } from './support/history.js'
import { KEYS, programArb, valueBytes, workArbs } from './support/program.js'
import type { BatchOp, Op } from './support/program.js'
import { Summary } from './support/summary.js'

const summary = new Summary('configurations')
// tmpfs where there is one: this property compares results, and real fsyncs only slow it down
const base = nodeFs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir()
const scratch = nodeFs.mkdtempSync(path.join(base, 'strata-configs-'))
afterAll(() => {
  summary.print()
  nodeFs.rmSync(scratch, { recursive: true, force: true })
})

const tiny = { memtableSize: 1024, targetFileSize: 2048, l0CompactionTrigger: 2, l0SlowdownTrigger: 3, l0StopTrigger: 4 }
const CONFIGS: ReadonlyArray<{ name: string; options: Options; disk: boolean }> = [
  { name: 'inline, tiny memtable, 256-byte blocks, lz4, 1 KiB cache', options: { ...tiny, blockSize: 256, blockRestartInterval: 2, compression: 'lz4', compaction: 'inline', blockCacheSize: 1024 }, disk: false },
  { name: 'inline, 2 KiB memtable, no compression, no bloom', options: { ...tiny, memtableSize: 2048, blockSize: 512, compression: 'none', bloomBitsPerKey: 0, compaction: 'inline' }, disk: false },
  { name: 'inline, default sizes', options: { compaction: 'inline' }, disk: false },
  { name: 'worker, tiny memtable, 256-byte blocks, lz4', options: { ...tiny, blockSize: 256, compression: 'lz4', compaction: 'worker' }, disk: true },
  { name: 'worker, tiny memtable, no compression', options: { ...tiny, compression: 'none', compaction: 'worker' }, disk: true },
]

let dirs = 0

/** Runs `program` under `config`, checking every read against the model. */
async function runUnder(config: (typeof CONFIGS)[number], program: readonly Op[]): Promise<string> {
  const dir = config.disk ? path.join(scratch, `db${dirs++}`) : '/db'
  const options: Options = config.disk ? config.options : { ...config.options, fs: new MemFileSystem() }
  let db = DB.open(dir, options)
  let model: State = new Map()
  let snaps: Array<{ snap: Snapshot; state: State }> = []
  const expect = (got: State, want: State, what: string): void => {
    if (serialize(got) !== serialize(want)) throw new Violation(`${config.name}: ${what} differs from the model:\n  got  ${serialize(got)}\n  want ${serialize(want)}`)
  }
  const apply = (ops: readonly BatchOp[]): WriteBatch => {
    const b = new WriteBatch()
    for (const [k, v] of ops) {
      if (v === null) {
        b.delete(k)
        model.delete(k)
      } else {
        b.put(k, valueBytes(v))
        model.set(k, valueBytes(v))
      }
    }
    return b
  }
  try {
    for (const op of program) {
      summary.add('operations', op.t)
      switch (op.t) {
        case 'put': db.put(op.k, valueBytes(op.v), { sync: op.sync }); model.set(op.k, valueBytes(op.v)); break
        case 'del': db.delete(op.k, { sync: op.sync }); model.delete(op.k); break
        case 'batch': db.write(apply(op.ops), { sync: op.sync }); break
        case 'group': await Promise.all(op.batches.map((b) => db.writeAsync(apply(b.ops), { sync: b.sync }))); break
        case 'get': {
          const got = db.get(op.k)
          const want = model.get(op.k)
          if ((got === undefined) !== (want === undefined) || (got && want && !got.equals(want))) throw new Violation(`${config.name}: get(${JSON.stringify(op.k)}) differs from the model`)
          break
        }
        case 'scan': expect(readState(db, KEYS), model, 'a scan'); break
        case 'snap': snaps.push({ snap: db.snapshot(), state: new Map(model) }); break
        case 'snapCheck': {
          const s = snaps[op.i % Math.max(1, snaps.length)]
          if (s) expect(readState(db, KEYS, s.snap), s.state, 'a snapshot read')
          break
        }
        case 'release': {
          const s = snaps.splice(op.i % Math.max(1, snaps.length), 1)[0]
          s?.snap.release()
          break
        }
        case 'flush': db.flush(); break
        case 'compact': db.compactRange(op.from ?? undefined, op.to ?? undefined); break
        case 'reopen':
          db.close()
          snaps = []
          db = DB.open(dir, options)
          break
        default:
          break
      }
    }
    expect(readState(db, KEYS), model, 'the final state')
    db.close()
    db = DB.open(dir, options)
    const reopened = readState(db, KEYS)
    expect(reopened, model, 'the state after a reopen')
    model = reopened
    return serialize(model)
  } finally {
    db.close()
    if (config.disk) nodeFs.rmSync(dir, { recursive: true, force: true })
  }
}

describe('one program under several configurations', () => {
  it('equals the model under every configuration, inline and worker compaction', async () => {
    await fc.assert(
      fc.asyncProperty(programArb(workArbs, 80), async (program) => {
        const finals = new Set<string>()
        for (const config of CONFIGS) {
          try {
            const t = performance.now()
            finals.add(await runUnder(config, program))
            summary.add('programs run', config.name)
            summary.add('milliseconds', config.name, Math.round(performance.now() - t))
          } catch (err) {
            summary.add('failures', config.name)
            throw err
          }
        }
        if (finals.size !== 1) throw new Violation('the configurations ended in different states')
      }),
      params(0xc0f1, runs(3, 40)),
    )
  }, TIMEOUT)
})
