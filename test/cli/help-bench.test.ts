// strata's help and call mistakes, and `strata bench` (which runs the benchmark harness,
// dist/benchmarks/run.js, passing its flags and exit status through).
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { lines, strata } from './helpers.js'

describe('strata help', () => {
  it('prints the overview for --help (exit 0) and with no command (exit 2)', () => {
    const help = strata('--help')
    expect(help.status).toBe(0)
    expect(help.stdout).toMatch(/^usage: strata COMMAND/m)
    for (const cmd of ['get', 'put', 'del', 'scan', 'stats', 'compact', 'verify', 'dump sst', 'dump wal', 'dump manifest', 'bench']) {
      expect(help.stdout).toMatch(new RegExp(`^  ${cmd} `, 'm'))
    }
    expect(strata().status).toBe(2)
  })

  it('prints each command\'s usage for COMMAND --help', () => {
    for (const cmd of ['get', 'put', 'del', 'scan', 'stats', 'compact', 'verify', 'dump']) {
      const r = strata(cmd, '--help')
      expect(r.status, cmd).toBe(0)
      expect(lines(r.stdout)[0]).toMatch(new RegExp(`^usage: strata ${cmd} `))
    }
  })

  it('names an unknown command in one line, exit status 2', () => {
    const r = strata('frobnicate')
    expect(r).toEqual({ status: 2, stdout: '', stderr: 'strata: unknown command "frobnicate" (strata --help lists them)\n' })
  })
})

describe('strata bench', () => {
  it('passes --help to the harness', () => {
    const r = strata('bench', '--help')
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/^usage: node dist\/benchmarks\/run\.js/)
  })

  it('runs a tiny side-by-side benchmark and writes its JSON', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-cli-bench-'))
    try {
      const json = path.join(dir, 'out.json')
      const r = strata('bench', '--num', '1000', '--reads', '100', '--workloads', 'fillseq,readrandom', '--engines', 'strata', '--runs', '1', '--dir', dir, '--json', json, '--svg', path.join(dir, 'out.svg'))
      expect(r.status, r.stderr).toBe(0)
      expect(r.stdout).toMatch(/^fillseq +stratadb /m)
      expect(r.stdout).toMatch(/^readrandom +stratadb .*\(100 of 100 found\)/m)
      expect(fs.existsSync(json)).toBe(true)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it('returns the harness\'s exit status for a bad flag', () => {
    const r = strata('bench', '--no-such-flag')
    expect(r.status).not.toBe(0)
    expect(r.stderr).toMatch(/no-such-flag/)
  })
})
