/**
 * The reusable workflows users call, run from their own files (scripts/workflow-runner.ts reads
 * jobs, needs, if, steps, with, env, outputs) through the action bundles, against real HAProxy and
 * the fake GitHub: plan -> deploy command -> switch or canary -> automatic rollback.
 */
import { spawnSync } from 'node:child_process'
import { connect } from 'node:net'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { runAction, ROOT } from '../harness.js'
import { freePort, startSandbox, type Sandbox } from '../../scripts/sandbox/index.js'
import { startFakeGitHub, type FakeGitHub } from '../../scripts/sandbox/fake-github.js'
import {
  ConcurrencyGroups,
  runWorkflow,
  type JobRun,
  type StepRunner,
} from '../../scripts/workflow-runner.js'

let sandbox: Sandbox
let github: FakeGitHub
let dir: string

beforeAll(async () => {
  sandbox = await startSandbox({ haproxy: true })
  dir = mkdtempSync(join(tmpdir(), 'cutover-reusable-'))
})
afterAll(async () => {
  await sandbox?.stop()
})
beforeEach(async () => {
  logs = {}
  github = await startFakeGitHub()
  await routerAt({ blue: 100, green: 0 })
})
afterEach(async () => {
  if (process.env.DUMP_LOGS)
    console.log(
      JSON.stringify(logs, null, 1),
      JSON.stringify(
        github?.deployments.map((d) => [
          d.id,
          d.task,
          d.payload,
          d.statuses.map((s) => [s.state, s.description]),
        ]),
      ),
    )
  await github?.stop()
})

const load = (file: string) => parse(readFileSync(join(ROOT, '.github/workflows', file), 'utf8'))
const results = (jobs: Record<string, JobRun>) =>
  Object.fromEntries(Object.entries(jobs).map(([id, j]) => [id, j.result]))
/** deploy-canary.yml's generated step jobs from `from` on, all skipped. */
const skippedSteps = (from: number) =>
  Object.fromEntries(
    Object.keys(load('deploy-canary.yml').jobs as Record<string, unknown>)
      .filter((id) => /^step-\d+$/.test(id) && Number(id.slice(5)) >= from)
      .map((id) => [id, 'skipped']),
  )
const IMAGE = `ghcr.io/acme/orders@sha256:${'1'.repeat(64)}`

async function routerAt(weights: { blue: number; green: number }) {
  const run = await runAction('rollback', {
    inputs: {
      router: sandbox.haproxy!.router,
      to: weights.blue === 100 ? 'blue' : 'green',
      'nothing-to-do': 'succeed',
      record: 'false',
    },
  })
  expect(run.exitCode).toBe(0)
}

/** The weights on HAProxy, read from its runtime API (works when traffic is split, too). */
async function weights(): Promise<string> {
  const blue = (await ask('get weight web/web-blue')).split(' ')[0]
  const green = (await ask('get weight web/web-green')).split(' ')[0]
  return `blue ${blue} / green ${green}`
}

/** One runtime-API command to the sandbox's HAProxy. */
function ask(command: string): Promise<string> {
  const [host, port] = (sandbox.haproxy!.router as { address: string }).address.split(':')
  return new Promise<string>((resolve, reject) => {
    let answer = ''
    const socket = connect(Number(port), host as string, () => socket.end(`${command}\n`))
    socket.setTimeout(5000, () => socket.destroy(new Error(`HAProxy did not answer ${command}`)))
    socket.on('data', (chunk) => (answer += chunk))
    socket.on('error', reject)
    socket.on('close', () => resolve(answer.trim()))
  })
}

/** What each step printed, by `<label>/<job>`: the log a person reads on the run's page. */
let logs: Record<string, string> = {}

