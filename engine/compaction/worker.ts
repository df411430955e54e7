// The compaction worker's entry point (a worker_threads worker). It receives plain requests
// (protocol.ts) on the port it was handed, does the file work itself through the real file
// system, posts the result back, then bumps a shared counter and notifies it, so a main thread
// blocked in a synchronous wait (worker-client.ts) wakes up.
import { workerData } from 'node:worker_threads'
import type { MessagePort } from 'node:worker_threads'
import { bytewiseComparator, internalKeyComparator } from '../base/comparator.js'
import { StrataError } from '../errors.js'
import { NodeFileSystem } from '../fs/node-fs.js'
import type { TableEnv } from './build-table.js'
import { flushMemTable } from './flush-job.js'
import { runCompactionRequest } from './run-request.js'
import type { WorkerRequest, WorkerResponse } from './protocol.js'

const { port, signal } = workerData as { port: MessagePort; signal: SharedArrayBuffer }
const counter = new Int32Array(signal)
const fs = new NodeFileSystem()
const icmp = internalKeyComparator(bytewiseComparator)

port.on('message', (req: WorkerRequest) => {
  let res: WorkerResponse
  try {
    const env: TableEnv = { fs, dir: req.dir, icmp, table: req.table }
    res = req.kind === 'flush'
      ? { id: req.id, ok: true, flushed: flushMemTable(env, req.memtable, req.outputNumber) }
      : { id: req.id, ok: true, compacted: runCompactionRequest(env, req) }
  } catch (err) {
    const code = err instanceof StrataError ? err.code : 'IO_ERROR'
    res = { id: req.id, ok: false, error: { code, message: err instanceof Error ? err.message : String(err) } }
  }
  port.postMessage(res)
  Atomics.add(counter, 0, 1)
  Atomics.notify(counter, 0)
})
