// StrataLevel against a sorted-map model: random puts, dels, batches, clears and reopens,
// then random range reads (gt/gte/lt/lte, reverse, limit, seek) through iterator(), keys(),
// values() and getMany() must equal the model's answer. Keys are raw bytes, so order is
// bytewise (0x00 and 0xff included).
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { StrataLevel } from '../../engine/index.js'

const RUNS = Number(process.env.FUZZ_RUNS ?? 25)

let root: string
let next = 0
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-level-model-'))
})
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true })
})

const keyArb = fc.uint8Array({ minLength: 0, maxLength: 3 }).map((a) => Buffer.from(a.map((b) => [0, 1, 0x61, 0x62, 0xff][b % 5]!)))
const valueArb = fc.uint8Array({ maxLength: 8 }).map((a) => Buffer.from(a))

interface Range {
  gt?: Buffer
  gte?: Buffer
  lt?: Buffer
  lte?: Buffer
  reverse: boolean
  limit: number
}

const rangeArb: fc.Arbitrary<Range> = fc.record(
  {
    gt: keyArb,
    gte: keyArb,
    lt: keyArb,
    lte: keyArb,
    reverse: fc.boolean(),
    limit: fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 6 })),
  },
  { requiredKeys: ['reverse', 'limit'] },
)

type Op =
  | { type: 'put'; key: Buffer; value: Buffer }
  | { type: 'del'; key: Buffer }
  | { type: 'batch'; ops: Array<{ type: 'put'; key: Buffer; value: Buffer } | { type: 'del'; key: Buffer }> }
  | { type: 'clear'; range: Range }
  | { type: 'reopen' }

const putArb = fc.record({ type: fc.constant('put' as const), key: keyArb, value: valueArb })
const delArb = fc.record({ type: fc.constant('del' as const), key: keyArb })
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: putArb, weight: 5 },
  { arbitrary: delArb, weight: 2 },
  { arbitrary: fc.record({ type: fc.constant('batch' as const), ops: fc.array(fc.oneof(putArb, delArb), { maxLength: 6 }) }), weight: 2 },
  { arbitrary: fc.record({ type: fc.constant('clear' as const), range: rangeArb }), weight: 1 },
  { arbitrary: fc.constant({ type: 'reopen' as const }), weight: 1 },
)

/** The model: hex key -> value, read back in bytewise key order. */
type Model = Map<string, Buffer>

function inRange(key: Buffer, r: Range): boolean {
  const lower = r.gte ?? r.gt
  const upper = r.lte ?? r.lt
  if (lower !== undefined) {
    const c = Buffer.compare(key, lower)
    if (c < 0 || (c === 0 && r.gte === undefined)) return false
  }
  if (upper !== undefined) {
    const c = Buffer.compare(key, upper)
    if (c > 0 || (c === 0 && r.lte === undefined)) return false
  }
  return true
}

/** The model's entries in `r`, in iteration order, honouring limit. */
function modelRange(model: Model, r: Range): Array<[Buffer, Buffer]> {
  const all = [...model].map(([hex, v]) => [Buffer.from(hex, 'hex'), v] as [Buffer, Buffer])
  all.sort((a, b) => Buffer.compare(a[0], b[0]))
  const hits = all.filter(([k]) => inRange(k, r))
  if (r.reverse) hits.reverse()
  return r.limit < 0 ? hits : hits.slice(0, r.limit)
}

function apply(model: Model, op: Op): void {
  if (op.type === 'put') model.set(op.key.toString('hex'), op.value)
  else if (op.type === 'del') model.delete(op.key.toString('hex'))
  else if (op.type === 'batch') for (const o of op.ops) apply(model, o)
  else if (op.type === 'clear') for (const [k] of modelRange(model, op.range)) model.delete(k.toString('hex'))
}

const show = (entries: Array<[Buffer, Buffer]>): string[] => entries.map(([k, v]) => `${k.toString('hex')}=${v.toString('hex')}`)

describe('StrataLevel model', () => {
  it('agrees with a sorted map on every range read after any sequence of writes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 30 }), fc.array(rangeArb, { minLength: 1, maxLength: 4 }), keyArb, async (ops, ranges, seekTo) => {
        const location = path.join(root, String(next++))
        const options = { keyEncoding: 'buffer', valueEncoding: 'buffer', compaction: 'inline', memtableSize: 1024 } as const
        let db = new StrataLevel<Buffer, Buffer>(location, options)
        const model: Model = new Map()
        try {
          for (const op of ops) {
            if (op.type === 'put') await db.put(op.key, op.value)
            else if (op.type === 'del') await db.del(op.key)
            else if (op.type === 'batch') await db.batch(op.ops)
            else if (op.type === 'clear') await db.clear(op.range)
            else {
              await db.close()
              db = new StrataLevel<Buffer, Buffer>(location, options)
            }
            apply(model, op)
          }
          for (const r of ranges) {
            const expected = modelRange(model, r)
            const got = await db.iterator(r).all()
            if (show(got).join() !== show(expected).join()) throw new Error(`iterator ${JSON.stringify(r)}: ${show(got)} != ${show(expected)}`)
            const keys = await db.keys(r).all()
            if (keys.map((k) => k.toString('hex')).join() !== expected.map(([k]) => k.toString('hex')).join()) throw new Error('keys() differ')
            const values = await db.values(r).all()
            if (values.map((v) => v.toString('hex')).join() !== expected.map(([, v]) => v.toString('hex')).join()) throw new Error('values() differ')
            // seek: forward to the first key >= target, reverse to the last key <= target, within the range.
            const it = db.iterator({ ...r, limit: -1 })
            it.seek(seekTo)
            const after = await it.all()
            const wanted = modelRange(model, { ...r, limit: -1 }).filter(([k]) => (r.reverse ? Buffer.compare(k, seekTo) <= 0 : Buffer.compare(k, seekTo) >= 0))
            if (show(after).join() !== show(wanted).join()) throw new Error(`seek ${seekTo.toString('hex')} in ${JSON.stringify(r)}: ${show(after)} != ${show(wanted)}`)
          }
          const probe = [...ranges.flatMap((r) => [r.gt, r.lte]).filter((k): k is Buffer => k !== undefined), seekTo]
          const many = await db.getMany(probe)
          probe.forEach((k, i) => {
            const want = model.get(k.toString('hex'))
            const got = many[i]
            if ((want === undefined) !== (got === undefined) || (want && got && !want.equals(got))) throw new Error(`getMany ${k.toString('hex')}`)
          })
        } finally {
          await db.close()
        }
      }),
      { seed: 6061, numRuns: RUNS },
    )
  })
})
