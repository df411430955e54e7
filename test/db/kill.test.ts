// A process killed with SIGKILL mid-write loses no acknowledged write (sync: false writes
// survive a process crash: they were handed to the OS before put() returned).
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DB } from '../../engine/index.js'

let dir: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-kill-'))
})
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true })
})

const writer = path.resolve('test/db/fixtures/writer.mjs')
const key = (i: number): string => `key${String(i).padStart(10, '0')}`

/** Runs the writer until it has acknowledged at least `minAcks` writes, then SIGKILLs it. */
async function runAndKill(db: string, start: number, minAcks: number, mode: string): Promise<number> {
  const child = spawn(process.execPath, [writer, db, '16384', mode, String(start)], { stdio: ['ignore', 'pipe', 'inherit'] })
  let last = -1
  let buffered = ''
  await new Promise<void>((resolve, reject) => {
    child.on('error', reject)
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`writer exited ${code} ${signal}`))))
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString()
      const lines = buffered.split('\n')
      buffered = lines.pop()!
      for (const line of lines) if (line.startsWith('ack ')) last = Number(line.slice(4))
      if (last >= minAcks && child.exitCode === null && !child.killed) child.kill('SIGKILL')
    })
  })
  return last
}

describe('kill -9 during writes', () => {
  for (const mode of ['put', 'batch']) {
    it(`keeps every acknowledged ${mode} across repeated kills`, async () => {
      let acked = -1
      for (let round = 0; round < 4; round++) {
        acked = Math.max(acked, await runAndKill(dir, acked + 1, acked + 200 + round * 300, mode))
        const db = DB.open(dir)
        try {
          for (let i = 0; i <= acked; i++) {
            const v = db.get(key(i))
            if (v === undefined) throw new Error(`acknowledged write ${key(i)} lost after kill ${round}`)
            expect(v.length).toBe(100)
            if (mode === 'batch' && i % 3 === 0) expect(db.has(`${key(i)}:b`)).toBe(true)
          }
        } finally {
          db.close()
        }
      }
      expect(acked).toBeGreaterThan(1000)
    })
  }
})
