// The small part of WebAssembly the LZ4 modules need: instantiate a module from its committed
// bytes (base64), and a view of its memory that grows on demand. Node's types do not declare
// the WebAssembly global, so its shape is written here.
const WASM_PAGE = 64 * 1024

interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object) => { readonly exports: unknown }
}

/** An exported linear memory. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer
  grow(pages: number): number
}

/** The exports of a new instance of the module whose bytes are `base64`. Throws where WebAssembly is unavailable. */
export function instantiate<Exports>(base64: string): Exports {
  const wasm = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly
  return new wasm.Instance(new wasm.Module(Buffer.from(base64, 'base64'))).exports as Exports
}

/** A byte view of a module's memory; `reserve` grows the memory and renews the view. */
export class WasmBytes {
  view: Uint8Array

  constructor(private readonly memory: WasmMemory) {
    this.view = new Uint8Array(memory.buffer)
  }

  /** Makes the memory at least `bytes` long. Views taken before a growth are stale. */
  reserve(bytes: number): Uint8Array {
    if (this.view.length < bytes) {
      this.memory.grow(Math.ceil((bytes - this.view.length) / WASM_PAGE))
      this.view = new Uint8Array(this.memory.buffer)
    }
    return this.view
  }
}
