/**
 * deploy-canary.yml with step-jobs, whose pause environment's protection rule is the real
 * protection-rule App (apps/protection-rule, started in this process): the emulator
 * (scripts/workflow-runner.ts) runs the very workflow file, each step job after the first waits on
 * `production-pause` while the fake GitHub delivers the signed deployment_protection_rule event to
 * the App, and the App judges the pause on a real Prometheus scraping the sandbox's apps behind a
 * real HAProxy. Approved: the next weight is set. Rejected: the job fails as GitHub fails it and
 * the run's rollback job puts stable back, exactly as after a failed gate.
 */
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { startService, type RunningService } from '../../apps/protection-rule/src/service.js'
import { sleep } from '../../packages/action-kit/util.js'
import { openRouter, parseRouterConfig } from '../../packages/router/index.js'
import { startFakeGitHub, type FakeGitHub } from '../../scripts/sandbox/fake-github.js'
import { startSandbox, type Sandbox } from '../../scripts/sandbox/index.js'
import {
  customProtectionRule,
  runWorkflow,
  type JobRun,
  type StepRunner,
} from '../../scripts/workflow-runner.js'
import { ROOT, runAction } from '../harness.js'

const PAUSE = 'production-pause'
const IMAGE = `ghcr.io/acme/orders@sha256:${'2'.repeat(64)}`

let sandbox: Sandbox
let github: FakeGitHub
let app: RunningService
let dir: string
let logs: Record<string, string> = {}
let nextRun = 31_000
/** The App's structured log (printed with DUMP_LOGS=1). */
let appLog: Record<string, unknown>[] = []

beforeAll(async () => {
  sandbox = await startSandbox({ haproxy: true, prometheus: true })
  dir = mkdtempSync(join(tmpdir(), 'cutover-protection-pipeline-'))
  await sandbox.prometheus!.waitForData()
})
afterAll(async () => {
  await sandbox?.stop()
})
beforeEach(async () => {
  logs = {}
  appLog = []
  github = await startFakeGitHub({ clock: 'real' })
  await openRouter(parseRouterConfig(sandbox.haproxy!.router)).write({ blue: 100, green: 0 })
  app = await startService({
    port: 0,
    host: '127.0.0.1',
    appId: github.app.id,
    privateKey: github.app.privateKey,
    webhookSecret: github.app.webhookSecret,
    githubUrl: github.url,
    log: (entry) => appLog.push(entry),
    recover: false,
    watchMs: 1000,
    timeouts: { githubMs: 5000, prometheusMs: 5000 },
  })
})
afterEach(async () => {
  await app?.close()
  if (process.env.DUMP_LOGS)
    console.log(
      JSON.stringify(
        {
          reviews: github.reviews,
          appLog,
          deliveries: github.deliveries.map((d) => [d.guid, d.status, d.runId]),
        },
        null,
        1,
      ),
    )
  // Every request the App and the actions made, and every event sent, matched GitHub's description.
  expect(github.violations).toEqual([])
  await github?.stop()
})

const load = () =>
  parse(readFileSync(join(ROOT, '.github/workflows/deploy-canary.yml'), 'utf8')) as Parameters<
    typeof runWorkflow
  >[0]
const results = (jobs: Record<string, JobRun>) =>
  Object.fromEntries(
    Object.entries(jobs)
      .filter(([, j]) => j.result !== 'skipped')
      .map(([id, j]) => [id, j.result]),
  )

/** The weights on HAProxy as the router reads them. */
async function weights(): Promise<string> {
  const w = await openRouter(parseRouterConfig(sandbox.haproxy!.router)).read()
  return `blue ${w.blue} / green ${w.green}`
}

/** Our actions through their bundles (as this run's commit and run id), `run:` steps through bash. */
function runnerFor(sha: string, runId: number): StepRunner {
  return {
    async action(name, inputs, env, step) {
      const run = await runAction(name, {
        inputs,
        token: github.token,
        env: { ...env, GITHUB_API_URL: github.url, GITHUB_SHA: sha, GITHUB_RUN_ID: String(runId) },
      })
      logs[step.job] =
        `${logs[step.job] ?? ''}${run.log}${run.errors.map((e) => `::error::${e}\n`).join('')}`
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
      logs[step.job] = `${logs[step.job] ?? ''}${result.stdout ?? ''}${result.stderr ?? ''}`
      const outputs = Object.fromEntries(
        readFileSync(output, 'utf8')
          .split('\n')
          .filter((l) => l.includes('='))
          .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
      )
      return { ok: result.status === 0, outputs }
    },
  }
}

/** A commit of its own whose .github/cutover.yml makes the App judge `production-pause`. */
async function release(errorRate: number): Promise<string> {
  const sha = randomBytes(20).toString('hex')
  const version = `p-${sha.slice(0, 8)}`
  const series = `slot="{{canary}}",version="${version}"`
  github.files(
    'acme/orders',
    sha,
    '.github/cutover.yml',
    `protection-rule:
  ${PAUSE}:
    service: orders
    environment: production
    prometheus: ${sandbox.prometheus!.url}
    pause: 3s
    gate: |
      interval: 1s
      checks:
        - name: error-rate
          query: sum(rate(http_requests_total{${series},code="500"}[3s])) / sum(rate(http_requests_total{${series}}[3s]))
          samples: sum(increase(http_requests_total{${series}}[3s]))
          min-samples: 10
          max: 0.05
`,
  )
  await sandbox.apps.green.control({ version, errorRate })
  return sha
}

