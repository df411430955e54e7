// Options: every knob DESIGN.md names, its default with units, and validation at open.
// Tuned defaults follow LevelDB's; later benchmarks that retune one cite themselves here.
import { invalidArgument } from './errors.js'
import type { FileSystem } from './fs/fs.js'
import { NodeFileSystem } from './fs/node-fs.js'

export type Compression = 'lz4' | 'none'
export type CompactionMode = 'worker' | 'inline'
/** What WAL replay does with damage before the torn tail of the last log. */
export type WalRecovery = 'tolerate-torn-tail' | 'skip-corrupted' | 'absolute'

export interface Options {
  createIfMissing?: boolean
  errorIfExists?: boolean
  /** Bytes of memtable before it is frozen and flushed to L0. */
  memtableSize?: number
  /** Target uncompressed bytes per SSTable data block. */
  blockSize?: number
  /** Keys between restart points in a block. */
  blockRestartInterval?: number
  /** Bloom filter bits per key; 0 disables filters. */
  bloomBitsPerKey?: number
  compression?: Compression
  /** Bytes of decoded blocks the block cache may hold. */
  blockCacheSize?: number
  /** Open SSTable readers the table cache may hold. */
  maxOpenFiles?: number
  /** Bytes after which a compaction output file is cut. */
  targetFileSize?: number
  levelSizeMultiplier?: number
  l0CompactionTrigger?: number
  l0SlowdownTrigger?: number
  l0StopTrigger?: number
  /** Verify every block checksum on every read, and fail open on any WAL damage. */
  paranoidChecks?: boolean
  compaction?: CompactionMode
  /** How WAL replay treats damage; see SPEC.md, "Recovery". */
  walRecovery?: WalRecovery
  fs?: FileSystem
}

export type ResolvedOptions = Required<Options>

const KiB = 1024
const MiB = 1024 * KiB

export const DEFAULTS: Readonly<Omit<ResolvedOptions, 'fs'>> = Object.freeze({
  createIfMissing: true,
  errorIfExists: false,
  memtableSize: 4 * MiB,
  blockSize: 4 * KiB,
  blockRestartInterval: 16,
  bloomBitsPerKey: 10,
  compression: 'lz4',
  blockCacheSize: 32 * MiB,
  maxOpenFiles: 500,
  targetFileSize: 2 * MiB,
  levelSizeMultiplier: 10,
  l0CompactionTrigger: 4,
  l0SlowdownTrigger: 8,
  l0StopTrigger: 12,
  paranoidChecks: false,
  compaction: 'worker',
  walRecovery: 'tolerate-torn-tail',
})

type IntRule = readonly [name: keyof Options, min: number, max: number]
const INT_RULES: readonly IntRule[] = [
  ['memtableSize', 1 * KiB, 1024 * MiB],
  ['blockSize', 64, 64 * MiB],
  ['blockRestartInterval', 1, 65536],
  ['bloomBitsPerKey', 0, 64],
  ['blockCacheSize', 0, 2 ** 40],
  ['maxOpenFiles', 16, 1_000_000],
  ['targetFileSize', 1 * KiB, 2 ** 40],
  ['levelSizeMultiplier', 2, 1000],
  ['l0CompactionTrigger', 1, 1000],
  ['l0SlowdownTrigger', 1, 1000],
  ['l0StopTrigger', 1, 1000],
]

/** Fills defaults and validates; throws INVALID_ARGUMENT naming the bad option. */
export function resolveOptions(options: Options | undefined): ResolvedOptions {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw invalidArgument('options must be an object')
  }
  const o: ResolvedOptions = { ...DEFAULTS, fs: new NodeFileSystem() }
  for (const [key, value] of Object.entries(options ?? {})) {
    if (value === undefined) continue
    if (!(key in o)) continue // unknown keys are ignored, as abstract-level passes its own
    ;(o as Record<string, unknown>)[key] = value
  }
  for (const [name, min, max] of INT_RULES) {
    const v = o[name]
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      throw invalidArgument(`option ${name} must be an integer from ${min} to ${max}, got ${String(v)}`)
    }
  }
  for (const name of ['createIfMissing', 'errorIfExists', 'paranoidChecks'] as const) {
    if (typeof o[name] !== 'boolean') throw invalidArgument(`option ${name} must be a boolean`)
  }
  oneOf('compression', o.compression, ['lz4', 'none'])
  oneOf('compaction', o.compaction, ['worker', 'inline'])
  oneOf('walRecovery', o.walRecovery, ['tolerate-torn-tail', 'skip-corrupted', 'absolute'])
  if (!(o.l0CompactionTrigger <= o.l0SlowdownTrigger && o.l0SlowdownTrigger <= o.l0StopTrigger)) {
    throw invalidArgument('options must satisfy l0CompactionTrigger <= l0SlowdownTrigger <= l0StopTrigger')
  }
  if (typeof o.fs !== 'object' || o.fs === null || typeof o.fs.create !== 'function') {
    throw invalidArgument('option fs must implement the FileSystem interface')
  }
  return o
}

function oneOf(name: string, value: unknown, allowed: readonly string[]): void {
  if (!allowed.includes(value as string)) {
    throw invalidArgument(`option ${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}`)
  }
}
