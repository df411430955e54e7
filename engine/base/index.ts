// The base layer's public surface: bytes, coding, checksums, keys, comparators, iterators.
export * from './bytes.js'
export * from './coding.js'
export * from './crc.js'
export * from './internal-key.js'
export * from './comparator.js'
export type { EntryRanges, EntrySpan, InternalIterator } from './internal-iterator.js'
export { hasEntryRanges, newEntrySpan } from './internal-iterator.js'
export * from './filenames.js'
