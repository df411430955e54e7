// The cache layer's public surface: one export line per module of the folder.
export { LruCache } from './lru-cache.js'
export type { LruCacheOptions } from './lru-cache.js'
export { TableCache } from './table-cache.js'
export type { TableHandle } from './table-cache.js'
