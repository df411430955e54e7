// How strata shows bytes and reads them from arguments.
//
// Output: bytes that are valid UTF-8 with no control characters print as text; anything else
// prints as hex with a 0x prefix (as does text that would itself read as 0x-hex, so the two
// never look alike). --hex forces hex. In --json output a byte string is a JSON string when it
// is valid UTF-8 (JSON escapes control characters), else {"hex": "..."}; --hex forces the latter.
//
// Input (KEY, VALUE, range bounds): UTF-8 text, or hex when written 0x... (or always with --hex).
import { UsageError } from './args.js'

export interface RenderMode {
  /** Always hex. */
  readonly hex: boolean
}

const decoder = new TextDecoder('utf-8', { fatal: true })
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/
const LOOKS_HEX = /^0x[0-9a-fA-F]*$/

/** The UTF-8 text of `bytes`, or undefined when they are not valid UTF-8. */
function utf8(bytes: Uint8Array): string | undefined {
  try {
    return decoder.decode(bytes)
  } catch {
    return undefined // not UTF-8: the caller shows hex
  }
}

/** `bytes` for a terminal: text where printable, else 0x-hex. */
export function showBytes(bytes: Uint8Array, mode: RenderMode): string {
  if (!mode.hex) {
    const text = utf8(bytes)
    if (text !== undefined && !CONTROL.test(text) && !LOOKS_HEX.test(text)) return text
  }
  return `0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`
}

/** `bytes` for JSON output: a string when valid UTF-8, else { hex }. */
export function jsonBytes(bytes: Uint8Array, mode: RenderMode): string | { hex: string } {
  if (!mode.hex) {
    const text = utf8(bytes)
    if (text !== undefined) return text
  }
  return { hex: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex') }
}

/** The bytes an argument names: 0x-hex (or any hex with --hex), else UTF-8. */
export function parseBytes(arg: string, mode: RenderMode, command: string, what: string): Buffer {
  const hexMatch = /^(?:0x)?([0-9a-fA-F]*)$/.exec(arg)
  if (mode.hex || LOOKS_HEX.test(arg)) {
    if (!hexMatch || hexMatch[1]!.length % 2 !== 0) throw new UsageError(`${what} ${JSON.stringify(arg)} is not an even number of hex digits`, command)
    return Buffer.from(hexMatch[1]!, 'hex')
  }
  return Buffer.from(arg, 'utf8')
}

/** Bytes with units, for people: 1.5 KiB. */
export function showSize(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let v = n
  let u = 0
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024
    u++
  }
  return u === 0 ? `${n} B` : `${v.toFixed(1)} ${units[u]}`
}
