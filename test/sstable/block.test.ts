// Blocks on their own: prefix compression and restart points as the spec lays them out, and a
// BlockIter that seeks, steps both ways and reports a damaged restart array.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compareBytes } from '../../engine/base/bytes.js'
import { bytewiseComparator } from '../../engine/base/comparator.js'
import { putFixed32 } from '../../engine/base/coding.js'
import { Block } from '../../engine/sstable/block.js'
import { BlockBuilder } from '../../engine/sstable/block-builder.js'
import { BlockIter } from '../../engine/sstable/block-iter.js'
import { lowerBound, runs, type Entry } from './arbitraries.js'
import { enc, hex } from './helpers.js'

function blockOf(entries: readonly Entry[], interval: number): Block {
  const b = new BlockBuilder(interval, 16)
  for (const [k, v] of entries) b.add(k, v)
  return new Block(b.finish().slice(), 'b.sst', 0)
}

describe('block layout', () => {
  it('shares prefixes between restart points and restarts every interval entries', () => {
    const block = blockOf([[enc('abc'), enc('1')], [enc('abd'), enc('2')], [enc('abe'), enc('3')]], 2)
    expect(hex(block.data)).toBe(
      '00030161626331' + // @0  abc: shared 0, unshared 3, value length 1, "abc", "1"
      '0201016432' + //     @7  abd: shared 2 ("ab"), suffix "d"
      '00030161626533' + // @12 abe: a restart point again, stored whole
      '00000000' + '0c000000' + '02000000', // restarts [0, 12], count 2
    )
    expect(block.numRestarts).toBe(2)
    expect(block.restartPoint(1)).toBe(12)
  })

  it('is just a zero count when empty, and iterates nothing', () => {
    const block = blockOf([], 16)
    expect(hex(block.data)).toBe('00000000')
    const it = new BlockIter(bytewiseComparator, block)
    it.seekToFirst()
    expect(it.valid()).toBe(false)
    it.seekToLast()
    expect(it.valid()).toBe(false)
    it.seek(enc('a'))
    expect(it.valid()).toBe(false)
  })
})

describe('BlockIter', () => {
  const keysArb = fc.uniqueArray(fc.uint8Array({ maxLength: 5 }), { maxLength: 60, selector: (k) => hex(k) })
    .map((keys) => keys.sort(compareBytes).map((k, i): Entry => [k, enc(String(i))]))

  it('seeks to the lower bound and walks both ways at any restart interval', () => {
    fc.assert(
      fc.property(keysArb, fc.integer({ min: 1, max: 20 }), fc.array(fc.uint8Array({ maxLength: 5 }), { maxLength: 10 }), (entries, interval, targets) => {
        const it = new BlockIter(bytewiseComparator, blockOf(entries, interval))
        const forward: string[] = []
        for (it.seekToFirst(); it.valid(); it.next()) forward.push(hex(it.key()) + ':' + hex(it.value()))
        const backward: string[] = []
        for (it.seekToLast(); it.valid(); it.prev()) backward.unshift(hex(it.key()) + ':' + hex(it.value()))
        const model = entries.map(([k, v]) => hex(k) + ':' + hex(v))
        expect(forward).toEqual(model)
        expect(backward).toEqual(model)
        for (const t of targets) {
          it.seek(t)
          const i = lowerBound(entries, t)
          expect(it.valid() ? hex(it.key()) : 'end').toBe(i < entries.length ? hex(entries[i]![0]) : 'end')
        }
      }),
      { seed: 401, numRuns: runs(200) },
    )
  })

  it('lands on the model entry after any mix of next, prev and seeks (prev re-scans are kept per run)', () => {
    const move = fc.oneof(
      { arbitrary: fc.constant<'next' | 'prev'>('prev'), weight: 4 },
      { arbitrary: fc.constant<'next' | 'prev'>('next'), weight: 2 },
      { arbitrary: fc.uint8Array({ maxLength: 5 }), weight: 1 },
    )
    fc.assert(
      fc.property(keysArb, fc.integer({ min: 1, max: 20 }), fc.array(move, { maxLength: 80 }), fc.boolean(), (entries, interval, moves, fromLast) => {
        const it = new BlockIter(bytewiseComparator, blockOf(entries, interval))
        let at = fromLast ? entries.length - 1 : 0 // the model's position; -1 or entries.length: invalid
        if (fromLast) it.seekToLast()
        else it.seekToFirst()
        for (const m of moves) {
          if (at < 0 || at >= entries.length) {
            at = entries.length - 1
            it.seekToLast()
          } else if (m === 'next') {
            at++
            it.next()
          } else if (m === 'prev') {
            at--
            it.prev()
          } else {
            at = lowerBound(entries, m)
            it.seek(m)
          }
          const want = at >= 0 && at < entries.length ? hex(entries[at]![0]) + ':' + hex(entries[at]![1]) : 'invalid'
          expect(it.valid() ? hex(it.key()) + ':' + hex(it.value()) : 'invalid').toBe(want)
        }
      }),
      { seed: 403, numRuns: runs(300) },
    )
  })

  it('reports a restart point outside the entries as CORRUPTION', () => {
    const data = blockOf([[enc('a'), enc('1')], [enc('b'), enc('2')]], 1).data.slice()
    putFixed32(data, data.length - 8, 200) // restart[1] points past the entries
    const it = new BlockIter(bytewiseComparator, new Block(data, 'b.sst', 4096))
    expect(() => it.seek(enc('b'))).toThrow(/b\.sst@4096: restart point 1 lies outside the entries/)
  })

  it('reports an impossible restart count as CORRUPTION', () => {
    expect(() => new Block(Uint8Array.of(0, 0, 0, 0, 9, 0, 0, 0), 'b.sst', 0)).toThrow(/restart count 9/)
    expect(() => new Block(Uint8Array.of(1, 2), 'b.sst', 0)).toThrow(/no restart count/)
  })
})
