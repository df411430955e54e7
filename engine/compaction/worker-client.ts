// The main thread's handle on the compaction worker: post a request and either await its
// response, or block for it (the synchronous API's write stalls and compactRange), which is
// possible because the worker notifies a shared counter after each response and
// receiveMessageOnPort takes the response off the port without the event loop.
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads'
import type { MessagePort } from 'node:worker_threads'
import { StrataError } from '../errors.js'
import type { StrataErrorCode } from '../errors.js'
import type { WorkerRequest, WorkerResponse } from './protocol.js'

type Outcome = Extract<WorkerResponse, { ok: true }>
type Request = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never

/** Called exactly once per request, synchronously when its answer is taken off the port. */
export type Callback = (err: StrataError | undefined, res: Outcome | undefined) => void

/** Where the compiled worker lives: beside this module, or in dist/ when run from sources. */
function workerEntry(): string {
  const here = fileURLToPath(import.meta.url)
  if (here.endsWith('.js')) return path.join(path.dirname(here), 'worker.js')
  const root = path.resolve(path.dirname(here), '..', '..')
  return path.join(root, 'dist', 'engine', 'compaction', 'worker.js')
}

const WORKER_YOUNG_GENERATION_MB = 4

export class CompactionWorker {
  private readonly worker: Worker
  private readonly port: MessagePort
  private readonly counter = new Int32Array(new SharedArrayBuffer(4))
  private readonly pending = new Map<number, Callback>()
  private nextId = 1
  /** The answer counter as of the last poll. */
  private polled = 0
  private dead: StrataError | undefined

  constructor() {
    const { port1, port2 } = new MessageChannel()
    this.port = port1
    this.worker = new Worker(workerEntry(), {
      workerData: { port: port2, signal: this.counter.buffer },
      transferList: [port2],
      // A job's objects die young and its bulk is Buffers outside the heap: a 4 MB young
      // generation (V8's default is several times that) cut the process's peak RSS during a
      // 1M-key fill by ~15 MB with no measurable change in compaction speed.
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
    })
    this.worker.on('error', (err) => this.fail(new StrataError('IO_ERROR', `compaction worker failed: ${err.message}`, { cause: err })))
    this.worker.on('exit', (code) => this.fail(new StrataError('IO_ERROR', `compaction worker exited (code ${code})`)))
    this.port.on('message', (res: WorkerResponse) => this.settle(res))
    this.idle()
  }

  /**
   * Posts a request. `done` runs when the answer arrives: from the event loop, or inside a
   * waitSync that takes it off the port, so its effects are visible when waitSync returns.
   */
  run(req: Request, done: Callback): number {
    const id = this.nextId++
    if (this.dead) {
      const err = this.dead
      queueMicrotask(() => done(err, undefined))
      return id
    }
    this.pending.set(id, done)
    this.busy()
    this.port.postMessage({ ...req, id } as WorkerRequest)
    return id
  }

  /** Blocks this thread until request `id` is answered, handling every answer meanwhile. */
  waitSync(id: number): void {
    while (this.pending.has(id) && !this.dead) {
      const seen = Atomics.load(this.counter, 0)
      for (let msg = receiveMessageOnPort(this.port); msg; msg = receiveMessageOnPort(this.port)) {
        this.settle(msg.message as WorkerResponse)
      }
      if (!this.pending.has(id)) break
      Atomics.wait(this.counter, 0, seen, 1000)
    }
  }

  /**
   * Takes every answer that has arrived off the port without waiting: lets a synchronous
   * caller that never yields to the event loop (a tight loop of db.put) still install finished
   * background work. Costs one atomic load when nothing has arrived.
   */
  poll(): void {
    const count = Atomics.load(this.counter, 0)
    if (count === this.polled) return
    this.polled = count
    for (let msg = receiveMessageOnPort(this.port); msg; msg = receiveMessageOnPort(this.port)) {
      this.settle(msg.message as WorkerResponse)
    }
  }

  /** Blocks up to `ms` for any answer (or returns at once if one arrived since the last poll). */
  waitAny(ms: number): void {
    Atomics.wait(this.counter, 0, this.polled, ms)
    this.poll()
  }

  get inFlight(): number {
    return this.pending.size
  }

  terminate(): void {
    this.dead ??= new StrataError('CLOSED', 'compaction worker stopped')
    this.port.close()
    void this.worker.terminate()
  }

  private settle(res: WorkerResponse): void {
    const done = this.pending.get(res.id)
    if (!done) return
    this.pending.delete(res.id)
    if (this.pending.size === 0) this.idle()
    if (res.ok) done(undefined, res)
    else done(new StrataError(res.error.code as StrataErrorCode, `background work failed: ${res.error.message}`), undefined)
  }

  private fail(err: StrataError): void {
    if (this.dead) return
    this.dead = err
    const callbacks = [...this.pending.values()]
    this.pending.clear()
    for (const done of callbacks) done(err, undefined)
  }

  /** While work is pending, the worker keeps the process alive; when idle it does not. */
  private busy(): void {
    this.worker.ref()
    this.port.ref()
  }

  private idle(): void {
    this.worker.unref()
    this.port.unref()
  }
}
