// Obsolete files: what no live version, log or MANIFEST needs any more, deleted from the
// directory. Runs after every installed edit and when a pinned version is released.
import { joinPath, parseFileName } from '../base/filenames.js'
import type { DBCore } from './core.js'

export function deleteObsoleteFiles(core: DBCore): void {
  const { fs, dir, versions } = core
  const live = versions.liveFiles()
  for (const name of fs.list(dir)) {
    const parsed = parseFileName(name)
    if (!parsed) continue
    let keep = true
    switch (parsed.kind) {
      case 'log': keep = parsed.number >= versions.logNumber || parsed.number === core.walNumber; break
      case 'manifest': keep = parsed.number >= versions.manifestNumber; break
      case 'table': keep = live.has(parsed.number) || core.pendingOutputs.has(parsed.number); break
      case 'temp': keep = false; break
      default: keep = true
    }
    if (keep) continue
    if (parsed.kind === 'table') core.tableCache.evict(parsed.number)
    fs.unlink(joinPath(dir, name))
  }
}
