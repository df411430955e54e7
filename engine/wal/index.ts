// The write-ahead log layer's public surface: framing records into 32 KiB blocks (LogWriter)
// and reading them back with a recovery mode (LogReader). Format: format-spec/wal.md.
export { LogWriter } from './writer.js'
export { LogReader } from './reader.js'
export type { DroppedRegion, LogReaderOptions, WalReadMode } from './reader.js'
export { BLOCK_SIZE, HEADER_SIZE } from './format.js'
