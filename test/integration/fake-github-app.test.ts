/**
 * The fake GitHub's App side, driven by octokit (the client the protection-rule service uses):
 * App JWTs checked against the App's key, installation tokens issued and accepted, the contents
 * API, workflow runs with a status, the deployment protection rule callback recorded as reviews,
 * signed (and deliberately mis-signed) deliveries, and GET /app/hook/deliveries. Every request,
 * response and webhook payload is checked against GitHub's OpenAPI description by the fake.
 */
import { createServer, type Server } from 'node:http'
import { generateKeyPairSync } from 'node:crypto'
import { verify } from '@octokit/webhooks-methods'
import { App, Octokit } from 'octokit'
import { startFakeGitHub, type FakeGitHub } from '../../scripts/sandbox/fake-github.js'

let github: FakeGitHub
beforeEach(async () => {
  github = await startFakeGitHub({ clock: 'real' })
})
afterEach(async () => {
  expect(github.violations).toEqual([])
  await github.stop()
})

const FakeOctokit = () => Octokit.defaults({ baseUrl: github.url, request: { retries: 0 } })
const appOf = (privateKey = github.app.privateKey) =>
  new App({
    appId: github.app.id,
    privateKey,
    webhooks: { secret: github.app.webhookSecret },
    Octokit: FakeOctokit(),
  })
const SHA = 'abcdefabcdefabcdefabcdefabcdefabcdefabcd'

