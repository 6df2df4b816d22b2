/**
 * A router's secrets apart from its YAML (`router-credentials`), against a real Unleash 8.2
 * (scripts/sandbox/unleash.ts): deploy-canary.yml, run from its own file by the workflow emulator
 * through the action bundles, walks an Unleash flag whose router YAML (a variable) holds no token,
 * the tokens coming from the secret named by `router-credentials-secret` (as a caller with
 * `secrets: inherit` gives them); and canary-step's bundle refuses a key the router's type does
 * not take, before it touches the flag, without echoing the value.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { findSecret, ROOT, runAction } from '../harness.js'
import { startFakeGitHub, type FakeGitHub } from '../../scripts/sandbox/fake-github.js'
import { startUnleash, type UnleashInstance } from '../../scripts/sandbox/unleash.js'
import { runWorkflow, type JobRun, type StepRunner } from '../../scripts/workflow-runner.js'

const IMAGE = `ghcr.io/acme/orders@sha256:${'3'.repeat(64)}`

let unleash: UnleashInstance
let github: FakeGitHub
let dir: string
/** Where the step runs wrote a token without masking it (must stay empty). */
let leaks: string[] = []
let logs: Record<string, string> = {}

/** One request to the admin API (the test's own hand, not the router's). */
async function admin(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${unleash.url}${path}`, {
    method,
    headers: { Authorization: unleash.adminToken, 'Content-Type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(10_000),
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`)
  return text ? JSON.parse(text) : undefined
}

/** The flag in the sandbox's environment, as the admin API holds it. */
async function flagState(flag: string): Promise<{ enabled: boolean; rollouts: string[] }> {
  const f = (await admin('GET', `/api/admin/projects/default/features/${flag}`)) as {
    environments: {
      name: string
      enabled: boolean
      strategies: { parameters?: { rollout?: string } }[]
    }[]
  }
  const env = f.environments.find((e) => e.name === unleash.environment)!
  return {
    enabled: env.enabled,
    rollouts: env.strategies.map((s) => String(s.parameters?.rollout)),
  }
}

/** The router YAML a repository variable would hold: no token in it. */
const router = (flag: string) =>
  JSON.stringify({ type: 'unleash', url: unleash.url, environment: unleash.environment, flag })
const tokens = () => [unleash.adminToken, unleash.clientToken]

beforeAll(async () => {
  unleash = await startUnleash()
  dir = mkdtempSync(join(tmpdir(), 'cutover-credentials-workflow-'))
}, 180_000)
afterAll(async () => {
  await unleash?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})
beforeEach(async () => {
  leaks = []
  logs = {}
  github = await startFakeGitHub()
})
afterEach(async () => {
  if (process.env.DUMP_LOGS) console.log(JSON.stringify(logs, null, 1))
  await github?.stop()
})

/** Our actions through their bundles, `run:` steps through bash (as workflow-flag.test.ts). */
const runner: StepRunner = {
  async action(name, inputs, env, step) {
    const run = await runAction(name, {
      inputs,
      token: github.token,
      env: { ...env, GITHUB_API_URL: github.url },
    })
    for (const token of tokens())
      for (const place of findSecret(run, token)) leaks.push(`${step.job}/${name}: ${place}`)
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

const load = (file: string) => parse(readFileSync(join(ROOT, '.github/workflows', file), 'utf8'))
const results = (jobs: Record<string, JobRun>) =>
  Object.fromEntries(
    Object.entries(jobs)
      .filter(([, j]) => j.result !== 'skipped')
      .map(([id, j]) => [id, j.result]),
  )

test('deploy-canary.yml walks an Unleash flag 10 → 100 with its tokens from the secret router-credentials-secret names (the router variable holds none); no token in any log, output or record', async () => {
  await admin('POST', '/api/admin/projects/default/features', { name: 'creds', type: 'release' })
  const run = await runWorkflow(load('deploy-canary.yml'), {
    inputs: {
      environment: 'production',
      service: 'orders',
      image: IMAGE,
      'router-variable': 'ORDERS_ROUTER',
      'router-credentials-secret': 'ORDERS_UNLEASH',
      'deploy-command': 'true',
      steps: '10,100',
      interval: '1s',
      'runs-on': '["self-hosted","lb-network"]',
    },
    vars: { ORDERS_ROUTER: router('creds') },
    secrets: {
      // Unleash's tokens start with '*' (a YAML alias): the secret quotes them.
      ORDERS_UNLEASH: `token: '${unleash.adminToken}'\nclient-token: '${unleash.clientToken}'\n`,
    },
    runner,
  })
  expect(results(run.jobs)).toEqual({ plan: 'success', deploy: 'success', canary: 'success' })
  expect(run.outputs.weight).toBe('100')
  expect(await flagState('creds')).toEqual({ enabled: true, rollouts: ['100'] })
  expect(leaks).toEqual([])
  const everything = `${JSON.stringify(logs)}${JSON.stringify(run.outputs)}${JSON.stringify(github.deployments)}`
  for (const token of tokens()) expect(everything).not.toContain(token)
  expect(github.deployments.map((d) => d.task)).toEqual(['deploy:orders/flag:creds'])
}, 240_000)

test("canary-step refuses a router-credentials key the router's type does not take: it names the input and the key, not the value, and the flag is untouched", async () => {
  await admin('POST', '/api/admin/projects/default/features', { name: 'refused', type: 'release' })
  const before = await flagState('refused')
  const value = 'pdns-api-key-not-for-unleash-0123456789'
  const run = await runAction('canary-step', {
    inputs: {
      router: router('refused'),
      'router-credentials': `token: '${unleash.adminToken}'\napi-key: ${value}\n`,
      weight: '10',
      record: 'false',
    },
  })
  expect(run.exitCode).toBe(1)
  expect(run.errors.join('\n')).toMatch(
    /Input 'router-credentials' has the key "api-key", which the router of input 'router' \(type unleash\) takes as a secret; allowed: token, client-token\./,
  )
  for (const secret of [value, unleash.adminToken]) expect(findSecret(run, secret)).toEqual([])
  expect(run.masks).toEqual(expect.arrayContaining([value, unleash.adminToken]))
  expect(await flagState('refused')).toEqual(before)
}, 60_000)
