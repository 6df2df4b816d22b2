/**
 * canary-step and metrics-gate through their bundles, against a real Prometheus scraping the
 * slots' apps (1 s scrape interval) behind real HAProxy and nginx, with load running.
 */
import {
  openRouter,
  parseRouterConfig,
  type HaproxyRouter,
  type Weights,
} from '../../packages/router/index.js'
import { freePort, startSandbox, type LoadRun, type Sandbox } from '../../scripts/sandbox/index.js'
import { runAction as run, startAction as start, type RunOptions } from '../harness.js'

/** canary-step runs here are about traffic and the gate: records off (tested on the fake GitHub). */
const recordsOff = (action: string, options: RunOptions): RunOptions =>
  action === 'canary-step'
    ? { ...options, inputs: { record: 'false', ...options.inputs } }
    : options
const runAction = (action: string, options: RunOptions) => run(action, recordsOff(action, options))
const startAction = (action: string, options: RunOptions) =>
  start(action, recordsOff(action, options))

let sandbox: Sandbox
let loads: LoadRun[] = []
beforeAll(async () => {
  sandbox = await startSandbox({ haproxy: true, nginx: true, prometheus: true })
  loads = [
    await sandbox.load(sandbox.haproxy!.url, { concurrency: 6, keepalive: true }),
    await sandbox.load(sandbox.nginx!.url, { concurrency: 2, keepalive: false }),
  ]
  await sandbox.prometheus!.waitForData()
}, 60_000)
afterAll(async () => {
  for (const load of loads) await load.stop()
  await sandbox?.stop()
})

const routerOf = (kind: 'haproxy' | 'nginx') => openRouter(parseRouterConfig(sandbox[kind]!.router))
const weights = (kind: 'haproxy' | 'nginx'): Promise<Weights> => routerOf(kind).read()

// Each test deploys its own version and the queries select it, so no test judges traffic that
// an earlier test sent, however long the rate window.
const ERROR_RATE = {
  name: 'error-rate',
  query:
    'sum(rate(http_requests_total{slot="{{canary}}",version="{{version}}",code=~"5.."}[10s])) / sum(rate(http_requests_total{slot="{{canary}}",version="{{version}}"}[10s]))',
  max: 0.05,
}
const P99 = {
  name: 'p99-latency',
  query:
    'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{slot="{{canary}}",version="{{version}}"}[10s])))',
  max: 0.25,
}
let version = ''
const gate = (checks: object[], extra: object = {}) => ({
  prometheus: sandbox.prometheus!.url,
  interval: '2s',
  vars: { version },
  checks,
  ...extra,
})

let tests = 0
beforeEach(async () => {
  version = `v${++tests}`
  await Promise.all([
    routerOf('haproxy').write({ blue: 100, green: 0 }),
    routerOf('nginx').write({ blue: 100, green: 0 }),
  ])
  for (const slot of ['blue', 'green'] as const) {
    await sandbox.apps[slot].control({ errorRate: 0, latencyMs: 0, healthy: true, version })
  }
})

test('a healthy canary walks 5 -> 25 -> 50 -> 100 on HAProxy and becomes live', async () => {
  const run = await runAction('canary-step', {
    inputs: {
      router: sandbox.haproxy!.router,
      steps: '5,25,50,100',
      interval: '2s',
      gate: gate([ERROR_RATE, P99]),
    },
  })
  expect(run.errors).toEqual([])
  expect(run.exitCode).toBe(0)
  expect(run.outputs).toMatchObject({
    weight: '100',
    canary: 'green',
    stable: 'blue',
    verdict: 'pass',
    live: 'green',
    idle: 'blue',
  })
  expect(await weights('haproxy')).toEqual({ blue: 0, green: 100 })
  expect(run.log).toMatch(/step 1\/4: canary green at 5% \(blue 95% \/ green 5%\)/)
  expect(run.log).toContain('canary green passed every step and is now the live slot')
  // The summary: a table per step with each check's value against its bound, and charts.
  expect(run.summary).toContain('Canary green: pass, canary at 100%')
  expect(run.summary.match(/\*\*Step \d: canary at \d+%\*\*/g)).toHaveLength(4)
  expect(run.summary).toMatch(/\| error-rate \| [0-9.e-]+ \| <= 0\.05 \| ✅ pass \|/)
  expect(run.summary).toContain('```mermaid\nxychart-beta')
  expect(JSON.parse(run.state.walk ?? '{}')).toEqual({
    canary: 'green',
    stable: 'blue',
    weight: 100,
    finished: true,
  })
})

