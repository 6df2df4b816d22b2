/**
 * metrics-gate through its bundle against a real Prometheus scraping the sandbox apps, and
 * against small local HTTP servers standing in for a Prometheus that redirects or refuses.
 */
import { createServer, type Server } from 'node:http'
import { startSandbox, type LoadRun, type Sandbox } from '../../scripts/sandbox/index.js'
import { runAction, type ActionRun } from '../harness.js'

let sandbox: Sandbox
let load: LoadRun
beforeAll(async () => {
  sandbox = await startSandbox({ prometheus: true })
  await sandbox.apps.blue.control({ errorRate: 1, version: 'gate' })
  load = await sandbox.load(sandbox.apps.blue.url, { concurrency: 2, keepalive: true })
  await sandbox.prometheus!.waitForData(
    'sum(rate(http_requests_total{slot="blue",code="500"}[10s])) > 0',
  )
}, 60_000)
afterAll(async () => {
  await load?.stop()
  await sandbox?.stop()
})

const ERROR_RATE = {
  name: 'error-rate',
  query:
    'sum(rate(http_requests_total{slot="{{slot}}",code=~"5.."}[10s])) / sum(rate(http_requests_total{slot="{{slot}}"}[10s]))',
  max: 0.05,
}
const gate = (inputs: Record<string, unknown>) =>
  runAction('metrics-gate', {
    inputs: {
      prometheus: sandbox.prometheus!.url,
      interval: '200ms',
      count: '1',
      ...inputs,
    } as Record<string, string>,
  })

describe('placeholders stay inside their string literal', () => {
  test('the real error rate fails the gate', async () => {
    const run = await gate({ checks: [ERROR_RATE], vars: { slot: 'blue' } })
    expect(run.outputs.verdict).toBe('fail')
    expect(run.exitCode).toBe(1)
  })

  // Unescaped, this value comments out the division and makes the query `... * 0 or vector(0)`: 0, a pass.
  test('a value written to rewrite the query into a pass selects nothing instead', async () => {
    const run = await gate({
      checks: [ERROR_RATE],
      vars: { slot: 'blue"}[10s])) * 0 or vector(0) # ' },
    })
    expect(run.outputs.verdict).toBe('inconclusive')
    expect(run.exitCode).toBe(1)
    expect(run.log).toContain('the query returned no series (no data)')
  })

  test('a placeholder outside a string is a configuration error before any query', async () => {
    const run = await gate({
      checks: [{ name: 'window', query: 'sum(rate(http_requests_total[{{window}}]))', max: 1 }],
      vars: { window: '10s' },
    })
    expect(run.exitCode).toBe(1)
    expect(run.errors[0]).toBe(
      `Configuration error: Input 'checks'[0] (window): 'query' uses "{{window}}" outside any string literal; placeholders are allowed only inside double-quoted PromQL strings, e.g. {slot="{{canary}}"} or {server=~"{{canary-servers}}"}.`,
    )
    expect(run.outputs.verdict).toBeUndefined()
  })

  test('{{canary-servers}} is a regex alternation of escaped names', async () => {
    const instance = `127.0.0.1:${sandbox.apps.green.port}`
    const check = { name: 'targets', query: 'count(up{instance=~"{{canary-servers}}"})', min: 2 }
    // Both apps' targets: the alternation matches each name.
    const both = await gate({
      checks: [check],
      servers: { canary: [instance, `127.0.0.1:${sandbox.apps.blue.port}`], stable: ['x'] },
    })
    expect(both.outputs.verdict).toBe('pass')
    // Unescaped, `|.*` would match every target (a pass); escaped it matches no name.
    const injected = await gate({
      checks: [check],
      servers: { canary: [`${instance}|.*`], stable: ['x'] },
    })
    expect(injected.outputs.verdict).toBe('inconclusive')
  })
})

