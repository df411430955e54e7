// Types of gen-lz4-wasm.mjs, for the test that checks the committed bytes.
/** The decoder module's bytes, compiled from the WAT source at `path` (default: the engine's). */
export function compileLz4Wat(path?: string): Promise<Buffer>
