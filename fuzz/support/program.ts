// Programs: the operations a campaign runs against the database, as plain data (so a failure
// prints a readable, replayable program), and their fast-check arbitraries.
import fc from 'fast-check'
import type { CrashPolicy, FaultError, FaultOp } from '../../engine/fs/fault-fs.js'
import { WriteBatch } from '../../engine/index.js'
import type { Options } from '../../engine/index.js'

/** A value: `len` bytes derived from `tag` (so a failure prints sizes, not megabytes). */
export interface Val {
  readonly len: number
  readonly tag: number
}

/** One batch operation: a put (value) or a delete (null). */
export type BatchOp = readonly [key: string, value: Val | null]

export type FileKind = 'log' | 'sst' | 'MANIFEST' | 'CURRENT' | 'dbtmp' | 'any'

export type Op =
  | { readonly t: 'put'; readonly k: string; readonly v: Val; readonly sync: boolean }
  | { readonly t: 'del'; readonly k: string; readonly sync: boolean }
  | { readonly t: 'batch'; readonly ops: readonly BatchOp[]; readonly sync: boolean }
  /** writeAsync of every batch in one tick: one group commit. */
  | { readonly t: 'group'; readonly batches: ReadonlyArray<{ ops: readonly BatchOp[]; sync: boolean }> }
  | { readonly t: 'get'; readonly k: string }
  | { readonly t: 'scan' }
  | { readonly t: 'snap' }
  | { readonly t: 'snapCheck'; readonly i: number }
  | { readonly t: 'release'; readonly i: number }
  | { readonly t: 'flush' }
  | { readonly t: 'compact'; readonly from: string | null; readonly to: string | null }
  /** close() and DB.open() again, no crash. */
  | { readonly t: 'reopen' }
  /**
   * A power loss: now (after = null), or at the after-th mutating file-system call from here
   * (inside whatever operation runs then). The state is chosen by `seed` under `policy`; with
   * `inRecovery`, the reopen itself crashes at that call, and recovery starts over.
   */
  | { readonly t: 'crash'; readonly after: number | null; readonly seed: number; readonly policy: CrashPolicy; readonly inRecovery: number | null }
  /** From now on, the nth call of `ops` on a file of kind `file` fails with `error`. */
  | { readonly t: 'fault'; readonly ops: readonly FaultOp[]; readonly file: FileKind; readonly nth: number; readonly error: FaultError; readonly persistent: boolean }

/** The bytes of a value. */
export function valueBytes(v: Val): Buffer {
  const b = Buffer.alloc(v.len)
  for (let i = 0; i < v.len; i++) b[i] = (v.tag * 37 + (i >> 3)) & 0xff
  return b
}

export const KEYS: readonly string[] = Object.freeze([
  '', 'a', 'ab', 'b', ...Array.from({ length: 16 }, (_, i) => `k${String(i).padStart(2, '0')}`), 'z', 'zz',
])

export const keyArb = fc.constantFrom(...KEYS)
export const valArb: fc.Arbitrary<Val> = fc.record({
  len: fc.oneof({ weight: 6, arbitrary: fc.nat(40) }, { weight: 2, arbitrary: fc.integer({ min: 100, max: 700 }) }, { weight: 1, arbitrary: fc.integer({ min: 1000, max: 3000 }) }),
  tag: fc.nat(255),
})
const batchOpArb: fc.Arbitrary<BatchOp> = fc.tuple(keyArb, fc.option(valArb, { nil: null, freq: 4 }))
const batchArb = fc.array(batchOpArb, { minLength: 1, maxLength: 6 })

const policyArb = fc.constantFrom<CrashPolicy>('random', 'random', 'random', 'lose-unsynced', 'keep-all', 'torn', 'prefix')

export const crashArb: fc.Arbitrary<Op> = fc.record({
  t: fc.constant('crash' as const),
  after: fc.option(fc.integer({ min: 1, max: 40 }), { nil: null, freq: 3 }),
  seed: fc.nat(),
  policy: policyArb,
  inRecovery: fc.option(fc.integer({ min: 1, max: 14 }), { nil: null, freq: 2 }),
})

