// TableCache: open SSTable readers by file number, at most `capacity` at once (maxOpenFiles).
// Least recently used readers are closed first, but never while an iterator pins one: a pinned
// reader that falls out of the cache is closed when its last pin is released.
// A hit only stamps the entry with a use counter (no reordering: a Map delete + set per lookup
// cost 12% of a cached point read, measured with --cpu-prof); the eviction that runs when a
// new reader would exceed the capacity scans for the oldest stamp, which is rare and cheap at
// hundreds of entries.
import { joinPath, tableFileName } from '../base/filenames.js'
import type { FileSystem } from '../fs/fs.js'
import { TableReader } from '../sstable/index.js'
import type { TableReaderOptions } from '../sstable/index.js'

interface Entry {
  readonly reader: TableReader
  pins: number
  cached: boolean
  lastUse: number
}

/** A pinned reader; release() exactly once. */
export interface TableHandle {
  readonly reader: TableReader
  release(): void
}

export class TableCache {
  private readonly entries = new Map<number, Entry>()
  private clock = 0
  hits = 0
  misses = 0

  constructor(
    private readonly fs: FileSystem,
    private readonly dir: string,
    private readonly capacity: number,
    private readonly readerOptions: (fileNumber: number) => TableReaderOptions,
  ) {}

  /** The reader for a table, opened if needed. Use it synchronously, or pin it with `acquire`. */
  get(fileNumber: number): TableReader {
    return this.entry(fileNumber).reader
  }

  acquire(fileNumber: number): TableHandle {
    const e = this.entry(fileNumber)
    e.pins++
    let released = false
    return {
      reader: e.reader,
      release: () => {
        if (released) return
        released = true
        if (--e.pins === 0 && !e.cached) e.reader.close()
      },
    }
  }

  /** Forgets a table whose file is being deleted. */
  evict(fileNumber: number): void {
    const e = this.entries.get(fileNumber)
    if (e) this.drop(fileNumber, e)
  }

  get size(): number {
    return this.entries.size
  }

  close(): void {
    for (const [n, e] of this.entries) this.drop(n, e)
  }

  private entry(fileNumber: number): Entry {
    const hit = this.entries.get(fileNumber)
    if (hit) {
      this.hits++
      hit.lastUse = ++this.clock
      return hit
    }
    this.misses++
    const name = tableFileName(fileNumber)
    const file = this.fs.openRead(joinPath(this.dir, name))
    let reader: TableReader
    try {
      reader = TableReader.open(file, name, this.readerOptions(fileNumber))
    } catch (err) {
      file.close()
      throw err
    }
    const e: Entry = { reader, pins: 0, cached: true, lastUse: ++this.clock }
    this.entries.set(fileNumber, e)
    while (this.entries.size > this.capacity) this.evictOldest()
    return e
  }

  private evictOldest(): void {
    let oldest: number | undefined
    let oldestUse = Infinity
    for (const [n, e] of this.entries) {
      if (e.lastUse < oldestUse) {
        oldestUse = e.lastUse
        oldest = n
      }
    }
    if (oldest !== undefined) this.drop(oldest, this.entries.get(oldest)!)
  }

  private drop(fileNumber: number, e: Entry): void {
    this.entries.delete(fileNumber)
    e.cached = false
    if (e.pins === 0) e.reader.close()
  }
}
