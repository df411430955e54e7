// strata get | put | del DIR KEY [VALUE]: one key at a time. put and del are durable
// (sync: true) when the command returns. get of a missing key prints nothing and exits 1.
import { parse } from './args.js'
import type { Output } from './output.js'
import { openExisting, openOrCreate, withDb } from './open.js'
import { jsonBytes, parseBytes, showBytes } from './render.js'

const FLAGS = { hex: { type: 'boolean' }, json: { type: 'boolean' } } as const

export function get(argv: readonly string[], out: Output): number {
  const { positionals, flags } = parse('get', argv, FLAGS, [2, 2])
  const mode = { hex: flags.hex === true }
  const [dir, keyArg] = positionals as [string, string]
  const key = parseBytes(keyArg, mode, 'get', 'KEY')
  const value = withDb(openExisting(dir), (db) => db.get(key))
  if (flags.json === true) out.json(value === undefined ? null : { key: jsonBytes(key, mode), value: jsonBytes(value, mode) })
  else if (value !== undefined) out.line(showBytes(value, mode))
  return value === undefined ? 1 : 0
}

export function put(argv: readonly string[]): number {
  const { positionals, flags } = parse('put', argv, { hex: { type: 'boolean' } }, [3, 3])
  const mode = { hex: flags.hex === true }
  const [dir, keyArg, valueArg] = positionals as [string, string, string]
  const key = parseBytes(keyArg, mode, 'put', 'KEY')
  const value = parseBytes(valueArg, mode, 'put', 'VALUE')
  withDb(openOrCreate(dir), (db) => db.put(key, value, { sync: true }))
  return 0
}

export function del(argv: readonly string[]): number {
  const { positionals, flags } = parse('del', argv, { hex: { type: 'boolean' } }, [2, 2])
  const mode = { hex: flags.hex === true }
  const [dir, keyArg] = positionals as [string, string]
  const key = parseBytes(keyArg, mode, 'del', 'KEY')
  withDb(openExisting(dir), (db) => db.delete(key, { sync: true }))
  return 0
}
