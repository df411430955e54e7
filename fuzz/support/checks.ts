// Reading a database's whole state (and checking that point reads agree with a scan), and
// checking that its directory holds exactly the live files: CURRENT, the MANIFEST it names,
// one WAL and the tables that MANIFEST lists (no orphans).
import { bytewiseComparator, internalKeyComparator } from '../../engine/base/comparator.js'
import { CURRENT, joinPath, parseFileName } from '../../engine/base/filenames.js'
import type { FileSystem } from '../../engine/fs/fs.js'
import type { DB, Snapshot } from '../../engine/index.js'
import { VersionSet } from '../../engine/version/index.js'
import type { State } from './history.js'

/** A property failure: the message says what went wrong; fast-check adds seed and program. */
export class Violation extends Error {
  override name = 'Violation'
}

/**
 * The database's state (at `snapshot`, if given) by a full scan, checked against a point read
 * of every key in `keys` and the scan's own order. Keys are latin1 strings.
 */
export function readState(db: DB, keys: Iterable<string>, snapshot?: Snapshot): State {
  const state: State = new Map()
  let prev: Buffer | undefined
  const it = db.iterator(snapshot ? { snapshot } : undefined)
  try {
    for (const [k, v] of it) {
      if (prev !== undefined && Buffer.compare(prev, k) >= 0) throw new Violation(`scan out of order: ${prev.toString('hex')} then ${k.toString('hex')}`)
      prev = k
      state.set(k.toString('latin1'), v)
    }
  } finally {
    it.close() // an open iterator pins its version's files
  }
  const opts = snapshot ? { snapshot } : undefined
  for (const key of keys) {
    const got = db.get(Buffer.from(key, 'latin1'), opts)
    const want = state.get(key)
    if ((got === undefined) !== (want === undefined) || (got && want && !got.equals(want))) {
      throw new Violation(`get(${JSON.stringify(key)}) = ${describe(got)} but the scan shows ${describe(want)}`)
    }
  }
  return state
}

function describe(b: Buffer | undefined): string {
  return b === undefined ? 'nothing' : `${b.length} bytes ${b.subarray(0, 8).toString('hex')}`
}

/**
 * Problems with the directory's file set (empty when it holds exactly the live files). The
 * live tables are read from the MANIFEST that CURRENT names, as recovery would, and compared
 * with what `db.stats()` counts.
 */
export function directoryProblems(fs: FileSystem, dir: string, db: DB): string[] {
  const problems: string[] = []
  const current = fs.readFile(joinPath(dir, CURRENT)).toString('utf8').trim()
  const versions = new VersionSet({ fs, dir, icmp: internalKeyComparator(bytewiseComparator), comparatorName: bytewiseComparator.name, paranoid: false })
  versions.recover()
  const live = new Set<number>()
  for (const files of versions.current.files) for (const f of files) live.add(f.number)
  const counted = db.stats().levels.reduce((n, l) => n + l.files, 0)
  if (counted !== live.size) problems.push(`stats() counts ${counted} tables, the MANIFEST names ${live.size}`)
  let logs = 0
  const tables = new Set<number>()
  for (const name of fs.list(dir)) {
    const parsed = parseFileName(name)
    if (!parsed) problems.push(`unknown file ${name}`)
    else if (parsed.kind === 'log') logs++
    else if (parsed.kind === 'table') tables.add(parsed.number)
    else if (parsed.kind === 'manifest' && name !== current) problems.push(`orphan ${name} (CURRENT names ${current})`)
    else if (parsed.kind === 'temp') problems.push(`orphan temporary file ${name}`)
  }
  if (logs !== 1) problems.push(`${logs} WAL files, expected exactly 1`)
  for (const n of tables) if (!live.has(n)) problems.push(`orphan table ${n}`)
  for (const n of live) if (!tables.has(n)) problems.push(`live table ${n} is missing`)
  return problems
}
