/**
 * Deployment records on a fake GitHub that holds GitHub's semantics and rejects anything outside
 * its published OpenAPI description, with real HAProxy from the sandbox; and rollback on them.
 */
import { openRouter, parseRouterConfig, type Weights } from '../../packages/router/index.js'
import { startFakeGitHub, type FakeGitHub } from '../../scripts/sandbox/fake-github.js'
import { freePort, startSandbox, type Sandbox } from '../../scripts/sandbox/index.js'
import { runAction, type RunOptions } from '../harness.js'

let sandbox: Sandbox
let github: FakeGitHub
beforeAll(async () => {
  sandbox = await startSandbox({ haproxy: true })
})
afterAll(async () => {
  await sandbox?.stop()
})
beforeEach(async () => {
  github = await startFakeGitHub()
  await routerOf().write({ blue: 100, green: 0 })
})
afterEach(async () => {
  expect(github.violations).toEqual([])
  await github.stop()
})

const router = () => sandbox.haproxy!.router
const routerOf = () => openRouter(parseRouterConfig(router()))
const weights = (): Promise<Weights> => routerOf().read()
const withGitHub = (options: RunOptions): RunOptions => ({
  ...options,
  token: github.token,
  env: { GITHUB_API_URL: github.url, ...options.env },
})
const states = (id: number) =>
  github.deployments.find((d) => d.id === id)?.statuses.map((s) => s.state)
const latestState = (id: number) => states(id)?.at(-1)

test('blue-green-switch records a deployment: payload, status sequence, earlier successes inactive', async () => {
  const first = await runAction(
    'blue-green-switch',
    withGitHub({
      inputs: { router: router(), to: 'green', image: 'registry.local/orders@sha256:abc' },
    }),
  )
  expect(first.exitCode).toBe(0)
  const firstId = Number(first.outputs['deployment-id'])
  const create = github.requests.find(
    (r) => r.method === 'POST' && r.path === '/repos/acme/orders/deployments',
  )
  expect(create?.body).toEqual({
    ref: '0123456789abcdef0123456789abcdef01234567',
    environment: 'production',
    task: 'deploy:blue-green',
    auto_merge: false,
    required_contexts: [],
    production_environment: true,
    description: 'blue-green to green (registry.local/orders@sha256:abc)',
    payload: {
      tool: 'cutover',
      schema: 1,
      strategy: 'blue-green',
      slot: 'green',
      weights: { blue: 0, green: 100 },
      image: 'registry.local/orders@sha256:abc',
      previous: { slot: 'blue' },
      router: { type: 'haproxy', address: (router() as { address: string }).address },
    },
  })
  expect(states(firstId)).toEqual(['in_progress', 'success'])
  const inProgress = github.requests.find(
    (r) => r.path.endsWith(`/deployments/${firstId}/statuses`) && r.method === 'POST',
  )
  expect(inProgress?.body).toEqual(
    expect.objectContaining({
      state: 'in_progress',
      log_url: 'https://github.com/acme/orders/actions/runs/4242/attempts/1',
    }),
  )

  const second = await runAction(
    'blue-green-switch',
    withGitHub({
      inputs: { router: router(), to: 'blue', 'environment-url': 'https://orders.example.com' },
    }),
  )
  const secondId = Number(second.outputs['deployment-id'])
  expect(states(secondId)).toEqual(['in_progress', 'success'])
  expect(github.deployments.find((d) => d.id === secondId)?.statuses.at(-1)?.environment_url).toBe(
    'https://orders.example.com',
  )
  // GitHub leaves production deployments active; the action deactivates the earlier success.
  expect(states(firstId)).toEqual(['in_progress', 'success', 'inactive'])
  const payload = github.deployments.find((d) => d.id === secondId)?.payload
  expect(payload?.previous).toEqual({ slot: 'green', deployment_id: firstId })
  expect(JSON.stringify(github.requests)).not.toContain(github.token)
})

