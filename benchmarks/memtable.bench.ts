// Memtable micro-benchmarks (tinybench): n inserts of 16-byte keys with 100-byte values in
// random order, n point lookups and a full scan. Run directly, it first compares one cold build
// and n lookups against a naive skiplist of per-entry JS objects: throughput, GC time during
// the build, and the heap and array-buffer memory each structure holds.
//
// Run: npx tsc -p tsconfig.build.json && node dist/benchmarks/memtable.bench.js [n]
import { PerformanceObserver } from 'node:perf_hooks'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { Bench } from 'tinybench'
import { bytewiseComparator, internalKeyComparator } from '../engine/base/comparator.js'
import { KIND_SEEK, KIND_VALUE, MAX_SEQUENCE, putTrailer } from '../engine/base/internal-key.js'
import { SharedBufferPool } from '../engine/memtable/buffer-pool.js'
import { MemTable } from '../engine/memtable/memtable.js'
import type { LookupResult } from '../engine/memtable/memtable.js'

const KEY_SIZE = 16
const VALUE_SIZE = 100

/** n distinct-enough random keys (16 bytes each) in one buffer, and a pool of value bytes. */
function workload(n: number): { keys: Buffer; values: Buffer; order: Int32Array } {
  let x = 0x9e3779b9 | 0
  const rand = (): number => {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    return x >>> 0
  }
  const keys = Buffer.allocUnsafe(n * KEY_SIZE)
  for (let i = 0; i < keys.length; i += 4) keys.writeUInt32LE(rand(), i)
  const values = Buffer.allocUnsafe(VALUE_SIZE * 64)
  for (let i = 0; i < values.length; i++) values[i] = rand() & 0xff
  const order = new Int32Array(n) // a random permutation for the lookups
  for (let i = 0; i < n; i++) order[i] = i
  for (let i = n - 1; i > 0; i--) {
    const j = rand() % (i + 1)
    const t = order[i]!
    order[i] = order[j]!
    order[j] = t
  }
  return { keys, values, order }
}

function fill(mem: MemTable, keys: Buffer, values: Buffer, n: number): void {
  for (let i = 0; i < n; i++) {
    const v = (i & 63) * VALUE_SIZE
    mem.addRange(i + 1, KIND_VALUE, keys, i * KEY_SIZE, (i + 1) * KEY_SIZE, values, v, v + VALUE_SIZE)
  }
}

/** The alternative the arena design avoids: one JS object, two buffers and an array per entry. */
class NaiveSkipList {
  private readonly head: NaiveNode = { key: new Uint8Array(0), value: new Uint8Array(0), next: new Array<NaiveNode | undefined>(12) }
  private readonly compare = internalKeyComparator(bytewiseComparator).compare
  private height = 1
  private rng = 0x2545f491

  insert(key: Uint8Array, value: Uint8Array): void {
    const update = new Array<NaiveNode>(12)
    let node = this.head
    for (let level = this.height - 1; level >= 0; level--) {
      for (let next = node.next[level]; next && this.compare(next.key, key) < 0; next = node.next[level]) node = next
      update[level] = node
    }
    let h = 1
    while (h < 12) {
      this.rng ^= this.rng << 13
      this.rng ^= this.rng >>> 17
      this.rng ^= this.rng << 5
      if ((this.rng & 3) !== 0) break
      h++
    }
    for (; this.height < h; this.height++) update[this.height] = this.head
    const fresh: NaiveNode = { key: Uint8Array.from(key), value: Uint8Array.from(value), next: new Array<NaiveNode | undefined>(h) }
    for (let level = 0; level < h; level++) {
      fresh.next[level] = update[level]!.next[level]
      update[level]!.next[level] = fresh
    }
  }

  seek(key: Uint8Array): NaiveNode | undefined {
    let node = this.head
    for (let level = this.height - 1; level >= 0; level--) {
      for (let next = node.next[level]; next && this.compare(next.key, key) < 0; next = node.next[level]) node = next
    }
    return node.next[0]
  }
}

interface NaiveNode { key: Uint8Array; value: Uint8Array; next: Array<NaiveNode | undefined> }

