// An exhaustive consistency check of a skiplist, for tests and debug builds: it walks every
// level, so it costs O(n · levels). Returns a description of the first broken invariant (see
// skiplist.ts, "Invariants"), or undefined when the structure is sound.
import type { Comparator } from '../base/comparator.js'
import { HEAD, MAX_HEIGHT, NIL } from './skiplist.js'
import type { SkipList } from './skiplist.js'

export function checkSkipList(list: SkipList, compare: Comparator['compareRange']): string | undefined {
  const order = (a: number, b: number): number => {
    const aStart = list.offsetOf(a)
    const bStart = list.offsetOf(b)
    return compare(list.chunkOf(a), aStart, aStart + list.keyLengthOf(a), list.chunkOf(b), bStart, bStart + list.keyLengthOf(b))
  }
  // Level 0: order, back links, count, tail.
  const rank = new Map<number, number>()
  let before = HEAD
  for (let node = list.first(); node !== NIL; node = list.next(node)) {
    if (rank.has(node)) return `level 0 has a cycle at node ${node}`
    if (list.prev(node) !== before) return `node ${node} links back to ${list.prev(node)}, not ${before}`
    if (before !== HEAD && order(before, node) > 0) return `level 0 is out of order at node ${node}`
    rank.set(node, rank.size)
    before = node
  }
  if (rank.size !== list.count) return `level 0 holds ${rank.size} nodes, count is ${list.count}`
  if (list.last() !== before) return `tail is ${list.last()}, the last node is ${before}`
  // Higher levels: each a subsequence of level 0, in order.
  for (let level = 1; level < MAX_HEIGHT; level++) {
    let last = -1
    for (let node = list.nextAt(HEAD, level); node !== NIL; node = list.nextAt(node, level)) {
      const r = rank.get(node)
      if (r === undefined) return `level ${level} links node ${node}, which level 0 lacks`
      if (r <= last) return `level ${level} is out of order at node ${node}`
      last = r
    }
  }
  return undefined
}
