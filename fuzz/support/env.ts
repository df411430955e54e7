// The campaigns' size knobs and replay switches, read once from the environment.
//   FUZZ=long          the long campaign (`npm run fuzz`); otherwise the short seeded one
//   FUZZ_RUNS=N        programs per property (overrides both defaults)
//   FUZZ_SEED=S        fast-check seed (default: each property's own fixed seed)
//   FUZZ_PATH=P        fast-check replay path, printed with a failure (use with FUZZ_SEED)
//   FUZZ_SUMMARY=file  also append every summary to this file
// A failure prints "seed" and "path"; `FUZZ_SEED=<seed> FUZZ_PATH=<path> npx vitest run
// fuzz/<file> -t '<test name>'` replays exactly the shrunk counterexample.
import type { Parameters } from 'fast-check'

export const LONG = process.env['FUZZ'] === 'long'

const envRuns = process.env['FUZZ_RUNS'] === undefined ? undefined : Number(process.env['FUZZ_RUNS'])
const envSeed = process.env['FUZZ_SEED'] === undefined ? undefined : Number(process.env['FUZZ_SEED'])
const envPath = process.env['FUZZ_PATH']

/** A campaign test's time limit: vitest's default in the short run, half an hour in the long one. */
export const TIMEOUT = LONG ? 30 * 60_000 : 60_000

/** Programs to run: FUZZ_RUNS (times `scale`), else `short` or `long` by the mode. */
export function runs(short: number, long: number, scale = 1): number {
  if (envRuns !== undefined && Number.isFinite(envRuns)) return Math.max(1, Math.round(envRuns * scale))
  return LONG ? long : short
}

/** fast-check parameters: a fixed seed unless FUZZ_SEED, and the replay path if given. */
export function params<T>(seed: number, numRuns: number): Parameters<T> {
  const p: Parameters<T> = { seed: envSeed ?? seed, numRuns }
  if (envPath !== undefined) {
    // replay exactly the recorded case (and its shrinking steps), not the runs after it
    p.path = envPath
    p.numRuns = 1
    p.endOnFailure = true
  }
  return p
}
