// The iterator layer's public surface: merging sources, the user-facing DB iterator, bounds.
export { MergingIterator, mergeIterators } from './merging-iterator.js'
export { DBIterator } from './db-iterator.js'
export { KeyBounds, UNBOUNDED, boundsFromRange } from './bounds.js'
export type { IteratorBounds, KeyRange } from './bounds.js'
