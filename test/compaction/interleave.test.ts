// One worker runs both flushes and compactions: a flush sent while a compaction runs must be
// taken between the compaction's entries (CompactionEnv.interleave), not after the compaction,
// so a full memtable never waits for a long merge. Checked on the job (how often the hook
// runs) and on the real worker thread (the flush is answered first, and both results are whole).
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { joinPath, tableFileName } from '../../engine/base/filenames.js'
import { KIND_VALUE } from '../../engine/base/internal-key.js'
import { INTERLEAVE_ENTRIES, pickManualCompaction, runCompaction } from '../../engine/compaction/index.js'
import type { CompactionSpec, PickerOptions } from '../../engine/compaction/index.js'
import { CompactionWorker } from '../../engine/compaction/worker-client.js'
import { NodeFileSystem } from '../../engine/fs/node-fs.js'
import { MemTable } from '../../engine/memtable/memtable.js'
import type { FileMetaData } from '../../engine/version/index.js'
import { icmp, newFs, put, readTable, TABLE, ucmp, versionOf, writeTable } from './helpers.js'
import type { Entry } from './helpers.js'

const PICK: PickerOptions = { targetFileSize: 1 << 20, levelSizeMultiplier: 10, l0CompactionTrigger: 1 }

const entries = (n: number, seq = 1): Entry[] =>
  Array.from({ length: n }, (_, i) => put(`key${String(i).padStart(8, '0')}`, seq + i, `value-${i}-`.padEnd(100, 'x')))

function manualSpec(levels: FileMetaData[][], level: number): CompactionSpec {
  return pickManualCompaction(versionOf(levels), level, undefined, undefined, PICK, icmp, ucmp)!
}

describe('interleaving flushes with a compaction', () => {
  it('the job calls interleave once per INTERLEAVE_ENTRIES input entries, mid-merge', () => {
    const mem = newFs()
    const n = 3 * INTERLEAVE_ENTRIES + 7
    const spec = manualSpec([[], [writeTable(mem, 1, entries(n))]], 1)
    let calls = 0
    let next = 100
    const result = runCompaction(spec, {
      fs: mem, dir: '/db', table: TABLE, targetFileSize: 1 << 20, smallestSnapshot: n + 1,
      allocateFileNumber: () => next++,
      interleave: () => {
        calls++
        // Called inside the merge: the output table is still being written.
        expect(mem.exists(joinPath('/db', tableFileName(100)))).toBe(true)
      },
    })
    expect(calls).toBe(3)
    expect(result.stats.entriesIn).toBe(n)
    expect(result.outputs.flatMap((f) => readTable(mem, f)).length).toBe(n)
  })

  describe('in the worker thread', () => {
    let dir = ''
    let worker: CompactionWorker | undefined
    afterEach(() => {
      worker?.terminate()
      worker = undefined
      if (dir) fs.rmSync(dir, { recursive: true, force: true })
    })

    it('answers a flush sent during a compaction before the compaction, and both results are whole', () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-interleave-'))
      const nodeFs = new NodeFileSystem()
      const n = 20 * INTERLEAVE_ENTRIES
      const input = writeTable(nodeFs, 1, entries(n), TABLE, dir)
      const spec = manualSpec([[], [input]], 1)

      const memtable = new MemTable()
      for (let i = 0; i < 10; i++) memtable.add(n + 10 + i, KIND_VALUE, Buffer.from(`flushed${i}`), Buffer.from(`v${i}`))

      const order: string[] = []
      const w = (worker = new CompactionWorker())
      const compactId = w.run(
        { kind: 'compact', dir, spec, outputNumbers: [100, 101, 102, 103], smallestSnapshot: n + 1, table: TABLE, targetFileSize: 1 << 20 },
        (err, res) => {
          expect(err).toBeUndefined()
          order.push('compact')
          const outputs = (res!.compacted as { outputs: FileMetaData[] }).outputs
          expect(outputs.flatMap((f) => readTable(nodeFs, f, dir)).length).toBe(n)
        },
      )
      const flushId = w.run({ kind: 'flush', dir, memtable: memtable.share(), outputNumber: 50, table: TABLE }, (err, res) => {
        expect(err).toBeUndefined()
        order.push('flush')
        expect(res!.flushed!.number).toBe(50)
        expect(readTable(nodeFs, res!.flushed!, dir).map((e) => Buffer.from(e.user).toString())).toEqual(
          Array.from({ length: 10 }, (_, i) => `flushed${i}`),
        )
      })
      w.waitSync(compactId)
      w.waitSync(flushId)
      expect(order).toEqual(['flush', 'compact'])
    })
  })
})
