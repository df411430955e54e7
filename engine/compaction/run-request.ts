// The worker's side of a compaction request: run the job with the output numbers the main
// thread allocated in advance (it owns the file-number counter).
import { StrataError } from '../errors.js'
import type { TableEnv } from './build-table.js'
import type { CompactionResult, CompactionSpec } from './format.js'
import { runCompaction } from './job.js'
import type { CompactRequest } from './protocol.js'

export function runCompactionRequest(env: TableEnv, req: CompactRequest, interleave?: () => void): CompactionResult {
  let next = 0
  return runCompaction(req.spec as CompactionSpec, {
    fs: env.fs,
    dir: env.dir,
    icmp: env.icmp,
    table: env.table,
    targetFileSize: req.targetFileSize,
    smallestSnapshot: req.smallestSnapshot,
    ...(interleave === undefined ? {} : { interleave }),
    allocateFileNumber: () => {
      const n = req.outputNumbers[next++]
      if (n === undefined) throw new StrataError('IO_ERROR', `compaction needed more than the ${req.outputNumbers.length} output numbers allocated`)
      return n
    },
  })
}
