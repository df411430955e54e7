// The file-system layer's public surface.
export type { FileLock, FileSystem, RandomAccessFile, WritableFile } from './fs.js'
export { isNotFound } from './fs.js'
export { NodeFileSystem } from './node-fs.js'
export { MemFileSystem } from './mem-fs.js'