/** Requests to the canary slot (green) at ~40/s, until the returned function is called. */
function traffic(): () => Promise<void> {
  let running = true
  const loop = (async () => {
    while (running)
      await Promise.all([
        fetch(sandbox.apps.green.url, { signal: AbortSignal.timeout(5000) }).then((r) =>
          r.arrayBuffer(),
        ),
        sleep(25),
      ]).catch(() => {})
  })()
  return async () => {
    running = false
    await loop
  }
}

const inputs = (more: Record<string, string | boolean> = {}) => ({
  environment: 'production',
  service: 'orders',
  image: IMAGE,
  router: JSON.stringify(sandbox.haproxy!.router),
  'runs-on': '["self-hosted","lb-network"]',
  'deploy-command': 'true',
  steps: '5,50,100',
  interval: '1s',
  'step-jobs': true,
  'pause-environment': PAUSE,
  'pause-protection-rule': true,
  ...more,
})

async function walk(sha: string, runId: number, more: Record<string, string | boolean> = {}) {
  const seen: string[] = []
  const run = await runWorkflow(load(), {
    inputs: inputs(more),
    github: { sha, run_id: runId },
    runner: runnerFor(sha, runId),
    beforeJob: customProtectionRule({
      github,
      appUrl: `${app.url}/webhook`,
      environment: PAUSE,
      runId,
      sha,
      ref: 'refs/heads/main',
      timeoutMs: 90_000,
      seen,
    }),
  })
  const record = github.deployments.find((d) => d.task === 'deploy:orders' && d.sha === sha)
  return { run, seen, record }
}

test('a healthy canary: the App approves each pause, step by step, and the walk ends at 100%', async () => {
  const sha = await release(0)
  const stop = traffic()
  try {
    await sleep(3000) // the new version's first scrapes
    const runId = nextRun++
    const { run, seen, record } = await walk(sha, runId)
    expect(results(run.jobs)).toEqual({
      plan: 'success',
      deploy: 'success',
      'step-1': 'success',
      'step-2': 'success',
      'step-3': 'success',
    })
    expect(seen).toEqual(['step-2: approved', 'step-3: approved'])
    expect(await weights()).toBe('blue 0 / green 100')
    expect(run.outputs).toMatchObject({ weight: '100', 'rolled-back': 'false', verdict: 'pass' })
    // The App's decisions, on the run's page: each names the step it judged.
    const decisions = github.reviews.filter((r) => r.state)
    expect(decisions.map((r) => [r.runId, r.environment, r.state])).toEqual([
      [runId, PAUSE, 'approved'],
      [runId, PAUSE, 'approved'],
    ])
    expect(decisions[0]!.comment).toMatch(/canary 5%/)
    expect(decisions[1]!.comment).toMatch(/canary 50%/)
    // One record carried the walk; the pause jobs' own deployments are in the pause environment.
    expect(record?.statuses.at(-1)?.state).toBe('success')
    expect(github.deployments.filter((d) => d.environment === PAUSE).map((d) => d.task)).toEqual([
      'deploy',
      'deploy',
    ])
  } finally {
    await stop()
  }
})

test('a canary whose errors rise: the App rejects the pause, the step job fails as GitHub fails it, and the rollback job puts stable back', async () => {
  const sha = await release(0.5)
  const stop = traffic()
  try {
    await sleep(3000)
    const runId = nextRun++
    const { run, seen, record } = await walk(sha, runId)
    expect(results(run.jobs)).toEqual({
      plan: 'success',
      deploy: 'success',
      'step-1': 'success',
      'step-2': 'failure',
      rollback: 'success',
    })
    expect(seen).toEqual(['step-2: rejected'])
    // Step 2's canary-step never ran: the weight stayed at step 1's until the rollback.
    expect(logs['step-2']).toBeUndefined()
    expect(await weights()).toBe('blue 100 / green 0')
    expect(run.outputs).toMatchObject({ 'rolled-back': 'true' })
    const [decision] = github.reviews.filter((r) => r.state)
    expect(decision).toMatchObject({ runId, environment: PAUSE, state: 'rejected' })
    expect(decision!.comment).toMatch(/the gate failed/)
    expect(record?.statuses.at(-1)?.state).toBe('failure')
  } finally {
    await stop()
  }
})

test('the pause environment of the App without pause-protection-rule: GitHub fails the job (no deployment to judge), and the rollback job runs', async () => {
  const sha = await release(0)
  const runId = nextRun++
  const { run, seen } = await walk(sha, runId, { 'pause-protection-rule': false })
  expect(results(run.jobs)).toMatchObject({
    'step-1': 'success',
    'step-2': 'failure',
    rollback: 'success',
  })
  expect(seen).toEqual([`step-2: failed, deployment: false in ${PAUSE}`])
  expect(github.deliveries).toEqual([])
  expect(await weights()).toBe('blue 100 / green 0')
})

test('pause-protection-rule without a pause environment of its own is refused by the plan, before anything moves', async () => {
  const sha = await release(0)
  const runId = nextRun++
  const { run } = await walk(sha, runId, { 'pause-environment': '' })
  expect(results(run.jobs)).toEqual({ plan: 'failure' })
  expect(logs.plan).toContain(
    "::error title=Input 'pause-environment'::pause-protection-rule: true needs a pause-environment of its own",
  )
  expect(github.deployments).toEqual([])
  expect(await weights()).toBe('blue 100 / green 0')
})
