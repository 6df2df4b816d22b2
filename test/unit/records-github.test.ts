/**
 * The records package against the fake GitHub API (OpenAPI-checked, over HTTP, with the real
 * Octokit and its retry and throttling plugins): API-call bounds, an API that never answers,
 * rate limits and outages. Waits are made short through the limits; nothing asserts on time.
 */
import { ConfigurationError, type Log } from '../../packages/action-kit/index.js'
import {
  GitHubError,
  openDeploymentHistory,
  openDeploymentWriter,
  type ApiLimits,
  type DeploymentRecord,
  type GitHubContext,
  type RecordSettings,
  type RouterIdentity,
} from '../../packages/records/index.js'
import { startFakeGitHub, type FakeGitHub } from '../../scripts/sandbox/fake-github.js'

let github: FakeGitHub
beforeEach(async () => {
  github = await startFakeGitHub()
})
afterEach(async () => {
  expect(github.violations).toEqual([])
  await github.stop()
})

const ROUTER: RouterIdentity = { type: 'haproxy', name: 'edge' }
/** Short waits for tests: the production limits are 10 s per request, one 30 s budget per action run. */
const FAST: ApiLimits = { requestTimeoutMs: 2_000, budgetMs: 30_000, retryUnitMs: 20 }

const settings = (extra: Partial<RecordSettings> = {}): RecordSettings => ({
  enabled: true,
  token: github.token,
  environment: 'production',
  production: true,
  service: 'orders',
  ...extra,
})
const context = (): GitHubContext => ({
  apiUrl: github.url,
  repository: 'acme/orders',
  sha: '0123456789abcdef0123456789abcdef01234567',
  runUrl: 'https://github.com/acme/orders/actions/runs/4242/attempts/1',
})

function capture(): Log & { infos: string[]; warnings: string[] } {
  const infos: string[] = []
  const warnings: string[] = []
  return {
    infos,
    warnings,
    info: (m) => infos.push(m),
    warning: (m) => warnings.push(m),
    debug: () => {},
  }
}

const writer = (log: Log, limits = FAST, extra: Partial<RecordSettings> = {}) =>
  openDeploymentWriter(settings(extra), context(), { router: ROUTER, log, limits })
const history = (log: Log, limits = FAST, extra: Partial<RecordSettings> = {}) =>
  openDeploymentHistory(settings(extra), context(), { router: ROUTER, log, limits })

const draft = (slot: 'blue' | 'green') => ({
  strategy: 'blue-green' as const,
  slot,
  weights: slot === 'blue' ? { blue: 100, green: 0 } : { blue: 0, green: 100 },
  previous: { slot: slot === 'blue' ? ('green' as const) : ('blue' as const) },
})

async function take(records: AsyncIterable<DeploymentRecord>, n: number) {
  const out: DeploymentRecord[] = []
  for await (const r of records) {
    out.push(r)
    if (out.length >= n) break
  }
  return out
}

/** Earlier deployments stored directly in the fake (no API calls), oldest first. */
const seed = (count: number, options: { service?: string } = {}) =>
  github.seed({ count, router: ROUTER, ...options })

const states = (id: number) =>
  github.deployments.find((d) => d.id === id)?.statuses.map((s) => s.state)

test('a deploy: one OpenAPI-valid record of the service, named by router name, never its address', async () => {
  const log = capture()
  const w = writer(log, FAST, { image: 'registry.local/orders@sha256:abc' })
  const id = await w.start(draft('green'))
  await w.finish('success', 'blue -> green')
  expect(id).toBe(w.deploymentId)
  const d = github.deployments.find((x) => x.id === id)!
  expect(d.task).toBe('deploy:orders')
  expect(d.production_environment).toBe(true)
  expect(d.payload).toEqual({
    tool: 'cutover',
    schema: 2,
    service: 'orders',
    strategy: 'blue-green',
    router: { type: 'haproxy', name: 'edge' },
    slot: 'green',
    image: 'registry.local/orders@sha256:abc',
    weights: { blue: 0, green: 100 },
    previous: { slot: 'blue' },
  })
  expect(states(id!)).toEqual(['in_progress', 'success'])
  const created = github.requests.find(
    (r) => r.method === 'POST' && r.path.endsWith('/deployments'),
  )
  expect(JSON.stringify(created?.body)).not.toContain('127.0.0.1')
  expect(log.warnings).toEqual([])
})

