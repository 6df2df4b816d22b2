/**
 * canary-step's record on the fake GitHub: a canary is one deployment from its first step to
 * promotion, across jobs; only 100% and passing is success; a hanging GitHub never holds it up.
 */
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import { openRouter, parseRouterConfig, type Weights } from '../../packages/router/index.js'
import { startFakeGitHub, type FakeGitHub } from '../../scripts/sandbox/fake-github.js'
import { startSandbox, type Sandbox } from '../../scripts/sandbox/index.js'
import { expectNoSecret, runAction, startAction, type RunOptions } from '../harness.js'

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
const withGitHub = (inputs: Record<string, unknown>): RunOptions => ({
  inputs: { router: router(), environment: 'production', interval: '100ms', ...inputs } as never,
  token: github.token,
  env: { GITHUB_API_URL: github.url },
})
const statuses = (id: number) =>
  github.deployments.find((d) => d.id === id)?.statuses.map((s) => `${s.state}: ${s.description}`)
const latest = (id: number) => github.deployments.find((d) => d.id === id)?.statuses.at(-1)?.state

test('a canary walked in separate jobs is one deployment; only 100% and passing is success', async () => {
  const v1 = await runAction(
    'canary-step',
    withGitHub({ canary: 'blue', weight: 100, image: 'orders@sha256:v1' }),
  )
  expect(v1.exitCode).toBe(0)
  const live = Number(v1.outputs['deployment-id'])
  expect(latest(live)).toBe('success')

  const image = 'orders@sha256:v2'
  const first = await runAction('canary-step', withGitHub({ weight: 5, image }))
  expect(first.exitCode).toBe(0)
  const id = Number(first.outputs['deployment-id'])
  // A held 5% step is never the environment's active deployment.
  expect(latest(id)).toBe('in_progress')
  expect(latest(live)).toBe('success')
  const second = await runAction(
    'canary-step',
    withGitHub({ weight: 25, image, 'deployment-id': id }),
  )
  expect(second.outputs['deployment-id']).toBe(String(id))
  expect(latest(id)).toBe('in_progress')
  const last = await runAction(
    'canary-step',
    withGitHub({ weight: 100, image, 'deployment-id': id }),
  )
  expect(last.exitCode).toBe(0)
  expect(last.outputs).toMatchObject({
    'deployment-id': String(id),
    weight: '100',
    verdict: 'pass',
  })
  expect(await weights()).toEqual({ blue: 0, green: 100 })
  expect(github.deployments.filter((d) => d.payload.strategy === 'canary')).toHaveLength(2)
  expect(statuses(id)).toEqual([
    expect.stringMatching(/^in_progress/),
    'in_progress: canary 5%',
    'in_progress: held at 5%',
    'in_progress: canary 25%',
    'in_progress: held at 25%',
    'in_progress: canary 100%',
    'success: canary passed every step and carries 100%',
  ])
  // Success deactivates the release before.
  expect(latest(live)).toBe('inactive')
})

test('a walk stopped below 100% on purpose stays in progress; rollback sends traffic to its stable slot', async () => {
  const walk = await runAction(
    'canary-step',
    withGitHub({ steps: '5,25,50', image: 'orders@sha256:v2' }),
  )
  expect(walk.exitCode).toBe(0)
  const id = Number(walk.outputs['deployment-id'])
  expect(statuses(id)?.at(-1)).toBe('in_progress: held at 50%')
  expect(await weights()).toEqual({ blue: 50, green: 50 })
  const back = await runAction('rollback', withGitHub({ reason: 'abort the canary' }))
  expect(back.errors).toEqual([])
  expect(back.outputs).toMatchObject({ active: 'blue', previous: 'split', switched: 'true' })
  expect(back.log).toContain(`by canary deployment ${id}; its stable slot is blue`)
  expect(await weights()).toEqual({ blue: 100, green: 0 })
  // The undone canary is marked failure by the rollback's success.
  expect(latest(id)).toBe('failure')
})

test('deployment-id of another slot is refused before anything moves', async () => {
  const plan = await runAction(
    'canary-step',
    withGitHub({ weight: 0, canary: 'green', image: 'orders@sha256:v2', 'dry-run': 'true' }),
  )
  expect(plan.exitCode).toBe(0)
  const id = Number(plan.outputs['deployment-id'])
  expect(plan.outputs).toMatchObject({ live: 'blue', idle: 'green', canary: 'green' })
  const wrong = await runAction(
    'canary-step',
    withGitHub({ weight: 5, canary: 'blue', 'deployment-id': id }),
  )
  expect(wrong.exitCode).toBe(1)
  expect(wrong.errors[0]).toContain(`Input 'deployment-id' is ${id}, the record of canary to green`)
  // The plan's record is untouched: a corrected step can still continue it.
  expect(latest(id)).toBe('in_progress')
  expect(await weights()).toEqual({ blue: 100, green: 0 })
})

