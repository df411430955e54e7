// LogWriter: one append per record, continuing a file, refusing writes after failures.
import { describe, expect, it } from 'vitest'
import { isStrataError } from '../../engine/errors.js'
import { MemFileSystem } from '../../engine/fs/mem-fs.js'
import { BLOCK_SIZE, HEADER_SIZE } from '../../engine/wal/format.js'
import { LogReader, LogWriter } from '../../engine/wal/index.js'
import { CountingFile, FILE, pattern, readAll } from './helpers.js'

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (err) {
    return isStrataError(err) ? err.code : 'not a StrataError'
  }
  return undefined
}

describe('LogWriter', () => {
  it('hands each record to the file in one append, even when it spans blocks', () => {
    const file = new CountingFile()
    const writer = new LogWriter(file)
    writer.addRecord(pattern(100))
    writer.addRecord(pattern(70_000, 1)) // three fragments, 4 KiB scratch grown
    writer.addRecord(pattern(3, 2))
    expect(file.appends).toBe(3)
    expect(writer.size).toBe(file.size)
  })

  it('appends a record larger than its scratch in pieces that still read back whole', () => {
    const file = new CountingFile()
    const writer = new LogWriter(file)
    const big = pattern(1.5 * 1024 * 1024 + 5, 3)
    const end = writer.addRecord(big)
    expect(file.appends).toBeGreaterThan(1)
    expect(end).toBe(file.size)
    const back = readAll(file.bytes(), 'absolute')
    expect(back.records).toHaveLength(1)
    expect(Buffer.from(back.records[0]!).equals(Buffer.from(big))).toBe(true)
  })

  it('returns the file offset after each record, counting headers and block padding', () => {
    const writer = new LogWriter(new CountingFile())
    expect(writer.addRecord(new Uint8Array(0))).toBe(HEADER_SIZE)
    // fill the block up to 3 bytes before its end: the next record starts in the next block
    const fill = BLOCK_SIZE - HEADER_SIZE - HEADER_SIZE - 3
    expect(writer.addRecord(pattern(fill))).toBe(BLOCK_SIZE - 3)
    expect(writer.addRecord(pattern(10))).toBe(BLOCK_SIZE + HEADER_SIZE + 10)
  })

  it('writes a sub-range of the input exactly as the same bytes copied out', () => {
    const source = pattern(50_000, 4)
    const a = new CountingFile()
    new LogWriter(a).addRecord(source, 1000, 45_000)
    const b = new CountingFile()
    new LogWriter(b).addRecord(source.slice(1000, 45_000))
    expect(a.bytes().equals(b.bytes())).toBe(true)
  })

  it('continues a file at its current size with the same block arithmetic', () => {
    const fs = new MemFileSystem()
    const file = fs.create('/' + FILE)
    const first = new LogWriter(file)
    first.addRecord(pattern(32_000, 5))
    const second = new LogWriter(file) // the same file, 32007 bytes in: 761 left in block 0
    expect(second.size).toBe(32_007)
    second.addRecord(pattern(5000, 6))
    second.addRecord(pattern(1, 7))
    const reader = new LogReader(fs.readFile('/' + FILE), FILE, { mode: 'absolute' })
    const sizes: number[] = []
    for (let r = reader.readRecord(); r !== undefined; r = reader.readRecord()) sizes.push(r.length)
    expect(sizes).toEqual([32_000, 5000, 1])
  })

  it('rejects a range outside the input with INVALID_ARGUMENT and writes nothing', () => {
    const file = new CountingFile()
    const writer = new LogWriter(file)
    const data = pattern(10)
    expect(codeOf(() => writer.addRecord(data, 5, 11))).toBe('INVALID_ARGUMENT')
    expect(codeOf(() => writer.addRecord(data, 6, 5))).toBe('INVALID_ARGUMENT')
    expect(codeOf(() => writer.addRecord(data, -1, 5))).toBe('INVALID_ARGUMENT')
    expect(codeOf(() => writer.addRecord(data, 0.5, 5))).toBe('INVALID_ARGUMENT')
    expect(file.size).toBe(0)
  })

  it('refuses every write and sync after a failed append, keeping the failure as cause', () => {
    const file = new CountingFile()
    const writer = new LogWriter(file)
    writer.addRecord(pattern(10))
    file.failAppend = true
    expect(() => writer.addRecord(pattern(10))).toThrow('injected append failure')
    file.failAppend = false
    let refused: unknown
    try {
      writer.addRecord(pattern(10))
    } catch (err) {
      refused = err
    }
    expect(isStrataError(refused, 'IO_ERROR')).toBe(true)
    expect(isStrataError(refused) && refused.injected).toBe(true)
    expect(codeOf(() => writer.sync())).toBe('IO_ERROR')
    expect(file.appends).toBe(1)
  })

  it('refuses writes after a failed fsync instead of retrying it as if the data were safe', async () => {
    const file = new CountingFile()
    const writer = new LogWriter(file)
    writer.addRecord(pattern(10))
    file.failSync = true
    await expect(writer.syncAsync()).rejects.toThrow('injected sync failure')
    file.failSync = false
    expect(codeOf(() => writer.addRecord(pattern(10)))).toBe('IO_ERROR')
    await expect(writer.syncAsync()).rejects.toMatchObject({ code: 'IO_ERROR' })
    expect(file.syncs).toBe(0)
  })

  it('syncs through the file, and after close gives CLOSED; close is idempotent', async () => {
    const file = new CountingFile()
    const writer = new LogWriter(file)
    writer.addRecord(pattern(10))
    writer.sync()
    await writer.syncAsync()
    expect(file.syncs).toBe(2)
    writer.close()
    writer.close()
    expect(file.closed).toBe(true)
    expect(codeOf(() => writer.addRecord(pattern(1)))).toBe('CLOSED')
    expect(codeOf(() => writer.sync())).toBe('CLOSED')
    await expect(writer.syncAsync()).rejects.toMatchObject({ code: 'CLOSED' })
  })
})