test('with 300 earlier deployments, a deploy makes at most 10 API calls and deactivates only the live one', async () => {
  const earlier = seed(300)
  seed(50, { service: 'billing' })
  const w = writer(capture())
  const id = await w.start(draft('blue'))
  await w.finish('success', 'green -> blue')
  expect(github.calls()).toBeLessThanOrEqual(10)
  const live = earlier.at(-1)!
  expect(states(live)).toEqual(['in_progress', 'success', 'inactive'])
  expect(states(earlier.at(-2)!)).toEqual(['in_progress', 'success', 'inactive'])
  expect(github.deployments.find((d) => d.id === id)?.payload.previous).toEqual({
    slot: 'green',
    deployment_id: live,
  })
  // GitHub filtered by service on its side: no page of billing's records was read.
  const lists = github.requests.filter((r) => r.method === 'GET' && /deployments\?/.test(r.path))
  expect(lists.every((r) => r.path.includes('task=deploy%3Aorders'))).toBe(true)
  expect(lists.every((r) => r.path.includes('environment=production'))).toBe(true)
})

test('with 300 earlier deployments, a rollback (read until decided, record, finish) makes at most 10 API calls', async () => {
  const earlier = seed(300)
  const log = capture()
  const h = history(log)
  const [live, restored] = await take(h.records(), 2)
  expect([live?.id, live?.state, restored?.state]).toEqual([earlier.at(-1), 'success', 'inactive'])
  const w = writer(log)
  await w.start(
    {
      strategy: 'rollback',
      slot: restored!.payload.slot,
      weights: restored!.payload.weights,
      previous: { slot: live!.payload.slot, deployment_id: live!.id },
      rolled_back_id: live!.id,
      restored_deployment_id: restored!.id,
    },
    { afterTraffic: true, ref: restored!.sha },
  )
  await w.finish('success', 'rolled back')
  expect(github.calls()).toBeLessThanOrEqual(10)
  expect(states(live!.id)).toEqual(['in_progress', 'success', 'failure'])
  expect(states(restored!.id)).toEqual(['in_progress', 'success', 'inactive'])
})

test('history is lazy: reading the newest record costs one page and one status', async () => {
  seed(300)
  await take(history(capture()).records(), 1)
  expect(github.calls()).toBe(2)
})

