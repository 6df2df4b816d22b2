/**
 * The protection-rule service end to end: the fake GitHub (App JWTs, installation tokens, signed
 * deliveries, the callback, everything checked against GitHub's OpenAPI description) and a real
 * Prometheus scraping the sandbox apps. Each test writes its own walk record ("canary 25%" set
 * now), its own .github/cutover.yml at its own commit, and gives the canary (green) a version
 * label of its own, so the gates of different tests never see each other's traffic.
 */
import { createHmac, randomBytes } from 'node:crypto'
import { startService, type RunningService } from '../../apps/protection-rule/src/service.js'
import { startFakeGitHub, type FakeGitHub } from '../../scripts/sandbox/fake-github.js'
import { startSandbox, type Sandbox } from '../../scripts/sandbox/index.js'
import { sleep } from '../../packages/action-kit/util.js'

const PAUSE_ENV = 'production-pause'
const EVENT = 'deployment_protection_rule'
const REPO = 'acme/orders'

let sandbox: Sandbox
let fake: FakeGitHub
let service: RunningService | undefined
const logs: Record<string, unknown>[] = []
let nextDeployment = 900_000
let nextRun = 7_000

beforeAll(async () => {
  sandbox = await startSandbox({ prometheus: true })
  fake = await startFakeGitHub({ clock: 'real' })
  await sandbox.prometheus!.waitForData()
})

afterAll(async () => {
  await service?.close()
  await fake?.stop()
  await sandbox?.stop()
})

afterEach(() => {
  // Every request the service made, and every event the fake sent, matched GitHub's description.
  expect(fake.violations).toEqual([])
})

async function start(options: { recover?: boolean } = {}): Promise<RunningService> {
  return startService({
    port: 0,
    host: '127.0.0.1',
    appId: fake.app.id,
    privateKey: fake.app.privateKey,
    webhookSecret: fake.app.webhookSecret,
    githubUrl: fake.url,
    log: (entry) => logs.push(entry),
    recover: options.recover ?? false,
    watchMs: 1000,
    progressEvery: 3,
    timeouts: { githubMs: 5000, prometheusMs: 5000 },
  })
}

/** A commit of its own, a version label of its own for the canary, and the config at that commit. */
function release(pause: string, environment = PAUSE_ENV, prometheus?: string) {
  const sha = randomBytes(20).toString('hex')
  const version = `v-${sha.slice(0, 8)}`
  const series = `slot="{{canary}}",version="${version}"`
  fake.files(
    REPO,
    sha,
    '.github/cutover.yml',
    `protection-rule:
  ${environment}:
    service: orders
    environment: production
    prometheus: ${prometheus ?? sandbox.prometheus!.url}
    pause: ${pause}
    gate: |
      interval: 1s
      checks:
        - name: error-rate
          query: sum(rate(http_requests_total{${series},code="500"}[3s])) / sum(rate(http_requests_total{${series}}[3s]))
          samples: sum(increase(http_requests_total{${series}}[3s]))
          min-samples: 20
          max: 0.05
`,
  )
  return { sha, version }
}

/** The walk's record: a canary of orders to green, the step job that set 25% handing over now. */
function walk(sha: string): number {
  const id = nextDeployment++
  const at = (ms: number) => new Date(Date.now() + ms).toISOString()
  const status = (state: string, description: string, created_at: string) => ({
    id: nextDeployment++,
    state,
    description,
    environment: 'production',
    log_url: 'https://github.com/acme/orders/actions/runs/1',
    environment_url: '',
    created_at,
  })
  fake.deployments.push({
    id,
    sha,
    ref: 'main',
    task: 'deploy:orders',
    payload: {
      tool: 'cutover',
      schema: 2,
      service: 'orders',
      strategy: 'canary',
      router: { type: 'haproxy', name: 'web' },
      slot: 'green',
      stable: 'blue',
      weights: { blue: 75, green: 25 },
      previous: { slot: 'blue' },
    },
    environment: 'production',
    description: 'canary of orders to green',
    production_environment: true,
    transient_environment: false,
    created_at: at(-2000),
    statuses: [
      status('in_progress', 'canary to green', at(-2000)),
      status('in_progress', 'canary 25%', at(-100)),
      // A step job ends its part of the walk this way (canaryOutcome 'held'): the pause starts here.
      status('in_progress', 'held at 25%', at(0)),
    ],
  })
  return id
}

