// The settings every engine runs with (the same on both, as the issue asks), their defaults with
// units, and db_bench's shape parameters (batch size, writers, entries read after a seek).

const KiB = 1024
const MiB = 1024 * KiB

export interface BenchSettings {
  /** Entries in the database (db_bench --num). */
  readonly num: number
  /** Operations of readrandom, readmissing and seekrandom (db_bench --reads). */
  readonly reads: number
  /** Bytes per value (db_bench --value_size). Keys are always 16 bytes. */
  readonly valueSize: number
  /** Fraction of each value that is random; the rest repeats it (db_bench --compression_ratio). */
  readonly valueCompressionRatio: number
  /** Memtable / write buffer bytes (stratadb memtableSize, LevelDB writeBufferSize). */
  readonly writeBufferBytes: number
  /** Target data block bytes, before compression. */
  readonly blockSize: number
  /** Bloom filter bits per key (stratadb; classic-level fixes LevelDB's at 10, with no option). */
  readonly bloomBitsPerKey: number
  /** Block cache bytes (stratadb blockCacheSize, LevelDB cacheSize). */
  readonly cacheBytes: number
  readonly maxOpenFiles: number
  /** Block compression on (stratadb lz4, LevelDB Snappy). */
  readonly compression: boolean
  /** Entries per batch in fillbatch (db_bench --batch_size default for fillbatch). */
  readonly batchSize: number
  /** Concurrent sync writers in sync-x64. */
  readonly writers: number
  /** Entries read after each seek in seekrandom. */
  readonly seekNexts: number
  /** Seed of every key order and of the value pool. */
  readonly seed: number
  /** stratadb's `compaction` option; 'default' leaves the engine's default. */
  readonly strataCompaction: StrataCompaction
}

export type StrataCompaction = 'default' | 'worker' | 'inline'
export const STRATA_COMPACTION_MODES: readonly StrataCompaction[] = ['default', 'worker', 'inline']

export const DEFAULT_SETTINGS: BenchSettings = Object.freeze({
  num: 1_000_000,
  reads: 1_000_000,
  valueSize: 100,
  valueCompressionRatio: 0.5,
  writeBufferBytes: 4 * MiB,
  blockSize: 4 * KiB,
  bloomBitsPerKey: 10,
  cacheBytes: 32 * MiB,
  maxOpenFiles: 500,
  compression: true,
  batchSize: 1000,
  writers: 64,
  seekNexts: 10,
  seed: 301,
  strataCompaction: 'default',
})

/** Entries --quick runs with. */
export const QUICK_NUM = 100_000
/** Random reads --quick runs with: a tenth of the entries, so that it ends within a minute. */
export const QUICK_READS = QUICK_NUM / 10

export { KiB, MiB }
