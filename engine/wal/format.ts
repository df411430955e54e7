// Write-ahead log framing constants, shared by the writer and the reader.
// Format: format-spec/wal.md, "Blocks" and "Fragments".
//
//   file     := block* (the last block may be short)
//   block    := fragment* trailer?                                  (32768 bytes)
//   fragment := checksum:fixed32 · length:fixed16 · type:u8 · payload[length]
//   trailer  := 0x00{0..6}       (a block's last bytes when fewer than HEADER_SIZE remain)

/** Every block is this long except possibly the last one of the file. On-disk: never change. */
export const BLOCK_SIZE = 32 * 1024

/** checksum (fixed32) + length (fixed16) + type (1 byte). On-disk: never change. */
export const HEADER_SIZE = 4 + 2 + 1

/** Offsets of the header fields inside a fragment. */
export const CHECKSUM_OFFSET = 0
export const LENGTH_OFFSET = 4
export const TYPE_OFFSET = 4 + 2

/** Most payload bytes one fragment can carry: a whole block less one header. */
export const MAX_FRAGMENT_PAYLOAD = BLOCK_SIZE - HEADER_SIZE

/**
 * Fragment types. On-disk: never renumber or reuse.
 * 0 is reserved: it is what zero-filled (preallocated or never-written) space reads as, and the
 * writer never emits it.
 */
export const TYPE_ZERO = 0
/** A whole record in one fragment. */
export const TYPE_FULL = 1
/** The first fragment of a record split across blocks. */
export const TYPE_FIRST = 2
/** A fragment strictly inside a split record (a whole block's worth of payload). */
export const TYPE_MIDDLE = 3
/** The final fragment of a split record. */
export const TYPE_LAST = 4
/** Highest type this version understands; anything above is damage. */
export const MAX_TYPE = TYPE_LAST

export type FragmentType = typeof TYPE_FULL | typeof TYPE_FIRST | typeof TYPE_MIDDLE | typeof TYPE_LAST

/** Name of a fragment type, for messages. */
export function typeName(type: number): string {
  switch (type) {
    case TYPE_FULL: return 'FULL'
    case TYPE_FIRST: return 'FIRST'
    case TYPE_MIDDLE: return 'MIDDLE'
    case TYPE_LAST: return 'LAST'
    default: return `type ${type}`
  }
}
