// Runs abstract-level's own test suite (shipped in its npm package under test/) against the
// BUILT StrataLevel, driven by tape, the way classic-level and memory-level run it. Prints TAP
// on stdout; abstract-suite.test.ts spawns this file and reads the counts.
//
//   node test/level/abstract-suite-driver.mjs            (after npm run build)
//
// Each factory() call gets a fresh directory under one temporary root, removed at the end.
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import test from 'tape'
import { StrataLevel } from 'stratadb'

const require = createRequire(import.meta.url)
const suite = require('abstract-level/test')

const root = mkdtempSync(join(tmpdir(), 'strata-abstract-suite-'))
let next = 0

// The engine's compaction mode for every database of the run: 'inline' by default, since a
// compaction worker thread costs ~16 ms to start and the suite opens thousands of databases
// (the whole suite also passes with SUITE_COMPACTION=worker, in 2-4 minutes). It is set in
// _open, not in the factory's options, because the suite checks those options verbatim.
const compaction = process.env.SUITE_COMPACTION ?? 'inline'

class SuiteLevel extends StrataLevel {
  async _open(options) {
    return super._open({ ...options, compaction })
  }
}

test.onFinish(() => rmSync(root, { recursive: true, force: true }))

suite({
  test,
  factory(options) {
    return new SuiteLevel(join(root, String(next++)), options)
  },
})
