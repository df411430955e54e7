// SSTable micro-benchmarks (tinybench): building a 1M-entry table, and point lookups on it
// through seekEntry, without a block cache and with a simple Map-based one.
//
// Workload (db_bench-like): 16-byte zero-padded decimal keys, 100-byte values of which half is
// random and half repeats it (LZ4 halves them), blockSize 4 KiB, restart interval 16, bloom
// 10 bits/key, LZ4. One build takes about a second or two: give the Bench small `iterations`
// and warmup counts (e.g. { time: 2000, iterations: 1, warmupIterations: 1 }).
import * as path from 'node:path'
import type { Bench, Task } from 'tinybench'
import { bytewiseComparator } from '../engine/base/comparator.js'
import { NodeFileSystem } from '../engine/fs/node-fs.js'
import { type Block, type BlockCache, type BlockSlots, TableBuilder, TableReader, type TableBuilderOptions } from '../engine/sstable/index.js'

export interface SstableBenchOptions {
  /** Entries per table (default 1,000,000). */
  readonly entries?: number
}

const KEY_SIZE = 16
const VALUE_SIZE = 100
const POOL_SIZE = 1 << 20

const BUILD_OPTIONS: TableBuilderOptions = Object.freeze({
  comparator: bytewiseComparator,
  blockSize: 4096,
  blockRestartInterval: 16,
  bloomBitsPerKey: 10,
  compression: 'lz4',
  filterSuffixLength: 0,
})

/** Writes the 16-digit zero-padded decimal of n into key[0, 16). */
function fillKey(key: Uint8Array, n: number): void {
  for (let i = KEY_SIZE - 1; i >= 0; i--) {
    key[i] = 0x30 + (n % 10)
    n = Math.floor(n / 10)
  }
}

/** A seeded xorshift32 generator: the same workload on every run. */
function rng(seed: number): () => number {
  let x = seed | 0 || 1
  return () => {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    return x >>> 0
  }
}

/** A Map-based block cache without eviction: enough to hold one benchmark table. */
class MapBlockCache implements BlockCache {
  private readonly blocks = new Map<number, Block>()

  table(fileNumber: number): BlockSlots {
    return {
      get: (i) => this.blocks.get(fileNumber * 2 ** 32 + i),
      insert: (i, block) => {
        this.blocks.set(fileNumber * 2 ** 32 + i, block)
        return true
      },
      release: () => {},
    }
  }
}

/** Builds the benchmark table at `file`; returns the raw key + value bytes written. */
function buildTable(fs: NodeFileSystem, file: string, entries: number): number {
  const pool = new Uint8Array(POOL_SIZE)
  const next = rng(42)
  for (let i = 0; i < POOL_SIZE; i++) pool[i] = next() & 0xff
  const out = fs.create(file)
  const builder = new TableBuilder(out, BUILD_OPTIONS)
  const key = new Uint8Array(KEY_SIZE)
  const value = new Uint8Array(VALUE_SIZE)
  const half = VALUE_SIZE / 2
  for (let i = 0; i < entries; i++) {
    fillKey(key, i)
    const from = next() % (POOL_SIZE - half)
    value.set(pool.subarray(from, from + half), 0)
    value.copyWithin(half, 0, half)
    builder.add(key, value)
  }
  builder.finish()
  out.close()
  return entries * (KEY_SIZE + VALUE_SIZE)
}

function meanMs(task: Task | undefined): number | undefined {
  const r = task?.result
  return r !== undefined && 'latency' in r ? r.latency.mean : undefined
}

/**
 * Adds three tasks to `bench`: "sstable: build N entries" (logs MB/s of keys + values when
 * it completes), "sstable: seekEntry, no block cache" and "sstable: seekEntry, Map block
 * cache" (random existing keys; tinybench's ops/s are lookups/s). Tables live in `dir`.
 */
export function addSstableBenchmarks(bench: Bench, dir: string, options: SstableBenchOptions = {}): void {
  const entries = options.entries ?? 1_000_000
  const fs = new NodeFileSystem()
  const buildFile = path.join(dir, 'sstable-build.sst')
  const lookupFile = path.join(dir, 'sstable-lookup.sst')
  const buildName = `sstable: build ${entries} entries`
  let rawBytes = 0
  bench.add(buildName, () => {
    rawBytes = buildTable(fs, buildFile, entries)
  }, { async: false })
  bench.getTask(buildName)?.addEventListener('complete', () => {
    const ms = meanMs(bench.getTask(buildName))
    if (ms === undefined) return
    const fileMB = fs.size(buildFile) / 1e6
    console.log(`${buildName}: ${(rawBytes / 1e6 / (ms / 1000)).toFixed(1)} MB/s of keys+values, ` +
      `${(entries / (ms / 1000) / 1e6).toFixed(2)} M entries/s, file ${fileMB.toFixed(1)} MB`)
  })

  let readers: { plain: TableReader; cached: TableReader } | undefined
  const open = (): { plain: TableReader; cached: TableReader } => {
    if (readers !== undefined) return readers
    if (!fs.exists(lookupFile)) buildTable(fs, lookupFile, entries)
    const base = { comparator: bytewiseComparator, filterSuffixLength: 0, fileNumber: 1, verifyChecksums: false }
    readers = {
      plain: TableReader.open(fs.openRead(lookupFile), lookupFile, base),
      cached: TableReader.open(fs.openRead(lookupFile), lookupFile, { ...base, blockCache: new MapBlockCache() }),
    }
    return readers
  }
  const key = new Uint8Array(KEY_SIZE)
  const pick = rng(7)
  let found = 0
  const lookup = (reader: TableReader): void => {
    fillKey(key, pick() % entries)
    if (reader.seekEntry(key) && reader.foundValue().length === VALUE_SIZE) found++
  }
  bench.add('sstable: seekEntry, no block cache', () => lookup(open().plain), { async: false, beforeAll: () => void open() })
  bench.add('sstable: seekEntry, Map block cache', () => lookup(open().cached), {
    async: false,
    beforeAll: () => {
      const r = open().cached
      for (let i = 0; i < entries; i += 20) { // warm the cache: every block once
        fillKey(key, i)
        r.seekEntry(key)
      }
    },
  })
  bench.addEventListener('complete', () => {
    if (readers !== undefined) {
      readers.plain.close()
      readers.cached.close()
      readers = undefined
    }
    if (found === 0) console.log('sstable lookups found nothing: the benchmark is broken')
  })
}
