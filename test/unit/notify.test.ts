import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { ConfigurationError, silentLog, type Log } from '../../packages/action-kit/index.js'
import {
  NOTIFY_EVENTS,
  Notifier,
  notifySecrets,
  parseNotify,
  requestFor,
  scrub,
  sendNotification,
  sign,
  slackPayload,
  teamsPayload,
  verifySignature,
  webhookBody,
  type NotifyEvent,
  type NotifyTarget,
} from '../../packages/notify/index.js'
import { figuresOf, trafficOf } from '../../actions/common/notify.js'
import { GroupRouter, MemoryRouter } from '../../packages/router/index.js'
import { checkSlack, checkTeams } from '../../scripts/sandbox/receivers.js'

const URL_A = 'https://hooks.slack.com/services/T1/B2/abcdefghijklmnop'
const KEY = '0123456789abcdef0123'

const event = (over: Partial<NotifyEvent> = {}): NotifyEvent => ({
  kind: 'rollback',
  action: 'canary-step',
  service: 'orders',
  environment: 'production',
  release: 'r.example/orders@sha256:abc',
  summary: 'canary green rolled back at 25%: stable blue carries 100%',
  verdict: 'fail',
  reason: 'step 2 (canary 25%) fail: error-rate 0.3 > 0.05',
  figures: [{ check: 'error-rate', value: 0.3, bound: '<= 0.05', samples: 412, outcome: 'fail' }],
  traffic: [
    { router: 'lb-a', weights: { blue: 100, green: 0 } },
    { router: 'lb-b', note: 'not reached (ECONNREFUSED); unknown' },
  ],
  runUrl: 'https://github.com/acme/orders/actions/runs/1',
  ...over,
})

describe('parseNotify: accepted', () => {
  test.each([
    ['', []],
    [`- slack: ${URL_A}`, [{ kind: 'slack', url: URL_A, events: NOTIFY_EVENTS }]],
    [
      `- teams: https://prod.westeurope.logic.azure.com/workflows/x/triggers/manual/paths/invoke?sig=s3cr3t\n  events: [fail, rollback]`,
      [
        {
          kind: 'teams',
          url: 'https://prod.westeurope.logic.azure.com/workflows/x/triggers/manual/paths/invoke?sig=s3cr3t',
          events: ['fail', 'rollback'],
        },
      ],
    ],
    [
      `- webhook: http://127.0.0.1:9000/hook\n  secret: ${KEY}\n  events: start, pass`,
      [
        {
          kind: 'webhook',
          url: 'http://127.0.0.1:9000/hook',
          secret: KEY,
          events: ['start', 'pass'],
        },
      ],
    ],
    [
      '- slack: http://localhost:8080/x',
      [{ kind: 'slack', url: 'http://localhost:8080/x', events: NOTIFY_EVENTS }],
    ],
  ])('%j', (raw, expected) => {
    expect(parseNotify('notify', raw, () => {})).toEqual(expected)
  })
})

