// SharedBufferPool: the shared-memory buffers of dead memtables (arena chunks, skiplist node
// pools), kept for the next memtable of the same database instead of being left to the
// garbage collector.
//
// Why: memtable memory is SharedArrayBuffers (so the flush worker can read a frozen table in
// place), and V8 neither counts those as external memory when deciding to collect nor frees
// them before a collection: without reuse, a write-heavy process kept ~180 MB of dead
// memtables alive per million 116-byte puts. Each new SharedArrayBuffer also costs a ~240 µs
// allocation on this machine. Buffers are handed back only once no reader can see them
// (MemTable's reference count reaches zero); their old contents are not cleared.

/**
 * The idle bytes a database keeps for memtables of `memtableSize`: room for all the buffers of
 * one frozen memtable as it is recycled (a full 4 MiB memtable of 116-byte entries holds 6.0
 * MiB: arena chunks, node pool, and the 1 MiB of sizes its node pool doubled through) while
 * the live memtable's outgrown node pools wait in the pool too. With room for only 1.5 x
 * memtableSize, a 1M-entry fillbatch allocated 92 MB of fresh SharedArrayBuffers and dropped
 * 84 MB, which, uncounted by V8 (see above), lifted its peak RSS from ~128 to ~160 MB.
 */
export function memtablePoolCapacity(memtableSize: number): number {
  return 3 * memtableSize
}

export class SharedBufferPool {
  private readonly free = new Map<number, SharedArrayBuffer[]>()
  private bytesHeld = 0
  /** Bytes of the buffers take() had to allocate because none of the size was idle. */
  freshBytes = 0

  /** Keeps at most `capacityBytes` of idle buffers; beyond that, returned buffers are dropped. */
  constructor(private readonly capacityBytes: number) {}

  /** A buffer of exactly `size` bytes: an idle one if held, else a new (zeroed) one. */
  take(size: number): SharedArrayBuffer {
    const idle = this.free.get(size)?.pop()
    if (idle === undefined) {
      this.freshBytes += size
      return new SharedArrayBuffer(size)
    }
    this.bytesHeld -= size
    return idle
  }

  /** Hands `buf` back for reuse. REQUIRES: nothing reads or writes it any more. */
  give(buf: SharedArrayBuffer): void {
    const size = buf.byteLength
    if (this.bytesHeld + size > this.capacityBytes) return
    let list = this.free.get(size)
    if (list === undefined) this.free.set(size, (list = []))
    list.push(buf)
    this.bytesHeld += size
  }

  /** Bytes of idle buffers held. */
  get idleBytes(): number {
    return this.bytesHeld
  }
}
