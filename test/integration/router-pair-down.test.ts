/**
 * One router of a pair is down (issue 18, items 1 and 10), through the bundles on two real
 * HAProxies and the fake GitHub: a move back to stable goes ahead on the router that answers,
 * names the other with what it held at its last read, says rolled-back=true and exits non-zero;
 * a move away from stable still refuses. A canary that rolls itself back writes the record a
 * manual rollback writes, and the pipeline's rollback job after it warns about nothing.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { openRouter, parseRouterConfig, type Weights } from '../../packages/router/index.js'
import { startFakeGitHub, type FakeGitHub } from '../../scripts/sandbox/fake-github.js'
import {
  freePort,
  startSandbox,
  type HaproxyInstance,
  type Sandbox,
} from '../../scripts/sandbox/index.js'
import { runAction, startAction, type RunOptions } from '../harness.js'

let sandbox: Sandbox
let github: FakeGitHub
/** The router that stays up, and the second one each test starts (and may kill). */
let live: HaproxyInstance
let other: HaproxyInstance
beforeAll(async () => {
  sandbox = await startSandbox({ haproxy: true })
  live = sandbox.haproxy!
})
afterAll(async () => {
  await sandbox?.stop()
})
beforeEach(async () => {
  github = await startFakeGitHub()
  other = await sandbox.addHaproxy()
  await Promise.all([live, other].map((h) => set(h, STABLE)))
})
afterEach(async () => {
  expect(github.violations).toEqual([])
  await github.stop()
})

const STABLE: Weights = { blue: 100, green: 0 }
const routerOf = (h: HaproxyInstance) => openRouter(parseRouterConfig(h.router))
const weightsOn = (h: HaproxyInstance): Promise<Weights> => routerOf(h).read()
const set = (h: HaproxyInstance, w: Weights) => routerOf(h).write(w)
const kill = (h: HaproxyInstance) => process.kill(h.pid, 'SIGKILL')
/** The runtime API address of a HAProxy that was never started. */
const neverStarted = async () => ({ ...live.router, address: `127.0.0.1:${await freePort()}` })
const sha = (n: number) => String(n).repeat(40).slice(0, 40)
const withGitHub = (router: unknown, inputs: Record<string, unknown>, commit = 1): RunOptions => ({
  inputs: { router, environment: 'production', ...inputs } as never,
  token: github.token,
  env: { GITHUB_API_URL: github.url, GITHUB_SHA: sha(commit) },
})
const record = (id: number) => github.deployments.find((d) => d.id === id)
const latest = (id: number) => record(id)?.statuses.at(-1)?.state

