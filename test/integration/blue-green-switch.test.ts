import { get } from 'node:http'
import { openRouter, parseRouterConfig, type Weights } from '../../packages/router/index.js'
import { startSandbox, type Sandbox } from '../../scripts/sandbox/index.js'
import { runAction as runActionAs } from '../harness.js'

/** These tests are about traffic: records off (records are tested with the fake GitHub). */
const runAction = (action: string, options: { inputs: Record<string, unknown> }) =>
  runActionAs(action, { ...options, inputs: { record: 'false', ...options.inputs } as never })

let sandbox: Sandbox
beforeAll(async () => {
  sandbox = await startSandbox({ haproxy: true, nginx: true })
})
afterAll(async () => {
  await sandbox?.stop()
})

const routers = () => ({ haproxy: sandbox.haproxy!, nginx: sandbox.nginx! })
const routerOf = (kind: 'haproxy' | 'nginx') =>
  openRouter(parseRouterConfig(routers()[kind].router))
/** A slot's servers as the router names them: HAProxy's server name, nginx's host:port. */
const serversOf = (kind: 'haproxy' | 'nginx', slot: 'blue' | 'green') => {
  const address = new URL(sandbox.apps[slot].url).host
  return [{ name: kind === 'haproxy' ? `web-${slot}` : address, address }]
}
const readWeights = (kind: 'haproxy' | 'nginx'): Promise<Weights> => routerOf(kind).read()

/**
 * Which slots answer clients through the router now. A new connection per request: nginx's
 * graceful reload closes idle keep-alive connections, which a pooled client sees as a reset.
 */
async function servedBy(url: string): Promise<Set<string>> {
  const seen = new Set<string>()
  for (let i = 0; i < 20; i++) {
    seen.add(
      await new Promise<string>((resolve, reject) =>
        get(url, { agent: false }, (res) => {
          res.resume()
          resolve(String(res.headers['x-slot'] ?? 'none'))
        }).on('error', reject),
      ),
    )
  }
  return seen
}

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`never true: ${what}`)
}

