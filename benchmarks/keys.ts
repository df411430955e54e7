// What the workloads write and look up: 16-byte zero-padded decimal keys (db_bench's "%016d"),
// 100-byte values that compress to about half (db_bench's --compression_ratio=0.5), and the
// seeded key orders. Everything here is generated before the timer starts and is identical for
// every engine (same seed, same bytes).

/** Bytes of a key: zero-padded decimal, as db_bench formats them. */
export const KEY_SIZE = 16
/** Bytes of a missing key for readmissing: an existing key followed by '.'. */
export const MISSING_KEY_SIZE = KEY_SIZE + 1
const DOT = 0x2e
const ZERO = 0x30

/** Writes key number `n` as KEY_SIZE zero-padded decimal digits at buf[offset ...]. */
export function writeKey(buf: Uint8Array, n: number, offset = 0): void {
  let rest = n
  for (let i = offset + KEY_SIZE - 1; i >= offset; i--) {
    const q = Math.floor(rest / 10)
    buf[i] = ZERO + (rest - q * 10)
    rest = q
  }
}

/** Writes the missing neighbour of key `n` (key n, then '.') at buf[0, MISSING_KEY_SIZE). */
export function writeMissingKey(buf: Uint8Array, n: number): void {
  writeKey(buf, n)
  buf[KEY_SIZE] = DOT
}

/** A small seeded PRNG (mulberry32): 32-bit state, uniform 32-bit outputs. */
export class Rng {
  private state: number

  constructor(seed: number) {
    this.state = seed >>> 0
  }

  /** A uniform unsigned 32-bit integer. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return (t ^ (t >>> 14)) >>> 0
  }

  /** A uniform integer in [0, n), n <= 2^32. */
  below(n: number): number {
    return Math.floor((this.next() / 0x1_0000_0000) * n)
  }
}

export type KeyOrderKind = 'sequential' | 'shuffled' | 'uniform'

/**
 * `count` key numbers in [0, num): 0, 1, 2 ... (sequential), the first `count` of a random
 * permutation (shuffled: no repeats), or independent uniform draws (uniform: with repeats).
 */
export function keyOrder(kind: KeyOrderKind, num: number, count: number, seed: number): Int32Array {
  const out = new Int32Array(count)
  if (kind === 'sequential') {
    for (let i = 0; i < count; i++) out[i] = i
    return out
  }
  const rng = new Rng(seed)
  if (kind === 'uniform') {
    for (let i = 0; i < count; i++) out[i] = rng.below(num)
    return out
  }
  const perm = count === num ? out : new Int32Array(num)
  for (let i = 0; i < num; i++) perm[i] = i
  for (let i = num - 1; i > 0; i--) {
    const j = rng.below(i + 1)
    const t = perm[i]!
    perm[i] = perm[j]!
    perm[j] = t
  }
  if (perm !== out) out.set(perm.subarray(0, count))
  return out
}

/** Bytes of the value pool values are sliced from, as in db_bench's RandomGenerator. */
const POOL_BYTES = 1024 * 1024

/**
 * Values for the writes: `valueSize`-byte slices of a 1 MiB pool in which each slice holds
 * `valueSize * ratio` random printable bytes repeated to fill it, so a compressor halves it
 * (ratio 0.5). value(i) for consecutive i walks the pool, like db_bench's generator; the slices
 * are made once, so taking a value allocates nothing.
 */
export class ValuePool {
  private readonly slices: Buffer[] = []

  constructor(readonly valueSize: number, ratio: number, seed: number) {
    const rng = new Rng(seed)
    const pool = Buffer.allocUnsafe(Math.max(POOL_BYTES, valueSize))
    const raw = Math.max(1, Math.round(valueSize * ratio))
    for (let start = 0; start + valueSize <= pool.length; start += valueSize) {
      for (let i = 0; i < raw; i++) pool[start + i] = 0x20 + rng.below(95)
      for (let i = raw; i < valueSize; i++) pool[start + i] = pool[start + (i % raw)]!
      this.slices.push(pool.subarray(start, start + valueSize))
    }
  }

  /** The i-th value. The caller must not modify it. */
  value(i: number): Buffer {
    return this.slices[i % this.slices.length]!
  }
}
