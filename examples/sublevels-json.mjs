// Sublevels and JSON encoding through StrataLevel, stratadb's abstract-level database: the
// same code that runs on classic-level or memory-level runs here unchanged.
//
//   node examples/sublevels-json.mjs
//
// Two sublevels share one database: books (JSON values) and an author index. One batch on the
// root writes to both atomically; each sublevel iterates only its own keys. Reads use the
// implicit snapshot of an iterator and an explicit db.snapshot(); `sync: true` makes a write
// durable against power loss before its promise resolves.
import { StrataLevel } from 'stratadb'
import { expectEqual, scratchDir } from './check.mjs'

const dir = scratchDir('sublevels')
const db = new StrataLevel(dir, { valueEncoding: 'json' })
const books = db.sublevel('books', { valueEncoding: 'json' })
const byAuthor = db.sublevel('by-author', { valueEncoding: 'utf8' })

async function addBook(isbn, book) {
  await db.batch([
    { type: 'put', sublevel: books, key: isbn, value: book },
    { type: 'put', sublevel: byAuthor, key: `${book.author}!${isbn}`, value: isbn },
  ], { sync: true })
}

console.log('sublevels and JSON:')
await addBook('9780262510875', { title: 'Structure and Interpretation of Computer Programs', author: 'Abelson', year: 1985 })
await addBook('9780201896831', { title: 'The Art of Computer Programming, Vol. 1', author: 'Knuth', year: 1968 })
await addBook('9780201896848', { title: 'The Art of Computer Programming, Vol. 2', author: 'Knuth', year: 1969 })
await addBook('9780131103627', { title: 'The C Programming Language', author: 'Kernighan', year: 1978 })

expectEqual(await books.get('9780131103627'), { title: 'The C Programming Language', author: 'Kernighan', year: 1978 }, 'JSON values come back as objects')
expectEqual(books.getSync('9780201896831').year, 1968, 'getSync reads without a promise')

const knuth = await byAuthor.values({ gte: 'Knuth!', lt: 'Knuth!\uffff' }).all()
const titles = (await books.getMany(knuth)).map((b) => b.title)
expectEqual(titles, ['The Art of Computer Programming, Vol. 1', 'The Art of Computer Programming, Vol. 2'], 'an index range, then the books it names')
expectEqual((await books.keys().all()).length, 4, 'a sublevel sees only its own keys')
expectEqual((await db.keys({ limit: 1 }).all())[0], '!books!9780131103627', 'the root sees the prefixed keys')

const iterator = books.iterator() // its snapshot is taken now
const snapshot = db.snapshot()
await books.del('9780131103627')
expectEqual((await iterator.all()).length, 4, 'an open iterator does not see a later delete')
expectEqual((await books.get('9780131103627', { snapshot }))?.year, 1978, 'an explicit snapshot still has the book')
expectEqual(await books.get('9780131103627'), undefined, 'the database itself no longer does')
await snapshot.close()

const recent = []
for await (const [isbn, book] of books.iterator({ reverse: true })) {
  if (book.year > 1965) recent.push(`${book.year} ${isbn}`)
}
expectEqual(recent, ['1985 9780262510875', '1969 9780201896848', '1968 9780201896831'], 'for await...of, in reverse key order')

await byAuthor.clear({ gte: 'Kernighan!', lt: 'Kernighan!\uffff' })
expectEqual(await byAuthor.keys().all(), ['Abelson!9780262510875', 'Knuth!9780201896831', 'Knuth!9780201896848'], 'clear() over a range')
await db.close()

const reopened = new StrataLevel(dir, { valueEncoding: 'json' })
expectEqual((await reopened.sublevel('books', { valueEncoding: 'json' }).get('9780262510875')).author, 'Abelson', 'everything is there after reopening')
await reopened.close()
console.log('sublevels and JSON: all checks passed')
