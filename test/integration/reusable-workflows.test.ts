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
import { startSandbox, type Sandbox } from '../../scripts/sandbox/index.js'
import { startFakeGitHub, type FakeGitHub } from '../../scripts/sandbox/fake-github.js'
import { runWorkflow, type StepRunner } from '../../scripts/workflow-runner.js'

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
  github = await startFakeGitHub()
  await routerAt({ blue: 100, green: 0 })
})
afterEach(async () => {
  await github?.stop()
})

const load = (file: string) => parse(readFileSync(join(ROOT, '.github/workflows', file), 'utf8'))
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

const runner: StepRunner = {
  async action(name, inputs, env) {
    const run = await runAction(name, {
      inputs,
      token: github.token,
      env: { ...env, GITHUB_API_URL: github.url },
    })
    return { ok: run.exitCode === 0, outputs: run.outputs as Record<string, string> }
  },
  async shell(script, env) {
    const output = join(dir, `output-${Math.random().toString(36).slice(2)}`)
    writeFileSync(output, '')
    const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
      env: { PATH: process.env.PATH ?? '', ...env, GITHUB_OUTPUT: output },
      encoding: 'utf8',
      timeout: 60_000,
    })
    const outputs = Object.fromEntries(
      readFileSync(output, 'utf8')
        .split('\n')
        .filter((l) => l.includes('='))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    )
    return { ok: result.status === 0, outputs }
  },
}

const inputs = (more: Record<string, string | boolean> = {}) => ({
  environment: 'production',
  service: 'orders',
  image: IMAGE,
  router: JSON.stringify(sandbox.haproxy!.router),
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
  expect(Object.fromEntries(Object.entries(run.jobs).map(([id, j]) => [id, j.result]))).toEqual({
    plan: 'success',
    deploy: 'success',
    canary: 'skipped',
    'step-1': 'success',
    'step-2': 'cancelled',
    'step-3': 'skipped',
    'step-4': 'skipped',
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
      router: JSON.stringify(sandbox.haproxy!.router),
      'health-url': `${sandbox.apps.green.url}/healthz`,
      reason: 'smoke tests failed',
    },
    runner,
  })
  expect(run.jobs.rollback?.result).toBe('success')
  expect(run.outputs.active).toBe('green')
  expect(await weights()).toBe('blue 0 / green 100')
})
