// Decoders: arbitrary bytes, and valid encodings with bytes flipped (checksums bypassed where a
// decoder sits behind one), fed to the WAL reader (every mode), the block decoder and
// iterator, the index-entry (block handle) parser, the footer parser, the properties decoder,
// the MANIFEST's VersionEdit decoder and the WriteBatch decoder. Each gives records or a
// StrataError CORRUPTION, nothing else (the footer may also say NOT_SUPPORTED for a version
// it does not know, as format-spec/sstable.md documents).
import fc from 'fast-check'
import { afterAll, describe, it } from 'vitest'
import { bytewiseComparator } from '../engine/base/comparator.js'
import { forEachRecord, WriteBatch } from '../engine/batch/index.js'
import { StrataError } from '../engine/errors.js'
import { MemFileSystem } from '../engine/fs/mem-fs.js'
import { Block } from '../engine/sstable/block.js'
import { BlockBuilder } from '../engine/sstable/block-builder.js'
import { BlockIter } from '../engine/sstable/block-iter.js'
import { decodeFooter, encodeFooter } from '../engine/sstable/footer.js'
import { FOOTER_SIZE } from '../engine/sstable/format.js'
import type { BlockHandle } from '../engine/sstable/format.js'
import { decodeProperties } from '../engine/sstable/properties.js'
import { decodeIndexValue } from '../engine/sstable/verify.js'
import { VersionEdit } from '../engine/version/index.js'
import { LogReader, LogWriter } from '../engine/wal/index.js'
import type { WalReadMode } from '../engine/wal/index.js'
import { Violation } from './support/checks.js'
import { params, runs } from './support/env.js'
import { Summary } from './support/summary.js'

const summary = new Summary('decoders')
afterAll(() => summary.print())

const RUNS = runs(150, 5000)

/** Runs a decoder; anything but a normal return or CORRUPTION (or an allowed code) fails. */
function decode(name: string, fn: () => void, allowed: readonly string[] = []): void {
  try {
    fn()
    summary.add('inputs decoded', `${name}: records`)
  } catch (err) {
    if (err instanceof StrataError && (err.code === 'CORRUPTION' || allowed.includes(err.code))) {
      summary.add('inputs decoded', `${name}: ${err.code}`)
      return
    }
    summary.add('failures', name)
    throw new Violation(`${name} threw ${err instanceof StrataError ? err.code : 'a non-StrataError'}: ${String(err)}`)
  }
}

/** Flips bytes of `valid` at the given (fractional) positions. */
function mutate(valid: Uint8Array, flips: ReadonlyArray<readonly [number, number]>): Uint8Array {
  const out = Uint8Array.from(valid)
  for (const [at, mask] of flips) if (out.length > 0) out[Math.floor(at * out.length)]! ^= mask
  return out
}

const flipsArb = fc.array(fc.tuple(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.integer({ min: 1, max: 255 })), { minLength: 0, maxLength: 4 })
const bytesArb = fc.uint8Array({ maxLength: 600 })
const recordsArb = fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 12 })
const keyValuesArb = fc.uniqueArray(fc.tuple(fc.uint8Array({ maxLength: 12 }), fc.uint8Array({ maxLength: 30 })), {
  maxLength: 20, selector: ([k]) => Buffer.from(k).toString('hex'),
}).map((kvs) => kvs.sort((a, b) => Buffer.compare(a[0], b[0])))

const MODES: readonly WalReadMode[] = ['absolute', 'tolerate-torn-tail', 'skip-corrupted']

function readLog(bytes: Uint8Array): void {
  for (const mode of MODES) {
    decode(`WAL reader (${mode})`, () => {
      const r = new LogReader(bytes, '000001.log', { mode })
      for (let i = 0; r.readRecord() !== undefined; i++) if (i > bytes.length) throw new Error('more records than bytes')
    })
  }
}

function writeLog(records: readonly Uint8Array[]): Uint8Array {
  const fs = new MemFileSystem()
  const w = new LogWriter(fs.create('/l'))
  for (const r of records) w.addRecord(r)
  w.close()
  return fs.readFile('/l')
}

function readBlock(data: Uint8Array): void {
  decode('block decoder', () => {
    const it = new BlockIter(bytewiseComparator, new Block(data, 't.sst', 0))
    let n = 0
    for (it.seekToFirst(); it.valid() && n < 10_000; it.next(), n++) {
      it.key()
      it.value()
    }
    for (it.seekToLast(); it.valid() && n < 20_000; it.prev(), n++) it.key()
    it.seek(Uint8Array.of(0x61))
  })
}

function buildBlock(kvs: ReadonlyArray<readonly [Uint8Array, Uint8Array]>, interval: number): Uint8Array {
  const b = new BlockBuilder(interval)
  for (const [k, v] of kvs) b.add(k, v)
  return Uint8Array.from(b.finish())
}

