/**
 * The header/cookie phase (issue 20 item 3) through the bundles: canary-step's `match` and
 * `steps: header,...` on real HAProxy (runtime API map, no reload) and nginx (`map` include),
 * counted per slot with and without the header or cookie; cleared by rollback, by a failed gate
 * and at the end of the walk; a router that cannot do it refuses before anything moves; an
 * HTTPRoute gets (and loses) a header match rule on the Kubernetes fake.
 */
import { readFile } from 'node:fs/promises'
import { openRouter, parseRouterConfigs, type Weights } from '../../packages/router/index.js'
import { startFakeKubernetes } from '../../scripts/sandbox/fake-kubernetes.js'
import { startSandbox, type Sandbox } from '../../scripts/sandbox/index.js'
import { startFakeGitHub } from '../../scripts/sandbox/fake-github.js'
import { runAction, startAction, type ActionRun } from '../harness.js'

type Kind = 'haproxy' | 'nginx'
let sandbox: Sandbox
beforeAll(async () => {
  sandbox = await startSandbox({ haproxy: true, nginx: true, prometheus: true })
  await sandbox.prometheus!.waitForData()
}, 60_000)
afterAll(async () => {
  await sandbox?.stop()
})

/** The sandbox's router with the header/cookie phase configured. */
const matchRouter = (kind: Kind): Record<string, unknown> =>
  kind === 'haproxy'
    ? { ...sandbox.haproxy!.router, 'match-map': sandbox.haproxy!.matchMap }
    : { ...sandbox.nginx!.router, 'match-file': sandbox.nginx!.matchFile }
const open = (kind: Kind) => openRouter(parseRouterConfigs(matchRouter(kind)))
const weights = (kind: Kind): Promise<Weights> => open(kind).read()

/** Sends `n` requests (one connection each) and counts the answering slots. */
async function count(kind: Kind, n: number, headers: Record<string, string> = {}) {
  const counts: Record<string, number> = { blue: 0, green: 0 }
  for (let i = 0; i < n; i++) {
    const res = await fetch(sandbox[kind]!.url, {
      headers: { connection: 'close', ...headers },
      signal: AbortSignal.timeout(10_000),
    })
    const body = (await res.json()) as { slot: string }
    counts[body.slot] = (counts[body.slot] ?? 0) + 1
  }
  return counts
}

const step = (inputs: Record<string, unknown>): Promise<ActionRun> =>
  runAction('canary-step', { inputs: { record: 'false', interval: '1s', ...inputs } as never })

beforeEach(async () => {
  for (const kind of ['haproxy', 'nginx'] as const) {
    await open(kind).match!.write(null)
    await open(kind).write({ blue: 100, green: 0 })
  }
  for (const slot of ['blue', 'green'] as const)
    await sandbox.apps[slot].control({ errorRate: 0, latencyMs: 0, healthy: true })
})

describe.each(['haproxy', 'nginx'] as const)('%s', (kind) => {
  test('steps: header alone sends every matched request to the canary and the rest to stable; weights then split the rest; rollback clears it', async () => {
    const header = await step({
      router: matchRouter(kind),
      steps: 'header',
      match: 'header: x-canary=1',
    })
    expect(header.errors).toEqual([])
    expect(header.exitCode).toBe(0)
    expect(header.outputs).toMatchObject({ phase: 'header', weight: '0', canary: 'green' })
    expect(header.log).toContain('header phase: requests with header x-canary=1 go to canary green')
    expect(await open(kind).match!.read()).toEqual({
      kind: 'header',
      name: 'x-canary',
      value: '1',
      slot: 'green',
    })
    expect(await count(kind, 30, { 'x-canary': '1' })).toEqual({ blue: 0, green: 30 })
    expect(await count(kind, 30, { 'X-Canary': '1' })).toEqual({ blue: 0, green: 30 })
    expect(await count(kind, 30)).toEqual({ blue: 30, green: 0 })
    expect(await count(kind, 30, { 'x-canary': '2' })).toEqual({ blue: 30, green: 0 })

    // A weight step keeps the match: matched requests all on the canary, the rest split.
    const half = await step({
      router: matchRouter(kind),
      weight: '50',
      match: 'header: x-canary=1',
    })
    expect(half.exitCode).toBe(0)
    expect(await weights(kind)).toEqual({ blue: 50, green: 50 })
    expect(await count(kind, 30, { 'x-canary': '1' })).toEqual({ blue: 0, green: 30 })
    const rest = await count(kind, 40)
    expect(rest.blue).toBeGreaterThan(5)
    expect(rest.green).toBeGreaterThan(5)

    const back = await runAction('rollback', {
      inputs: { router: matchRouter(kind), to: 'blue', record: 'false' } as never,
    })
    expect(back.errors).toEqual([])
    expect(back.log).toContain('header/cookie match cleared (was header x-canary=1 -> green)')
    expect(await open(kind).match!.read()).toBeNull()
    expect(await count(kind, 30, { 'x-canary': '1' })).toEqual({ blue: 30, green: 0 })
  })

  test('a cookie match judged by a failing gate is cleared and stable stays at 100%', async () => {
    const run = await step({
      router: matchRouter(kind),
      steps: 'header,50,100',
      match: 'cookie: canary=always',
      interval: '2s',
      gate: {
        prometheus: sandbox.prometheus!.url,
        interval: '1s',
        checks: [{ name: 'always-fails', query: 'vector(1)', max: 0.5 }],
      },
    })
    expect(run.exitCode).toBe(1)
    expect(run.outputs).toMatchObject({ verdict: 'fail', phase: 'header', 'rolled-back': 'true' })
    expect(run.errors[0]).toContain('the header phase (cookie canary=always) fail')
    expect(run.log).toContain('header/cookie match cleared (was cookie canary=always -> green)')
    expect(await open(kind).match!.read()).toBeNull()
    expect(await weights(kind)).toEqual({ blue: 100, green: 0 })
    expect(await count(kind, 20, { cookie: 'a=b; canary=always' })).toEqual({ blue: 20, green: 0 })
  })

  test('the end of the walk (100%) clears the match', async () => {
    const run = await step({
      router: matchRouter(kind),
      steps: 'header,50,100',
      match: 'cookie: canary=always',
    })
    expect(run.errors).toEqual([])
    expect(run.outputs).toMatchObject({ verdict: 'pass', phase: 'done', weight: '100' })
    expect(await open(kind).match!.read()).toBeNull()
    expect(await count(kind, 10, { cookie: 'canary=always' })).toEqual({ blue: 0, green: 10 })
  })
})

