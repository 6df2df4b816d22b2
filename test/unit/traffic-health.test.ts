/** health-url against a real local HTTP server: redirects are never followed. */
import { createServer, type Server } from 'node:http'
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net'
import type { Log } from '../../packages/action-kit/index.js'
import { requireHealthy, waitHealthy } from '../../packages/traffic/index.js'

let server: Server
let base = ''
let healthzHits = 0
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/moved') {
      res.writeHead(302, { location: '/healthz' })
      return res.end()
    }
    if (req.url === '/healthz') healthzHits++
    res.writeHead(req.url === '/healthz' ? 200 : 404)
    res.end('ok')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

const lines: string[] = []
const log: Log = { info: (m) => void lines.push(m), warning: (m) => void lines.push(m), debug() {} }

test('a 302 to a 200 page is unhealthy, and the log says it was a redirect', async () => {
  healthzHits = 0
  const result = await waitHealthy(
    // One attempt (interval = timeout), with seconds for the server to answer.
    { url: `${base}/moved`, checks: 1, interval: 5000, timeout: 5000 },
    log,
  )
  expect(result.healthy).toBe(false)
  expect(result.last).toMatch(
    /^HTTP 302 redirect to \/healthz in \d+ ms \(redirects are not followed: unhealthy\)$/,
  )
  expect(lines.join('\n')).toContain('HTTP 302 redirect to /healthz')
  expect(healthzHits).toBe(0)
  await expect(
    requireHealthy(
      { url: `${base}/moved`, checks: 1, interval: 5000, timeout: 5000 },
      log,
      'traffic stays',
    ),
  ).rejects.toThrow(/the last was HTTP 302 redirect to \/healthz/)
})

test('the page itself is healthy', async () => {
  const result = await waitHealthy(
    { url: `${base}/healthz`, checks: 2, interval: 100, timeout: 5000 },
    log,
  )
  expect(result).toMatchObject({ healthy: true, passedInARow: 2 })
})

/**
 * A health URL that answers one byte every 300 ms: its status line and headers (`headers`) or
 * only its body (`body`, after a whole 200 head). Returns its URL and a stop function.
 */
async function drippingServer(what: 'headers' | 'body'): Promise<{ url: string; stop(): void }> {
  const reply = `HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 100\r\n\r\n${'o'.repeat(100)}`
  const head = reply.indexOf('\r\n\r\n') + 4
  const sockets = new Set<Socket>()
  const drip = createNetServer((socket) => {
    sockets.add(socket)
    socket.on('error', () => {})
    socket.once('data', () => {
      let sent = what === 'body' ? head : 0
      if (sent > 0) socket.write(reply.slice(0, sent))
      const timer = setInterval(() => {
        if (sent >= reply.length) return socket.end()
        socket.write(reply.charAt(sent++))
      }, 300)
      socket.on('close', () => {
        clearInterval(timer)
        sockets.delete(socket)
      })
    })
  })
  await new Promise<void>((resolve) => drip.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(drip.address() as AddressInfo).port}/healthz`,
    stop: () => {
      for (const s of sockets) s.destroy()
      drip.close()
    },
  }
}

// The timeout bounds each whole attempt, not the gap between bytes: the head alone would take
// ~20 s to arrive. jest's bound (10 s) is the proof that it ended; no timing is asserted.
test('a health URL that drips its answer a byte at a time fails within the timeout, never counted healthy', async () => {
  const drip = await drippingServer('headers')
  try {
    await expect(
      requireHealthy(
        { url: drip.url, checks: 1, interval: 100, timeout: 1000 },
        log,
        'traffic stays at blue 100% / green 0%',
      ),
    ).rejects.toThrow(
      /did not pass: 1 2xx answers in a row were needed within 1s; after \d+ attempts the last was no answer within \d+ ms\. No traffic was moved: traffic stays at blue 100% \/ green 0%\./,
    )
  } finally {
    drip.stop()
  }
}, 10_000)

test('a health URL whose status is whole and whose body drips: the status is the answer, the body is never awaited', async () => {
  const drip = await drippingServer('body')
  try {
    const result = await waitHealthy(
      { url: drip.url, checks: 2, interval: 100, timeout: 5000 },
      log,
    )
    expect(result).toMatchObject({ healthy: true, passedInARow: 2, attempts: 2 })
  } finally {
    drip.stop()
  }
}, 10_000)
