// abstract-level's own test suite against StrataLevel: runs abstract-suite-driver.mjs (tape,
// against the built package in dist/) in a child process and reads its TAP summary. `npm test`
// builds first; run `npm run build` before running this file alone.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const driver = resolve('test/level/abstract-suite-driver.mjs')
const built = resolve('dist/engine/level/index.js')

/**
 * Passing assertions in abstract-level 3.1.1's suite for StrataLevel's manifest (5,132 at the
 * time of writing); a drop means tests were skipped or lost.
 */
const PASS_FLOOR = 5100

interface TapSummary {
  tests: number
  pass: number
  fail: number
  failures: string[]
  skipped: number
}

function parseTap(out: string): TapSummary {
  const count = (label: string): number => Number(new RegExp(`^# ${label}\\s+(\\d+)$`, 'm').exec(out)?.[1] ?? NaN)
  const lines = out.split('\n')
  const failures: string[] = []
  let heading = ''
  for (const line of lines) {
    if (line.startsWith('# ')) heading = line.slice(2)
    else if (line.startsWith('not ok')) failures.push(`${heading}: ${line}`)
  }
  return {
    tests: count('tests'),
    pass: count('pass'),
    fail: out.includes('\n# fail') ? count('fail') : 0,
    failures,
    skipped: lines.filter((l) => /^ok \d+ .*# SKIP/.test(l)).length,
  }
}

function runDriver(): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, [driver], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => done({ code, out, err }))
  })
}

describe("abstract-level's test suite", () => {
  it('passes in full against StrataLevel (tape, built package)', async () => {
    if (!existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` first`)
    const { code, out, err } = await runDriver()
    const summary = parseTap(out)
    console.log(`abstract-level suite: ${summary.tests} assertions, ${summary.pass} passed, ${summary.fail} failed, ${summary.skipped} skipped`)
    expect(summary.failures, err).toEqual([])
    expect(summary.fail).toBe(0)
    expect(summary.pass).toBe(summary.tests)
    expect(summary.pass).toBeGreaterThanOrEqual(PASS_FLOOR)
    expect(code).toBe(0)
  }, 120_000)
})
