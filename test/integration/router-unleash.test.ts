/**
 * The unleash router against a real Unleash 8.2 server on a private PostgreSQL 15 (both started
 * here, scripts/sandbox/unleash.ts). What users see is evaluated with the official SDK
 * (`unleash-client`) reading the server's client API, for 10,000 simulated user ids; what Unleash
 * holds is read through its admin API. Through canary-step's bundle: a failing gate (a real
 * Prometheus scraping an app whose users get the flag from the SDK) turns the flag off for every
 * user, and a walk killed mid-way is put back to 0 by the post step.
 */
import { createServer, connect, type Server, type Socket } from 'node:net'
import { InMemStorageProvider, Unleash } from 'unleash-client'
import {
  openRouter,
  parseRouterConfig,
  UnleashRefusal,
  type Router,
  type Weights,
} from '../../packages/router/index.js'
import { freePort } from '../../scripts/sandbox/index.js'
import { startUnleash, type UnleashInstance } from '../../scripts/sandbox/unleash.js'
import { startFlagApp, startFlagPrometheus } from '../../scripts/sandbox/flag-app.js'
import { startFakeGitHub } from '../../scripts/sandbox/fake-github.js'
import {
  expectNoSecret,
  runAction as run,
  startAction as start,
  type RunOptions,
} from '../harness.js'

const USERS = 10_000
const noRecord = (options: RunOptions): RunOptions => ({
  ...options,
  inputs: { record: 'false', ...options.inputs } as never,
})
const runAction = (action: string, options: RunOptions) => run(action, noRecord(options))
const startAction = (action: string, options: RunOptions) => start(action, noRecord(options))

let unleash: UnleashInstance
let sdk: Unleash

/** One request to the admin API (the test's own hand, not the router's). */
async function admin(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${unleash.url}${path}`, {
    method,
    headers: { Authorization: unleash.adminToken, 'Content-Type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(10_000),
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`)
  return text ? JSON.parse(text) : undefined
}

const createFlag = (name: string) =>
  admin('POST', '/api/admin/projects/default/features', { name, type: 'release' })

/** The flag's environments as the admin API holds them (volatile fields dropped), to compare. */
async function snapshot(flag: string): Promise<unknown> {
  const f = (await admin('GET', `/api/admin/projects/default/features/${flag}`)) as {
    environments: { name: string; enabled: boolean; strategies: unknown[] }[]
  }
  return f.environments.map((e) => ({ name: e.name, enabled: e.enabled, strategies: e.strategies }))
}

const config = (flag: string, extra: object = {}) => ({
  type: 'unleash',
  url: unleash.url,
  token: unleash.adminToken,
  'client-token': unleash.clientToken,
  environment: 'development',
  flag,
  ...extra,
})
const routerFor = (flag: string, extra: object = {}): Router =>
  openRouter(parseRouterConfig(config(flag, extra)))