test('a failing health check is recorded as a failure; traffic stays', async () => {
  await sandbox.apps.green.control({ healthy: false })
  try {
    const run = await runAction(
      'blue-green-switch',
      withGitHub({
        inputs: {
          router: router(),
          'health-url': `${sandbox.apps.green.url}/healthz`,
          'health-interval': '100ms',
          'health-timeout': '300ms',
        },
      }),
    )
    expect(run.exitCode).toBe(1)
    const [deployment] = github.deployments
    expect(deployment?.statuses.map((s) => s.state)).toEqual(['in_progress', 'failure'])
    expect(await weights()).toEqual({ blue: 100, green: 0 })
  } finally {
    await sandbox.apps.green.control({ healthy: true })
  }
})

test('canary-step records its walk: success, and failure when the canary is judged bad', async () => {
  const ok = await runAction(
    'canary-step',
    withGitHub({ inputs: { router: router(), steps: '50,100', interval: '100ms' } }),
  )
  expect(ok.exitCode).toBe(0)
  const okId = Number(ok.outputs['deployment-id'])
  const deployment = github.deployments.find((d) => d.id === okId)
  expect(deployment?.task).toBe('deploy:canary')
  expect(deployment?.payload).toEqual(
    expect.objectContaining({
      strategy: 'canary',
      slot: 'green',
      stable: 'blue',
      weights: { blue: 0, green: 100 },
    }),
  )
  expect(states(okId)).toEqual(['in_progress', 'success'])

  const down = `http://127.0.0.1:${await freePort()}`
  const bad = await runAction(
    'canary-step',
    withGitHub({
      inputs: {
        router: router(),
        steps: '20,100',
        interval: '100ms',
        gate: {
          prometheus: down,
          interval: '100ms',
          checks: [{ name: 'x', query: 'vector(0)', max: 1 }],
        },
      },
    }),
  )
  expect(bad.exitCode).toBe(1)
  expect(states(Number(bad.outputs['deployment-id']))).toEqual(['in_progress', 'failure'])
  // The first walk made green live; the bad canary was blue, so green is back at 100%.
  expect(bad.outputs).toEqual(
    expect.objectContaining({ canary: 'blue', stable: 'green', verdict: 'fail' }),
  )
  expect(await weights()).toEqual({ blue: 0, green: 100 })
})