describe.each(['haproxy', 'nginx'] as const)('blue-green-switch on %s', (kind) => {
  beforeEach(async () => {
    await routerOf(kind).write({ blue: 100, green: 0 })
  })

  test('switches blue -> green and back, and clients follow', async () => {
    const { url, router } = routers()[kind]
    const toGreen = await runAction('blue-green-switch', { inputs: { router, to: 'green' } })
    expect(toGreen.exitCode).toBe(0)
    expect(toGreen.outputs).toMatchObject({ active: 'green', previous: 'blue', switched: 'true' })
    expect(toGreen.outputs).toMatchObject({ live: 'green', idle: 'blue' })
    expect(JSON.parse(toGreen.outputs['idle-servers'] ?? '')).toEqual(serversOf(kind, 'blue'))
    expect(await readWeights(kind)).toEqual({ blue: 0, green: 100 })
    await eventually(
      async () => (await servedBy(url)).size === 1 && (await servedBy(url)).has('green'),
      'all traffic on green',
    )
    expect(toGreen.summary).toContain('Blue-green switch: blue → green')
    expect(toGreen.summary).toMatch(/\| after \| 0% \| 100% \|/)

    const back = await runAction('blue-green-switch', { inputs: { router, to: 'blue' } })
    expect(back.outputs).toMatchObject({ active: 'blue', previous: 'green', switched: 'true' })
    expect(await readWeights(kind)).toEqual({ blue: 100, green: 0 })
  })

  test('to: idle (the default) flips the live slot; re-running with the same target is a no-op', async () => {
    const { router } = routers()[kind]
    const first = await runAction('blue-green-switch', { inputs: { router } })
    expect(first.outputs).toMatchObject({ active: 'green', previous: 'blue', switched: 'true' })
    const again = await runAction('blue-green-switch', { inputs: { router, to: 'green' } })
    expect(again.exitCode).toBe(0)
    expect(again.outputs).toMatchObject({ active: 'green', previous: 'green', switched: 'false' })
    expect(again.log).toContain('green already carries 100% of traffic')
    expect(await readWeights(kind)).toEqual({ blue: 0, green: 100 })
  })

  test('dry run prints the plan and moves nothing', async () => {
    const { router } = routers()[kind]
    const run = await runAction('blue-green-switch', { inputs: { router, 'dry-run': 'true' } })
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({
      active: 'blue',
      previous: 'blue',
      switched: 'false',
      live: 'blue',
      idle: 'green',
    })
    // The idle slot and its servers, so a pipeline deploys there without parsing the log.
    expect(JSON.parse(run.outputs['idle-servers'] ?? '')).toEqual(serversOf(kind, 'green'))
    expect(run.log).toContain(
      'dry run: would move traffic from blue 100% / green 0% to blue 0% / green 100%',
    )
    expect(await readWeights(kind)).toEqual({ blue: 100, green: 0 })
  })

  test('an unhealthy target: nothing moves, the step fails and says why', async () => {
    const { router } = routers()[kind]
    await sandbox.apps.green.control({ healthy: false })
    try {
      const run = await runAction('blue-green-switch', {
        inputs: {
          router,
          'health-url': `${sandbox.apps.green.url}/healthz`,
          // One attempt, with seconds for the app to answer (interval = timeout): a loaded
          // machine must not turn the 503 into "no answer".
          'health-interval': '5s',
          'health-timeout': '5s',
        },
      })
      expect(run.exitCode).toBe(1)
      expect(run.errors.join('\n')).toMatch(
        /Deployment failed: health check of http:\/\/127\.0\.0\.1:\d+\/healthz did not pass: 3 2xx answers in a row were needed within 5s; after \d+ attempts the last was HTTP 503/,
      )
      expect(run.errors.join('\n')).toContain(
        'No traffic was moved: traffic stays at blue 100% / green 0%',
      )
      // Where it stopped: the health check; no gate judged anything.
      expect(run.outputs).toEqual({ verdict: 'none', phase: 'health', figures: '{}' })
      expect(await readWeights(kind)).toEqual({ blue: 100, green: 0 })
    } finally {
      await sandbox.apps.green.control({ healthy: true })
    }
  })

  test('{{slot}} in health-url names the target slot', async () => {
    const { router } = routers()[kind]
    // Green's app answers /healthz/green, and 404 for any other slot's path.
    const url = `${sandbox.apps.green.url}/healthz/{{slot}}`
    const wrong = await runAction('blue-green-switch', {
      inputs: {
        router,
        to: 'blue',
        'health-url': url,
        'health-interval': '5s', // one attempt, with seconds to answer
        'health-timeout': '5s',
      },
    })
    expect(wrong.outputs.switched).toBe('false') // blue is live already: no check, nothing to do
    const run = await runAction('blue-green-switch', {
      inputs: { router, 'health-url': url, 'health-interval': '100ms' },
    })
    expect(run.exitCode).toBe(0)
    expect(run.log).toContain(`health ${sandbox.apps.green.url}/healthz/green: HTTP 200`)
    const back = await runAction('blue-green-switch', {
      inputs: {
        router,
        to: 'blue',
        'health-url': url,
        'health-interval': '5s', // one attempt, with seconds to answer
        'health-timeout': '5s',
      },
    })
    expect(back.exitCode).toBe(1)
    expect(back.errors[0]).toContain(
      `health check of ${sandbox.apps.green.url}/healthz/blue did not pass`,
    )
    expect(await readWeights(kind)).toEqual({ blue: 0, green: 100 })
  })

  test('without health-url the switch says so in a warning and in the job summary', async () => {
    const { router } = routers()[kind]
    const run = await runAction('blue-green-switch', { inputs: { router } })
    expect(run.exitCode).toBe(0)
    expect(run.warnings.join('\n')).toContain(
      'no health-url: the target slot is not checked before traffic moves to it',
    )
    expect(run.summary).toContain('⚠️ none: no health-url')
  })

  test('a healthy target passes its checks first, then switches', async () => {
    const { router } = routers()[kind]
    const run = await runAction('blue-green-switch', {
      inputs: {
        router,
        'health-url': `${sandbox.apps.green.url}/healthz`,
        'health-interval': '100ms',
      },
    })
    expect(run.exitCode).toBe(0)
    expect(run.log).toMatch(/health .*: HTTP 200 in \d+ ms \(3\/3 in a row\)/)
    expect(await readWeights(kind)).toEqual({ blue: 0, green: 100 })
  })
})

test('health-url does not follow redirects: a 302 to a healthy page is unhealthy, and the log says so', async () => {
  const { createServer } = await import('node:http')
  // Answers /moved with a redirect to green's real, healthy /healthz.
  const server = createServer((_req, res) => {
    res.writeHead(302, { location: `${sandbox.apps.green.url}/healthz` })
    res.end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  try {
    await routerOf('haproxy').write({ blue: 100, green: 0 })
    const run = await runAction('blue-green-switch', {
      inputs: {
        router: routers().haproxy.router,
        'health-url': `http://127.0.0.1:${port}/moved`,
        'health-interval': '5s', // one attempt, with seconds to answer
        'health-timeout': '5s',
      },
    })
    expect(run.exitCode).toBe(1)
    expect(run.log).toContain(`HTTP 302 redirect to ${sandbox.apps.green.url}/healthz in`)
    expect(run.log).toContain('(redirects are not followed: unhealthy)')
    expect(await readWeights('haproxy')).toEqual({ blue: 100, green: 0 })
  } finally {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
})