describe('parseNotify: refused, never quoting a value', () => {
  const secretish = 'q7w8e9zzq7w8'
  test.each([
    [`- slack: ftp://x/${secretish}`, 'has a ftp URL (not shown: it is a secret)'],
    [`- slack: http://example.com/${secretish}`, 'a http URL to a host that is not local'],
    [`- slack: https://user:${secretish}@example.com/`, 'a user name or password in it'],
    [`- slack: not a url ${secretish}`, 'has a value that is not a URL'],
    [`- slack: https://a/${secretish}\n  teams: https://b/`, 'has slack and teams of the keys'],
    [`- url: https://a/${secretish}`, 'has none of the keys slack, teams, webhook (keys: url)'],
    [
      `- slack: https://a/\n  secret: ${secretish}abcdefgh`,
      'unknown key(s) secret; allowed: slack, events',
    ],
    [`- webhook: https://a/${secretish}`, 'has no `secret`'],
    [`- webhook: https://a/\n  secret: ${secretish}`, '12 characters long'],
    [`- webhook: https://a/\n  secret: [${secretish}]`, 'has a `secret` that is a list'],
    [`- slack: https://a/\n  events: []`, 'allowed: a non-empty list of start, step'],
    [`- slack: https://a/\n  events: [${secretish}]`, '1 unknown value(s); allowed'],
    [`- slack: https://a/\n  events: ["${secretish} x"]`, '1 unknown value(s); allowed'],
    [`slack: https://a/${secretish}`, "Input 'notify' is a mapping"],
    [`[]`, 'is an empty list'],
    [`- "https://a/${secretish}"`, 'target 1 is a string'],
    [`- slack: [https://a/${secretish}`, 'is not valid YAML'],
    [
      Array.from({ length: 11 }, () => '- slack: https://a/').join('\n'),
      'lists 11 targets; allowed: at most 10',
    ],
  ])('%j', (raw, message) => {
    let thrown: unknown
    try {
      parseNotify('notify', raw, () => {})
    } catch (e) {
      thrown = e
    }
    expect(thrown).toBeInstanceOf(ConfigurationError)
    expect((thrown as Error).message).toContain(message)
    expect((thrown as Error).message).not.toContain(secretish)
  })

  test('every URL and key is masked before validation can fail', () => {
    const masked: string[] = []
    expect(() =>
      parseNotify('notify', `- webhook: https://a/x-token\n  secret: short-key`, (v) =>
        masked.push(v),
      ),
    ).toThrow(ConfigurationError)
    expect(masked).toEqual(expect.arrayContaining(['https://a/x-token', 'short-key']))
  })

  test('event names are not masked (masking "fail" would hide the word everywhere)', () => {
    const values = notifySecrets('- slack: https://a/b\n  events: [fail]', [
      { slack: 'https://a/b', events: ['fail'] },
    ])
    expect(values).toContain('https://a/b')
    expect(values).not.toContain('fail')
  })
})

