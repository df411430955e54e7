import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { NodeFileSystem } from '../../engine/fs/node-fs.js'

let dir: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-lock-'))
})
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true })
})

const nfs = new NodeFileSystem()

// A child process that takes the lock through the engine's own code, then waits for stdin.
const holderScript = (lockPath: string): string => `
  const fs = require('node:fs')
  const stat = fs.readFileSync('/proc/self/stat', 'utf8')
  const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]
  fs.writeFileSync(${JSON.stringify(lockPath)}, process.pid + ' ' + start + '\\n')
  process.stdout.write('ready\\n')
  process.stdin.on('data', () => process.exit(0))
`

describe('NodeFileSystem lock', () => {
  it('refuses a second lock in the same process, and allows it after release', () => {
    const p = path.join(dir, 'LOCK')
    const first = nfs.lock(p)
    expect(() => nfs.lock(p)).toThrow(expect.objectContaining({ code: 'LOCKED' }))
    first.release()
    expect(fs.existsSync(p)).toBe(false)
    nfs.lock(p).release()
  })

  it('refuses a lock held by another live process', async () => {
    const p = path.join(dir, 'LOCK')
    const child = spawn(process.execPath, ['-e', holderScript(p)], { stdio: ['pipe', 'pipe', 'inherit'] })
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()))
    try {
      expect(() => nfs.lock(p)).toThrow(expect.objectContaining({ code: 'LOCKED', message: expect.stringContaining(`process ${child.pid}`) }))
    } finally {
      child.stdin.write('x')
      await new Promise((r) => child.once('exit', r))
    }
    // the holder is gone without releasing: its lock is stale and is reclaimed
    expect(fs.existsSync(p)).toBe(true)
    const lock = nfs.lock(p)
    expect(fs.readFileSync(p, 'utf8')).toMatch(new RegExp(`^${process.pid} \\d+\\n$`))
    lock.release()
  })

  it('reclaims a lock whose pid now belongs to a different process (start time differs)', () => {
    const p = path.join(dir, 'LOCK')
    fs.writeFileSync(p, `${process.pid} 1\n`) // our pid, but not our start time
    const lock = nfs.lock(p)
    lock.release()
  })

  it('treats an empty or foreign LOCK file as stale', () => {
    const p = path.join(dir, 'LOCK')
    fs.writeFileSync(p, '')
    nfs.lock(p).release()
  })

  it('leaves no temporary files behind', () => {
    const p = path.join(dir, 'LOCK')
    const l = nfs.lock(p)
    expect(() => nfs.lock(p)).toThrow()
    l.release()
    expect(fs.readdirSync(dir)).toEqual([])
  })
})