/** Adds the memtable tasks for n entries to `bench`. Each task iteration does all n operations. */
export function addMemtableBenchmarks(bench: Bench, n: number): void {
  const { keys, values, order } = workload(n)
  let full = new MemTable()
  const probe = new Uint8Array(KEY_SIZE)
  const out: LookupResult = { value: undefined }

  bench.add(`memtable: ${n} random inserts`, () => {
    const mem = new MemTable()
    fill(mem, keys, values, n)
  })
  bench.add(`memtable: ${n} random gets`, () => {
    for (let i = 0; i < n; i++) {
      const at = order[i]! * KEY_SIZE
      keys.copy(probe, 0, at, at + KEY_SIZE)
      if (full.get(probe, MAX_SEQUENCE, out) !== 'value') throw new Error('benchmark lost a key')
    }
  }, { beforeAll: () => { full = new MemTable(); fill(full, keys, values, n) } })
  bench.add(`memtable: full scan of ${n}`, () => {
    const it = full.iterator()
    let bytes = 0
    for (it.seekToFirst(); it.valid(); it.next()) bytes += it.key().length + it.value().length
    if (bytes !== n * (KEY_SIZE + 8 + VALUE_SIZE)) throw new Error('benchmark scan lost entries')
  })

  // db_bench's keys (zero-padded decimals: the first 10 bytes equal below 10^6) filling 4 MiB
  // memtables one after another on recycled memory, as the database does: in random order
  // (fillrandom) and in key order (fillseq, fillbatch: appends).
  const perTable = 32_000
  const decimal = Buffer.allocUnsafe(n * KEY_SIZE)
  for (let i = 0; i < n; i++) decimal.write(String(order[i]!).padStart(KEY_SIZE, '0'), i * KEY_SIZE, 'latin1')
  const buffers = new SharedBufferPool(6 << 20)
  const fillTables = (keyAt: (i: number) => number): void => {
    for (let start = 0; start < n; start += perTable) {
      const mem = new MemTable({ buffers })
      const end = Math.min(n, start + perTable)
      for (let i = start; i < end; i++) {
        const at = keyAt(i) * KEY_SIZE
        mem.addRange(i + 1, KIND_VALUE, decimal, at, at + KEY_SIZE, values, (i & 63) * VALUE_SIZE, ((i & 63) + 1) * VALUE_SIZE)
      }
      mem.unref()
    }
  }
  bench.add(`memtable: ${n} db_bench keys, random order, 32k per table`, () => fillTables((i) => i))
  const sortedAt = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => decimal.compare(decimal, a * KEY_SIZE, (a + 1) * KEY_SIZE, b * KEY_SIZE, (b + 1) * KEY_SIZE))
  bench.add(`memtable: ${n} db_bench keys, in order, 32k per table`, () => fillTables((i) => sortedAt[i]!))
}

/** The naive structure's inserts, as the memtable's `fill` does them. */
function fillNaive(list: NaiveSkipList, keys: Buffer, values: Buffer, n: number): void {
  for (let i = 0; i < n; i++) {
    const key = new Uint8Array(KEY_SIZE + 8)
    key.set(keys.subarray(i * KEY_SIZE, (i + 1) * KEY_SIZE))
    putTrailer(key, KEY_SIZE, i + 1, KIND_VALUE)
    const v = (i & 63) * VALUE_SIZE
    list.insert(key, values.subarray(v, v + VALUE_SIZE))
  }
}

/** Milliseconds for n random lookups on the naive structure, each returning an owned copy. */
function timeNaiveGets(list: NaiveSkipList, keys: Buffer, order: Int32Array): number {
  const lookup = new Uint8Array(KEY_SIZE + 8)
  const t0 = performance.now()
  for (let i = 0; i < order.length; i++) {
    const at = order[i]! * KEY_SIZE
    keys.copy(lookup, 0, at, at + KEY_SIZE)
    putTrailer(lookup, KEY_SIZE, MAX_SEQUENCE, KIND_SEEK)
    const hit = list.seek(lookup)
    if (!hit) throw new Error('benchmark lost a key')
    Buffer.from(hit.value)
  }
  return performance.now() - t0
}