test('main killed mid-walk: the post step restores stable and ends the record as a failure', async () => {
  const running = await startAction(
    'canary-step',
    withGitHub({ steps: '10,50,100', interval: '30s', image: 'orders@sha256:v2' }),
  )
  await running.waitForLog('step 1/3: canary green at 10%')
  running.child.kill('SIGKILL')
  const main = await running.done
  const id = (JSON.parse(main.state.walk ?? '{}') as { deploymentId?: number }).deploymentId
  expect(id).toEqual(expect.any(Number))
  expect(latest(id!)).toBe('in_progress')
  const post = await runAction('canary-step', {
    ...withGitHub({ steps: '10,50,100' }),
    phase: 'post',
    state: main.state,
  })
  expect(post.exitCode).toBe(0)
  expect(await weights()).toEqual({ blue: 100, green: 0 })
  expect(statuses(id!)?.at(-1)).toBe(
    'failure: walk interrupted; stable blue restored by the post step',
  )
})

test('a GitHub that accepts and never answers: canary-step and blue-green-switch go on without the record, with a warning', async () => {
  github.inject({ hang: true, times: 1000 })
  const canary = await runAction(
    'canary-step',
    withGitHub({ weight: 10, image: 'orders@sha256:v2' }),
  )
  expect(canary.exitCode).toBe(0)
  expect(canary.outputs['deployment-id']).toBeUndefined()
  expect(canary.warnings.join('\n')).toMatch(/records: /)
  expect(await weights()).toEqual({ blue: 90, green: 10 })
  await routerOf().write({ blue: 100, green: 0 })
  const bg = await runAction(
    'blue-green-switch',
    withGitHub({ to: 'green', image: 'orders@sha256:v2' }),
  )
  expect(bg.exitCode).toBe(0)
  expect(bg.outputs).toMatchObject({ active: 'green', switched: 'true' })
  expect(bg.outputs['deployment-id']).toBeUndefined()
  expect(bg.warnings.join('\n')).toMatch(/records: /)
  expect(await weights()).toEqual({ blue: 0, green: 100 })
}, 300_000)

test('a gate credential never reaches a deployment status or payload, even when Prometheus echoes it in its errors', async () => {
  const secret = `s3cr3t${randomBytes(8).toString('hex')}`
  // Even a cut piece of it (descriptions are cut at 140 characters) is a leak.
  const piece = secret.slice(0, 10)
  // A Prometheus (or a proxy before it) that refuses every query and quotes our header back.
  const prometheus = createServer((req, res) => {
    res.writeHead(400, { 'content-type': 'application/json' })
    res.end(
      JSON.stringify({
        status: 'error',
        error: `${req.headers.authorization} may not run this query`,
      }),
    )
  })
  await new Promise<void>((r) => prometheus.listen(0, '127.0.0.1', r))
  try {
    const port = (prometheus.address() as { port: number }).port
    const run = await runAction(
      'canary-step',
      withGitHub({
        steps: '10,100',
        image: 'orders@sha256:v2',
        'environment-url': 'https://orders.example.com',
        gate: {
          prometheus: `http://127.0.0.1:${port}`,
          'prometheus-headers': { Authorization: `Bearer ${secret}` },
          interval: '1s',
          count: 1,
          checks: [{ name: 'e', query: 'vector(0)', max: 1 }],
        },
      }),
    )
    expect(run.exitCode).toBe(1)
    expect(await weights()).toEqual({ blue: 100, green: 0 })
    // The gate's failure was written to the record: this is where a credential could leak.
    const id = Number(run.outputs['deployment-id'])
    expect(latest(id)).toBe('failure')
    const descriptions = github.deployments.flatMap((d) => d.statuses.map((s) => s.description))
    expect(descriptions.join('\n')).toContain('Prometheus answered HTTP 400')
    for (const d of github.deployments) {
      expect(JSON.stringify(d.payload)).not.toContain(piece)
      expect(d.description ?? '').not.toContain(piece)
      for (const s of d.statuses)
        for (const field of [s.description, s.log_url, s.environment_url])
          expect(field).not.toContain(piece)
    }
    expect(JSON.stringify(github.requests)).not.toContain(piece)
    // The server quoted the header inside the 140 characters a description keeps: it was cut out.
    expect(descriptions.join('\n')).toContain('Prometheus answered HTTP 400: *** may not')
    expectNoSecret(run, secret)
    expectNoSecret(run, `Bearer ${secret}`)
  } finally {
    prometheus.closeAllConnections()
    await new Promise<void>((r) => prometheus.close(() => r()))
  }
})
