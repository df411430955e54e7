// StrataChainedBatch: abstract-level's chained batch (db.batch() with no arguments) built
// straight into an engine WriteBatch: each put/del is encoded into the batch's buffer as it is
// added, and write() commits the whole batch atomically through the database's group commit.
import { AbstractChainedBatch } from 'abstract-level'
import { WriteBatch } from '../batch/index.js'
import { translated } from './errors.js'
import type { Encoded } from './formats.js'
import type { WriteOptions } from '../db.js'

/** The database side a chained batch needs: committing an engine batch. */
export interface BatchTarget {
  commit(batch: WriteBatch, options: Readonly<WriteOptions>): Promise<void>
}

export class StrataChainedBatch extends AbstractChainedBatch<BatchTarget, Encoded, Encoded> {
  private readonly batch = new WriteBatch()

  constructor(db: BatchTarget) {
    super(db)
  }

  _put(key: Encoded, value: Encoded): void {
    translated(() => this.batch.put(key, value))
  }

  _del(key: Encoded): void {
    translated(() => this.batch.delete(key))
  }

  _clear(): void {
    this.batch.clear()
  }

  async _write(options: Readonly<WriteOptions>): Promise<void> {
    await this.db.commit(this.batch, options)
  }

  async _close(): Promise<void> {
    this.batch.clear()
  }
}
