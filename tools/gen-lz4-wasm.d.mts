// Types of gen-lz4-wasm.mjs, for the tests that check the committed bytes.
interface Lz4Module {
  /** The WAT source's path. */
  readonly wat: string
  /** The generated TypeScript module's path. */
  readonly out: string
  /** The exported constant holding the bytes, base64. */
  readonly name: string
  readonly what: string
}
export const LZ4_MODULES: { readonly decode: Lz4Module; readonly encode: Lz4Module }
/** The bytes of the module compiled from the WAT source at `path` (default: the decoder's). */
export function compileLz4Wat(path?: string): Promise<Buffer>