describe('rollback', () => {
  /** Three good deploys in a row: green, blue, green. Returns their ids. */
  async function deployThree(): Promise<number[]> {
    const ids: number[] = []
    for (const to of ['green', 'blue', 'green']) {
      const run = await runAction(
        'blue-green-switch',
        withGitHub({ inputs: { router: router(), to } }),
      )
      expect(run.exitCode).toBe(0)
      ids.push(Number(run.outputs['deployment-id']))
    }
    return ids
  }

  test('after a bad release, previous goes back to the last good slot and records the rollback', async () => {
    const [, second, third] = (await deployThree()) as [number, number, number]
    expect(await weights()).toEqual({ blue: 0, green: 100 })
    const run = await runAction(
      'rollback',
      withGitHub({ inputs: { router: router(), reason: 'manual rollback by octocat' } }),
    )
    expect(run.exitCode).toBe(0)
    expect(run.outputs.active).toBe('blue')
    expect(run.outputs['restored-deployment-id']).toBe(String(second))
    expect(await weights()).toEqual({ blue: 100, green: 0 })
    const record = github.deployments.find((d) => d.id === Number(run.outputs['deployment-id']))
    expect(record?.task).toBe('deploy:rollback')
    expect(record?.payload).toEqual(
      expect.objectContaining({
        strategy: 'rollback',
        slot: 'blue',
        rolled_back_id: third,
        restored_deployment_id: second,
        reason: 'manual rollback by octocat',
      }),
    )
    expect(record?.statuses.map((s) => s.state)).toEqual(['in_progress', 'success'])
    expect(latestState(third)).toBe('inactive')
    expect(run.log).toContain(
      `undoing deployment ${third} (green); the last good deployment before it is ${second} on blue`,
    )
    expect(run.summary).toContain('Rollback: green → blue')
  })

  test('previous skips failed and rolled-back deployments', async () => {
    const [first, second] = (await deployThree()) as [number, number, number]
    // The canary of the next release fails; it must never count as good.
    const down = `http://127.0.0.1:${await freePort()}`
    const bad = await runAction(
      'canary-step',
      withGitHub({
        inputs: {
          router: router(),
          canary: 'blue',
          steps: '10,100',
          interval: '100ms',
          gate: {
            prometheus: down,
            interval: '100ms',
            checks: [{ name: 'x', query: 'vector(0)', max: 1 }],
          },
        },
      }),
    )
    expect(bad.exitCode).toBe(1)
    const back = await runAction('rollback', withGitHub({ inputs: { router: router() } }))
    expect(back.outputs).toEqual(
      expect.objectContaining({ active: 'blue', 'restored-deployment-id': String(second) }),
    )
    // Rolling back again: the third deploy was rolled back, so previous is the second's slot,
    // which is live already: nothing moves, and the warning says so.
    const again = await runAction('rollback', withGitHub({ inputs: { router: router() } }))
    expect(again.exitCode).toBe(0)
    expect(again.warnings.join('\n')).toContain(
      'blue already carries 100% of traffic; nothing to move.',
    )
    expect(again.outputs.active).toBe('blue')
    expect(first).toBeLessThan(second)
  })

  test('without records (no token): previous is the slot not live now, with a warning', async () => {
    await routerOf().write({ blue: 0, green: 100 })
    const run = await runAction('rollback', { inputs: { router: router() }, token: '' })
    expect(run.exitCode).toBe(0)
    expect(run.warnings.join('\n')).toContain(
      'no deployment records in this environment, so "previous" means the slot not live now: blue.',
    )
    expect(run.outputs).toEqual({ active: 'blue' })
    expect(await weights()).toEqual({ blue: 100, green: 0 })
  })

  test('mid-canary, the canary record says which slot is stable', async () => {
    const walk = await runAction(
      'canary-step',
      withGitHub({ inputs: { router: router(), steps: '30', interval: '100ms' } }),
    )
    expect(walk.exitCode).toBe(0)
    await routerOf().write({ blue: 40, green: 60 }) // traffic mostly on the canary: the record still knows
    const run = await runAction('rollback', withGitHub({ inputs: { router: router() } }))
    expect(run.exitCode).toBe(0)
    expect(run.outputs.active).toBe('blue')
    expect(run.log).toMatch(/by canary deployment \d+; its stable slot is blue/)
  })

  test('dry run decides and moves nothing', async () => {
    await deployThree()
    const run = await runAction(
      'rollback',
      withGitHub({ inputs: { router: router(), 'dry-run': 'true' } }),
    )
    expect(run.exitCode).toBe(0)
    expect(run.log).toContain(
      'dry run: would move traffic from blue 0% / green 100% to blue 100% / green 0%',
    )
    expect(await weights()).toEqual({ blue: 0, green: 100 })
    expect(github.deployments.filter((d) => d.task === 'deploy:rollback')).toEqual([])
  })
})

