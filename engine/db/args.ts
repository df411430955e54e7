// Argument checks at the API edge: keys and values become bytes here, once; everything else
// is validated before any state changes. Bad input is INVALID_ARGUMENT, never a TypeError.
import { invalidArgument } from '../errors.js'

export type Bytes = Uint8Array | string

/** Bytes of a key or value: Uint8Array as is (not kept), strings UTF-8 encoded. */
export function toBytes(value: unknown, what: string): Uint8Array {
  if (value instanceof Uint8Array) return value
  if (typeof value === 'string') return Buffer.from(value, 'utf8')
  throw invalidArgument(`${what} must be a Uint8Array or a string, got ${describe(value)}`)
}

export function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : typeof value
}

/** The options object of a call: undefined or a plain object. */
export function optionsObject<T extends object>(value: unknown, what: string): Partial<T> {
  if (value === undefined || value === null) return {}
  if (typeof value !== 'object') throw invalidArgument(`${what} must be an object, got ${describe(value)}`)
  return value as Partial<T>
}

/** `{ sync }` of a write call. */
export function syncOption(opts: unknown): boolean {
  if (opts === undefined) return false // the common put: no options object to inspect
  const { sync } = optionsObject<{ sync: unknown }>(opts, 'write options')
  if (sync === undefined) return false
  if (typeof sync !== 'boolean') throw invalidArgument(`write option sync must be a boolean, got ${describe(sync)}`)
  return sync
}