/** Requests to the canary (green) at a steady ~40/s, from this process. */
function traffic(): () => Promise<void> {
  let running = true
  const loop = (async () => {
    while (running) {
      await Promise.all([
        fetch(sandbox.apps.green.url).then((r) => r.arrayBuffer()),
        sleep(25),
      ]).catch(() => {})
    }
  })()
  return async () => {
    running = false
    await loop
  }
}

async function deliver(
  runId: number,
  sha: string,
  extra: {
    delivery?: string
    signWith?: string | null
    environment?: string
    /** The waiting job's deployment (a replay carries the original's); default: a new one. */
    deploymentId?: number
  } = {},
) {
  return fake.deliverProtectionRule({
    url: `${service!.url}/webhook`,
    environment: extra.environment ?? PAUSE_ENV,
    runId,
    sha,
    ref: 'refs/heads/main',
    ...(extra.delivery ? { delivery: extra.delivery } : {}),
    ...(extra.signWith !== undefined ? { signWith: extra.signWith } : {}),
    ...(extra.deploymentId !== undefined ? { deploymentId: extra.deploymentId } : {}),
  })
}

/** The deployment GitHub created for the job a delivery was about. */
const deploymentOf = (deliveryId: string) =>
  (fake.deliveries.find((d) => d.guid === deliveryId)!.request.payload.deployment as { id: number })
    .id

const reviewsOf = (runId: number) => fake.reviews.filter((r) => r.runId === runId)
const tokenRequests = () =>
  fake.requests.filter(
    (r) => r.method === 'POST' && /^\/app\/installations\/\d+\/access_tokens/.test(r.path),
  ).length

