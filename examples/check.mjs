// Shared by the examples: a scratch directory, and a check that stops the example with a
// non-zero exit status when a result is not what it should be.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isDeepStrictEqual } from 'node:util'

/** A fresh directory under the OS temp dir; removed when the process exits. */
export function scratchDir(name) {
  const dir = mkdtempSync(join(tmpdir(), `stratadb-example-${name}-`))
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** Throws (so the example exits non-zero) unless `actual` deep-equals `expected`. */
export function expectEqual(actual, expected, what) {
  if (!isDeepStrictEqual(actual, expected)) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`)
  }
  console.log(`  ok  ${what}`)
}
