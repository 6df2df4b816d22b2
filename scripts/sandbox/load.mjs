#!/usr/bin/env node
// Steady HTTP load from its own process, for tests, demo and bench. Runs until SIGTERM/SIGINT
// (or --duration, or --requests answered), then prints one JSON summary line. Each answer is attributed to a slot by
// the app's x-slot header. Optional: --progress MS prints {"progress":...} lines while running;
// --events FILE writes "sentAtMs,slot,status" per request (sentAt is wall-clock ms, comparable
// across processes) for timing a switch as clients see it.
import { writeFileSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { parseArgs } from 'node:util'

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    concurrency: { type: 'string', default: '8' },
    keepalive: { type: 'string', default: 'true' },
    duration: { type: 'string', default: '0' },
    requests: { type: 'string', default: '0' },
    progress: { type: 'string', default: '0' },
    events: { type: 'string' },
  },
})
const target = new URL(values.url)
const keepAlive = values.keepalive === 'true'
const agent = new Agent({ keepAlive, maxSockets: Number(values.concurrency) })
const totals = { requests: 0, ok: 0, non2xx: 0, errors: 0, bySlot: {}, byStatus: {}, byError: {} }
const events = []
let window = { blue: 0, green: 0, non2xx: 0, errors: 0 }
let running = true
const now = () => performance.timeOrigin + performance.now()

function one() {
  return new Promise((resolve) => {
    const sentAt = now()
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        agent,
        headers: keepAlive ? {} : { connection: 'close' },
      },
      (res) => {
        res.resume()
        res.on('end', () => {
          const slot = String(res.headers['x-slot'] || 'none')
          const status = res.statusCode ?? 0
          totals.requests += 1
          totals.byStatus[status] = (totals.byStatus[status] ?? 0) + 1
          totals.bySlot[slot] = (totals.bySlot[slot] ?? 0) + 1
          if (status >= 200 && status < 300) {
            totals.ok += 1
          } else {
            totals.non2xx += 1
            window.non2xx += 1
          }
          if (slot in window) window[slot] += 1
          if (values.events) events.push(`${sentAt.toFixed(2)},${slot},${status}`)
          resolve()
        })
      },
    )
    req.setTimeout(10_000, () => req.destroy(new Error('ETIMEDOUT')))
    req.on('error', (e) => {
      totals.requests += 1
      totals.errors += 1
      window.errors += 1
      const code = e.code ?? e.message
      totals.byError[code] = (totals.byError[code] ?? 0) + 1
      if (values.events) events.push(`${sentAt.toFixed(2)},error,0`)
      resolve()
    })
    req.end()
  })
}

const maxRequests = Number(values.requests)
async function worker() {
  while (running) {
    await one()
    if (maxRequests > 0 && totals.requests >= maxRequests) finish()
  }
}

function finish() {
  if (!running) return
  running = false
}

process.on('SIGTERM', finish)
process.on('SIGINT', finish)
if (Number(values.duration) > 0) setTimeout(finish, Number(values.duration))
const progressMs = Number(values.progress)
const ticker =
  progressMs > 0 &&
  setInterval(() => {
    process.stdout.write(
      JSON.stringify({
        progress: window,
        totals: { ...totals, byStatus: undefined, byError: undefined },
      }) + '\n',
    )
    window = { blue: 0, green: 0, non2xx: 0, errors: 0 }
  }, progressMs)

process.stdout.write(JSON.stringify({ started: now() }) + '\n')
await Promise.all(Array.from({ length: Number(values.concurrency) }, worker))
if (ticker) clearInterval(ticker)
if (values.events) writeFileSync(values.events, events.join('\n') + '\n')
agent.destroy()
process.stdout.write(JSON.stringify({ summary: totals }) + '\n')
