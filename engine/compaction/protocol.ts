// The messages between the main thread and the compaction worker (worker.ts). Everything here
// is plain, structured-cloneable data: no class instances cross the thread boundary (a frozen
// memtable crosses as SharedArrayBuffers, shared, not copied).
import type { SharedMemTable } from '../memtable/index.js'
import type { FileMetaData } from '../version/index.js'
import type { TableShape } from './build-table.js'

/** Write an L0 table from a frozen memtable, read in place through its shared memory. */
export interface FlushRequest {
  kind: 'flush'
  id: number
  dir: string
  memtable: SharedMemTable
  outputNumber: number
  table: TableShape
}

/** Run one compaction (job.ts) with output file numbers allocated in advance. */
export interface CompactRequest {
  kind: 'compact'
  id: number
  dir: string
  spec: unknown // a CompactionSpec from picker.ts
  outputNumbers: number[]
  smallestSnapshot: number
  table: TableShape
  targetFileSize: number
}

export type WorkerRequest = FlushRequest | CompactRequest

export interface WorkerError {
  code: string
  message: string
}

export type WorkerResponse =
  | { id: number; ok: true; flushed?: FileMetaData | undefined; compacted?: unknown }
  | { id: number; ok: false; error: WorkerError }
