/**
 * Deployment records through the shipped bundles, on a fake GitHub that holds GitHub's semantics
 * and rejects anything outside its published OpenAPI description, with real HAProxy from the
 * sandbox: one record per release and per service, a canary as one deployment, bounded API use,
 * and a GitHub that hangs, rate-limits or refuses.
 */
import { openRouter, parseRouterConfig, type Weights } from '../../packages/router/index.js'
import { startFakeGitHub, type FakeGitHub } from '../../scripts/sandbox/fake-github.js'
import { startSandbox, type Sandbox } from '../../scripts/sandbox/index.js'
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
const routerName = () => routerOf().name
const weights = (): Promise<Weights> => routerOf().read()
const image = (n: number | string) => `registry.local/orders@sha256:${String(n).padStart(64, '0')}`
const withGitHub = (options: RunOptions): RunOptions => ({
  ...options,
  inputs: { environment: 'production', ...options.inputs },
  token: github.token,
  env: { GITHUB_API_URL: github.url, ...options.env },
})
const deployment = (id: number | string | undefined) =>
  github.deployments.find((d) => d.id === Number(id))
const states = (id: number | string | undefined) => deployment(id)?.statuses.map((s) => s.state)
/** Requests the fake accepted and never answered. */
const hangs = () => github.requests.filter((r) => r.fault === 'hang').length

test('blue-green-switch records one deployment of the service: schema 2, router by name, earlier success inactive', async () => {
  const first = await runAction(
    'blue-green-switch',
    withGitHub({ inputs: { router: router(), to: 'green', image: image(1) } }),
  )
  expect(first.exitCode).toBe(0)
  const create = github.requests.find(
    (r) => r.method === 'POST' && r.path === '/repos/acme/orders/deployments',
  )
  expect(create?.body).toEqual(
    expect.objectContaining({
      ref: '0123456789abcdef0123456789abcdef01234567',
      environment: 'production',
      task: 'deploy:orders',
      production_environment: true,
      payload: expect.objectContaining({
        tool: 'cutover',
        schema: 2,
        service: 'orders',
        strategy: 'blue-green',
        router: { type: 'haproxy', name: routerName() },
        slot: 'green',
        image: image(1),
        weights: { blue: 0, green: 100 },
      }),
    }),
  )
  // The router's admin address is never in a record unless asked for.
  expect(JSON.stringify(create?.body)).not.toContain(String(sandbox.haproxy!.router.address))
  expect(states(first.outputs['deployment-id'])).toEqual(['in_progress', 'success'])

  const second = await runAction(
    'blue-green-switch',
    withGitHub({
      inputs: {
        router: router(),
        to: 'blue',
        image: image(2),
        'environment-url': 'https://orders.example.com',
      },
    }),
  )
  expect(states(second.outputs['deployment-id'])).toEqual(['in_progress', 'success'])
  expect(deployment(second.outputs['deployment-id'])?.statuses.at(-1)?.environment_url).toBe(
    'https://orders.example.com',
  )
  expect(states(first.outputs['deployment-id'])).toEqual(['in_progress', 'success', 'inactive'])
  expect(deployment(second.outputs['deployment-id'])?.payload.previous).toEqual(
    expect.objectContaining({
      slot: 'green',
      deployment_id: Number(first.outputs['deployment-id']),
    }),
  )
  expect(JSON.stringify(github.requests)).not.toContain(github.token)
})

test('staging is not a production environment, and records there never touch production', async () => {
  const prod = await runAction(
    'blue-green-switch',
    withGitHub({ inputs: { router: router(), to: 'green', image: image(1) } }),
  )
  const staging = await runAction(
    'blue-green-switch',
    withGitHub({
      inputs: { router: router(), to: 'blue', image: image(2), environment: 'staging' },
    }),
  )
  expect(staging.exitCode).toBe(0)
  expect(deployment(staging.outputs['deployment-id'])?.production_environment).toBe(false)
  expect(states(prod.outputs['deployment-id'])).toEqual(['in_progress', 'success'])
})

test('without environment, a recording action refuses before traffic moves', async () => {
  const run = await runAction('blue-green-switch', {
    inputs: { router: router(), to: 'green' },
    token: github.token,
    env: { GITHUB_API_URL: github.url },
  })
  expect(run.exitCode).toBe(1)
  expect(run.errors[0]).toContain("Input 'environment' is required when records are on")
  expect(await weights()).toEqual({ blue: 100, green: 0 })
  expect(github.requests).toEqual([])
})

