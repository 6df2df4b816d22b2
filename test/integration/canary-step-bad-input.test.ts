/** canary-step and metrics-gate refuse bad input with a clear error, and no weight moves. */
import { openRouter, parseRouterConfig } from '../../packages/router/index.js'
import { startSandbox, type Sandbox } from '../../scripts/sandbox/index.js'
import { runAction } from '../harness.js'

let sandbox: Sandbox
beforeAll(async () => {
  sandbox = await startSandbox({ haproxy: true })
})
afterAll(async () => {
  await sandbox?.stop()
})

const router = () => sandbox.haproxy!.router
const check = {
  name: 'error-rate',
  query: 'sum(rate(http_requests_total{slot="{{canary}}"}[1m]))',
  max: 0.05,
}
const gate = (extra: object = {}) => ({
  prometheus: 'http://127.0.0.1:9090',
  checks: [check],
  ...extra,
})

type Case = [name: string, inputs: () => Record<string, unknown>, error: string | RegExp]

const cases: Case[] = [
  [
    'neither weight nor steps',
    () => ({}),
    `Give either input 'weight' (one step, 0 to 100) or input 'steps' (e.g. 5,25,50,100).`,
  ],
  [
    'both weight and steps',
    () => ({ weight: '10', steps: '5,25' }),
    `Inputs 'weight' and 'steps' were both given; give one of them.`,
  ],
  [
    'weight 150',
    () => ({ weight: '150' }),
    `Input 'weight' has the value "150"; allowed: a whole percentage from 0 to 100.`,
  ],
  [
    'weight -1',
    () => ({ weight: '-1' }),
    `Input 'weight' has the value "-1"; allowed: a whole percentage from 0 to 100.`,
  ],
  [
    'weight abc',
    () => ({ weight: 'abc' }),
    `Input 'weight' has the value "abc"; allowed: a whole percentage from 0 to 100.`,
  ],
  [
    'steps not ascending',
    () => ({ steps: '5,50,25,100' }),
    `Input 'steps' has the value "5,50,25,100"; steps must go up: 50 is followed by 25.`,
  ],
  ['steps repeated', () => ({ steps: '5,5,100' }), `steps must go up: 5 is followed by 5.`],
  [
    'a step above 100',
    () => ({ steps: '50,150' }),
    `Input 'steps' has the value "50,150": "150" is not a whole percentage from 0 to 100.`,
  ],
  [
    'a step that is not a number',
    () => ({ steps: '5,ten,100' }),
    `"ten" is not a whole percentage from 0 to 100.`,
  ],
  [
    'interval without a unit',
    () => ({ weight: '5', interval: '30' }),
    /Input 'interval' has the value "30", which is not a duration/,
  ],
  [
    'unknown on-failure',
    () => ({ weight: '5', 'on-failure': 'pause' }),
    `Input 'on-failure' has the value "pause"; allowed: rollback, hold.`,
  ],
  [
    'canary purple',
    () => ({ weight: '5', canary: 'purple' }),
    `Input 'canary' has the value "purple"; allowed: blue, green.`,
  ],
  [
    'smoke with an unknown key (checked before the first weight)',
    () => ({ weight: '5', smoke: [{ url: 'http://{{address}}/', retry: 3 }] }),
    `Input 'smoke', check 1 has unknown key "retry"; allowed for an HTTP check: url, status, body, timeout, retries, interval.`,
  ],
  [
    'smoke retries out of range',
    () => ({ weight: '5', smoke: [{ url: 'http://{{address}}/', retries: 50 }] }),
    `Input 'smoke', check 1, key 'retries' has the value 50; allowed: a whole number from 0 to 20.`,
  ],
  [
    'smoke command timeout without a unit',
    () => ({ weight: '5', smoke: [{ command: ['true'], timeout: 30 }] }),
    `Input 'smoke', check 1, key 'timeout' has the value 30; allowed: a duration from 100ms to 30m`,
  ],
  [
    'gate is a list',
    () => ({ weight: '5', gate: [check] }),
    `Input 'gate' must be a YAML mapping (prometheus, checks, ...), got a list.`,
  ],
  [
    'gate with an unknown key',
    () => ({ weight: '5', gate: gate({ treshold: 1 }) }),
    /Input 'gate' has unknown key "treshold"; allowed: prometheus, prometheus-headers, checks, vars, interval, count, failure-limit, .*initial-delay/,
  ],
  [
    'gate without prometheus',
    () => ({ weight: '5', gate: { checks: [check] } }),
    `Input 'gate.prometheus' is required: the base URL of Prometheus`,
  ],
  [
    'gate prometheus not a URL',
    () => ({ weight: '5', gate: gate({ prometheus: 'prometheus:9090' }) }),
    `Input 'gate.prometheus' has the value "prometheus:9090"; allowed: an http:// or https:// URL, e.g. http://prometheus:9090`,
  ],
  [
    'check without a bound',
    () => ({ weight: '5', gate: gate({ checks: [{ name: 'x', query: 'up' }] }) }),
    `Input 'gate.checks'[0] (x) has no bound: give 'max', 'min', or 'baseline' with 'max-increase'.`,
  ],
  [
    'check without a query',
    () => ({ weight: '5', gate: gate({ checks: [{ name: 'x', max: 1 }] }) }),
    `Input 'gate.checks'[0] (x): 'query' is required.`,
  ],
  [
    'check max not a number',
    () => ({ weight: '5', gate: gate({ checks: [{ ...check, max: 'five' }] }) }),
    `Input 'gate.checks'[0] (error-rate): 'max' is "five"; allowed: a number.`,
  ],
  [
    'check min above max',
    () => ({ weight: '5', gate: gate({ checks: [{ ...check, min: 2, max: 1 }] }) }),
    `'min' (2) is above 'max' (1), so nothing could pass.`,
  ],
  [
    'baseline without max-increase',
    () => ({ weight: '5', gate: gate({ checks: [{ ...check, baseline: 'up' }] }) }),
    `'baseline' and 'max-increase' go together`,
  ],
  [
    'unknown var in a query',
    () => ({
      weight: '5',
      gate: gate({ checks: [{ ...check, query: 'up{service="{{service}}"}' }] }),
    }),
    /Input 'gate\.checks'\[0\] \(error-rate\): 'query' uses \{\{service\}\}, which is not defined; defined: canary, stable, canary-servers, stable-servers/,
  ],
  [
    'duplicate check names',
    () => ({ weight: '5', gate: gate({ checks: [check, check] }) }),
    `Input 'gate.checks'[1] (error-rate): the name is used twice; names must be unique.`,
  ],
  [
    'unknown key in a check',
    () => ({ weight: '5', gate: gate({ checks: [{ ...check, maximum: 1 }] }) }),
    /Input 'gate\.checks'\[0\] has unknown key "maximum"; allowed: name, query, max, min, baseline, max-increase/,
  ],
  [
    'gate failure-limit negative',
    () => ({ weight: '5', gate: gate({ 'failure-limit': -1 }) }),
    `Input 'gate.failure-limit' has the value "-1"; allowed: a whole number from 0 to 1000.`,
  ],
  [
    'gate no-data unknown',
    () => ({ weight: '5', gate: gate({ 'no-data': 'pass' }) }),
    `Input 'gate.no-data' has the value "pass"; allowed: fail, inconclusive.`,
  ],
  [
    'dry-run yes',
    () => ({ weight: '5', 'dry-run': 'yes' }),
    `Input 'dry-run' has the value "yes"; allowed: true or false (any letter case).`,
  ],
  [
    'records on without environment',
    () => ({ weight: '5', record: 'true', environment: '' }),
    `Input 'environment' is required when records are on (record: true) and was not given`,
  ],
  [
    'service with a slash',
    () => ({ weight: '5', service: 'acme/orders' }),
    `Input 'service' has the value "acme/orders"; allowed: 1 to 100 letters, digits`,
  ],
  [
    'deployment-id not a number',
    () => ({ weight: '5', 'deployment-id': '12abc' }),
    /Input 'deployment-id' has the value "12abc"; allowed: a whole number/,
  ],
  [
    'production-environment yes',
    () => ({ weight: '5', 'production-environment': 'yes' }),
    `Input 'production-environment' has the value "yes"; allowed: true or false`,
  ],
  [
    'router list with a bad slot',
    () => ({ weight: '5', router: [router(), { ...router(), slots: { blue: 'web-blue' } }] }),
    /Input 'router': 'router\[1\]\.slots\.green' is required/,
  ],
  [
    'router missing',
    () => ({ weight: '5', router: '' }),
    `Input 'router' is required and was not given.`,
  ],
]

