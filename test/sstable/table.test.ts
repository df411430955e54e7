// Round trips through TableBuilder and TableReader: any sorted entries under any block size,
// restart interval, compression and filter read back exactly, by point lookup and by
// iteration in both directions, and seeks agree with a sorted-array model.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compareBytes } from '../../engine/base/bytes.js'
import { internalKeyComparator, bytewiseComparator } from '../../engine/base/comparator.js'
import { KIND_DELETION, KIND_SEEK, KIND_VALUE, MAX_SEQUENCE, makeInternalKey } from '../../engine/base/internal-key.js'
import { MemFileSystem } from '../../engine/fs/mem-fs.js'
import type { WritableFile } from '../../engine/fs/fs.js'
import { TableBuilder } from '../../engine/sstable/index.js'
import { configArb, entriesArb, lowerBound, runs, type Entry } from './arbitraries.js'
import { buildTable, enc, hex, openTable, RAW_OPTIONS, scanBackward, scanForward } from './helpers.js'

const asHex = (entries: readonly (readonly [Uint8Array, Uint8Array])[]): string[] => entries.map(([k, v]) => hex(k) + ':' + hex(v))

describe('table round trip', () => {
  it('reads back any sorted entries exactly, by lookup and by iteration both ways', () => {
    fc.assert(
      fc.property(entriesArb(120), configArb, (entries, config) => {
        const { bytes, properties } = buildTable(entries, config)
        const reader = openTable(bytes)
        expect(asHex(scanForward(reader))).toEqual(asHex(entries))
        expect(asHex(scanBackward(reader))).toEqual(asHex([...entries].reverse()))
        const found = entries.map(([k]) => reader.seekEntry(k) ? hex(reader.foundKey()) + ':' + hex(reader.foundValue()) : 'missing')
        expect(found).toEqual(asHex(entries))
        expect(properties.numEntries).toBe(entries.length)
        expect(properties.rawKeySize).toBe(entries.reduce((n, [k]) => n + k.length, 0))
        expect(properties.rawValueSize).toBe(entries.reduce((n, [, v]) => n + v.length, 0))
        expect(reader.properties).toEqual(properties)
      }),
      { seed: 101, numRuns: runs(30) },
    )
  })

  it('seeks like a sorted-array model, then steps next/prev like it', () => {
    const moves = fc.array(fc.constantFrom('next', 'prev'), { maxLength: 12 })
    fc.assert(
      fc.property(entriesArb(80), configArb, fc.array(fc.tuple(fc.uint8Array({ maxLength: 8 }), moves), { maxLength: 20 }),
        (entries, config, probes) => {
          const reader = openTable(buildTable(entries, { ...config, bloomBitsPerKey: 0 }).bytes)
          const it = reader.iterator()
          for (const [target, steps] of probes) {
            let i = lowerBound(entries, target)
            it.seek(target)
            expect(reader.seekEntry(target)).toBe(i < entries.length)
            if (i < entries.length) expect(hex(reader.foundKey())).toBe(hex(entries[i]![0]))
            for (const step of steps) {
              expect(it.valid()).toBe(i >= 0 && i < entries.length)
              if (!it.valid()) break
              expect(hex(it.key())).toBe(hex(entries[i]![0]))
              expect(hex(it.value())).toBe(hex(entries[i]![1]))
              if (step === 'next') { it.next(); i++ } else { it.prev(); i-- }
            }
          }
          it.close()
        }),
      { seed: 102, numRuns: runs(50) },
    )
  })

  it('with a filter, a seekEntry hit is the model lower bound and every present key is found', () => {
    fc.assert(
      fc.property(entriesArb(60), fc.array(fc.uint8Array({ maxLength: 6 }), { maxLength: 30 }), (entries, targets) => {
        const reader = openTable(buildTable(entries, { blockSize: 64, bloomBitsPerKey: 10 }).bytes)
        for (const t of targets) {
          const i = lowerBound(entries, t)
          if (reader.seekEntry(t)) expect(hex(reader.foundKey())).toBe(hex(entries[i]![0]))
          else if (i < entries.length) expect(compareBytes(entries[i]![0], t)).not.toBe(0)
        }
      }),
      { seed: 103, numRuns: runs(60) },
    )
  })

  it('handles an empty table', () => {
    const { bytes, properties } = buildTable([])
    const reader = openTable(bytes)
    expect(properties.numEntries).toBe(0)
    expect(properties.numDataBlocks).toBe(0)
    expect(scanForward(reader)).toEqual([])
    expect(scanBackward(reader)).toEqual([])
    expect(reader.seekEntry(enc('a'))).toBe(false)
    expect(reader.seekEntry(new Uint8Array(0))).toBe(false)
    expect(reader.properties.smallestKey.length).toBe(0)
  })

  it('stores the empty key and empty values', () => {
    const entries: Entry[] = [[new Uint8Array(0), new Uint8Array(0)], [enc('a'), new Uint8Array(0)]]
    const reader = openTable(buildTable(entries, { blockSize: 1 }).bytes)
    expect(asHex(scanForward(reader))).toEqual(asHex(entries))
    expect(reader.seekEntry(new Uint8Array(0))).toBe(true)
    expect(reader.foundKey().length).toBe(0)
  })
})

