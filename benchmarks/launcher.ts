// How the parent runs a job: in a fresh child process (forkLauncher, what run.ts uses), or in
// this process (inProcessLauncher, for the smoke test and for debugging with --in-process).
import { execFileSync, fork } from 'node:child_process'
import type { Job, JobResult } from './job.js'
import { runJob } from './job.js'
import type { WorkerMessage } from './protocol.js'
import { asWorkerMessage } from './protocol.js'

/** Runs a job and resolves with its result; rejects if the job failed. */
export type Launcher = (job: Job) => Promise<JobResult>

/**
 * Each job in a new `node <workerPath> '<job>'` child, answering over IPC (worker.ts). A child
 * still running after `timeoutMs` is killed (SIGKILL) and the job fails, so one hung engine
 * cannot hang the suite.
 */
export function forkLauncher(workerPath: string, timeoutMs: number): Launcher {
  return (job) =>
    new Promise<JobResult>((resolve, reject) => {
      settleDisk()
      const child = fork(workerPath, [JSON.stringify(job)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
      let message: WorkerMessage | undefined
      let timedOut = false
      const timer = setTimeout(() => {
        timedOut = true
        child.kill('SIGKILL')
      }, timeoutMs)
      child.on('message', (m: unknown) => {
        message = asWorkerMessage(m) ?? message
      })
      child.on('error', (err) => {
        clearTimeout(timer)
        reject(err)
      })
      child.on('exit', (code, signal) => {
        clearTimeout(timer)
        if (message !== undefined && 'result' in message) resolve(message.result)
        else if (message !== undefined) reject(new Error(message.error))
        else if (timedOut) reject(new Error(`timed out after ${timeoutMs / 1000} s (worker killed)`))
        else reject(new Error(`worker exited (${signal ?? code}) without a result`))
      })
    })
}

/**
 * Writes back every dirty page of the machine (sync(1)) before a job starts, untimed, so one
 * job's deferred writeback does not slow the next: lmdb's unsynced commits leave gigabytes of
 * dirty pages behind a 1M fill, and LevelDB's fillseq right after one ran at 12,700 ops/s
 * where it had run at 19,900. Where there is no `sync` command, jobs start unsettled.
 */
function settleDisk(): void {
  try {
    execFileSync('sync', { stdio: 'ignore', timeout: 300_000 })
  } catch {
    // best effort: the measurement stays valid, only noisier
  }
}

/** Each job in this process, one after another. */
export const inProcessLauncher: Launcher = (job) => runJob(job)
