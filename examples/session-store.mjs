// A session store with expiring sessions, on the synchronous DB API.
//
//   node examples/session-store.mjs
//
// Each session is two entries written in one atomic batch:
//   session/<id>                      -> JSON { user, expiresAt }
//   expiry/<expiresAt, 13 digits>/<id> -> '' (a secondary key ordered by expiry time)
// Renewing a session moves its expiry key in the same batch that updates the session. The
// sweeper scans expiry/ up to "now" in key order (so oldest first) and deletes both entries of
// every session it finds there, in batches, stopping at the first key that has not expired.
import { DB, WriteBatch } from 'stratadb'
import { expectEqual, scratchDir } from './check.mjs'

const pad = (ms) => String(ms).padStart(13, '0')
const sessionKey = (id) => `session/${id}`
const expiryKey = (expiresAt, id) => `expiry/${pad(expiresAt)}/${id}`

class SessionStore {
  constructor(db) {
    this.db = db
  }

  create(id, user, now, ttlMs) {
    const expiresAt = now + ttlMs
    this.db.write(new WriteBatch().put(sessionKey(id), JSON.stringify({ user, expiresAt })).put(expiryKey(expiresAt, id), ''))
  }

  /** The session's user, or undefined when there is none or it has expired. */
  get(id, now) {
    const raw = this.db.get(sessionKey(id))
    if (raw === undefined) return undefined
    const session = JSON.parse(raw.toString('utf8'))
    return session.expiresAt > now ? session.user : undefined
  }

  /** Extends a live session: the session and its expiry key change in one atomic batch. */
  renew(id, now, ttlMs) {
    const raw = this.db.get(sessionKey(id))
    if (raw === undefined) return false
    const session = JSON.parse(raw.toString('utf8'))
    if (session.expiresAt <= now) return false
    const expiresAt = now + ttlMs
    const batch = new WriteBatch()
      .delete(expiryKey(session.expiresAt, id))
      .put(expiryKey(expiresAt, id), '')
      .put(sessionKey(id), JSON.stringify({ ...session, expiresAt }))
    this.db.write(batch)
    return true
  }

  /** Deletes every session that expired at or before `now`; returns their ids, oldest first. */
  sweep(now, batchSize = 100) {
    const swept = []
    let batch = new WriteBatch()
    const it = this.db.iterator({ gte: 'expiry/', lt: `expiry/${pad(now + 1)}` })
    try {
      for (const [key] of it) {
        const id = key.toString('utf8').split('/')[2]
        batch.delete(key).delete(sessionKey(id))
        swept.push(id)
        if (batch.length >= batchSize * 2) {
          this.db.write(batch)
          batch = new WriteBatch()
        }
      }
    } finally {
      it.close()
    }
    if (batch.length > 0) this.db.write(batch)
    return swept
  }

  /** Every (session, expiry key) pair must match one to one. */
  checkIndex() {
    const sessions = new Map()
    for (const [k, v] of this.db.iterator({ gte: 'session/', lt: 'session0' })) {
      sessions.set(k.toString('utf8').slice('session/'.length), JSON.parse(v.toString('utf8')).expiresAt)
    }
    const indexed = new Map()
    for (const [k] of this.db.iterator({ gte: 'expiry/', lt: 'expiry0' })) {
      const [, at, id] = k.toString('utf8').split('/')
      indexed.set(id, Number(at))
    }
    return [...sessions].sort().join() === [...indexed].sort().join()
  }
}

const dir = scratchDir('sessions')
const db = DB.open(dir)
const store = new SessionStore(db)
const t0 = 1_700_000_000_000 // a fixed clock, so the run is the same every time
const minute = 60_000

console.log('session store:')
for (let i = 0; i < 300; i++) store.create(`s${String(i).padStart(3, '0')}`, `user${i % 7}`, t0, (1 + (i % 30)) * minute)
expectEqual(store.get('s005', t0), 'user5', 'a new session is live')
expectEqual(store.renew('s000', t0 + 30_000, 60 * minute), true, 'renewing a live session')
expectEqual(store.get('s000', t0 + 10 * minute), 'user0', 'a renewed session outlives its first expiry')

const swept = store.sweep(t0 + 10 * minute)
// Sessions with ttl 1..10 minutes expire by then: i % 30 in 0..9, 10 of every 30, minus s000.
expectEqual(swept.length, 99, 'the sweeper removes every session expired by now')
expectEqual(swept.slice(0, 3), ['s030', 's060', 's090'], 'oldest expiries are swept first')
expectEqual(store.get('s001', t0 + 10 * minute), undefined, 'a swept session is gone')
expectEqual(store.get('s010', t0 + 10 * minute), 'user3', 'an unexpired session stays')
expectEqual(store.checkIndex(), true, 'sessions and expiry keys match one to one')

db.close()
const reopened = DB.open(dir)
const again = new SessionStore(reopened)
expectEqual(again.sweep(t0 + 10 * minute), [], 'after reopening nothing expired is left')
expectEqual(again.sweep(t0 + 61 * minute).length, 201, 'later, everything expires')
expectEqual(again.checkIndex(), true, 'the index is still consistent')
reopened.close()
console.log('session store: all checks passed')