describe('tables of internal keys (filterSuffixLength 8)', () => {
  const icmp = internalKeyComparator(bytewiseComparator)
  const entries: Entry[] = []
  for (let u = 0; u < 300; u++) {
    const user = enc(`user${String(u * 2).padStart(5, '0')}`)
    for (let seq = 3; seq >= 1; seq--) {
      entries.push([makeInternalKey(user, u * 10 + seq, seq === 2 ? KIND_DELETION : KIND_VALUE), enc(`v${u}.${seq}`)])
    }
  }
  const { bytes } = buildTable(entries, { comparator: icmp, filterSuffixLength: 8, blockSize: 512 })
  const reader = openTable(bytes, { comparator: icmp, filterSuffixLength: 8 })

  it('finds the newest version of a user key with a lookup key', () => {
    for (let u = 0; u < 300; u++) {
      const lookup = makeInternalKey(enc(`user${String(u * 2).padStart(5, '0')}`), MAX_SEQUENCE, KIND_SEEK)
      expect(reader.seekEntry(lookup)).toBe(true)
      expect(Buffer.from(reader.foundValue()).toString()).toBe(`v${u}.3`)
    }
  })

  it('lets the filter reject most absent user keys, whatever their sequence', () => {
    let passed = 0
    for (let u = 0; u < 300; u++) {
      const absent = makeInternalKey(enc(`user${String(u * 2 + 1).padStart(5, '0')}`), MAX_SEQUENCE, KIND_SEEK)
      if (reader.seekEntry(absent)) passed++
    }
    expect(passed).toBeLessThan(15)
  })

  it('iterates versions newest first within a user key', () => {
    expect(asHex(scanForward(reader))).toEqual(asHex(entries))
  })

  it('refuses a reader opened with another comparator or filter suffix', () => {
    expect(() => openTable(bytes, { comparator: bytewiseComparator, filterSuffixLength: 8 })).toThrow(/comparator/)
    expect(() => openTable(bytes, { comparator: icmp, filterSuffixLength: 0 })).toThrow(/filters keys/)
  })
})

describe('TableBuilder', () => {
  it('copies keys and values, so callers may reuse their buffers', () => {
    const fs = new MemFileSystem()
    const file = fs.create('/t.sst')
    const b = new TableBuilder(file, { ...RAW_OPTIONS, blockSize: 64 })
    const key = new Uint8Array(4)
    const value = new Uint8Array(4)
    for (let i = 0; i < 100; i++) {
      new DataView(key.buffer).setUint32(0, i)
      value.fill(i)
      b.add(key, value)
    }
    b.finish()
    const got = scanForward(openTable(fs.readFile('/t.sst')))
    expect(got.length).toBe(100)
    got.forEach(([k, v], i) => {
      expect(new DataView(k.buffer, k.byteOffset).getUint32(0)).toBe(i)
      expect([...v]).toEqual([i, i, i, i])
    })
  })

  it('addRange writes the bytes add writes, for entries read as ranges of one larger buffer', () => {
    fc.assert(
      fc.property(entriesArb(120), configArb, fc.nat(40), (entries, config, gap) => {
        // Each entry's key, then its value, behind `gap` bytes of 0xee that must not leak in.
        const packed = new Uint8Array(entries.reduce((n, [k, v]) => n + gap + k.length + v.length, gap)).fill(0xee)
        const ranges: number[] = []
        let at = gap
        for (const [k, v] of entries) {
          packed.set(k, at)
          packed.set(v, at + k.length)
          ranges.push(at, at + k.length, at + k.length + v.length)
          at += k.length + v.length + gap
        }
        const fs = new MemFileSystem()
        const file = fs.create('/r.sst')
        const b = new TableBuilder(file, { ...RAW_OPTIONS, ...config })
        for (let i = 0; i < ranges.length; i += 3) b.addRange(packed, ranges[i]!, ranges[i + 1]!, packed, ranges[i + 1]!, ranges[i + 2]!)
        const properties = b.finish()
        const want = buildTable(entries, config)
        expect(hex(fs.readFile('/r.sst'))).toBe(hex(want.bytes))
        expect(properties).toEqual(want.properties)
      }),
      { seed: 107, numRuns: runs(30) },
    )
  })

  it('appends in chunks of whole blocks, never per entry, and reports the size so far', () => {
    const fs = new MemFileSystem()
    const inner = fs.create('/t.sst')
    const appends: number[] = []
    const file: WritableFile = {
      append: (data, start = 0, end = data.length) => { appends.push(end - start); inner.append(data, start, end) },
      sync: () => inner.sync(), syncAsync: () => inner.syncAsync(), close: () => inner.close(),
      get size() { return inner.size },
    }
    const b = new TableBuilder(file, { ...RAW_OPTIONS, compression: 'lz4' })
    const value = new Uint8Array(100).fill(7)
    let behind = 0
    for (let i = 0; i < 20_000; i++) {
      b.add(enc(String(i).padStart(16, '0')), value)
      if (b.fileSize < file.size) behind++
    }
    expect(behind).toBe(0)
    b.finish()
    expect(b.fileSize).toBe(file.size)
    expect(appends.length).toBeLessThanOrEqual(Math.ceil(file.size / 65536) + 1)
    expect(appends.slice(0, -1).every((n) => n >= 65536)).toBe(true)
  })

  it('refuses to add or finish after finish or abandon', () => {
    const fs = new MemFileSystem()
    const b = new TableBuilder(fs.create('/a.sst'), RAW_OPTIONS)
    b.finish()
    expect(() => b.add(enc('a'), enc('b'))).toThrow(/finished/)
    const c = new TableBuilder(fs.create('/b.sst'), RAW_OPTIONS)
    c.add(enc('a'), enc('b'))
    c.abandon()
    expect(() => c.finish()).toThrow(/abandoned/)
    expect(fs.readFile('/b.sst').length).toBe(0)
  })
})
