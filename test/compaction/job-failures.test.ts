// The compaction job when things go wrong: file-system failures and damaged or inconsistent
// inputs. Every failure is a StrataError, and no output table is left behind.
import { describe, expect, it } from 'vitest'
import { pickManualCompaction, runCompaction } from '../../engine/compaction/index.js'
import type { CompactionSpec } from '../../engine/compaction/index.js'
import { ioError, isStrataError, StrataError } from '../../engine/errors.js'
import type { StrataErrorCode } from '../../engine/errors.js'
import type { FileSystem, WritableFile } from '../../engine/fs/fs.js'
import { MemFileSystem } from '../../engine/fs/mem-fs.js'
import type { FileMetaData } from '../../engine/version/index.js'
import { DIR, icmp, newFs, put, TABLE, ucmp, versionOf, writeTable } from './helpers.js'
import type { Entry } from './helpers.js'

type Op = 'create' | 'append' | 'sync' | 'syncDir'

/**
 * A MemFileSystem whose `nth` call of `op` (counting from 1) throws an injected IO_ERROR, and
 * which remembers every file it created.
 */
class FaultyFs extends MemFileSystem {
  readonly created: string[] = []
  private readonly seen = new Map<Op, number>()
  constructor(private readonly op: Op | 'none', private readonly nth = 0) {
    super()
    this.mkdir(DIR)
  }

  /** Counts a call of `op`; throws on the chosen one. */
  tick(op: Op, path: string): void {
    const n = (this.seen.get(op) ?? 0) + 1
    this.seen.set(op, n)
    if (op === this.op && n === this.nth) {
      throw ioError(op, path, Object.assign(new Error('injected fault'), { injected: true }))
    }
  }

  override create(path: string): WritableFile {
    this.tick('create', path)
    const f = super.create(path)
    this.created.push(path.slice(DIR.length + 1))
    return {
      append: (data, start, end) => {
        this.tick('append', path)
        f.append(data, start, end)
      },
      sync: () => {
        this.tick('sync', path)
        f.sync()
      },
      syncAsync: () => f.syncAsync(),
      get size() {
        return f.size
      },
      close: () => f.close(),
    }
  }

  override syncDir(dir: string): void {
    this.tick('syncDir', dir)
    super.syncDir(dir)
  }
}

const manyEntries = (n: number): Entry[] =>
  Array.from({ length: n }, (_, i) => put(`key${String(i).padStart(5, '0')}`, i + 1, 'v'.repeat(30)))

function spec1(levels: FileMetaData[][]): CompactionSpec {
  const spec = pickManualCompaction(versionOf(levels), 1, undefined, undefined,
    { targetFileSize: 1 << 20, levelSizeMultiplier: 10, l0CompactionTrigger: 4 }, icmp, ucmp)
  if (spec === undefined) throw new Error('nothing to compact')
  return spec
}

/** Runs the compaction, expecting a StrataError with `code`; returns the directory's tables after. */
function runExpectingFailure(fs: FileSystem, spec: CompactionSpec, code: StrataErrorCode, targetFileSize = 1024): string[] {
  let next = 100
  let caught: unknown
  try {
    runCompaction(spec, { fs, dir: DIR, table: TABLE, targetFileSize, smallestSnapshot: 0, allocateFileNumber: () => next++ })
  } catch (err) {
    caught = err
  }
  expect(caught).toBeInstanceOf(StrataError)
  expect((caught as StrataError).code).toBe(code)
  return fs.list(DIR).sort()
}

describe('file-system failures', () => {
  const cases: Array<[string, Op, number]> = [
    ['creating the third output', 'create', 4], // create 1 made the input table
    ['an append to an output', 'append', 5],
    ['the fdatasync of the second output', 'sync', 2],
    ['the final directory sync', 'syncDir', 1],
  ]
  for (const [what, op, nth] of cases) {
    it(`removes every output and rethrows IO_ERROR when ${what} fails`, () => {
      const fs = new FaultyFs(op, nth)
      const input = writeTable(fs, 1, manyEntries(200))
      const left = runExpectingFailure(fs, spec1([[], [input]]), 'IO_ERROR')
      expect(fs.created.length).toBeGreaterThanOrEqual(3) // outputs existed before the fault
      expect(left).toEqual(['000001.sst'])
    })
  }

  it('marks an injected failure as injected', () => {
    const fs = new FaultyFs('sync', 1)
    const input = writeTable(fs, 1, manyEntries(10))
    let next = 100
    try {
      runCompaction(spec1([[], [input]]), { fs, dir: DIR, table: TABLE, targetFileSize: 1024, smallestSnapshot: 0, allocateFileNumber: () => next++ })
      expect.unreachable()
    } catch (err) {
      expect(isStrataError(err, 'IO_ERROR') && err.injected).toBe(true)
    }
  })
})

describe('damaged or inconsistent inputs', () => {
  it('reports a flipped byte in an input data block as CORRUPTION and leaves no outputs', () => {
    const fs = new FaultyFs('none')
    const input = writeTable(fs, 1, manyEntries(300))
    const stored = fs.files.get(`${DIR}/000001.sst`)!
    stored.data[Math.floor(input.size * 0.6)]! ^= 0x40
    expect(runExpectingFailure(fs, spec1([[], [input]]), 'CORRUPTION')).toEqual(['000001.sst'])
    expect(fs.created.length).toBeGreaterThanOrEqual(3) // outputs were written before the damage
  })

  it('reports a table whose size differs from its metadata as CORRUPTION', () => {
    const fs = newFs()
    const input = writeTable(fs, 1, manyEntries(5))
    const wrong = { ...input, size: input.size + 1 }
    expect(runExpectingFailure(fs, spec1([[], [wrong]]), 'CORRUPTION')).toEqual(['000001.sst'])
  })

  it('reports a missing input table as IO_ERROR', () => {
    const fs = newFs()
    const input = writeTable(fs, 1, manyEntries(5))
    fs.unlink(`${DIR}/000001.sst`)
    expect(runExpectingFailure(fs, spec1([[], [input]]), 'IO_ERROR')).toEqual([])
  })

  it('reports files of one level whose keys interleave as CORRUPTION', () => {
    const fs = newFs()
    const a = writeTable(fs, 1, [put('a', 1), put('c', 2)])
    const b = writeTable(fs, 2, [put('b', 3), put('d', 4)])
    expect(runExpectingFailure(fs, spec1([[], [a, b]]), 'CORRUPTION')).toEqual(['000001.sst', '000002.sst'])
  })

  it('reports one sequence number used twice for a key as CORRUPTION', () => {
    const fs = newFs()
    const upper = writeTable(fs, 1, [put('a', 5, 'new')])
    const lower = writeTable(fs, 2, [put('a', 5, 'old')])
    expect(runExpectingFailure(fs, spec1([[], [upper], [lower]]), 'CORRUPTION')).toEqual(['000001.sst', '000002.sst'])
  })

  it('reports an entry of unknown kind as CORRUPTION', () => {
    const fs = newFs()
    const input = writeTable(fs, 1, [put('a', 1), { ...put('b', 2), kind: 7 }])
    expect(runExpectingFailure(fs, spec1([[], [input]]), 'CORRUPTION')).toEqual(['000001.sst'])
  })
})