describe('payloads', () => {
  test('Slack: text plus Block Kit that the Slack-shaped receiver accepts', () => {
    const payload = slackPayload(event())
    expect(checkSlack(payload)).toBeUndefined()
    expect(payload.text).toBe(
      '⏪ orders in production: rolled back: canary green rolled back at 25%: stable blue carries 100%',
    )
    const json = JSON.stringify(payload)
    expect(json).toContain('lb-a: blue 100% / green 0%')
    expect(json).toContain('lb-b: unknown (not reached (ECONNREFUSED); unknown)')
    expect(json).toContain('error-rate 0.3, bound &lt;= 0.05, 412 samples: fail')
    expect(json).toContain(
      '<https://github.com/acme/orders/actions/runs/1|canary-step run on GitHub>',
    )
  })

  test('Slack: markup in values is escaped and long texts are cut to the limits', () => {
    const payload = slackPayload(event({ summary: '<!channel> & ' + 'x'.repeat(5000) }))
    expect(checkSlack(payload)).toBeUndefined()
    expect(JSON.stringify(payload)).not.toContain('<!channel>')
  })

  test('Teams: a message with one Adaptive Card the Teams-shaped receiver accepts', () => {
    const payload = teamsPayload(event())
    expect(checkTeams(payload)).toBeUndefined()
    const card = (payload.attachments as { content: Record<string, unknown> }[])[0]!.content
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.4' })
    expect(card.actions).toEqual([
      {
        type: 'Action.OpenUrl',
        title: 'Open the run',
        url: 'https://github.com/acme/orders/actions/runs/1',
      },
    ])
    expect(JSON.stringify(card.body)).toContain(
      '"title":"Traffic: lb-a","value":"blue 100% / green 0%"',
    )
  })

  test('webhook: every fact, machine-readable, with the signed id and timestamp', () => {
    const body = JSON.parse(webhookBody(event(), { id: 'd-1', timestamp: 1700000000 }))
    expect(body).toEqual({
      schema: 'cutover.notification/1',
      id: 'd-1',
      timestamp: 1700000000,
      event: 'rollback',
      action: 'canary-step',
      service: 'orders',
      environment: 'production',
      release: 'r.example/orders@sha256:abc',
      summary: 'canary green rolled back at 25%: stable blue carries 100%',
      verdict: 'fail',
      reason: 'step 2 (canary 25%) fail: error-rate 0.3 > 0.05',
      figures: [
        { check: 'error-rate', value: 0.3, bound: '<= 0.05', samples: 412, outcome: 'fail' },
      ],
      traffic: [
        { router: 'lb-a', blue: 100, green: 0 },
        { router: 'lb-b', blue: null, green: null, note: 'not reached (ECONNREFUSED); unknown' },
      ],
      run: 'https://github.com/acme/orders/actions/runs/1',
    })
  })

  test('webhook: the signature header verifies over the raw body and nothing else', () => {
    const target: NotifyTarget = {
      kind: 'webhook',
      url: 'https://a/',
      secret: KEY,
      events: NOTIFY_EVENTS,
    }
    const req = requestFor(target, event(), { id: 'd-2', timestamp: 1700000001 })
    expect(req.headers).toMatchObject({
      'X-Cutover-Event': 'rollback',
      'X-Cutover-Delivery': 'd-2',
      'X-Cutover-Timestamp': '1700000001',
    })
    const header = req.headers['X-Cutover-Signature-256']!
    expect(header).toMatch(/^sha256=[0-9a-f]{64}$/)
    // RFC 4231-style check of the primitive: HMAC-SHA256("key", "The quick brown fox...")
    expect(sign('key', 'The quick brown fox jumps over the lazy dog')).toBe(
      'sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8',
    )
    expect(verifySignature(KEY, req.body, header)).toBe(true)
    expect(verifySignature(KEY, req.body + ' ', header)).toBe(false)
    expect(verifySignature(KEY + 'x', req.body, header)).toBe(false)
    expect(verifySignature(KEY, req.body, header.slice(0, -1))).toBe(false)
  })
})

describe('scrub', () => {
  const target: NotifyTarget = {
    kind: 'webhook',
    url: 'https://hooks.example.com/path/tok3n?sig=abcdef',
    secret: KEY,
    events: NOTIFY_EVENTS,
  }
  test.each([
    ['fetch to https://hooks.example.com/path/tok3n?sig=abcdef failed', 'fetch to *** failed'],
    ['GET /path/tok3n?sig=abcdef 500', 'GET *** 500'],
    ['path/tok3n refused', '*** refused'],
    [`key ${KEY} wrong`, 'key *** wrong'],
    ['ECONNREFUSED', 'ECONNREFUSED'],
  ])('%s', (text, expected) => {
    expect(scrub(text, target)).toBe(expected)
  })
})

describe('the figures and the traffic a notification carries', () => {
  test('figuresOf: the last look of each check, never a waiting one', () => {
    expect(
      figuresOf([
        { check: 'err', at: 't1', value: 0.01, bound: '<= 0.05', outcome: 'pass' },
        { check: 'p99', at: 't1', bound: '<= 0.2', outcome: 'waiting' },
        { check: 'err', at: 't2', value: 0.2, samples: 300, bound: '<= 0.05', outcome: 'fail' },
      ]),
    ).toEqual([{ check: 'err', value: 0.2, samples: 300, bound: '<= 0.05', outcome: 'fail' }])
  })

  test('trafficOf: each router of a list, the unreached one with its last read', () => {
    const a = new MemoryRouter({ name: 'lb-a' })
    const b = new MemoryRouter({ name: 'lb-b' })
    const group = new GroupRouter([a, b])
    expect(
      trafficOf(group, { blue: 100, green: 0 }, [
        {
          router: b.describe(),
          error: 'ECONNREFUSED',
          lastRead: { weights: { blue: 0, green: 100 }, at: '2026-12-06T22:00:00Z' },
        },
      ]),
    ).toEqual([
      { router: 'lb-a', weights: { blue: 100, green: 0 } },
      {
        router: 'lb-b',
        weights: { blue: 0, green: 100 },
        note: 'not reached (ECONNREFUSED); at its last read, 2026-12-06T22:00:00Z',
      },
    ])
    expect(trafficOf(a, { blue: 0, green: 100 }, [])).toEqual([
      { router: 'lb-a', weights: { blue: 0, green: 100 } },
    ])
  })
})

