// BlockArena (block-arena.ts) and the pins on Block: memory the cache holds, or a table iterator
// pins, is never handed out again, even after the cache retires the block; past its limit the
// arena hands out heap buffers. And through a whole database with a cache far smaller than the
// data: an iterator left positioned while gets evict and refill the cache still reads every
// entry right, and the arena reuses its slots throughout. Invariant checks are on, so a freed
// slot is poisoned at once and a premature reuse shows up as wrong bytes.
import { describe, expect, it, vi } from 'vitest'
import fc from 'fast-check'

vi.hoisted(() => {
  process.env['STRATADB_INVARIANTS'] = '1'
})

const { BlockArena, blockArenaLimit, BlockRecycler } = await import('../../engine/sstable/block-arena.js')
const { Block } = await import('../../engine/sstable/block.js')
const { DB } = await import('../../engine/index.js')
const { MemFileSystem } = await import('../../engine/fs/mem-fs.js')
const { runs } = await import('./arbitraries.js')
const { buildTable, openTable, scanBackward, scanForward, hex } = await import('./helpers.js')
const { bytewiseComparator } = await import('../../engine/base/comparator.js')
const { mergeIterators } = await import('../../engine/iterator/index.js')

type Op =
  | { kind: 'read'; length: number }
  | { kind: 'evict' | 'pin' | 'unpin'; pick: number }

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 9, max: 70_000 }).map((length): Op => ({ kind: 'read', length: length > 9000 ? length : (length % 4700) + 9 })) },
  { weight: 4, arbitrary: fc.nat().map((pick): Op => ({ kind: 'evict', pick })) },
  { weight: 2, arbitrary: fc.nat().map((pick): Op => ({ kind: 'pin', pick })) },
  { weight: 2, arbitrary: fc.nat().map((pick): Op => ({ kind: 'unpin', pick })) },
)

/** A valid one-restart block of `length` bytes whose entry bytes only block number `id` has. */
function stampedBlock(data: Uint8Array, id: number): InstanceType<typeof Block> {
  const end = data.length - 8
  for (let i = 0; i < end; i++) data[i] = (id * 131 + i) & 0xff
  Buffer.from(data.buffer, data.byteOffset, data.length).writeUInt32LE(0, end)
  Buffer.from(data.buffer, data.byteOffset, data.length).writeUInt32LE(1, end + 4)
  return new Block(data, 't.sst', id)
}
const intact = (b: InstanceType<typeof Block>): boolean => {
  for (let i = 0; i < b.data.length - 8; i++) if (b.data[i] !== ((b.fileOffset * 131 + i) & 0xff)) return false
  return true
}

describe('BlockArena', () => {
  it('never hands out the memory of a block that is cached or pinned, and stays within its limit', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 300 }), fc.integer({ min: 0, max: 6 }), (ops, chunks) => {
        const limit = chunks * 256 * 1024
        const arena = new BlockArena(limit)
        type Live = { block: InstanceType<typeof Block>; cached: boolean; pins: number }
        const live: Live[] = []
        let id = 0
        for (const op of ops) {
          if (op.kind === 'read') {
            const data = arena.alloc(op.length)
            expect(data.length).toBe(op.length)
            live.push({ block: stampedBlock(data, ++id), cached: true, pins: 0 })
          } else if (live.length > 0) {
            const l = live[op.pick % live.length]!
            if (op.kind === 'evict' && l.cached) {
              l.cached = false
              l.block.retire(arena)
            } else if (op.kind === 'pin') {
              l.block.pin()
              l.pins++
            } else if (op.kind === 'unpin' && l.pins > 0) {
              l.block.unpin()
              l.pins--
            }
            if (!l.cached && l.pins === 0) live.splice(live.indexOf(l), 1)
          }
          for (const l of live) expect(intact(l.block)).toBe(true)
          expect(arena.bytes).toBeLessThanOrEqual(limit)
        }
      }),
      { numRuns: runs(200), seed: 7 },
    )
  })

  it('reuses a freed slot at once, poisoned first', () => {
    const arena = new BlockArena(blockArenaLimit(1024 * 1024))
    const a = arena.alloc(4100)
    a.fill(1)
    arena.free(a)
    expect(a.every((x) => x === 0xee)).toBe(true)
    const b = arena.alloc(4200) // same 4.5 KiB class: the same slot
    expect(b.buffer).toBe(a.buffer)
    expect(b.byteOffset).toBe(a.byteOffset)
  })

  it('gives heap buffers past its limit and for huge blocks, and ignores freeing them', () => {
    const arena = new BlockArena(256 * 1024)
    const slots = Array.from({ length: 56 }, () => arena.alloc(4600)) // 56 slots of 4.5 KiB fill one chunk
    expect(arena.heapAllocations).toBe(0)
    const extra = arena.alloc(4600)
    const huge = arena.alloc(100_000)
    expect(arena.heapAllocations).toBe(2)
    expect(new Set(slots.map((s) => s.buffer)).size).toBe(1)
    expect(extra.buffer).not.toBe(slots[0]!.buffer)
    arena.free(extra)
    arena.free(huge)
    expect(arena.alloc(4600).buffer).not.toBe(slots[0]!.buffer) // still full: heap again
    expect(arena.bytes).toBe(256 * 1024)
  })
})

