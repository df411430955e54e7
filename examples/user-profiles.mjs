// User profiles with a unique secondary index on e-mail, kept consistent by atomic batches.
//
//   node examples/user-profiles.mjs
//
//   user/<id>        -> JSON profile { name, email }
//   by-email/<email> -> <id>
// Every change to a profile and its index entries is one WriteBatch, so a reader (or a
// recovery after a crash) never sees a profile without its index entry or a stale entry
// pointing at it. A snapshot shows a consistent view while updates go on.
import { DB, WriteBatch } from 'stratadb'
import { expectEqual, scratchDir } from './check.mjs'

class Profiles {
  constructor(db) {
    this.db = db
  }

  get(id, options) {
    const raw = this.db.get(`user/${id}`, options)
    return raw === undefined ? undefined : JSON.parse(raw.toString('utf8'))
  }

  findByEmail(email, options) {
    const id = this.db.get(`by-email/${email.toLowerCase()}`, options)
    return id === undefined ? undefined : this.get(id.toString('utf8'), options)
  }

  /** Creates or updates a profile; refuses an e-mail another user has. */
  save(id, profile) {
    const email = profile.email.toLowerCase()
    const owner = this.db.get(`by-email/${email}`)
    if (owner !== undefined && owner.toString('utf8') !== id) throw new Error(`e-mail ${email} belongs to ${owner}`)
    const old = this.get(id)
    const batch = new WriteBatch()
    if (old !== undefined && old.email.toLowerCase() !== email) batch.delete(`by-email/${old.email.toLowerCase()}`)
    batch.put(`by-email/${email}`, id).put(`user/${id}`, JSON.stringify({ ...profile, email }))
    this.db.write(batch, { sync: true })
  }

  remove(id) {
    const old = this.get(id)
    if (old === undefined) return
    this.db.write(new WriteBatch().delete(`user/${id}`).delete(`by-email/${old.email}`), { sync: true })
  }

  /** Index entries and profiles, checked against each other. */
  consistent() {
    const emails = new Map()
    for (const [k, v] of this.db.iterator({ gte: 'by-email/', lt: 'by-email0' })) emails.set(k.toString('utf8').slice(9), v.toString('utf8'))
    let users = 0
    for (const [k, v] of this.db.iterator({ gte: 'user/', lt: 'user0' })) {
      users++
      const id = k.toString('utf8').slice(5)
      if (emails.get(JSON.parse(v.toString('utf8')).email) !== id) return false
    }
    return users === emails.size
  }
}

const dir = scratchDir('profiles')
let db = DB.open(dir)
let profiles = new Profiles(db)

console.log('user profiles:')
profiles.save('u1', { name: 'Ada', email: 'ada@example.org' })
profiles.save('u2', { name: 'Grace', email: 'Grace@Example.org' })
profiles.save('u3', { name: 'Edsger', email: 'ed@example.org' })
expectEqual(profiles.findByEmail('GRACE@example.org')?.name, 'Grace', 'lookup by e-mail, case-insensitive')

const before = db.snapshot()
profiles.save('u1', { name: 'Ada Lovelace', email: 'ada@analytical.engine' })
expectEqual(profiles.findByEmail('ada@example.org'), undefined, 'the old e-mail no longer finds anyone')
expectEqual(profiles.findByEmail('ada@analytical.engine')?.name, 'Ada Lovelace', 'the new e-mail does')
expectEqual(profiles.findByEmail('ada@example.org', { snapshot: before })?.name, 'Ada', 'a snapshot still sees the old profile and index')
before.release()

let refused = ''
try {
  profiles.save('u3', { name: 'Edsger', email: 'grace@example.org' })
} catch (err) {
  refused = err.message
}
expectEqual(refused, 'e-mail grace@example.org belongs to u2', 'a taken e-mail is refused')
expectEqual(profiles.get('u3').email, 'ed@example.org', 'and the refused update changed nothing')

profiles.remove('u2')
expectEqual(profiles.findByEmail('grace@example.org'), undefined, 'removing a user removes its index entry')
for (let i = 0; i < 200; i++) profiles.save(`bulk${i}`, { name: `User ${i}`, email: `user${i % 100}.${i}@example.org` })
expectEqual(profiles.consistent(), true, 'every profile has exactly its index entry')

db.close()
db = DB.open(dir)
profiles = new Profiles(db)
expectEqual(profiles.consistent(), true, 'still consistent after reopening')
expectEqual(profiles.findByEmail('user57.157@example.org')?.name, 'User 157', 'index lookups after reopening')
db.close()
console.log('user profiles: all checks passed')
