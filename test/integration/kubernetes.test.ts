/**
 * The Kubernetes router against a fake API server started per test (TLS, bearer token, the
 * README's Role enforced, schemas validated, controllers that roll Deployments out and apply
 * routes), driven by the same strategies the actions run: blue-green, canary, rollback.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { request } from 'node:https'
import { loadAll } from 'js-yaml'
import { ConfigurationError, type Log } from '../../packages/action-kit/index.js'
import { DEFAULT_SETTINGS, type MetricSource } from '../../packages/gate/index.js'
import {
  ConcurrentEdit,
  KubernetesRouter,
  RolloutFailed,
  canRollSlots,
  parseKubernetesConfig,
} from '../../packages/router/kubernetes.js'
import { blueGreenSwitch, rollback, runCanary } from '../../packages/traffic/index.js'
import {
  ROLE_FILE,
  startFakeKubernetes,
  type FakeKubernetes,
} from '../../scripts/sandbox/fake-kubernetes.js'

const SLOTS = {
  blue: { deployment: 'orders-blue', service: 'orders-blue' },
  green: { deployment: 'orders-green', service: 'orders-green' },
}

let fake: FakeKubernetes
let lines: string[]
const log: Log = {
  info: (m) => lines.push(m),
  warning: (m) => lines.push(`warning: ${m}`),
  debug: (m) => lines.push(`debug: ${m}`),
}

beforeEach(async () => {
  lines = []
  fake = await startFakeKubernetes()
})
/** Every (API group resource, verb) the provider used across these tests, served or refused. */
const used = new Set<string>()

afterEach(async () => {
  for (const r of fake.requests) used.add(`${r.resource} ${r.verb}`)
  // Whatever happened, the credential never reached a log line, and nothing invalid was stored.
  expect(lines.join('\n')).not.toContain(fake.token)
  expect(fake.violations).toEqual([])
  await fake.stop()
})

afterAll(() => {
  // The README's Role grants exactly what the provider uses: no verb more, none less.
  const role = loadAll(readFileSync(ROLE_FILE, 'utf8')).find(
    (d) => (d as { kind?: string })?.kind === 'Role',
  ) as { rules: { resources: string[]; verbs: string[] }[] }
  const granted = role.rules.flatMap((r) =>
    r.resources.flatMap((res) => r.verbs.map((v) => `${res} ${v}`)),
  )
  expect([...used].sort()).toEqual(granted.sort())
})

function open(extra: Record<string, unknown> = {}): KubernetesRouter {
  const config = parseKubernetesConfig({
    type: 'kubernetes',
    namespace: 'shop',
    slots: SLOTS,
    route: { httproute: 'orders' },
    ...extra,
  })
  return new KubernetesRouter(config, { kubeconfig: fake.kubeconfig, log })
}

type Route = {
  spec: { rules: { backendRefs: { name: string; weight?: number }[] }[] }
  metadata: { labels?: Record<string, string> }
}
const routeWeights = () =>
  (fake.get('httproutes', 'orders') as unknown as Route).spec.rules.map((r) =>
    r.backendRefs.map((b) => `${b.name}=${b.weight}`).join(' '),
  )
const image = (slot: 'blue' | 'green') =>
  (
    fake.get('deployments', `orders-${slot}`).spec as {
      template: { spec: { containers: { name: string; image: string }[] } }
    }
  ).template.spec.containers.map((c) => `${c.name}=${c.image}`)
const patches = (resource: string) =>
  fake.requests.filter((r) => r.verb === 'patch' && r.resource === resource)

/** Another rule that must survive every write untouched. */
function addStaticRule(): void {
  fake.put({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'static', namespace: 'shop' },
    spec: { selector: { app: 'static' }, ports: [{ port: 80 }] },
  })
  fake.edit('httproutes', 'orders', (o) => {
    const rules = (o.spec as { rules: unknown[] }).rules
    rules.unshift({
      matches: [{ path: { type: 'PathPrefix', value: '/static' } }],
      backendRefs: [{ name: 'static', port: 80 }],
    })
  })
}

