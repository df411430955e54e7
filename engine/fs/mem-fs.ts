// An in-memory file system for tests: the same contract as node-fs.ts, no durability model.
// (The crash-modelling file system, fault-fs.ts, builds on the same interface.)
import { ioError, locked } from '../errors.js'
import type { FileLock, FileSystem, RandomAccessFile, WritableFile } from './fs.js'

/** A growable in-memory file body; fault-fs.ts's inodes build on it. */
export class MemFile {
  data = new Uint8Array(256)
  length = 0

  append(src: Uint8Array, start: number, end: number): void {
    const need = this.length + (end - start)
    if (need > this.data.length) {
      const grown = new Uint8Array(Math.max(need, this.data.length * 2))
      grown.set(this.data.subarray(0, this.length))
      this.data = grown
    }
    this.data.set(src.subarray(start, end), this.length)
    this.length = need
  }

  bytes(): Buffer {
    return Buffer.from(this.data.subarray(0, this.length))
  }
}

function enoent(op: string, file: string): Error {
  return ioError(op, file, Object.assign(new Error(`ENOENT: no such file or directory, ${op} '${file}'`), { code: 'ENOENT' }))
}

function parentOf(file: string): string {
  const i = file.lastIndexOf('/')
  return i <= 0 ? '/' : file.slice(0, i)
}

/** Files live in a Map by full path; directories are a set of paths. */
export class MemFileSystem implements FileSystem {
  readonly files = new Map<string, MemFile>()
  readonly dirs = new Set<string>(['/'])
  private readonly locks = new Set<string>()

  create(file: string): WritableFile {
    if (!this.dirs.has(parentOf(file))) throw enoent('create', file)
    const f = new MemFile()
    this.files.set(file, f)
    let open = true
    return {
      append: (data, start = 0, end = data.length) => {
        if (!open) throw ioError('append', file, new Error('file is closed'))
        f.append(data, start, end)
      },
      sync: () => {},
      syncAsync: () => Promise.resolve(),
      get size() {
        return f.length
      },
      close: () => {
        open = false
      },
    }
  }

  openRead(file: string): RandomAccessFile {
    const f = this.files.get(file)
    if (!f) throw enoent('open', file)
    const size = f.length
    return {
      size,
      read: (position, length, into, intoOffset) => {
        const end = Math.min(f.length, position + length)
        if (end <= position) return 0
        into.set(f.data.subarray(position, end), intoOffset)
        return end - position
      },
      close: () => {},
    }
  }

  readFile(file: string): Buffer {
    const f = this.files.get(file)
    if (!f) throw enoent('read', file)
    return f.bytes()
  }

  exists(file: string): boolean {
    return this.files.has(file) || this.dirs.has(file)
  }

  size(file: string): number {
    const f = this.files.get(file)
    if (!f) throw enoent('stat', file)
    return f.length
  }

  list(dir: string): string[] {
    if (!this.dirs.has(dir)) throw enoent('list', dir)
    const prefix = dir.endsWith('/') ? dir : dir + '/'
    const names: string[] = []
    for (const p of [...this.files.keys(), ...this.dirs]) {
      if (p.startsWith(prefix) && p.length > prefix.length && !p.slice(prefix.length).includes('/')) {
        names.push(p.slice(prefix.length))
      }
    }
    return names
  }

  mkdir(dir: string): void {
    for (let d = dir; d !== '/' && d !== '' && !this.dirs.has(d); d = parentOf(d)) this.dirs.add(d)
  }

  rmdir(dir: string): void {
    if (!this.dirs.has(dir)) throw enoent('rmdir', dir)
    if (this.list(dir).length > 0) throw ioError('rmdir', dir, Object.assign(new Error('ENOTEMPTY'), { code: 'ENOTEMPTY' }))
    this.dirs.delete(dir)
  }

  rename(from: string, to: string): void {
    const f = this.files.get(from)
    if (!f) throw enoent('rename', from)
    this.files.delete(from)
    this.files.set(to, f)
  }

  unlink(file: string): void {
    if (!this.files.delete(file)) throw enoent('unlink', file)
  }

  syncDir(dir: string): void {
    if (!this.dirs.has(dir)) throw enoent('fsync directory', dir)
  }

  lock(file: string): FileLock {
    if (this.locks.has(file)) throw locked(file, 'another open database on this file system')
    this.locks.add(file)
    let held = true
    return {
      release: () => {
        if (held) this.locks.delete(file)
        held = false
      },
    }
  }
}
