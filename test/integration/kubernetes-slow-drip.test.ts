/**
 * A Kubernetes API server that answers one byte every 300 ms (issue 18: deadlines, not idle
 * timeouts). The router's `timeout` bounds each exchange as a whole, body included: the step
 * fails with a deadline error that names the API server, and the log says where traffic is, or
 * that it could not be read. No assertion on time: jest's per-test timeout is the bound (an
 * HTTPRoute of ~2 KB at 300 ms a byte would take over ten minutes to arrive).
 */
import { startFakeKubernetes, type FakeKubernetes } from '../../scripts/sandbox/fake-kubernetes.js'
import { KubernetesRouter, parseKubernetesConfig } from '../../packages/router/kubernetes.js'
import { expectNoSecret, runAction, type ActionRun } from '../harness.js'

const ROUTER = {
  type: 'kubernetes',
  namespace: 'shop',
  slots: {
    blue: { deployment: 'orders-blue', service: 'orders-blue' },
    green: { deployment: 'orders-green', service: 'orders-green' },
  },
  route: { httproute: 'orders' },
  timeout: '1s',
}

let fake: FakeKubernetes
beforeEach(async () => {
  fake = await startFakeKubernetes()
  fake.dripMs = 300
})
afterEach(async () => {
  expect(fake.violations).toEqual([])
  await fake.stop()
})

const weights = () =>
  (
    fake.get('httproutes', 'orders') as unknown as {
      spec: { rules: { backendRefs: { name: string; weight: number }[] }[] }
    }
  ).spec.rules[0]?.backendRefs.map((b) => `${b.name}=${b.weight}`)
const failedWith = (r: ActionRun) => `${r.errors.join('\n')}\n${r.log}`
const deadline = (what: string) =>
  `${what}: the Kubernetes API server ${fake.url} did not complete the exchange within 1 s (the router's timeout bounds each request as a whole); it was reading the answer (HTTP 200,`

const switchToGreen = async () => {
  const r = await runAction('blue-green-switch', {
    inputs: { router: ROUTER, to: 'green', record: 'false' } as never,
    env: { KUBECONFIG: fake.kubeconfig },
  })
  expectNoSecret(r, fake.token)
  return r
}

test('every answer drips: the step fails at the deadline naming the API server, and says traffic could not be read', async () => {
  fake.drip = () => true
  const r = await switchToGreen()
  expect(r.exitCode).toBe(1)
  expect(failedWith(r)).toContain(deadline('get HTTPRoute shop/orders'))
  expect(failedWith(r)).toContain(
    'where traffic is on kubernetes HTTPRoute shop/orders is unknown: it could not be read',
  )
  // The first read never finished, so nothing was written: the route is as it was.
  expect(fake.requests.filter((q) => q.verb === 'patch')).toEqual([])
  expect(weights()).toEqual(['orders-blue=100', 'orders-green=0'])
})

test('the answer to the write drips: the step fails at the deadline and the log says where traffic is now', async () => {
  // The API server stored the patch; only its answer is slow. The truth is read back.
  fake.drip = ({ verb, resource }) => verb === 'patch' && resource === 'httproutes'
  const r = await switchToGreen()
  expect(r.exitCode).toBe(1)
  expect(failedWith(r)).toContain(deadline('patch HTTPRoute shop/orders'))
  expect(failedWith(r)).toContain('traffic is now blue 0% / green 100%')
  expect(weights()).toEqual(['orders-blue=0', 'orders-green=100'])
})

test('through the provider: a dripping read is a deadline error, and the next read is served again', async () => {
  const router = new KubernetesRouter(parseKubernetesConfig(ROUTER), {
    kubeconfig: fake.kubeconfig,
  })
  fake.drip = () => true
  const failure = await router.read().catch((e: unknown) => e)
  expect((failure as Error).name).toBe('KubernetesDeadline')
  expect(String(failure)).toContain(deadline('get HTTPRoute shop/orders'))
  expect(String(failure)).toContain('is unknown: it could not be read')
  fake.drip = undefined
  expect(await router.read()).toEqual({ blue: 100, green: 0 })
})
