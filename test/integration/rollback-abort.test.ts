/**
 * Issue 18 items 2-4 through the bundles, on real HAProxy and the fake GitHub:
 * history belongs to the service (not to how routers are listed), a pipeline's rollback job
 * undoes only its own work (scope: deployment), and the rollback button stops a walk in progress
 * (request-abort) without waiting for the job that holds it.
 */
import { openRouter, parseRouterConfig, type Weights } from '../../packages/router/index.js'
import { startFakeGitHub, type FakeGitHub } from '../../scripts/sandbox/fake-github.js'
import { startSandbox, type HaproxyInstance, type Sandbox } from '../../scripts/sandbox/index.js'
import { runAction, startAction, type RunOptions } from '../harness.js'

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
const sha = (n: number) => String(n).repeat(40).slice(0, 40)
const withGitHub = (inputs: Record<string, unknown>, commit = 1): RunOptions => ({
  inputs: { router: router(), environment: 'production', ...inputs } as never,
  token: github.token,
  env: { GITHUB_API_URL: github.url, GITHUB_SHA: sha(commit) },
})
const record = (id: number) => github.deployments.find((d) => d.id === id)
const states = (id: number) => record(id)?.statuses.map((s) => s.state)
const latest = (id: number) => record(id)?.statuses.at(-1)
/** A live release on blue, recorded (a switch from green): its deployment id. */
const liveOnBlue = async (): Promise<number> => {
  await routerOf().write({ blue: 0, green: 100 })
  const run = await runAction(
    'blue-green-switch',
    withGitHub({ to: 'blue', image: 'orders@sha256:v1' }),
  )
  expect(run.errors).toEqual([])
  return Number(run.outputs['deployment-id'])
}

