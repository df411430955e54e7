// The names of the files in a database directory, and parsing them back.
// Format: format-spec/directory.md, "File names".
//
//   NNNNNN.log        a write-ahead log (decimal file number, at least 6 digits)
//   NNNNNN.sst        an SSTable
//   MANIFEST-NNNNNN   a log of version edits
//   CURRENT           the name of the live MANIFEST, then a newline
//   LOCK              the directory lock
//   NNNNNN.dbtmp      a temporary file (a CURRENT being replaced)

export type FileKind = 'log' | 'table' | 'manifest' | 'current' | 'lock' | 'temp'

function pad(n: number): string {
  return String(n).padStart(6, '0')
}

export const logFileName = (n: number): string => `${pad(n)}.log`
export const tableFileName = (n: number): string => `${pad(n)}.sst`
export const manifestFileName = (n: number): string => `MANIFEST-${pad(n)}`
export const tempFileName = (n: number): string => `${pad(n)}.dbtmp`
export const CURRENT = 'CURRENT'
export const LOCK = 'LOCK'

export interface ParsedFileName {
  kind: FileKind
  /** The file number; 0 for CURRENT and LOCK. */
  number: number
}

const NUMBERED = /^(\d{1,16})\.(log|sst|dbtmp)$/
const MANIFEST = /^MANIFEST-(\d{1,16})$/

/** Parses a directory entry's name; undefined for names the engine did not make. */
export function parseFileName(name: string): ParsedFileName | undefined {
  if (name === CURRENT) return { kind: 'current', number: 0 }
  if (name === LOCK) return { kind: 'lock', number: 0 }
  const m = MANIFEST.exec(name)
  if (m) return safe('manifest', m[1]!)
  const n = NUMBERED.exec(name)
  if (!n) return undefined
  const kind: FileKind = n[2] === 'log' ? 'log' : n[2] === 'sst' ? 'table' : 'temp'
  return safe(kind, n[1]!)
}

function safe(kind: FileKind, digits: string): ParsedFileName | undefined {
  const number = Number(digits)
  return Number.isSafeInteger(number) ? { kind, number } : undefined
}

/** Joins a directory and a file name. */
export function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`
}
