// Running the real strata binary (bin/strata -> dist/bin-src) in a child process, for the CLI
// tests. `npm test` builds dist/ first; run `npm run build` before these files alone.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'

const BIN = resolve('bin/strata')
const BUILT = resolve('dist/bin-src/main.js')

export interface Run {
  status: number | null
  stdout: string
  stderr: string
}

/** Runs `strata ...args` to completion with piped (non-terminal) stdio. */
export function strata(...args: string[]): Run {
  if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run \`npm run build\` first`)
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 })
  if (r.error) throw r.error
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** The lines of `text`, without the empty one after the final newline. */
export function lines(text: string): string[] {
  const all = text.split('\n')
  if (all[all.length - 1] === '') all.pop()
  return all
}

/** Parses JSON Lines output. */
export function jsonLines(text: string): unknown[] {
  return lines(text).map((l) => JSON.parse(l) as unknown)
}

/** Asserts the shape of a user error: exactly one stderr line `strata: CODE: ...`, no stack. */
export function oneLineError(r: Run, code: string): string {
  const errLines = lines(r.stderr)
  if (r.status !== 2) throw new Error(`expected exit status 2, got ${r.status}; stderr: ${r.stderr}`)
  if (errLines.length !== 1) throw new Error(`expected one stderr line, got:\n${r.stderr}`)
  if (!errLines[0]!.startsWith(`strata: ${code}: `)) throw new Error(`expected strata: ${code}: ..., got ${errLines[0]}`)
  if (/\n\s+at /.test(r.stderr)) throw new Error('stack trace printed')
  return errLines[0]!
}
