// The SSTable layer's public surface: building and reading tables, the block-cache contract,
// and whole-table verification. Format: format-spec/sstable.md.
export { TableBuilder } from './table-builder.js'
export type { TableBuilderOptions } from './table-builder.js'
export { TableReader } from './table-reader.js'
export type { BlockCache, BlockSlots, TableReaderOptions } from './table-reader.js'
export type { TableProperties } from './properties.js'
export { Block } from './block.js'
export { ReadScratch } from './block-io.js'
export { BlockArena, blockArenaLimit, BlockRecycler } from './block-arena.js'
export { verifyTable } from './verify.js'
export type { TableVerification } from './verify.js'
export { lz4Available } from './compression.js'
export { filterHash } from './hash.js'
