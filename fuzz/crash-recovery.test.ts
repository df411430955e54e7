// Crash-recovery: random programs of puts, deletes, batches, group commits (sync and not),
// flushes, compactRange, snapshots, clean reopens and power losses, some struck in the middle
// of an operation (at the n-th file-system call) and some in the middle of recovery, on a
// FaultFileSystem. After every recovery the runner checks the durability contract (see
// support/runner.ts); the summary counts crash points by where they fell.
import fc from 'fast-check'
import { afterAll, describe, it } from 'vitest'
import { params, runs, TIMEOUT } from './support/env.js'
import { crashArb, formatProgram, programArb, SMALL_CONFIGS, workArbs } from './support/program.js'
import { Runner } from './support/runner.js'
import { Summary } from './support/summary.js'

const summary = new Summary('crash-recovery')
afterAll(() => summary.print())

const programs = programArb([...workArbs, { weight: 3, arbitrary: crashArb }], 60)

describe('crash recovery on a crash-modelling file system', () => {
  it('recovers, after every crash, a prefix of the acknowledged writes holding every synced one', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(SMALL_CONFIGS.length - 1), programs, async (config, program) => {
        summary.add('programs', SMALL_CONFIGS[config]!.name)
        try {
          await new Runner(SMALL_CONFIGS[config]!.options, summary).run(program)
        } catch (err) {
          summary.add('failures', 'all')
          throw err
        }
      }),
      params(0xc0ffee, runs(150, 3000)),
    )
  }, TIMEOUT)
})

export { formatProgram }
