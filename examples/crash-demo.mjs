// The crash demo: a writer process is killed with SIGKILL in the middle of writing, and the
// reopened database shows that nothing it acknowledged was lost and no batch was half applied.
//
//   node examples/crash-demo.mjs
//
// The writer (this file, run with `writer DIR`) appends orders, each as one atomic batch of
// two entries: order/<n> -> JSON, and last-order -> n. After each write returns it reports
// "acked <n>" on stdout. Writes use the default sync: false, which hands each write to the OS
// before returning: that survives a crash of the process (not a power loss, which needs
// sync: true). The parent kills the writer at a random point, reopens the database and checks.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { DB, WriteBatch } from 'stratadb'
import { expectEqual, scratchDir } from './check.mjs'

const orderKey = (n) => `order/${String(n).padStart(8, '0')}`

if (process.argv[2] === 'writer') {
  const db = DB.open(process.argv[3], { memtableSize: 256 * 1024 }) // small: flushes happen too
  let n = Number(db.get('last-order') ?? -1) + 1
  // Write in steps and yield between them, so the "acked" lines (written after each write
  // returned) reach the parent through the pipe while the writer keeps going.
  const step = () => {
    for (let i = 0; i < 25; i++, n++) {
      const order = { n, item: `widget-${n % 97}`, quantity: 1 + (n % 5), note: 'x'.repeat(n % 200) }
      db.write(new WriteBatch().put(orderKey(n), JSON.stringify(order)).put('last-order', String(n)))
      process.stdout.write(`acked ${n}\n`)
    }
    setImmediate(step)
  }
  step()
}

/** Starts the writer on `dir` and SIGKILLs it once it has acknowledged `atLeast` orders. */
function runAndKill(dir, atLeast) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), 'writer', dir], { stdio: ['ignore', 'pipe', 'inherit'] })
    let acked = -1
    let pending = ''
    child.stdout.on('data', (chunk) => {
      const parts = (pending + chunk.toString()).split('\n')
      pending = parts.pop()
      for (const line of parts) acked = Number(line.slice('acked '.length))
      if (acked >= atLeast && !child.killed) child.kill('SIGKILL')
    })
    child.on('error', reject)
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve(acked) : reject(new Error(`writer exited with ${code ?? signal}`))))
  })
}

// The demo itself (the writer process above never reaches this).
if (process.argv[2] !== 'writer') {
  const dir = scratchDir('crash')
  console.log('crash demo:')
  let total = 0
  for (let round = 1; round <= 3; round++) {
    const acked = await runAndKill(dir, total + 1500 + Math.floor(Math.random() * 1500))
    const db = DB.open(dir) // recovery: replays the WAL the killed writer left behind
    const last = Number(db.get('last-order'))
    const orders = [...db.iterator({ gte: 'order/', lt: 'order0' })].map(([k, v]) => [k.toString(), JSON.parse(v.toString())])
    db.close()
    console.log(`  round ${round}: writer killed after acknowledging order ${acked}; recovered orders 0..${last}`)
    expectEqual(last >= acked, true, `round ${round}: every acknowledged order survived the kill`)
    expectEqual(orders.length, last + 1, `round ${round}: orders 0..last-order are all there, no gaps`)
    expectEqual(orders.every(([k, o], i) => k === orderKey(i) && o.n === i && o.note.length === i % 200), true, `round ${round}: every order is intact`)
    total = last + 1
  }
  console.log('crash demo: all checks passed')
}
