/**
 * The reusable canary workflow walks a feature flag: deploy-canary.yml, run from its own file by
 * the workflow emulator (scripts/workflow-runner.ts) through the action bundles, with a flagd
 * definitions file as the router. The gate is real: Prometheus scrapes an application whose
 * simulated users get the flag's variant from flagd's engine reading that very file, and whose
 * request metrics are labelled by the variant. The gate's {{slot}} must therefore be the variant
 * labels (`treatment`/`control` here, not `green`/`blue`): bound to the slots' names it would
 * find no data and never pass.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FlagdCore, MemoryStorage } from '@openfeature/flagd-core'
import { parse } from 'yaml'
import { runAction, ROOT } from '../harness.js'
import { startFakeGitHub, type FakeGitHub } from '../../scripts/sandbox/fake-github.js'
import { startFlagApp, startFlagPrometheus, type FlagApp } from '../../scripts/sandbox/flag-app.js'
import { runWorkflow, type JobRun, type StepRunner } from '../../scripts/workflow-runner.js'

const FLAG = 'new-search'
const VARIANTS = { off: 'control', on: 'treatment' }
const IMAGE = `ghcr.io/acme/orders@sha256:${'2'.repeat(64)}`
const quiet = { error() {}, warn() {}, info() {}, debug() {} }

let dir: string
let flagsFile: string
let app: FlagApp
let prometheus: Awaited<ReturnType<typeof startFlagPrometheus>>
let github: FakeGitHub
let logs: Record<string, string> = {}

/** flagd's engine on the file as it is now: is the flag on for this user? */
function evaluator(): (userId: string) => boolean {
  let text = ''
  let core: FlagdCore | undefined
  return (userId) => {
    const now = readFileSync(flagsFile, 'utf8')
    if (now !== text || !core) {
      const storage = new MemoryStorage(quiet)
      storage.setConfigurations(now, true)
      core = new FlagdCore(storage, quiet)
      text = now
    }
    return core.resolve('boolean', FLAG, false as boolean, { targetingKey: userId }).value === true
  }
}

/** The share of 10,000 users the file turns the flag on for, in percent. */
function shareOn(): number {
  const on = evaluator()
  let count = 0
  for (let i = 0; i < 10_000; i++) if (on(`user-${i}`)) count++
  return count / 100
}

function writeFlags(): void {
  writeFileSync(
    flagsFile,
    JSON.stringify(
      {
        $schema: 'https://flagd.dev/schema/v0/flags.json',
        flags: {
          [FLAG]: {
            state: 'ENABLED',
            variants: { [VARIANTS.on]: true, [VARIANTS.off]: false },
            defaultVariant: VARIANTS.off,
          },
        },
      },
      null,
      2,
    ),
  )
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cutover-flag-workflow-'))
  flagsFile = join(dir, 'flags.json')
  writeFlags()
  app = await startFlagApp(evaluator(), { flag: FLAG, variants: VARIANTS })
  prometheus = await startFlagPrometheus(app.port)
  await prometheus.waitForData(`http_requests_total{feature_flag_variant="${VARIANTS.off}"}`)
}, 60_000)
afterAll(async () => {
  await prometheus?.stop()
  await app?.stop()
  rmSync(dir, { recursive: true, force: true })
})
beforeEach(async () => {
  logs = {}
  writeFlags()
  app.fail(VARIANTS.on, 0)
  github = await startFakeGitHub()
})
afterEach(async () => {
  if (process.env.DUMP_LOGS) console.log(JSON.stringify(logs, null, 1))
  await github?.stop()
})

const load = (file: string) => parse(readFileSync(join(ROOT, '.github/workflows', file), 'utf8'))
const results = (jobs: Record<string, JobRun>) =>
  Object.fromEntries(
    Object.entries(jobs)
      .filter(([, j]) => j.result !== 'skipped')
      .map(([id, j]) => [id, j.result]),
  )

