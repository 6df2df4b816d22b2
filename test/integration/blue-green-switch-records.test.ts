/**
 * blue-green-switch's record on the fake GitHub: the plan (a dry run) opens the release's record
 * with its slot and image before anything is deployed; the switch continues it to success.
 */
import { openRouter, parseRouterConfig } from '../../packages/router/index.js'
import { startFakeGitHub, type FakeGitHub } from '../../scripts/sandbox/fake-github.js'
import { startSandbox, type Sandbox } from '../../scripts/sandbox/index.js'
import { runAction, type RunOptions } from '../harness.js'

let sandbox: Sandbox
let github: FakeGitHub
beforeAll(async () => {
  sandbox = await startSandbox({ haproxy: true })
  github = await startFakeGitHub()
})
afterAll(async () => {
  expect(github.violations).toEqual([])
  await github.stop()
  await sandbox?.stop()
})

const router = () => sandbox.haproxy!.router
const withGitHub = (inputs: Record<string, unknown>): RunOptions => ({
  inputs: { router: router(), environment: 'production', ...inputs } as never,
  token: github.token,
  env: { GITHUB_API_URL: github.url },
})

test('plan opens the record (slot, image) and names the idle slot; the switch continues it to success', async () => {
  await openRouter(parseRouterConfig(router())).write({ blue: 100, green: 0 })
  const image = 'ghcr.io/acme/orders@sha256:2222'
  const plan = await runAction('blue-green-switch', withGitHub({ 'dry-run': 'true', image }))
  expect(plan.errors).toEqual([])
  expect(plan.outputs).toMatchObject({ live: 'blue', idle: 'green', switched: 'false' })
  const id = Number(plan.outputs['deployment-id'])
  const record = () => github.deployments.find((d) => d.id === id)
  // What the slot holds is on record before anything is deployed.
  expect(record()?.payload).toMatchObject({
    service: 'orders',
    strategy: 'blue-green',
    slot: 'green',
    image,
  })
  expect(record()?.statuses.map((s) => s.state)).toEqual(['in_progress'])

  const count = github.deployments.length
  const health = {
    'health-url': `${sandbox.apps.green.url}/healthz/{{slot}}`,
    'health-interval': '100ms',
  }
  const run = await runAction(
    'blue-green-switch',
    withGitHub({ to: plan.outputs.idle, 'deployment-id': id, image, ...health }),
  )
  expect(run.errors).toEqual([])
  expect(run.outputs).toMatchObject({
    active: 'green',
    switched: 'true',
    'deployment-id': String(id),
  })
  expect(github.deployments).toHaveLength(count) // one deployment per release
  expect(record()?.statuses.at(-1)?.state).toBe('success')
})