test('a healthy canary on nginx, in one step given as weight', async () => {
  const run = await runAction('canary-step', {
    inputs: { router: sandbox.nginx!.router, weight: 30, interval: '2s', gate: gate([ERROR_RATE]) },
  })
  expect(run.exitCode).toBe(0)
  expect(run.outputs).toMatchObject({
    weight: '30',
    canary: 'green',
    stable: 'blue',
    verdict: 'pass',
    live: 'split',
    idle: 'none',
    'idle-servers': '[]',
  })
  expect(await weights('nginx')).toEqual({ blue: 70, green: 30 })
})

test.each(['haproxy', 'nginx'] as const)(
  '%s: a canary answering 8%% 5xx fails at the first step and stable is back at 100%%',
  async (kind) => {
    await sandbox.apps.green.control({ errorRate: 0.08 })
    const run = await runAction('canary-step', {
      inputs: {
        router: sandbox[kind]!.router,
        steps: '20,50,100',
        interval: '4s',
        gate: gate([ERROR_RATE]),
      },
    })
    expect(run.exitCode).toBe(1)
    expect(run.outputs.verdict).toBe('fail')
    expect(run.outputs.weight).toBe('0')
    expect(run.errors[0]).toMatch(
      /Deployment failed: step 1 \(canary 20%\) fail: error-rate failed 1 time\(s\), more than failure-limit 0: 0\.\d+ > max 0\.05; stable blue is back at 100%\./,
    )
    expect(await weights(kind)).toEqual({ blue: 100, green: 0 })
    expect(run.log).toContain('stable blue carries 100% again')
    const measured = Number(/error-rate: (0\.\d+) \(<= 0\.05\) fail/.exec(run.log)?.[1])
    expect(measured).toBeGreaterThan(0.05)
    expect(measured).toBeLessThan(0.12)
    expect(run.summary).toContain('rolled back to stable blue')
  },
)

test('a canary with p99 above the bound fails and rolls back', async () => {
  await sandbox.apps.green.control({ latencyMs: 400 })
  const run = await runAction('canary-step', {
    inputs: {
      router: sandbox.haproxy!.router,
      steps: '10,100',
      interval: '4s',
      gate: gate([ERROR_RATE, P99]),
    },
  })
  expect(run.exitCode).toBe(1)
  expect(run.errors[0]).toMatch(
    /p99-latency failed 1 time\(s\), more than failure-limit 0: 0\.\d+ > max 0\.25/,
  )
  expect(await weights('haproxy')).toEqual({ blue: 100, green: 0 })
})

test('the baseline comparison catches a canary 50% slower than stable, both under the absolute bound', async () => {
  version = `${version}-slow` // only requests served at the new latencies count
  await sandbox.apps.blue.control({ latencyMs: 20, version })
  await sandbox.apps.green.control({ latencyMs: 30, version })
  const mean = (slot: string) =>
    `sum(rate(http_request_duration_seconds_sum{slot="${slot}",version="{{version}}"}[10s])) / sum(rate(http_request_duration_seconds_count{slot="${slot}",version="{{version}}"}[10s]))`
  const run = await runAction('canary-step', {
    inputs: {
      router: sandbox.haproxy!.router,
      steps: '25,50',
      interval: '4s',
      gate: gate([
        {
          name: 'mean-latency',
          query: mean('{{canary}}'),
          max: 10,
          baseline: mean('{{stable}}'),
          'max-increase': 1.2,
        },
      ]),
    },
  })
  expect(run.exitCode).toBe(1)
  const [, canaryMean, stableMean] =
    /mean-latency failed 1 time\(s\), more than failure-limit 0: (0\.\d+) > 1\.2 × baseline (0\.\d+) =/.exec(
      run.errors[0] ?? '',
    ) ?? []
  // Both means are far under the absolute bound of 10 s; only the comparison with stable catches it.
  expect(Number(stableMean)).toBeGreaterThanOrEqual(0.02)
  expect(Number(canaryMean)).toBeGreaterThan(Number(stableMean) * 1.2)
  expect(Number(canaryMean)).toBeLessThan(10)
  expect(await weights('haproxy')).toEqual({ blue: 100, green: 0 })
})

test('dry run: nothing moves, verdict none, and the outputs name the idle slot and its servers', async () => {
  const run = await runAction('canary-step', {
    inputs: {
      router: sandbox.nginx!.router,
      steps: '5,50,100',
      'dry-run': 'true',
      gate: gate([ERROR_RATE]),
    },
  })
  expect(run.exitCode).toBe(0)
  const address = new URL(sandbox.apps.green.url).host
  expect(run.outputs).toEqual({
    weight: '0',
    canary: 'green',
    stable: 'blue',
    live: 'blue',
    idle: 'green',
    'idle-servers': JSON.stringify([{ name: address, address }]),
    'rolled-back': 'false',
    reason: '',
    verdict: 'none',
    phase: 'done',
    figures: '{}',
  })
  expect(run.log).toContain('dry run: would walk canary green through 5 → 50 → 100%')
  expect(await weights('nginx')).toEqual({ blue: 100, green: 0 })
})

