// strata bench [flags]: the side-by-side benchmark against LevelDB (benchmarks/run.ts), run as
// `node dist/benchmarks/run.js` with the same flags. The harness draws its own progress on
// stderr and its table on stdout; strata passes both through and returns its exit status.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { StrataError } from '../engine/errors.js'

/** dist/benchmarks/run.js, beside this file's dist/bin-src/. */
const HARNESS = fileURLToPath(new URL('../benchmarks/run.js', import.meta.url))

export function bench(argv: readonly string[]): number {
  if (!existsSync(HARNESS)) throw new StrataError('NOT_SUPPORTED', `the benchmark harness ${HARNESS} is not built (run npm run build)`)
  const result = spawnSync(process.execPath, [HARNESS, ...argv], { stdio: 'inherit' })
  if (result.error) throw new StrataError('IO_ERROR', `could not run ${HARNESS}: ${result.error.message}`, { cause: result.error })
  if (result.signal) return 128 + 2 // interrupted: as a shell reports SIGINT
  return result.status ?? 1
}