describe('history belongs to the service', () => {
  let second: HaproxyInstance
  beforeAll(async () => {
    second = await sandbox.addHaproxy()
  })

  test('rolling back through the surviving router alone finds the history written through the pair', async () => {
    const pair = [
      { ...router(), name: 'lb a' },
      { ...second.router, name: 'lb b' },
    ]
    await openRouter(parseRouterConfig(second.router)).write({ blue: 100, green: 0 })
    const deploy = async (to: 'blue' | 'green', image: string, commit: number) => {
      const run = await runAction(
        'blue-green-switch',
        withGitHub({ router: pair, to, image }, commit),
      )
      expect(run.errors).toEqual([])
      return Number(run.outputs['deployment-id'])
    }
    const v1 = await deploy('green', 'orders@sha256:v1', 1)
    const v2 = await deploy('blue', 'orders@sha256:v2', 2)
    expect(record(v2)?.payload.router).toEqual({ type: 'group', name: 'lb a + lb b' })

    // lb b is dead: the team rolls back through lb a alone.
    process.kill(second.pid, 'SIGKILL')
    const run = await runAction('rollback', withGitHub({ router: { ...router(), name: 'lb a' } }))
    expect(run.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(run.log).not.toContain('no deployment records of this service')
    expect(run.outputs).toMatchObject({
      active: 'green',
      switched: 'true',
      'restored-deployment-id': String(v1),
    })
    expect(await weights()).toEqual({ blue: 0, green: 100 })
    const rollback = record(Number(run.outputs['deployment-id']))
    expect(rollback?.payload).toMatchObject({
      strategy: 'rollback',
      router: { type: 'haproxy', name: 'lb a' },
      rolled_back_id: v2,
      restored_deployment_id: v1,
    })
    // The release undone, written through the pair, is marked as the service's.
    expect(latest(v2)?.state).toBe('failure')
  })
})

test('records written before identity was environment + service (schema 1, a router list) still count', async () => {
  // Two earlier deploys: green v1 (schema 1, no service, router by address) then blue v2 (schema 2
  // through a pair under other names); blue is live.
  const [v1, v2] = github.seed({ count: 2, router: { type: 'group', name: 'old a + old b' } }) as [
    number,
    number,
  ]
  const old = record(v1)!
  const schema1: Record<string, unknown> = { ...old.payload, schema: 1 }
  delete schema1.service
  schema1.router = { type: 'haproxy', address: '10.0.0.5:9999' }
  old.payload = schema1
  expect(record(v1)?.payload.slot).toBe('green')
  const run = await runAction('rollback', withGitHub({}))
  expect(run.errors).toEqual([])
  expect(run.outputs).toMatchObject({
    active: 'green',
    switched: 'true',
    'restored-deployment-id': String(v1),
  })
  expect(run.log).toContain(`blue (live) holds deployment ${v2}`)
  expect(await weights()).toEqual({ blue: 0, green: 100 })
})

describe('scope: deployment undoes only its own work', () => {
  test('no deployment id (the run recorded no release): nothing changes, it says so, exit 0; GitHub not even asked', async () => {
    await routerOf().write({ blue: 95, green: 5 })
    const run = await runAction('rollback', withGitHub({ scope: 'deployment' }))
    expect(run.exitCode).toBe(0)
    expect(run.errors).toEqual([])
    expect(run.log).toContain(
      'this run recorded no release (no deployment id): nothing to undo; nothing changed',
    )
    expect(run.outputs).toMatchObject({ switched: 'false', 'rolled-back': 'false', reason: '' })
    expect(await weights()).toEqual({ blue: 95, green: 5 })
    expect(github.requests).toEqual([])
  })

  test("another deployment's walk owns the traffic: nothing changes, naming it, exit 0", async () => {
    const live = await liveOnBlue()
    const walk = await runAction(
      'canary-step',
      withGitHub({ weight: 5, image: 'orders@sha256:v2', interval: '100ms' }, 2),
    )
    expect(walk.exitCode).toBe(0)
    const walkId = Number(walk.outputs['deployment-id'])
    const before = JSON.stringify(github.deployments)

    // A run whose record is the older live release (its job failed after the switch).
    const run = await runAction(
      'rollback',
      withGitHub({ scope: 'deployment', 'deployment-id': live, 'nothing-to-do': 'succeed' }),
    )
    expect(run.exitCode).toBe(0)
    expect(run.errors).toEqual([])
    expect(run.log).toContain(
      `deployment ${walkId} (canary to green, in_progress) came after deployment ${live} (deployment-id) and is in progress: the traffic is deployment ${walkId}'s, not this run's; nothing changed`,
    )
    expect(run.outputs).toMatchObject({ switched: 'false', 'rolled-back': 'false' })
    expect(await weights()).toEqual({ blue: 95, green: 5 })
    expect(JSON.stringify(github.deployments)).toBe(before)
  })

  test("both orders: this run's plan opened first and never moved; the other run's walk holds the split: nothing moves, this run's record ends failure", async () => {
    await liveOnBlue()
    // Run B's plan (a dry run) opens its record first; run A's plan second, and A walks.
    const planB = await runAction(
      'canary-step',
      withGitHub({ steps: '5,25', 'dry-run': 'true', image: 'orders@sha256:vB' }, 3),
    )
    const b = Number(planB.outputs['deployment-id'])
    const planA = await runAction(
      'canary-step',
      withGitHub({ steps: '5,25', 'dry-run': 'true', image: 'orders@sha256:vA' }, 2),
    )
    const a = Number(planA.outputs['deployment-id'])
    const stepA = await runAction(
      'canary-step',
      withGitHub(
        { weight: 5, image: 'orders@sha256:vA', 'deployment-id': a, interval: '100ms' },
        2,
      ),
    )
    expect(stepA.exitCode).toBe(0)
    expect(b).toBeLessThan(a)

    // B's step job fails (traffic split by A); B's rollback job undoes only B's work: none.
    // Here B is the OLDER record: A is newer and in progress, so A owns the traffic.
    const run = await runAction(
      'rollback',
      withGitHub({ scope: 'deployment', 'deployment-id': b, 'nothing-to-do': 'succeed' }, 3),
    )
    expect(run.exitCode).toBe(0)
    expect(run.log).toContain(`the traffic is deployment ${a}'s, not this run's; nothing changed`)
    expect(await weights()).toEqual({ blue: 95, green: 5 })
    expect(latest(a)?.state).toBe('in_progress')
    expect(latest(b)?.state).toBe('failure')
  })

  test("the other order: both plans ran before either walk moved (both deploy jobs may have written the slot): the newest plan wins, the older run's step stands down and its rollback job changes nothing", async () => {
    await liveOnBlue()
    const planA = await runAction(
      'canary-step',
      withGitHub({ steps: '5,25', 'dry-run': 'true', image: 'orders@sha256:vA' }, 2),
    )
    const a = Number(planA.outputs['deployment-id'])
    const planB = await runAction(
      'canary-step',
      withGitHub({ steps: '5,25', 'dry-run': 'true', image: 'orders@sha256:vB' }, 3),
    )
    const b = Number(planB.outputs['deployment-id'])
    expect(b).toBeGreaterThan(a)
    // green may hold vB now (B's deploy job ran after A's): A must not walk vB under A's name.
    const stepA = await runAction(
      'canary-step',
      withGitHub(
        { weight: 5, image: 'orders@sha256:vA', 'deployment-id': a, interval: '100ms' },
        2,
      ),
    )
    expect(stepA.exitCode).toBe(1)
    expect(stepA.errors.join('\n')).toContain(
      `Deployment ${a} (input 'deployment-id') was superseded by deployment ${b} (canary to green, orders@sha256:vB), planned after it`,
    )
    expect(await weights()).toEqual({ blue: 100, green: 0 })
    expect(latest(a)?.state).toBe('failure')

    const stepB = await runAction(
      'canary-step',
      withGitHub(
        { weight: 5, image: 'orders@sha256:vB', 'deployment-id': b, interval: '100ms' },
        3,
      ),
    )
    expect(stepB.exitCode).toBe(0)
    expect(await weights()).toEqual({ blue: 95, green: 5 })

    // A's rollback job undoes only A's work: none.
    const before = JSON.stringify(github.deployments)
    const run = await runAction(
      'rollback',
      withGitHub({ scope: 'deployment', 'deployment-id': a, 'nothing-to-do': 'succeed' }, 2),
    )
    expect(run.exitCode).toBe(0)
    expect(run.errors).toEqual([])
    expect(run.log).toContain(`not this run's; nothing changed`)
    expect(await weights()).toEqual({ blue: 95, green: 5 })
    expect(JSON.stringify(github.deployments)).toBe(before)
    expect(latest(b)?.state).toBe('in_progress')
  })
})

describe('the rollback button does not wait behind a walk', () => {
  test('request-abort during a running walk: the walk puts stable at 100%, writes the rollback record and fails with rolled-back=true', async () => {
    const live = await liveOnBlue()
    // A walk that would hold each step for 10 minutes.
    const walk = await startAction(
      'canary-step',
      withGitHub({ steps: '5,25,50', interval: '10m', image: 'orders@sha256:v2' }, 2),
    )
    await walk.waitForLog('step 1/3: canary green at 5%')
    const walkId = github.deployments.find((d) => d.payload.strategy === 'canary')!.id
    expect(await weights()).toEqual({ blue: 95, green: 5 })

    const abort = await runAction(
      'rollback',
      withGitHub({ 'request-abort': 'true', reason: 'v2 drops orders' }, 9),
    )
    expect(abort.exitCode).toBe(0)
    expect(abort.errors).toEqual([])
    expect(abort.outputs).toMatchObject({
      'aborted-deployment-id': String(walkId),
      switched: 'false',
      'rolled-back': 'false',
    })
    // The abort request moved nothing by itself.
    expect(latest(walkId)).toMatchObject({
      state: 'in_progress',
      description: 'abort requested: v2 drops orders (rollback run 4242)',
    })

    // The walk polls every 10 s: it stops well within its 10-minute hold.
    const done = await walk.done
    expect(done.exitCode).toBe(1)
    expect(done.outputs['rolled-back']).toBe('true')
    expect(done.outputs.reason).toContain('abort requested: v2 drops orders (rollback run 4242)')
    expect(done.outputs.reason).toContain(`posted on deployment ${walkId}`)
    expect(done.errors.join('\n')).toContain('abort requested: v2 drops orders')
    expect(await weights()).toEqual({ blue: 100, green: 0 })
    // The same rollback record a manual rollback writes; the walk's record ends failure.
    const rollback = github.deployments.find((d) => d.payload.strategy === 'rollback')
    expect(rollback?.payload).toMatchObject({
      slot: 'blue',
      rolled_back_id: walkId,
      restored_deployment_id: live,
    })
    expect(rollback?.statuses.at(-1)?.state).toBe('success')
    expect(latest(walkId)?.state).toBe('failure')
  }, 90_000)

  test("the button's rollback step says rolled-back only when the aborted walk's own rollback record proves it: a stale walk record whose runner died is not counted", async () => {
    await liveOnBlue()
    // A walk whose runner died at 5%; someone put blue back by hand since: its record is stale.
    await runAction(
      'canary-step',
      withGitHub({ weight: 5, image: 'orders@sha256:v2', interval: '100ms' }, 2),
    )
    await routerOf().write({ blue: 100, green: 0 })
    const abort = await runAction('rollback', withGitHub({ 'request-abort': 'true' }, 9))
    const stale = abort.outputs['aborted-deployment-id']
    expect(stale).toBeDefined()
    const run = await runAction(
      'rollback',
      withGitHub({ 'nothing-to-do': 'succeed', 'aborted-deployment-id': stale }, 9),
    )
    expect(run.outputs['rolled-back']).not.toBe('true')
    expect(await weights()).toEqual({ blue: 100, green: 0 })
  })

  test('aborted-deployment-id that is not a deployment id is refused before anything', async () => {
    const run = await runAction('rollback', withGitHub({ 'aborted-deployment-id': 'abc' }))
    expect(run.exitCode).toBe(1)
    expect(run.errors.join('\n')).toContain("Input 'aborted-deployment-id'")
    expect(github.deployments).toEqual([])
  })

  test('request-abort with no walk in progress posts nothing and says so, exit 0', async () => {
    await runAction('blue-green-switch', withGitHub({ to: 'green', image: 'orders@sha256:v1' }))
    const before = JSON.stringify(github.deployments)
    const run = await runAction('rollback', withGitHub({ 'request-abort': 'true' }, 9))
    expect(run.exitCode).toBe(0)
    expect(run.log).toContain('no canary walk of orders is in progress in production')
    expect(run.outputs['aborted-deployment-id']).toBeUndefined()
    expect(JSON.stringify(github.deployments)).toBe(before)
    expect(await weights()).toEqual({ blue: 0, green: 100 })
  })

  test('a step job after its deployment was rolled back while paused moves nothing and fails saying so', async () => {
    await liveOnBlue()
    const image = 'orders@sha256:v2'
    const first = await runAction(
      'canary-step',
      withGitHub({ weight: 5, image, interval: '100ms' }, 2),
    )
    const id = Number(first.outputs['deployment-id'])
    // Paused between step jobs: on-call rolls back (the records show the unfinished canary).
    const rollback = await runAction('rollback', withGitHub({ reason: 'paused walk looks bad' }, 9))
    expect(rollback.exitCode).toBe(0)
    expect(await weights()).toEqual({ blue: 100, green: 0 })
    expect(latest(id)?.state).toBe('failure')
    const count = github.deployments.length

    const next = await runAction(
      'canary-step',
      withGitHub({ weight: 25, image, 'deployment-id': id, interval: '100ms' }, 2),
    )
    expect(next.exitCode).toBe(1)
    expect(next.errors[0]).toContain(`Deployment ${id} (input 'deployment-id') already ended`)
    expect(next.errors[0]).toContain('nothing moved')
    expect(await weights()).toEqual({ blue: 100, green: 0 })
    expect(github.deployments).toHaveLength(count)
    expect(states(id)?.at(-1)).toBe('failure')
  })
})
