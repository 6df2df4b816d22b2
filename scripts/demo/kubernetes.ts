/**
 * The Kubernetes router against a FAKE API server (scripts/sandbox/fake-kubernetes.ts): TLS,
 * a kubeconfig with a token, the README's Role enforced, schemas validated, controllers that roll
 * Deployments out and a gateway that applies routes. No pods serve traffic: what changes is what a
 * cluster would be told, read back from the API as a gateway would read it.
 */
import { readFileSync } from 'node:fs'
import type { Log } from '../../packages/action-kit/index.js'
import { errorMessage } from '../../packages/action-kit/index.js'
import { KubernetesRouter, parseKubernetesConfig } from '../../packages/router/kubernetes.js'
import { blueGreenSwitch, rollback, runCanary } from '../../packages/traffic/index.js'
import type { ChapterContext } from '../chapters.js'
import { ROLE_FILE, startFakeKubernetes, type FakeKubernetes } from '../sandbox/fake-kubernetes.js'

export const ROUTER_YAML = {
  type: 'kubernetes',
  namespace: 'shop',
  slots: {
    blue: { deployment: 'orders-blue', service: 'orders-blue' },
    green: { deployment: 'orders-green', service: 'orders-green' },
  },
  route: { httproute: 'orders' },
}

export default async function kubernetes(ctx: ChapterContext): Promise<void> {
  const shown: string[] = []
  const print = (line = '') => {
    shown.push(line)
    ctx.print(line)
  }
  const fake = await startFakeKubernetes()
  const indent = (m: string) => m.split('\n').forEach((l) => print(`  │ ${l}`))
  const log: Log = { info: indent, warning: (m) => indent(`warning: ${m}`), debug: () => {} }
  try {
    print(
      `A FAKE Kubernetes API server at ${fake.url} (TLS, its own CA in ${fake.kubeconfig}), enforcing`,
    )
    print(
      '  the README Role, the schemas, patch types, resourceVersion conflicts; its controllers roll out',
    )
    print('  Deployments and apply HTTPRoutes. It is not a cluster: no pods serve requests.')
    const router = new KubernetesRouter(parseKubernetesConfig(ROUTER_YAML), {
      kubeconfig: fake.kubeconfig,
      log,
    })
    const show = (what: string) => print(`  ${what}: HTTPRoute shop/orders ${weights(fake)}`)
    show('start')

    print('\n1. Roll the idle slot (green) to the new image, wait until available, then switch:')
    await router.rollSlot('green', 'ghcr.io/example/orders:2.0.0', { timeoutMs: 30_000, log })
    await blueGreenSwitch(router, { to: 'idle', dryRun: false }, log)
    show('after the switch')

    print('\n2. A canary of blue with 2.0.0: 10% -> 50% -> 100%:')
    await router.rollSlot('blue', 'ghcr.io/example/orders:2.0.0', { timeoutMs: 30_000, log })
    const walk = await runCanary(
      router,
      { steps: [10, 50, 100], holdMs: 300, onFailure: 'rollback', dryRun: false },
      {
        ...log,
        info: (m) => (m.startsWith('step ') ? indent(`${m}  -> ${weights(fake)}`) : indent(m)),
      },
    )
    print(`  verdict ${walk.verdict}, canary ${walk.canary} at ${walk.weight}%`)

    print('\n3. A release whose pods never become ready: the rollout fails, traffic stays:')
    await expectFailure(print, () =>
      router.rollSlot('green', 'ghcr.io/example/orders:2.0.1-broken', { timeoutMs: 2000, log }),
    )
    show('still')

    print('\n4. Someone edits the route between our read and our write: 409, nothing overwritten:')
    let once = false
    fake.beforeRequest = ({ verb, resource }) => {
      if (verb !== 'patch' || resource !== 'httproutes' || once) return
      once = true
      fake.edit('httproutes', 'orders', (o) => {
        o.metadata.labels = { 'edited-by': 'someone-else' }
      })
    }
    await expectFailure(print, () => router.write({ blue: 0, green: 100 }))
    fake.beforeRequest = undefined

    print('\n5. Rollback to green (to: green), through the same router:')
    await rollback(
      router,
      { to: 'green', dryRun: false, nothingToDo: 'fail', recordsTimeoutMs: 1000 },
      { unavailable: 'records are off in this chapter' },
      log,
    )
    show('after the rollback')

    print('\n6. The same Role without `patch` on httproutes: the API server says 403 and why:')
    fake.setRole(readFileSync(ROLE_FILE, 'utf8').replace('verbs: [get, patch]', 'verbs: [get]'))
    await expectFailure(print, () => router.write({ blue: 100, green: 0 }))
    print('\n7. The Role back, and the same through the bundled action, as a runner runs it:')
    fake.setRole(readFileSync(ROLE_FILE, 'utf8'))
    const run = await ctx.runAction('blue-green-switch', {
      inputs: {
        router: ROUTER_YAML,
        to: 'blue',
        image: 'ghcr.io/example/orders:3.0.0',
        record: false,
      },
      env: { KUBECONFIG: fake.kubeconfig },
    })
    run.log
      .trim()
      .split('\n')
      .forEach((l) => indent(l))
    print(`  outputs: ${JSON.stringify(run.outputs)}  exit code ${run.exitCode}`)
    if (run.exitCode !== 0) throw new Error(`blue-green-switch failed: ${run.errors.join('; ')}`)
    show('after the bundled switch')
    if (shown.some((l) => l.includes(fake.token))) throw new Error('the token reached the log')
    print(
      `\n  The kubeconfig's token appears in no line above (checked); requests served: ${fake.requests.length}.`,
    )
  } finally {
    await fake.stop()
  }
}

function weights(fake: FakeKubernetes): string {
  const route = fake.get('httproutes', 'orders') as unknown as {
    spec: { rules: { backendRefs: { name: string; weight?: number }[] }[] }
    metadata: { generation: number }
  }
  const refs = route.spec.rules.flatMap((r) => r.backendRefs)
  return `${refs.map((b) => `${b.name}=${b.weight}`).join(' ')} (generation ${route.metadata.generation})`
}

async function expectFailure(print: (l: string) => void, run: () => Promise<unknown>) {
  try {
    await run()
  } catch (e) {
    print(`  ✗ as expected: ${errorMessage(e)}`)
    return
  }
  throw new Error('expected a failure, and it succeeded')
}
