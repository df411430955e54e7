// stratadb's public surface: only what DESIGN.md's API names. Nothing else is exported.
export { StrataError } from './errors.js'
export type { StrataErrorCode } from './errors.js'
export type { Options, Compression, CompactionMode, WalRecovery } from './options.js'
export type { FileSystem, WritableFile, RandomAccessFile, FileLock } from './fs/fs.js'
