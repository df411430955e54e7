// WriteBatch: what it encodes, what it refuses, and that it owns its bytes.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { KIND_DELETION, KIND_VALUE, MAX_SEQUENCE } from '../../engine/base/internal-key.js'
import { forEachRecord } from '../../engine/batch/reader.js'
import { WriteBatch } from '../../engine/batch/write-batch.js'

const RUNS = Number(process.env.FUZZ_RUNS ?? 200)

type Op = { kind: 'put'; key: Uint8Array | string; value: Uint8Array | string } | { kind: 'del'; key: Uint8Array | string }

const bytesOrString = fc.oneof(
  fc.uint8Array({ maxLength: 40 }),
  fc.string({ maxLength: 20, unit: 'grapheme' }),
  fc.string({ maxLength: 10, unit: 'binary' }), // lone surrogates too
  fc.uint8Array({ minLength: 100, maxLength: 300 }), // two-byte length varints
)
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('put' as const), key: bytesOrString, value: bytesOrString }),
  fc.record({ kind: fc.constant('del' as const), key: bytesOrString }),
)

const utf8 = (x: Uint8Array | string): string => Buffer.from(typeof x === 'string' ? Buffer.from(x, 'utf8') : x).toString('hex')

function apply(batch: WriteBatch, ops: readonly Op[]): WriteBatch {
  for (const op of ops) {
    if (op.kind === 'put') batch.put(op.key, op.value)
    else batch.delete(op.key)
  }
  return batch
}

function expected(ops: readonly Op[], sequence: number): string[][] {
  return ops.map((op, i) =>
    op.kind === 'put'
      ? [String(sequence + i), String(KIND_VALUE), utf8(op.key), utf8(op.value)]
      : [String(sequence + i), String(KIND_DELETION), utf8(op.key), ''],
  )
}

function decoded(bytes: Uint8Array): string[][] {
  const out: string[][] = []
  const count = forEachRecord(bytes, 'test', 0, (seq, kind, buf, ks, ke, vs, ve) => {
    out.push([String(seq), String(kind), Buffer.from(buf.subarray(ks, ke)).toString('hex'), Buffer.from(buf.subarray(vs, ve)).toString('hex')])
  })
  expect(count).toBe(out.length)
  return out
}

const snapshot = (b: WriteBatch): string => Buffer.from(b.contents()).toString('hex') + `/${b.length}/${b.byteSize}`

describe('WriteBatch', () => {
  it('decodes to exactly the operations put in, with consecutive sequence numbers', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 30 }), fc.integer({ min: 0, max: MAX_SEQUENCE - 30 }), (ops, seq) => {
        const batch = apply(new WriteBatch(), ops)
        batch.setSequence(seq)
        expect(batch.length).toBe(ops.length)
        expect(batch.sequence).toBe(seq)
        expect(batch.byteSize).toBe(batch.contents().length)
        expect(decoded(batch.contents())).toEqual(expected(ops, seq))
      }),
      { seed: 11, numRuns: RUNS },
    )
  })

  it('appends another batch as if its operations had been added here', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 10 }), fc.array(opArb, { maxLength: 10 }), (a, b) => {
        const other = apply(new WriteBatch(), b)
        const before = snapshot(other)
        const joined = apply(new WriteBatch(), a).append(other)
        expect(snapshot(other)).toBe(before)
        expect(snapshot(joined)).toBe(snapshot(apply(new WriteBatch(), [...a, ...b])))
      }),
      { seed: 12, numRuns: RUNS },
    )
  })

  it('appends itself, doubling its operations', () => {
    const batch = new WriteBatch().put('k', 'v').delete('x')
    batch.append(batch)
    expect(decoded(batch.contents()).map((r) => r[2])).toEqual(['6b', '78', '6b', '78'])
  })

  it('rejects a key or value that is not bytes or a string with INVALID_ARGUMENT, leaving the batch unchanged', () => {
    const bad: unknown[] = [1, 0n, true, null, undefined, {}, [], [1, 2], new Uint16Array(2), new DataView(new ArrayBuffer(2)), Symbol('k'), () => 1, new ArrayBuffer(4)]
    const batch = new WriteBatch().put('a', 'b').delete('c')
    const before = snapshot(batch)
    for (const x of bad) {
      const calls: Array<() => unknown> = [
        () => batch.put(x as string, 'v'),
        () => batch.put('k', x as string),
        () => batch.put(x as string, x as string),
        () => batch.delete(x as string),
      ]
      for (const call of calls) {
        expect(call).toThrow(expect.objectContaining({ name: 'StrataError', code: 'INVALID_ARGUMENT' }))
        expect(snapshot(batch)).toBe(before)
      }
    }
  })

  it('keeps its own copy: changing the caller\'s buffers later changes nothing', () => {
    const key = Buffer.from('key')
    const value = Buffer.from('value')
    const batch = new WriteBatch().put(key, value).delete(key)
    const before = snapshot(batch)
    key.fill(0)
    value.fill(0)
    expect(snapshot(batch)).toBe(before)
  })

  it('grows past its initial buffer for a large value', () => {
    const big = new Uint8Array(1 << 20).map((_, i) => i & 0xff)
    const batch = new WriteBatch().put('small', 'x').put('big', big).delete('small')
    const records = decoded(batch.contents())
    expect(records.length).toBe(3)
    expect(records[1]![3]).toBe(Buffer.from(big).toString('hex'))
  })

  it('clear() empties it back to the empty encoding, and it is reusable', () => {
    const batch = new WriteBatch().put('a', '1').delete('b')
    batch.setSequence(77)
    expect(batch.clear()).toBe(batch)
    expect(batch.length).toBe(0)
    expect(batch.sequence).toBe(0)
    expect(Buffer.from(batch.contents()).toString('hex')).toBe('00'.repeat(12))
    batch.put('c', '3')
    expect(decoded(batch.contents())).toEqual([['0', '1', '63', '33']])
  })

  it('refuses a sequence number that is negative, fractional, or runs the last operation past 2^53 - 1', () => {
    const batch = new WriteBatch().put('a', '1').put('b', '2')
    for (const s of [-1, 0.5, NaN, Infinity, MAX_SEQUENCE, MAX_SEQUENCE + 1]) {
      expect(() => batch.setSequence(s), String(s)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }))
      expect(batch.sequence).toBe(0)
    }
    batch.setSequence(MAX_SEQUENCE - 1)
    expect(decoded(batch.contents()).map((r) => r[0])).toEqual([String(MAX_SEQUENCE - 1), String(MAX_SEQUENCE)])
  })

  it('is chainable: put and delete return the batch', () => {
    const batch = new WriteBatch()
    expect(batch.put('a', 'b')).toBe(batch)
    expect(batch.delete('a')).toBe(batch)
    expect(batch.length).toBe(2)
  })
})
