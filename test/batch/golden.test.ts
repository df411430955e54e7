// The golden vectors of format-spec/batch.md: the spec's hex is parsed from the document
// itself, so the document and the code cannot drift apart.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { MAX_SEQUENCE } from '../../engine/base/internal-key.js'
import { forEachRecord } from '../../engine/batch/reader.js'
import { WriteBatch } from '../../engine/batch/write-batch.js'
import { isStrataError } from '../../engine/errors.js'

const SPEC = readFileSync(new URL('../../format-spec/batch.md', import.meta.url), 'utf8')

/** The hex of the ```text block under "### Vector `name`", comments stripped. */
function specVector(name: string): string {
  const at = SPEC.indexOf('### Vector `' + name + '`')
  expect(at, `vector ${name} in batch.md`).toBeGreaterThanOrEqual(0)
  const open = SPEC.indexOf('```text\n', at) + '```text\n'.length
  const block = SPEC.slice(open, SPEC.indexOf('```', open))
  return block.split('\n').map((line) => line.replace(/#.*/, '').replace(/\s+/g, '')).join('')
}

const VECTORS: ReadonlyArray<[string, () => WriteBatch, number]> = [
  ['put-delete', () => new WriteBatch().put('a', '1').delete('b'), 5],
  ['empty', () => new WriteBatch(), 0],
  ['empty-key-and-value', () => new WriteBatch().put('', new Uint8Array(0)), 2 ** 40 + 1],
  ['utf8-and-long-key', () => new WriteBatch().delete('é').put(new Uint8Array(128).fill(0x6b), ''), MAX_SEQUENCE - 1],
]

type Decoded = [sequence: number, kind: number, key: string, value: string]

function decode(bytes: Uint8Array): Decoded[] {
  const out: Decoded[] = []
  forEachRecord(bytes, 'golden', 0, (sequence, kind, buf, ks, ke, vs, ve) => {
    out.push([sequence, kind, Buffer.from(buf.subarray(ks, ke)).toString('hex'), Buffer.from(buf.subarray(vs, ve)).toString('hex')])
  })
  return out
}

describe('batch golden vectors (format-spec/batch.md)', () => {
  for (const [name, build, sequence] of VECTORS) {
    it(`encodes vector ${name} byte for byte and decodes it back`, () => {
      const batch = build()
      batch.setSequence(sequence)
      const hex = specVector(name)
      expect(Buffer.from(batch.contents()).toString('hex')).toBe(hex)
      const records = decode(Buffer.from(hex, 'hex'))
      expect(records.length).toBe(batch.length)
      records.forEach(([seq], i) => expect(seq).toBe(sequence + i))
    })
  }

  it('decodes put-delete into exactly its two records', () => {
    expect(decode(Buffer.from(specVector('put-delete'), 'hex'))).toEqual([
      [5, 1, '61', '31'],
      [6, 0, '62', ''],
    ])
  })

  it('reports each damaged vector of the spec as CORRUPTION at the stated offset', () => {
    const rows = [...SPEC.matchAll(/^\|[^|]+\| `([0-9a-f]+)` \| (\d+) \|$/gm)]
    expect(rows.length).toBe(7)
    for (const [, hex, offset] of rows) {
      expect(() => forEachRecord(Buffer.from(hex!, 'hex'), '000007.log', 1000, () => {}), hex).toThrow(
        expect.objectContaining({ code: 'CORRUPTION', message: expect.stringMatching(new RegExp(`^000007\\.log@${1000 + Number(offset)}: `)) }),
      )
    }
  })

  it('turns every bit flip of a count, kind or length byte into CORRUPTION, and no flip into a crash', () => {
    const good = Buffer.from(specVector('put-delete'), 'hex')
    const content = new Set([14, 16, 19]) // the bytes of "a", "1" and "b"
    for (let pos = 0; pos < good.length; pos++) {
      for (let bit = 0; bit < 8; bit++) {
        const bad = Buffer.from(good)
        bad[pos]! ^= 1 << bit
        let outcome = 'decoded'
        try {
          decode(bad)
        } catch (err) {
          expect(isStrataError(err, 'CORRUPTION'), String(err)).toBe(true)
          outcome = 'corruption'
        }
        if (pos >= 8 && !content.has(pos)) expect(outcome, `flip bit ${bit} of byte ${pos}`).toBe('corruption')
      }
    }
  })
})