const FAULT_OPS: ReadonlyArray<readonly FaultOp[]> = [
  ['append'], ['append'], ['sync'], ['sync'], ['create'], ['read', 'readFile', 'openRead'], ['rename'], ['unlink'], ['syncDir'], ['list'], ['close'],
]

export const faultArb: fc.Arbitrary<Op> = fc.record({
  t: fc.constant('fault' as const),
  ops: fc.constantFrom(...FAULT_OPS),
  file: fc.constantFrom<FileKind>('log', 'log', 'sst', 'MANIFEST', 'CURRENT', 'dbtmp', 'any'),
  nth: fc.integer({ min: 1, max: 6 }),
  error: fc.constantFrom<FaultError>('EIO', 'EIO', 'ENOSPC', 'short-write'),
  persistent: fc.boolean(),
})

/** Writes, reads, snapshots, flushes and compactions: everything but crashes and faults. */
export const workArbs: ReadonlyArray<fc.WeightedArbitrary<Op>> = [
  { weight: 10, arbitrary: fc.record({ t: fc.constant('put' as const), k: keyArb, v: valArb, sync: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('del' as const), k: keyArb, sync: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('batch' as const), ops: batchArb, sync: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('group' as const), batches: fc.array(fc.record({ ops: batchArb, sync: fc.boolean() }), { minLength: 1, maxLength: 4 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('get' as const), k: keyArb }) },
  { weight: 1, arbitrary: fc.constant<Op>({ t: 'scan' }) },
  { weight: 1, arbitrary: fc.constant<Op>({ t: 'snap' }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('snapCheck' as const), i: fc.nat(4) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('release' as const), i: fc.nat(4) }) },
  { weight: 1, arbitrary: fc.constant<Op>({ t: 'flush' }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('compact' as const), from: fc.option(keyArb, { nil: null }), to: fc.option(keyArb, { nil: null }) }) },
  { weight: 1, arbitrary: fc.constant<Op>({ t: 'reopen' }) },
]

/** A program of `max` operations at most, drawn from `arbs`. */
export function programArb(arbs: ReadonlyArray<fc.WeightedArbitrary<Op>>, max: number): fc.Arbitrary<Op[]> {
  return fc.array(fc.oneof(...arbs), { minLength: 1, maxLength: max, size: 'max' })
}

/** Database shapes that make flushes, compactions and multi-block tables frequent. */
export const SMALL_CONFIGS: ReadonlyArray<{ name: string; options: Options }> = [
  {
    name: 'tiny memtable, 256-byte blocks, lz4',
    options: { memtableSize: 1024, blockSize: 256, blockRestartInterval: 2, compression: 'lz4', targetFileSize: 2048, l0CompactionTrigger: 2, l0SlowdownTrigger: 3, l0StopTrigger: 4 },
  },
  {
    name: '2 KiB memtable, 512-byte blocks, no compression, no bloom',
    options: { memtableSize: 2048, blockSize: 512, compression: 'none', bloomBitsPerKey: 0, targetFileSize: 4096, l0CompactionTrigger: 3 },
  },
  {
    name: '4 KiB memtable, 1 KiB blocks, lz4',
    options: { memtableSize: 4096, blockSize: 1024, compression: 'lz4', targetFileSize: 8192 },
  },
]

/** One line per operation, numbered, for failure messages. */
export function formatProgram(program: readonly Op[]): string {
  return program.map((op, i) => `${String(i).padStart(3)}: ${JSON.stringify(op)}`).join('\n')
}

/** A batch's operations as model writes: key and value (undefined for a delete). */
export type WriteOps = Array<readonly [string, Buffer | undefined]>

/** The WriteBatch of `ops`, and the same operations as model writes. */
export function toBatch(ops: readonly BatchOp[]): [WriteBatch, WriteOps] {
  const batch = new WriteBatch()
  const out: WriteOps = []
  for (const [k, v] of ops) {
    const key = Buffer.from(k, 'latin1')
    if (v === null) {
      batch.delete(key)
      out.push([k, undefined])
    } else {
      const value = valueBytes(v)
      batch.put(key, value)
      out.push([k, value])
    }
  }
  return [batch, out]
}

/** Lets the event loop turn a few times, so that promise chains and deferred syncs finish. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve))
}