test('Prometheus down: the verdict is never pass, and stable is restored', async () => {
  const down = `http://127.0.0.1:${await freePort()}`
  const run = await runAction('canary-step', {
    inputs: {
      router: sandbox.haproxy!.router,
      steps: '10,100',
      interval: '1s',
      gate: { ...gate([ERROR_RATE]), prometheus: down },
    },
  })
  expect(run.exitCode).toBe(1)
  // A gate that never produced a value is inconclusive (Argo's semantics), never a pass.
  expect(run.outputs.verdict).toBe('inconclusive')
  expect(run.errors[0]).toContain('error-rate never produced a value')
  expect(run.errors[0]).toContain(`cannot reach Prometheus at ${down}: ECONNREFUSED`)
  expect(run.errors[0]).toContain('stable blue is back at 100%')
  expect(await weights('haproxy')).toEqual({ blue: 100, green: 0 })
})

describe('metrics-gate', () => {
  const inputs = (checks: object[], extra: Record<string, string> = {}) => ({
    prometheus: sandbox.prometheus!.url,
    checks,
    interval: '500ms',
    count: '2',
    ...extra,
  })

  test('passes healthy checks and reports every measurement', async () => {
    await new Promise((r) => setTimeout(r, 2000)) // this test's version is scraped first
    const run = await runAction('metrics-gate', {
      inputs: inputs(
        [{ ...ERROR_RATE, query: ERROR_RATE.query.replace(/\{\{canary\}\}/g, '{{slot}}') }],
        { vars: `{ slot: blue, version: ${version} }` },
      ),
    })
    expect(run.exitCode).toBe(0)
    expect(run.outputs.verdict).toBe('pass')
    const report = JSON.parse(run.outputs.report ?? '{}')
    expect(report.measurements).toHaveLength(2)
    expect(report.measurements[0]).toEqual(
      expect.objectContaining({
        check: 'error-rate',
        outcome: 'pass',
        bound: '<= 0.05',
        value: expect.any(Number),
      }),
    )
    expect(run.summary).toContain('Metrics gate: ✅ pass')
  })

  test.each([
    [
      'no data is inconclusive, not a pass',
      [{ name: 'absent', query: 'sum(rate(no_such_metric_total[10s]))', max: 1 }],
      {},
      'inconclusive',
      'the query returned no series (no data); inconclusive is not a pass',
    ],
    [
      'no data can be made a failure',
      [{ name: 'absent', query: 'sum(rate(no_such_metric_total[10s]))', max: 1 }],
      { 'no-data': 'fail' },
      'fail',
      'absent failed 1 time(s), more than failure-limit 0: the query returned no series (no data)',
    ],
    // A measurement error is never a pass; a check that only errored ends inconclusive (and
    // fails once consecutive-error-limit is exceeded, see the unit tables).
    [
      'malformed PromQL is an error, never a pass',
      [{ name: 'broken', query: 'sum(rate(http_requests_total[10s]', max: 1 }],
      {},
      'inconclusive',
      'broken never produced a value (2 error(s)): Prometheus answered HTTP 400 bad_data',
    ],
    [
      'several series where one is expected',
      [{ name: 'per-slot', query: 'sum by (slot) (rate(http_requests_total[10s]))', max: 1e9 }],
      {},
      'inconclusive',
      'the query returned 2 series',
    ],
    [
      'NaN is an error',
      [{ name: 'nan', query: 'vector(0) / vector(0)', max: 1 }],
      {},
      'inconclusive',
      'the query returned NaN',
    ],
    [
      '+Inf is an error',
      [{ name: 'inf', query: 'vector(1) / vector(0)', max: 1e9 }],
      {},
      'inconclusive',
      'the query returned +Inf',
    ],
  ])('%s', async (_name, checks, extra, verdict, message) => {
    const run = await runAction('metrics-gate', {
      inputs: inputs(checks, extra as Record<string, string>),
    })
    expect(run.exitCode).toBe(1)
    expect(run.outputs.verdict).toBe(verdict)
    expect(run.errors[0]).toContain(message)
  })

  test('failure-limit tolerates failed measurements, but a check that never passed is no pass', async () => {
    const checks = [{ name: 'always-high', query: 'vector(2)', max: 1 }]
    const tolerated = await runAction('metrics-gate', {
      inputs: inputs(checks, { count: '3', 'failure-limit': '3' }),
    })
    expect(tolerated.outputs.verdict).toBe('inconclusive')
    expect(tolerated.errors[0]).toContain(
      'always-high did not pass once in 3 measurement(s) (3 failed within failure-limit 3',
    )
    const failsFast = await runAction('metrics-gate', {
      inputs: inputs(checks, { count: '5', 'failure-limit': '1' }),
    })
    expect(failsFast.outputs.verdict).toBe('fail')
    expect(JSON.parse(failsFast.outputs.report ?? '{}').measurements).toHaveLength(2)
  })

  test('prometheus-headers are sent and masked', async () => {
    const run = await runAction('metrics-gate', {
      inputs: inputs([{ name: 'one', query: 'vector(1)', max: 1 }], {
        'prometheus-headers': 'Authorization: Bearer s3cr3t-token',
        count: '1',
      }),
    })
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toContain('::add-mask::Bearer s3cr3t-token')
    expect(run.log).not.toContain('s3cr3t')
    expect(run.summary).not.toContain('s3cr3t')
  })
})

