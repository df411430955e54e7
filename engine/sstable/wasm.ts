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

/**
 * A new instance of the module whose bytes are `base64`, and a byte view of its memory that
 * `reserve` grows. Throws where WebAssembly is unavailable.
 */
export class WasmInstance<Exports extends { readonly memory: WasmMemory }> {
  protected readonly exports: Exports
  private view: Uint8Array

  constructor(base64: string) {
    const wasm = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly
    this.exports = new wasm.Instance(new wasm.Module(Buffer.from(base64, 'base64'))).exports as Exports
    this.view = new Uint8Array(this.exports.memory.buffer)
  }

  /** Bytes of the module's memory (it grows to the largest input seen and never shrinks). */
  get memoryBytes(): number {
    return this.view.length
  }

  /** The memory, grown to at least `bytes`. Views taken before a growth are stale. */
  protected reserve(bytes: number): Uint8Array {
    if (this.view.length < bytes) {
      const memory = this.exports.memory
      memory.grow(Math.ceil((bytes - this.view.length) / WASM_PAGE))
      this.view = new Uint8Array(memory.buffer)
    }
    return this.view
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
