import { it } from 'vitest'
import { readAll, writeLog, pattern } from './helpers.js'
it('prof', () => {
  const sizes = [100, 0, 5, 300, 20_000, 15_000, 1, 4000, 60]
  const { bytes } = writeLog(sizes.map((n, i) => pattern(n, i + 1)))
  for (const mode of ['absolute', 'tolerate-torn-tail', 'skip-corrupted'] as const) {
    let t = performance.now()
    for (let i = 0; i < 1000; i++) readAll(bytes, mode)
    console.log(mode, 'clean', ((performance.now() - t)).toFixed(1), 'us/read')
    t = performance.now()
    for (let at = 0; at < bytes.length; at += 41) { bytes[at]! ^= 0x11; readAll(bytes, mode); bytes[at]! ^= 0x11 }
    console.log(mode, 'flip', ((performance.now() - t) / (bytes.length / 41) * 1000).toFixed(1), 'us/read')
  }
})
