// The benchmark child process: runs one job and reports it to the parent over IPC, then exits.
// Started by run.ts (orchestrate.ts, forkLauncher) as
//   node dist/benchmarks/worker.js '<Job as JSON>'
// Protocol: exactly one message, { result: JobResult } or { error: string }. Every workload
// gets a fresh process, so no engine's caches, heap or threads leak into the next measurement.
import { runJob } from './job.js'
import { parseJob } from './protocol.js'
import type { WorkerMessage } from './protocol.js'

function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    if (process.send === undefined) {
      process.stdout.write(`${JSON.stringify(message)}\n`) // run by hand: print it
      resolve()
      return
    }
    process.send(message, undefined, {}, (err) => (err ? reject(err) : resolve()))
  })
}

async function main(): Promise<void> {
  let message: WorkerMessage
  try {
    message = { result: await runJob(parseJob(process.argv[2])) }
  } catch (err) {
    message = { error: err instanceof Error ? (err.stack ?? err.message) : String(err) }
  }
  await send(message)
  // Exit now, whatever the engine left behind (a background thread must not hold the parent).
  process.exit('error' in message ? 1 : 0)
}

void main()
