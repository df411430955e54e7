// Where a crash point fell, told from the file-system calls of the operation it struck in:
// mid WAL append, a WAL switch, between an SSTable write and its MANIFEST edit, between a new
// MANIFEST and CURRENT, mid compaction, deleting obsolete files, or during recovery.
import type { TraceEntry } from '../../engine/fs/fault-fs.js'

export type Kind = 'log' | 'sst' | 'MANIFEST' | 'CURRENT' | 'dbtmp' | 'dir' | 'other'

export function fileKind(path: string): Kind {
  const name = path.slice(path.lastIndexOf('/') + 1)
  if (name.endsWith('.log')) return 'log'
  if (name.endsWith('.sst')) return 'sst'
  if (name.startsWith('MANIFEST-')) return 'MANIFEST'
  if (name === 'CURRENT') return 'CURRENT'
  if (name.endsWith('.dbtmp')) return 'dbtmp'
  if (!name.includes('.')) return 'dir'
  return 'other'
}

const MUTATING = new Set(['create', 'append', 'sync', 'rename', 'unlink', 'syncDir'])

/**
 * Names the crash point `at`, the last call of `trace` (the calls of the operation it struck
 * in, oldest first). `recovery` when the operation was DB.open.
 */
export function classifyCrash(trace: readonly TraceEntry[], at: TraceEntry, recovery: boolean): string {
  const label = classify(trace, at)
  return recovery ? `during recovery: ${label}` : label
}

function classify(trace: readonly TraceEntry[], at: TraceEntry): string {
  const mutations = trace.filter((e) => MUTATING.has(e.op))
  // a syncDir is named after the change it makes durable
  let point = at
  if (at.op === 'syncDir') {
    const before = mutations.slice(0, -1).reverse().find((e) => e.op !== 'syncDir' && e.op !== 'sync')
    if (before) point = before
  }
  const kind = fileKind(point.path)
  const inCompaction = compacting(trace)
  switch (kind) {
    case 'log':
      if (point.op === 'create') return 'WAL switch (new log created)'
      return point.op === 'sync' ? 'WAL fdatasync' : 'mid WAL append'
    case 'sst':
      if (point.op === 'unlink') return inCompaction ? 'mid compaction (deleting inputs)' : 'deleting obsolete files'
      return inCompaction ? 'mid compaction (writing outputs)' : 'between SSTable write and MANIFEST edit'
    case 'MANIFEST':
      if (point.op === 'unlink') return 'deleting obsolete files'
      if (trace.some((e) => e.op === 'create' && fileKind(e.path) === 'MANIFEST')) return 'between MANIFEST and CURRENT'
      return inCompaction ? 'mid compaction (MANIFEST edit)' : 'MANIFEST edit (after SSTable)'
    case 'dbtmp':
    case 'CURRENT':
      return 'between MANIFEST and CURRENT'
    default:
      return `other (${point.op})`
  }
}

/** A compaction reads its input tables before writing outputs; a flush reads none. */
function compacting(trace: readonly TraceEntry[]): boolean {
  let lastCreate = -1
  trace.forEach((e, i) => { if (e.op === 'create' && fileKind(e.path) === 'sst') lastCreate = i })
  const upTo = lastCreate < 0 ? trace.length : lastCreate
  for (let i = 0; i < upTo; i++) {
    const e = trace[i]!
    if ((e.op === 'read' || e.op === 'openRead') && fileKind(e.path) === 'sst') return true
  }
  return false
}
