// strata stats / compact / verify on real database directories: output, --json, exit
// statuses, damage found, LOCKED while open, and quiet progress when piped.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DB } from '../../engine/index.js'
import { buildDb, copyDir, filesEnding, flipByte, key, MANY_L0 } from './fixtures.js'
import { lines, oneLineError, strata } from './helpers.js'

let root: string
let dir: string
let tables: number
const COUNT = 2000
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-cli-admin-'))
  dir = path.join(root, 'db')
  tables = buildDb(dir, COUNT).tables
})
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true })
})

interface Shape {
  files: number
  bytes: number
  levels: number[]
}

describe('strata verify', () => {
  it('checks the MANIFEST, every table and the WAL of a sound database', () => {
    const r = strata('verify', dir)
    expect(r.status).toBe(0)
    expect(r.stderr).toBe('') // piped: no progress bar
    const out = lines(r.stdout)
    expect(out[0]).toMatch(/^ok {7}MANIFEST-\d{6} +\d+ edits$/)
    expect(out.filter((l) => /^ok {7}\d{6}\.sst +\d+ entries in \d+ blocks/.test(l))).toHaveLength(tables)
    expect(out.filter((l) => /^ok {7}\d{6}\.log +10 records, 10 operations$/.test(l))).toHaveLength(1)
    expect(out[out.length - 1]).toMatch(new RegExp(`^verified ${tables + 2} files \\(.*\\): no damage$`))
    const json = JSON.parse(strata('verify', dir, '--json').stdout) as { ok: boolean; files: Array<{ kind: string; ok: boolean }> }
    expect(json.ok).toBe(true)
    expect(json.files.filter((f) => f.kind === 'table')).toHaveLength(tables)
  })

  it('reports a flipped byte in a table as CORRUPTION, naming the file, exit status 2', () => {
    const copy = path.join(root, 'damaged-table')
    copyDir(dir, copy)
    const victim = filesEnding(copy, '.sst')[1]!
    flipByte(path.join(copy, victim), 30)
    const r = strata('verify', copy)
    const err = oneLineError(r, 'CORRUPTION')
    expect(err).toContain(`first: ${victim}`)
    expect(lines(r.stdout).filter((l) => l.startsWith('DAMAGED'))).toEqual([expect.stringMatching(new RegExp(`^DAMAGED  ${victim} +CORRUPTION: ${victim}@\\d+: `))])
    expect(lines(r.stdout).at(-1)).toBe(`1 of ${tables + 2} files damaged`)
  })

  it('reports damage before the end of the WAL as CORRUPTION', () => {
    const copy = path.join(root, 'damaged-log')
    copyDir(dir, copy)
    const log = filesEnding(copy, '.log')[0]!
    flipByte(path.join(copy, log), 10) // inside the first of ten records
    const r = strata('verify', copy)
    oneLineError(r, 'CORRUPTION')
    expect(r.stdout).toMatch(new RegExp(`DAMAGED  ${log} +CORRUPTION: ${log}@0: chunk checksum mismatch`))
  })

  it('refuses a database another process has open (LOCKED) and a directory without one', () => {
    const db = DB.open(dir, MANY_L0)
    try {
      expect(oneLineError(strata('verify', dir), 'LOCKED')).toContain('LOCK')
      oneLineError(strata('get', dir, key(1)), 'LOCKED')
    } finally {
      db.close()
    }
    oneLineError(strata('verify', path.join(root, 'no-db')), 'INVALID_ARGUMENT')
  })
})

describe('strata stats', () => {
  it('prints the levels and counters, and the whole Stats object with --json', () => {
    const r = strata('stats', dir)
    expect(r.status).toBe(0)
    const out = lines(r.stdout)
    expect(out[0]).toBe('level  files        bytes  score')
    expect(out.slice(1, 8).map((l) => l.slice(0, 2))).toEqual(['L0', 'L1', 'L2', 'L3', 'L4', 'L5', 'L6'])
    expect(r.stdout).toMatch(/^write amplification \d+\.\d\d$/m)
    const s = JSON.parse(strata('stats', dir, '--json').stdout) as { levels: Array<{ files: number }>; lastSequence: number }
    expect(s.levels).toHaveLength(7)
    expect(s.lastSequence).toBe(COUNT + 10)
  })
})

describe('strata compact', () => {
  it('compacts every L0 table away and keeps every entry', () => {
    const copy = path.join(root, 'compact')
    copyDir(dir, copy)
    const r = strata('compact', copy, '--json')
    expect(r.status).toBe(0)
    expect(r.stderr).toBe('')
    const { after } = JSON.parse(r.stdout) as { before: Shape; after: Shape }
    expect(after.levels[0]).toBe(0)
    expect(after.files).toBeGreaterThan(0)
    const scan = lines(strata('scan', copy, '--keys-only').stdout)
    expect(scan).toHaveLength(COUNT + 10)
    expect(scan[0]).toBe(key(0))
    expect(strata('get', copy, key(1234)).stdout).toBe('value-1234\n')
    expect(lines(strata('compact', copy).stdout)[0]).toMatch(/^compacted: \d+ files, .* -> \d+ files, .*\(files per level 0\//)
  })
})
