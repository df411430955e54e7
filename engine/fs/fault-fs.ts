// FaultFileSystem: an in-memory FileSystem for tests that models what a kernel and a disk may
// leave behind at a power loss, and fails operations on request. Used by fuzz/ and test/fs/.
// The crash model (SPEC.md, "Which test proves each clause", states it as the contract tested):
//   - Bytes appended to a file but not fsynced survive wholly, as a prefix, or torn: the tail is
//     cut anywhere and each 512-byte sector of it (counted from offset 0) is independently
//     written or left as zeros. Bytes covered by a completed `sync` always survive.
//   - create, rename and unlink change the directory at once for this "boot", but reach the disk
//     only at `syncDir` of their directory: a crash keeps a prefix of each directory's pending
//     changes, in order (a rename is atomic). An fsynced file whose creation is lost is lost.
//   - Each file makes its choice on its own, so writes to different files land in any order.
//   - mkdir is durable at once; `create` over an existing name is a new file replacing it.
// Faults: `inject` a rule (operation kinds, a path filter, the n-th matching call) that fails
// with EIO, ENOSPC or a short write (half the bytes land, then ENOSPC; other calls fail with EIO).
// `armCrash(n)` makes the n-th mutating call from now the crash point: it takes effect, then it
// and every later call throws, as if the process had died there. `crash(seed)` reverts to one
// allowed state (a seeded choice) and starts a new boot. Every injected failure is a StrataError
// IO_ERROR with `injected: true` (a missing file is a plain ENOENT, as on a real disk).
// A failed sync leaves the bytes unsynced (they may still be lost at a crash). `syncAsync`
// completes at the next turn of the event loop, so a crash may strike while it runs.
import { ioError, locked } from '../errors.js'
import type { StrataError } from '../errors.js'
import { MemFile } from './mem-fs.js'
import type { FileLock, FileSystem, RandomAccessFile, WritableFile } from './fs.js'

/** Sector size of the torn-write model: a sector is written whole or not at all. */
export const SECTOR_SIZE = 512

export type FaultOp =
  | 'create' | 'openRead' | 'readFile' | 'read' | 'append' | 'sync' | 'close' | 'exists' | 'size'
  | 'list' | 'mkdir' | 'rmdir' | 'rename' | 'unlink' | 'syncDir' | 'lock'

/** The calls that change durable state: the ones a crash point is counted in. */
const MUTATING: ReadonlySet<FaultOp> = new Set<FaultOp>(['create', 'append', 'sync', 'rename', 'unlink', 'syncDir'])

export type FaultError = 'EIO' | 'ENOSPC' | 'short-write'

export interface FaultRule {
  /** The operation kinds the rule counts. */
  readonly ops: readonly FaultOp[]
  /** Counts only calls whose path contains this string (or matches this pattern). */
  readonly path?: string | RegExp
  /** Fails the n-th counted call (1-based). */
  readonly nth: number
  readonly error: FaultError
  /** Fails every counted call from the n-th on, not only the n-th (a dead disk). */
  readonly persistent?: boolean
}

/** One failure this file system made. */
export interface InjectedFault {
  readonly op: FaultOp
  readonly path: string
  readonly error: FaultError
}

/** How the unsynced tail of each file fares at a crash; 'random' mixes all of them. */
export type CrashPolicy = 'random' | 'keep-all' | 'lose-unsynced' | 'prefix' | 'torn'

export interface CrashReport {
  /** Files whose unsynced bytes were not all kept, with what happened to them. */
  readonly files: ReadonlyArray<{ path: string; synced: number; length: number; kept: number; tornSectors: number }>
  readonly dirOpsKept: number
  readonly dirOpsLost: number
  readonly unsyncedBytesLost: number
}

export interface TraceEntry {
  readonly op: FaultOp
  readonly path: string
}

type DirOp =
  | { kind: 'link'; path: string; inode: Inode }
  | { kind: 'unlink'; path: string }
  | { kind: 'rename'; from: string; to: string; inode: Inode }

class Inode extends MemFile {
  /** Bytes [0, synced) are on stable storage. */
  synced = 0

  static of(bytes: Uint8Array): Inode {
    const f = new Inode()
    f.append(bytes, 0, bytes.length)
    f.synced = f.length
    return f
  }
}

