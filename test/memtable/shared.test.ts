// A frozen memtable shared with another thread (MemTable.share / attach): the attached table
// sees exactly the entries, in order, both ways, with lookups by sequence; it cannot be written;
// and a real worker thread reading the shared memory gets the same bytes without a copy.
// Recycling (SharedBufferPool): a table's memory is reused only after its last reference
// (owner and iterators) is dropped, and a table built on reused memory sees none of the old.
import { Worker } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { KIND_DELETION, KIND_VALUE, MAX_SEQUENCE } from '../../engine/base/internal-key.js'
import { LARGE_ENTRY_SIZE } from '../../engine/memtable/arena.js'
import { memtablePoolCapacity, SharedBufferPool } from '../../engine/memtable/buffer-pool.js'
import { MemTable } from '../../engine/memtable/memtable.js'
import { NODE_SLOTS } from '../../engine/memtable/skiplist.js'
import type { LookupResult } from '../../engine/memtable/memtable.js'

function entries(mem: MemTable, reverse = false): string[] {
  const it = mem.iterator()
  const out: string[] = []
  for (reverse ? it.seekToLast() : it.seekToFirst(); it.valid(); reverse ? it.prev() : it.next()) {
    out.push(`${Buffer.from(it.key()).toString('hex')}=${Buffer.from(it.value()).toString('hex')}`)
  }
  return out
}

describe('MemTable.attach', () => {
  it('sees every entry of the frozen table, in order both ways, with the same lookups', () => {
    const op = fc.record({
      key: fc.uint8Array({ maxLength: 12 }),
      value: fc.oneof(
        { arbitrary: fc.uint8Array({ maxLength: 200 }), weight: 40 },
        { arbitrary: fc.constant(new Uint8Array(LARGE_ENTRY_SIZE + 7).fill(5)), weight: 1 },
      ),
      del: fc.boolean(),
    })
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const mem = new MemTable()
        ops.forEach((o, i) => mem.add(i + 1, o.del ? KIND_DELETION : KIND_VALUE, o.key, o.value))
        const copy = MemTable.attach(mem.share())
        expect(copy.count).toBe(mem.count)
        expect(copy.firstSequence).toBe(mem.firstSequence)
        expect(copy.lastSequence).toBe(mem.lastSequence)
        expect(entries(copy)).toEqual(entries(mem))
        expect(entries(copy, true)).toEqual(entries(mem, true))
        const a: LookupResult = { value: undefined }
        const b: LookupResult = { value: undefined }
        for (const o of ops) {
          for (const seq of [1, ops.length >> 1, MAX_SEQUENCE]) {
            expect(copy.get(o.key, seq, a)).toBe(mem.get(o.key, seq, b))
            expect(a.value).toEqual(b.value)
          }
        }
      }),
      { seed: 0x5a4ed, numRuns: 40 },
    )
  })

  it('is read-only', () => {
    const mem = new MemTable()
    mem.add(1, KIND_VALUE, Buffer.from('a'), Buffer.from('1'))
    const copy = MemTable.attach(mem.share())
    expect(() => copy.add(2, KIND_VALUE, Buffer.from('b'), Buffer.from('2'))).toThrow(/read-only/)
    expect(entries(copy)).toHaveLength(1)
  })

  it('reads the same bytes from another thread', async () => {
    const mem = new MemTable()
    for (let i = 0; i < 5000; i++) mem.add(i + 1, KIND_VALUE, Buffer.from(`key${(i * 7919) % 5000}`), Buffer.alloc(100, i & 0xff))
    // The worker walks level 0 of the shared pool itself and hashes what it sees.
    const code = `
      const { parentPort, workerData } = require('node:worker_threads')
      const { CHUNK, OFFSET, KEY_LENGTH, VALUE_LENGTH, NEXT } = workerData.slots
      const pool = new Int32Array(workerData.mem.list.pool)
      const chunks = workerData.mem.list.chunks.map((b) => new Uint8Array(b))
      let node = pool[NEXT], n = 0, h = 0
      while (node !== 0) {
        const c = chunks[pool[node + CHUNK]], off = pool[node + OFFSET], len = pool[node + KEY_LENGTH] + pool[node + VALUE_LENGTH]
        for (let i = 0; i < len; i++) h = (Math.imul(h, 31) + c[off + i]) | 0
        n++
        node = pool[node + NEXT]
      }
      parentPort.postMessage({ n, h })`
    const worker = new Worker(code, { eval: true, workerData: { mem: mem.share(), slots: { ...NODE_SLOTS } } })
    const got = await new Promise<{ n: number; h: number }>((resolve, reject) => {
      worker.once('message', resolve)
      worker.once('error', reject)
    })
    await worker.terminate()
    let h = 0
    const it = mem.iterator()
    for (it.seekToFirst(); it.valid(); it.next()) {
      for (const byte of it.key()) h = (Math.imul(h, 31) + byte) | 0
      for (const byte of it.value()) h = (Math.imul(h, 31) + byte) | 0
    }
    expect(got).toMatchObject({ n: 5000, h })
  })
})

