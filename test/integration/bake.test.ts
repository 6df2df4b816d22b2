/**
 * The bake after a blue-green switch (issue 20 item 2), through the bundle on real HAProxy and a
 * real Prometheus scraping the sandbox apps under load: a bake that passes keeps the new slot; a
 * new slot answering errors, a Prometheus that is down, or a cancelled run put the old slot back
 * at 100% with a rollback record; the outputs say verdict, phase and the figures that decided it.
 */
import { openRouter, parseRouterConfig, type Weights } from '../../packages/router/index.js'
import { startFakeGitHub, type FakeGitHub } from '../../scripts/sandbox/fake-github.js'
import { freePort, startSandbox, type LoadRun, type Sandbox } from '../../scripts/sandbox/index.js'
import { runAction, startAction, type ActionRun, type RunOptions } from '../harness.js'

let sandbox: Sandbox
let load: LoadRun
let github: FakeGitHub
let versions = 0

beforeAll(async () => {
  sandbox = await startSandbox({ haproxy: true, prometheus: true })
  load = await sandbox.load(sandbox.haproxy!.url, { concurrency: 2, keepalive: true })
  await sandbox.prometheus!.waitForData('sum(rate(http_requests_total{slot="blue"}[5s])) > 0')
}, 60_000)
afterAll(async () => {
  await load?.stop()
  await sandbox?.stop()
})
beforeEach(async () => {
  github = await startFakeGitHub()
  await routerOf().write({ blue: 0, green: 100 })
  // The last good release goes onto blue through the action, so its record says what blue holds.
  const good = await runAction('blue-green-switch', withGitHub({ to: 'blue', image: IMAGE_V1 }))
  expect(good.exitCode).toBe(0)
})
afterEach(async () => {
  expect(github.violations).toEqual([])
  await github.stop()
  await sandbox.apps.green.control({ errorRate: 0 })
})

const IMAGE_V1 = 'orders@sha256:' + '1'.repeat(64)
const IMAGE_V2 = 'orders@sha256:' + '2'.repeat(64)
const router = () => sandbox.haproxy!.router
const routerOf = () => openRouter(parseRouterConfig(router()))
const weights = (): Promise<Weights> => routerOf().read()
const withGitHub = (inputs: Record<string, unknown>): RunOptions => ({
  inputs: { router: router(), environment: 'production', service: 'orders', ...inputs } as never,
  token: github.token,
  env: { GITHUB_API_URL: github.url },
})
const deployment = (id: string | undefined) => github.deployments.find((d) => d.id === Number(id))
const latest = (id: string | undefined) => deployment(id)?.statuses.at(-1)

/** A fresh version label on green, so each bake sees only its own release's counters. */
async function newRelease(change: { errorRate?: number } = {}): Promise<string> {
  const version = `bake-${++versions}`
  await sandbox.apps.green.control({ version, errorRate: change.errorRate ?? 0 })
  return version
}

/** The bake gate: green's error ratio over the last 3 s, with at least 20 requests as evidence. */
const bakeGate = (version: string, extra: Record<string, unknown> = {}) => ({
  prometheus: sandbox.prometheus!.url,
  interval: '1s',
  count: 3,
  'max-wait': '30s',
  vars: { version },
  checks: [
    {
      name: 'error-rate',
      query:
        'sum(rate(http_requests_total{slot="{{canary}}",version="{{version}}",code="500"}[3s])) / sum(rate(http_requests_total{slot="{{canary}}",version="{{version}}"}[3s]))',
      samples: 'sum(increase(http_requests_total{slot="{{canary}}",version="{{version}}"}[3s]))',
      'min-samples': 20,
      max: 0.05,
    },
  ],
  ...extra,
})

interface CheckFigures {
  check: string
  looks: number
  passed: number
  failed: number
  errors: number
  value?: number
  samples?: number
  outcome: string
}
const figuresOf = (run: ActionRun) =>
  JSON.parse(run.outputs.figures ?? 'null') as { checks: CheckFigures[] }