/** A Prometheus stand-in: every instant query answers `value`; `onQuery` runs before the first answer. */
async function standIn(value: string, onQuery?: () => void): Promise<Server & { url: string }> {
  let first = true
  const server = createServer((_req, res) => {
    if (first) onQuery?.()
    first = false
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(
      JSON.stringify({
        status: 'success',
        data: { resultType: 'vector', result: [{ metric: {}, value: [Date.now() / 1000, value] }] },
      }),
    )
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return Object.assign(server, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  })
}
const failingGate = (prometheus: string) => ({
  prometheus,
  interval: '1s',
  count: 1,
  checks: [{ name: 'errors', query: 'vector(1)', max: 0.05 }],
})

test('canary: the other router killed while the gate looks, the gate fails: the live one gets stable 100%, the dead one is named with its last read, exit 1, rolled-back', async () => {
  const prometheus = await standIn('1', () => kill(other))
  try {
    const run = await runAction(
      'canary-step',
      withGitHub([live.router, other.router], {
        steps: '10,100',
        interval: '1s',
        image: 'orders@sha256:v2',
        gate: failingGate(prometheus.url),
      }),
    )
    expect(run.exitCode).toBe(1)
    expect(await weightsOn(live)).toEqual(STABLE)
    expect(run.outputs).toMatchObject({ verdict: 'fail', 'rolled-back': 'true' })
    expect(run.outputs.reason).toMatch(/^step 1 \(canary 10%\) fail: /)
    // The dead router, and what it held when last read (both were read back at 10%).
    const named = new RegExp(
      `not moved: haproxy ${other.address} backend web \\(.*ECONNREFUSED.*\\); at its last read \\(\\d{4}-.*\\) it held blue 90% / green 10%`,
    )
    expect(run.warnings.join('\n')).toMatch(named)
    expect(run.errors[0]).toContain('stable blue is back at 100%, but not on every router')
    expect(run.errors[0]).toContain(`haproxy ${other.address} backend web`)
    expect(run.errors[0]).toContain('it held blue 90% / green 10%')
    expect(run.summary).toContain('Routers not moved')
    // The rollback record says which router was not reached.
    const rollbackRecord = github.deployments.find((d) => d.payload.strategy === 'rollback')
    expect(rollbackRecord?.payload.unreached).toEqual([
      expect.objectContaining({
        router: `haproxy ${other.address} backend web`,
        last_read: { blue: 90, green: 10 },
      }),
    ])
  } finally {
    prometheus.close()
  }
}, 60_000)

test('canary: the other router killed during a hold, the next step cannot be set: on-failure rollback puts stable back on the live one', async () => {
  const running = await startAction(
    'canary-step',
    withGitHub([live.router, other.router], {
      steps: '10,50,100',
      interval: '5s',
      record: 'false',
    }),
  )
  await running.waitForLog('step 1/3: canary green at 10%')
  kill(other)
  const run = await running.done
  expect(run.exitCode).toBe(1)
  expect(await weightsOn(live)).toEqual(STABLE)
  expect(run.outputs).toMatchObject({ verdict: 'inconclusive', 'rolled-back': 'true' })
  expect(run.outputs.reason).toContain(
    'step 2 (canary 50%) could not be set: cannot read every router',
  )
  expect(run.errors[0]).toContain(`haproxy ${other.address} backend web`)
  expect(run.errors[0]).toContain('it held blue 90% / green 10%')
}, 60_000)

test('rollback to: blue with one router never started: the answering one moves, the other is named, exit 1, the record written', async () => {
  await set(live, { blue: 0, green: 100 })
  const dead = await neverStarted()
  const run = await runAction('rollback', withGitHub([live.router, dead], { to: 'blue' }))
  expect(run.exitCode).toBe(1)
  expect(await weightsOn(live)).toEqual(STABLE)
  expect(run.outputs).toMatchObject({ switched: 'true', 'rolled-back': 'true', active: 'blue' })
  expect(run.outputs.reason).toBe('rolled back to blue: to: blue was asked for')
  const named = new RegExp(
    `haproxy ${dead.address as string} backend web \\(.*ECONNREFUSED.*\\); it answered no read in this run, so what it holds is unknown`,
  )
  expect(run.errors[0]).toContain('rolled back: blue carries 100%, but not on every router')
  expect(run.errors[0]).toMatch(named)
  const id = Number(run.outputs['deployment-id'])
  expect(record(id)?.payload).toMatchObject({
    strategy: 'rollback',
    slot: 'blue',
    unreached: [{ router: `haproxy ${dead.address as string} backend web` }],
  })
  expect(latest(id)).toBe('success')
})

test('the dead router comes back still split after a partial rollback: the rollback its message asks for finishes the job (the routers disagree, which is no reason to refuse a move back)', async () => {
  // What a rollback that reached only the live router leaves: live on blue, the other still split.
  await set(live, { blue: 100, green: 0 })
  await set(other, { blue: 75, green: 25 })
  const run = await runAction('rollback', withGitHub([live.router, other.router], { to: 'blue' }))
  expect(run.errors).toEqual([])
  expect(run.exitCode).toBe(0)
  expect(run.warnings.join('\n')).toContain('the routers disagree')
  expect(run.outputs).toMatchObject({ switched: 'true', 'rolled-back': 'true', active: 'blue' })
  expect(await weightsOn(live)).toEqual(STABLE)
  expect(await weightsOn(other)).toEqual(STABLE)
})

test('a header match on a pair with one router dead: the rollback clears it on the one that answers and names only the dead one', async () => {
  const withMap = (h: HaproxyInstance) => ({ ...h.router, 'match-map': h.matchMap })
  const pair = [withMap(live), withMap(other)]
  await set(live, { blue: 100, green: 0 })
  const header = await runAction(
    'canary-step',
    withGitHub(pair, {
      steps: 'header',
      match: 'header: x-canary=1',
      canary: 'green',
      interval: '100ms',
      record: 'false',
    }),
  )
  expect(header.errors).toEqual([])
  kill(other)
  const run = await runAction('rollback', withGitHub(pair, { to: 'blue', record: 'false' }))
  expect(run.exitCode).toBe(1)
  const named = run.errors.join('\n')
  expect(named).toContain(`haproxy ${other.address} backend web`)
  expect(named).not.toContain(`haproxy ${live.address} backend web (`)
  expect(named).not.toContain('2 routers:')
  expect(run.log).toContain('header/cookie match cleared')
})

test('rollback to: previous with one router of the pair dead: decided from the records, the answering one moves, exit 1', async () => {
  const pair = [live.router, other.router]
  const deploy = async (to: string, image: string, commit: number) => {
    const run = await runAction('blue-green-switch', withGitHub(pair, { to, image }, commit))
    expect(run.errors).toEqual([])
    return Number(run.outputs['deployment-id'])
  }
  const v1 = await deploy('green', 'orders@sha256:v1', 1)
  await deploy('blue', 'orders@sha256:v2', 2)
  kill(other)
  const run = await runAction('rollback', withGitHub(pair, {}, 9))
  expect(run.exitCode).toBe(1)
  expect(await weightsOn(live)).toEqual({ blue: 0, green: 100 })
  expect(run.outputs).toMatchObject({
    'rolled-back': 'true',
    'restored-deployment-id': String(v1),
  })
  expect(run.warnings.join('\n')).toContain(`cannot read haproxy ${other.address} backend web`)
  expect(run.errors[0]).toContain('rolled back: green carries 100%, but not on every router')
})

test('a switch away from stable with one router dead still refuses and changes nothing', async () => {
  const dead = await neverStarted()
  const run = await runAction('blue-green-switch', {
    inputs: { router: [live.router, dead], to: 'green', record: 'false' },
  })
  expect(run.exitCode).toBe(1)
  expect(run.errors[0]).toContain('cannot read every router')
  expect(run.errors[0]).toContain('nothing was changed')
  expect(run.outputs['rolled-back']).toBeUndefined() // failed before traffic moved
  expect(await weightsOn(live)).toEqual(STABLE)
  const canary = await runAction('canary-step', {
    inputs: { router: [live.router, dead], steps: '10,100', interval: '1s', record: 'false' },
  })
  expect(canary.exitCode).toBe(1)
  expect(canary.errors[0]).toContain('cannot read every router')
  expect(await weightsOn(live)).toEqual(STABLE)
})

test('a canary that rolled itself back: rolled-back/reason, the same record a manual rollback writes, and the pipeline rollback job after it warns about nothing', async () => {
  const one = live.router
  const deploy = async (to: string, image: string, commit: number) =>
    Number(
      (await runAction('blue-green-switch', withGitHub(one, { to, image }, commit))).outputs[
        'deployment-id'
      ],
    )
  await deploy('green', 'orders@sha256:v0', 5)
  const v1 = await deploy('blue', 'orders@sha256:v1', 1)
  const prometheus = await standIn('1')
  let canaryId: number
  try {
    const run = await runAction(
      'canary-step',
      withGitHub(
        one,
        {
          steps: '10,100',
          interval: '1s',
          image: 'orders@sha256:v2',
          gate: failingGate(prometheus.url),
        },
        2,
      ),
    )
    expect(run.exitCode).toBe(1)
    expect(run.outputs).toMatchObject({ verdict: 'fail', 'rolled-back': 'true' })
    expect(run.outputs.reason).toMatch(/^step 1 \(canary 10%\) fail: errors/)
    canaryId = Number(run.outputs['deployment-id'])
  } finally {
    prometheus.close()
  }
  expect(await weightsOn(live)).toEqual(STABLE)
  expect(latest(canaryId)).toBe('failure')
  const own = github.deployments.filter((d) => d.payload.strategy === 'rollback')
  expect(own).toHaveLength(1)
  const selfRecord = own[0]!
  expect(selfRecord.payload).toMatchObject({
    strategy: 'rollback',
    slot: 'blue',
    rolled_back_id: canaryId,
    restored_deployment_id: v1,
    image: 'orders@sha256:v1',
  })
  expect(selfRecord.sha).toBe(sha(1))
  expect(selfRecord.statuses.map((s) => s.state)).toEqual(['in_progress', 'success'])

  // The pipeline's rollback job after the canary: nothing to do, no false warning.
  const job = await runAction(
    'rollback',
    withGitHub(one, { to: 'previous', 'nothing-to-do': 'succeed', 'deployment-id': canaryId }, 2),
  )
  expect(job.exitCode).toBe(0)
  expect(job.warnings.join('\n')).not.toMatch(/could not be marked/)
  expect(job.log).toContain(`records: deployment ${canaryId} already ended failure`)
  expect(job.outputs).toMatchObject({ 'rolled-back': 'false', reason: '' })
  expect(latest(canaryId)).toBe('failure')

  // A manual rollback of a release that went live writes a record of the same shape.
  await runAction(
    'canary-step',
    withGitHub(one, { canary: 'green', weight: 100, interval: '1s', image: 'orders@sha256:v3' }, 3),
  )
  const manual = await runAction('rollback', withGitHub(one, { to: 'previous' }, 4))
  expect(manual.exitCode).toBe(0)
  expect(manual.outputs).toMatchObject({ 'rolled-back': 'true' })
  const manualRecord = record(Number(manual.outputs['deployment-id']))!
  const shape = (p: object) =>
    Object.keys(p)
      .filter((k) => k !== 'reason')
      .sort()
  expect(shape(selfRecord.payload)).toEqual(shape(manualRecord.payload))
  expect(manualRecord.statuses.map((s) => s.state)).toEqual(['in_progress', 'success'])
}, 90_000)
