/** health-url against a real local HTTP server: redirects are never followed. */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
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