test('the cookie match is exact on HAProxy and nginx: other cookies and values stay on stable', async () => {
  for (const kind of ['haproxy', 'nginx'] as const) {
    await open(kind).match!.write({
      kind: 'cookie',
      name: 'canary',
      value: 'always',
      slot: 'green',
    })
    expect(await count(kind, 5, { cookie: 'canary=always' })).toEqual({ blue: 0, green: 5 })
    expect(await count(kind, 5, { cookie: 'x=1; canary=always; y=2' })).toEqual({
      blue: 0,
      green: 5,
    })
    expect(await count(kind, 5, { cookie: 'xcanary=always' })).toEqual({ blue: 5, green: 0 })
    expect(await count(kind, 5, { cookie: 'canary=alwaysx' })).toEqual({ blue: 5, green: 0 })
    await open(kind).match!.write(null)
  }
})

test('a router that cannot match (no match-map; a list with one such router) refuses before anything moves', async () => {
  const second = await sandbox.addHaproxy()
  for (const router of [sandbox.haproxy!.router, [matchRouter('haproxy'), second.router]]) {
    const run = await step({ router, steps: 'header,10,100', match: 'header: x-canary=1' })
    expect(run.exitCode).toBe(1)
    expect(run.errors[0]).toContain(
      "cannot send requests by header or cookie (input 'match'): only HAProxy with 'match-map'",
    )
    expect(run.errors[0]).toContain('nothing was changed')
  }
  expect(await weights('haproxy')).toEqual({ blue: 100, green: 0 })
  expect(await open('haproxy').match!.read()).toBeNull()
  expect(await readFile(sandbox.haproxy!.matchMap, 'utf8')).toBe('')
})

test('bad match input is refused before anything is contacted', async () => {
  for (const [match, said] of [
    ['header: x@y=1', 'the header name "x@y" is not allowed'],
    ['cookie: canary=a;b', 'the cookie value "a;b" is not allowed'],
    ['query: a=1', "allowed: 'header: <name>=<value>'"],
  ] as const) {
    const run = await step({ router: matchRouter('haproxy'), steps: 'header', match })
    expect(run.exitCode).toBe(1)
    expect(run.errors[0]).toContain(`Input 'match' has the value`)
    expect(run.errors[0]).toContain(said)
  }
  const noMatch = await step({ router: matchRouter('haproxy'), steps: 'header,10' })
  expect(noMatch.errors[0]).toContain("Input 'steps' starts with 'header'")
  const late = await step({
    router: matchRouter('haproxy'),
    steps: '10,header',
    match: 'header: a=1',
  })
  expect(late.errors[0]).toContain("'header' (the header/cookie phase) may only come first")
})

