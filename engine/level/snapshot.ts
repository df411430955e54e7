// StrataSnapshot: abstract-level's explicit snapshot over an engine Snapshot. Created
// synchronously by db.snapshot(), so a write issued right after it is never seen through it;
// closing it (or closing the database) releases the engine snapshot.
import { AbstractSnapshot } from 'abstract-level'
import type { Snapshot } from '../db/snapshots.js'
import { invalidArgument } from '../errors.js'
import { snapshotNotOpen } from './errors.js'

/** abstract-level's runtime constructor takes `{ owner }`; its type declaration omits it. */
const SnapshotBase = AbstractSnapshot as unknown as new (options: { owner: object }) => AbstractSnapshot

export class StrataSnapshot extends SnapshotBase {
  /** The engine snapshot reads through this one use. Released once _close has run. */
  readonly engine: Snapshot

  /** @internal Made by StrataLevel._snapshot. */
  constructor(engine: Snapshot, options: { owner: object }) {
    super(options)
    this.engine = engine
  }

  async _close(): Promise<void> {
    this.engine.release()
  }
}

/** The engine snapshot behind an abstract-level `snapshot` option; INVALID_ARGUMENT for a foreign one. */
export function engineSnapshot(option: unknown): Snapshot | undefined {
  if (option === undefined || option === null) return undefined
  if (option instanceof StrataSnapshot) {
    if (option.engine.released) throw snapshotNotOpen()
    return option.engine
  }
  throw invalidArgument('snapshot must come from snapshot() of a StrataLevel')
}