describe('no pass without evidence (issue 18 item 7), on the real Prometheus', () => {
  // blue answers 100% errors under load; green is the slot compared with.
  const COMPARE = {
    name: 'errors-vs-stable',
    compare: 'error-rate',
    requests: 'sum(http_requests_total{slot=~"{{servers}}"})',
    errors: 'sum(http_requests_total{slot=~"{{servers}}",code=~"5.."})',
  }

  test('compare: error-rate without min-samples never passes a canary that got no request', async () => {
    // green has had no request at all (its counter has no series): 0 of 0 is no evidence.
    const run = await gate({
      checks: [COMPARE],
      servers: { canary: ['green'], stable: ['blue'] },
      count: '3',
      'max-wait': '2s',
    })
    expect(run.outputs.verdict).toBe('inconclusive')
    expect(run.exitCode).toBe(1)
    expect(run.log).toMatch(/not enough data yet: 0 requests to the canary in \S+; 100 needed/)
    expect(run.log).not.toMatch(/errors-vs-stable: \S+ \([^)]*\) pass/)
  })

  test('count: 1 does not judge the empty first window: a canary answering 100% errors fails', async () => {
    const stable = await sandbox.load(sandbox.apps.green.url, { concurrency: 1, keepalive: true })
    try {
      const run = await gate({
        checks: [{ ...COMPARE, max: 0.05 }],
        servers: { canary: ['blue'], stable: ['green'] },
        'max-wait': '60s',
      })
      const report = JSON.parse(run.outputs.report ?? '{}') as {
        measurements: { outcome: string; samples?: number }[]
      }
      // The first look's window is empty: it waits, and the look that decides had the evidence.
      expect(report.measurements[0]).toEqual(expect.objectContaining({ outcome: 'waiting' }))
      expect(report.measurements.at(-1)!.samples).toBeGreaterThanOrEqual(100)
      expect(run.outputs.verdict).toBe('fail')
      expect(run.errors[0]).toMatch(
        /errors-vs-stable failed 1 time\(s\).*canary 100% \(\d+ of \d+ requests\)/,
      )
    } finally {
      await stable.stop()
    }
  }, 90_000)
})

describe('credentials never reach the log, the summary or the report', () => {
  let fake: Server
  let fakeUrl = ''
  let answer: (path: string) => { status: number; headers?: Record<string, string>; body?: string }
  beforeAll(async () => {
    fake = createServer((req, res) => {
      const { status, headers, body } = answer(req.url ?? '/')
      res.writeHead(status, headers).end(body)
    })
    await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r))
    fakeUrl = `http://127.0.0.1:${(fake.address() as { port: number }).port}`
  })
  afterAll(() => new Promise<void>((r) => (fake.closeAllConnections(), fake.close(() => r()))))

  const SECRET = 's3cr3t-t0ken'
  /** Everything a run shows anyone: the log (add-mask commands aside), stderr, the summary, the outputs. */
  const shown = (run: ActionRun) =>
    [
      run.stdout
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n'),
      run.stderr,
      run.summary,
      JSON.stringify(run.outputs),
    ].join('\n')

  test('a user:password@ URL is refused without echoing the password', async () => {
    const run = await gate({
      prometheus: `http://admin:${SECRET}@127.0.0.1:9/`,
      checks: [{ name: 'one', query: 'vector(1)', max: 1 }],
    })
    expect(run.exitCode).toBe(1)
    expect(run.errors[0]).toContain(
      "Input 'prometheus' has a URL with a user name or password in it (http://***@127.0.0.1:9)",
    )
    expect(shown(run)).not.toContain(SECRET)
  })

  test.each([
    [
      'a redirect is refused, not followed',
      { status: 302, headers: { location: `/elsewhere?token=${SECRET}` } },
      'answered HTTP 302, a redirect to',
    ],
    [
      'an error answer echoing the header',
      { status: 401, body: 'unauthorized' },
      'answered HTTP 401 without JSON: unauthorized',
    ],
  ])('%s; header values stay masked', async (_name, reply, message) => {
    let followed = false
    let received: string | undefined
    answer = (path) => {
      if (path.startsWith('/elsewhere')) followed = true
      return reply
    }
    const original = answer
    answer = (path) => ((received = path), original(path))
    const run = await gate({
      prometheus: fakeUrl,
      'prometheus-headers': { Authorization: `Bearer ${SECRET}` },
      checks: [{ name: 'one', query: 'vector(1)', max: 1 }],
      'consecutive-error-limit': '0',
    })
    expect(received).toBe('/api/v1/query')
    expect(followed).toBe(false)
    expect(run.outputs.verdict).toBe('fail')
    expect(run.errors[0]).toContain(message)
    expect(run.stdout).toContain(`::add-mask::Bearer ${SECRET}`)
    expect(shown(run)).not.toContain(SECRET)
  })
})
