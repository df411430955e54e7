// The memtable's arena: the bytes of every entry (internal key, then value) packed into a few
// large chunks, so a memtable of a million entries holds a few dozen buffers instead of
// millions of small objects for V8's garbage collector to trace.
//
// Chunks start small, so a tiny memtable (tests, a nearly idle database) stays small, and
// double up to CHUNK_MAX_SIZE. An entry larger than LARGE_ENTRY_SIZE gets a chunk of its own
// and leaves the chunk being filled untouched. Nothing is ever moved or freed: a (chunk,
// offset) pair handed out stays valid for the arena's whole life, which is its memtable's.
//
// Chunks are SharedArrayBuffers, so a frozen memtable can be handed to the flush worker as it
// is (skiplist.ts, SharedSkipList) instead of being rebuilt there from its WAL. With a
// SharedBufferPool, chunks come from and go back to it (buffer-pool.ts).
import type { SharedBufferPool } from './buffer-pool.js'

/** First chunk's size. Doubles with each new chunk up to CHUNK_MAX_SIZE. */
export const CHUNK_MIN_SIZE = 16 * 1024
/** 1 MiB: large enough that the chunk count stays small, small enough to waste little. */
export const CHUNK_MAX_SIZE = 1024 * 1024
/**
 * Entries above this size get their own allocation. A full-size chunk therefore loses at most
 * LARGE_ENTRY_SIZE / CHUNK_MAX_SIZE = 1/16 of itself to the unused tail left when it fills.
 */
export const LARGE_ENTRY_SIZE = 64 * 1024

const NO_CHUNK = new Uint8Array(0)

export class Arena {
  /** Every chunk, indexed by the chunk number `allocate` returns; each views a whole SharedArrayBuffer. */
  readonly chunks: Uint8Array[]
  /** Offset of the bytes the last `allocate` returned, in their chunk. */
  offset = 0
  /** Bytes handed out, plus the tails of chunks abandoned because an entry did not fit. */
  bytesUsed = 0

  private current: Uint8Array = NO_CHUNK
  private currentIndex = -1
  private currentUsed = 0
  private nextChunkSize = CHUNK_MIN_SIZE

  /**
   * A new, empty arena taking its chunks from `pool` if given; or, given the buffers of another
   * arena's chunks, a read-only view of them.
   */
  constructor(private readonly pool?: SharedBufferPool, shared?: readonly SharedArrayBuffer[]) {
    this.chunks = shared === undefined ? [] : shared.map((b) => new Uint8Array(b))
  }

  /** Hands every chunk back to the pool. REQUIRES: nothing reads the arena's bytes any more. */
  recycle(): void {
    if (this.pool === undefined) return
    for (const c of this.chunks) if (c.length <= CHUNK_MAX_SIZE) this.pool.give(c.buffer as SharedArrayBuffer)
    this.chunks.length = 0
    this.current = NO_CHUNK
    this.currentUsed = 0
  }

  /** The chunks' buffers, to attach the same bytes in another thread. */
  get buffers(): SharedArrayBuffer[] {
    return this.chunks.map((c) => c.buffer as SharedArrayBuffer)
  }

  /**
   * Reserves `size` bytes. Returns the chunk number; the bytes are
   * chunks[chunk][offset, offset + size), with `offset` left in {@link Arena.offset}.
   */
  allocate(size: number): number {
    if (size > LARGE_ENTRY_SIZE) {
      this.chunks.push(sharedBytes(size))
      this.offset = 0
      this.bytesUsed += size
      return this.chunks.length - 1
    }
    if (this.currentUsed + size > this.current.length) this.startChunk(size)
    this.offset = this.currentUsed
    this.currentUsed += size
    this.bytesUsed += size
    return this.currentIndex
  }

  private startChunk(size: number): void {
    this.bytesUsed += this.current.length - this.currentUsed
    let chunkSize = this.nextChunkSize
    while (chunkSize < size) chunkSize *= 2
    this.nextChunkSize = Math.min(chunkSize * 2, CHUNK_MAX_SIZE)
    this.current = this.pool ? new Uint8Array(this.pool.take(chunkSize)) : sharedBytes(chunkSize)
    this.currentUsed = 0
    this.chunks.push(this.current)
    this.currentIndex = this.chunks.length - 1
  }
}

function sharedBytes(size: number): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(size))
}
