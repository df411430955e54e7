// Memtable micro-benchmarks (tinybench): n inserts of 16-byte keys with 100-byte values in
// random order, n point lookups, a full scan, and the same inserts and lookups on a naive
// skiplist of per-entry JS objects for comparison. Also reports the heap and array-buffer
// memory a full memtable holds and the GC time its inserts cost.
//
// Run: npx tsc -p tsconfig.build.json && node dist/benchmarks/memtable.bench.js [n]
// (add --expose-gc to node for steadier memory figures).
import { PerformanceObserver } from 'node:perf_hooks'
import { Bench } from 'tinybench'
import { bytewiseComparator, internalKeyComparator } from '../engine/base/comparator.js'
import { KIND_SEEK, KIND_VALUE, MAX_SEQUENCE, putTrailer } from '../engine/base/internal-key.js'
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
    while (h < 12 && ((this.rng = (this.rng * 1103515245 + 12345) >>> 0) >>> 16) % 4 === 0) h++
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

  let naive = new NaiveSkipList()
  const lookup = new Uint8Array(KEY_SIZE + 8)
  bench.add(`naive object skiplist: ${n} random inserts`, () => {
    naive = new NaiveSkipList()
    for (let i = 0; i < n; i++) {
      const v = (i & 63) * VALUE_SIZE
      const key = new Uint8Array(KEY_SIZE + 8)
      key.set(keys.subarray(i * KEY_SIZE, (i + 1) * KEY_SIZE))
      putTrailer(key, KEY_SIZE, i + 1, KIND_VALUE)
      naive.insert(key, values.subarray(v, v + VALUE_SIZE))
    }
  })
  bench.add(`naive object skiplist: ${n} random gets`, () => {
    for (let i = 0; i < n; i++) {
      const at = order[i]! * KEY_SIZE
      keys.copy(lookup, 0, at, at + KEY_SIZE)
      putTrailer(lookup, KEY_SIZE, MAX_SEQUENCE, KIND_SEEK)
      const hit = naive.seek(lookup)
      if (!hit) throw new Error('benchmark lost a key')
      Buffer.from(hit.value) // the owned copy a get hands out
    }
  })
}

interface Footprint { heapMiB: number; arrayBuffersMiB: number; gcMs: number; buildMs: number }

/** Memory held by one structure of n entries, and the GC time spent building it. */
async function footprint(build: () => unknown): Promise<Footprint> {
  const gc = (globalThis as { gc?: () => void }).gc
  gc?.()
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
  gc?.()
  const after = process.memoryUsage()
  if (kept === undefined) throw new Error('unreachable')
  const MiB = 1024 * 1024
  return {
    heapMiB: (after.heapUsed - before.heapUsed) / MiB,
    arrayBuffersMiB: (after.arrayBuffers - before.arrayBuffers) / MiB,
    gcMs,
    buildMs,
  }
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 1_000_000)
  const { keys, values } = workload(n)
  const arena = await footprint(() => {
    const mem = new MemTable()
    fill(mem, keys, values, n)
    return mem
  })
  const naive = await footprint(() => {
    const list = new NaiveSkipList()
    for (let i = 0; i < n; i++) {
      const key = new Uint8Array(KEY_SIZE + 8)
      key.set(keys.subarray(i * KEY_SIZE, (i + 1) * KEY_SIZE))
      putTrailer(key, KEY_SIZE, i + 1, KIND_VALUE)
      const v = (i & 63) * VALUE_SIZE
      list.insert(key, values.subarray(v, v + VALUE_SIZE))
    }
    return list
  })
  const fmt = (f: Footprint): Record<string, string> => ({
    'build ms': f.buildMs.toFixed(0),
    'GC ms during build': f.gcMs.toFixed(0),
    'heap MiB held': f.heapMiB.toFixed(1),
    'array buffers MiB held': f.arrayBuffersMiB.toFixed(1),
  })
  console.log(`\n${n} entries, ${KEY_SIZE}-byte keys, ${VALUE_SIZE}-byte values, random order`)
  console.table({ 'arena memtable': fmt(arena), 'naive object skiplist': fmt(naive) })

  const bench = new Bench({ iterations: 5, time: 0, warmup: true, warmupIterations: 1, warmupTime: 0 })
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
