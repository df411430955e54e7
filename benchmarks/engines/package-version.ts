// Finds the version of an installed package (or of this repository's own package) for the
// report's header, by walking up from a file to the nearest package.json with the given name.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

/** The "version" of the nearest package.json named `name` at or above `fromFile`'s folder. */
export function packageVersion(fromFile: string, name: string): string {
  let dir = dirname(fromFile)
  for (;;) {
    for (const candidate of [join(dir, 'package.json'), join(dir, 'node_modules', name, 'package.json')]) {
      const found = readVersion(candidate, name)
      if (found !== undefined) return found
    }
    const parent = dirname(dir)
    if (parent === dir) return 'unknown'
    dir = parent
  }
}

function readVersion(path: string, name: string): string | undefined {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    return undefined // no package.json at this level: keep walking up
  }
  const pkg = JSON.parse(text) as { name?: unknown; version?: unknown }
  return pkg.name === name && typeof pkg.version === 'string' ? pkg.version : undefined
}
