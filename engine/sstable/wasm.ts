// The small part of WebAssembly the LZ4 modules need: an instance of a module from its
// committed bytes (base64), a view of its memory that grows on demand, one instance per
// thread. Node's types do not declare the WebAssembly global, so its shape is written here.
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

/** A new instance of the module whose bytes are `base64`, and a growable view of its memory. Throws where WebAssembly is unavailable. */
export class WasmInstance<Exports extends { readonly memory: WasmMemory }> {
  protected readonly exports: Exports
  protected readonly bytes: WasmBytes

  constructor(base64: string) {
    const wasm = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly
    this.exports = new wasm.Instance(new wasm.Module(Buffer.from(base64, 'base64'))).exports as Exports
    this.bytes = new WasmBytes(this.exports.memory)
  }

  /** Bytes of the module's memory (it grows to the largest input seen and never shrinks). */
  get memoryBytes(): number {
    return this.bytes.view.length
  }
}

/**
 * A getter for one instance per thread, made by `make` on first use; undefined, on every call,
 * where making it throws (no WebAssembly here, e.g. node --jitless).
 */
export function perThread<T>(make: () => T): () => T | undefined {
  let instance: T | null | undefined
  return () => {
    if (instance === undefined) {
      try {
        instance = make()
      } catch {
        instance = null
      }
    }
    return instance ?? undefined
  }
}
