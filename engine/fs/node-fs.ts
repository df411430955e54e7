// The real file system, over Node's synchronous fs calls (fdatasync off-thread for syncAsync).
// Implements engine/fs/fs.ts; the LOCK protocol is format-spec/directory.md, "LOCK".
import * as fs from 'node:fs'
import * as path from 'node:path'
import { ioError, locked } from '../errors.js'
import type { FileLock, FileSystem, RandomAccessFile, WritableFile } from './fs.js'

class NodeWritableFile implements WritableFile {
  private fd: number
  size = 0

  constructor(private readonly path: string) {
    try {
      this.fd = fs.openSync(path, 'w')
    } catch (err) {
      throw ioError('create', path, err)
    }
  }

  append(data: Uint8Array, start = 0, end = data.length): void {
    if (this.fd < 0) throw ioError('append', this.path, new Error('file is closed'))
    try {
      while (start < end) {
        const n = fs.writeSync(this.fd, data, start, end - start)
        start += n
        this.size += n
      }
    } catch (err) {
      throw ioError('append', this.path, err)
    }
  }

  sync(): void {
    try {
      fs.fdatasyncSync(this.fd)
    } catch (err) {
      throw ioError('fdatasync', this.path, err)
    }
  }

  syncAsync(): Promise<void> {
    return new Promise((resolve, reject) => {
      fs.fdatasync(this.fd, (err) => (err ? reject(ioError('fdatasync', this.path, err)) : resolve()))
    })
  }

  close(): void {
    if (this.fd < 0) return
    const fd = this.fd
    this.fd = -1
    try {
      fs.closeSync(fd)
    } catch (err) {
      throw ioError('close', this.path, err)
    }
  }
}

class NodeRandomAccessFile implements RandomAccessFile {
  private fd: number
  readonly size: number

  constructor(private readonly path: string) {
    try {
      this.fd = fs.openSync(path, 'r')
      this.size = fs.fstatSync(this.fd).size
    } catch (err) {
      throw ioError('open', path, err)
    }
  }

  read(position: number, length: number, into: Uint8Array, intoOffset: number): number {
    let done = 0
    try {
      while (done < length) {
        const n = fs.readSync(this.fd, into, intoOffset + done, length - done, position + done)
        if (n === 0) break
        done += n
      }
    } catch (err) {
      throw ioError('read', this.path, err)
    }
    return done
  }

  close(): void {
    if (this.fd < 0) return
    const fd = this.fd
    this.fd = -1
    try {
      fs.closeSync(fd)
    } catch (err) {
      throw ioError('close', this.path, err)
    }
  }
}

/** How long a reclaim guard may be held before another opener treats it as abandoned. */
const RECLAIM_GUARD_STALE_MS = 10_000

/** This process's identity as written into LOCK: "pid starttime". */
function processIdentity(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return `${pid} ${fields[19] ?? '0'}` // field 22 of stat: start time in clock ticks
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined // no such process
    return `${pid} 0` // no /proc: identify by pid alone
  }
}

/** True when the holder named by a LOCK file's content still runs. */
function holderAlive(content: string): boolean {
  const match = /^(\d+) (\d+)\n?$/.exec(content)
  if (!match) return false // empty or foreign content: nobody of ours holds it
  const pid = Number(match[1])
  const now = processIdentity(pid)
  if (now === undefined) return false
  if (now.endsWith(' 0') || content.startsWith(`${pid} 0`)) return pidRuns(pid)
  return now === content.trim()
}

function pidRuns(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return ''
    throw ioError('read', file, err)
  }
}

class NodeFileLock implements FileLock {
  private held = true
  constructor(private readonly path: string, private readonly identity: string) {}

  release(): void {
    if (!this.held) return
    this.held = false
    if (readOrEmpty(this.path) === this.identity) {
      try {
        fs.unlinkSync(this.path)
      } catch (err) {
        throw ioError('unlink', this.path, err)
      }
    }
  }
}