/** Milliseconds for n random lookups on the memtable. */
function timeGets(mem: MemTable, keys: Buffer, order: Int32Array): number {
  const probe = new Uint8Array(KEY_SIZE)
  const out: LookupResult = { value: undefined }
  const t0 = performance.now()
  for (let i = 0; i < order.length; i++) {
    const at = order[i]! * KEY_SIZE
    keys.copy(probe, 0, at, at + KEY_SIZE)
    if (mem.get(probe, MAX_SEQUENCE, out) !== 'value') throw new Error('benchmark lost a key')
  }
  return performance.now() - t0
}

interface Footprint { heapMiB: number; arrayBuffersMiB: number; gcMs: number; buildMs: number; getMs: number }

/**
 * Memory held by one structure of n entries, and the GC time spent building it. The structure
 * is pushed onto `held`, so that freeing it does not distort the next measurement.
 */
async function footprint<T>(build: () => T, gets: (built: T) => number, held: unknown[]): Promise<Footprint> {
  const gc = exposeGc()
  gc()
  const before = process.memoryUsage()
  let gcMs = 0
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcMs += e.duration
  })
  obs.observe({ entryTypes: ['gc'] })
  const t0 = performance.now()
  const kept = build()
  const buildMs = performance.now() - t0
  await new Promise((resolve) => setTimeout(resolve, 50)) // let GC entries arrive
  obs.disconnect()
  gc()
  const after = process.memoryUsage()
  held.push(kept)
  const getMs = gets(kept)
  const MiB = 1024 * 1024
  return {
    heapMiB: (after.heapUsed - before.heapUsed) / MiB,
    arrayBuffersMiB: (after.arrayBuffers - before.arrayBuffers) / MiB,
    gcMs,
    buildMs,
    getMs,
  }
}

/** A full garbage collection on demand, so memory deltas measure what is held, not garbage. */
function exposeGc(): () => void {
  setFlagsFromString('--expose-gc')
  return runInNewContext('gc') as () => void
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 1_000_000)
  const { keys, values, order } = workload(n)
  const held: unknown[] = []
  const arena = await footprint(() => {
    const mem = new MemTable()
    fill(mem, keys, values, n)
    return mem
  }, (mem) => timeGets(mem, keys, order), held)
  const naive = await footprint(() => {
    const list = new NaiveSkipList()
    fillNaive(list, keys, values, n)
    return list
  }, (list) => timeNaiveGets(list, keys, order), held)
  held.length = 0
  const fmt = (f: Footprint): Record<string, string> => ({
    'inserts ops/s': Math.round((n * 1000) / f.buildMs).toLocaleString('en-US'),
    'gets ops/s': Math.round((n * 1000) / f.getMs).toLocaleString('en-US'),
    'GC ms during build': f.gcMs.toFixed(0),
    'heap MiB held': f.heapMiB.toFixed(1),
    'array buffers MiB held': f.arrayBuffersMiB.toFixed(1),
  })
  console.log(`\n${n} entries, ${KEY_SIZE}-byte keys, ${VALUE_SIZE}-byte values, random order (one cold run each)`)
  console.table({ 'arena memtable': fmt(arena), 'naive object skiplist': fmt(naive) })
  console.log('\nArena memtable, tinybench (1 warm-up run, then 3 runs):')

  const bench = new Bench({ iterations: 3, time: 0, warmup: true, warmupIterations: 1, warmupTime: 0 })
  addMemtableBenchmarks(bench, n)
  await bench.run()
  const rows: Record<string, Record<string, string>> = {}
  for (const task of bench.tasks) {
    const r = task.result
    if (r.state !== 'completed') {
      rows[task.name] = { error: r.state === 'errored' ? String(r.error) : r.state }
      continue
    }
    rows[task.name] = {
      'ms per run': r.latency.mean.toFixed(0),
      'ops/s': Math.round((n * 1000) / r.latency.mean).toLocaleString('en-US'),
      'ns/op': ((r.latency.mean * 1e6) / n).toFixed(0),
      runs: String(r.latency.samplesCount),
    }
  }
  console.table(rows)
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  await main()
}