/** mulberry32: a small seeded PRNG; returns floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function parentOf(file: string): string {
  const i = file.lastIndexOf('/')
  return i <= 0 ? '/' : file.slice(0, i)
}

function injected(op: string, path: string, code: string, what: string): StrataError {
  return ioError(op, path, Object.assign(new Error(`${code}: ${what} (injected)`), { code, injected: true }))
}

/** See the file comment. Not safe to share between threads (the compaction worker cannot). */
export class FaultFileSystem implements FileSystem {
  private live = new Map<string, Inode>()
  private durable = new Map<string, Inode>()
  private pending = new Map<string, DirOp[]>()
  private readonly dirs = new Set<string>(['/'])
  private locks = new Set<string>()
  private rules: Array<{ rule: FaultRule; count: number }> = []
  /** Bumped by crash(): handles from an earlier boot throw. */
  private boot = 0
  private crashCountdown = 0
  private dead = false
  /** Every failure injected so far, in order. */
  readonly faults: InjectedFault[] = []
  /** Calls since the last resetTrace(), oldest first (at most TRACE_LIMIT). */
  trace: TraceEntry[] = []
  /** Where the armed crash struck, once it has. */
  crashPoint: TraceEntry | undefined = undefined
  /** Mutating calls made so far, over all boots. */
  mutations = 0

  /** True once an armed crash has struck: every call throws until crash(). */
  get crashed(): boolean {
    return this.dead
  }

  /** Fails calls as `rule` says, from now on. */
  inject(rule: FaultRule): void {
    this.rules.push({ rule, count: 0 })
  }

  clearFaults(): void {
    this.rules = []
  }

  /** Runs `fn` with no fault rule applied or counted (a test's own checks); crashes still count. */
  withoutFaults<T>(fn: () => T): T {
    const rules = this.rules
    this.rules = []
    try {
      return fn()
    } finally {
      this.rules = rules
    }
  }

  /** The n-th (1-based) mutating call from now is the crash point. 0 disarms. */
  armCrash(n: number): void {
    this.crashCountdown = n
  }

  resetTrace(): void {
    this.trace = []
  }

  /**
   * A power loss: reverts every file and directory to one state a disk may hold (chosen by
   * `seed` under `policy`), drops locks and handles, and starts a new boot in which that state
   * is all durable. Disarms any crash not yet struck; fault rules stay.
   */
  crash(seed: number, policy: CrashPolicy = 'random'): CrashReport {
    const rnd = seededRandom(seed)
    let dirOpsKept = 0
    let dirOpsLost = 0
    for (const dir of [...this.pending.keys()].sort()) {
      const ops = this.pending.get(dir)!
      const keep = policy === 'keep-all' ? ops.length : policy === 'lose-unsynced' ? 0 : pickCut(rnd, 0, ops.length)
      for (const op of ops.slice(0, keep)) applyDirOp(this.durable, op)
      dirOpsKept += keep
      dirOpsLost += ops.length - keep
    }
    const files: Array<CrashReport['files'][number]> = []
    const copies = new Map<Inode, Inode>()
    let unsyncedBytesLost = 0
    const next = new Map<string, Inode>()
    for (const path of [...this.durable.keys()].sort()) {
      const inode = this.durable.get(path)!
      let copy = copies.get(inode)
      if (!copy) {
        const { bytes, tornSectors } = survivingBytes(inode, rnd, policy)
        copy = Inode.of(bytes)
        copies.set(inode, copy)
        const lost = inode.length - bytes.length
        unsyncedBytesLost += lost
        if (lost > 0 || tornSectors > 0) files.push({ path, synced: inode.synced, length: inode.length, kept: bytes.length, tornSectors })
      }
      next.set(path, copy)
    }
    this.durable = next
    this.live = new Map(next)
    this.pending = new Map()
    this.locks = new Set()
    this.boot++
    this.dead = false
    this.crashCountdown = 0
    this.crashPoint = undefined
    return { files, dirOpsKept, dirOpsLost, unsyncedBytesLost }
  }

  /** A new file system whose durable state is this one's current (live) state. */
  clone(): FaultFileSystem {
    const c = new FaultFileSystem()
    for (const d of this.dirs) c.dirs.add(d)
    for (const [path, inode] of this.live) {
      const copy = Inode.of(inode.data.subarray(0, inode.length))
      c.live.set(path, copy)
      c.durable.set(path, copy)
    }
    return c
  }

  /** Replaces a file's bytes durably, bypassing faults (for damaging files in tests). */
  rewrite(path: string, bytes: Uint8Array): void {
    const inode = Inode.of(bytes)
    this.live.set(path, inode)
    this.durable.set(path, inode)
  }

  /** Bytes appended to files and not yet synced, over all live files. */
  unsyncedBytes(): number {
    let n = 0
    for (const inode of this.live.values()) n += inode.length - inode.synced
    return n
  }

  /** Directory changes not yet made durable by syncDir. */
  pendingDirOps(): number {
    let n = 0
    for (const ops of this.pending.values()) n += ops.length
    return n
  }

  // ---- the FileSystem interface ----------------------------------------------------------

  create(path: string): WritableFile {
    this.enter('create', path)
    if (!this.dirs.has(parentOf(path))) throw enoent('create', path)
    const inode = new Inode()
    this.live.set(path, inode)
    this.dirOp({ kind: 'link', path, inode })
    this.leave('create', path)
    return this.writer(path, inode)
  }

