// Where decoded data blocks live. BlockArena: while the block cache holds them, slots carved
// from 256 KiB buffers and reused, instead of one fresh ArrayBuffer per block read from disk;
// one per database, used from one thread. BlockRecycler (at the end): for tables read without a
// cache, one block after another (a compaction's inputs).
//
// Why: a fresh ArrayBuffer costs about 1.3 µs whatever its size (allocation, then the GC's
// sweeping of the dead ones), as much as decoding the block, and a random read that misses the
// cache pays it every time (1M-key readrandom with a 32 MiB cache: about 73% of gets).
//
// Slots come in size classes of SLOT_UNIT bytes; a block takes the smallest slot that fits
// (at most 511 bytes spare). Blocks larger than MAX_SLOT, and any block once the arena has
// grown to its limit with no free slot of the class, get a fresh buffer (the heap), which
// free() ignores.
//
// Reuse rule (the one invariant that keeps wrong bytes from ever being read): the cache
// retires a block when it evicts it (Block.retire), but a table iterator may still be
// positioned on it, reading its bytes between calls. Table iterators pin the block they are on
// (Block.pin/unpin), and a retired block's memory is freed only once no iterator pins it. A
// point lookup reads its block before anything else is read, so it needs no pin. An iterator
// that is never closed keeps its one block's memory: the garbage collector takes the block,
// and the slot stays out of use.
import { CHECK_INVARIANTS } from '../base/invariants.js'

/** Size-class step, in bytes (not wire; 4 KiB blocks end 0-300 bytes past 4 KiB). */
const SLOT_UNIT = 512
/** Bytes of one buffer that slots of a class are cut from. */
const CHUNK_BYTES = 256 * 1024
/** Blocks above this go to the heap (a quarter chunk, so a chunk holds at least 4). */
const MAX_SLOT = CHUNK_BYTES / 4
/** Byte written over a slot as it becomes reusable, when invariant checks are on. */
const POISON = 0xee

/** Where decoded blocks are allocated: the arena, or (without one) fresh buffers. */
export interface BlockMemory {
  /** `length` writable bytes for a block. */
  alloc(length: number): Uint8Array
  /** Gives back memory from alloc; called at most once per allocation. Heap buffers are ignored. */
  free(block: Uint8Array): void
}

/** Fresh buffers, left to the garbage collector: blocks nobody caches (scans past the cache, compactions). */
export const heapMemory: BlockMemory = {
  alloc: (length) => Buffer.allocUnsafe(length),
  free: () => {},
}

/**
 * The arena limit for a block cache of `cacheBytes`: room for every cached block in its rounded
 * slot (up to SLOT_UNIT - 1 bytes each, an eighth of a 4 KiB block), plus a part-used chunk
 * for a few classes. 0 for no cache (then no arena is needed).
 */
export function blockArenaLimit(cacheBytes: number): number {
  return cacheBytes === 0 ? 0 : cacheBytes + Math.ceil(cacheBytes / 8) + 4 * CHUNK_BYTES
}

class SizeClass {
  readonly chunks: Uint8Array[] = []
  /** Free slots, each packed as chunk index * CHUNK_BYTES + offset. */
  readonly free: number[] = []
  constructor(readonly slotBytes: number) {}
}

export class BlockArena implements BlockMemory {
  private readonly classes: (SizeClass | undefined)[] = []
  /** Which class each chunk's buffer belongs to, and the chunk's index in it. */
  private readonly owners = new Map<ArrayBufferLike, { cls: SizeClass; index: number }>()
  private chunkBytes = 0
  /** Blocks that got heap memory (too large, or the arena full). */
  heapAllocations = 0

  /** @param limitBytes the most memory the arena's chunks may take (about the cache's capacity). */
  constructor(private readonly limitBytes: number) {}

  /** Bytes of the chunks allocated so far. */
  get bytes(): number {
    return this.chunkBytes
  }

