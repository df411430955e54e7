// The compaction worker's entry point (a worker_threads worker): one per database, for flushes
// and compactions. It receives plain requests (protocol.ts) on the port it was handed, does the
// file work itself through the real file system, posts the result back, then bumps a shared
// counter and notifies it, so a main thread blocked in a synchronous wait (worker-client.ts)
// wakes up. A flush that arrives while a compaction runs is taken between the compaction's
// entries (interleave, below), so it never waits for the merge to end.
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { receiveMessageOnPort, workerData } from 'node:worker_threads'
import type { MessagePort } from 'node:worker_threads'
import { bytewiseComparator, internalKeyComparator } from '../base/comparator.js'
import { StrataError } from '../errors.js'
import { NodeFileSystem } from '../fs/node-fs.js'
import type { TableEnv } from './build-table.js'
import { flushMemTable } from './flush-job.js'
import { runCompactionRequest } from './run-request.js'
import type { WorkerRequest, WorkerResponse } from './protocol.js'

const { port, signal } = workerData as { port: MessagePort; signal: SharedArrayBuffer }

/**
 * A job leaves its input and output blocks behind as dead Buffers whose memory lives outside
 * the (small) JS heap, so V8 collects them only after tens of MB pile up: measured, that held
 * ~50 MB of the process's RSS during a 1M-key fill. After a job that leaves more than
 * GARBAGE_LIMIT of array buffers, a full collection here (a few ms, off the main thread)
 * returns them. The `gc` function is V8's, exposed by flag into a fresh context; where that
 * fails, nothing is collected early.
 */
const GARBAGE_LIMIT = 8 * 1024 * 1024
const collect = exposeGc()

function exposeGc(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc')
    const gc: unknown = runInNewContext('gc')
    return typeof gc === 'function' ? (gc as () => void) : undefined
  } catch {
    return undefined
  }
}

function collectGarbage(): void {
  if (collect !== undefined && process.memoryUsage().arrayBuffers > GARBAGE_LIMIT) collect()
}
const counter = new Int32Array(signal)
const fs = new NodeFileSystem()
const icmp = internalKeyComparator(bytewiseComparator)

/**
 * Requests taken off the port while a compaction runs that are not flushes. The main thread
 * runs one compaction at a time, so none is expected; any is run after the compaction.
 */
const deferred: WorkerRequest[] = []

/**
 * Called by a running compaction every INTERLEAVE_ENTRIES entries: runs the flushes waiting on
 * the port at once (a full memtable must not wait for a long compaction) and defers the rest.
 */
function interleave(): void {
  for (let msg = receiveMessageOnPort(port); msg; msg = receiveMessageOnPort(port)) {
    const req = msg.message as WorkerRequest
    if (req.kind === 'flush') handle(req)
    else deferred.push(req)
  }
}

/** Runs one request and answers it: the response, then the counter a blocked main thread waits on. */
function handle(req: WorkerRequest): void {
  let res: WorkerResponse
  try {
    const env: TableEnv = { fs, dir: req.dir, icmp, table: req.table }
    res = req.kind === 'flush'
      ? { id: req.id, ok: true, flushed: flushMemTable(env, req.memtable, req.outputNumber) }
      : { id: req.id, ok: true, compacted: runCompactionRequest(env, req, interleave) }
  } catch (err) {
    const code = err instanceof StrataError ? err.code : 'IO_ERROR'
    res = { id: req.id, ok: false, error: { code, message: err instanceof Error ? err.message : String(err) } }
  }
  port.postMessage(res)
  Atomics.add(counter, 0, 1)
  Atomics.notify(counter, 0)
  collectGarbage()
}

port.on('message', (req: WorkerRequest) => {
  handle(req)
  for (let next = deferred.shift(); next !== undefined; next = deferred.shift()) handle(next)
})
