// The memtable layer's public surface: the in-memory table of newest writes and its iterator.
export { MemTable } from './memtable.js'
export type { LookupResult, LookupStatus, MemTableOptions, SharedMemTable } from './memtable.js'
export { MemTableIterator } from './iterator.js'
export { memtablePoolCapacity, SharedBufferPool } from './buffer-pool.js'
