// strata: the command-line tool. Dispatches to one command, and turns failures into one line
// on stderr: `strata: CODE: message` for a StrataError (exit status 2), the usage for a
// mistake in the call (exit status 2). Anything else is a bug and keeps its stack trace.
// bin/strata launches run() from the built dist/bin-src/main.js.
import { StrataError } from '../engine/errors.js'
import { UsageError } from './args.js'
import { bench } from './cmd-bench.js'
import { dump } from './cmd-dump.js'
import { del, get, put } from './cmd-kv.js'
import { scan } from './cmd-scan.js'
import { compact, stats } from './cmd-stats.js'
import { verify } from './cmd-verify.js'
import { Output } from './output.js'
import { OVERVIEW, USAGE } from './usage.js'

type Command = (argv: readonly string[], out: Output) => number

const COMMANDS: Readonly<Record<string, Command>> = Object.freeze({
  get,
  put,
  del,
  scan,
  stats,
  compact: (argv, out) => compact(argv, out),
  verify: (argv, out) => verify(argv, out),
  dump,
  bench,
})

const wantsHelp = (argv: readonly string[]): boolean => argv.includes('--help') || argv.includes('-h')

/** Runs strata with `argv` (without node and the script); returns the exit status. */
export function run(argv: readonly string[], out = new Output(), err: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): number {
  const [name, ...rest] = argv
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    out.line(OVERVIEW)
    out.flush()
    return name === undefined ? 2 : 0
  }
  const command = COMMANDS[name]
  if (command === undefined) {
    err(`strata: unknown command ${JSON.stringify(name)} (strata --help lists them)`)
    return 2
  }
  if (name !== 'bench' && wantsHelp(rest)) {
    out.line(USAGE[name]!)
    out.flush()
    return 0
  }
  try {
    return command(rest, out)
  } catch (e) {
    if (e instanceof UsageError) {
      err(`strata ${e.command}: ${e.message}`)
      err(USAGE[e.command.split(' ')[0]!]!)
      return 2
    }
    if (e instanceof StrataError) {
      err(`strata: ${e.code}: ${e.message}`)
      return 2
    }
    throw e
  } finally {
    out.flush()
  }
}