  alloc(length: number): Uint8Array {
    if (length <= MAX_SLOT && length > 0) {
      const k = Math.ceil(length / SLOT_UNIT)
      const cls = this.classes[k] ?? (this.classes[k] = new SizeClass(k * SLOT_UNIT))
      if (cls.free.length > 0 || this.grow(cls)) {
        const slot = cls.free.pop()!
        const offset = slot % CHUNK_BYTES
        return cls.chunks[(slot - offset) / CHUNK_BYTES]!.subarray(offset, offset + length)
      }
    }
    this.heapAllocations++
    return heapMemory.alloc(length)
  }

  free(block: Uint8Array): void {
    const owner = this.owners.get(block.buffer)
    if (owner === undefined) return // heap memory: the GC's
    const { cls, index } = owner
    const offset = block.byteOffset - cls.chunks[index]!.byteOffset
    if (CHECK_INVARIANTS) cls.chunks[index]!.fill(POISON, offset, offset + cls.slotBytes)
    cls.free.push(index * CHUNK_BYTES + offset)
  }

  /** Adds a chunk of slots to `cls`; false when that would pass the limit. */
  private grow(cls: SizeClass): boolean {
    if (this.chunkBytes + CHUNK_BYTES > this.limitBytes) return false
    const chunk = new Uint8Array(CHUNK_BYTES)
    const index = cls.chunks.length
    cls.chunks.push(chunk)
    this.owners.set(chunk.buffer, { cls, index })
    this.chunkBytes += CHUNK_BYTES
    const slots = Math.floor(CHUNK_BYTES / cls.slotBytes)
    // Pushed last-first, so pops hand out a new chunk from its start.
    for (let s = slots - 1; s >= 0; s--) cls.free.push(index * CHUNK_BYTES + s * cls.slotBytes)
    return true
  }
}

/**
 * Memory for the blocks of tables read with no cache, one block after another (a compaction's
 * inputs): a block's memory comes back when its iterator leaves it (Block.retire, then the last
 * unpin) and is reused for the next block read. Without it each decoded block is a fresh
 * buffer that only a garbage collection frees: measured in the compaction worker, 5-12 MB of
 * dead blocks at the peak of each compaction of a 1M-entry fill.
 *
 * Only for consumers that are done with a block's bytes when their iterator moves past it
 * (the compaction loop copies every entry before the next move). Keeps at most MAX_SPARE
 * buffers; memory it did not allocate is ignored by free.
 */
export class BlockRecycler implements BlockMemory {
  /** Buffers allocated because no spare one fitted. */
  freshBuffers = 0
  private readonly spare: Uint8Array[] = []
  /** Every buffer handed out and not yet given back, by its ArrayBuffer. */
  private readonly lent = new Map<ArrayBufferLike, Uint8Array>()

  alloc(length: number): Uint8Array {
    let buf: Uint8Array | undefined
    for (let i = this.spare.length - 1; i >= 0; i--) {
      const b = this.spare[i]!
      if (b.length >= length && b.length <= 2 * length + RECYCLE_UNIT) {
        buf = b
        this.spare[i] = this.spare[this.spare.length - 1]!
        this.spare.pop()
        break
      }
    }
    if (buf === undefined) {
      buf = new Uint8Array(Math.max(1, Math.ceil(length / RECYCLE_UNIT)) * RECYCLE_UNIT)
      this.freshBuffers++
    }
    this.lent.set(buf.buffer, buf)
    return buf.subarray(0, length)
  }

  free(block: Uint8Array): void {
    const buf = this.lent.get(block.buffer)
    if (buf === undefined) return // not ours
    this.lent.delete(block.buffer)
    if (CHECK_INVARIANTS) buf.fill(POISON)
    if (this.spare.length < MAX_SPARE) this.spare.push(buf)
  }
}

/** A recycled buffer's size is a multiple of this (1 KiB): blocks of one table fit each other's. */
const RECYCLE_UNIT = 1024
/** Spare buffers kept: more than the blocks a compaction's inputs have open at once, usually. */
const MAX_SPARE = 16