describe('canary-step refuses bad input; traffic stays at blue 100%', () => {
  test.each(cases)('%s', async (_name, inputs, error) => {
    const run = await runAction('canary-step', {
      inputs: { router: router(), record: 'false', ...inputs() } as never,
    })
    expect(run.exitCode).toBe(1)
    expect(run.errors).toHaveLength(1)
    if (typeof error === 'string') expect(run.errors[0]).toContain(error)
    else expect(run.errors[0]).toMatch(error)
    expect(run.outputs).toEqual({})
    expect(await openRouter(parseRouterConfig(router())).read()).toEqual({ blue: 100, green: 0 })
  })

  test('the canary cannot be guessed when both slots carry the same traffic', async () => {
    const r = openRouter(parseRouterConfig(router()))
    await r.write({ blue: 50, green: 50 })
    try {
      const run = await runAction('canary-step', {
        inputs: { router: router(), weight: '60', interval: '100ms', record: 'false' },
      })
      expect(run.exitCode).toBe(1)
      expect(run.errors[0]).toContain(
        `Input 'canary' is needed: traffic is blue 50% / green 50%, so neither slot carries less.`,
      )
      expect(await r.read()).toEqual({ blue: 50, green: 50 })
    } finally {
      await r.write({ blue: 100, green: 0 })
    }
  })
})

