// The cache layer's public surface: one export line per module of the folder.
export { ClockCache, TableSlots } from './clock-cache.js'
export type { ClockCacheOptions } from './clock-cache.js'
export { TableCache } from './table-cache.js'
export type { TableHandle } from './table-cache.js'
