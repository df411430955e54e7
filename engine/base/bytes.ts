// Byte strings: the one bytewise comparator used everywhere, and conversion at the API edge.
// Keys order like memcmp, the shorter first on a tie (DESIGN.md, "Keys order bytewise").

/** Compares a[aStart, aEnd) with b[bStart, bEnd) bytewise: negative, 0 or positive. */
export function compareRange(
  a: Uint8Array, aStart: number, aEnd: number,
  b: Uint8Array, bStart: number, bEnd: number,
): number {
  const aLen = aEnd - aStart
  const bLen = bEnd - bStart
  const n = aLen < bLen ? aLen : bLen
  for (let i = 0; i < n; i++) {
    const d = a[aStart + i]! - b[bStart + i]!
    if (d !== 0) return d
  }
  return aLen - bLen
}

/** Compares whole byte arrays bytewise. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  return compareRange(a, 0, a.length, b, 0, b.length)
}

/** Length of the common prefix of a[0, aLen) and b[bStart, bEnd). */
export function sharedPrefixLength(a: Uint8Array, aLen: number, b: Uint8Array, bStart: number, bEnd: number): number {
  const bLen = bEnd - bStart
  const n = aLen < bLen ? aLen : bLen
  let i = 0
  while (i < n && a[i] === b[bStart + i]) i++
  return i
}

/** u[start, end) as a view: `u` itself when that is all of it, else a subarray. */
export function rangeView(u: Uint8Array, start: number, end: number): Uint8Array {
  return start === 0 && end === u.length ? u : u.subarray(start, end)
}

/** A Buffer viewing the same memory as `u` (no copy). */
export function asBuffer(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength)
}

/**
 * Runs up to this many bytes are copied by a loop; longer ones by `set` from a plain view (a
 * Buffer's own subarray costs a Buffer construction). Limits from 32 to 256 measured alike in
 * speed (memtable inserts, block building, reverse scans; benchmarks/memtable.bench.ts), but
 * not in memory: at 32, every 100-byte value a write batch copies into the memtable made a
 * view, and a 1M-entry fillbatch took the main thread's young generation from 4 to 8 MB
 * semispaces (peak heap 25 MB); at 128 it stays at 17 MB, 3-4 MB less peak RSS.
 */
const COPY_LOOP_MAX = 128

/** Copies src[start, end) to dst at `at`. The engine's one byte-range copy. */
export function copyRange(src: Uint8Array, start: number, end: number, dst: Uint8Array, at: number): void {
  const n = end - start
  if (n <= COPY_LOOP_MAX) {
    for (let i = 0; i < n; i++) dst[at + i] = src[start + i]!
  } else if (start === 0 && n === src.length) {
    dst.set(src, at)
  } else {
    dst.set(new Uint8Array(src.buffer, src.byteOffset + start, n), at)
  }
}

/**
 * copyBytes copies runs this long or longer by `set` from a plain view. Its output is a fresh
 * Buffer anyway, so the view is no extra garbage to speak of, and for a 100-byte value (what a
 * get returns in db_bench) `set` took 130-135 ns where copyRange's loop took 280-360, allocation
 * included; at 16-32 bytes the loop is the faster (150-200 vs 185-210 ns).
 */
const COPY_OUT_SET_MIN = 48

/** An owned copy of u[start, end) as a Buffer the caller may keep. */
export function copyBytes(u: Uint8Array, start = 0, end = u.length): Buffer {
  const n = end - start
  const out = Buffer.allocUnsafe(n)
  if (n < COPY_OUT_SET_MIN) {
    for (let i = 0; i < n; i++) out[i] = u[start + i]!
  } else {
    out.set(start === 0 && n === u.length ? u : new Uint8Array(u.buffer, u.byteOffset + start, n))
  }
  return out
}

/** Renders bytes for messages and the CLI: UTF-8 where printable, else hex. */
export function printable(u: Uint8Array, max = 64): string {
  const b = asBuffer(u)
  const s = b.toString('utf8')
  const ok = /^[\x20-\x7e]*$/.test(s)
  const text = ok ? JSON.stringify(s) : '0x' + b.toString('hex')
  return text.length > max ? text.slice(0, max) + '…' : text
}