test('blue-green: roll the idle slot to the new image, then switch; only the slot weights change', async () => {
  addStaticRule()
  const router = open()
  expect(canRollSlots(router)).toBe(true)
  const rolled = await router.rollSlot('green', 'ghcr.io/example/orders:2.0.0', {
    timeoutMs: 30_000,
    log,
  })
  expect(rolled).toMatchObject({ container: 'app', changed: true, replicas: 2 })
  expect(image('green')).toEqual(['app=ghcr.io/example/orders:2.0.0'])
  expect(image('blue')).toEqual(['app=ghcr.io/example/orders:1.0.0'])

  const result = await blueGreenSwitch(router, { to: 'idle', dryRun: false }, log)
  expect(result).toMatchObject({ previous: 'blue', active: 'green', switched: true })
  expect(routeWeights()).toEqual(['static=undefined', 'orders-blue=0 orders-green=100'])
  // HTTPRoute is a custom resource: JSON patch (with its test operations), never strategic merge.
  expect(patches('httproutes').map((r) => r.contentType)).toEqual(['application/json-patch+json'])
  expect(patches('deployments').map((r) => r.contentType)).toEqual([
    'application/strategic-merge-patch+json',
  ])
  expect(lines.join('\n')).toContain(
    'HTTPRoute shop/orders: applied: gateway shop/web: Accepted=True, ResolvedRefs=True',
  )
  expect(await router.servers()).toEqual({
    blue: [{ name: 'orders-blue', address: 'orders-blue.shop.svc' }],
    green: [{ name: 'orders-green', address: 'orders-green.shop.svc' }],
  })
})

/** A stand-in for Prometheus: the canary's error rate follows the image its Deployment runs. */
function errorRateOf(slot: () => 'blue' | 'green'): MetricSource {
  return {
    describe: () => 'error rate from the fake cluster',
    value: async () => (image(slot())[0]?.endsWith('-erroring') ? 0.3 : 0),
  }
}

test.each([
  [
    'a good release walks to 100%',
    'ghcr.io/example/orders:2.0.0',
    'pass',
    [
      'orders-blue=90 orders-green=10',
      'orders-blue=50 orders-green=50',
      'orders-blue=0 orders-green=100',
    ],
  ],
  [
    'a bad release goes back to stable at its first step',
    'ghcr.io/example/orders:2.0.0-erroring',
    'fail',
    ['orders-blue=90 orders-green=10', 'orders-blue=100 orders-green=0'],
  ],
])('canary with a gate: %s', async (_, release, verdict, walked) => {
  const router = open()
  await router.rollSlot('green', release, { timeoutMs: 30_000, log })
  const result = await runCanary(
    router,
    {
      steps: [10, 50, 100],
      holdMs: 0,
      onFailure: 'rollback',
      dryRun: false,
      gate: ({ canary }) => ({
        source: errorRateOf(() => canary),
        checks: [{ name: 'error rate', query: 'error_rate{slot="{{canary}}"}', max: 0.05 }],
        settings: { ...DEFAULT_SETTINGS, interval: 10, count: 1 },
      }),
    },
    log,
  )
  expect(result.verdict).toBe(verdict)
  const written = patches('httproutes').map((r) =>
    (r.body as { path: string; value: unknown }[])
      .filter((op) => op.path.endsWith('/weight'))
      .map((op) => String(op.value)),
  )
  expect(written.map(([b, g]) => `orders-blue=${b} orders-green=${g}`)).toEqual(walked)
  expect(routeWeights()).toEqual([walked[walked.length - 1]])
})

test('rollback: back to the slot named, through the same router', async () => {
  const router = open()
  await blueGreenSwitch(router, { to: 'green', dryRun: false }, log)
  const result = await rollback(
    router,
    { to: 'blue', dryRun: false, nothingToDo: 'fail', recordsTimeoutMs: 1000 },
    { unavailable: 'no records in this test' },
    log,
  )
  expect(result).toMatchObject({ target: 'blue', switched: true })
  expect(routeWeights()).toEqual(['orders-blue=100 orders-green=0'])
})