describe('metrics-gate refuses bad input', () => {
  const plain = { name: 'up', query: 'sum(up)', min: 1 }
  test.each([
    [
      'no checks',
      { prometheus: 'http://127.0.0.1:9090' },
      `Input 'checks' must be a YAML list of checks`,
    ],
    [
      'count 0',
      { prometheus: 'http://127.0.0.1:9090', checks: [plain], count: '0' },
      `Input 'count' has the value "0"; allowed: a whole number from 1 to 1000.`,
    ],
    [
      'interval too short',
      { prometheus: 'http://127.0.0.1:9090', checks: [plain], interval: '10ms' },
      `Input 'interval' has the value "10ms"; allowed: at least 100ms.`,
    ],
    [
      'headers not a mapping',
      { prometheus: 'http://127.0.0.1:9090', checks: [plain], 'prometheus-headers': '- a' },
      `Input 'prometheus-headers' must be a YAML mapping of header names to values`,
    ],
    [
      'vars not a mapping',
      { prometheus: 'http://127.0.0.1:9090', checks: [plain], vars: '- a' },
      `Input 'vars' must be a YAML mapping of names to values, got a list.`,
    ],
    [
      'query uses {{canary}} without vars',
      { prometheus: 'http://127.0.0.1:9090', checks: [check] },
      `Input 'checks'[0] (error-rate): 'query' uses {{canary}}, which is not defined; defined: none.`,
    ],
  ])('%s', async (_name, inputs, error) => {
    const run = await runAction('metrics-gate', { inputs: inputs as never })
    expect(run.exitCode).toBe(1)
    expect(run.errors[0]).toContain(error)
    expect(run.outputs).toEqual({})
  })
})
