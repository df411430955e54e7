// The compaction layer's public surface: picking what to compact (picker.ts), running the
// merge (job.ts), and the plain data between them (format.ts). The scheduler and the worker
// hand-off build on these.
export { computeScores, levelMaxBytes, pickCompaction, pickManualCompaction } from './picker.js'
export type { LevelScore, PickerOptions } from './picker.js'
export { applyCompactionResult, INTERLEAVE_ENTRIES, runCompaction, trivialMoveResult } from './job.js'
export type { CompactionEnv, CompactionTableOptions } from './job.js'
export {
  EXPANDED_COMPACTION_FACTOR, GRANDPARENT_OVERLAP_FACTOR, LEVEL1_MAX_BYTES,
} from './format.js'
export type {
  CompactionEditDescription, CompactionResult, CompactionSpec, CompactionStats, LevelKeyRanges,
} from './format.js'
