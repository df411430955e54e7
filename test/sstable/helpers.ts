// Shared test helpers for the SSTable layer: build a table in memory, open it, hex dumps.
import { bytewiseComparator, type Comparator } from '../../engine/base/comparator.js'
import { MemFileSystem } from '../../engine/fs/mem-fs.js'
import type { RandomAccessFile } from '../../engine/fs/fs.js'
import {
  TableBuilder, TableReader, type BlockCache, type TableBuilderOptions, type TableProperties,
} from '../../engine/sstable/index.js'
import type { Block, BlockSlots } from '../../engine/sstable/index.js'

export const enc = (s: string): Uint8Array => Buffer.from(s, 'utf8')
export const hex = (u: Uint8Array): string => Buffer.from(u.buffer, u.byteOffset, u.byteLength).toString('hex')

export const RAW_OPTIONS: TableBuilderOptions = Object.freeze({
  comparator: bytewiseComparator,
  blockSize: 4096,
  blockRestartInterval: 16,
  bloomBitsPerKey: 10,
  compression: 'none',
  filterSuffixLength: 0,
  creationTime: 1_700_000_000,
})

/** Builds a table of `entries` (sorted) and returns its bytes and properties. */
export function buildTable(
  entries: Iterable<readonly [Uint8Array, Uint8Array]>,
  options: Partial<TableBuilderOptions> = {},
): { bytes: Buffer; properties: TableProperties } {
  const fs = new MemFileSystem()
  const file = fs.create('/t.sst')
  const builder = new TableBuilder(file, { ...RAW_OPTIONS, ...options })
  for (const [k, v] of entries) builder.add(k, v)
  const properties = builder.finish()
  if (builder.fileSize !== file.size) throw new Error('fileSize disagrees with the file')
  file.close()
  return { bytes: fs.readFile('/t.sst'), properties }
}

/** A RandomAccessFile over bytes in memory. */
export function memFile(bytes: Uint8Array): RandomAccessFile {
  return {
    size: bytes.length,
    read(position, length, into, intoOffset) {
      const end = Math.min(bytes.length, position + length)
      if (end <= position) return 0
      into.set(bytes.subarray(position, end), intoOffset)
      return end - position
    },
    close() {},
  }
}

export function openTable(
  bytes: Uint8Array,
  options: { comparator?: Comparator; filterSuffixLength?: number; blockCache?: BlockCache; verifyChecksums?: boolean } = {},
): TableReader {
  return TableReader.open(memFile(bytes), 't.sst', {
    comparator: options.comparator ?? bytewiseComparator,
    filterSuffixLength: options.filterSuffixLength ?? 0,
    fileNumber: 7,
    verifyChecksums: options.verifyChecksums ?? false,
    ...(options.blockCache === undefined ? {} : { blockCache: options.blockCache }),
  })
}

/** An unbounded Map-based block cache that counts hits and inserts. */
export class MapBlockCache implements BlockCache {
  readonly blocks = new Map<string, Block>()
  hits = 0
  inserts = 0
  releases = 0
  table(fileNumber: number): BlockSlots {
    return {
      get: (i) => {
        const b = this.blocks.get(`${fileNumber}:${i}`)
        if (b !== undefined) this.hits++
        return b
      },
      insert: (i, block) => {
        this.inserts++
        this.blocks.set(`${fileNumber}:${i}`, block)
        return true
      },
      release: () => void this.releases++,
    }
  }
}

/** Every [key, value] of the table, forwards, as owned copies. */
export function scanForward(reader: TableReader, it = reader.iterator()): [Uint8Array, Uint8Array][] {
  const out: [Uint8Array, Uint8Array][] = []
  for (it.seekToFirst(); it.valid(); it.next()) out.push([Uint8Array.from(it.key()), Uint8Array.from(it.value())])
  it.close()
  return out
}

/** Every [key, value] of the table, backwards, as owned copies. */
export function scanBackward(reader: TableReader, it = reader.iterator()): [Uint8Array, Uint8Array][] {
  const out: [Uint8Array, Uint8Array][] = []
  for (it.seekToLast(); it.valid(); it.prev()) out.push([Uint8Array.from(it.key()), Uint8Array.from(it.value())])
  it.close()
  return out
}