test('an image that never becomes available fails after rollout-timeout, quoting the Deployment, and no traffic moves', async () => {
  const router = open()
  const before = routeWeights()
  const failure = await router
    .rollSlot('green', 'ghcr.io/example/orders:2.0.0-broken', { timeoutMs: 1500, log })
    .catch((e: unknown) => e)
  expect(failure).toBeInstanceOf(RolloutFailed)
  expect(String(failure)).toContain(
    'Deployment shop/orders-green did not become available within 2 s (rollout-timeout): 1 updated, 2 ready, 2 available of 2',
  )
  expect(String(failure)).toContain('Progressing=True ReplicaSetUpdated')
  expect(String(failure)).toContain('No traffic was moved.')
  expect(patches('httproutes')).toEqual([])
  expect(routeWeights()).toEqual(before)
})

test('ProgressDeadlineExceeded fails the rollout at once, with the conditions quoted', async () => {
  const router = open()
  const failure = await router
    .rollSlot('green', 'ghcr.io/example/orders:2.0.0-stuck', { timeoutMs: 120_000, log })
    .catch((e: unknown) => e)
  expect(failure).toBeInstanceOf(RolloutFailed)
  expect(String(failure)).toContain('Deployment shop/orders-green failed to roll out')
  expect(String(failure)).toContain(
    'Progressing=False ProgressDeadlineExceeded: "ReplicaSet \\"orders-green-',
  )
  expect(String(failure)).not.toContain('rollout-timeout')
})

test("a paused Deployment (an operator's doing) is refused before any change", async () => {
  fake.edit('deployments', 'orders-green', (o) => {
    ;(o.spec as Record<string, unknown>).paused = true
  })
  await expect(
    open().rollSlot('green', 'ghcr.io/example/orders:2.0.0', { timeoutMs: 30_000, log }),
  ).rejects.toThrow(
    'Deployment shop/orders-green (slot green) is paused (spec.paused), so it would never roll out ghcr.io/example/orders:2.0.0; resume it (kubectl rollout resume) or deploy to it by hand. Nothing was changed.',
  )
  expect(patches('deployments')).toEqual([])
})

test('a second container is left as it is; several containers need `container`', async () => {
  fake.edit('deployments', 'orders-green', (o) => {
    const spec = (o.spec as { template: { spec: { containers: object[] } } }).template.spec
    spec.containers.push({ name: 'proxy', image: 'envoyproxy/envoy:v1.31.0' })
  })
  const router = open()
  await expect(
    router.rollSlot('green', 'ghcr.io/example/orders:2.0.0', { timeoutMs: 30_000, log }),
  ).rejects.toThrow(
    "has 2 containers (app, proxy); say which one runs the release with the 'container' input",
  )
  await router.rollSlot('green', 'ghcr.io/example/orders:2.0.0', {
    container: 'app',
    timeoutMs: 30_000,
    log,
  })
  expect(image('green')).toEqual([
    'app=ghcr.io/example/orders:2.0.0',
    'proxy=envoyproxy/envoy:v1.31.0',
  ])
})

test('a 409 during a write: someone else edited the route; nothing is overwritten, and the log says where traffic is', async () => {
  const router = open()
  let edited = false
  fake.beforeRequest = ({ verb, resource }) => {
    if (verb === 'patch' && resource === 'httproutes' && !edited) {
      edited = true
      fake.edit('httproutes', 'orders', (o) => {
        o.metadata.labels = { owner: 'someone-else' }
      })
    }
  }
  const failure = await router.write({ blue: 0, green: 100 }).catch((e: unknown) => e)
  expect(failure).toBeInstanceOf(ConcurrentEdit)
  expect(String(failure)).toContain(
    'HTTPRoute shop/orders was changed by someone else after it was read',
  )
  expect(String(failure)).toContain('nothing was overwritten. Traffic is now blue 100% / green 0%.')
  expect(patches('httproutes').map((r) => r.status)).toEqual([409])
  expect(routeWeights()).toEqual(['orders-blue=100 orders-green=0'])
  expect((fake.get('httproutes', 'orders') as unknown as Route).metadata.labels).toEqual({
    owner: 'someone-else',
  })
})