describe('MemTable memory recycling', () => {
  const fill = (mem: MemTable, tag: string, n: number): void => {
    for (let i = 0; i < n; i++) mem.add(i + 1, KIND_VALUE, Buffer.from(`${tag}${String((i * 7919) % n).padStart(6, '0')}`), Buffer.alloc(90, tag))
  }

  it('keeps the memory while an iterator is open, and recycles it at the last unref', () => {
    const pool = new SharedBufferPool(8 << 20)
    const mem = new MemTable({ buffers: pool })
    fill(mem, 'a', 20000)
    const grown = pool.idleBytes // the node pool's outgrown buffers come back as it doubles
    const it = mem.iterator()
    it.seekToFirst()
    mem.unref()
    expect(pool.idleBytes).toBe(grown)
    let n = 0
    for (; it.valid(); it.next()) n++
    expect(n).toBe(20000)
    it.close()
    expect(pool.idleBytes).toBeGreaterThan(grown + 2_000_000)
    it.close() // idempotent: no second release
    expect(() => mem.iterator()).toThrow(/released/)
    expect(() => mem.add(1, KIND_VALUE, Buffer.from('x'), Buffer.from('y'))).toThrow(/released/)
  })

  it('builds a correct table on reused memory, with nothing of the old one visible', () => {
    const pool = new SharedBufferPool(8 << 20)
    const old = new MemTable({ buffers: pool })
    fill(old, 'z', 20000)
    old.unref()
    const held = pool.idleBytes
    const mem = new MemTable({ buffers: pool })
    expect(pool.idleBytes).toBeLessThan(held)
    fill(mem, 'b', 3000)
    const keys = entries(mem).map((e) => Buffer.from(e.split('=')[0]!, 'hex').subarray(0, -8).toString())
    expect(keys).toHaveLength(3000)
    expect(keys.every((k) => k.startsWith('b'))).toBe(true)
    expect([...keys].sort()).toEqual(keys)
    const out: LookupResult = { value: undefined }
    expect(mem.get(Buffer.from('z000001'), MAX_SEQUENCE, out)).toBe('absent')
    expect(mem.get(Buffer.from('b000001'), MAX_SEQUENCE, out)).toBe('value')
    expect(out.value).toEqual(Buffer.alloc(90, 'b'))
  })

  it("a database's pool holds a whole full memtable: the next one fills without a new buffer", () => {
    // What the write path does: freeze at memtableSize (4 MiB, 116-byte entries), recycle.
    const memtableSize = 4 << 20
    const pool = new SharedBufferPool(memtablePoolCapacity(memtableSize))
    const fillToSize = (tag: string): MemTable => {
      const mem = new MemTable({ buffers: pool })
      for (let i = 0; mem.approximateBytes < memtableSize; i++) {
        mem.add(i + 1, KIND_VALUE, Buffer.from(`${tag}${String((i * 7919) % 1_000_000).padStart(13, '0')}`), Buffer.alloc(100, tag))
      }
      return mem
    }
    fillToSize('a').unref()
    expect(pool.freshBytes).toBeGreaterThan(memtableSize)
    for (const tag of ['b', 'c']) {
      const before = pool.freshBytes
      fillToSize(tag).unref()
      expect(pool.freshBytes - before).toBe(0)
    }
    expect(pool.idleBytes).toBeLessThanOrEqual(memtablePoolCapacity(memtableSize))
  })

  it('holds no more idle memory than its capacity', () => {
    const pool = new SharedBufferPool(1 << 20)
    for (let round = 0; round < 3; round++) {
      const mem = new MemTable({ buffers: pool })
      fill(mem, 'c', 30000)
      mem.unref()
      expect(pool.idleBytes).toBeLessThanOrEqual(1 << 20)
    }
  })
})
