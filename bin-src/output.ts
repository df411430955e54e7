// Buffered stdout for strata: lines collect into chunks written synchronously, so a large scan
// costs few system calls and a closed pipe (strata scan ... | head) ends the command quietly.
import { writeSync } from 'node:fs'

const CHUNK = 64 * 1024

/** Where a command's results go. */
export class Output {
  private parts: string[] = []
  private size = 0
  /** Set once the reader has gone away (EPIPE): later output is dropped. */
  private closed = false

  constructor(private readonly fd = 1) {}

  line(text: string): void {
    this.parts.push(text, '\n')
    this.size += text.length + 1
    if (this.size >= CHUNK) this.flush()
  }

  /** One JSON value on its own line. */
  json(value: unknown): void {
    this.line(JSON.stringify(value))
  }

  get broken(): boolean {
    return this.closed
  }

  flush(): void {
    if (this.parts.length === 0) return
    const text = this.parts.join('')
    this.parts = []
    this.size = 0
    if (this.closed) return
    const bytes = Buffer.from(text, 'utf8')
    let at = 0
    while (at < bytes.length) {
      try {
        at += writeSync(this.fd, bytes, at)
      } catch (err) {
        const code = (err as { code?: unknown }).code
        if (code === 'EAGAIN') continue // a non-blocking pipe that is full: try again
        if (code === 'EPIPE') {
          this.closed = true
          return
        }
        throw err
      }
    }
  }
}
