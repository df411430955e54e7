// Real processes: a child (fixtures/busy-writer.mjs, the built package) writes under load with
// compaction in the worker thread and a small memtable, and is killed with SIGKILL at seeded
// random moments, many times over, often while a compaction runs. After each kill the database
// must hold every acknowledged write and be exactly the result of a prefix of the child's
// operations (no holes, batches whole, deletes not undone).
import { execFileSync, spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seededRandom } from '../engine/fs/fault-fs.js'
import { DB } from '../engine/index.js'
import { Violation } from './support/checks.js'
import { runs, TIMEOUT } from './support/env.js'
import { Summary } from './support/summary.js'

const summary = new Summary('kill -9')
const writer = path.resolve('fuzz/fixtures/busy-writer.mjs')
const ROUNDS = Math.min(100, runs(3, 60, 0.02))
/** A round kills the writer after this long at the latest (busy or not). */
const ROUND_MS = 3_000
const SEED = Number(process.env['FUZZ_SEED'] ?? 0x6b11)
let dir: string

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-kill9-'))
  ensureBuilt()
}, 120_000)
afterAll(() => {
  summary.print()
  fs.rmSync(dir, { recursive: true, force: true })
})

/** The child imports dist/: build it when it is missing or older than the engine's sources. */
function ensureBuilt(): void {
  const built = path.resolve('dist/engine/index.js')
  const newest = (d: string): number => Math.max(...fs.readdirSync(d, { withFileTypes: true }).map((e) =>
    e.isDirectory() ? newest(path.join(d, e.name)) : fs.statSync(path.join(d, e.name)).mtimeMs))
  if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= newest(path.resolve('engine'))) return
  execFileSync(process.execPath, [path.resolve('node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { stdio: 'inherit' })
}

const key = (i: number): string => `key${String(i).padStart(10, '0')}`
const value = (i: number): Buffer => Buffer.alloc(150 + (i % 50), i % 251)

/**
 * Runs the writer from operation `start` and kills it: once it reports a running compaction
 * (most rounds), or after a seeded number of acknowledgements. Returns the last acknowledged
 * operation and whether a compaction was running when the signal was sent.
 */
async function runAndKill(start: number, rnd: () => number): Promise<{ lastAck: number; busy: boolean }> {
  const child = spawn(process.execPath, [writer, dir, String(start)], { stdio: ['ignore', 'pipe', 'inherit'] })
  const waitBusy = rnd() < 0.7
  const minAcks = 20 + Math.floor(rnd() * (waitBusy ? 300 : 1500))
  let lastAck = start - 1
  let busy = false
  let buffered = ''
  let sent = false
  const kill = (): void => {
    if (sent) return
    sent = true
    child.kill('SIGKILL')
  }
  const timer = setTimeout(kill, ROUND_MS)
  await new Promise<void>((resolve, reject) => {
    child.on('error', reject)
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`writer exited with ${code} ${signal}`))))
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString()
      const lines = buffered.split('\n')
      buffered = lines.pop()!
      for (const line of lines) {
        if (line.startsWith('ack ')) {
          lastAck = Number(line.slice(4))
          busy = false
        } else if (line === 'busy') busy = true
      }
      if (lastAck - start >= minAcks && (!waitBusy || busy)) kill()
    })
  })
  clearTimeout(timer)
  return { lastAck, busy }
}

/** Checks the recovered database against operations [0, M] for the largest M it shows. */
function verify(lastAck: number): number {
  const db = DB.open(dir, { compaction: 'inline' })
  try {
    const present = new Map<number, Buffer>()
    const it = db.iterator({ gte: 'key', lt: 'kez' })
    try {
      for (const [k, v] of it) present.set(Number(k.toString().slice(3)), v)
    } finally {
      it.close()
    }
    let m = -1
    for (const j of present.keys()) if (j > m) m = j
    if (m < lastAck) throw new Violation(`acknowledged operation ${lastAck} lost: the newest write recovered is ${m}`)
    for (let j = 0; j <= m; j++) {
      const deleted = (j + 2) % 5 === 0 && j + 2 <= m
      const got = present.get(j)
      if (deleted && got) throw new Violation(`key ${j} is back although operation ${j + 2} (recovered) deleted it`)
      if (!deleted && !got) throw new Violation(`operation ${j} is missing while ${m} survived (a hole)`)
      if (got && !got.equals(value(j))) throw new Violation(`key ${j} has a wrong value`)
    }
    if (present.size > 0 && [...present.keys()].some((j) => j < 0 || j > m)) throw new Violation('an unknown key appeared')
    return m
  } finally {
    db.close()
  }
}

describe('SIGKILL of a writing process, compactor busy', () => {
  it('keeps every acknowledged write and a prefix of the operations, kill after kill', async () => {
    const rnd = seededRandom(SEED)
    let next = 0
    let acked = 0
    for (let round = 0; round < ROUNDS; round++) {
      const { lastAck, busy } = await runAndKill(next, rnd)
      summary.add('kills', busy ? 'while a compaction ran' : 'between compactions')
      summary.add('operations acknowledged', 'all', Math.max(0, lastAck - next + 1))
      acked += Math.max(0, lastAck - next + 1)
      try {
        next = verify(lastAck) + 1
      } catch (err) {
        summary.add('failures', 'all')
        throw new Error(`round ${round} (FUZZ_SEED=${SEED}): ${(err as Error).message}`)
      }
      summary.add('recoveries', 'all')
    }
    expect(acked).toBeGreaterThan(ROUNDS * 20)
  }, Math.max(TIMEOUT, ROUNDS * 2 * ROUND_MS + 60_000))
})