describe('cancellation', () => {
  test('SIGINT mid-walk restores the stable slot, and the post step finds nothing left to do', async () => {
    const running = await startAction('canary-step', {
      inputs: { router: sandbox.haproxy!.router, steps: '10,50,100', interval: '30s' },
    })
    await running.waitForLog('step 1/3: canary green at 10%')
    expect(await weights('haproxy')).toEqual({ blue: 90, green: 10 })
    running.child.kill('SIGINT')
    const main = await running.done
    expect(main.exitCode).toBe(1)
    expect(main.log).toContain(
      'received SIGINT: stopping the canary walk and restoring the stable slot',
    )
    expect(main.log).toContain('stable blue carries 100% again')
    expect(main.outputs.verdict).toBe('cancelled')
    expect(await weights('haproxy')).toEqual({ blue: 100, green: 0 })

    const post = await runAction('canary-step', {
      phase: 'post',
      state: main.state,
      inputs: { router: sandbox.haproxy!.router, steps: '10,50,100' },
    })
    expect(post.exitCode).toBe(0)
    expect(post.log).toContain('the walk finished in the main step; nothing to restore')
  })

  test('when main dies mid-walk (killed), the post step puts stable back at 100% and says so', async () => {
    const running = await startAction('canary-step', {
      inputs: { router: sandbox.haproxy!.router, steps: '10,50,100', interval: '30s' },
    })
    await running.waitForLog('step 1/3: canary green at 10%')
    running.child.kill('SIGKILL')
    const main = await running.done
    expect(main.signal).toBe('SIGKILL')
    expect(await weights('haproxy')).toEqual({ blue: 90, green: 10 })
    expect(JSON.parse(main.state.walk ?? '{}')).toEqual({
      canary: 'green',
      stable: 'blue',
      weight: 10,
      finished: false,
    })

    const post = await runAction('canary-step', {
      phase: 'post',
      state: main.state,
      inputs: { router: sandbox.haproxy!.router, steps: '10,50,100' },
    })
    expect(post.exitCode).toBe(0)
    expect(post.log).toContain(
      'the canary walk was interrupted at blue 90% / green 10%: restoring stable blue to 100%',
    )
    expect(post.log).toContain('restored: stable blue carries 100%')
    expect(await weights('haproxy')).toEqual({ blue: 100, green: 0 })
  })
})

describe('an operator changes the router by hand mid-walk', () => {
  test("HAProxy: stable put back with 'set server ... weight' between steps is not overwritten; the step fails saying so", async () => {
    const running = await startAction('canary-step', {
      inputs: { router: sandbox.haproxy!.router, steps: '10,50,100', interval: '8s' },
    })
    await running.waitForLog('step 1/3: canary green at 10%')
    expect(await weights('haproxy')).toEqual({ blue: 90, green: 10 })
    // The operator, through HAProxy's runtime API, while the step holds.
    expect(
      (
        await (routerOf('haproxy') as HaproxyRouter).command('set server web/web-green weight 0')
      ).trim(),
    ).toBe('')
    const main = await running.done
    expect(main.exitCode).toBe(1)
    expect(main.errors[0]).toMatch(
      /holds blue 100% \/ green 0%, but this walk had set blue 90% \/ green 10% \(step 1\): someone or something else changed it, and the walk will not overwrite it: it stops before raising canary green to 50%; traffic stays at blue 100% \/ green 0%: stable blue carries 100%/,
    )
    expect(main.outputs).toMatchObject({
      verdict: 'cancelled',
      weight: '0',
      'rolled-back': 'false',
    })
    expect(main.log).not.toContain('step 2/3')
    expect(await weights('haproxy')).toEqual({ blue: 100, green: 0 })
    // The walk ended in the main step: its post step moves nothing either.
    const post = await runAction('canary-step', {
      phase: 'post',
      state: main.state,
      inputs: { router: sandbox.haproxy!.router, steps: '10,50,100' },
    })
    expect(post.exitCode).toBe(0)
    expect(post.log).toContain('the walk finished in the main step; nothing to restore')
  })
})