test('a canary walked in separate jobs is one deployment: in_progress per step, success at 100%', async () => {
  const ids: string[] = []
  let deploymentId: string | undefined
  for (const weight of ['5', '50', '100']) {
    const run = await runAction(
      'canary-step',
      withGitHub({
        inputs: {
          router: router(),
          canary: 'green',
          weight,
          interval: '100ms',
          image: image(7),
          ...(deploymentId ? { 'deployment-id': deploymentId } : {}),
        },
      }),
    )
    expect(run.exitCode).toBe(0)
    deploymentId = run.outputs['deployment-id']
    ids.push(deploymentId!)
    if (weight !== '100') expect(states(deploymentId)?.at(-1)).toBe('in_progress')
  }
  expect(new Set(ids).size).toBe(1)
  const canaries = github.deployments.filter((d) => d.payload.strategy === 'canary')
  expect(canaries).toHaveLength(1)
  expect(states(deploymentId)?.at(-1)).toBe('success')
  expect(states(deploymentId)?.filter((s) => s === 'success')).toHaveLength(1)
  expect(await weights()).toEqual({ blue: 0, green: 100 })
})

test('a held canary step is never the active deployment: the live release stays success', async () => {
  const live = await runAction(
    'blue-green-switch',
    withGitHub({ inputs: { router: router(), to: 'green', image: image(1) } }),
  )
  const held = await runAction(
    'canary-step',
    withGitHub({
      inputs: { router: router(), canary: 'blue', steps: '5', interval: '100ms', image: image(2) },
    }),
  )
  expect(held.exitCode).toBe(0)
  expect(states(held.outputs['deployment-id'])?.at(-1)).toBe('in_progress')
  expect(deployment(held.outputs['deployment-id'])?.statuses.at(-1)?.description).toContain(
    'held at 5%',
  )
  expect(states(live.outputs['deployment-id'])?.at(-1)).toBe('success')
})

describe('records per service', () => {
  test('two services in one environment, interleaved deploys: rolling back one never reads or changes the other', async () => {
    const deploy = (service: string, to: string, n: number) =>
      runAction(
        'blue-green-switch',
        withGitHub({ inputs: { router: router(), to, service, image: image(n) } }),
      )
    // orders and billing share this router in the test; each has its own records.
    await deploy('orders', 'green', 1)
    await deploy('billing', 'green', 2)
    await deploy('orders', 'blue', 3)
    const billingLive = await deploy('billing', 'blue', 4)
    const before = github.deployments
      .filter((d) => d.task === 'deploy:billing')
      .map((d) => [d.id, d.statuses.map((s) => s.state)])
    const requestsBefore = github.requests.length

    const back = await runAction(
      'rollback',
      withGitHub({ inputs: { router: router(), service: 'orders', 'nothing-to-do': 'succeed' } }),
    )
    expect(back.exitCode).toBe(0)
    const after = github.deployments
      .filter(
        (d) => d.task === 'deploy:billing' && d.id <= Number(billingLive.outputs['deployment-id']),
      )
      .map((d) => [d.id, d.statuses.map((s) => s.state)])
    expect(after).toEqual(before)
    const reads = github.requests.slice(requestsBefore).filter((r) => r.method === 'GET')
    expect(reads.length).toBeGreaterThan(0)
    for (const r of reads.filter((r) => /\/deployments\?/.test(r.path)))
      expect(r.path).toContain('task=deploy%3Aorders')
    const billingIds = new Set(
      github.deployments.filter((d) => d.task === 'deploy:billing').map((d) => d.id),
    )
    for (const r of github.requests.slice(requestsBefore)) {
      const id = Number(/\/deployments\/(\d+)/.exec(r.path)?.[1])
      expect(billingIds.has(id)).toBe(false)
    }
  })
})

test('with 300 earlier deployments, a deploy and a rollback make at most 10 API calls each', async () => {
  const earlier = github.seed({ count: 300, router: { type: 'haproxy', name: routerName() } })
  const [live, before] = [earlier.at(-1)!, earlier.at(-2)!] // live is on blue
  await routerOf().write({ blue: 100, green: 0 })
  const deploy = await runAction(
    'blue-green-switch',
    withGitHub({ inputs: { router: router(), to: 'green', image: image(301) } }),
  )
  expect(deploy.exitCode).toBe(0)
  const deployCalls = github.calls()
  expect(deployCalls).toBeLessThanOrEqual(10)
  expect(states(live)?.at(-1)).toBe('inactive')
  expect(states(before)).toEqual(['in_progress', 'success', 'inactive'])

  const back = await runAction('rollback', withGitHub({ inputs: { router: router() } }))
  expect(back.exitCode).toBe(0)
  expect(github.calls() - deployCalls).toBeLessThanOrEqual(10)
  expect(back.outputs['restored-deployment-id']).toBe(String(live))
  expect(states(deploy.outputs['deployment-id'])?.at(-1)).toBe('failure')
  expect(await weights()).toEqual({ blue: 100, green: 0 })
})

