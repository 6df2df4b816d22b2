/**
 * The shipped bundles (dist/<action>/index.js, run as the runner runs them) with `type: kubernetes`
 * against a fake API server per test: the kubeconfig comes from KUBECONFIG as on a runner.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  ROLE_FILE,
  startFakeKubernetes,
  type FakeKubernetes,
} from '../../scripts/sandbox/fake-kubernetes.js'
import { startFakeGitHub } from '../../scripts/sandbox/fake-github.js'
import { expectNoSecret, ROOT, runAction, type ActionRun } from '../harness.js'

const ROUTER = {
  type: 'kubernetes',
  namespace: 'shop',
  slots: {
    blue: { deployment: 'orders-blue', service: 'orders-blue' },
    green: { deployment: 'orders-green', service: 'orders-green' },
  },
  route: { httproute: 'orders' },
}

let fake: FakeKubernetes
beforeEach(async () => {
  fake = await startFakeKubernetes()
})
afterEach(async () => {
  expect(fake.violations).toEqual([])
  await fake.stop()
})

const run = async (action: string, inputs: Record<string, unknown>, env = {}) => {
  const result = await runAction(action, {
    inputs: { record: 'false', ...inputs } as never,
    env: { KUBECONFIG: fake.kubeconfig, ...env },
  })
  expectNoSecret(result, fake.token)
  return result
}
const weights = () =>
  (
    fake.get('httproutes', 'orders') as unknown as {
      spec: { rules: { backendRefs: { name: string; weight: number }[] }[] }
    }
  ).spec.rules[0]?.backendRefs.map((b) => `${b.name}=${b.weight}`)
const patches = (resource: string) =>
  fake.requests.filter((r) => r.verb === 'patch' && r.resource === resource)
const image = (slot: 'blue' | 'green') =>
  (
    fake.get('deployments', `orders-${slot}`).spec as {
      template: { spec: { containers: { name: string; image: string }[] } }
    }
  ).template.spec.containers.map((c) => `${c.name}=${c.image}`)
const failedWith = (r: ActionRun) => `${r.errors.join('\n')}\n${r.log}`

test('blue-green-switch, canary-step and rollback move an HTTPRoute through the bundles', async () => {
  const plan = await run('blue-green-switch', { router: ROUTER, 'dry-run': 'true' })
  expect(plan.exitCode).toBe(0)
  expect(plan.outputs).toMatchObject({ live: 'blue', idle: 'green' })
  expect(JSON.parse(plan.outputs['idle-servers'] ?? '[]')).toEqual([
    { name: 'orders-green', address: 'orders-green.shop.svc' },
  ])
  expect(patches('httproutes')).toEqual([])

  const switched = await run('blue-green-switch', { router: ROUTER, to: 'green' })
  expect(switched.exitCode).toBe(0)
  expect(switched.outputs).toMatchObject({ active: 'green', previous: 'blue', switched: 'true' })
  expect(switched.log).toContain('HTTPRoute shop/orders: applied: gateway shop/web')
  expect(weights()).toEqual(['orders-blue=0', 'orders-green=100'])

  const canary = await run('canary-step', {
    router: ROUTER,
    canary: 'blue',
    steps: '25,100',
    interval: '100ms',
  })
  expect(canary.exitCode).toBe(0)
  expect(canary.outputs).toMatchObject({ verdict: 'pass', weight: '100', canary: 'blue' })
  expect(patches('httproutes').map((r) => r.contentType)).toEqual([
    'application/json-patch+json',
    'application/json-patch+json',
    'application/json-patch+json',
  ])
  expect(weights()).toEqual(['orders-blue=100', 'orders-green=0'])

  const back = await run('rollback', { router: ROUTER, to: 'green', reason: 'test' })
  expect(back.exitCode).toBe(0)
  expect(back.outputs).toMatchObject({ active: 'green', switched: 'true' })
  expect(weights()).toEqual(['orders-blue=0', 'orders-green=100'])
})

test('canary-step on a Service selector route fails before any change (even with an image to roll)', async () => {
  const r = await run('canary-step', {
    router: { ...ROUTER, route: { service: 'orders', label: 'slot' } },
    image: 'ghcr.io/example/orders:2.0.0',
    canary: 'green',
    steps: '10,100',
    interval: '100ms',
  })
  expect(r.exitCode).toBe(1)
  expect(failedWith(r)).toContain(
    "Input 'router': kubernetes Service shop/orders selector slot cannot split traffic",
  )
  expect(fake.requests.filter((q) => q.verb === 'patch')).toEqual([])
})

test('a 403 fails the step, names the missing permission, and says where traffic is', async () => {
  fake.setRole(readFileSync(ROLE_FILE, 'utf8').replace('verbs: [get, patch]', 'verbs: [get]'))
  const r = await run('blue-green-switch', { router: ROUTER, to: 'green' })
  expect(r.exitCode).toBe(1)
  expect(failedWith(r)).toContain(
    'cannot patch resource "httproutes" in API group "gateway.networking.k8s.io" in the namespace "shop"',
  )
  expect(failedWith(r)).toMatch(/blue 100% \/ green 0%/)
  expect(weights()).toEqual(['orders-blue=100', 'orders-green=0'])
})

test.each([
  [
    'a namespace with capitals',
    { ...ROUTER, namespace: 'Shop' },
    {},
    `Input 'router': 'namespace' is "Shop"; allowed: a namespace name`,
  ],
  [
    'a slot given as a plain name, in a router list',
    [{ ...ROUTER, slots: { ...ROUTER.slots, blue: 'orders-blue' } }],
    {},
    `Input 'router': 'router[0].slots.blue' must be a mapping { deployment: <name>, service: <name> }`,
  ],
  [
    'an unknown context',
    { ...ROUTER, context: 'prod-eu' },
    {},
    `'context' is "prod-eu", which is not in`,
  ],
  [
    'no kubeconfig where KUBECONFIG points',
    ROUTER,
    { KUBECONFIG: '/nonexistent/kubeconfig' },
    'cannot load the default kubeconfig (KUBECONFIG, ~/.kube/config or in-cluster): ENOENT (/nonexistent/kubeconfig)',
  ],
])('bad input through the bundle: %s', async (_, router, env, message) => {
  const r = await run('blue-green-switch', { router, to: 'green' }, env)
  expect(r.exitCode).toBe(1)
  expect(failedWith(r)).toContain(message)
  expect(patches('httproutes')).toEqual([])
})

test('rollback with records: back to the slot that holds the last good release; records name the router, never its credentials', async () => {
  const github = await startFakeGitHub()
  try {
    const recorded = (action: string, inputs: Record<string, unknown>) =>
      runAction(action, {
        inputs: { router: ROUTER, environment: 'production', ...inputs } as never,
        token: github.token,
        env: { KUBECONFIG: fake.kubeconfig, GITHUB_API_URL: github.url },
      })
    const first = await recorded('blue-green-switch', {
      to: 'green',
      image: 'ghcr.io/example/orders:1.0.0',
    })
    expect(first.exitCode).toBe(0)
    const second = await recorded('blue-green-switch', {
      to: 'blue',
      image: 'ghcr.io/example/orders:2.0.0',
    })
    expect(second.exitCode).toBe(0)
    expect(weights()).toEqual(['orders-blue=100', 'orders-green=0'])

    const back = await recorded('rollback', { reason: '2.0.0 is bad' })
    expect(back.exitCode).toBe(0)
    expect(back.outputs).toMatchObject({ active: 'green', previous: 'blue', switched: 'true' })
    expect(weights()).toEqual(['orders-blue=0', 'orders-green=100'])
    for (const run of [first, second, back]) expectNoSecret(run, fake.token)
    const payloads = github.deployments.map((d) => d.payload)
    expect(payloads.map((p) => p.router)).toEqual(
      payloads.map(() => ({ type: 'kubernetes', name: 'kubernetes shop/orders' })),
    )
    expect(JSON.stringify(github.requests)).not.toContain(fake.token)
    expect(github.violations).toEqual([])
  } finally {
    await github.stop()
  }
})

test('with image, blue-green-switch rolls the idle slot first, then switches; a broken image moves nothing', async () => {
  const ok = await run('blue-green-switch', {
    router: ROUTER,
    to: 'green',
    image: 'ghcr.io/example/orders:2.0.0',
    'rollout-timeout': '30s',
  })
  expect(ok.exitCode).toBe(0)
  expect(image('green')).toEqual(['app=ghcr.io/example/orders:2.0.0'])
  expect(weights()).toEqual(['orders-blue=0', 'orders-green=100'])
  const order = fake.requests.filter((r) => r.verb === 'patch').map((r) => r.resource)
  expect(order).toEqual(['deployments', 'httproutes'])

  const bad = await run('canary-step', {
    router: ROUTER,
    canary: 'blue',
    steps: '10,100',
    interval: '100ms',
    image: 'ghcr.io/example/orders:2.0.1-broken',
    'rollout-timeout': '10s',
  })
  expect(bad.exitCode).toBe(1)
  expect(failedWith(bad)).toContain(
    'Deployment shop/orders-blue did not become available within 10 s',
  )
  expect(patches('httproutes')).toHaveLength(1)
  expect(weights()).toEqual(['orders-blue=0', 'orders-green=100'])
})

/** Node prints every dist/shared file it loads (module.registerHooks, Node 24). */
const TRACE_LOADS = [
  '--import',
  `data:text/javascript,${encodeURIComponent(
    'import { registerHooks } from "node:module"; registerHooks({ load(url, context, next) { if (url.includes("/dist/shared/")) process.stderr.write(`loaded ${url.slice(url.lastIndexOf("/") + 1)}\\n`); return next(url, context) } })',
  )}`,
]
const CLIENT_MARK = 'No command was specified for exec authProvider'

test('the Kubernetes client is in a chunk of its own, loaded only by the Kubernetes router', async () => {
  const shared = join(ROOT, 'dist/shared')
  const holding = readdirSync(shared).filter(
    (f) => f.endsWith('.js') && readFileSync(join(shared, f), 'utf8').includes(CLIENT_MARK),
  )
  expect(holding).toHaveLength(1)
  const chunk = holding[0] as string
  expect(chunk).not.toBe('index.js')

  const loaded = async (router: object) => {
    const r = await runAction('blue-green-switch', {
      inputs: { router, 'dry-run': 'true', record: 'false' } as never,
      env: { KUBECONFIG: fake.kubeconfig },
      nodeArgs: TRACE_LOADS,
    })
    return r.stderr
  }
  // HAProxy that is not there: the step fails reading it, and never loads the client.
  const haproxy = await loaded({
    type: 'haproxy',
    address: '127.0.0.1:9',
    backend: 'web',
    slots: { blue: 'web-blue', green: 'web-green' },
  })
  expect(haproxy).toContain('loaded index.js')
  expect(haproxy).not.toContain(`loaded ${chunk}`)
  expect(await loaded(ROUTER)).toContain(`loaded ${chunk}`)
})
