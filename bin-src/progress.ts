// A progress bar for strata's long runs (verify, compact), drawn on stderr only when stderr is
// a terminal: piped or redirected, strata stays quiet. Redraws at most every 100 ms.

/** What the bar draws on: process.stderr, or a test's stand-in. */
export interface ProgressStream {
  readonly isTTY?: boolean
  readonly columns?: number
  write(text: string): unknown
}

const REDRAW_MS = 100

export class Progress {
  private done = 0
  private lastDraw = -Infinity
  private readonly live: boolean

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly stream: ProgressStream = process.stderr,
    private readonly now: () => number = Date.now,
  ) {
    this.live = stream.isTTY === true && total > 0
  }

  /** Adds `n` units of work done; redraws if due. */
  advance(n: number, note = ''): void {
    this.done = Math.min(this.total, this.done + n)
    if (!this.live) return
    const t = this.now()
    if (t - this.lastDraw < REDRAW_MS && this.done < this.total) return
    this.lastDraw = t
    this.draw(note)
  }

  /** Clears the bar, leaving the line empty for what follows. */
  finish(): void {
    if (this.live) this.stream.write('\r\x1b[2K')
  }

  private draw(note: string): void {
    const fraction = this.done / this.total
    const columns = this.stream.columns || 80 // 0 or undefined on some pseudo-terminals
    const width = Math.max(10, Math.min(40, columns - this.label.length - 30))
    const filled = Math.round(fraction * width)
    const bar = '#'.repeat(filled) + '-'.repeat(width - filled)
    const pct = `${Math.floor(fraction * 100)}`.padStart(3)
    const line = `${this.label} [${bar}] ${pct}% ${note}`
    this.stream.write(`\r\x1b[2K${line.slice(0, columns - 1)}`)
  }
}