describe('when GitHub misbehaves', () => {
  test('an API that never answers: blue-green-switch goes on without the record within its budget, with a warning', async () => {
    github.inject({ hang: true, times: 1000 })
    const run = await runAction(
      'blue-green-switch',
      withGitHub({ inputs: { router: router(), to: 'green', image: image(1) } }),
    )
    expect(run.exitCode).toBe(0)
    expect(run.outputs.active).toBe('green')
    const warnings = run.warnings.join('\n')
    expect(warnings).toContain(
      'records: the deployment record is missing: GitHub gave no answer within 10 s to list the deployments of production (not asked again before traffic moves)',
    )
    // One attempt before the switch, none retried (not 4 attempts and a minute of waiting).
    expect(hangs()).toBe(1)
    expect(await weights()).toEqual({ blue: 0, green: 100 })
  })

  test('an API that never answers: canary-step walks without the record within its budget, with a warning', async () => {
    github.inject({ hang: true, times: 1000 })
    const run = await runAction(
      'canary-step',
      withGitHub({
        inputs: { router: router(), canary: 'green', steps: '50,100', interval: '100ms' },
      }),
    )
    expect(run.exitCode).toBe(0)
    expect(run.warnings.join('\n')).toContain(
      'records: the deployment record is missing: GitHub gave no answer within 10 s to list the deployments of production',
    )
    expect(hangs()).toBe(1)
    expect(await weights()).toEqual({ blue: 0, green: 100 })
  })

  test('an API that never answers: rollback to previous fails naming the cause; to: blue works without records', async () => {
    await routerOf().write({ blue: 0, green: 100 })
    github.inject({ hang: true, times: 1000 })
    const previous = await runAction('rollback', withGitHub({ inputs: { router: router() } }))
    expect(previous.exitCode).toBe(1)
    expect(previous.errors.join('\n')).toContain(
      'GitHub gave no answer within 10 s to list the deployments of production',
    )
    expect(hangs()).toBe(1)
    expect(await weights()).toEqual({ blue: 0, green: 100 })

    const named = await runAction(
      'rollback',
      withGitHub({ inputs: { router: router(), to: 'blue', record: 'false' } }),
    )
    expect(named.exitCode).toBe(0)
    expect(await weights()).toEqual({ blue: 100, green: 0 })
  })

  test('an API that never answers: rollback to: blue with records on moves traffic, then spends one budget for history and record together', async () => {
    await routerOf().write({ blue: 0, green: 100 })
    github.inject({ hang: true, times: 1000 })
    const run = await runAction(
      'rollback',
      withGitHub({ inputs: { router: router(), to: 'blue' } }),
    )
    expect(run.exitCode).toBe(0)
    expect(await weights()).toEqual({ blue: 100, green: 0 })
    expect(run.warnings.join('\n')).toContain(
      'the 30 s allowed for all GitHub calls of this step (history and record together) ran out',
    )
    // The holder read (one attempt: before the record, not retried) and the record's attempts
    // share 30 s: 3 attempts of 10 s at most (separate read and write budgets made it 6).
    expect(hangs()).toBeLessThanOrEqual(3)
  })

  test('a rate limit is a rate limit: the step goes on, the warning says when it resets and not to add permissions', async () => {
    github.inject({ rateLimit: 'primary', status: 403, resetInS: 3600, times: 1000 })
    const run = await runAction(
      'blue-green-switch',
      withGitHub({ inputs: { router: router(), to: 'green', image: image(1) } }),
    )
    expect(run.exitCode).toBe(0)
    const warnings = run.warnings.join('\n')
    expect(warnings).toContain("GitHub's rate limit stopped")
    expect(warnings).toMatch(/it resets at \d{4}-/)
    expect(warnings).toContain('not a missing permission')
    expect(warnings).not.toContain('permissions:')
    expect(await weights()).toEqual({ blue: 0, green: 100 })
  })

  test('5xx twice, then OK: retried, recorded', async () => {
    github.inject({ status: 502, times: 2, match: /^POST .*\/deployments$/ })
    const run = await runAction(
      'blue-green-switch',
      withGitHub({ inputs: { router: router(), to: 'green', image: image(1) } }),
    )
    expect(run.exitCode).toBe(0)
    expect(github.requests.filter((r) => r.fault === '502')).toHaveLength(2)
    expect(states(run.outputs['deployment-id'])).toEqual(['in_progress', 'success'])
  })

  test('403: the step fails before traffic moves and says which permission to add', async () => {
    github.inject({ status: 403, times: 10 })
    const run = await runAction(
      'blue-green-switch',
      withGitHub({ inputs: { router: router(), to: 'green', image: image(1) } }),
    )
    expect(run.exitCode).toBe(1)
    expect(run.errors[0]).toContain('Resource not accessible by integration')
    expect(run.errors[0]).toContain(
      'add `permissions: { deployments: write, contents: read }` to the job',
    )
    expect(await weights()).toEqual({ blue: 100, green: 0 })
  })

  test('202 and 409 on create are warnings with clear messages', async () => {
    github.createMode = 'merge'
    const merged = await runAction(
      'blue-green-switch',
      withGitHub({ inputs: { router: router(), to: 'green', image: image(1) } }),
    )
    expect(merged.warnings.join('\n')).toContain(
      'GitHub answered 202 without creating a deployment',
    )
    github.createMode = 'conflict'
    const conflict = await runAction(
      'blue-green-switch',
      withGitHub({ inputs: { router: router(), to: 'blue', image: image(2) } }),
    )
    expect(conflict.warnings.join('\n')).toContain('409 Conflict')
  })
})
