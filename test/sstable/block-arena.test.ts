// BlockArena (block-arena.ts): live allocations never share bytes; memory freed while a table
// iterator is open is not reused until none is; past its limit it hands out heap buffers. And
// through a whole database with a cache far smaller than the data: an iterator left positioned
// while gets evict and refill the cache still reads every entry right, and once it closes the
// arena reuses its slots. Invariant checks are on, so a reused slot is poisoned first and a
// premature reuse shows up as wrong bytes.
import { describe, expect, it, vi } from 'vitest'
import fc from 'fast-check'

vi.hoisted(() => {
  process.env['STRATADB_INVARIANTS'] = '1'
})

const { BlockArena, blockArenaLimit } = await import('../../engine/sstable/block-arena.js')
const { DB } = await import('../../engine/index.js')
const { MemFileSystem } = await import('../../engine/fs/mem-fs.js')
const { runs } = await import('./arbitraries.js')

type Op = { kind: 'alloc'; length: number } | { kind: 'free'; pick: number } | { kind: 'enter' } | { kind: 'exit' }

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 1, max: 70_000 }).map((length): Op => ({ kind: 'alloc', length: length > 9000 ? length : (length % 4700) + 1 })) },
  { weight: 4, arbitrary: fc.nat().map((pick): Op => ({ kind: 'free', pick })) },
  { weight: 1, arbitrary: fc.constant<Op>({ kind: 'enter' }) },
  { weight: 1, arbitrary: fc.constant<Op>({ kind: 'exit' }) },
)

/** Fills `b` with a pattern only allocation number `id` has. */
const stamp = (b: Uint8Array, id: number): void => {
  for (let i = 0; i < b.length; i++) b[i] = (id * 131 + i) & 0xff
}
const intact = (b: Uint8Array, id: number): boolean => {
  for (let i = 0; i < b.length; i++) if (b[i] !== ((id * 131 + i) & 0xff)) return false
  return true
}

describe('BlockArena', () => {
  it('never hands out bytes that are live, or freed while a reader is open, and stays within its limit', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 300 }), fc.integer({ min: 0, max: 6 }), (ops, chunks) => {
        const limit = chunks * 256 * 1024
        const arena = new BlockArena(limit)
        const live: { b: Uint8Array; id: number }[] = []
        let limbo: { b: Uint8Array; id: number }[] = [] // freed while readers were open
        let readers = 0
        let id = 0
        for (const op of ops) {
          if (op.kind === 'alloc') {
            const b = arena.alloc(op.length)
            expect(b.length).toBe(op.length)
            stamp(b, ++id)
            live.push({ b, id })
          } else if (op.kind === 'free' && live.length > 0) {
            const [gone] = live.splice(op.pick % live.length, 1)
            arena.free(gone!.b)
            if (readers > 0) limbo.push(gone!)
          } else if (op.kind === 'enter') {
            arena.enterReader()
            readers++
          } else if (op.kind === 'exit' && readers > 0) {
            arena.exitReader()
            if (--readers === 0) limbo = []
          }
          for (const { b, id: n } of [...live, ...limbo]) expect(intact(b, n)).toBe(true)
          expect(arena.bytes).toBeLessThanOrEqual(limit)
          expect(arena.openReaders).toBe(readers)
        }
      }),
      { numRuns: runs(200), seed: 7 },
    )
  })

  it('reuses a freed slot at once when no reader is open, and poisons it first', () => {
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

  it('keeps an open iterator right while gets churn the cache, then reuses slots once it closes', () => {
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
        it.close()
        const before = db.stats().blockCache
        expect(before.arenaBytes).toBeLessThanOrEqual(blockArenaLimit(24 * 1024))
        for (let g = 0; g < 3000; g++) {
          x = (x * 1103515245 + 12345) & 0x7fffffff
          expect(db.get(key(x % n))?.toString()).toBe(value(x % n))
        }
        const after = db.stats().blockCache
        expect(after.misses - before.misses).toBeGreaterThan(1000) // the cache really churned
        expect(after.heapBlocks).toBe(before.heapBlocks) // and every miss got a reused slot
      } finally {
        db.close()
      }
    }
  })
})