/** A stand-in App: verifies the signature, then answers the callback as told. */
async function receiver(
  answer: (event: Record<string, unknown>) => Promise<void>,
): Promise<{ url: string; seen: { valid: boolean; delivery: string }[]; close(): Promise<void> }> {
  const seen: { valid: boolean; delivery: string }[] = []
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks).toString('utf8')
    const signature = String(req.headers['x-hub-signature-256'] ?? '')
    const valid = signature !== '' && (await verify(github.app.webhookSecret, body, signature))
    seen.push({ valid, delivery: String(req.headers['x-github-delivery']) })
    if (!valid) {
      res.writeHead(401).end('bad signature')
      return
    }
    await answer(JSON.parse(body) as Record<string, unknown>)
    res.writeHead(202).end('accepted')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/webhook`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

test('App JWTs are checked against the App key; installation tokens work on the repository only', async () => {
  const app = appOf()
  const { data: installations } = await app.octokit.request('GET /app/installations')
  expect(installations.map((i) => i.id)).toEqual([github.app.installationId])

  const stranger = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey
  await expect(appOf(stranger).octokit.request('GET /app/installations')).rejects.toMatchObject({
    status: 401,
  })

  const installation = await app.getInstallationOctokit(github.app.installationId)
  const { data: deployments } = await installation.request(
    'GET /repos/{owner}/{repo}/deployments',
    {
      owner: 'acme',
      repo: 'orders',
    },
  )
  expect(deployments).toEqual([])
  // An installation token is not an App JWT (octokit would swap in the JWT, so plain fetch).
  const { token } = (await installation.auth({ type: 'installation' })) as { token: string }
  const asApp = await fetch(`${github.url}/app/hook/deliveries`, {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(5000),
  })
  expect(asApp.status).toBe(401)
  // Neither is a made-up token a credential for the repository.
  const nobody = new (FakeOctokit())({ auth: 'ghs_not_issued' })
  await expect(
    nobody.request('GET /repos/{owner}/{repo}/deployments', { owner: 'acme', repo: 'orders' }),
  ).rejects.toMatchObject({ status: 401 })
  await expect(
    app.octokit.request('POST /app/installations/{installation_id}/access_tokens', {
      installation_id: 1,
    }),
  ).rejects.toMatchObject({ status: 404 })
})

test('the contents API serves a file at the ref it was stored for, as JSON or raw', async () => {
  github.files(
    'acme/orders',
    SHA,
    '.github/cutover.yml',
    'protection-rule:\n  production-pause: {}\n',
  )
  const installation = await appOf().getInstallationOctokit(github.app.installationId)
  const where = { owner: 'acme', repo: 'orders', path: '.github/cutover.yml' }
  const { data } = await installation.rest.repos.getContent({ ...where, ref: SHA })
  expect(Array.isArray(data) ? null : data.type).toBe('file')
  const file = data as { content: string; encoding: string }
  expect(Buffer.from(file.content, 'base64').toString('utf8')).toBe(
    'protection-rule:\n  production-pause: {}\n',
  )
  const raw = await installation.request('GET /repos/{owner}/{repo}/contents/{path}', {
    ...where,
    ref: SHA,
    headers: { accept: 'application/vnd.github.raw' },
  })
  expect(String(raw.data)).toContain('production-pause')
  await expect(installation.rest.repos.getContent({ ...where, ref: 'main' })).rejects.toMatchObject(
    { status: 404 },
  )
  expect(() => github.files('acme/other', SHA, 'x', 'y')).toThrow(/acme\/orders only/)
})

test('a signed delivery reaches the App, which comments, then approves through the callback', async () => {
  const app = appOf()
  const target = await receiver(async (event) => {
    const installation = await app.getInstallationOctokit((event.installation as { id: number }).id)
    const callback = new URL(String(event.deployment_callback_url)).pathname
    await installation.request(`POST ${callback}`, {
      environment_name: event.environment,
      comment: 'measuring: 0 of 3 looks',
    })
    await installation.request(`POST ${callback}`, {
      environment_name: event.environment,
      state: 'approved',
      comment: 'pass: error ratio 0.001 <= 0.01',
    })
  })
  try {
    const sent = await github.deliverProtectionRule({
      url: target.url,
      environment: 'production-pause',
      runId: 9100,
      sha: SHA,
      ref: 'refs/heads/main',
    })
    expect(sent.status).toBe(202)
    const review = await github.waitForReview(9100, 'production-pause', 5000)
    expect(review).toMatchObject({ state: 'approved', comment: expect.stringContaining('pass') })
    expect(github.reviews.map((r) => r.state ?? 'comment')).toEqual(['comment', 'approved'])
    expect(target.seen).toEqual([{ valid: true, delivery: sent.deliveryId }])

    // The run no longer waits; GitHub's token (not the App) may not answer a rule.
    const plain = new (FakeOctokit())({ auth: github.token })
    const { data: run } = await plain.request('GET /repos/{owner}/{repo}/actions/runs/{run_id}', {
      owner: 'acme',
      repo: 'orders',
      run_id: 9100,
    })
    expect(run.status).toBe('in_progress')
    const callback = '/repos/acme/orders/actions/runs/9100/deployment_protection_rule'
    await expect(
      plain.request(`POST ${callback}`, {
        environment_name: 'production-pause',
        state: 'approved',
      }),
    ).rejects.toMatchObject({ status: 403 })
    // Decided already: nothing pending for that environment.
    const installation = await app.getInstallationOctokit(github.app.installationId)
    await expect(
      installation.request(`POST ${callback}`, {
        environment_name: 'production-pause',
        state: 'rejected',
      }),
    ).rejects.toMatchObject({ status: 422 })
    // A body outside the description is refused and recorded.
    await expect(
      installation.request(`POST ${callback}`, { environment_name: 'x', state: 'maybe' }),
    ).rejects.toMatchObject({ status: 422 })
    expect(github.violations).toEqual([expect.stringContaining('does not match')])
    github.violations.length = 0
  } finally {
    await target.close()
  }
})

test('a mis-signed or unsigned delivery is refused by the App; replays keep their GUID; deliveries are listed', async () => {
  const target = await receiver(async () => {})
  try {
    const where = {
      url: target.url,
      environment: 'production-pause',
      runId: 9200,
      sha: SHA,
      ref: 'main',
    }
    const good = await github.deliverProtectionRule(where)
    const forged = await github.deliverProtectionRule({ ...where, signWith: 'not-the-secret' })
    const unsigned = await github.deliverProtectionRule({ ...where, signWith: null })
    const replay = await github.deliverProtectionRule({ ...where, delivery: good.deliveryId })
    expect([good.status, forged.status, unsigned.status, replay.status]).toEqual([
      202, 401, 401, 202,
    ])
    expect(target.seen.map((s) => s.valid)).toEqual([true, false, false, true])
    expect(replay.deliveryId).toBe(good.deliveryId)

    const app = appOf()
    const { data: page1, headers } = await app.octokit.request('GET /app/hook/deliveries', {
      per_page: 3,
    })
    expect(page1.map((d) => d.guid)).toEqual([
      good.deliveryId,
      unsigned.deliveryId,
      forged.deliveryId,
    ])
    expect(page1[0]).toMatchObject({ redelivery: true, event: 'deployment_protection_rule' })
    expect(page1.map((d) => d.status)).toEqual([
      'OK',
      'Invalid HTTP Response: 401',
      'Invalid HTTP Response: 401',
    ])
    const cursor = /cursor=([^&>]+)/.exec(String(headers.link))?.[1]
    const { data: page2 } = await app.octokit.request('GET /app/hook/deliveries', {
      per_page: 3,
      cursor: String(cursor),
    })
    expect(page2.map((d) => d.guid)).toEqual([good.deliveryId])
    const { data: failed } = await app.octokit.request('GET /app/hook/deliveries', {
      status: 'failure',
    })
    expect(failed).toHaveLength(2)
    const { data: one } = await app.octokit.request('GET /app/hook/deliveries/{delivery_id}', {
      delivery_id: Number(page2[0]!.id),
    })
    expect(one.request.headers).toMatchObject({ 'x-github-event': 'deployment_protection_rule' })
    expect((one.request.payload as { environment: string }).environment).toBe('production-pause')
  } finally {
    await target.close()
  }
})