/** Runs our actions through their bundles and `run:` steps through bash; `label` names the run in `logs`. */
const runnerFor = (label: string): StepRunner => ({
  async action(name, inputs, env, step) {
    const run = await runAction(name, {
      inputs,
      token: github.token,
      env: { ...env, GITHUB_API_URL: github.url },
    })
    const key = `${label}/${step.job}`
    logs[key] = `${logs[key] ?? ''}${run.log}${run.errors.map((e) => `::error::${e}\n`).join('')}`
    return { ok: run.exitCode === 0, outputs: run.outputs as Record<string, string> }
  },
  async shell(script, env, step) {
    const output = join(dir, `output-${Math.random().toString(36).slice(2)}`)
    writeFileSync(output, '')
    const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
      env: { PATH: process.env.PATH ?? '', ...env, GITHUB_OUTPUT: output },
      encoding: 'utf8',
      timeout: 60_000,
    })
    const key = `${label}/${step.job}`
    logs[key] = `${logs[key] ?? ''}${result.stdout ?? ''}`
    const outputs = Object.fromEntries(
      readFileSync(output, 'utf8')
        .split('\n')
        .filter((l) => l.includes('='))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    )
    return { ok: result.status === 0, outputs }
  },
})
const runner = runnerFor('run')

const inputs = (more: Record<string, string | boolean> = {}) => ({
  environment: 'production',
  service: 'orders',
  image: IMAGE,
  router: JSON.stringify(sandbox.haproxy!.router),
  'runs-on': '["self-hosted","lb-network"]',
  ...more,
})

test('deploy-blue-green.yml: plan, the deploy command onto the idle slot, the switch; one deployment, success', async () => {
  const log = join(dir, 'deployed-bg')
  const run = await runWorkflow(load('deploy-blue-green.yml'), {
    inputs: inputs({
      'deploy-command': `printf '%s %s %s\\n' "$CUTOVER_SLOT" "$CUTOVER_IMAGE" "$CUTOVER_SERVERS" > ${log}`,
      'health-url': `${sandbox.apps.green.url}/healthz`,
    }),
    runner,
  })
  expect(Object.fromEntries(Object.entries(run.jobs).map(([id, j]) => [id, j.result]))).toEqual({
    plan: 'success',
    deploy: 'success',
    switch: 'success',
    rollback: 'skipped',
  })
  const [slot, image, servers] = readFileSync(log, 'utf8').trim().split(' ')
  expect({ slot, image, servers: JSON.parse(servers ?? '[]') }).toEqual({
    slot: 'green',
    image: IMAGE,
    servers: [{ name: 'web-green', address: `127.0.0.1:${sandbox.apps.green.port}` }],
  })
  expect(run.outputs).toEqual(
    expect.objectContaining({ slot: 'green', previous: 'blue', active: 'green' }),
  )
  expect(await weights()).toBe('blue 0 / green 100')
  expect(github.deployments).toHaveLength(1)
  expect(github.deployments[0]!.statuses.at(-1)!.state).toBe('success')
})

test('deploy-blue-green.yml: a failing deploy command runs the rollback job; traffic stays, the release is a failure', async () => {
  const run = await runWorkflow(load('deploy-blue-green.yml'), {
    inputs: inputs({ 'deploy-command': 'echo "no such cluster" >&2; exit 3' }),
    runner,
  })
  expect(Object.fromEntries(Object.entries(run.jobs).map(([id, j]) => [id, j.result]))).toEqual({
    plan: 'success',
    deploy: 'failure',
    switch: 'skipped',
    rollback: 'success',
  })
  expect(await weights()).toBe('blue 100 / green 0')
  const release = github.deployments.find((d) => String(d.payload.image ?? '') === IMAGE)
  expect(release?.statuses.at(-1)?.state).toBe('failure')
})