test('Kubernetes: the HTTPRoute gets a header match rule, and loses it on rollback', async () => {
  const fake = await startFakeKubernetes()
  try {
    const ROUTER = {
      type: 'kubernetes',
      namespace: 'shop',
      slots: {
        blue: { deployment: 'orders-blue', service: 'orders-blue' },
        green: { deployment: 'orders-green', service: 'orders-green' },
      },
      route: { httproute: 'orders' },
    }
    const env = { KUBECONFIG: fake.kubeconfig }
    const rules = () =>
      (fake.get('httproutes', 'orders') as unknown as { spec: { rules: unknown[] } }).spec.rules
    const header = await runAction('canary-step', {
      inputs: {
        router: ROUTER,
        steps: 'header',
        match: 'header: x-canary=1',
        interval: '100ms',
        record: 'false',
      } as never,
      env,
    })
    expect(header.errors).toEqual([])
    expect(header.outputs).toMatchObject({ phase: 'header', canary: 'green' })
    expect(rules()).toHaveLength(2)
    expect(rules()[1]).toEqual({
      matches: [
        {
          path: { type: 'PathPrefix', value: '/' },
          headers: [{ type: 'Exact', name: 'x-canary', value: '1' }],
        },
      ],
      backendRefs: [{ name: 'orders-green', port: 80 }],
    })
    const cookie = await runAction('canary-step', {
      inputs: {
        router: ROUTER,
        steps: 'header',
        match: 'cookie: canary=always',
        interval: '100ms',
        record: 'false',
      } as never,
      env,
    })
    expect(cookie.errors).toEqual([])
    expect(rules()).toHaveLength(2)
    expect((rules()[1] as { matches: { headers: unknown[] }[] }).matches[0]?.headers).toEqual([
      { type: 'RegularExpression', name: 'Cookie', value: '^(.*;\\s*)?canary=always(\\s*;.*)?$' },
    ])
    const back = await runAction('rollback', {
      inputs: { router: ROUTER, to: 'blue', record: 'false' } as never,
      env,
    })
    expect(back.errors).toEqual([])
    expect(rules()).toHaveLength(1)
    expect(fake.violations).toEqual([])

    const selector = await runAction('canary-step', {
      inputs: {
        router: { ...ROUTER, route: { service: 'orders', label: 'slot' } },
        steps: 'header,10',
        match: 'header: x-canary=1',
        interval: '100ms',
        record: 'false',
      } as never,
      env,
    })
    expect(selector.exitCode).toBe(1)
    expect(selector.errors[0]).toContain('cannot send requests by header or cookie')
    expect(fake.requests.filter((r) => r.verb === 'patch' && r.resource === 'services')).toEqual([])
  } finally {
    await fake.stop()
  }
})

describe('records and interruptions', () => {
  test('the record shows the header phase; a later job continues the same deployment and clears the match at 100%', async () => {
    const github = await startFakeGitHub()
    try {
      const withGitHub = (inputs: Record<string, unknown>) =>
        runAction('canary-step', {
          inputs: {
            router: matchRouter('haproxy'),
            environment: 'production',
            interval: '100ms',
            image: 'orders@sha256:v2',
            match: 'header: x-canary=1',
            ...inputs,
          } as never,
          token: github.token,
          env: { GITHUB_API_URL: github.url },
        })
      const header = await withGitHub({ steps: 'header' })
      expect(header.errors).toEqual([])
      const id = Number(header.outputs['deployment-id'])
      const statuses = () =>
        github.deployments
          .find((d) => d.id === id)
          ?.statuses.map((s) => `${s.state}: ${s.description}`)
      expect(statuses()?.slice(1)).toEqual([
        'in_progress: header x-canary=1',
        'in_progress: held at 0% (header x-canary=1)',
      ])
      const rest = await withGitHub({ steps: '50,100', 'deployment-id': id })
      expect(rest.errors).toEqual([])
      expect(rest.outputs).toMatchObject({ 'deployment-id': String(id), phase: 'done' })
      expect(statuses()?.at(-1)).toMatch(/^success/)
      expect(await open('haproxy').match!.read()).toBeNull()
      expect(github.violations).toEqual([])
    } finally {
      await github.stop()
    }
  })

  test('a run cancelled in the header phase clears the match; a killed one is cleared by the post step', async () => {
    const inputs = {
      router: matchRouter('haproxy'),
      steps: 'header,50,100',
      match: 'header: x-canary=1',
      interval: '30s',
      record: 'false',
    } as never
    const cancelled = await startAction('canary-step', { inputs })
    await cancelled.waitForLog('header phase: requests with header x-canary=1')
    expect(await count('haproxy', 5, { 'x-canary': '1' })).toEqual({ blue: 0, green: 5 })
    cancelled.child.kill('SIGINT')
    const main = await cancelled.done
    expect(main.exitCode).toBe(1)
    expect(main.outputs).toMatchObject({ verdict: 'cancelled', 'rolled-back': 'true' })
    expect(await open('haproxy').match!.read()).toBeNull()

    const killed = await startAction('canary-step', { inputs })
    await killed.waitForLog('header phase: requests with header x-canary=1')
    killed.child.kill('SIGKILL')
    const dead = await killed.done
    expect(await open('haproxy').match!.read()).not.toBeNull()
    const post = await runAction('canary-step', { phase: 'post', state: dead.state, inputs })
    expect(post.exitCode).toBe(0)
    expect(post.log).toContain('header/cookie match cleared (was header x-canary=1 -> green)')
    expect(await open('haproxy').match!.read()).toBeNull()
    expect(await count('haproxy', 5, { 'x-canary': '1' })).toEqual({ blue: 5, green: 0 })
  })
})