/** Our actions through their bundles, `run:` steps through bash (as reusable-workflows.test.ts). */
const runner: StepRunner = {
  async action(name, inputs, env, step) {
    const run = await runAction(name, {
      inputs,
      token: github.token,
      env: { ...env, GITHUB_API_URL: github.url },
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

const router = () =>
  JSON.stringify({ type: 'flagd', flag: FLAG, file: flagsFile, variants: VARIANTS })
const gate = () =>
  JSON.stringify({
    prometheus: prometheus.url,
    interval: '1s',
    'max-wait': '40s',
    checks: [
      {
        name: 'errors-on-vs-off',
        compare: 'error-rate',
        requests: `sum(http_requests_total{feature_flag_key="${FLAG}",feature_flag_variant="{{slot}}"})`,
        errors: `sum(http_requests_total{feature_flag_key="${FLAG}",feature_flag_variant="{{slot}}",code="500"})`,
        margin: 0.01,
        max: 0.05,
      },
    ],
  })
const inputs = (more: Record<string, string | boolean> = {}) => ({
  environment: 'production',
  service: 'orders',
  image: IMAGE,
  router: router(),
  gate: gate(),
  'deploy-command': 'true',
  interval: '4s',
  'runs-on': '["self-hosted","lb-network"]',
  ...more,
})

test('deploy-canary.yml with a job per step walks a flagd flag 10 → 100, each step judged on the users of each variant; one record of the service and the flag, success', async () => {
  const seen: string[] = []
  const run = await runWorkflow(load('deploy-canary.yml'), {
    inputs: inputs({ steps: '10,100', 'step-jobs': true }),
    runner,
    // Between the step jobs: the file turns the flag on for about 10% of the users.
    beforeJob: (id) => {
      if (id === 'step-2') seen.push(`before step 2: ${shareOn()}% on`)
      return undefined
    },
  })
  expect(results(run.jobs)).toEqual({
    plan: 'success',
    deploy: 'success',
    'step-1': 'success',
    'step-2': 'success',
  })
  expect(run.outputs).toMatchObject({ slot: 'green', previous: 'blue', verdict: 'pass' })
  expect(run.outputs.weight).toBe('100')
  const [share] = seen.map((s) => Number(/: ([\d.]+)% on/.exec(s)?.[1]))
  expect(Math.abs((share ?? -1) - 10)).toBeLessThanOrEqual(1)
  expect(shareOn()).toBe(100)
  // The gate counted the users of each variant label (bound to blue/green it would see none).
  expect(logs['step-1']).toMatch(
    /canary 0% \(0 of [1-9]\d* requests\) vs stable 0% \(0 of [1-9]\d*\)/,
  )
  const figures = JSON.parse(run.outputs.figures ?? '{}') as { checks?: { outcome: string }[] }
  expect(figures.checks?.[0]?.outcome).toBe('pass')
  // One record, of the service and the flag: never taken for a release of the service's slots.
  expect(github.deployments.map((d) => d.task)).toEqual([`deploy:orders/flag:${FLAG}`])
  expect(github.deployments[0]!.statuses.at(-1)!.state).toBe('success')
  expect(app.counts()[VARIANTS.on]!.requests).toBeGreaterThan(0)
}, 240_000)

test('deploy-canary.yml (one job) with a failing variant: the gate fails at 10%, the flag is off again for every user, the rollback job finds nothing of this run to undo', async () => {
  app.fail(VARIANTS.on, 0.3)
  const run = await runWorkflow(load('deploy-canary.yml'), {
    inputs: inputs({ steps: '10,50,100' }),
    runner,
  })
  expect(results(run.jobs)).toEqual({
    plan: 'success',
    deploy: 'success',
    canary: 'failure',
    rollback: 'success',
  })
  expect(run.outputs).toMatchObject({ verdict: 'fail', 'rolled-back': 'true' })
  expect(run.outputs.reason).toContain('errors-on-vs-off')
  expect(shareOn()).toBe(0)
  const definition = JSON.parse(readFileSync(flagsFile, 'utf8')) as {
    flags: Record<string, { targeting?: unknown }>
  }
  expect(definition.flags[FLAG]!.targeting).toEqual({
    fractional: [
      [VARIANTS.on, 0],
      [VARIANTS.off, 100],
    ],
  })
  // The walk's record failed; its self-rollback record is the flag's too.
  const tasks = new Set(github.deployments.map((d) => d.task))
  expect([...tasks]).toEqual([`deploy:orders/flag:${FLAG}`])
  const walk = github.deployments.find((d) => String(d.payload.image ?? '') === IMAGE)
  expect(walk?.statuses.at(-1)?.state).toBe('failure')
}, 240_000)

test("rollback.yml after a flag's first walk to 100%: to: previous turns it off for every user (the flag's state before the walk, from the walk's own record); a second press changes nothing", async () => {
  const walked = await runWorkflow(load('deploy-canary.yml'), {
    inputs: inputs({ steps: '50,100', interval: '1s', gate: '' }),
    runner,
  })
  expect(walked.outputs.weight).toBe('100')
  expect(shareOn()).toBe(100)
  const button = (to: string) =>
    runWorkflow(load('rollback.yml'), {
      inputs: {
        environment: 'production',
        service: 'orders',
        'runs-on': 'self-hosted',
        router: router(),
        to,
        reason: 'checkout errors reported by support',
      },
      runner,
    })
  // The flag's records hold one walk and nothing before it: its own record says the flag was
  // off (stable blue) when it started, and nothing is ever deployed onto a flag's state.
  const off = await button('previous')
  expect(results(off.jobs)).toEqual({ abort: 'success', rollback: 'success' })
  expect(off.outputs).toMatchObject({ active: 'blue', 'rolled-back': 'true' })
  expect(logs.rollback).toContain("the flag's first recorded walk")
  expect(shareOn()).toBe(0)
  logs = {}
  await button('previous')
  expect(logs.rollback).toMatch(/blue already carries 100%: nothing to roll back/)
  expect(shareOn()).toBe(0)
  // Every record, the walk's and the rollback's, is the flag's.
  expect(new Set(github.deployments.map((d) => d.task))).toEqual(
    new Set([`deploy:orders/flag:${FLAG}`]),
  )
}, 240_000)
