// strata scan DIR [--gt|--gte K] [--lt|--lte K] [--prefix P] [--reverse] [--limit N]
// [--keys-only] [--hex] [--json]: the entries of a key range, one per line (key TAB value), or
// one JSON object per line.
import type { IteratorRange } from '../engine/db/iterator.js'
import { intFlag, parse, stringFlag, UsageError } from './args.js'
import type { Parsed } from './args.js'
import type { Output } from './output.js'
import { openExisting, withDb } from './open.js'
import type { RenderMode } from './render.js'
import { jsonBytes, parseBytes, showBytes } from './render.js'

const FLAGS = {
  gt: { type: 'string' },
  gte: { type: 'string' },
  lt: { type: 'string' },
  lte: { type: 'string' },
  prefix: { type: 'string' },
  reverse: { type: 'boolean' },
  limit: { type: 'string' },
  'keys-only': { type: 'boolean' },
  hex: { type: 'boolean' },
  json: { type: 'boolean' },
} as const

export function scan(argv: readonly string[], out: Output): number {
  const { positionals, flags } = parse('scan', argv, FLAGS, [1, 1])
  const mode = { hex: flags.hex === true }
  const range = rangeOf(flags, mode)
  const keysOnly = flags['keys-only'] === true
  const json = flags.json === true
  withDb(openExisting(positionals[0]!), (db) => {
    const it = db.iterator(range)
    try {
      for (const [key, value] of it) {
        if (json) out.json(keysOnly ? { key: jsonBytes(key, mode) } : { key: jsonBytes(key, mode), value: jsonBytes(value, mode) })
        else out.line(keysOnly ? showBytes(key, mode) : `${showBytes(key, mode)}\t${showBytes(value, mode)}`)
        if (out.broken) break
      }
    } finally {
      it.close()
    }
  })
  return 0
}

function rangeOf(flags: Parsed['flags'], mode: RenderMode): IteratorRange {
  const range: IteratorRange = { reverse: flags.reverse === true, limit: flags.limit === undefined ? -1 : intFlag('scan', flags, 'limit', -1) }
  const bound = (name: 'gt' | 'gte' | 'lt' | 'lte'): void => {
    const text = stringFlag(flags, name)
    if (text !== undefined) range[name] = parseBytes(text, mode, 'scan', `--${name}`)
  }
  bound('gt')
  bound('gte')
  bound('lt')
  bound('lte')
  const prefixText = stringFlag(flags, 'prefix')
  if (prefixText !== undefined) {
    if (range.gt ?? range.gte ?? range.lt ?? range.lte) throw new UsageError('--prefix cannot be combined with --gt, --gte, --lt or --lte', 'scan')
    const prefix = parseBytes(prefixText, mode, 'scan', '--prefix')
    range.gte = prefix
    const end = prefixEnd(prefix)
    if (end !== undefined) range.lt = end
  }
  return range
}

/** The smallest key greater than every key starting with `prefix`; undefined when there is none. */
export function prefixEnd(prefix: Uint8Array): Buffer | undefined {
  let n = prefix.length
  while (n > 0 && prefix[n - 1] === 0xff) n--
  if (n === 0) return undefined
  const end = Buffer.from(prefix.subarray(0, n))
  end[n - 1]! += 1
  return end
}