test('a 403: the Role without a verb the provider needs fails, naming verb, resource and API group', async () => {
  fake.setRole(readFileSync(ROLE_FILE, 'utf8').replace('verbs: [get, patch]', 'verbs: [get]'))
  const router = open()
  expect(await router.read()).toEqual({ blue: 100, green: 0 })
  await expect(router.write({ blue: 0, green: 100 })).rejects.toThrow(
    'patch HTTPRoute shop/orders: 403 Forbidden: httproutes.gateway.networking.k8s.io "orders" is forbidden: User "system:serviceaccount:shop:cutover" cannot patch resource "httproutes" in API group "gateway.networking.k8s.io" in the namespace "shop" (the kubeconfig user lacks this permission: grant the Role in the README)',
  )
  expect(routeWeights()).toEqual(['orders-blue=100 orders-green=0'])
})

test('route: { service } switches the selector for blue-green and refuses a canary before any change', async () => {
  const router = open({ route: { service: 'orders', label: 'slot' } })
  expect(router.canSplit).toBe(false)
  await blueGreenSwitch(router, { to: 'green', dryRun: false }, log)
  const selector = () =>
    (fake.get('services', 'orders').spec as { selector: Record<string, string> }).selector
  expect(selector()).toEqual({ app: 'orders', slot: 'green' })
  // Done when the Service's endpoints are green's own, not when the selector is stored.
  expect(lines.join('\n')).toContain(
    "Service shop/orders: endpoints follow the selector: 2 ready endpoint(s), all the slot's (as Service orders-green)",
  )
  expect(patches('services').map((r) => [r.contentType, r.status])).toEqual([
    ['application/merge-patch+json', 200],
  ])
  await expect(router.write({ blue: 10, green: 90 })).rejects.toThrow(ConfigurationError)
  await expect(router.write({ blue: 10, green: 90 })).rejects.toThrow(
    'switches a Service selector, which cannot split traffic',
  )
  expect(patches('services')).toHaveLength(1)
  expect(selector()).toEqual({ app: 'orders', slot: 'green' })
})

test('route: { service }: endpoints that never follow the selector fail the write after the timeout', async () => {
  fake.endpointController = 'stop'
  // The timeout is also each API call's: seconds, so only the endpoints that never follow meet it.
  const failure = await open({ route: { service: 'orders', label: 'slot' }, timeout: '3s' })
    .write({ blue: 0, green: 100 })
    .catch((e: unknown) => e)
  expect(String(failure)).toContain(
    "Service shop/orders selects slot green, but within 3 s its endpoints did not become those of Service orders-green: 2 endpoint(s) not the slot's (10.244.",
  )
  expect(String(failure)).toContain('New connections may still reach the other slot until they do.')
})

test('route: { service }: a concurrent edit of the Service is a 409, never overwritten', async () => {
  const router = open({ route: { service: 'orders', label: 'slot' } })
  fake.beforeRequest = ({ verb, resource }) => {
    if (verb === 'patch' && resource === 'services')
      fake.edit('services', 'orders', (o) => {
        o.metadata.labels = { edited: 'yes' }
      })
  }
  await expect(router.write({ blue: 0, green: 100 })).rejects.toThrow(ConcurrentEdit)
  expect(patches('services').map((r) => r.status)).toEqual([409])
  expect((fake.get('services', 'orders').spec as { selector: object }).selector).toEqual({
    app: 'orders',
    slot: 'blue',
  })
})

test('a slot without available pods takes no traffic', async () => {
  fake.edit('deployments', 'orders-green', (o) => {
    ;(o.status as Record<string, unknown>).availableReplicas = 0
  })
  await expect(open().write({ blue: 50, green: 50 })).rejects.toThrow(
    'Deployment shop/orders-green (slot green) has no available replicas (0 of 2), so it cannot take 50% of traffic; nothing was changed.',
  )
  expect(patches('httproutes')).toEqual([])
})