/** The rollback record written after `undone` was put back: the same shape canary's self-rollback writes. */
function expectRollbackRecord(undone: string | undefined, reason: RegExp) {
  const rollbacks = github.deployments.filter((d) => d.payload.strategy === 'rollback')
  expect(rollbacks).toHaveLength(1)
  const record = rollbacks[0]!
  const good = github.deployments.find(
    (d) => d.payload.strategy === 'blue-green' && d.payload.image === IMAGE_V1,
  )!
  expect(record.payload).toMatchObject({
    strategy: 'rollback',
    slot: 'blue',
    weights: { blue: 100, green: 0 },
    rolled_back_id: Number(undone),
    restored_deployment_id: good.id,
    image: IMAGE_V1,
  })
  expect(String(record.payload.reason)).toMatch(reason)
  expect(record.statuses.at(-1)?.state).toBe('success')
}

test('a bake that passes keeps the new slot live, records success and says verdict pass', async () => {
  const version = await newRelease()
  const run = await runAction(
    'blue-green-switch',
    withGitHub({ to: 'green', image: IMAGE_V2, bake: bakeGate(version) }),
  )
  expect(run.errors).toEqual([])
  expect(run.exitCode).toBe(0)
  expect(await weights()).toEqual({ blue: 0, green: 100 })
  expect(run.outputs).toMatchObject({
    active: 'green',
    switched: 'true',
    verdict: 'pass',
    phase: 'done',
    'rolled-back': 'false',
    reason: '',
  })
  const [check] = figuresOf(run).checks
  expect(check).toMatchObject({ check: 'error-rate', looks: 3, passed: 3, failed: 0, value: 0 })
  expect(check!.samples).toBeGreaterThanOrEqual(20)
  expect(run.log).toMatch(/bake: the gate judges green with all traffic: 3 look\(s\) 1s apart/)
  const id = run.outputs['deployment-id']
  expect(latest(id)).toMatchObject({ state: 'success', description: 'blue -> green; bake passed' })
  expect(deployment(id)!.statuses.map((s) => s.description)).toContain(
    'bake: green judged by the gate',
  )
  expect(github.deployments.filter((d) => d.payload.strategy === 'rollback')).toEqual([])
}, 90_000)

test('a new slot answering errors fails its bake: the old slot is back at 100%, the records say so, exit 1', async () => {
  const version = await newRelease({ errorRate: 1 })
  const run = await runAction(
    'blue-green-switch',
    withGitHub({ to: 'green', image: IMAGE_V2, bake: bakeGate(version) }),
  )
  expect(run.exitCode).toBe(1)
  expect(await weights()).toEqual({ blue: 100, green: 0 })
  expect(run.outputs).toMatchObject({
    active: 'blue',
    live: 'blue',
    idle: 'green',
    verdict: 'fail',
    phase: 'bake',
    'rolled-back': 'true',
  })
  expect(run.outputs.reason).toMatch(
    /^bake fail: error-rate failed 1 time\(s\), more than failure-limit 0.*; the old slot is back at 100%$/,
  )
  const [check] = figuresOf(run).checks
  expect(check).toMatchObject({ check: 'error-rate', failed: 1, outcome: 'fail', value: 1 })
  expect(run.errors[0]).toMatch(
    /bake fail: error-rate failed .*; traffic is back on the old slot \(blue carries 100%\)\./,
  )
  // The release's deployment ends failure; the rollback record names it as undone.
  const id = run.outputs['deployment-id']
  expect(latest(id)).toMatchObject({ state: 'failure' })
  expect(latest(id)!.description).toMatch(/^bake fail: .*; blue back at 100%$/)
  expectRollbackRecord(id, /^bake fail: error-rate failed/)
  expect(run.summary).toContain(
    'Blue-green switch: green failed its bake (fail), blue is back at 100%',
  )
}, 90_000)

