// Every example in examples/ runs as a user would run it (node examples/NAME.mjs, importing
// 'stratadb' from the built package) and checks its own results: exit status 0, and its
// closing line. `npm test` builds dist/ first.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const EXAMPLES: ReadonlyArray<readonly [file: string, lastLine: string]> = [
  ['session-store.mjs', 'session store: all checks passed'],
  ['user-profiles.mjs', 'user profiles: all checks passed'],
  ['time-series.mjs', 'time series: all checks passed'],
  ['sublevels-json.mjs', 'sublevels and JSON: all checks passed'],
  ['crash-demo.mjs', 'crash demo: all checks passed'],
]

function run(file: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, [resolve('examples', file)], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    child.on('error', reject)
    child.on('close', (code) => done({ code, stdout, stderr }))
  })
}

describe('examples', () => {
  for (const [file, lastLine] of EXAMPLES) {
    it.concurrent(`${file} runs and passes its own checks`, async () => {
      if (!existsSync(resolve('dist/engine/index.js'))) throw new Error('dist/ is missing: run `npm run build` first')
      const { code, stdout, stderr } = await run(file)
      expect(stderr).toBe('')
      expect(code).toBe(0)
      const lines = stdout.trimEnd().split('\n')
      expect(lines.at(-1)).toBe(lastLine)
      expect(lines.filter((l) => l.startsWith('  ok  ')).length).toBeGreaterThanOrEqual(5)
    })
  }
})
