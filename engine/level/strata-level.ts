// StrataLevel: stratadb as an abstract-level database, so the Level ecosystem (sublevels,
// encodings, hooks, level-read-stream, ...) runs on it unchanged. Each private method of
// abstract-level's contract maps onto the synchronous engine (engine/db.ts):
//
//   _open/_close        DB.open / close, run on the calling tick; close first waits for writes
//   _get/_getSync/_getMany/_has/_hasMany
//                       db.get / db.has, on the calling tick: that is the implicit snapshot
//   _put/_del/_batch, chained batch write
//                       one WriteBatch through db.writeAsync (group commit; `sync` honoured)
//   _iterator/_keys/_values
//                       an engine iterator made on the calling tick (iterators.ts)
//   _clear              the range read at the call, deleted by batches queued on that tick
//   _snapshot           db.snapshot() (snapshot.ts)
//
// Engine errors reach callers as StrataLevelError with LEVEL_* codes (errors.ts).
import { AbstractLevel } from 'abstract-level'
import type { AbstractBatchOperation, AbstractBatchOptions, AbstractChainedBatch, AbstractDatabaseOptions, AbstractDelOptions, AbstractPutOptions } from 'abstract-level'
import { WriteBatch } from '../batch/index.js'
import { DB } from '../db.js'
import type { ReadOptions, WriteOptions } from '../db.js'
import { closed, isStrataError } from '../errors.js'
import type { Options } from '../options.js'
import { StrataChainedBatch } from './chained-batch.js'
import type { RangeOptions } from './cursor.js'
import { Cursor } from './cursor.js'
import { fromStrataError, toLevelError, translated, translatedAsync } from './errors.js'
import type { Encoded, Format } from './formats.js'
import { outputMaybe } from './formats.js'
import { StrataIterator, StrataKeyIterator, StrataValueIterator } from './iterators.js'
import type { IteratorOptions } from './iterators.js'
import { engineSnapshot, StrataSnapshot } from './snapshot.js'

/** abstract-level's options (encodings, createIfMissing, errorIfExists) and the engine's. */
export interface StrataLevelOptions<K, V> extends AbstractDatabaseOptions<K, V>, Omit<Options, 'createIfMissing' | 'errorIfExists'> {}

/** Write options of put, del and batch: abstract-level's, plus the engine's `sync`. */
export type StrataWriteOptions = WriteOptions

interface LevelReadOptions {
  keyEncoding: Format
  valueEncoding: Format
  snapshot?: unknown
}

interface Operation {
  type: 'put' | 'del'
  key: Encoded
  value?: Encoded
}

/**
 * What StrataLevel supports, for abstract-level's `db.supports` (level-supports). `getSync`
 * is newer than level-supports' type, hence the separate constant.
 */
const MANIFEST = Object.freeze({
  encodings: { buffer: true, view: true, utf8: true },
  getSync: true,
  has: true,
  implicitSnapshots: true,
  explicitSnapshots: true,
  seek: true,
  permanence: true,
  createIfMissing: true,
  errorIfExists: true,
})

/** Bytes of deletions per batch _clear submits (the group commit may still join them). */
const CLEAR_BATCH_BYTES = 4 * 1024 * 1024

export class StrataLevel<K = string, V = string> extends AbstractLevel<Encoded, K, V> {
  readonly #location: string
  #db: DB | undefined = undefined
  /** Writes handed to the engine and not yet settled; close() waits for them. */
  readonly #inFlight = new Set<Promise<void>>()
  /** Reused to build put, del and batch writes: the engine copies a batch when it is submitted. */
  readonly #scratch = new WriteBatch()

  constructor(location: string, options?: StrataLevelOptions<K, V>) {
    if (typeof location !== 'string' || location === '') {
      throw new TypeError("The first argument 'location' must be a non-empty string")
    }
    super(MANIFEST, options)
    this.#location = location
  }

  /** The directory the database lives in. */
  get location(): string {
    return this.#location
  }

  /**
   * The open engine DB underneath, for what abstract-level has no words for (stats(),
   * flush(), compactRange()). Throws LEVEL_DATABASE_NOT_OPEN unless the database is open.
   */
  get engine(): DB {
    const db = this.#db
    if (db === undefined || db.closed) throw fromStrataError(closed())
    return db
  }

  async _open(options: Options): Promise<void> {
    try {
      this.#db = DB.open(this.#location, options)
    } catch (err) {
      // abstract-level's suite, like LevelDB, says the database "exists"; the engine names the option.
      if (isStrataError(err, 'INVALID_ARGUMENT') && options.errorIfExists === true && err.message.includes('errorIfExists')) {
        throw fromStrataError(err, `${this.#location}: a database already exists here (errorIfExists is true)`)
      }
      throw toLevelError(err)
    }
  }

