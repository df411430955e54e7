// A time-series log read back by time range, forward and reverse, on the synchronous DB API.
//
//   node examples/time-series.mjs
//
//   <series>/<timestamp, 13 digits> -> JSON reading
// Fixed-width timestamps make byte order time order, so a time range is a key range: the
// readings of one sensor between two instants are one iterator, oldest first, or newest first
// with `reverse`. `limit` takes the newest N; seek() jumps inside an open iterator.
import { DB, WriteBatch } from 'stratadb'
import { expectEqual, scratchDir } from './check.mjs'

const pad = (ms) => String(ms).padStart(13, '0')
const keyOf = (series, t) => `${series}/${pad(t)}`

const dir = scratchDir('timeseries')
const db = DB.open(dir, { memtableSize: 64 * 1024 }) // small memtable: the data spans several tables
const t0 = Date.UTC(2024, 0, 1)
const second = 1000
const series = ['cpu', 'disk', 'net']

console.log('time series:')
// One reading per series per second for an hour, written a minute per batch.
for (let minute = 0; minute < 60; minute++) {
  const batch = new WriteBatch()
  for (let s = 0; s < 60; s++) {
    const t = t0 + (minute * 60 + s) * second
    for (const [i, name] of series.entries()) batch.put(keyOf(name, t), JSON.stringify({ t, value: (minute * 60 + s) * (i + 1) }))
  }
  db.write(batch)
}

const readings = (range) => [...db.iterator(range)].map(([, v]) => JSON.parse(v.toString('utf8')))
const from = t0 + 10 * 60 * second
const to = t0 + 11 * 60 * second

const forward = readings({ gte: keyOf('disk', from), lt: keyOf('disk', to) })
expectEqual(forward.length, 60, 'one minute of disk readings')
expectEqual(forward[0], { t: from, value: 600 * 2 }, 'forward: the oldest first')
expectEqual(forward.every((r, i) => i === 0 || r.t > forward[i - 1].t), true, 'forward: in time order')

const backward = readings({ gte: keyOf('disk', from), lt: keyOf('disk', to), reverse: true })
expectEqual(backward, [...forward].reverse(), 'reverse: the same readings, newest first')

const latest = readings({ gte: 'cpu/', lt: 'cpu0', reverse: true, limit: 3 })
expectEqual(latest.map((r) => r.t), [3599, 3598, 3597].map((s) => t0 + s * second), 'the three newest cpu readings')

const it = db.iterator({ gte: 'net/', lt: 'net0' })
it.seek(keyOf('net', t0 + 30 * 60 * second + 500)) // between two readings
expectEqual(JSON.parse(it.value().toString('utf8')).t, t0 + (30 * 60 + 1) * second, 'seek lands on the next reading')
it.prev()
expectEqual(JSON.parse(it.value().toString('utf8')).t, t0 + 30 * 60 * second, 'and prev() steps back in time')
it.close()

// Retention: drop everything older than 45 minutes, in one batch per series.
for (const name of series) {
  const batch = new WriteBatch()
  for (const [k] of db.iterator({ gte: `${name}/`, lt: keyOf(name, t0 + 45 * 60 * second) })) batch.delete(k)
  db.write(batch)
}
expectEqual(readings({ gte: 'cpu/', lt: 'cpu0' }).length, 15 * 60, 'retention kept the last 15 minutes')
expectEqual(readings({ gte: 'net/', lt: 'net0', limit: 1 })[0].t, t0 + 45 * 60 * second, 'the oldest reading left is at 45 minutes')
db.close()
console.log('time series: all checks passed')
