// Searches over internal keys: BlockIter.seek's shared-prefix compares and TableIndex.find's
// word search must land where a plain lower bound under the internal-key comparator lands, for
// keys with long shared prefixes, several versions of one user key, prefixes of other keys and
// targets between, before and after them all.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { bytewiseComparator, internalKeyComparator, type Comparator } from '../../engine/base/comparator.js'
import { KIND_DELETION, KIND_VALUE, makeInternalKey } from '../../engine/base/internal-key.js'
import { Block } from '../../engine/sstable/block.js'
import { BlockBuilder } from '../../engine/sstable/block-builder.js'
import { BlockIter } from '../../engine/sstable/block-iter.js'
import { TableIndex } from '../../engine/sstable/table-index.js'
import { runs } from './arbitraries.js'
import { hex } from './helpers.js'

const icmp = internalKeyComparator(bytewiseComparator)
/** The same order with no bytewiseTrailer: searches fall back to full compares. */
const opaque: Comparator = Object.freeze({
  name: icmp.name,
  compareRange: icmp.compareRange,
  compare: icmp.compare,
  findShortestSeparator: icmp.findShortestSeparator,
  findShortSuccessor: icmp.findShortSuccessor,
})

// User keys from a small alphabet over a long common stem, so that keys share long prefixes,
// are prefixes of each other, and collide with targets.
const STEM = [0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30]
const userKeyArb = fc.tuple(fc.integer({ min: 0, max: STEM.length }), fc.array(fc.constantFrom(0x00, 0x30, 0x31, 0x39, 0xff), { maxLength: 6 }))
  .map(([n, tail]) => Uint8Array.from([...STEM.slice(0, n), ...tail]))
const sequenceArb = fc.oneof(fc.integer({ min: 0, max: 300 }), fc.constant(2 ** 40 + 3), fc.constant(Number.MAX_SAFE_INTEGER >> 8))
const internalKeyArb = fc.tuple(userKeyArb, sequenceArb, fc.constantFrom(KIND_VALUE, KIND_DELETION))
  .map(([u, s, k]) => makeInternalKey(u, s, k))

const sortedKeysArb = fc.uniqueArray(internalKeyArb, { maxLength: 80, selector: hex })
  .map((keys) => keys.sort((a, b) => icmp.compare(a, b)))

function lowerBound(keys: readonly Uint8Array[], target: Uint8Array): number {
  let i = 0
  while (i < keys.length && icmp.compare(keys[i]!, target) < 0) i++
  return i
}

function blockOf(keys: readonly Uint8Array[], interval: number): Block {
  const b = new BlockBuilder(interval, 16)
  keys.forEach((k, i) => b.add(k, Uint8Array.of(i & 0xff, i >> 8)))
  return new Block(b.finish().slice(), 'b.sst', 0)
}

describe('searches over internal keys', () => {
  it('BlockIter.seek lands on the lower bound at any restart interval', () => {
    fc.assert(
      fc.property(sortedKeysArb, fc.integer({ min: 1, max: 20 }), fc.array(internalKeyArb, { maxLength: 20 }), (keys, interval, targets) => {
        const block = blockOf(keys, interval)
        const fast = new BlockIter(icmp, block)
        const slow = new BlockIter(opaque, block)
        for (const t of [...targets, ...keys]) {
          const want = lowerBound(keys, t)
          fast.seek(t)
          slow.seek(t)
          expect(fast.valid() ? hex(fast.key()) : 'end').toBe(want < keys.length ? hex(keys[want]!) : 'end')
          expect(slow.valid() ? hex(slow.key()) : 'end').toBe(want < keys.length ? hex(keys[want]!) : 'end')
        }
      }),
      { seed: 811, numRuns: runs(300) },
    )
  })

  it('TableIndex.find returns the first separator >= target, with a short-successor last separator or not', () => {
    const successorArb = fc.boolean()
    fc.assert(
      fc.property(sortedKeysArb, successorArb, fc.array(internalKeyArb, { maxLength: 20 }), (keys, successor, targets) => {
        const separators = [...keys]
        // What a table builder ends its index with: a short successor of the largest key.
        if (successor && keys.length > 0) separators.push(icmp.findShortSuccessor(keys[keys.length - 1]!))
        const sorted = separators.filter((k, i) => i === 0 || icmp.compare(separators[i - 1]!, k) < 0)
        const block = blockOf(sorted, 1)
        const fast = TableIndex.decode(block, icmp)
        const slow = TableIndex.decode(block, opaque)
        expect(fast.count).toBe(sorted.length)
        for (const t of [...targets, ...sorted]) {
          const want = lowerBound(sorted, t)
          expect(fast.find(t)).toBe(want)
          expect(slow.find(t)).toBe(want)
        }
        sorted.forEach((k, i) => expect(hex(fast.key(i))).toBe(hex(k)))
      }),
      { seed: 812, numRuns: runs(300) },
    )
  })
})
