/**
 * canary-step's bundle with `type: kubernetes` against the fake API server, gated by a real
 * Prometheus scraping the sandbox's two app slots (1 s scrape interval) with load running.
 *
 * The fake API server runs no pods, so nothing serves the HTTPRoute's traffic: the gate measures
 * the sandbox apps standing in for the slots' pods (app `blue` for orders-blue, `green` for
 * orders-green), each under its own load. What this proves is the wiring: the walk moves the
 * HTTPRoute's weights step by step while each step is judged by a real Prometheus query, and a
 * failing judgement puts the route back at stable 100%.
 */
import { startFakeKubernetes, type FakeKubernetes } from '../../scripts/sandbox/fake-kubernetes.js'
import { startSandbox, type LoadRun, type Sandbox } from '../../scripts/sandbox/index.js'
import { expectNoSecret, runAction } from '../harness.js'

const ROUTER = {
  type: 'kubernetes',
  namespace: 'shop',
  slots: {
    blue: { deployment: 'orders-blue', service: 'orders-blue' },
    green: { deployment: 'orders-green', service: 'orders-green' },
  },
  route: { httproute: 'orders' },
}

let sandbox: Sandbox
let loads: LoadRun[] = []
beforeAll(async () => {
  sandbox = await startSandbox({ prometheus: true })
  // No router in front of the apps here: each slot's app gets its own load directly.
  loads = [
    await sandbox.load(sandbox.apps.blue.url, { concurrency: 2, keepalive: true }),
    await sandbox.load(sandbox.apps.green.url, { concurrency: 2, keepalive: true }),
  ]
  await sandbox.prometheus!.waitForData()
}, 60_000)
afterAll(async () => {
  for (const load of loads) await load.stop()
  await sandbox?.stop()
})

let fake: FakeKubernetes
let version = ''
let tests = 0
beforeEach(async () => {
  fake = await startFakeKubernetes()
  // Each test serves its own version and the query selects it: no test judges another's traffic.
  version = `k${++tests}`
  for (const slot of ['blue', 'green'] as const)
    await sandbox.apps[slot].control({ errorRate: 0, latencyMs: 0, healthy: true, version })
})
afterEach(async () => {
  expect(fake.violations).toEqual([])
  await fake.stop()
})

const ERROR_RATE = {
  name: 'error-rate',
  query:
    'sum(rate(http_requests_total{slot="{{canary}}",version="{{version}}",code=~"5.."}[10s])) / sum(rate(http_requests_total{slot="{{canary}}",version="{{version}}"}[10s]))',
  max: 0.05,
}

const canaryStep = async () => {
  const run = await runAction('canary-step', {
    inputs: {
      record: 'false',
      router: ROUTER,
      steps: '20,100',
      interval: '3s',
      gate: {
        prometheus: sandbox.prometheus!.url,
        interval: '3s',
        vars: { version },
        checks: [ERROR_RATE],
      },
    } as never,
    env: { KUBECONFIG: fake.kubeconfig },
  })
  expectNoSecret(run, fake.token)
  return run
}
const weights = () =>
  (
    fake.get('httproutes', 'orders') as unknown as {
      spec: { rules: { backendRefs: { name: string; weight: number }[] }[] }
    }
  ).spec.rules[0]?.backendRefs.map((b) => `${b.name}=${b.weight}`)
/** The slot weights each JSON patch on the HTTPRoute wrote, in order. */
const written = () =>
  fake.requests
    .filter((r) => r.verb === 'patch' && r.resource === 'httproutes')
    .map((r) =>
      (r.body as { path: string; value: unknown }[])
        .filter((op) => op.path.endsWith('/weight'))
        .map((op) => String(op.value))
        .join('/'),
    )

test('a healthy canary walks the HTTPRoute to 100% under a Prometheus gate', async () => {
  expect(weights()).toEqual(['orders-blue=100', 'orders-green=0'])
  const run = await canaryStep()
  expect(run.errors).toEqual([])
  expect(run.exitCode).toBe(0)
  expect(run.outputs).toMatchObject({
    verdict: 'pass',
    weight: '100',
    canary: 'green',
    stable: 'blue',
  })
  expect(run.summary).toMatch(/\| error-rate \| [0-9.e-]+ \| <= 0\.05 \| ✅ pass \|/)
  expect(written()).toEqual(['80/20', '0/100'])
  expect(weights()).toEqual(['orders-blue=0', 'orders-green=100'])
}, 60_000)

test('a canary slot answering 5xx fails the gate and the HTTPRoute is back at stable 100%', async () => {
  await sandbox.apps.green.control({ errorRate: 0.5 })
  const run = await canaryStep()
  expect(run.exitCode).toBe(1)
  expect(run.outputs).toMatchObject({ verdict: 'fail', weight: '0' })
  expect(run.errors[0]).toMatch(
    /step 1 \(canary 20%\) fail: error-rate failed 1 time\(s\), more than failure-limit 0: 0\.\d+ > max 0\.05; stable blue is back at 100%\./,
  )
  expect(run.log).toContain('stable blue carries 100% again')
  expect(written()).toEqual(['80/20', '100/0'])
  expect(weights()).toEqual(['orders-blue=100', 'orders-green=0'])
}, 60_000)
