// Decoding an encoded write batch (a WAL record's payload, or WriteBatch.contents()) and
// applying it to a memtable. Format: format-spec/batch.md, "Reading".
//
// The visitor hands out ranges of the input, so decoding allocates nothing per record. Every
// kind of damage (a short header, a sequence number past 2^53 - 1, an unknown kind, a bad or
// overlong length, a count that disagrees with the records, bytes after the last record) is a
// StrataError CORRUPTION naming the file and the offset of the damage.
import { getFixed32, getFixed64, getVarint32, varint } from '../base/coding.js'
import { MAX_SEQUENCE } from '../base/internal-key.js'
import { corruption } from '../errors.js'
import { COUNT_OFFSET, HEADER_SIZE, KIND_DELETION, KIND_VALUE, SEQUENCE_OFFSET } from './format.js'

/**
 * Receives one record: its sequence number, kind, and its key and value as ranges of `buf`
 * (buf[keyStart, keyEnd), buf[valueStart, valueEnd); an empty value range for a deletion).
 * The ranges are views of the caller's input: copy to keep.
 */
export type RecordHandler = (
  sequence: number, kind: number, buf: Uint8Array,
  keyStart: number, keyEnd: number, valueStart: number, valueEnd: number,
) => void

/** What `applyBatch` writes into: a MemTable (engine/memtable) has this method. */
export interface BatchSink {
  addRange(
    sequence: number, kind: number,
    key: Uint8Array, keyStart: number, keyEnd: number,
    value: Uint8Array, valueStart: number, valueEnd: number,
  ): void
}

/**
 * Calls `handler` for each record of the batch in `bytes`, in order, and returns the count.
 * Damage throws CORRUPTION at `fileName`@(fileOffset + position); records before the damage
 * have been handed out by then, so use {@link applyBatch} to apply all or nothing.
 */
export function forEachRecord(bytes: Uint8Array, fileName: string, fileOffset: number, handler: RecordHandler): number {
  const end = bytes.length
  const sequence = batchSequence(bytes, fileName, fileOffset)
  const count = getFixed32(bytes, COUNT_OFFSET)
  if (count > 0 && count - 1 > MAX_SEQUENCE - sequence) { // no rounding: both sides stay below 2^53
    throw corruption(fileName, fileOffset + COUNT_OFFSET, `${count} records from sequence ${sequence} pass 2^53 - 1`)
  }
  let at = HEADER_SIZE
  let found = 0
  while (at < end) {
    if (found === count) {
      throw corruption(fileName, fileOffset + at, `${end - at} bytes follow the ${count} records the header counts`)
    }
    const kind = bytes[at]!
    if (kind !== KIND_VALUE && kind !== KIND_DELETION) {
      throw corruption(fileName, fileOffset + at, `unknown record kind ${kind}`)
    }
    const keyStart = readLength(bytes, at + 1, end, fileName, fileOffset, 'key')
    const keyEnd = keyStart + varint.value
    let valueStart = keyEnd
    let valueEnd = keyEnd
    if (kind === KIND_VALUE) {
      valueStart = readLength(bytes, keyEnd, end, fileName, fileOffset, 'value')
      valueEnd = valueStart + varint.value
    }
    handler(sequence + found, kind, bytes, keyStart, keyEnd, valueStart, valueEnd)
    found++
    at = valueEnd
  }
  if (found !== count) {
    throw corruption(fileName, fileOffset + end, `the header counts ${count} records, the batch holds ${found}`)
  }
  return count
}

/**
 * Applies the batch in `bytes` to `sink`, record i at sequence number `sequence + i`. The
 * whole batch is checked first: on damage nothing is applied. Returns the record count.
 */
export function applyBatch(bytes: Uint8Array, sink: BatchSink, fileName = '<batch>', fileOffset = 0): number {
  forEachRecord(bytes, fileName, fileOffset, ignoreRecord)
  return forEachRecord(bytes, fileName, fileOffset, (sequence, kind, buf, keyStart, keyEnd, valueStart, valueEnd) => {
    sink.addRange(sequence, kind, buf, keyStart, keyEnd, buf, valueStart, valueEnd)
  })
}

/** The header's sequence number. Throws CORRUPTION for a short header or one past 2^53 - 1. */
export function batchSequence(bytes: Uint8Array, fileName = '<batch>', fileOffset = 0): number {
  checkHeader(bytes, fileName, fileOffset)
  const sequence = getFixed64(bytes, SEQUENCE_OFFSET)
  if (sequence < 0) throw corruption(fileName, fileOffset + SEQUENCE_OFFSET, 'sequence number is 2^53 or more')
  return sequence
}

/** The header's record count. Throws CORRUPTION for a short header. */
export function batchCount(bytes: Uint8Array, fileName = '<batch>', fileOffset = 0): number {
  checkHeader(bytes, fileName, fileOffset)
  return getFixed32(bytes, COUNT_OFFSET)
}

function checkHeader(bytes: Uint8Array, fileName: string, fileOffset: number): void {
  if (bytes.length < HEADER_SIZE) {
    throw corruption(fileName, fileOffset, `a batch of ${bytes.length} bytes is shorter than its ${HEADER_SIZE}-byte header`)
  }
}

/** Reads the varint length at `at`; returns where the bytes start (length in varint.value). */
function readLength(bytes: Uint8Array, at: number, end: number, fileName: string, fileOffset: number, what: string): number {
  const start = getVarint32(bytes, at, end)
  if (start < 0) throw corruption(fileName, fileOffset + at, `bad ${what} length`)
  if (varint.value > end - start) {
    throw corruption(fileName, fileOffset + at, `${what} length ${varint.value} runs past the end of the batch`)
  }
  return start
}

function ignoreRecord(): void {}
