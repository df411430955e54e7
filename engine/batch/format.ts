// Wire constants of the write batch, whose encoding is also the payload of one WAL record.
// Format: format-spec/batch.md. On-disk: never renumber or reuse.
//
//   batch  := sequence: fixed64 LE · count: fixed32 LE · record*
//   record := KIND_VALUE · varint key length · key · varint value length · value
//           | KIND_DELETION · varint key length · key
//
// The record kinds are the internal-key kinds (engine/base/internal-key.ts): 0 deletion,
// 1 value, so a record's kind byte goes into its memtable entry unchanged.
export { KIND_DELETION, KIND_VALUE } from '../base/internal-key.js'

/** The sequence number of the first record. */
export const SEQUENCE_OFFSET = 0
export const SEQUENCE_SIZE = 8
/** How many records follow the header. */
export const COUNT_OFFSET = SEQUENCE_OFFSET + SEQUENCE_SIZE
export const COUNT_SIZE = 4
/** 8 + 4 = 12 bytes. */
export const HEADER_SIZE = SEQUENCE_SIZE + COUNT_SIZE

/** Largest record count a header can hold: 2^32 - 1. */
export const MAX_COUNT = 0xffffffff
/**
 * Largest encoded batch this engine builds: 2^31 - 1 bytes, so every offset and length fits
 * an Int32 and no Buffer limit is reached. Not a wire limit: a reader accepts any size.
 */
export const MAX_BATCH_SIZE = 0x7fffffff