  async _close(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight])
    const db = this.#db
    this.#db = undefined
    if (db !== undefined) translated(() => db.close())
  }

  async _get(key: Encoded, options: LevelReadOptions): Promise<Encoded | undefined> {
    return this._getSync(key, options)
  }

  _getSync(key: Encoded, options: LevelReadOptions): Encoded | undefined {
    return translated(() => outputMaybe(this.engine.get(key, readOptions(options)), options.valueEncoding))
  }

  async _getMany(keys: readonly Encoded[], options: LevelReadOptions): Promise<Array<Encoded | undefined>> {
    return translated(() => {
      const db = this.engine
      const read = readOptions(options)
      return keys.map((key) => outputMaybe(db.get(key, read), options.valueEncoding))
    })
  }

  async _has(key: Encoded, options: LevelReadOptions): Promise<boolean> {
    return translated(() => this.engine.has(key, readOptions(options)))
  }

  async _hasMany(keys: readonly Encoded[], options: LevelReadOptions): Promise<boolean[]> {
    return translated(() => {
      const db = this.engine
      const read = readOptions(options)
      return keys.map((key) => db.has(key, read))
    })
  }

  async _put(key: Encoded, value: Encoded, options: StrataWriteOptions): Promise<void> {
    const batch = translated(() => this.#scratch.clear().put(key, value))
    return this.commit(batch, options)
  }

  async _del(key: Encoded, options: StrataWriteOptions): Promise<void> {
    const batch = translated(() => this.#scratch.clear().delete(key))
    return this.commit(batch, options)
  }

  async _batch(operations: readonly Operation[], options: StrataWriteOptions): Promise<void> {
    const batch = translated(() => {
      const b = this.#scratch.clear()
      for (const op of operations) {
        if (op.type === 'put') b.put(op.key, op.value as Encoded)
        else b.delete(op.key)
      }
      return b
    })
    return this.commit(batch, options)
  }

  _chainedBatch(): StrataChainedBatch {
    return new StrataChainedBatch(this)
  }

  _iterator(options: IteratorOptions): StrataIterator {
    return new StrataIterator(this, options)
  }

  _keys(options: RangeOptions & { keyEncoding: Format }): StrataKeyIterator {
    return new StrataKeyIterator(this, options)
  }

  _values(options: RangeOptions & { valueEncoding: Format }): StrataValueIterator {
    return new StrataValueIterator(this, options)
  }

  /**
   * Deletes the range as it is now: the keys are read on this tick and their deletions queued
   * on it too, in batches of at most CLEAR_BATCH_BYTES, so a write issued after clear() lands
   * after them and survives.
   */
  async _clear(options: RangeOptions): Promise<void> {
    const pending = translated(() => {
      const cursor = new Cursor(this.engine, options)
      const commits: Array<Promise<void>> = []
      const batch = this.#scratch.clear()
      let bytes = 0
      try {
        for (let n = 0; n !== options.limit && cursor.step(); n++) {
          const key = cursor.keyBytes()
          batch.delete(key)
          bytes += key.length + 8
          if (bytes >= CLEAR_BATCH_BYTES) {
            commits.push(this.commit(batch, {}))
            batch.clear()
            bytes = 0
          }
        }
      } finally {
        cursor.close()
      }
      if (batch.length > 0) commits.push(this.commit(batch, {}))
      return commits
    })
    await Promise.all(pending)
  }

  _snapshot(options: { owner: object }): StrataSnapshot {
    return new StrataSnapshot(translated(() => this.engine.snapshot()), options)
  }

  /**
   * Commits `batch` atomically through the engine's group commit (fdatasynced first when
   * options.sync). The engine copies the batch before this returns, so the caller may reuse it.
   * @internal Used by the chained batch.
   */
  commit(batch: WriteBatch, options: Readonly<StrataWriteOptions>): Promise<void> {
    let db: DB
    try {
      db = this.engine
    } catch (err) {
      return Promise.reject(err)
    }
    const done = translatedAsync(db.writeAsync(batch, { sync: options.sync ?? false }))
    this.#inFlight.add(done)
    const forget = (): void => {
      this.#inFlight.delete(done)
    }
    done.then(forget, forget)
    return done
  }
}

/** The engine's read options for abstract-level's (only the snapshot carries over). */
/** put, del and batch also take the engine's `sync` write option (declaration merging). */
export interface StrataLevel<K = string, V = string> {
  put(key: K, value: V): Promise<void>
  put<K2 = K, V2 = V>(key: K2, value: V2, options: AbstractPutOptions<K2, V2> & StrataWriteOptions): Promise<void>
  del(key: K): Promise<void>
  del<K2 = K>(key: K2, options: AbstractDelOptions<K2> & StrataWriteOptions): Promise<void>
  batch(operations: Array<AbstractBatchOperation<this, K, V>>): Promise<void>
  batch<K2 = K, V2 = V>(operations: Array<AbstractBatchOperation<this, K2, V2>>, options: AbstractBatchOptions<K2, V2> & StrataWriteOptions): Promise<void>
  batch(): AbstractChainedBatch<this, K, V>
}

function readOptions(options: LevelReadOptions): ReadOptions {
  const snapshot = engineSnapshot(options.snapshot)
  return snapshot === undefined ? {} : { snapshot }
}
