// Latency recording and summary statistics. A recorder is a preallocated Float64Array of
// per-operation times in milliseconds (performance.now() deltas), so recording allocates nothing
// inside the timed loop. Scans record one sample per batch of entries: the batch's time divided
// by its length, i.e. a per-entry time.

/** Per-operation latencies of one run. */
export class LatencyRecorder {
  private readonly samples: Float64Array
  private n = 0

  constructor(capacity: number) {
    this.samples = new Float64Array(Math.max(1, capacity))
  }

  /** Records one sample (milliseconds). Samples past the capacity are dropped. */
  add(ms: number): void {
    if (this.n < this.samples.length) this.samples[this.n++] = ms
  }

  get count(): number {
    return this.n
  }

  /** Percentiles in microseconds. Sorts the recorded samples in place. */
  summary(): LatencySummary {
    const s = this.samples.subarray(0, this.n).sort()
    let sum = 0
    for (let i = 0; i < s.length; i++) sum += s[i]!
    const us = (ms: number): number => ms * 1000
    return {
      samples: s.length,
      meanUs: s.length === 0 ? 0 : us(sum / s.length),
      p50Us: us(quantile(s, 0.5)),
      p99Us: us(quantile(s, 0.99)),
      p999Us: us(quantile(s, 0.999)),
      maxUs: us(s.length === 0 ? 0 : s[s.length - 1]!),
    }
  }
}

export interface LatencySummary {
  samples: number
  meanUs: number
  p50Us: number
  p99Us: number
  p999Us: number
  maxUs: number
}

/** The q-quantile (nearest rank) of ascending `sorted`; 0 when empty. */
export function quantile(sorted: Readonly<Float64Array> | readonly number[], q: number): number {
  const n = sorted.length
  if (n === 0) return 0
  const rank = Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))
  return sorted[rank]!
}

/**
 * The index of the median element of `values` (for an even count, the lower of the two middle
 * ones), so a caller can report that whole run rather than a blend of runs.
 */
export function medianIndex(values: readonly number[]): number {
  if (values.length === 0) throw new Error('medianIndex of an empty list')
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0])
  return order[Math.floor((order.length - 1) / 2)]![1]
}