  openRead(path: string): RandomAccessFile {
    this.enter('openRead', path)
    const inode = this.live.get(path)
    if (!inode) throw enoent('open', path)
    const size = inode.length
    const boot = this.boot
    return {
      size,
      read: (position, length, into, intoOffset) => {
        this.enter('read', path, boot)
        const end = Math.min(inode.length, position + length)
        if (end <= position) return 0
        into.set(inode.data.subarray(position, end), intoOffset)
        return end - position
      },
      close: () => {},
    }
  }

  readFile(path: string): Buffer {
    this.enter('readFile', path)
    const inode = this.live.get(path)
    if (!inode) throw enoent('read', path)
    return Buffer.from(inode.data.subarray(0, inode.length))
  }

  exists(path: string): boolean {
    this.enter('exists', path)
    return this.live.has(path) || this.dirs.has(path)
  }

  size(path: string): number {
    this.enter('size', path)
    const inode = this.live.get(path)
    if (!inode) throw enoent('stat', path)
    return inode.length
  }

  list(dir: string): string[] {
    this.enter('list', dir)
    if (!this.dirs.has(dir)) throw enoent('list', dir)
    const prefix = dir.endsWith('/') ? dir : dir + '/'
    const names: string[] = []
    for (const p of [...this.live.keys(), ...this.dirs]) {
      if (p.startsWith(prefix) && p.length > prefix.length && !p.slice(prefix.length).includes('/')) names.push(p.slice(prefix.length))
    }
    return names
  }

  mkdir(dir: string): void {
    this.enter('mkdir', dir)
    for (let d = dir; d !== '/' && d !== '' && !this.dirs.has(d); d = parentOf(d)) this.dirs.add(d)
  }

  rmdir(dir: string): void {
    this.enter('rmdir', dir)
    if (!this.dirs.has(dir)) throw enoent('rmdir', dir)
    if (this.list(dir).length > 0) throw ioError('rmdir', dir, Object.assign(new Error('ENOTEMPTY'), { code: 'ENOTEMPTY' }))
    this.dirs.delete(dir)
  }

  rename(from: string, to: string): void {
    this.enter('rename', to)
    const inode = this.live.get(from)
    if (!inode) throw enoent('rename', from)
    this.live.delete(from)
    this.live.set(to, inode)
    this.dirOp({ kind: 'rename', from, to, inode })
    this.leave('rename', to)
  }

  unlink(path: string): void {
    this.enter('unlink', path)
    if (!this.live.delete(path)) throw enoent('unlink', path)
    this.dirOp({ kind: 'unlink', path })
    this.leave('unlink', path)
  }

  syncDir(dir: string): void {
    this.enter('syncDir', dir)
    if (!this.dirs.has(dir)) throw enoent('fsync directory', dir)
    for (const op of this.pending.get(dir) ?? []) applyDirOp(this.durable, op)
    this.pending.delete(dir)
    this.leave('syncDir', dir)
  }

  lock(path: string): FileLock {
    this.enter('lock', path)
    if (this.locks.has(path)) throw locked(path, 'another open database on this file system')
    this.locks.add(path)
    const locks = this.locks
    let held = true
    return {
      release: () => {
        if (held) locks.delete(path)
        held = false
      },
    }
  }

  // ---- internals ---------------------------------------------------------------------------

  private writer(path: string, inode: Inode): WritableFile {
    const boot = this.boot
    let open = true
    const sync = (): void => {
      this.enter('sync', path, boot)
      inode.synced = inode.length
      this.leave('sync', path)
    }
    return {
      append: (data, start = 0, end = data.length) => {
        if (!open) throw ioError('append', path, new Error('file is closed'))
        const fault = this.enter('append', path, boot, true)
        if (fault === 'short-write') {
          inode.append(data, start, start + Math.floor((end - start) / 2))
          throw injected('append', path, 'ENOSPC', 'short write')
        }
        inode.append(data, start, end)
        this.leave('append', path)
      },
      sync,
      // The fdatasync runs "on another thread": it covers the bytes appended before the call
      // and completes at the next turn of the event loop (the crash point counts there).
      syncAsync: () => {
        try {
          this.enter('sync', path, boot)
        } catch (err) {
          return Promise.reject(err)
        }
        const target = inode.length
        return new Promise<void>((resolve, reject) => {
          setImmediate(() => {
            try {
              if (this.dead) throw injected('sync', path, 'EIO', 'the process crashed')
              if (boot !== this.boot) throw injected('sync', path, 'EIO', 'handle from before a crash')
              inode.synced = Math.max(inode.synced, target)
              this.leave('sync', path)
              resolve()
            } catch (err) {
              reject(err)
            }
          })
        })
      },
      get size() {
        return inode.length
      },
      close: () => {
        if (!open) return
        open = false
        // closing a handle of a dead process (or an earlier boot) changes nothing: no error
        if (!this.dead && boot === this.boot) this.enter('close', path, boot)
      },
    }
  }