describe('the protection-rule service', () => {
  beforeAll(async () => {
    service = await start()
  })

  it('answers /healthz while serving', async () => {
    const response = await fetch(`${service!.url}/healthz`)
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ status: 'ok' })
  })

  it('approves a healthy pause after the gate passed over the whole window, with the figures', async () => {
    const { sha, version } = release('5s')
    await sandbox.apps.green.control({ version, errorRate: 0 })
    const stop = traffic()
    try {
      await sleep(4000) // the new version's first scrapes
      walk(sha)
      const runId = nextRun++
      const tokensBefore = tokenRequests()
      const sent = await deliver(runId, sha)
      expect(sent.status).toBe(202)
      const review = await fake.waitForReview(runId, PAUSE_ENV, 60_000)
      // The comment first: a failure shows the gate's report.
      expect(review.comment).toMatch(/Approved: the gate passed/)
      expect(review.state).toBe('approved')
      expect(review.comment).toMatch(/orders canary 25% in production/)
      expect(review.comment).toMatch(/error-rate/)
      // The progress comment came first, without a decision.
      const [first] = reviewsOf(runId)
      expect(first?.state).toBeUndefined()
      expect(first?.comment).toMatch(/measuring orders canary 25%/)
      expect(reviewsOf(runId).filter((r) => r.state)).toHaveLength(1)
      // One installation token for this delivery, shared by its calls.
      expect(tokenRequests() - tokensBefore).toBe(1)
    } finally {
      await stop()
    }
  })

  it('never approves a pause without traffic: rejected as inconclusive', async () => {
    const { sha, version } = release('4s')
    await sandbox.apps.green.control({ version })
    await sleep(2000)
    walk(sha)
    const runId = nextRun++
    expect((await deliver(runId, sha)).status).toBe(202)
    const review = await fake.waitForReview(runId, PAUSE_ENV, 60_000)
    expect(review.state).toBe('rejected')
    expect(review.comment).toMatch(/inconclusive is not a pass/)
    expect(review.comment).toMatch(/not enough data yet/)
  })

  it('a restart mid-judgement loses nothing: nothing half-answered, the next start recovers and answers', async () => {
    const { sha, version } = release('8s')
    await sandbox.apps.green.control({ version, errorRate: 0 })
    const stop = traffic()
    try {
      await sleep(4000)
      walk(sha)
      const runId = nextRun++
      expect((await deliver(runId, sha)).status).toBe(202)
      // Measuring has started (the progress comment), then the service stops.
      await waitFor(() => reviewsOf(runId).length > 0, 30_000)
      await service!.close()
      expect(logs.some((l) => l.run === runId && /left for recovery/.test(String(l.msg)))).toBe(
        true,
      )
      expect(reviewsOf(runId).filter((r) => r.state)).toEqual([])
      expect(fake.runs.find((r) => r.id === runId)?.status).toBe('waiting')
      // A new process, nothing carried over but GitHub's own records: it recovers the run.
      service = await start({ recover: true })
      const review = await fake.waitForReview(runId, PAUSE_ENV, 60_000)
      expect(review.comment).toMatch(/Approved: the gate passed/)
      expect(review.state).toBe('approved')
      expect(reviewsOf(runId).filter((r) => r.state)).toHaveLength(1)
      expect(logs.some((l) => l.run === runId && l.source === 'recovery')).toBe(true)
    } finally {
      await stop()
    }
  })

  it('rejects a canary whose errors rise, at the first failing look, long before the pause ends', async () => {
    const { sha, version } = release('10m')
    await sandbox.apps.green.control({ version, errorRate: 0.5 })
    const stop = traffic()
    try {
      await sleep(3000)
      walk(sha)
      const runId = nextRun++
      expect((await deliver(runId, sha)).status).toBe(202)
      // A 10-minute pause: only a rejection at a failing look answers within this budget.
      const review = await fake.waitForReview(runId, PAUSE_ENV, 60_000)
      expect(review.state).toBe('rejected')
      expect(review.comment).toMatch(/the gate failed/)
      expect(review.comment).toMatch(/> max 0\.05/)
      expect(review.comment).toMatch(/❌ fail/)
    } finally {
      await stop()
      await sandbox.apps.green.control({ errorRate: 0 })
    }
  })

  it('a shutdown while the answer is on its way waits for it: answered, never half-answered', async () => {
    const { sha, version } = release('10m')
    await sandbox.apps.green.control({ version, errorRate: 0.5 })
    const stop = traffic()
    try {
      await sleep(3000)
      walk(sha)
      const runId = nextRun++
      // GitHub takes 3 s to take the progress comment and the answer (the two calls to come).
      fake.inject({ times: 2, match: /^POST .*\/deployment_protection_rule$/, delayMs: 3000 })
      expect((await deliver(runId, sha)).status).toBe(202)
      await waitFor(() => logs.some((l) => l.run === runId && l.msg === 'gate decided'), 30_000)
      await service!.close()
      // close() returned: the rejection had been taken by GitHub before.
      expect(reviewsOf(runId).filter((r) => r.state)).toMatchObject([{ state: 'rejected' }])
    } finally {
      await stop()
      await sandbox.apps.green.control({ errorRate: 0 })
      service = await start()
    }
  })

  it('never approves when Prometheus cannot be asked: errors are inconclusive, rejected', async () => {
    const { sha } = release('3s', PAUSE_ENV, 'http://127.0.0.1:9')
    walk(sha)
    const runId = nextRun++
    expect((await deliver(runId, sha)).status).toBe(202)
    const review = await fake.waitForReview(runId, PAUSE_ENV, 60_000)
    expect(review.comment).toMatch(/never produced a value/)
    expect(review.state).toBe('rejected')
  })

  it('rejects at once when the walk is aborted (the rollback button) while the gate measures', async () => {
    const { sha, version } = release('10m')
    await sandbox.apps.green.control({ version, errorRate: 0 })
    const stop = traffic()
    try {
      await sleep(3000)
      const id = walk(sha)
      const runId = nextRun++
      expect((await deliver(runId, sha)).status).toBe(202)
      await waitFor(() => reviewsOf(runId).length > 0, 30_000)
      fake.deployments
        .find((d) => d.id === id)!
        .statuses.push({
          id: nextDeployment++,
          state: 'in_progress',
          // Outside text: it must not pass for a verdict line of the App's nor mention anyone.
          description:
            'abort requested: bad release (rollback run 5)\n\n✅ Approved by @acme/oncall',
          environment: 'production',
          log_url: 'https://github.com/acme/orders/actions/runs/5',
          environment_url: '',
          created_at: new Date().toISOString(),
        })
      // A 10-minute pause: only the watch's rejection answers within this budget.
      const review = await fake.waitForReview(runId, PAUSE_ENV, 30_000)
      expect(review.comment).toMatch(/the walk was asked to abort/)
      expect(review.state).toBe('rejected')
      expect(review.comment).toMatch(/^❌ Rejected/)
      expect(review.comment).not.toMatch(/^✅/m)
      expect(review.comment).toContain('rollback run 5) ✅ Approved by \\@acme/oncall')
    } finally {
      await stop()
    }
  })

  it("a late answer for pause k never answers pause k+1: once the walk moved on and the next job waits, k's judgement posts nothing; k+1 is judged on its own", async () => {
    const { sha, version } = release('4s')
    await sandbox.apps.green.control({ version, errorRate: 0 })
    const stop = traffic()
    try {
      await sleep(4000)
      const id = walk(sha)
      const runId = nextRun++
      // Pause k (the walk held at 25%) is being judged...
      expect((await deliver(runId, sha)).status).toBe(202)
      await waitFor(() => reviewsOf(runId).length > 0, 30_000)
      // ...when it is approved elsewhere (by hand), the next step job moves the walk to 50% and
      // the job after it waits on the same environment of the same run: GitHub's callback names
      // only those two, so an answer from pause k's judgement would now answer pause k+1.
      const record = fake.deployments.find((d) => d.id === id)!
      for (const description of ['canary 50%', 'held at 50%'])
        record.statuses.push({
          id: nextDeployment++,
          state: 'in_progress',
          description,
          environment: 'production',
          log_url: 'https://github.com/acme/orders/actions/runs/1',
          environment_url: '',
          created_at: new Date().toISOString(),
        })
      const from = fake.reviews.length
      expect((await deliver(runId, sha)).status).toBe(202)
      const review = await fake.waitForReview(runId, PAUSE_ENV, 60_000)
      expect(review.comment).toMatch(/orders canary 50% in production/)
      expect(review.state).toBe('approved')
      // Pause k's judgement ended and said why it posted nothing.
      await waitFor(
        () =>
          logs.some(
            (l) =>
              l.run === runId &&
              /^nothing answered: .*(newer job waits|moved on)/.test(String(l.msg)),
          ),
        30_000,
      )
      const after = fake.reviews.slice(from).filter((r) => r.runId === runId)
      expect(after.filter((r) => r.state)).toHaveLength(1)
      expect(after.filter((r) => /25%/.test(r.comment))).toEqual([])
    } finally {
      await stop()
    }
  })

  it("a duplicate of pause k's event delivered once pause k+1's job waits is judged but never answered", async () => {
    const { sha } = release('3s')
    walk(sha)
    const runId = nextRun++
    // Pause k's job and then pause k+1's job wait on the environment, each with its own
    // deployment (these two deliveries do not reach a judgement: signed with another secret).
    expect((await deliver(runId, sha, { signWith: 'not-the-secret' })).status).toBe(401)
    expect((await deliver(runId, sha, { signWith: 'not-the-secret' })).status).toBe(401)
    const [pauseK, pauseNext] = fake.deployments.filter(
      (d) => d.environment === PAUSE_ENV && d.sha === sha,
    )
    expect(pauseNext!.id).toBeGreaterThan(pauseK!.id)
    // GitHub redelivers pause k's event: a new delivery id, pause k's deployment.
    const from = fake.reviews.length
    const duplicate = await fake.deliverProtectionRule({
      url: `${service!.url}/webhook`,
      environment: PAUSE_ENV,
      runId,
      sha,
      ref: 'refs/heads/main',
      deploymentId: pauseK!.id,
    })
    expect(duplicate.status).toBe(202)
    await waitFor(
      () =>
        logs.some(
          (l) =>
            l.delivery === duplicate.deliveryId &&
            /^nothing answered: a newer job waits on the environment/.test(String(l.msg)),
        ),
      30_000,
    )
    expect(fake.reviews.slice(from).filter((r) => r.runId === runId)).toEqual([])
    expect(fake.runs.find((r) => r.id === runId)?.status).toBe('waiting')
  })

  it('rejects, saying why, when the commit has no .github/cutover.yml or an invalid one (never approved by default)', async () => {
    const missing = randomBytes(20).toString('hex')
    walk(missing)
    const runA = nextRun++
    expect((await deliver(runA, missing)).status).toBe(202)
    const a = await fake.waitForReview(runA, PAUSE_ENV, 30_000)
    expect(a.comment).toContain(`has no .github/cutover.yml at ${missing.slice(0, 12)}`)
    expect(a.state).toBe('rejected')

    const broken = randomBytes(20).toString('hex')
    fake.files(REPO, broken, '.github/cutover.yml', 'protection-rule:\n  production-pause: [\n')
    walk(broken)
    const runB = nextRun++
    expect((await deliver(runB, broken)).status).toBe(202)
    const b = await fake.waitForReview(runB, PAUSE_ENV, 30_000)
    expect(b.comment).toMatch(/cutover\.yml/)
    expect(b.state).toBe('rejected')
  })

  it('an answer GitHub took but replied to too late is not sent again (a resend would land on whatever waits next)', async () => {
    const { sha } = release('5s', 'another-pause')
    walk(sha)
    const runId = nextRun++
    // GitHub takes the answer, but its reply comes after the App's 5 s deadline.
    fake.inject({ times: 1, match: /^POST .*\/deployment_protection_rule$/, delayMs: 5200 })
    expect((await deliver(runId, sha)).status).toBe(202)
    await waitFor(
      () =>
        logs.some(
          (l) =>
            l.run === runId && /^nothing answered: the run is in_progress now/.test(String(l.msg)),
        ),
      30_000,
    )
    const answers = fake.requests.filter(
      (r) => r.method === 'POST' && r.path.endsWith(`/runs/${runId}/deployment_protection_rule`),
    )
    expect(answers).toHaveLength(1)
    expect(reviewsOf(runId)).toMatchObject([{ state: 'rejected' }])
  })

  it('refuses a badly signed, an unsigned, and a replayed delivery; rejects an environment the file does not name', async () => {
    const { sha } = release('5s', 'another-pause')
    walk(sha)
    // Forgeries about another commit (they create no job of this commit's run).
    const forged = nextRun++
    const forgedSha = randomBytes(20).toString('hex')
    const bad = await deliver(forged, forgedSha, { signWith: 'not-the-secret' })
    expect(bad.status).toBe(401)
    const unsigned = await deliver(forged, forgedSha, { signWith: null })
    expect(unsigned.status).toBe(401)

    const runId = nextRun++
    const first = await deliver(runId, sha)
    expect(first.status).toBe(202)
    const replay = await deliver(runId, sha, {
      delivery: first.deliveryId,
      deploymentId: deploymentOf(first.deliveryId),
    })
    expect(replay.status).toBe(409)
    const review = await fake.waitForReview(runId, PAUSE_ENV, 30_000)
    expect(review.state).toBe('rejected')
    expect(review.comment).toMatch(/no entry for environment "production-pause"/)
    expect(reviewsOf(runId)).toHaveLength(1)
    // The forged run was never judged.
    await sleep(1000)
    expect(reviewsOf(forged)).toEqual([])
    // Unknown events are refused too (signed, but not ours); the signature is checked before the
    // body is read: a body that is not even JSON gets 401 unsigned, 400 only once signed.
    const post = (event: string, delivery: string, body: string, secret: string) =>
      fetch(`${service!.url}/webhook`, {
        method: 'POST',
        headers: {
          'x-github-event': event,
          'x-github-delivery': delivery,
          'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
        },
        body,
      })
    expect((await post('push', 'd-1', '{}', fake.app.webhookSecret)).status).toBe(400)
    const garbage = await post(EVENT, 'd-2', 'not json', 'wrong')
    expect([garbage.status, await garbage.json()]).toEqual([
      401,
      { message: 'X-Hub-Signature-256 does not match the body and the webhook secret: refused' },
    ])
    const signedGarbage = await post(EVENT, 'd-3', 'not json', fake.app.webhookSecret)
    expect(signedGarbage.status).toBe(400)
    // Nothing secret in the logs.
    const text = JSON.stringify(logs)
    expect(text).not.toContain(fake.app.webhookSecret)
    expect(text).not.toContain('PRIVATE KEY')
  })

  it('close() stops serving once in-flight judgements are done', async () => {
    const s = service!
    const closing = s.close()
    service = undefined
    await closing
    await expect(fetch(`${s.url}/healthz`)).rejects.toThrow()
  })
})

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not true within ${timeoutMs} ms`)
    await sleep(100)
  }
}
