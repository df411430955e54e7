// strata get / put / del / scan on a real database directory: printing rules (text where
// printable, else 0x-hex; --hex, --json), range flags, exit statuses.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jsonLines, lines, oneLineError, strata } from './helpers.js'

let root: string
let dir: string
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-cli-kv-'))
  dir = path.join(root, 'db')
})
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true })
})

describe('strata put, get, del', () => {
  it('stores and reads back text and 0x-hex keys and values, creating the database', () => {
    expect(strata('put', dir, 'apple', 'red').status).toBe(0)
    expect(strata('put', dir, 'apricot', 'orange').status).toBe(0)
    expect(strata('put', dir, 'banana', 'yellow').status).toBe(0)
    expect(strata('put', dir, '0x00ff', '0x0102').status).toBe(0)
    expect(strata('put', dir, 'tabbed', 'a\tb').status).toBe(0)
    expect(strata('put', '--hex', dir, '6869', '0x7468657265').status).toBe(0) // hi -> there
    const r = strata('get', dir, 'apple')
    expect(r).toEqual({ status: 0, stdout: 'red\n', stderr: '' })
    expect(strata('get', dir, '0x00ff').stdout).toBe('0x0102\n')
    expect(strata('get', dir, 'hi').stdout).toBe('there\n')
    expect(strata('get', dir, 'tabbed').stdout).toBe('0x610962\n') // a control character: hex
    expect(strata('get', dir, '6170706c65', '--hex').stdout).toBe('0x726564\n') // --hex: hex in, hex out
    expect(JSON.parse(strata('get', dir, '0x00ff', '--json').stdout)).toEqual({ key: { hex: '00ff' }, value: '\u0001\u0002' })
  })

  it('exits 1 with no output for a missing key, and prints null with --json', () => {
    expect(strata('get', dir, 'cherry')).toEqual({ status: 1, stdout: '', stderr: '' })
    expect(strata('get', dir, 'cherry', '--json')).toEqual({ status: 1, stdout: 'null\n', stderr: '' })
  })

  it('deletes durably', () => {
    expect(strata('put', dir, 'doomed', 'x').status).toBe(0)
    expect(strata('del', dir, 'doomed').status).toBe(0)
    expect(strata('get', dir, 'doomed').status).toBe(1)
  })

  it('refuses a directory without a database instead of creating one', () => {
    const missing = path.join(root, 'nothing-here')
    oneLineError(strata('get', missing, 'k'), 'INVALID_ARGUMENT')
    oneLineError(strata('del', missing, 'k'), 'INVALID_ARGUMENT')
    expect(fs.existsSync(missing)).toBe(false)
  })

  it('rejects odd hex digits as a usage error', () => {
    const r = strata('get', dir, '0xabc')
    expect(r.status).toBe(2)
    expect(lines(r.stderr)[0]).toBe('strata get: KEY "0xabc" is not an even number of hex digits')
  })
})

describe('strata scan', () => {
  it('prints key TAB value in key order, hex where not printable', () => {
    const r = strata('scan', dir)
    expect(r.status).toBe(0)
    expect(lines(r.stdout)).toEqual(['0x00ff\t0x0102', 'apple\tred', 'apricot\torange', 'banana\tyellow', 'hi\tthere', 'tabbed\t0x610962'])
  })

  it('honours --gte/--lt, --gt/--lte, --reverse and --limit', () => {
    expect(lines(strata('scan', dir, '--gte', 'apricot', '--lt', 'hi', '--keys-only').stdout)).toEqual(['apricot', 'banana'])
    expect(lines(strata('scan', dir, '--gt', 'apple', '--lte', 'hi', '--keys-only').stdout)).toEqual(['apricot', 'banana', 'hi'])
    expect(lines(strata('scan', dir, '--reverse', '--limit', '2', '--keys-only').stdout)).toEqual(['tabbed', 'hi'])
    expect(lines(strata('scan', dir, '--limit', '0').stdout)).toEqual([])
  })

  it('selects a prefix, alone', () => {
    expect(lines(strata('scan', dir, '--prefix', 'ap').stdout)).toEqual(['apple\tred', 'apricot\torange'])
    expect(lines(strata('scan', dir, '--prefix', '0x00', '--keys-only').stdout)).toEqual(['0x00ff'])
    const r = strata('scan', dir, '--prefix', 'a', '--gte', 'b')
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/^strata scan: --prefix cannot be combined/)
  })

  it('prints JSON lines with --json, and all bytes as hex with --json --hex', () => {
    expect(jsonLines(strata('scan', dir, '--json', '--limit', '2').stdout)).toEqual([
      { key: { hex: '00ff' }, value: '\u0001\u0002' },
      { key: 'apple', value: 'red' },
    ])
    expect(jsonLines(strata('scan', dir, '--json', '--hex', '--keys-only', '--prefix', '6869').stdout)).toEqual([{ key: { hex: '6869' } }])
  })

  it('rejects unknown flags and bad limits as usage errors', () => {
    const unknown = strata('scan', dir, '--sideways')
    expect(unknown.status).toBe(2)
    expect(lines(unknown.stderr)[0]).toMatch(/^strata scan: Unknown option '--sideways'/)
    expect(strata('scan', dir, '--limit', 'many').stderr).toMatch(/^strata scan: --limit must be a non-negative integer/)
  })
})