describe('no GitHub call can hang a step', () => {
  const hangs = () => github.requests.filter((r) => r.fault === 'hang').length

  test('an API that never answers: a history read before traffic moves is one attempt, naming the cause', async () => {
    github.inject({ hang: true, times: 1000 })
    const h = history(capture(), { requestTimeoutMs: 300, budgetMs: 10_000, retryUnitMs: 20 })
    const read = take(h.records(), 1)
    await expect(read).rejects.toThrow(GitHubError)
    await expect(read).rejects.toThrow(
      'GitHub gave no answer within 0.3 s to list the deployments of production (not asked again before traffic moves)',
    )
    expect(hangs()).toBe(1)
  })

  test('an API that never answers: opening the record before traffic moves is one attempt; the warning says the record is missing and why', async () => {
    github.inject({ hang: true, times: 1000 })
    const log = capture()
    const w = writer(log, { requestTimeoutMs: 300, budgetMs: 10_000, retryUnitMs: 20 })
    expect(await w.start(draft('green'))).toBeUndefined()
    expect(hangs()).toBe(1)
    const requests = github.requests.length
    await w.finish('success', 'blue -> green')
    expect(github.requests.length).toBe(requests)
    const warnings = log.warnings.join('\n')
    expect(warnings).toContain(
      'records: the deployment record is missing: GitHub gave no answer within 0.3 s to list the deployments of production (not asked again before traffic moves). Traffic still moves',
    )
    expect(warnings).toContain('records: no record of this success')
  })

  test('continuing an earlier record before traffic moves is one attempt too', async () => {
    github.inject({ hang: true, times: 1000 })
    const log = capture()
    const w = writer(log, { requestTimeoutMs: 300, budgetMs: 10_000, retryUnitMs: 20 })
    expect(await w.continue(1000)).toBeUndefined()
    expect(hangs()).toBe(1)
    expect(log.warnings.join('\n')).toContain(
      'GitHub gave no answer within 0.3 s to read deployment 1000',
    )
  })

  test('after traffic moved, a request that does not answer in time is retried, and the retry counts as the same call', async () => {
    github.inject({ hang: true, times: 1, match: /^POST .*\/deployments$/ })
    // The requests that are answered get seconds (FAST); only the one that hangs meets the timeout.
    const w = writer(capture(), FAST)
    const id = await w.start(draft('green'), { afterTraffic: true })
    expect(states(id!)).toEqual(['in_progress'])
    expect(hangs()).toBe(1)
    expect(github.calls()).toBe(3) // list, create, status: the retried create counted once
  })

  test('after traffic moved, retries stop when the budget is spent, and the warning names the budget', async () => {
    github.inject({ hang: true, times: 1000 })
    const log = capture()
    const w = writer(log, { requestTimeoutMs: 300, budgetMs: 1_000, retryUnitMs: 20 })
    expect(await w.start(draft('green'), { afterTraffic: true })).toBeUndefined()
    expect(log.warnings.join('\n')).toContain(
      'records: the deployment record is missing: GitHub: gave up on list the deployments of production: the 1 s allowed for all GitHub calls of this step (history and record together) ran out (last attempt: no answer within 0.3 s)',
    )
  })

  test('one budget per run: what the history spent, the writer no longer has', async () => {
    github.inject({ hang: true, times: 1000 })
    const limits = { requestTimeoutMs: 600, budgetMs: 1_000, retryUnitMs: 20 }
    const log = capture()
    // A rollback: the history read (one attempt, 0.6 s), then the record after traffic moved.
    await expect(take(history(log, limits).records(), 1)).rejects.toThrow('within 0.6 s')
    const w = writer(log, limits)
    expect(await w.start(draft('blue'), { afterTraffic: true })).toBeUndefined()
    // 0.4 s were left: the writer's first attempt is cut by the budget, none follows. (With a
    // budget of its own, the writer would have timed out once and tried again: 3 attempts.)
    expect(hangs()).toBe(2)
    expect(log.warnings.join('\n')).toContain(
      'the 1 s allowed for all GitHub calls of this step (history and record together) ran out',
    )
  })
})

describe('rate limits are rate limits', () => {
  test.each([403, 429] as const)(
    'primary limit (%i) resetting after the budget: gives up at once, says when it resets, not a permission',
    async (status) => {
      github.inject({ rateLimit: 'primary', status, resetInS: 3600, times: 100 })
      const log = capture()
      const w = writer(log)
      // A rate limit is not a refused token: the step goes on without the record.
      expect(await w.start(draft('green'))).toBeUndefined()
      expect(github.requests).toHaveLength(1)
      const warning = log.warnings.join('\n')
      expect(warning).toContain("GitHub's rate limit stopped")
      expect(warning).toMatch(/it resets at \d{4}-\d\d-\d\dT/)
      expect(warning).toContain('so cutover gave up at once')
      expect(warning).toContain('This is a rate limit, not a missing permission')
      expect(warning).not.toContain('permissions:')
    },
  )

  test('secondary limit with Retry-After longer than the budget left: history fails at once and says so', async () => {
    github.inject({ rateLimit: 'secondary', status: 403, retryAfterS: 120, times: 100 })
    const read = take(history(capture()).records(), 1)
    await expect(read).rejects.toThrow(
      /GitHub's secondary rate limit stopped list the deployments of production \(403: You have exceeded a secondary rate limit.*\); GitHub asks to wait 120 s \(Retry-After\); that is longer than the \d+(\.\d)? s left/,
    )
    expect(github.requests).toHaveLength(1)
  })

  test('a bare 429 is still a rate limit, never a permission', async () => {
    github.inject({ status: 429, times: 100 })
    const log = capture()
    expect(await writer(log).start(draft('green'))).toBeUndefined()
    expect(github.requests).toHaveLength(1)
    expect(log.warnings.join('\n')).toContain(
      "GitHub's rate limit stopped list the deployments of production (429: Error); GitHub gave no time to wait.",
    )
  })

  test('secondary limit with a short Retry-After: waited out, then recorded; not counted as a call', async () => {
    github.inject({ rateLimit: 'secondary', status: 429, retryAfterS: 1, times: 1 })
    const log = capture()
    const w = writer(log)
    const id = await w.start(draft('green'))
    expect(states(id!)).toEqual(['in_progress'])
    expect(log.infos.join('\n')).toContain('GitHub API: secondary rate limit hit; waiting 1 s')
    expect(github.calls()).toBe(github.requests.length - 1)
  })
})