test('no gateway applies the route: the write fails after the timeout, and a later read warns that the stored weights are not applied', async () => {
  fake.gateway = 'ignore'
  // The timeout is also each API call's: seconds, so only the gateway that never applies meets it.
  const failure = await open({ timeout: '3s' })
    .write({ blue: 0, green: 100 })
    .catch((e: unknown) => e)
  const router = open()
  expect(await router.read()).toEqual({ blue: 0, green: 100 })
  expect(router.notes).toEqual([
    'HTTPRoute shop/orders holds blue 0% / green 100%, but its gateway has not applied that yet: gateway shop/web: Accepted=True for generation 1 < 2, ResolvedRefs=True for generation 1 < 2',
  ])
  expect(String(failure)).toContain(
    'HTTPRoute shop/orders holds blue 0% / green 100% (generation 2) but the gateway did not apply it within 3 s: gateway shop/web: Accepted=True for generation 1 < 2, ResolvedRefs=True for generation 1 < 2. Clients may still see the earlier weights (blue 100% / green 0%) until it does.',
  )
})

test('contexts: a named one is used; an unknown one is a config error listing the contexts', async () => {
  await expect(open({ context: 'prod-eu' }).read()).rejects.toThrow(
    `Input 'router': 'context' is "prod-eu", which is not in ${fake.kubeconfig}; its contexts are: fake, unreachable, fake-cert, fake-files, fake-exec.`,
  )
  await expect(open({ context: 'unreachable', timeout: '2s' }).read()).rejects.toThrow(
    /^get HTTPRoute shop\/orders: cannot reach the Kubernetes API server https:\/\/127\.0\.0\.1:\d+: connect ECONNREFUSED/,
  )
  expect(await open({ context: 'fake' }).read()).toEqual({ blue: 100, green: 0 })
})

test.each([
  ['a bearer token', 'fake', 'token'],
  ['a client certificate and key as data', 'fake-cert', 'certificate'],
  ['CA, certificate and key as files beside the kubeconfig', 'fake-files', 'certificate'],
  ['an exec credential plugin', 'fake-exec', 'token'],
])('kubeconfig credentials: %s authenticates every request', async (_, context, auth) => {
  const router = open({ context })
  expect(await router.read()).toEqual({ blue: 100, green: 0 })
  await router.write({ blue: 0, green: 100 })
  expect(routeWeights()).toEqual(['orders-blue=0 orders-green=100'])
  expect(fake.requests.length).toBeGreaterThan(2)
  expect(new Set(fake.requests.map((r) => r.auth))).toEqual(new Set([auth]))
})

test('a token the API server refuses is a 401 that says so, and nothing moves', async () => {
  const kubeconfig = `${fake.dir}/wrong-token`
  writeFileSync(
    kubeconfig,
    readFileSync(fake.kubeconfig, 'utf8').replace(`token: ${fake.token}`, 'token: not-the-token'),
  )
  const router = new KubernetesRouter(
    parseKubernetesConfig({
      type: 'kubernetes',
      namespace: 'shop',
      slots: SLOTS,
      route: { httproute: 'orders' },
    }),
    { kubeconfig, log },
  )
  await expect(router.read()).rejects.toThrow(
    'get HTTPRoute shop/orders: 401 Unauthorized: Unauthorized: the kubeconfig credentials were refused',
  )
  expect(fake.requests.map((r) => [r.auth, r.status])).toEqual([['none', 401]])
})

test('the fake keeps the contract: strategic merge on a custom resource and unknown types are 415', async () => {
  const ca = Buffer.from(
    /certificate-authority-data: (\S+)/.exec(readFileSync(fake.kubeconfig, 'utf8'))?.[1] ?? '',
    'base64',
  )
  const patch = (contentType: string) =>
    new Promise<number>((resolve, reject) => {
      const req = request(
        `${fake.url}/apis/gateway.networking.k8s.io/v1/namespaces/shop/httproutes/orders`,
        {
          method: 'PATCH',
          ca,
          headers: { authorization: `Bearer ${fake.token}`, 'content-type': contentType },
        },
        (res) => {
          res.resume()
          resolve(res.statusCode ?? 0)
        },
      )
      req.on('error', reject)
      req.end('{"spec":{}}')
    })
  expect(await patch('application/strategic-merge-patch+json')).toBe(415)
  expect(await patch('application/json')).toBe(415)
  expect(await patch('application/merge-patch+json')).toBe(200)
})