function readIndex(data: Uint8Array): void {
  decode('index entries (block handles)', () => {
    const it = new BlockIter(bytewiseComparator, new Block(data, 't.sst', 0))
    const h: BlockHandle = { offset: 0, size: 0 }
    for (it.seekToFirst(); it.valid(); it.next()) decodeIndexValue(it, h, 't.sst', 0)
  })
}

function buildEdit(n: number, key: Uint8Array): Uint8Array {
  const e = new VersionEdit()
  e.comparatorName = 'stratadb.BytewiseComparator'
  e.logNumber = n
  e.nextFileNumber = n + 10
  e.lastSequence = n * 3
  e.compactPointers.push({ level: 1, key: Uint8Array.from([...key, 1, 0, 0, 0, 0, 0, 0, 0]) })
  e.deleteFile(2, n + 1)
  e.addFile(1, { number: n + 2, size: 100 + n, smallest: Uint8Array.from([...key, 1, 0, 0, 0, 0, 0, 0, 0]), largest: Uint8Array.from([...key, 0xff, 1, 0, 0, 0, 0, 0, 0, 0]) })
  return e.encode()
}

function buildBatch(kvs: ReadonlyArray<readonly [Uint8Array, Uint8Array]>): Uint8Array {
  const b = new WriteBatch()
  kvs.forEach(([k, v], i) => (i % 3 === 2 ? b.delete(k) : b.put(k, v)))
  b.setSequence(7)
  return Uint8Array.from(b.contents())
}

describe('decoders on arbitrary and damaged input', () => {
  it('WAL reader: records or CORRUPTION, in every recovery mode', () => {
    fc.assert(fc.property(bytesArb, (bytes) => readLog(bytes)), params(0xd1, RUNS))
    fc.assert(fc.property(recordsArb, flipsArb, (records, flips) => readLog(mutate(writeLog(records), flips))), params(0xd2, RUNS))
  })

  it('block decoder and iterator, and index entries: entries or CORRUPTION', () => {
    fc.assert(fc.property(bytesArb, (bytes) => {
      readBlock(bytes)
      readIndex(bytes)
    }), params(0xd3, RUNS))
    fc.assert(fc.property(keyValuesArb, fc.integer({ min: 1, max: 4 }), flipsArb, (kvs, interval, flips) => {
      const block = mutate(buildBlock(kvs, interval), flips)
      readBlock(block)
      readIndex(block)
      decode('properties decoder', () => void decodeProperties(new Block(block, 't.sst', 0)))
    }), params(0xd4, RUNS))
  })

  it('footer parser: handles, or CORRUPTION (NOT_SUPPORTED for an unknown version)', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: FOOTER_SIZE, maxLength: FOOTER_SIZE }), (bytes) => {
      decode('footer parser', () => void decodeFooter(bytes, 't.sst', 0), ['NOT_SUPPORTED'])
    }), params(0xd5, RUNS))
    fc.assert(fc.property(fc.nat(), fc.nat(), fc.nat(), fc.nat(), flipsArb, (a, b, c, d, flips) => {
      const footer = mutate(encodeFooter({ offset: a, size: b }, { offset: c, size: d }), flips)
      decode('footer parser', () => void decodeFooter(footer, 't.sst', 0), ['NOT_SUPPORTED'])
    }), params(0xd6, RUNS))
  })

  it('MANIFEST VersionEdit decoder: an edit or CORRUPTION', () => {
    fc.assert(fc.property(bytesArb, (bytes) => decode('VersionEdit decoder', () => void VersionEdit.decode(bytes, 'MANIFEST-000001', 0))), params(0xd7, RUNS))
    fc.assert(fc.property(fc.nat(1_000_000), fc.uint8Array({ maxLength: 10 }), flipsArb, (n, key, flips) => {
      const bytes = mutate(buildEdit(n, key), flips)
      decode('VersionEdit decoder', () => void VersionEdit.decode(bytes, 'MANIFEST-000001', 0))
    }), params(0xd8, RUNS))
  })

  it('WriteBatch decoder: records or CORRUPTION', () => {
    const each = (): void => {}
    fc.assert(fc.property(bytesArb, (bytes) => decode('WriteBatch decoder', () => void forEachRecord(bytes, '000001.log', 0, each))), params(0xd9, RUNS))
    fc.assert(fc.property(keyValuesArb, flipsArb, (kvs, flips) => {
      const bytes = mutate(buildBatch(kvs), flips)
      decode('WriteBatch decoder', () => void forEachRecord(bytes, '000001.log', 0, each))
    }), params(0xda, RUNS))
  })
})
