// Wire constants of the MANIFEST's version edits. Format: format-spec/manifest.md.
// On-disk: never renumber or reuse a tag.

/** Levels L0..L6. */
export const NUM_LEVELS = 7

export const TAG_COMPARATOR = 1
export const TAG_LOG_NUMBER = 2
export const TAG_NEXT_FILE_NUMBER = 3
export const TAG_LAST_SEQUENCE = 4
export const TAG_COMPACT_POINTER = 5
export const TAG_DELETED_FILE = 6
export const TAG_NEW_FILE = 7
