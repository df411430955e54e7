// The scratch databases of one invocation, one directory each under the scratch root:
// - a fresh workload gets an empty directory, removed after the job;
// - the read database of an engine family is the directory the family's first successful
//   fillrandom left (kept, not removed); if a read workload comes before any fillrandom, an
//   untimed fillrandom builds it first. Read workloads reopen it and do not change it;
// - overwrite and deleterandom get a private copy of it (made untimed before the job, removed
//   after it), so every run of them starts from the same database.
import { cpSync, renameSync, rmSync } from 'node:fs'
import { basename, join } from 'node:path'
import type { EngineId } from './engines.js'
import { engineSpec, loaderOf } from './engines.js'
import type { Launcher } from './launcher.js'
import type { BenchSettings } from './settings.js'
import type { Workload } from './workloads.js'

export class ScratchDatabases {
  private readonly readDbs = new Map<string, string>()
  /** Families whose read database could not be built, with the reason. */
  private readonly failedLoads = new Map<string, string>()

  constructor(
    private readonly root: string,
    private readonly settings: BenchSettings,
    private readonly launch: Launcher,
    private readonly log: (line: string) => void,
  ) {}

  /** The directory run `run` of `w` on `engine` uses, made ready (built or copied). */
  async prepare(engine: EngineId, w: Workload, run: number): Promise<string> {
    const dir = this.privateDir(engine, w, run)
    if (w.source === 'fresh') return dir
    const readDb = await this.readDatabase(engineSpec(engine).family)
    if (w.source === 'read') return readDb
    rmSync(dir, { recursive: true, force: true })
    cpSync(readDb, dir, { recursive: true, filter: (src) => basename(src) !== 'LOCK' }) // each engine makes its own LOCK
    return dir
  }

  /** After the job: keeps a family's first successful fillrandom as its read database, else removes a private directory. */
  finish(engine: EngineId, w: Workload, run: number, succeeded: boolean): void {
    if (w.source === 'read') return
    const dir = this.privateDir(engine, w, run)
    const family = engineSpec(engine).family
    if (w.name === 'fillrandom' && succeeded && !this.readDbs.has(family) && !this.failedLoads.has(family)) {
      const keep = this.readDir(family)
      renameSync(dir, keep)
      this.readDbs.set(family, keep)
    } else {
      rmSync(dir, { recursive: true, force: true })
    }
  }

  private async readDatabase(family: string): Promise<string> {
    const known = this.readDbs.get(family)
    if (known !== undefined) return known
    const failed = this.failedLoads.get(family)
    if (failed !== undefined) throw new Error(failed)
    const dir = this.readDir(family)
    this.log(`building the ${family} read database (untimed fillrandom, ${this.settings.num} entries)`)
    try {
      await this.launch({ engine: loaderOf(family), workload: 'fillrandom', dir, settings: this.settings })
    } catch (err) {
      const reason = `building the read database failed: ${err instanceof Error ? err.message : String(err)}`
      this.failedLoads.set(family, reason)
      rmSync(dir, { recursive: true, force: true })
      throw new Error(reason)
    }
    this.readDbs.set(family, dir)
    return dir
  }

  private privateDir(engine: EngineId, w: Workload, run: number): string {
    return join(this.root, `${engine}-${w.name}-${run}`)
  }

  private readDir(family: string): string {
    return join(this.root, `read-${family}`)
  }
}