test("deploy-blue-green.yml: the environment's BAKE_GATE bakes the switch; a bake that cannot be judged puts the old slot back and the workflow says so", async () => {
  // A Prometheus that is down: the bake is inconclusive, never a pass (fail-closed).
  const down = await freePort()
  const run = await runWorkflow(load('deploy-blue-green.yml'), {
    inputs: inputs({ 'deploy-command': 'true' }),
    vars: {
      BAKE_GATE: JSON.stringify({
        prometheus: `http://127.0.0.1:${down}`,
        interval: '200ms',
        count: 2,
        checks: [{ name: 'up', query: 'up{slot="{{canary}}"}', min: 1 }],
      }),
    },
    runner,
  })
  expect(results(run.jobs)).toEqual({
    plan: 'success',
    deploy: 'success',
    switch: 'failure',
    rollback: 'success',
  })
  expect(await weights()).toBe('blue 100 / green 0')
  expect(run.outputs).toEqual(
    expect.objectContaining({
      active: 'blue',
      'rolled-back': 'true',
      verdict: 'inconclusive',
      phase: 'bake',
      reason: expect.stringMatching(/^bake inconclusive: up never produced a value/),
    }),
  )
  expect(JSON.parse(run.outputs.figures ?? '{}')).toMatchObject({
    checks: [{ check: 'up', errors: 2, passed: 0 }],
  })
  const release = github.deployments.find((d) => String(d.payload.image ?? '') === IMAGE)
  expect(release?.statuses.at(-1)?.state).toBe('failure')
  const rollback = github.deployments.find((d) => d.payload.strategy === 'rollback')
  expect(rollback?.payload).toMatchObject({ slot: 'blue', rolled_back_id: release?.id })
})

test('deploy-canary.yml while traffic is split (a walk in progress): no slot is idle, nothing is deployed', async () => {
  await ask('set server web/web-blue weight 90; set server web/web-green weight 10')
  const log = join(dir, 'deployed-split')
  const run = await runWorkflow(load('deploy-canary.yml'), {
    inputs: inputs({ 'deploy-command': `echo "$CUTOVER_SLOT" > ${log}`, steps: '50,100' }),
    runner,
  })
  expect(run.jobs.deploy?.result).toBe('failure')
  expect(existsSync(log)).toBe(false)
  // No record was opened for a slot another walk uses, so the rollback job has nothing of this
  // run's to undo and never guesses: traffic stays where the other walk left it.
  expect(github.deployments).toHaveLength(0)
  expect(await weights()).toBe('blue 90 / green 10')
})

test('deploy-canary.yml with a job per step: cancelled during the pause, the rollback job puts the stable slot back', async () => {
  const run = await runWorkflow(load('deploy-canary.yml'), {
    inputs: inputs({
      'deploy-command': 'true',
      steps: '5,25,100',
      interval: '1s',
      'step-jobs': true,
    }),
    runner,
    // Someone cancels the run while step 2 waits for its environment.
    beforeJob: (id) => (id === 'step-2' ? 'cancel' : undefined),
  })
  expect(results(run.jobs)).toEqual({
    plan: 'success',
    deploy: 'success',
    canary: 'skipped',
    'step-1': 'success',
    'step-2': 'cancelled',
    ...skippedSteps(3),
    rollback: 'success',
  })
  expect(run.jobs['step-1']!.outputs.weight).toBe('5')
  expect(await weights()).toBe('blue 100 / green 0')
  // One deployment carried the walk across jobs, and it ended as a failure.
  const release = github.deployments.filter((d) => String(d.payload.image ?? '') === IMAGE)
  expect(release).toHaveLength(1)
  expect(release[0]!.statuses.map((s) => s.description)).toEqual(
    expect.arrayContaining([expect.stringContaining('5%')]),
  )
  expect(release[0]!.statuses.at(-1)!.state).toBe('failure')
})

test('rollback.yml: after two releases, the button puts traffic back on the one before', async () => {
  for (const [n, slot] of [
    [1, 'green'],
    [2, 'blue'],
  ] as const) {
    const run = await runWorkflow(load('deploy-blue-green.yml'), {
      inputs: inputs({
        image: `ghcr.io/acme/orders@sha256:${String(n).repeat(64)}`,
        'deploy-command': 'true',
        'health-url': `${sandbox.apps[slot].url}/healthz`,
      }),
      runner,
    })
    expect(run.outputs.active).toBe(slot)
  }
  expect(await weights()).toBe('blue 100 / green 0')
  const run = await runWorkflow(load('rollback.yml'), {
    inputs: {
      environment: 'production',
      service: 'orders',
      'runs-on': 'self-hosted',
      router: JSON.stringify(sandbox.haproxy!.router),
      'health-url': `${sandbox.apps.green.url}/healthz`,
      reason: 'smoke tests failed',
    },
    runner,
  })
  // No walk was in progress: the abort job says so and the rollback moves traffic itself.
  expect(results(run.jobs)).toEqual({ abort: 'success', rollback: 'success' })
  expect(run.jobs.abort?.outputs['aborted-deployment-id']).toBe('')
  expect(run.outputs.active).toBe('green')
  expect(run.outputs['rolled-back']).toBe('true')
  expect(run.outputs).toMatchObject({ verdict: 'none', phase: 'done' })
  expect(JSON.parse(run.outputs.figures ?? '{}')).toMatchObject({ decision: 'move' })
  expect(await weights()).toBe('blue 0 / green 100')
})

