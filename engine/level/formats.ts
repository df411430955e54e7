// The encoded forms abstract-level hands StrataLevel's private methods, and turning engine
// output back into them. StrataLevel declares 'utf8', 'buffer' and 'view' as native, so keys,
// values and range bounds arrive as strings, Buffers or Uint8Arrays, and results must come
// back in the format asked for (abstract-level README, "db = new AbstractLevel(manifest)").

/** A lower-level format: what `keyEncoding` / `valueEncoding` name in the private API. */
export type Format = 'utf8' | 'buffer' | 'view'

/** A key, value or bound in encoded form. */
export type Encoded = string | Uint8Array

/** Engine bytes (a Buffer the caller owns) in `format`. A Buffer serves 'buffer' and 'view'. */
export function output(bytes: Buffer, format: Format): Encoded {
  return format === 'utf8' ? bytes.toString('utf8') : bytes
}

/** `value` or undefined, in `format`. */
export function outputMaybe(bytes: Buffer | undefined, format: Format): Encoded | undefined {
  return bytes === undefined ? undefined : output(bytes, format)
}

/** Bytes of an encoded key, for comparing against engine output. */
export function bytesOf(key: Encoded): Uint8Array {
  return typeof key === 'string' ? Buffer.from(key, 'utf8') : key
}
