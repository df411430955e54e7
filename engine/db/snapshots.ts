// Snapshots: sequence numbers pinned by the user. A snapshot keeps every version of a key that
// it can see from being dropped by compaction; the oldest live one bounds what may go.
import { invalidArgument } from '../errors.js'

/** A consistent read view of the database. Release it when done (or `using` it). */
export class Snapshot {
  private live = true

  /** @internal */
  constructor(
    /** Reads through this snapshot see every write with a sequence number at or below this. */
    readonly sequence: number,
    private readonly list: SnapshotList,
  ) {}

  get released(): boolean {
    return !this.live
  }

  /** Gives the snapshot up. Idempotent. */
  release(): void {
    if (!this.live) return
    this.live = false
    this.list.remove(this)
  }

  [Symbol.dispose](): void {
    this.release()
  }
}

/** The live snapshots of one database, oldest first. */
export class SnapshotList {
  private readonly live = new Set<Snapshot>()

  take(sequence: number): Snapshot {
    const s = new Snapshot(sequence, this)
    this.live.add(s)
    return s
  }

  /** @internal */
  remove(s: Snapshot): void {
    this.live.delete(s)
  }

  /** Throws INVALID_ARGUMENT unless `s` is a live snapshot of this database. */
  check(s: unknown): Snapshot {
    if (!(s instanceof Snapshot)) throw invalidArgument('snapshot must be a Snapshot from db.snapshot()')
    if (s.released) throw invalidArgument('snapshot has been released')
    if (!this.live.has(s)) throw invalidArgument('snapshot belongs to another database')
    return s
  }

  /** The smallest sequence a live snapshot pins, or `fallback` when there is none. */
  oldest(fallback: number): number {
    let min = fallback
    for (const s of this.live) if (s.sequence < min) min = s.sequence
    return min
  }

  get count(): number {
    return this.live.size
  }

  releaseAll(): void {
    for (const s of [...this.live]) s.release()
  }
}