function takeLock(lockPath: string): FileLock {
  const identity = (processIdentity(process.pid) ?? `${process.pid} 0`) + '\n'
  const temp = `${lockPath}.${process.pid}.${Math.random().toString(36).slice(2)}`
  try {
    fs.writeFileSync(temp, identity)
  } catch (err) {
    throw ioError('lock', lockPath, err)
  }
  try {
    if (tryLink(temp, lockPath)) return new NodeFileLock(lockPath, identity)
    const holder = readOrEmpty(lockPath)
    if (holderAlive(holder)) throw locked(lockPath, describe(holder))
    reclaim(lockPath, temp, holder)
    return new NodeFileLock(lockPath, identity)
  } finally {
    try {
      fs.unlinkSync(temp)
    } catch {
      // the temporary name may already be gone; LOCK itself is what matters
    }
  }
}

function describe(holder: string): string {
  const pid = holder.split(' ')[0]
  return pid === String(process.pid) ? 'another open database in this process' : `process ${pid}`
}

function tryLink(from: string, to: string): boolean {
  try {
    fs.linkSync(from, to)
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw ioError('lock', to, err)
  }
}

/**
 * Replaces a LOCK whose holder is dead. Reclaimers serialize on a guard file created
 * exclusively, so two openers can never both reclaim; a plain opener can still win the race
 * by linking first, and then the reclaimer reports LOCKED.
 */
function reclaim(lockPath: string, temp: string, staleContent: string): void {
  const guard = `${lockPath}.reclaim`
  let fd: number
  try {
    fd = fs.openSync(guard, 'wx')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw ioError('lock', guard, err)
    const age = Date.now() - fs.statSync(guard, { throwIfNoEntry: false })!.mtimeMs
    if (age > RECLAIM_GUARD_STALE_MS) fs.rmSync(guard, { force: true })
    throw locked(lockPath, 'another opener reclaiming a stale lock')
  }
  try {
    if (readOrEmpty(lockPath) !== staleContent) throw locked(lockPath, 'a new holder')
    fs.rmSync(lockPath, { force: true })
    if (!tryLink(temp, lockPath)) throw locked(lockPath, describe(readOrEmpty(lockPath)))
  } finally {
    fs.closeSync(fd)
    fs.rmSync(guard, { force: true })
  }
}

/** The real file system. Stateless: one instance may serve many databases. */
export class NodeFileSystem implements FileSystem {
  create(file: string): WritableFile {
    return new NodeWritableFile(file)
  }

  openRead(file: string): RandomAccessFile {
    return new NodeRandomAccessFile(file)
  }

  readFile(file: string): Buffer {
    try {
      return fs.readFileSync(file)
    } catch (err) {
      throw ioError('read', file, err)
    }
  }

  exists(file: string): boolean {
    return fs.existsSync(file)
  }

  size(file: string): number {
    try {
      return fs.statSync(file).size
    } catch (err) {
      throw ioError('stat', file, err)
    }
  }

  list(dir: string): string[] {
    try {
      return fs.readdirSync(dir)
    } catch (err) {
      throw ioError('list', dir, err)
    }
  }

  mkdir(dir: string): void {
    try {
      fs.mkdirSync(dir, { recursive: true })
    } catch (err) {
      throw ioError('mkdir', dir, err)
    }
  }

  rmdir(dir: string): void {
    try {
      fs.rmdirSync(dir)
    } catch (err) {
      throw ioError('rmdir', dir, err)
    }
  }

  rename(from: string, to: string): void {
    try {
      fs.renameSync(from, to)
    } catch (err) {
      throw ioError('rename', `${from} -> ${to}`, err)
    }
  }

  unlink(file: string): void {
    try {
      fs.unlinkSync(file)
    } catch (err) {
      throw ioError('unlink', file, err)
    }
  }

  syncDir(dir: string): void {
    let fd = -1
    try {
      fd = fs.openSync(dir, 'r')
      fs.fsyncSync(fd)
    } catch (err) {
      throw ioError('fsync directory', dir, err)
    } finally {
      if (fd >= 0) fs.closeSync(fd)
    }
  }

  lock(file: string): FileLock {
    fs.mkdirSync(path.dirname(file), { recursive: true })
    return takeLock(file)
  }
}
