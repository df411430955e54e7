// Command-line parsing for strata: each command declares its flags, node:util's parseArgs
// checks them, and a mistake is a UsageError (one line, exit status 2, the command's usage).
import { parseArgs } from 'node:util'

/** A mistake in how strata was called. */
export class UsageError extends Error {
  constructor(message: string, readonly command: string) {
    super(message)
    this.name = 'UsageError'
  }
}

export type FlagSpec = Record<string, { type: 'boolean' | 'string'; short?: string }>

export interface Parsed {
  positionals: string[]
  flags: Record<string, string | boolean | undefined>
}

/** Parses `argv` against `flags` (plus --help); unknown flags and wrong positional counts are usage errors. */
export function parse(command: string, argv: readonly string[], flags: FlagSpec, positionals: readonly [min: number, max: number]): Parsed {
  let result: ReturnType<typeof parseArgs>
  try {
    result = parseArgs({ args: [...argv], options: { ...flags, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true })
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err), command)
  }
  const flagValues = result.values as Parsed['flags']
  const found = result.positionals
  if (flagValues.help === true) return { positionals: found, flags: flagValues }
  const [min, max] = positionals
  if (found.length < min) throw new UsageError(`missing arguments (expected ${min}, got ${found.length})`, command)
  if (found.length > max) throw new UsageError(`unexpected argument ${JSON.stringify(found[max])}`, command)
  return { positionals: found, flags: flagValues }
}

/** A flag's non-negative integer value, or `fallback` when absent. */
export function intFlag(command: string, flags: Parsed['flags'], name: string, fallback: number): number {
  const text = flags[name]
  if (text === undefined) return fallback
  const n = Number(text)
  if (typeof text !== 'string' || !Number.isSafeInteger(n) || n < 0) throw new UsageError(`--${name} must be a non-negative integer, got ${String(text)}`, command)
  return n
}

/** A string flag's value, or undefined. */
export function stringFlag(flags: Parsed['flags'], name: string): string | undefined {
  const v = flags[name]
  return typeof v === 'string' ? v : undefined
}