/** Waits until the SDK's copy of the flag is what the admin API holds now (it polls every 100 ms). */
async function sdkCaughtUp(flag: string): Promise<void> {
  const env = (
    (await snapshot(flag)) as {
      name: string
      enabled: boolean
      strategies: { parameters: { rollout: string } }[]
    }[]
  ).find((e) => e.name === 'development')!
  const want = `${env.enabled} ${env.strategies.map((s) => s.parameters.rollout).join(',')}`
  const deadline = Date.now() + 30_000
  for (;;) {
    const def = sdk.getFeatureToggleDefinition(flag)
    const have = def
      ? `${def.enabled} ${(def.strategies ?? [])
          .map((s) => (s.parameters as { rollout?: string } | undefined)?.rollout)
          .join(',')}`
      : 'absent'
    if (have === want) return
    if (Date.now() > deadline)
      throw new Error(`the SDK holds ${have} for ${flag}, the admin API ${want}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** The users (of user-0 .. user-9999) the SDK turns the flag on for. */
function usersOn(flag: string, context: object = {}): Set<number> {
  const on = new Set<number>()
  for (let i = 0; i < USERS; i++)
    if (sdk.isEnabled(flag, { userId: `user-${i}`, ...context })) on.add(i)
  return on
}

beforeAll(async () => {
  unleash = await startUnleash()
  await admin('POST', '/api/admin/context', { name: 'region', stickiness: false })
  sdk = new Unleash({
    url: `${unleash.url}/api`,
    appName: 'cutover-test',
    customHeaders: { Authorization: unleash.clientToken },
    refreshInterval: 100,
    disableMetrics: true,
    storageProvider: new InMemStorageProvider(),
  })
  await new Promise<void>((resolve, reject) => {
    sdk.once('synchronized', () => resolve())
    sdk.once('error', reject)
  })
}, 180_000)
afterAll(async () => {
  sdk?.destroy()
  await unleash?.stop()
})

test('a walk 1 → 5 → 25 → 100: after each write the SDK turns the flag on for that share of 10,000 users (±1 pp), exposed users stay exposed, and 0 turns it off for all without disabling anything', async () => {
  await createFlag('walk')
  const router = routerFor('walk')
  expect(await router.read()).toEqual({ blue: 100, green: 0 })
  let previous = new Set<number>()
  for (const step of [1, 5, 25, 100]) {
    await router.write({ blue: 100 - step, green: step })
    expect(await router.read()).toEqual({ blue: 100 - step, green: step })
    await sdkCaughtUp('walk')
    const on = usersOn('walk')
    expect(Math.abs((on.size * 100) / USERS - step)).toBeLessThanOrEqual(1)
    // userId stickiness: a user exposed at the previous step is still exposed.
    expect([...previous].filter((u) => !on.has(u))).toEqual([])
    previous = on
  }
  await router.write({ blue: 100, green: 0 })
  expect(await router.read()).toEqual({ blue: 100, green: 0 })
  await sdkCaughtUp('walk')
  expect(usersOn('walk').size).toBe(0)
  // Off by rollout 0: the environment stays on and the strategy enabled (Unleash's trap avoided).
  const [dev] = (await snapshot('walk')) as {
    enabled: boolean
    strategies: { title: string; disabled: boolean; parameters: Record<string, string> }[]
  }[]
  expect(dev).toMatchObject({
    enabled: true,
    strategies: [
      {
        title: 'cutover',
        disabled: false,
        parameters: { rollout: '0', stickiness: 'userId', groupId: 'walk' },
      },
    ],
  })
}, 120_000)

test('constraints for a user (userId IN), a region (a custom context field) and a time (currentTime DATE_AFTER) are written and honoured by the SDK', async () => {
  await createFlag('constrained')
  const lines: string[] = []
  const log = { info: (m: string) => lines.push(m), warning: () => {}, debug: () => {} }
  const router = openRouter(
    parseRouterConfig(
      config('constrained', {
        constraints: [
          { context: 'userId', operator: 'IN', values: ['user-1', 'user-2', 'user-3'] },
          { context: 'region', operator: 'IN', values: ['eu'] },
          { context: 'currentTime', operator: 'DATE_AFTER', value: '2026-01-01T00:00:00Z' },
        ],
      }),
    ),
    { log },
  )
  await router.write({ blue: 50, green: 50 })
  // A second raise writes the rollout only: what Unleash stored is what the config says.
  lines.length = 0
  await router.write({ blue: 0, green: 100 })
  expect(lines.join('\n')).toContain('to 100% (from 50% exposed)')
  expect(lines.join('\n')).not.toContain('also')
  const [dev] = (await snapshot('constrained')) as { strategies: { constraints: object[] }[] }[]
  expect(dev!.strategies[0]!.constraints).toEqual([
    expect.objectContaining({
      contextName: 'userId',
      operator: 'IN',
      values: ['user-1', 'user-2', 'user-3'],
    }),
    expect.objectContaining({ contextName: 'region', operator: 'IN', values: ['eu'] }),
    expect.objectContaining({
      contextName: 'currentTime',
      operator: 'DATE_AFTER',
      value: '2026-01-01T00:00:00.000Z',
    }),
  ])
  await sdkCaughtUp('constrained')
  const after = new Date('2026-06-01T00:00:00Z')
  const before = new Date('2025-06-01T00:00:00Z')
  const eu = { properties: { region: 'eu' }, currentTime: after }
  expect([...usersOn('constrained', eu)]).toEqual([1, 2, 3])
  expect(usersOn('constrained', { properties: { region: 'us' }, currentTime: after }).size).toBe(0)
  expect(usersOn('constrained', { ...eu, currentTime: before }).size).toBe(0)
  // The rollout still applies within the constraints: 0 is nobody, also among the three.
  await router.write({ blue: 100, green: 0 })
  await sdkCaughtUp('constrained')
  expect(usersOn('constrained', eu).size).toBe(0)
}, 60_000)

test('without a client token a write is confirmed through the admin API only, and the router says so', async () => {
  await createFlag('admin-only')
  const noClient: Record<string, unknown> = config('admin-only')
  delete noClient['client-token']
  const router = openRouter(parseRouterConfig(noClient))
  expect(router.notes.join('\n')).toContain(
    "without 'client-token' a change is confirmed through the admin API only",
  )
  await router.write({ blue: 70, green: 30 })
  expect(await router.read()).toEqual({ blue: 70, green: 30 })
  await sdkCaughtUp('admin-only')
  expect(Math.abs(usersOn('admin-only').size / 100 - 30)).toBeLessThanOrEqual(1)
}, 60_000)

describe('refused before anything changes', () => {
  beforeAll(async () => {
    await createFlag('guarded')
    await routerFor('guarded').write({ blue: 95, green: 5 })
  })

  test.each([
    ['an unknown flag', { flag: 'no-such-flag' }, /no flag "no-such-flag" in project default/],
    ['an unknown project', { project: 'nope' }, /no project "nope" \(projects: default\)/],
    [
      'an unknown environment',
      { environment: 'staging' },
      /environment "staging" is not one of flag guarded's environments in project default \(development, production\)/,
    ],
    [
      'an unknown context field',
      { constraints: [{ context: 'country', operator: 'IN', values: ['de'] }] },
      /no context field "country" \(used in 'constraints'\); allowed: .*region/,
    ],
  ])('%s', async (_what, extra, message) => {
    const before = await snapshot('guarded')
    const router = routerFor('guarded', extra)
    const error = (await router.write({ blue: 50, green: 50 }).catch((e: Error) => e)) as Error
    expect(error).toBeInstanceOf(UnleashRefusal)
    expect(error.message).toMatch(message)
    expect(error.message).toContain('nothing was changed')
    expect(await snapshot('guarded')).toEqual(before)
  })

  test("a flag that is off with another enabled strategy: switching it on would expose that strategy's users", async () => {
    await createFlag('shared')
    await admin(
      'POST',
      '/api/admin/projects/default/features/shared/environments/development/strategies',
      { name: 'default', constraints: [], parameters: {} },
    )
    const before = await snapshot('shared')
    const error = (await routerFor('shared')
      .write({ blue: 95, green: 5 })
      .catch((e: Error) => e)) as Error
    expect(error).toBeInstanceOf(UnleashRefusal)
    expect(error.message).toContain(
      'the flag is off in environment development and has 1 other enabled strategy (default); switching it on would expose their users too',
    )
    expect(error.message).toContain('nothing was changed')
    expect(await snapshot('shared')).toEqual(before)
    // Moving it to 0 is no change at all (nobody is exposed through cutover's strategy).
    await routerFor('shared').write({ blue: 100, green: 0 })
    expect(await snapshot('shared')).toEqual(before)
  })

  test('a client token of another environment, or an admin token as the client token, is refused', async () => {
    const before = await snapshot('guarded')
    const created = (await admin('POST', '/api/admin/api-tokens', {
      tokenName: 'production-backend',
      type: 'backend',
      environment: 'production',
      projects: ['*'],
    })) as { secret: string }
    const other = (await routerFor('guarded', { 'client-token': created.secret })
      .write({ blue: 50, green: 50 })
      .catch((e: Error) => e)) as Error
    expect(other).toBeInstanceOf(UnleashRefusal)
    expect(other.message).toContain(
      `'client-token' is a token of environment "production", not "development"`,
    )
    expect(other.message).not.toContain(created.secret)
    // Measured: Unleash takes no admin token on its client API (403).
    const adminAsClient = (await routerFor('guarded', { 'client-token': unleash.adminToken })
      .write({ blue: 50, green: 50 })
      .catch((e: Error) => e)) as Error
    expect(adminAsClient).toBeInstanceOf(UnleashRefusal)
    expect(adminAsClient.message).toMatch(/Unleash refused 'client-token' \(403 /)
    expect(adminAsClient.message).not.toContain(unleash.adminToken)
    expect(await snapshot('guarded')).toEqual(before)
  })

  test('a move to 0 with a client token that cannot confirm it: the rollout is 0 all the same, and the error says the client API did not confirm it', async () => {
    await createFlag('zero-confirm')
    await routerFor('zero-confirm').write({ blue: 70, green: 30 })
    const production = (await admin('POST', '/api/admin/api-tokens', {
      tokenName: 'production-backend-2',
      type: 'backend',
      environment: 'production',
      projects: ['*'],
    })) as { secret: string }
    const bogus = '*:development.0123456789abcdef-not-a-token'
    for (const [token, message] of [
      [
        bogus,
        /it serves an error \(router unleash zero-confirm: Unleash refused 'client-token' \(401 /,
      ],
      [production.secret, /'client-token' is not a token of development/],
    ] as const) {
      await routerFor('zero-confirm').write({ blue: 70, green: 30 })
      const error = (await routerFor('zero-confirm', {
        'client-token': token,
        'propagation-timeout': '2s',
      })
        .write({ blue: 100, green: 0 })
        .catch((e: Error) => e)) as Error
      expect(error.message).toMatch(/Unleash's client API did not serve on, rollout 0/)
      expect(error.message).toMatch(message)
      expect(error.message).toContain('the admin API holds blue 100% / green 0%')
      expect(error.message).not.toContain(token)
      expect(await routerFor('zero-confirm').read()).toEqual({ blue: 100, green: 0 })
    }
  })

  test('a percentage outside 0–100 (router and canary-step input)', async () => {
    const before = await snapshot('guarded')
    const router = routerFor('guarded')
    for (const target of [
      { blue: -1, green: 101 },
      { blue: 100.5, green: -0.5 },
    ] as Weights[])
      await expect(router.write(target)).rejects.toThrow(/whole number from 0 to 100/)
    const step = await runAction('canary-step', {
      inputs: { router: JSON.stringify(config('guarded')), steps: '5,150', interval: '1s' },
    })
    if (process.env.DUMP_LOGS) console.log(step.errors)
    expect(step.exitCode).toBe(1)
    expect(step.errors.join('\n')).toMatch(/150/)
    expect(await snapshot('guarded')).toEqual(before)
  })

  test('a wrong token is refused and never shown (router error, canary-step log)', async () => {
    const before = await snapshot('guarded')
    const wrong = '*:*.0123456789abcdef-wrong-token'
    const error = (await routerFor('guarded', { token: wrong })
      .write({ blue: 50, green: 50 })
      .catch((e: Error) => e)) as Error
    expect(error).toBeInstanceOf(UnleashRefusal)
    expect(error.message).toMatch(/Unleash refused 'token' \(401 /)
    expect(error.message).not.toContain('0123456789abcdef')
    const step = await runAction('canary-step', {
      inputs: {
        router: JSON.stringify(config('guarded', { token: wrong })),
        steps: '50',
        interval: '1s',
      },
    })
    expect(step.exitCode).toBe(1)
    expect(step.errors.join('\n')).toContain("Unleash refused 'token'")
    expectNoSecret(step, wrong)
    expect(await snapshot('guarded')).toEqual(before)
  })
})

describe('through canary-step', () => {
  const VARIANTS = { off: 'control', on: 'treatment' }

  test("a failing gate turns the flag off for all 10,000 users; the records are the service's and the flag's; no token shows", async () => {
    await createFlag('gated')
    const github = await startFakeGitHub()
    const app = await startFlagApp((user) => sdk.isEnabled('gated', { userId: user }), {
      flag: 'gated',
      variants: VARIANTS,
    })
    const prometheus = await startFlagPrometheus(app.port)
    try {
      await prometheus.waitForData(`http_requests_total{feature_flag_variant="${VARIANTS.off}"}`)
      app.fail(VARIANTS.on, 0.3)
      const gate = {
        prometheus: prometheus.url,
        interval: '1s',
        'max-wait': '40s',
        checks: [
          {
            name: 'errors-on-vs-off',
            compare: 'error-rate',
            requests: `sum(http_requests_total{feature_flag_key="gated",feature_flag_variant="{{slot}}"})`,
            errors: `sum(http_requests_total{feature_flag_key="gated",feature_flag_variant="{{slot}}",code="500"})`,
            margin: 0.01,
            max: 0.05,
          },
        ],
      }
      const step = await run('canary-step', {
        inputs: {
          router: JSON.stringify(config('gated', { variants: VARIANTS })),
          environment: 'production',
          service: 'orders',
          steps: '20,50,100',
          interval: '4s',
          gate: JSON.stringify(gate),
        } as never,
        token: github.token,
        env: { GITHUB_API_URL: github.url },
      })
      if (process.env.DUMP_LOGS) console.log(step.log)
      expect(step.exitCode).toBe(1)
      expect(step.outputs.verdict).toBe('fail')
      expect(step.errors.join('\n')).toContain('errors-on-vs-off')
      expect(await routerFor('gated').read()).toEqual({ blue: 100, green: 0 })
      await sdkCaughtUp('gated')
      expect(usersOn('gated').size).toBe(0)
      // The on variant was really served (the gate judged users who had the flag).
      expect(app.counts()[VARIANTS.on]!.requests).toBeGreaterThan(0)
      expect([...new Set(github.deployments.map((d) => d.task))]).toEqual([
        'deploy:orders/flag:gated',
      ])
      expect(github.deployments[0]!.statuses.at(-1)!.state).toBe('failure')
      expect(github.violations).toEqual([])
      expectNoSecret(step, unleash.adminToken)
      expectNoSecret(step, unleash.clientToken)
    } finally {
      await github.stop()
      await prometheus.stop()
      await app.stop()
    }
  }, 120_000)

  test('a walk killed mid-way: the post step turns the flag off again', async () => {
    await createFlag('cancelled')
    const router = JSON.stringify(config('cancelled'))
    const running = await startAction('canary-step', {
      inputs: { router, steps: '10,50,100', interval: '60s' },
    })
    await running.waitForLog('step 1/3')
    await sdkCaughtUp('cancelled')
    expect(Math.abs(usersOn('cancelled').size / 100 - 10)).toBeLessThanOrEqual(1)
    running.child.kill('SIGKILL')
    const main = await running.done
    expect(main.signal).toBe('SIGKILL')
    expect(await routerFor('cancelled').read()).toEqual({ blue: 90, green: 10 })
    const post = await runAction('canary-step', {
      phase: 'post',
      state: main.state,
      inputs: { router, steps: '10,50,100' },
    })
    if (process.env.DUMP_LOGS) console.log(main.log, post.log)
    expect(post.exitCode).toBe(0)
    expect(await routerFor('cancelled').read()).toEqual({ blue: 100, green: 0 })
    await sdkCaughtUp('cancelled')
    expect(usersOn('cancelled').size).toBe(0)
  }, 120_000)

  test('Unleash unreachable mid-walk: the cancelled step does not guess — it names the flag and what it held at its last read; once Unleash answers again, the post step turns the flag off', async () => {
    await createFlag('unreachable')
    const proxy = await startProxy(Number(new URL(unleash.url).port))
    try {
      const router = JSON.stringify({ ...config('unreachable'), url: proxy.url })
      const running = await startAction('canary-step', {
        inputs: { router, steps: '10,50,100', interval: '60s' },
      })
      await running.waitForLog('step 1/3')
      await proxy.cut()
      running.child.kill('SIGINT')
      const main = await running.done
      if (process.env.DUMP_LOGS) console.log(main.log, main.errors)
      expect(main.exitCode).toBe(1)
      expect(main.errors.join('\n')).toContain('unleash unreachable')
      expect(main.errors.join('\n')).toContain(
        'what the flag holds now is unknown (it held blue 90% / green 10% at its last read',
      )
      // Nothing moved while Unleash could not be reached.
      expect(await routerFor('unreachable').read()).toEqual({ blue: 90, green: 10 })
      await proxy.restore()
      const post = await runAction('canary-step', {
        phase: 'post',
        state: main.state,
        inputs: { router, steps: '10,50,100' },
      })
      if (process.env.DUMP_LOGS) console.log(post.log, post.errors)
      expect(post.exitCode).toBe(0)
      expect(await routerFor('unreachable').read()).toEqual({ blue: 100, green: 0 })
      await sdkCaughtUp('unreachable')
      expect(usersOn('unreachable').size).toBe(0)
    } finally {
      await proxy.stop()
    }
  }, 120_000)
})

/** A TCP proxy to Unleash that can be cut (connections refused) and restored on the same port. */
async function startProxy(target: number) {
  const port = await freePort()
  const sockets = new Set<Socket>()
  let server: Server | undefined
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = createServer((client) => {
        const upstream = connect(target, '127.0.0.1')
        for (const s of [client, upstream]) {
          sockets.add(s)
          s.on('close', () => sockets.delete(s))
          s.on('error', () => s.destroy())
        }
        client.pipe(upstream).pipe(client)
      })
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => resolve())
    })
  const cut = async () => {
    const s = server
    server = undefined
    for (const socket of sockets) socket.destroy()
    if (s) await new Promise((resolve) => s.close(resolve))
  }
  await listen()
  return { url: `http://127.0.0.1:${port}`, cut, restore: listen, stop: cut }
}