describe('when GitHub misbehaves', () => {
  test('5xx twice, then OK: retried, recorded', async () => {
    github.inject({ status: 502, times: 2, match: /^POST .*\/deployments$/ })
    const run = await runAction(
      'blue-green-switch',
      withGitHub({ inputs: { router: router(), to: 'green' } }),
    )
    expect(run.exitCode).toBe(0)
    expect(run.log).toMatch(
      /GitHub API: create the deployment failed \(502: Bad Gateway\); retrying in \d+ ms \(1\/3\)/,
    )
    expect(
      github.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/deployments')),
    ).toHaveLength(3)
    expect(states(Number(run.outputs['deployment-id']))).toEqual(['in_progress', 'success'])
  })

  test('403: the step fails before traffic moves and says which permission to add', async () => {
    github.inject({ status: 403, times: 10 })
    const run = await runAction(
      'blue-green-switch',
      withGitHub({ inputs: { router: router(), to: 'green' } }),
    )
    expect(run.exitCode).toBe(1)
    expect(run.errors[0]).toContain('Resource not accessible by integration')
    expect(run.errors[0]).toContain(
      'add `permissions: { deployments: write, contents: read }` to the job',
    )
    expect(await weights()).toEqual({ blue: 100, green: 0 })
  })

  test('API down: the traffic step still completes, and the log says the record is missing', async () => {
    const down = `http://127.0.0.1:${await freePort()}`
    const run = await runAction('blue-green-switch', {
      inputs: { router: router(), to: 'green' },
      token: 'ghs_whatever',
      env: { GITHUB_API_URL: down },
    })
    expect(run.exitCode).toBe(0)
    expect(run.outputs.active).toBe('green')
    expect(run.warnings.join('\n')).toContain('records: the deployment record is missing')
    expect(await weights()).toEqual({ blue: 0, green: 100 })
  })

  test('rollback is an emergency tool: records that cannot be read or written do not stop it', async () => {
    await routerOf().write({ blue: 0, green: 100 })
    github.inject({ status: 403, times: 100 })
    const run = await runAction('rollback', withGitHub({ inputs: { router: router() } }))
    expect(run.exitCode).toBe(0)
    expect(run.outputs.active).toBe('blue')
    expect(run.warnings.join('\n')).toContain('rollback: the deployment records could not be read')
    expect(run.warnings.join('\n')).toContain('records: the deployment record is missing')
    expect(await weights()).toEqual({ blue: 100, green: 0 })
  })

  test('slow answers: the record is still written, just later', async () => {
    github.inject({ delayMs: 700, times: 3 })
    const run = await runAction(
      'blue-green-switch',
      withGitHub({ inputs: { router: router(), to: 'green' } }),
    )
    expect(run.exitCode).toBe(0)
    expect(states(Number(run.outputs['deployment-id']))).toEqual(['in_progress', 'success'])
  })

  test('202 and 409 on create are errors with clear messages', async () => {
    github.createMode = 'merge'
    const merged = await runAction(
      'blue-green-switch',
      withGitHub({ inputs: { router: router(), to: 'green' } }),
    )
    expect(merged.warnings.join('\n')).toContain(
      'GitHub answered 202 without creating a deployment',
    )
    github.createMode = 'conflict'
    const conflict = await runAction(
      'blue-green-switch',
      withGitHub({ inputs: { router: router(), to: 'blue' } }),
    )
    expect(conflict.warnings.join('\n')).toContain('409 Conflict')
  })
})

describe('rollback refuses bad input; traffic unchanged', () => {
  test.each([
    [
      'to: purple',
      { to: 'purple' },
      `Input 'to' has the value "purple"; allowed: previous, blue, green.`,
    ],
    [
      'to: idle',
      { to: 'idle' },
      `Input 'to' has the value "idle"; allowed: previous, blue, green.`,
    ],
    ['router missing', { router: '' }, `Input 'router' is required and was not given.`],
    ['router malformed', { router: 'type: [' }, `Input 'router': input 'router' is not valid YAML`],
    [
      'unknown router type',
      { router: { type: 'envoy' } },
      `'type' is "envoy"; allowed: haproxy, nginx.`,
    ],
    [
      'unreachable router',
      {
        router: {
          type: 'haproxy',
          address: '127.0.0.1:1',
          backend: 'web',
          slots: { blue: 'a', green: 'b' },
        },
      },
      'cannot reach the HAProxy runtime API at 127.0.0.1:1',
    ],
    [
      'dry-run maybe',
      { 'dry-run': 'maybe' },
      `Input 'dry-run' has the value "maybe"; allowed: true or false (any letter case).`,
    ],
    [
      'record 1',
      { record: '1' },
      `Input 'record' has the value "1"; allowed: true or false (any letter case).`,
    ],
    [
      'environment over two lines',
      { environment: 'prod\nuction' },
      `Input 'environment' has the value "prod\\nuction"; allowed: an environment name`,
    ],
    [
      'reason too long',
      { reason: 'x'.repeat(1001) },
      `Input 'reason' is 1001 characters long; allowed: at most 1000`,
    ],
    [
      'split evenly with no records',
      { __split: true },
      `traffic is split evenly (blue 50% / green 50%) and no canary record says which slot is stable`,
    ],
  ])('%s', async (_name, inputs, error) => {
    const { __split, ...given } = inputs as Record<string, unknown>
    const start: Weights = __split ? { blue: 50, green: 50 } : { blue: 0, green: 100 }
    await routerOf().write(start)
    const run = await runAction(
      'rollback',
      withGitHub({ inputs: { router: router(), ...given } as never }),
    )
    expect(run.exitCode).toBe(1)
    expect(run.errors[0]).toContain(error)
    expect(await weights()).toEqual(start)
    expect(github.deployments).toEqual([])
  })
})