test('a bake whose Prometheus is down is not a pass (fail-closed): the old slot is back', async () => {
  const version = await newRelease()
  const down = `http://127.0.0.1:${await freePort()}`
  const run = await runAction(
    'blue-green-switch',
    withGitHub({
      to: 'green',
      image: IMAGE_V2,
      bake: bakeGate(version, { prometheus: down, interval: '500ms', count: 2 }),
    }),
  )
  expect(run.exitCode).toBe(1)
  expect(await weights()).toEqual({ blue: 100, green: 0 })
  expect(run.outputs).toMatchObject({
    verdict: 'inconclusive',
    phase: 'bake',
    'rolled-back': 'true',
  })
  expect(run.outputs.reason).toMatch(/^bake inconclusive: error-rate never produced a value/)
  const [check] = figuresOf(run).checks
  expect(check).toMatchObject({ check: 'error-rate', errors: 2, passed: 0, outcome: 'error' })
  expect(check!.value).toBeUndefined()
  expect(latest(run.outputs['deployment-id'])).toMatchObject({ state: 'failure' })
  expectRollbackRecord(run.outputs['deployment-id'], /^bake inconclusive/)
}, 90_000)

test('a run cancelled during the bake puts the old slot back and says verdict cancelled', async () => {
  const version = await newRelease()
  const started = await startAction(
    'blue-green-switch',
    withGitHub({
      to: 'green',
      image: IMAGE_V2,
      bake: bakeGate(version, { interval: '2s', count: 30, 'max-wait': '2m' }),
    }),
  )
  await started.waitForLog('bake: the gate judges green')
  expect(await weights()).toEqual({ blue: 0, green: 100 })
  started.child.kill('SIGINT')
  const run = await started.done
  expect(run.exitCode).toBe(1)
  expect(await weights()).toEqual({ blue: 100, green: 0 })
  expect(run.log).toContain('received SIGINT: stopping the bake and putting the old slot back')
  expect(run.outputs).toMatchObject({ verdict: 'cancelled', phase: 'bake', 'rolled-back': 'true' })
  expect(latest(run.outputs['deployment-id'])).toMatchObject({ state: 'failure' })
  expectRollbackRecord(run.outputs['deployment-id'], /^bake cancelled/)
}, 90_000)

test('without a bake the outputs still say verdict none and phase done', async () => {
  const run = await runAction('blue-green-switch', withGitHub({ to: 'green', image: IMAGE_V2 }))
  expect(run.exitCode).toBe(0)
  expect(run.outputs).toMatchObject({
    verdict: 'none',
    phase: 'done',
    figures: '{}',
    'rolled-back': 'false',
  })
}, 60_000)

test('canary-step and rollback give the same outputs: verdict, phase and figures', async () => {
  const version = await newRelease({ errorRate: 1 })
  const canary = await runAction(
    'canary-step',
    withGitHub({
      canary: 'green',
      steps: '50,100',
      interval: '1s',
      image: IMAGE_V2,
      gate: bakeGate(version),
    }),
  )
  expect(canary.exitCode).toBe(1)
  expect(await weights()).toEqual({ blue: 100, green: 0 })
  expect(canary.outputs).toMatchObject({ verdict: 'fail', phase: 'weight', 'rolled-back': 'true' })
  const figures = JSON.parse(canary.outputs.figures!) as { step: number; checks: CheckFigures[] }
  expect(figures.step).toBe(50)
  expect(figures.checks[0]).toMatchObject({ check: 'error-rate', failed: 1, value: 1 })

  await sandbox.apps.green.control({ errorRate: 0 })
  await routerOf().write({ blue: 0, green: 100 })
  const rollback = await runAction('rollback', withGitHub({ to: 'blue' }))
  expect(rollback.exitCode).toBe(0)
  expect(rollback.outputs).toMatchObject({ verdict: 'none', phase: 'done', 'rolled-back': 'true' })
  expect(JSON.parse(rollback.outputs.figures!)).toMatchObject({
    decision: 'move',
    facts: expect.any(Array),
  })
}, 90_000)
