// The durability model: what the database must hold after a crash. It keeps the durable base
// state (what the last recovery verified) and every write attempted since, in order, each
// either acknowledged or uncertain (its call failed after it may have reached the WAL). The
// contract (SPEC.md, "Durability") then says: after a power loss the database equals the base
// plus some prefix of those writes that contains every write acknowledged before a sync
// (`floor`); an uncertain write may be in that prefix or not. After a clean reopen (no power
// loss), every acknowledged write is in it.
export type State = Map<string, Buffer> // key (latin1) -> value

export interface Write {
  readonly ops: ReadonlyArray<readonly [string, Buffer | undefined]>
  readonly acked: boolean
  /** db.stats().lastSequence right after it was acknowledged. */
  readonly seqAfter: number | undefined
}

export function serialize(s: State): string {
  return [...s].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([k, v]) => `${Buffer.from(k, 'latin1').toString('hex')}=${v.length}:${v.subarray(0, 8).toString('hex')}:${hash(v)}`).join(' ')
}

function hash(b: Buffer): number {
  let h = 0x811c9dc5
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i]!, 0x01000193)
  return h >>> 0
}

function apply(s: State, w: Write): State {
  const out = new Map(s)
  for (const [k, v] of w.ops) {
    if (v === undefined) out.delete(k)
    else out.set(k, v)
  }
  return out
}

export class History {
  base: State = new Map()
  /** The recovered lastSequence the base came with. */
  baseSeq = 0
  writes: Write[] = []
  /** writes[0, floor) must survive a power loss. */
  floor = 0
  /** Base plus every acknowledged write: what reads see when nothing is uncertain. */
  live: State = new Map()
  /** Writes whose outcome is unknown, since the base. */
  uncertain = 0

  record(w: Write): void {
    this.writes.push(w)
    if (w.acked) this.live = apply(this.live, w)
    else this.uncertain++
  }

  /** Everything recorded so far is on stable storage (an acked sync write, a flush). */
  markDurable(): void {
    this.floor = this.writes.length
  }

  /**
   * The smallest prefix length k >= floor whose state (choosing for each uncertain write
   * whether it applied) equals `got`; undefined when none does.
   */
  match(got: State, floor: number): number | undefined {
    const want = serialize(got)
    let states: State[] = [this.base]
    for (let k = 0; ; k++) {
      if (k >= floor && states.some((s) => serialize(s) === want)) return k
      if (k === this.writes.length) return undefined
      const w = this.writes[k]!
      const next = states.map((s) => apply(s, w))
      states = w.acked ? next : dedupe([...states, ...next])
      if (states.length > 256) throw new Error('too many uncertain writes to match against')
    }
  }

  /** The verified recovered state becomes the new durable base. */
  rebase(state: State, seq: number): void {
    this.base = state
    this.baseSeq = seq
    this.live = new Map(state)
    this.writes = []
    this.floor = 0
    this.uncertain = 0
  }

  /** The lastSequence the prefix of length k implies, at least (for acked writes). */
  seqAtLeast(k: number): number {
    for (let i = k - 1; i >= 0; i--) {
      const s = this.writes[i]!.seqAfter
      if (s !== undefined) return s
    }
    return this.baseSeq
  }

  describe(k: number): string {
    let s = this.base
    for (const w of this.writes.slice(0, k)) if (w.acked) s = apply(s, w)
    return serialize(s)
  }
}

function dedupe(states: State[]): State[] {
  const seen = new Map<string, State>()
  for (const s of states) seen.set(serialize(s), s)
  return [...seen.values()]
}
