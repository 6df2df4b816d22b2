#!/usr/bin/env node
// A slot's application for the sandbox: answers with its slot and version, and can be told
// (GET /control?...) to turn unhealthy, answer a share of requests with 500, or slow down.
// Prints one JSON line {"port": N} once it listens. Usage: node app.mjs --slot blue [--version v1] [--port 0]
// Serves Prometheus metrics at /metrics (prom-client): http_requests_total{slot,code} and
// http_request_duration_seconds{slot,version}, the series a canary gate queries. The version
// label lets a gate (and each test) look only at the release it judges.
import { createServer } from 'node:http'
import { parseArgs } from 'node:util'
import client from 'prom-client'

const { values } = parseArgs({
  options: {
    slot: { type: 'string' },
    version: { type: 'string', default: 'v1' },
    port: { type: 'string', default: '0' },
  },
})
const state = {
  slot: values.slot,
  version: values.version,
  healthy: true,
  errorRate: 0,
  latencyMs: 0,
}
let served = 0

const registry = new client.Registry()
const requests = new client.Counter({
  name: 'http_requests_total',
  help: 'Requests served, by slot and status code.',
  labelNames: ['slot', 'version', 'code'],
  registers: [registry],
})
const duration = new client.Histogram({
  name: 'http_request_duration_seconds',
  help: 'Time to answer, by slot.',
  labelNames: ['slot', 'version'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
})
// Series exist from the start of each version, so an error-rate query sees 0 errors rather than no data.
const initSeries = () => {
  for (const code of ['200', '500'])
    requests.labels({ slot: state.slot, version: state.version, code }).inc(0)
}
initSeries()

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://app')
  if (url.pathname === '/control') {
    for (const [key, value] of url.searchParams) {
      if (key === 'healthy') state.healthy = value === 'true'
      else if (key === 'errorRate') state.errorRate = Number(value)
      else if (key === 'latencyMs') state.latencyMs = Number(value)
      else if (key === 'version') {
        state.version = value
        initSeries()
      }
    }
    return send(res, 200, { ...state, served })
  }
  // /healthz/<slot> answers 404 unless <slot> is this app's: for URLs templated with {{slot}}.
  if (url.pathname === '/healthz' || url.pathname === `/healthz/${state.slot}`)
    return send(res, state.healthy ? 200 : 503, { healthy: state.healthy })
  if (url.pathname.startsWith('/healthz/')) return send(res, 404, { slot: state.slot })
  if (url.pathname === '/metrics') {
    return void registry.metrics().then((text) => {
      res.writeHead(200, { 'content-type': registry.contentType })
      res.end(text)
    })
  }
  served += 1
  const started = performance.now()
  const fail = state.errorRate > 0 && Math.random() < state.errorRate
  const reply = () => {
    const code = fail ? 500 : 200
    send(res, code, { slot: state.slot, version: state.version })
    requests.labels({ slot: state.slot, version: state.version, code: String(code) }).inc()
    duration
      .labels({ slot: state.slot, version: state.version })
      .observe((performance.now() - started) / 1000)
  }
  if (state.latencyMs > 0) setTimeout(reply, state.latencyMs)
  else reply()
})

function send(res, status, body) {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-slot': state.slot ?? '',
  })
  res.end(text)
}

server.keepAliveTimeout = 65_000
server.listen(Number(values.port), '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n')
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
process.on('SIGINT', () => process.exit(0))
