// The version layer's public surface: files per level, edits, the MANIFEST.
export type { FileMetaData } from './file-metadata.js'
export { NUM_LEVELS } from './format.js'
export { Version } from './version.js'
export { VersionEdit } from './version-edit.js'
export { setCurrentFile, VersionSet } from './version-set.js'
export type { VersionSetOptions } from './version-set.js'
export { LevelIterator } from './level-iterator.js'
export type { TableOpener } from './level-iterator.js'
