// Write-ahead log micro-benchmarks (tinybench): LogWriter.addRecord of 100-byte and 4 KiB
// records to a real file (NodeFileSystem) in `dir`, without sync and with an fdatasync after
// every record. Throughput: MB/s = ops/s × WAL_TASK_BYTES.get(name) / 1e6 (payload bytes; the
// file also carries a 7-byte header per fragment).
//
// The log file is replaced by a fresh one (outside the timed part) each time it passes
// ROTATE_BYTES, so a long run does not fill the disk.
import type { Bench } from 'tinybench'
import { joinPath, logFileName } from '../engine/base/filenames.js'
import { NodeFileSystem } from '../engine/fs/node-fs.js'
import { LogWriter } from '../engine/wal/index.js'

const ROTATE_BYTES = 64 * 1024 * 1024

interface WalTask {
  readonly name: string
  readonly recordBytes: number
  readonly sync: boolean
}

const TASKS: readonly WalTask[] = Object.freeze([
  { name: 'wal append 100 B (no sync)', recordBytes: 100, sync: false },
  { name: 'wal append 4 KiB (no sync)', recordBytes: 4096, sync: false },
  { name: 'wal append 100 B + fdatasync', recordBytes: 100, sync: true },
  { name: 'wal append 4 KiB + fdatasync', recordBytes: 4096, sync: true },
])

/** Payload bytes one operation of each task writes, by task name. */
export const WAL_TASK_BYTES: ReadonlyMap<string, number> = new Map(TASKS.map((t) => [t.name, t.recordBytes]))

/** A record of `n` bytes that does not compress to nothing (the WAL does not compress anyway). */
function record(n: number): Uint8Array {
  const out = new Uint8Array(n)
  let x = 0x9e3779b9
  for (let i = 0; i < n; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    out[i] = x & 0xff
  }
  return out
}

/** Adds the WAL tasks to `bench`; they write log files in `dir` (created if missing) and remove them. */
export function addWalBenchmarks(bench: Bench, dir: string): void {
  const fs = new NodeFileSystem()
  fs.mkdir(dir)
  TASKS.forEach((task, i) => {
    const data = record(task.recordBytes)
    const path = joinPath(dir, logFileName(900_000 + i))
    let writer: LogWriter | undefined
    const open = (): void => {
      writer?.close()
      writer = new LogWriter(fs.create(path))
    }
    const run = task.sync
      ? (): void => {
        writer!.addRecord(data)
        writer!.sync()
      }
      : (): void => {
        writer!.addRecord(data)
      }
    bench.add(task.name, run, {
      beforeAll: open,
      beforeEach: () => {
        if (writer!.size > ROTATE_BYTES) open()
      },
      afterAll: () => {
        writer?.close()
        writer = undefined
        if (fs.exists(path)) fs.unlink(path)
      },
    })
  })
}
