/** Switches under continuous load from a second process: what clients see while traffic moves. */
import { startSandbox, type Sandbox } from '../../scripts/sandbox/index.js'
import { runAction as runActionAs, type RunOptions } from '../harness.js'

/** About traffic under load: records off (records are tested on the fake GitHub). */
const runAction = (action: string, options: RunOptions) =>
  runActionAs(action, { ...options, inputs: { record: 'false', ...options.inputs } })

let sandbox: Sandbox
beforeAll(async () => {
  sandbox = await startSandbox({ haproxy: true, nginx: true })
})
afterAll(async () => {
  await sandbox?.stop()
})

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))

test.each(['haproxy', 'nginx'] as const)(
  '%s: six switches under keep-alive load, no non-2xx answer',
  async (kind) => {
    const { url, router } = sandbox[kind]!
    const load = await sandbox.load(url, { concurrency: 8, keepalive: true })
    const outputs: string[] = []
    for (let i = 0; i < 6; i++) {
      await pause(200)
      const run = await runAction('blue-green-switch', { inputs: { router } })
      expect(run.exitCode).toBe(0)
      outputs.push(run.outputs.active ?? '')
    }
    await pause(300)
    const totals = await load.stop()

    expect(outputs).toEqual(['green', 'blue', 'green', 'blue', 'green', 'blue'])
    expect(totals.requests).toBeGreaterThan(100)
    // Both slots really served traffic during the run, and nothing but 200 came back.
    expect(totals.bySlot.blue).toBeGreaterThan(0)
    expect(totals.bySlot.green).toBeGreaterThan(0)
    expect(totals.non2xx).toBe(0)
    expect(totals.byStatus).toEqual({ 200: totals.ok })
    // HAProxy changes weights in place: not one connection fails. nginx's graceful reload may
    // reset idle keep-alive connections (old workers exit), which SERVERS.md measured; those are
    // client retries, not failed answers, so only HAProxy is held to zero here.
    if (kind === 'haproxy') expect(totals.errors).toBe(0)
  },
)

test('haproxy through its unix socket, as a runner on the load balancer host would reach it', async () => {
  const router = { ...sandbox.haproxy!.router, address: sandbox.haproxy!.socket }
  const run = await runAction('blue-green-switch', { inputs: { router: router, to: 'green' } })
  expect(run.exitCode).toBe(0)
  expect(run.log).toContain(`router: haproxy ${sandbox.haproxy!.socket} backend web`)
  expect(run.outputs.active).toBe('green')
  const back = await runAction('blue-green-switch', { inputs: { router: router, to: 'blue' } })
  expect(back.outputs).toMatchObject({ active: 'blue', previous: 'green', switched: 'true' })
})

test('the router given as a YAML file in the workspace', async () => {
  const { writeFile } = await import('node:fs/promises')
  const { join } = await import('node:path')
  const r = sandbox.haproxy!.router as { address: string }
  await writeFile(
    join(sandbox.dir, 'router.yml'),
    `# the same mapping teams keep in a repo variable\ntype: haproxy\naddress: ${r.address}\nbackend: web\nslots: { blue: web-blue, green: web-green }\n`,
  )
  const run = await runAction('blue-green-switch', {
    inputs: { router: 'router.yml', to: 'blue', 'dry-run': 'TRUE' },
    workspace: sandbox.dir,
  })
  expect(run.exitCode).toBe(0)
  expect(run.log).toContain('blue already carries 100% of traffic')
})