describe('refusals and outages', () => {
  test('5xx twice, then OK: retried by plugin-retry, recorded, counted once', async () => {
    github.inject({ status: 502, times: 2, match: /^POST .*\/deployments$/ })
    const log = capture()
    const id = await writer(log).start(draft('green'))
    expect(states(id!)).toEqual(['in_progress'])
    expect(github.requests.filter((r) => r.fault === '502')).toHaveLength(2)
    expect(log.infos.join('\n')).toContain(
      'GitHub API: POST /repos/acme/orders/deployments answered 502',
    )
  })

  test('5xx for good: the record is missing, with the attempts counted', async () => {
    github.inject({ status: 503, times: 100 })
    const log = capture()
    expect(await writer(log).start(draft('green'))).toBeUndefined()
    expect(log.warnings.join('\n')).toContain('GitHub could not')
    expect(log.warnings.join('\n')).toContain('(4 attempts): 503 Service Unavailable')
  })

  test('403 refused before traffic moves: a configuration error that names the permission', async () => {
    github.inject({ status: 403, times: 100 })
    const start = writer(capture()).start(draft('green'))
    await expect(start).rejects.toThrow(ConfigurationError)
    await expect(start).rejects.toThrow(
      'add `permissions: { deployments: write, contents: read }` to the job',
    )
  })

  test('403 after traffic moved (rollback): only a warning', async () => {
    github.inject({ status: 403, times: 100 })
    const log = capture()
    expect(await writer(log).start(draft('green'), { afterTraffic: true })).toBeUndefined()
    expect(log.warnings.join('\n')).toContain('Resource not accessible by integration')
  })

  test('API down: history names the address it could not reach', async () => {
    await github.stop()
    const down = openDeploymentHistory(
      settings(),
      { ...context() },
      {
        router: ROUTER,
        log: capture(),
        limits: FAST,
      },
    )
    github = await startFakeGitHub() // for afterEach
    await expect(take(down.records(), 1)).rejects.toThrow(/could not be reached|ECONNREFUSED/)
  })

  test('no token: history says so instead of guessing', async () => {
    await expect(take(history(capture(), FAST, { token: '' }).records(), 1)).rejects.toThrow(
      'no token was given',
    )
  })
})

test('continuing a walk across jobs validates the id against the repository, environment and service', async () => {
  const first = writer(capture())
  const id = (await first.start({
    strategy: 'canary',
    slot: 'green',
    stable: 'blue',
    weights: { blue: 95, green: 5 },
    previous: { slot: 'blue' },
  }))!
  await first.progress('canary 5%')
  const next = writer(capture())
  const record = await next.continue(id)
  expect(record?.statusDescription).toBe('canary 5%')
  await next.progress('canary 100%')
  await next.finish('success', 'canary promoted')
  expect(states(id)).toEqual(['in_progress', 'in_progress', 'in_progress', 'success'])
  expect(github.deployments).toHaveLength(1)

  await expect(writer(capture()).continue(id)).rejects.toThrow(
    /Deployment \d+ \(input 'deployment-id'\) already ended: it is success \("canary promoted"\)\. Its release went live already; nothing moved\./,
  )
  await expect(writer(capture()).continue(99999)).rejects.toThrow(
    'GitHub has no deployment 99999 in acme/orders',
  )
  await expect(writer(capture(), FAST, { service: 'billing' }).continue(id)).rejects.toThrow(
    `it is a record of "orders"`,
  )
  await expect(writer(capture(), FAST, { environment: 'staging' }).continue(id)).rejects.toThrow(
    `it is in environment "production"`,
  )
})