describe('sending', () => {
  let server: Server
  let url = ''
  const got: { path: string; event: string }[] = []
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = ''
      req.on('data', (c) => (body += c))
      req.on('end', () => {
        got.push({ path: req.url ?? '', event: String(req.headers['x-cutover-event'] ?? '') })
        if (req.url === '/hang') return // never answers
        if (req.url === '/fail') return void res.writeHead(500).end(`no ${req.url} here`)
        if (req.url === '/redirect') return void res.writeHead(302, { location: '/ok' }).end()
        res.writeHead(200).end('ok')
      })
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => {
    server.closeAllConnections()
    server.close()
  })

  const warnings: string[] = []
  const log: Log = { ...silentLog, warning: (m) => void warnings.push(m) }
  const target = (path: string, over: Partial<NotifyTarget> = {}): NotifyTarget => ({
    kind: 'webhook',
    url: `${url}${path}`,
    secret: KEY,
    events: NOTIFY_EVENTS,
    ...over,
  })

  test('every target in parallel; a 500 and a redirect are failures; the URL is never in a warning', async () => {
    warnings.length = 0
    const deliveries = await sendNotification(
      [target('/ok'), target('/fail'), target('/redirect')],
      event(),
      log,
    )
    expect(deliveries.map((d) => [d.target, d.ok, d.status])).toEqual([
      ['webhook target 1', true, 200],
      ['webhook target 2', false, 500],
      ['webhook target 3', false, 302],
    ])
    // The receiver's answer quoted the path: scrubbed.
    expect(deliveries[1]!.error).toBe('HTTP 500: no *** here')
    expect(warnings).toHaveLength(2)
    expect(warnings.join()).not.toContain(url)
  })

  test('a receiver that never answers is cut at the deadline', async () => {
    warnings.length = 0
    const [hang] = await sendNotification([target('/hang')], event(), log, { deadlineMs: 300 })
    expect(hang).toEqual({
      target: 'webhook target 1',
      ok: false,
      error: 'no complete answer within 300 ms',
    })
    expect(warnings).toEqual([
      'notify: the rollback notification to webhook target 1 was not delivered (no complete answer within 300 ms); traffic is not affected.',
    ])
  })

  test('a target gets only the events it asked for', async () => {
    await sendNotification(
      [target('/only', { events: ['rollback'] })],
      event({ kind: 'step' }),
      log,
    )
    await sendNotification([target('/only', { events: ['rollback'] })], event(), log)
    expect(got.filter((g) => g.path === '/only').map((g) => g.event)).toEqual(['rollback'])
  })

  test('Notifier: send returns at once, settle waits for every delivery', async () => {
    const n = new Notifier([target('/settle')], silentLog)
    n.send(event({ kind: 'start' }))
    n.sendLater(Promise.resolve(event({ kind: 'fail' })))
    expect(n.deliveries).toEqual([])
    await n.settle()
    expect(n.deliveries.map((d) => d.ok)).toEqual([true, true])
    expect(
      got
        .filter((g) => g.path === '/settle')
        .map((g) => g.event)
        .sort(),
    ).toEqual(['fail', 'start'])
    expect(new Notifier([], silentLog).enabled).toBe(false)
  })
})
