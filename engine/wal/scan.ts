// Byte-level checks the log reader makes around damage: is the rest zero, does a checksummed
// fragment exist after the damaged one (which tells a torn tail from damage in the middle).
// Format: format-spec/wal.md, "Reading a log", "Torn tail or corruption".
//
// Ranges are (buf, offset, end) and nothing reads at or past `end`; each REQUIRES says what
// a caller must have checked first.
import { getFixed32 } from '../base/coding.js'
import { crc32, maskCrc } from '../base/crc.js'
import { BLOCK_SIZE, CHECKSUM_OFFSET, HEADER_SIZE, LENGTH_OFFSET, MAX_TYPE, TYPE_OFFSET, TYPE_ZERO } from './format.js'

/** True when buf[offset, end) holds only zero bytes (true for an empty range). */
export function allZero(buf: Uint8Array, offset: number, end: number): boolean {
  for (let i = offset; i < end; i++) if (buf[i] !== 0) return false
  return true
}

/** The length field of the header at `offset`. REQUIRES: offset + HEADER_SIZE <= buf.length. */
export function lengthAt(buf: Uint8Array, offset: number): number {
  return buf[offset + LENGTH_OFFSET]! | (buf[offset + LENGTH_OFFSET + 1]! << 8)
}

/**
 * True when the fragment at `offset`, ending at `fragmentEnd`, carries a correct checksum (it
 * covers the type byte and the payload, which sit side by side).
 * REQUIRES: offset + HEADER_SIZE <= fragmentEnd <= buf.length.
 */
export function checksumMatches(buf: Uint8Array, offset: number, fragmentEnd: number): boolean {
  return maskCrc(crc32(buf, offset + TYPE_OFFSET, fragmentEnd)) === getFixed32(buf, offset + CHECKSUM_OFFSET)
}

/** Where the block holding `offset` ends: the next multiple of BLOCK_SIZE above `offset`. */
export function blockEndOf(offset: number): number {
  return offset - (offset % BLOCK_SIZE) + BLOCK_SIZE
}

/**
 * Follows the chain of fragment headers from `offset` to `end` (the block's end, or the file's
 * end if sooner): returns the offset of the first fragment whose checksum matches, or -1.
 * It steps over a fragment with a bad checksum only while type and length look possible, since
 * a length that cannot be trusted sends the chain into the middle of some payload.
 */
export function firstValidInChain(buf: Uint8Array, offset: number, end: number): number {
  let p = offset
  while (end - p >= HEADER_SIZE) {
    const type = buf[p + TYPE_OFFSET]!
    if (type === TYPE_ZERO || type > MAX_TYPE) return -1
    const fragmentEnd = p + HEADER_SIZE + lengthAt(buf, p)
    if (fragmentEnd > end) return -1
    if (checksumMatches(buf, p, fragmentEnd)) return p
    p = fragmentEnd
  }
  return -1
}

/**
 * Looks for evidence of log data after damage at `damaged` in buf[0, end): a fragment with a
 * matching checksum that is either
 *   (a) where a writer puts headers: along the chain the damaged header's own length starts,
 *       or along the chain from any later block's start; or
 *   (b) anywhere else after the damage, provided the fragments from it chain, each with a
 *       matching checksum, exactly to the end of its block (through a zero trailer), to the
 *       end of the file, or into zeros that run to the end of the file, as a writer's do.
 * (b) finds records behind a zeroed or garbled stretch; its chain condition keeps bytes that
 * merely look like fragments inside a torn payload (a log stored as a value) from counting.
 * Returns the fragment's offset, or -1 when there is none: then the damage is a torn tail.
 */
export function validFragmentAfter(buf: Uint8Array, damaged: number, end: number): number {
  const blockEnd = blockEndOf(damaged)
  const stop = Math.min(blockEnd, end)
  if (stop - damaged >= HEADER_SIZE) {
    const found = firstValidInChain(buf, damaged + HEADER_SIZE + lengthAt(buf, damaged), stop)
    if (found >= 0) return found
  }
  for (let block = blockEnd; block < end; block += BLOCK_SIZE) {
    const found = firstValidInChain(buf, block, Math.min(block + BLOCK_SIZE, end))
    if (found >= 0) return found
  }
  let lastNonZero = end - 1
  while (lastNonZero >= 0 && buf[lastNonZero] === 0) lastNonZero--
  const chains = new Uint8Array(BLOCK_SIZE + 1)
  const verdicts = new Uint8Array(BLOCK_SIZE + 1)
  for (let block = blockEnd - BLOCK_SIZE; block < end; block += BLOCK_SIZE) {
    const found = firstChainedFragment(buf, block, Math.max(block, damaged + 1), end, lastNonZero, chains, verdicts)
    if (found >= 0) return found
  }
  return -1
}

/** chains[] values: how the bytes from a position on end (0: not like a writer's). */
const CHAIN_BROKEN = 0
/** The position is an end: the block's or file's end, a zero trailer, zeros to the file's end. */
const CHAIN_END = 1
/** A plausible header whose chain reaches an end. */
const CHAIN_HEADER = 2

/** verdicts[] values: whether the whole chain from a header position has good checksums. */
const UNKNOWN = 0
const GOOD = 1
const BAD = 2

/**
 * Tier (b) of validFragmentAfter for the block starting at `block`: the first offset >= `from`
 * where a chain of fragments with matching checksums starts and reaches an end of the block.
 * `chains` and `verdicts` are scratch of BLOCK_SIZE + 1 entries. `chains` is filled from the
 * block's end backwards, so each position is classified once from its lengths alone; checksums
 * are then computed only for headers whose chain is well formed, each at most once.
 */
function firstChainedFragment(
  buf: Uint8Array, block: number, from: number, end: number, lastNonZero: number,
  chains: Uint8Array, verdicts: Uint8Array,
): number {
  const blockEnd = block + BLOCK_SIZE
  const stop = Math.min(blockEnd, end)
  chains[stop - block] = CHAIN_END
  for (let x = stop - 1; x >= block; x--) {
    let kind = CHAIN_BROKEN
    if (x > lastNonZero) kind = CHAIN_END
    else if (blockEnd - x < HEADER_SIZE) kind = buf[x] === 0 && chains[x + 1 - block] === CHAIN_END ? CHAIN_END : CHAIN_BROKEN
    else if (stop - x >= HEADER_SIZE) {
      const type = buf[x + TYPE_OFFSET]!
      const next = x + HEADER_SIZE + lengthAt(buf, x)
      if (type !== TYPE_ZERO && type <= MAX_TYPE && next <= stop && chains[next - block] !== CHAIN_BROKEN) kind = CHAIN_HEADER
    }
    chains[x - block] = kind
  }
  verdicts.fill(UNKNOWN)
  const pending: number[] = []
  for (let x = from; x < stop; x++) {
    if (chains[x - block] !== CHAIN_HEADER) continue
    // Walk to the chain's end or to a header already judged, then judge backwards.
    let y = x
    while (chains[y - block] === CHAIN_HEADER && verdicts[y - block] === UNKNOWN) {
      pending.push(y)
      y += HEADER_SIZE + lengthAt(buf, y)
    }
    let verdict = chains[y - block] === CHAIN_END || verdicts[y - block] === GOOD ? GOOD : BAD
    while (pending.length > 0) {
      const p = pending.pop()!
      if (verdict === GOOD && !checksumMatches(buf, p, p + HEADER_SIZE + lengthAt(buf, p))) verdict = BAD
      verdicts[p - block] = verdict
    }
    if (verdict === GOOD) return x
  }
  return -1
}
