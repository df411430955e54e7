// strata dump sst / wal / manifest on the files of a real database: human-readable and
// --json, damage shown in place (WAL) or reported as CORRUPTION (table).
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DB } from '../../engine/index.js'
import { buildDb, filesEnding, flipByte, key } from './fixtures.js'
import { jsonLines, lines, oneLineError, strata } from './helpers.js'

let root: string
let dir: string
const COUNT = 600
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-cli-dump-'))
  dir = path.join(root, 'db')
  buildDb(dir, COUNT)
})
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true })
})

interface Entry {
  type: string
  key?: unknown
  sequence?: number
  kind?: string
  value?: unknown
}

describe('strata dump sst', () => {
  it('prints the properties, then every entry as key @sequence kind TAB value', () => {
    const table = filesEnding(dir, '.sst')[0]!
    const r = strata('dump', 'sst', path.join(dir, table))
    expect(r.status).toBe(0)
    const out = lines(r.stdout)
    expect(out[0]).toMatch(new RegExp(`^${table}: (\\d+) entries in \\d+ data blocks, `))
    const entries = Number(/: (\d+) entries/.exec(out[0]!)![1])
    const listed = out.slice(out.indexOf('entries:') + 1)
    expect(listed).toHaveLength(entries)
    expect(listed[0]).toMatch(new RegExp(`^  ${key(0)} @1 put\tvalue-0$`))
    expect(r.stdout).toMatch(/^ {2}comparatorName +stratadb\.InternalKeyComparator:leveldb\.BytewiseComparator$/m)
  })

  it('prints JSON lines: the properties, then one object per entry', () => {
    const table = filesEnding(dir, '.sst')[0]!
    const [props, ...entries] = jsonLines(strata('dump', 'sst', path.join(dir, table), '--json').stdout) as Array<Entry & { numEntries?: number }>
    expect(props!.type).toBe('properties')
    expect(entries).toHaveLength(props!.numEntries!)
    expect(entries[0]).toEqual({ type: 'entry', key: key(0), sequence: 1, kind: 'put', value: 'value-0' })
  })

  it('fails with CORRUPTION on a damaged table', () => {
    const table = path.join(root, 'bad.sst')
    fs.copyFileSync(path.join(dir, filesEnding(dir, '.sst')[0]!), table)
    flipByte(table, 5)
    oneLineError(strata('dump', 'sst', table), 'CORRUPTION')
  })
})

describe('strata dump wal', () => {
  it('prints each record with its offset, sequence and operations', () => {
    const log = path.join(dir, filesEnding(dir, '.log')[0]!)
    const out = lines(strata('dump', 'wal', log).stdout)
    expect(out[1]).toBe(`@0: batch of 1 at sequence ${COUNT + 1}`)
    expect(out[2]).toBe('  put wal-0\tin the log 0')
    const records = jsonLines(strata('dump', 'wal', log, '--json').stdout) as Array<{ type: string; ops: unknown[] }>
    expect(records).toHaveLength(10)
    expect(records[9]).toEqual({ type: 'record', offset: expect.any(Number), sequence: COUNT + 10, ops: [{ type: 'put', key: 'wal-9', value: 'in the log 9' }] })
  })

  it('shows a damaged region in place and the records after it', () => {
    // Ten 8 KiB records span three 32 KiB blocks; a bad checksum costs the rest of its block.
    const logDir = path.join(root, 'big-log')
    const db = DB.open(logDir, { compaction: 'inline' })
    for (let j = 0; j < 10; j++) db.put(`big-${j}`, 'x'.repeat(8192))
    db.close()
    const log = path.join(logDir, filesEnding(logDir, '.log')[0]!)
    flipByte(log, 8300) // inside the second record
    const r = strata('dump', 'wal', log, '--json')
    expect(r.status).toBe(0)
    const items = jsonLines(r.stdout) as Array<{ type: string; reason?: string; ops?: Array<{ key: string }> }>
    expect(items.slice(0, 2).map((i) => i.type)).toEqual(['record', 'dropped'])
    expect(items[1]!.reason).toBe('chunk checksum mismatch')
    const after = items.slice(2).filter((i) => i.type === 'record')
    expect(after.length).toBeGreaterThanOrEqual(4)
    expect(after.at(-1)!.ops).toEqual([{ type: 'put', key: 'big-9', value: 'x'.repeat(8192) }])
    expect(strata('dump', 'wal', log).stdout).toMatch(/^! @8\d{3}: \d+ bytes dropped: chunk checksum mismatch$/m)
  })
})

describe('strata dump manifest', () => {
  it('prints every version edit and the version they add up to, from DIR or the file', () => {
    const r = strata('dump', 'manifest', dir)
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/^ {2}comparator leveldb\.BytewiseComparator$/m)
    expect(r.stdout).toMatch(/^ {2}add L0 \d+, \d+ bytes, key00000 @1 put \.\. key\d+ @\d+ put$/m)
    expect(r.stdout).toMatch(/^version: log number \d+, next file \d+, last sequence \d+, comparator leveldb\.BytewiseComparator$/m)
    const manifest = filesEnding(dir, '').find((n) => n.startsWith('MANIFEST-'))!
    const items = jsonLines(strata('dump', 'manifest', path.join(dir, manifest), '--json').stdout) as Array<{ type: string; levels?: Array<Array<{ number: number }>> }>
    const version = items.at(-1)!
    expect(version.type).toBe('version')
    const tables = filesEnding(dir, '.sst').map((n) => Number(n.slice(0, 6)))
    expect(version.levels!.flat().map((f) => f.number).sort((a, b) => a - b)).toEqual(tables)
  })

  it('says what to dump when the kind is missing or wrong', () => {
    const r = strata('dump', 'table', 'x')
    expect(r.status).toBe(2)
    expect(lines(r.stderr)[0]).toBe('strata dump: dump needs sst, wal or manifest, got "table"')
  })
})