  /**
   * Every call starts here: refuses calls after a crash struck or from an earlier boot, records
   * the call, and throws an injected fault when a rule says so. A short write is returned to
   * the caller (append) instead of thrown, where `partial` allows.
   */
  private enter(op: FaultOp, path: string, boot = this.boot, partial = false): 'short-write' | undefined {
    if (this.dead) throw injected(op, path, 'EIO', 'the process crashed')
    if (boot !== this.boot) throw injected(op, path, 'EIO', 'handle from before a crash')
    if (this.trace.length < TRACE_LIMIT) this.trace.push({ op, path })
    let fire: FaultRule | undefined
    for (const r of this.rules) {
      const { rule } = r
      if (!rule.ops.includes(op) || !matches(rule.path, path)) continue
      r.count++ // every rule counts the call, also when an earlier one fails it
      if (r.count === rule.nth || (rule.persistent === true && r.count > rule.nth)) fire ??= rule
    }
    if (fire === undefined) return undefined
    this.faults.push({ op, path, error: fire.error })
    if (fire.error === 'short-write' && partial) return 'short-write'
    throw injected(op, path, fire.error === 'ENOSPC' ? 'ENOSPC' : 'EIO', fire.error === 'ENOSPC' ? 'no space left on device' : 'input/output error')
  }

  /** A mutating call took effect: if it is the armed crash point, the process dies here. */
  private leave(op: FaultOp, path: string): void {
    if (!MUTATING.has(op)) return
    this.mutations++
    if (this.crashCountdown > 0 && --this.crashCountdown === 0) {
      this.dead = true
      this.crashPoint = { op, path }
      throw injected(op, path, 'EIO', 'the process crashed')
    }
  }

  private dirOp(op: DirOp): void {
    const dir = parentOf(op.kind === 'rename' ? op.to : op.path)
    let ops = this.pending.get(dir)
    if (!ops) this.pending.set(dir, (ops = []))
    ops.push(op)
  }
}

const TRACE_LIMIT = 100_000

function matches(filter: string | RegExp | undefined, path: string): boolean {
  if (filter === undefined) return true
  return typeof filter === 'string' ? path.includes(filter) : filter.test(path)
}

function enoent(op: string, path: string): StrataError {
  return ioError(op, path, Object.assign(new Error(`ENOENT: no such file or directory, ${op} '${path}'`), { code: 'ENOENT' }))
}

function applyDirOp(map: Map<string, Inode>, op: DirOp): void {
  switch (op.kind) {
    case 'link': map.set(op.path, op.inode); break
    case 'unlink': map.delete(op.path); break
    case 'rename': map.delete(op.from); map.set(op.to, op.inode); break
  }
}

/** An integer in [lo, hi], with the two ends as likely as everything between. */
function pickCut(rnd: () => number, lo: number, hi: number): number {
  const r = rnd()
  if (r < 1 / 3) return lo
  if (r < 2 / 3) return hi
  return lo + Math.floor(rnd() * (hi - lo + 1))
}

/** What survives of one file: its synced bytes, then a (possibly torn) part of the rest. */
function survivingBytes(inode: Inode, rnd: () => number, policy: CrashPolicy): { bytes: Uint8Array; tornSectors: number } {
  const { synced, length } = inode
  const data = inode.data
  if (synced === length || policy === 'keep-all') return { bytes: data.slice(0, length), tornSectors: 0 }
  if (policy === 'lose-unsynced') return { bytes: data.slice(0, synced), tornSectors: 0 }
  const mode = policy === 'random' ? (['keep-all', 'lose-unsynced', 'prefix', 'torn'] as const)[Math.floor(rnd() * 4)]! : policy
  if (mode === 'keep-all') return { bytes: data.slice(0, length), tornSectors: 0 }
  if (mode === 'lose-unsynced') return { bytes: data.slice(0, synced), tornSectors: 0 }
  const cut = synced + 1 + Math.floor(rnd() * (length - synced))
  const bytes = data.slice(0, cut)
  if (mode === 'prefix') return { bytes, tornSectors: 0 }
  let tornSectors = 0
  for (let sector = Math.floor(synced / SECTOR_SIZE); sector * SECTOR_SIZE < cut; sector++) {
    if (rnd() < 0.5) continue
    bytes.fill(0, Math.max(synced, sector * SECTOR_SIZE), Math.min(cut, (sector + 1) * SECTOR_SIZE))
    tornSectors++
  }
  return { bytes, tornSectors }
}