// ---------------------------------------------------------------------------------------------
// Runs that overlap, the rollback button during a walk, several services (issue 18 items 3, 4, 8, 9)

const image = (c: string) => `ghcr.io/acme/orders@sha256:${c.repeat(64)}`
const releaseOf = (img: string) => github.deployments.find((d) => String(d.payload.image) === img)
const descriptions = (img: string) => (releaseOf(img)?.statuses ?? []).map((s) => s.description)
const states = (img: string) => (releaseOf(img)?.statuses ?? []).map((s) => s.state)

/** Polls until `ready()` (a deadline, not a timing assertion: the test fails if it never holds). */
async function until(ready: () => boolean | Promise<boolean>, what: string, ms = 60_000) {
  const deadline = Date.now() + ms
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** A promise and the function that resolves it. */
function signal() {
  let fire!: () => void
  const fired = new Promise<void>((resolve) => (fire = resolve))
  return { fired, fire }
}

const button = (more: Record<string, string> = {}) => ({
  environment: 'production',
  service: 'orders',
  'runs-on': 'self-hosted',
  router: JSON.stringify(sandbox.haproxy!.router),
  reason: 'on-call pressed rollback',
  ...more,
})

test.each([
  // Held at 50%: neither slot carries less, so the next plan cannot even name a canary and stops
  // there (no record, no deploy, no rollback job).
  ['5,25,50', { plan: 'failure', deploy: 'skipped', rollback: 'skipped' }],
  // Held at 25%, a next walk that starts at 50%: its plan sees no idle slot and opens no record;
  // the deploy job stops before the deploy command; the rollback job runs, with no deployment
  // id, and changes nothing. (A next walk starting at 25% or below already stops at its plan.)
  ['5,25', { plan: 'success', deploy: 'failure', rollback: 'success' }],
])(
  'deploy-canary.yml: a walk held on purpose (steps: %s), then the next push: nothing of the held walk is touched',
  async (steps, jobs) => {
    const held = await runWorkflow(load('deploy-canary.yml'), {
      inputs: inputs({ image: image('a'), 'deploy-command': 'true', steps, interval: '1s' }),
      runner: runnerFor('held'),
    })
    expect(held.jobs.canary?.result).toBe('success')
    const split = await weights()
    expect(split).not.toBe('blue 100 / green 0')

    const next = await runWorkflow(load('deploy-canary.yml'), {
      inputs: inputs({ image: image('b'), 'deploy-command': 'true', steps: '50,100' }),
      runner: runnerFor('next'),
    })
    expect(results(next.jobs)).toEqual(expect.objectContaining(jobs))
    expect(next.outputs['deployment-id']).toBe('')
    expect(next.outputs['rolled-back']).toBe('false')
    // The rollback job, when it ran, had nothing of its own to undo.
    if (jobs.rollback === 'success') expect(logs['next/rollback']).toContain('nothing to undo')
    expect(await weights()).toBe(split)
    expect(releaseOf(image('b'))).toBeUndefined()
    // The held walk is not marked failure: it is still the release in progress.
    expect(states(image('a'))).not.toContain('failure')
    expect(states(image('a')).at(-1)).toBe('in_progress')
  },
)

test.each([
  ['the second run plans while the first walk holds traffic split', false],
  ['the second run plans before the first walk moved traffic', true],
])(
  "deploy-canary.yml, two overlapping runs (%s): each rollback job touches only its own run's work; the walk of the newest plan finishes",
  async (_, secondPlansFirst) => {
    const groups = new ConcurrencyGroups()
    const firstPlanned = signal()
    const secondPlanned = signal()
    const stepOneDone = signal()
    const secondDone = signal()
    let splitBefore = ''
    let splitAfter = ''
    const first = runWorkflow(load('deploy-canary.yml'), {
      inputs: inputs({
        image: image('a'),
        'deploy-command': 'true',
        steps: '5,50,100',
        interval: '1s',
        'step-jobs': true,
      }),
      runner: runnerFor('first'),
      concurrency: groups,
      label: 'first',
      beforeJob: async (id) => {
        if (id === 'deploy' && secondPlansFirst) await secondPlanned.fired
        // The pause before step 2: the second run comes and goes meanwhile.
        if (id === 'step-2') {
          await secondDone.fired
          splitAfter = await weights()
        }
      },
      afterJob: (id) => {
        if (id === 'plan') firstPlanned.fire()
        if (id === 'step-1') stepOneDone.fire()
      },
    })
    await (secondPlansFirst ? firstPlanned.fired : stepOneDone.fired)
    const second = runWorkflow(load('deploy-canary.yml'), {
      inputs: inputs({
        image: image('b'),
        'deploy-command': 'true',
        steps: '5,50,100',
        interval: '1s',
        'step-jobs': true,
      }),
      runner: runnerFor('second'),
      concurrency: groups,
      label: 'second',
      beforeJob: async (id) => {
        if (id === 'deploy') {
          await stepOneDone.fired
          splitBefore = await weights()
        }
      },
      afterJob: (id) => {
        if (id === 'plan') secondPlanned.fire()
      },
    }).finally(() => secondDone.fire())
    const [a, b] = await Promise.all([first, second])

    if (secondPlansFirst) {
      // Both plans ran before either walk moved: the second run's deploy job may overwrite the
      // slot, so the newest plan wins. The first run's step stands down before it moves anything,
      // its rollback job changes nothing, and the second run deploys and walks to 100%.
      expect(results(a.jobs)).toEqual(
        expect.objectContaining({ plan: 'success', deploy: 'success', 'step-1': 'failure' }),
      )
      expect(logs['first/step-1']).toContain('superseded by deployment')
      expect(logs['first/rollback']).toContain(`not this run's`)
      expect(a.outputs['rolled-back']).toBe('false')
      expect(splitBefore).toBe('blue 100 / green 0')
      expect(results(b.jobs)).toEqual(
        expect.objectContaining({ deploy: 'success', 'step-3': 'success' }),
      )
      expect(states(image('a')).at(-1)).toBe('failure')
      expect(states(image('b')).at(-1)).toBe('success')
      expect(await weights()).toBe('blue 0 / green 100')
      return
    }
    // The second run deployed nothing, and its rollback job changed nothing.
    expect(results(b.jobs)).toEqual(
      expect.objectContaining({ plan: 'success', deploy: 'failure', rollback: 'success' }),
    )
    expect(b.outputs['rolled-back']).toBe('false')
    expect(splitBefore).not.toBe('blue 100 / green 0')
    expect(splitAfter).toBe(splitBefore)
    expect(b.outputs['deployment-id']).toBe('')
    expect(logs['second/rollback']).toContain('nothing to undo')
    // The first walk was never marked failure and went on to 100%.
    expect(results(a.jobs)).toEqual(
      expect.objectContaining({ 'step-1': 'success', 'step-2': 'success', 'step-3': 'success' }),
    )
    expect(states(image('a'))).not.toContain('failure')
    expect(states(image('a')).at(-1)).toBe('success')
    expect(await weights()).toBe('blue 0 / green 100')
  },
)

test('rollback.yml during a canary walk (one long job holding the group): the walk stops on the abort request and puts stable back before the next step; the rollback job then finds it there', async () => {
  // Earlier releases: blue holds the last good one.
  github.seed({ count: 2, router: { type: 'haproxy', name: 'haproxy web' } })
  const groups = new ConcurrencyGroups()
  const done: string[] = []
  let atWalkEnd = ''
  const walk = runWorkflow(load('deploy-canary.yml'), {
    // 60 s per step: the walk would not reach 50% for a minute; the abort is read every 10 s.
    inputs: inputs({
      image: image('a'),
      'deploy-command': 'true',
      steps: '5,50,100',
      interval: '60s',
    }),
    runner: runnerFor('walk'),
    concurrency: groups,
    label: 'walk',
    afterJob: async (id, run) => {
      done.push(`walk/${id} ${run.result}`)
      if (id === 'canary') atWalkEnd = await weights()
    },
  })
  await until(() => descriptions(image('a')).some((d) => /\b5%/.test(d ?? '')), 'the walk at 5%')
  const pressed = await runWorkflow(load('rollback.yml'), {
    inputs: button(),
    runner: runnerFor('button'),
    concurrency: groups,
    label: 'button',
    afterJob: (id, run) => done.push(`button/${id} ${run.result}`),
  })
  const walked = await walk

  const id = String(releaseOf(image('a'))?.id)
  expect(pressed.outputs['aborted-deployment-id']).toBe(id)
  // ORDER: the abort job ran while the walk held the group; the rollback job waited for the
  // walk to let go; the walk had put stable back itself by then, before any further step.
  const events = groups.events
  const group = 'cutover-production-orders'
  const walkLetGo = events.indexOf(`walk/canary releases ${group}`)
  expect(events.indexOf(`button/rollback waits for ${group}`)).toBeGreaterThanOrEqual(0)
  expect(events.indexOf(`button/rollback waits for ${group}`)).toBeLessThan(walkLetGo)
  expect(events.indexOf(`button/rollback holds ${group}`)).toBeGreaterThan(walkLetGo)
  expect(done.indexOf('button/abort success')).toBeLessThan(done.indexOf('walk/canary failure'))
  expect(atWalkEnd).toBe('blue 100 / green 0')
  expect(descriptions(image('a'))).toEqual(
    expect.arrayContaining([expect.stringMatching(/^abort requested/)]),
  )
  expect(descriptions(image('a')).filter((d) => /\b50%/.test(d ?? ''))).toEqual([])
  expect(states(image('a')).at(-1)).toBe('failure')
  expect(walked.outputs['rolled-back']).toBe('true')
  expect(walked.outputs.reason).toMatch(/abort/i)
  // The button says traffic is back, and nothing failed on the way.
  expect(results(pressed.jobs)).toEqual({ abort: 'success', rollback: 'success' })
  expect(pressed.outputs['rolled-back']).toBe('true')
  expect(walked.jobs.rollback?.result).toBe('success')
  expect(await weights()).toBe('blue 100 / green 0')
})

test('rollback.yml while a walk of step jobs is paused: the rollback runs at once (no job holds the group); the next step job moves nothing and fails', async () => {
  const groups = new ConcurrencyGroups()
  const stepOneDone = signal()
  const pressedDone = signal()
  let beforeStepTwo = ''
  const walk = runWorkflow(load('deploy-canary.yml'), {
    inputs: inputs({
      image: image('a'),
      'deploy-command': 'true',
      steps: '5,50,100',
      interval: '1s',
      'step-jobs': true,
    }),
    runner: runnerFor('walk'),
    concurrency: groups,
    label: 'walk',
    afterJob: (id) => id === 'step-1' && stepOneDone.fire(),
    // The pause (a wait timer) ends after on-call pressed the button.
    beforeJob: async (id) => {
      if (id === 'step-2') {
        await pressedDone.fired
        beforeStepTwo = await weights()
      }
    },
  })
  await stepOneDone.fired
  expect(await weights()).not.toBe('blue 100 / green 0')
  const pressed = await runWorkflow(load('rollback.yml'), {
    inputs: button(),
    runner: runnerFor('button'),
    concurrency: groups,
    label: 'button',
  }).finally(() => pressedDone.fire())
  const walked = await walk

  const group = 'cutover-production-orders'
  expect(groups.events).not.toContain(`button/rollback waits for ${group}`)
  expect(results(pressed.jobs)).toEqual({ abort: 'success', rollback: 'success' })
  expect(pressed.outputs['rolled-back']).toBe('true')
  expect(beforeStepTwo).toBe('blue 100 / green 0')
  // Step 2 found its release ended and moved nothing; the walk's rollback job had nothing left.
  expect(walked.jobs['step-2']?.result).toBe('failure')
  expect(logs['walk/step-2']).toMatch(/already ended: it is failure .*nothing moved/)
  expect(walked.jobs.rollback?.result).toBe('success')
  expect(descriptions(image('a')).filter((d) => /\b50%/.test(d ?? ''))).toEqual([])
  expect(states(image('a')).at(-1)).toBe('failure')
  expect(await weights()).toBe('blue 100 / green 0')
})

describe('several services in one environment', () => {
  const routerFor = (service: string) =>
    JSON.stringify({ ...(sandbox.haproxy!.router as object), services: [service] })
  const vars = () => ({
    ROUTER: routerFor('orders'),
    HEALTH_URL: `${sandbox.apps.green.url}/no-such-path`,
    PAYMENTS_ROUTER: routerFor('payments'),
    PAYMENTS_HEALTH_URL: `${sandbox.apps.green.url}/healthz`,
  })
  const secrets = {
    DEPLOY_CREDENTIALS: 'orders-secret',
    PAYMENTS_DEPLOY_CREDENTIALS: 'payments-secret',
  }

  test("a service that forgot its router variable is refused by the other service's router, before anything happens", async () => {
    const log = join(dir, 'deployed-forgot')
    const run = await runWorkflow(load('deploy-blue-green.yml'), {
      inputs: inputs({ service: 'payments', router: '', 'deploy-command': `echo x > ${log}` }),
      vars: vars(),
      secrets,
      runner,
    })
    expect(results(run.jobs)).toEqual({
      plan: 'failure',
      deploy: 'skipped',
      switch: 'skipped',
      rollback: 'skipped',
    })
    expect(logs['run/plan']).toContain(
      `Input 'service' is "payments", but the router does not serve it`,
    )
    expect(existsSync(log)).toBe(false)
    expect(github.deployments).toHaveLength(0)
    expect(await weights()).toBe('blue 100 / green 0')
  })

  test("each service names its own variables and secret: the deploy command gets that service's credential", async () => {
    const log = join(dir, 'deployed-payments')
    const run = await runWorkflow(load('deploy-blue-green.yml'), {
      inputs: inputs({
        service: 'payments',
        router: '',
        'router-variable': 'PAYMENTS_ROUTER',
        'health-url-variable': 'PAYMENTS_HEALTH_URL',
        'credentials-secret': 'PAYMENTS_DEPLOY_CREDENTIALS',
        'deploy-command': `printf '%s' "$CUTOVER_DEPLOY_CREDENTIALS" > ${log}`,
      }),
      vars: vars(),
      secrets,
      runner,
    })
    expect(results(run.jobs)).toEqual({
      plan: 'success',
      deploy: 'success',
      switch: 'success',
      rollback: 'skipped',
    })
    expect(readFileSync(log, 'utf8')).toBe('payments-secret')
    expect(github.deployments.map((d) => d.task)).toEqual(['deploy:payments'])
    expect(await weights()).toBe('blue 0 / green 100')
  })
})

test.each(['deploy-blue-green.yml', 'deploy-canary.yml', 'rollback.yml'])(
  '%s without runs-on is refused before any job runs, naming the input',
  async (file) => {
    const { 'runs-on': _, ...without } = { ...inputs({ 'deploy-command': 'true' }), ...button() }
    expect(_).toBeDefined()
    await expect(runWorkflow(load(file), { inputs: without, runner })).rejects.toThrow(
      'Input runs-on is required, but not provided while calling.',
    )
    expect(github.deployments).toHaveLength(0)
  },
)

test('deploy-canary.yml with a job per step walks 12 steps, one job each, in order; a 13th is refused before anything', async () => {
  const steps = '1,2,5,10,20,30,40,50,60,75,90,100'
  const order: string[] = []
  const run = await runWorkflow(load('deploy-canary.yml'), {
    inputs: inputs({ 'deploy-command': 'true', steps, interval: '1s', 'step-jobs': true }),
    runner,
    afterJob: (id, job) =>
      id.startsWith('step-') && order.push(`${id} ${job.result} ${job.outputs.weight}`),
  })
  expect(order).toEqual(steps.split(',').map((w, i) => `step-${i + 1} success ${w}`))
  expect(run.outputs.weight).toBe('100')
  // The last step job's verdict and phase are the workflow's (no gate: each step held its interval).
  expect(run.outputs).toMatchObject({ verdict: 'pass', phase: 'done', figures: '{}' })
  expect(await weights()).toBe('blue 0 / green 100')
  expect(github.deployments[0]!.statuses.at(-1)!.state).toBe('success')

  const tooMany = await runWorkflow(load('deploy-canary.yml'), {
    inputs: inputs({
      'deploy-command': 'true',
      steps: `${steps.replace(',100', '')},95,99,100`,
      'step-jobs': true,
    }),
    runner,
  })
  expect(tooMany.jobs.plan?.result).toBe('failure')
  expect(logs['run/plan']).toContain(
    "::error title=Input 'steps'::at most 12 steps with step-jobs: true (one job each); got 14",
  )
  expect(github.deployments).toHaveLength(1)
  expect(await weights()).toBe('blue 0 / green 100')
})

test('deploy-canary.yml with a job per step and steps: header,50,100: step 1 is the header phase (matched requests only), the walk ends at 100% with the match cleared', async () => {
  const haproxy = sandbox.haproxy!
  const router = JSON.stringify({ ...haproxy.router, 'match-map': haproxy.matchMap })
  const seen: string[] = []
  const run = await runWorkflow(load('deploy-canary.yml'), {
    inputs: inputs({
      router,
      'deploy-command': 'true',
      steps: 'header,50,100',
      match: 'header: x-canary=1',
      interval: '1s',
      'step-jobs': true,
    }),
    runner,
    afterJob: (id, job) => {
      if (id === 'step-1') seen.push(`${job.result} ${job.outputs.phase}`)
    },
    // Between step 1 and step 2 (the pause): only matched requests reach the canary.
    beforeJob: async (id) => {
      if (id !== 'step-2') return
      seen.push(await weights())
      const matched = await fetch(haproxy.url, { headers: { 'x-canary': '1' } })
      seen.push(`matched: ${(await matched.text()).includes('green') ? 'green' : 'blue'}`)
    },
  })
  expect(results(run.jobs)).toEqual(
    expect.objectContaining({ 'step-1': 'success', 'step-2': 'success', 'step-3': 'success' }),
  )
  expect(seen).toEqual(['success header', 'blue 100 / green 0', 'matched: green'])
  expect(await weights()).toBe('blue 0 / green 100')
  expect(await ask(`show map ${haproxy.matchMap}`)).toBe('')
  expect(github.deployments[0]!.statuses.map((st) => st.description)).toEqual(
    expect.arrayContaining([expect.stringContaining('header x-canary=1')]),
  )
})

test('deploy-canary.yml with a job per step and the NOTIFY secret: each step job notifies, and says it waits for approval before the next', async () => {
  const { startReceiver } = await import('../../scripts/sandbox/receivers.js')
  const hook = await startReceiver('webhook')
  try {
    const run = await runWorkflow(load('deploy-canary.yml'), {
      inputs: inputs({
        'deploy-command': 'true',
        steps: '5,100',
        interval: '1s',
        'step-jobs': true,
        'pause-environment': 'production-pause',
      }),
      secrets: { NOTIFY: `- webhook: ${hook.url}\n  secret: ${hook.secret}\n` },
      runner,
    })
    expect(run.jobs['step-2']!.result).toBe('success')
    expect(await weights()).toBe('blue 0 / green 100')
    const got = hook
      .accepted()
      .map((r) => r.body as { event: string; action: string; summary: string })
    expect(hook.received.every((r) => r.verified)).toBe(true)
    expect(got.map((b) => b.event).sort()).toEqual(
      ['pass', 'pass', 'start', 'start', 'step', 'step', 'waiting'].sort(),
    )
    expect(got.find((b) => b.event === 'waiting')!.summary).toBe(
      'waiting for approval before step 2 (100%) in production-pause',
    )
    // The plan (a dry run) sends nothing; the URL and the key never reach a log.
    expect(got.every((b) => b.action === 'canary-step')).toBe(true)
    const all = Object.values(logs).join('\n')
    expect(all).not.toContain(hook.url)
    expect(all).not.toContain(hook.secret!)
  } finally {
    await hook.stop()
  }
})
