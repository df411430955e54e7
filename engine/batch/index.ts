// The write-batch layer's public surface: the WriteBatch class and decoding its bytes (the
// payload of every WAL record) back into records, for replay and the write path.
export { WriteBatch } from './write-batch.js'
export { applyBatch, batchCount, batchSequence, forEachRecord } from './reader.js'
export type { BatchSink, RecordHandler } from './reader.js'
export { HEADER_SIZE as BATCH_HEADER_SIZE } from './format.js'