describe('a database whose cache lives in the arena', () => {
  const key = (i: number): string => `key${String(i).padStart(6, '0')}`
  const value = (i: number): string => `${i}:`.repeat(10 + (i % 13))

  it('keeps an open iterator right while gets churn the cache, and reuses slots all along', () => {
    for (const compression of ['lz4', 'none'] as const) {
      const db = DB.open('/db', { fs: new MemFileSystem(), blockCacheSize: 24 * 1024, blockSize: 1024, memtableSize: 64 * 1024, compression, compaction: 'inline' })
      try {
        const n = 6000
        for (let i = 0; i < n; i++) db.put(key(i), value(i))
        db.flush()
        const it = db.iterator()
        it.seekToFirst()
        let seen = 0
        let x = 12345
        while (it.valid()) {
          expect(it.key().toString()).toBe(key(seen))
          expect(it.value().toString()).toBe(value(seen))
          seen++
          it.next()
          for (let g = 0; g < 3; g++) { // each get likely evicts the block the iterator is on
            x = (x * 1103515245 + 12345) & 0x7fffffff
            const k = x % n
            expect(db.get(key(k))?.toString()).toBe(value(k))
          }
        }
        expect(seen).toBe(n)
        expect(db.stats().blockCache.heapBlocks).toBe(0) // evicted slots were reused with the iterator open
        it.close()
        const before = db.stats().blockCache
        expect(before.arenaBytes).toBeLessThanOrEqual(blockArenaLimit(24 * 1024))
        for (let g = 0; g < 3000; g++) {
          x = (x * 1103515245 + 12345) & 0x7fffffff
          expect(db.get(key(x % n))?.toString()).toBe(value(x % n))
        }
        const after = db.stats().blockCache
        expect(after.misses - before.misses).toBeGreaterThan(1000) // the cache really churned
        expect(after.heapBlocks).toBe(0) // and every miss got a reused slot
      } finally {
        db.close()
      }
    }
  })
})

describe('BlockRecycler', () => {
  it('hands a freed buffer out again, never one still lent, and ignores memory it did not lend', () => {
    const r = new BlockRecycler()
    const a = r.alloc(4400)
    const b = r.alloc(4400)
    expect(a.buffer).not.toBe(b.buffer)
    a.fill(1)
    r.free(a)
    expect([...a.subarray(0, 4)]).toEqual([0xee, 0xee, 0xee, 0xee]) // poisoned as it is freed
    const c = r.alloc(4300)
    expect(c.buffer).toBe(a.buffer)
    expect(c.length).toBe(4300)
    r.free(Buffer.alloc(4400)) // not its own: ignored
    r.free(new Uint8Array(b.buffer, 0, 10)) // a view of a lent buffer is its own: freed once
    r.free(new Uint8Array(b.buffer, 0, 10))
    expect(r.alloc(4400).buffer).toBe(b.buffer)
    expect(r.alloc(4400).buffer).not.toBe(b.buffer)
    expect(r.freshBuffers).toBe(3)
    const small = r.alloc(100)
    r.free(small)
    expect(r.alloc(5000).buffer).not.toBe(small.buffer) // too small a spare is not taken
  })

  it('serves table iterators without a cache: scans and merges read right while blocks reuse memory', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 64, max: 2048 }), fc.constantFrom('none' as const, 'lz4' as const), (n, blockSize, compression) => {
        const entries = (from: number, step: number) => Array.from({ length: n }, (_, i) => {
          const k = Buffer.from(String(from + i * step).padStart(8, '0'))
          return [k, Buffer.alloc((i * 7) % 90, k[7]!)] as const
        })
        const left = entries(0, 2)
        const right = entries(1, 2)
        const open = (e: typeof left) => openTable(buildTable(e, { blockSize, compression }).bytes)
        const want = (e: readonly (readonly [Uint8Array, Uint8Array])[]) => e.map(([k, v]) => hex(k) + ':' + hex(v))
        const got = (e: [Uint8Array, Uint8Array][]) => e.map(([k, v]) => hex(k) + ':' + hex(v))
        const r = new BlockRecycler()
        const a = open(left)
        expect(got(scanForward(a, a.iterator(r)))).toEqual(want(left))
        expect(got(scanBackward(a, a.iterator(r)))).toEqual(want([...left].reverse()))
        // Two tables sharing one recycler, merged as a compaction reads them.
        const merged = mergeIterators(bytewiseComparator, [a.iterator(r), open(right).iterator(r)])
        const all: string[] = []
        for (merged.seekToFirst(); merged.valid(); merged.next()) all.push(hex(merged.key()) + ':' + hex(merged.value()))
        merged.close()
        expect(all).toEqual(want([...left, ...right].sort(([x], [y]) => Buffer.compare(x, y))))
        expect(r.freshBuffers).toBeLessThanOrEqual(6)
      }),
      { seed: 23, numRuns: runs(25) },
    )
  })
})
