// Opening a database for a strata command: an existing one only (a mistyped DIR is an error,
// not a new database), except for `put`; compaction runs inline, since a one-shot command has
// no use for a worker thread.
import { DB } from '../engine/db.js'

export function openExisting(dir: string): DB {
  return DB.open(dir, { createIfMissing: false, compaction: 'inline' })
}

export function openOrCreate(dir: string): DB {
  return DB.open(dir, { compaction: 'inline' })
}

/** Runs `fn` on the open database and closes it, also when `fn` throws. */
export function withDb<T>(db: DB, fn: (db: DB) => T): T {
  try {
    return fn(db)
  } finally {
    db.close()
  }
}
