/**
 * rollback through its bundle, on real HAProxy and the fake GitHub (GitHub's semantics, checked
 * against its OpenAPI description): it decides from facts and never guesses.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { openRouter, parseRouterConfig, type Weights } from '../../packages/router/index.js'
import { startFakeGitHub, type FakeGitHub } from '../../scripts/sandbox/fake-github.js'
import { startSandbox, type Sandbox } from '../../scripts/sandbox/index.js'
import { runAction, type RunOptions } from '../harness.js'

let sandbox: Sandbox
let github: FakeGitHub
beforeAll(async () => {
  sandbox = await startSandbox({ haproxy: true, nginx: true })
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
const sha = (n: number) => String(n).repeat(40).slice(0, 40)
const withGitHub = (inputs: Record<string, unknown>, commit = 1): RunOptions => ({
  inputs: { router: router(), environment: 'production', ...inputs } as never,
  token: github.token,
  env: { GITHUB_API_URL: github.url, GITHUB_SHA: sha(commit) },
})
const deploy = async (to: 'blue' | 'green', image: string | undefined, commit: number) => {
  const run = await runAction(
    'blue-green-switch',
    withGitHub({ to, ...(image ? { image } : {}) }, commit),
  )
  expect(run.errors).toEqual([])
  return Number(run.outputs['deployment-id'])
}
const record = (id: number) => github.deployments.find((d) => d.id === id)

test('previous: back to the slot that still holds the last good release; the record names it', async () => {
  const v1 = await deploy('green', 'orders@sha256:v1', 1)
  const v2 = await deploy('blue', 'orders@sha256:v2', 2)
  const run = await runAction('rollback', withGitHub({ reason: 'v2 drops orders' }, 9))
  expect(run.errors).toEqual([])
  expect(run.exitCode).toBe(0)
  expect(await weights()).toEqual({ blue: 0, green: 100 })
  expect(run.outputs).toEqual({
    active: 'green',
    previous: 'blue',
    switched: 'true',
    'restored-deployment-id': String(v1),
    'deployment-id': expect.any(String),
    'rolled-back': 'true',
    reason: 'rolled back to green: v2 drops orders',
    verdict: 'none',
    phase: 'done',
    figures: expect.stringContaining('"decision":"move"'),
  })
  // The log says which facts it used.
  expect(run.log).toContain('facts used:')
  expect(run.log).toContain(
    `blue (live) holds deployment ${v2} (blue-green to blue, orders@sha256:v2`,
  )
  expect(run.log).toContain('green still holds orders@sha256:v1')
  const rollbackRecord = record(Number(run.outputs['deployment-id']))
  // The record's ref is the restored release's commit, so the Environments page shows what runs.
  expect(rollbackRecord?.sha).toBe(sha(1))
  expect(rollbackRecord?.payload).toMatchObject({
    strategy: 'rollback',
    service: 'orders',
    slot: 'green',
    image: 'orders@sha256:v1',
    rolled_back_id: v2,
    restored_deployment_id: v1,
    reason: 'v2 drops orders',
  })
  expect(rollbackRecord?.statuses.map((s) => s.state)).toEqual(['in_progress', 'success'])
  expect(run.summary).toContain('Rollback: blue → green')
  expect(run.summary).toContain('**Facts used**')
})

test('a failed deploy overwrote the old slot: refuses, naming both releases; to: works', async () => {
  await deploy('green', 'orders@sha256:v1', 1)
  await deploy('blue', 'orders@sha256:v2', 2)
  await sandbox.apps.green.control({ healthy: false })
  try {
    const failed = await runAction(
      'blue-green-switch',
      withGitHub({
        to: 'green',
        image: 'orders@sha256:v3',
        'health-url': `${sandbox.apps.green.url}/healthz`,
        'health-interval': '5s', // one attempt, with seconds to answer
        'health-timeout': '5s',
      }),
    )
    expect(failed.exitCode).toBe(1)
  } finally {
    await sandbox.apps.green.control({ healthy: true })
  }
  const run = await runAction('rollback', withGitHub({}))
  expect(run.exitCode).toBe(1)
  expect(run.errors[0]).toContain(
    'green was overwritten since: it held the last good release orders@sha256:v1',
  )
  expect(run.errors[0]).toContain('put orders@sha256:v3 there')
  expect(run.summary).toContain('Rollback refused: nothing moved')
  expect(run.summary).toContain('**Facts used**')
  expect(run.errors[0]).toContain('Nothing moved: traffic stays at blue 100% / green 0%.')
  expect(await weights()).toEqual({ blue: 100, green: 0 })
  // Told which slot, it goes there.
  const told = await runAction('rollback', withGitHub({ to: 'green' }))
  expect(told.exitCode).toBe(0)
  expect(await weights()).toEqual({ blue: 0, green: 100 })
})

test('a re-run finds nothing to roll back: fails by default, succeeds with nothing-to-do: succeed', async () => {
  await deploy('green', 'orders@sha256:v1', 1)
  await deploy('blue', 'orders@sha256:v2', 2)
  expect((await runAction('rollback', withGitHub({}))).exitCode).toBe(0)
  const again = await runAction('rollback', withGitHub({}))
  expect(again.exitCode).toBe(1)
  expect(again.errors[0]).toContain('green already carries 100%: nothing to roll back')
  const fine = await runAction('rollback', withGitHub({ 'nothing-to-do': 'succeed' }))
  expect(fine.exitCode).toBe(0)
  expect(fine.outputs).toMatchObject({ active: 'green', previous: 'green', switched: 'false' })
  expect(await weights()).toEqual({ blue: 0, green: 100 })
})

test('records without an image cannot prove what a slot holds: refused with that reason; the deploys warned', async () => {
  const first = await runAction('blue-green-switch', withGitHub({ to: 'green' }))
  expect(first.warnings.join('\n')).toContain('records: no `image` given')
  await deploy('blue', undefined, 2)
  const run = await runAction('rollback', withGitHub({}))
  expect(run.exitCode).toBe(1)
  expect(run.errors[0]).toContain('was recorded without an image')
  expect(await weights()).toEqual({ blue: 100, green: 0 })
})

test('previous without records fails naming the cause; to: blue works without records', async () => {
  await routerOf().write({ blue: 0, green: 100 })
  const run = await runAction('rollback', {
    inputs: { router: router(), environment: 'production' },
    token: '',
  })
  expect(run.exitCode).toBe(1)
  expect(run.errors[0]).toContain(
    'could not be read: no token was given (the `token` input is empty)',
  )
  expect(await weights()).toEqual({ blue: 0, green: 100 })
  const told = await runAction('rollback', {
    inputs: { router: router(), to: 'blue', record: 'false' },
    token: '',
  })
  expect(told.exitCode).toBe(0)
  expect(told.outputs).toMatchObject({ active: 'blue', previous: 'green', switched: 'true' })
  expect(await weights()).toEqual({ blue: 100, green: 0 })
})

test('a GitHub that accepts and never answers: previous gives up and fails naming the cause; to: blue goes on', async () => {
  await deploy('green', 'orders@sha256:v1', 1)
  github.inject({ hang: true, times: 1000 })
  const run = await runAction('rollback', withGitHub({}))
  expect(run.exitCode).toBe(1)
  // Within ~20 s (its own deadline or the records' read budget, whichever ends first).
  expect(run.errors[0]).toMatch(
    /to: previous needs this service's deployment records, and they could not be read: .*(did not answer within 20 s|no answer within 10 s)/,
  )
  expect(run.errors[0]).toContain('Nothing moved: traffic stays at blue 0% / green 100%.')
  expect(await weights()).toEqual({ blue: 0, green: 100 })
  const told = await runAction('rollback', withGitHub({ to: 'blue', record: 'false' }))
  expect(told.exitCode).toBe(0)
  expect(told.outputs).toMatchObject({ active: 'blue', switched: 'true' })
  expect(await weights()).toEqual({ blue: 100, green: 0 })
}, 120_000)

test('traffic split and no canary record: refuses and asks for to:', async () => {
  await deploy('green', 'orders@sha256:v1', 1)
  await routerOf().write({ blue: 40, green: 60 })
  const run = await runAction('rollback', withGitHub({}))
  expect(run.exitCode).toBe(1)
  expect(run.errors[0]).toContain(
    'traffic is split (blue 40% / green 60%) and no unfinished canary record explains it',
  )
  expect(await weights()).toEqual({ blue: 40, green: 60 })
})

test('a deploy without a record (lost to an outage) is never "undone": refused', async () => {
  await deploy('green', 'orders@sha256:v1', 1)
  await deploy('blue', 'orders@sha256:v2', 2)
  await routerOf().write({ blue: 0, green: 100 }) // a release went live without a record
  const run = await runAction('rollback', withGitHub({}))
  expect(run.exitCode).toBe(1)
  expect(run.errors[0]).toContain('the records do not explain the router')
  expect(await weights()).toEqual({ blue: 0, green: 100 })
})

test('two services in one environment: rolling back one never reads or changes the other', async () => {
  const nginxOf = () => openRouter(parseRouterConfig(sandbox.nginx!.router))
  await nginxOf().write({ blue: 100, green: 0 })
  const payments = (inputs: Record<string, unknown>) => {
    const options = withGitHub({ service: 'payments', ...inputs })
    return { ...options, inputs: { ...options.inputs, router: sandbox.nginx!.router } as never }
  }
  const deployPayments = async (to: 'blue' | 'green', image: string) => {
    const run = await runAction('blue-green-switch', payments({ to, image }))
    expect(run.errors).toEqual([])
    return Number(run.outputs['deployment-id'])
  }
  // Interleaved: orders v1, payments p1, orders v2, payments p2.
  await deploy('green', 'orders@sha256:v1', 1)
  const p1 = await deployPayments('green', 'payments@sha256:p1')
  await deploy('blue', 'orders@sha256:v2', 2)
  const p2 = await deployPayments('blue', 'payments@sha256:p2')
  const paymentsBefore = JSON.stringify(
    github.deployments.filter((d) => d.payload.service === 'payments'),
  )
  github.requests.length = 0

  const run = await runAction('rollback', withGitHub({}))
  expect(run.errors).toEqual([])
  expect(run.outputs).toMatchObject({ active: 'green', switched: 'true' })
  expect(await weights()).toEqual({ blue: 0, green: 100 })
  expect(await nginxOf().read()).toEqual({ blue: 100, green: 0 })
  // Never read: listings ask GitHub for this service's task only; no status of payments is read.
  const listings = github.requests.filter(
    (r) => r.method === 'GET' && /\/deployments\?/.test(r.path),
  )
  expect(listings.length).toBeGreaterThan(0)
  for (const r of listings) expect(r.path).toContain('task=deploy%3Aorders')
  for (const id of [p1, p2])
    expect(github.requests.some((r) => r.path.includes(`/deployments/${id}`))).toBe(false)
  // Never changed.
  expect(JSON.stringify(github.deployments.filter((d) => d.payload.service === 'payments'))).toBe(
    paymentsBefore,
  )
})

describe('health-url is checked before traffic moves', () => {
  let server: Server
  let base = ''
  beforeAll(async () => {
    // blue answers 503, green 200: /healthz/{{slot}}
    server = createServer((req, res) => {
      res.writeHead(req.url === '/healthz/green' ? 200 : 503)
      res.end()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })

  test('an unhealthy target: nothing moves; a healthy one: traffic moves', async () => {
    await routerOf().write({ blue: 0, green: 100 })
    const health = {
      'health-url': `${base}/healthz/{{slot}}`,
      // One answer decides, and the server has seconds to give it (interval = timeout: one
      // attempt): three answers within 300 ms was a race a loaded machine could lose.
      'health-checks': '1',
      'health-interval': '5s',
      'health-timeout': '5s',
    }
    const bad = await runAction('rollback', {
      inputs: { router: router(), to: 'blue', record: 'false', ...health },
      token: '',
    })
    expect(bad.exitCode).toBe(1)
    expect(bad.errors[0]).toContain(`health check of ${base}/healthz/blue did not pass`)
    expect(await weights()).toEqual({ blue: 0, green: 100 })
    await routerOf().write({ blue: 100, green: 0 })
    const good = await runAction('rollback', {
      inputs: { router: router(), to: 'green', record: 'false', ...health },
      token: '',
    })
    expect(good.exitCode).toBe(0)
    expect(good.warnings.join('\n')).not.toContain('no health-url')
    expect(await weights()).toEqual({ blue: 0, green: 100 })
  })

  test('without health-url the rollback says so in a warning and in the summary', async () => {
    await routerOf().write({ blue: 0, green: 100 })
    const run = await runAction('rollback', {
      inputs: { router: router(), to: 'blue', record: 'false' },
      token: '',
    })
    expect(run.exitCode).toBe(0)
    expect(run.warnings.join('\n')).toContain('no health-url')
    expect(run.summary).toContain('⚠️ none: no health-url')
  })
})
