/**
 * A flag router's gate judges users, not servers: {{canary}}/{{stable}} (and a comparison's
 * {{slot}}) are bound to the flag's variant labels, which its servers() names its slots by
 * (packages/router/flag.ts, actions/common/inputs.ts slotBinder). The pure pieces as tables, then
 * a walk over the in-memory router named like a flag, with a fake Prometheus that records what it
 * was asked.
 */
import { ConfigurationError, silentLog } from '../../packages/action-kit/index.js'
import type { Slot, SlotServers } from '../../packages/domain/index.js'
import {
  parseGate,
  readGateInput,
  SLOT_PLACEHOLDERS,
  type Check,
} from '../../packages/gate/index.js'
import {
  FLAG_NO_HEALTH,
  flagServers,
  gateSlotNames,
  isFlagRouter,
  MemoryRouter,
  routerKind,
} from '../../packages/router/index.js'
import { blueGreenSwitch, rollback, runCanary } from '../../packages/traffic/index.js'
import { NO_HEALTH_URL } from '../../packages/traffic/health.js'
import { slotBinder } from '../../actions/common/inputs.js'
import { flagKeys, recordService } from '../../actions/common/records-inputs.js'

const LABELS = { off: 'control', on: 'treatment' }
const FLAG = flagServers(LABELS, 'unleash checkout-v2')
const HOSTS: SlotServers = {
  blue: [{ name: 'web-blue-1', address: '10.0.0.1:80' }],
  green: [{ name: 'web-green-1', address: '10.0.0.2:80' }],
}

describe('routerKind', () => {
  test.each<[string[], 'traffic' | 'flag']>([
    [['haproxy'], 'traffic'],
    [['nginx', 'haproxy'], 'traffic'],
    [['kubernetes'], 'traffic'],
    [['dns'], 'traffic'],
    [['unleash'], 'flag'],
    [['flagd'], 'flag'],
    [['unleash', 'flagd'], 'flag'],
  ])('%j is %s', (types, kind) => {
    expect(routerKind(types)).toBe(kind)
  })

  test('a list mixing flags and traffic routers is refused, naming both kinds and what is allowed', () => {
    expect(() => routerKind(['haproxy', 'unleash', 'haproxy'])).toThrow(ConfigurationError)
    expect(() => routerKind(['haproxy', 'unleash', 'haproxy'])).toThrow(
      "Input 'router' lists flag routers (unleash) together with traffic routers (haproxy); allowed: a list of flag routers only (unleash, flagd) or of traffic routers only.",
    )
  })
})

describe('gateSlotNames', () => {
  test.each<[string, 'traffic' | 'flag', SlotServers, Record<Slot, string> | string]>([
    ['a traffic router: the slot names', 'traffic', HOSTS, { blue: 'blue', green: 'green' }],
    [
      'a traffic router named like a flag: still the slots',
      'traffic',
      FLAG,
      { blue: 'blue', green: 'green' },
    ],
    ['a flag: its variant labels', 'flag', FLAG, { blue: 'control', green: 'treatment' }],
    [
      'the default labels',
      'flag',
      flagServers({ off: 'off', on: 'on' }, 'flagd /etc/flags.json'),
      { blue: 'off', green: 'on' },
    ],
    [
      'a list of flags with the same labels (a group repeats them)',
      'flag',
      {
        blue: [FLAG.blue[0]!, { name: 'control', address: 'flagd /etc/flags.json' }],
        green: [FLAG.green[0]!, { name: 'treatment', address: 'flagd /etc/flags.json' }],
      },
      { blue: 'control', green: 'treatment' },
    ],
    [
      'a list of flags that label the on state differently',
      'flag',
      { blue: FLAG.blue, green: [...FLAG.green, { name: 'on', address: 'flagd x' }] },
      `The flag router's on state (slot green) has the variant labels "treatment", "on"; the gate's {{canary}}/{{stable}} need exactly one`,
    ],
    [
      'a flag with no label for off',
      'flag',
      { blue: [], green: FLAG.green },
      "The flag router's off state (slot blue) has no variant label",
    ],
    [
      'the same label for both states',
      'flag',
      flagServers({ off: 'x', on: 'x' }, 'unleash f'),
      `The flag router's off and on states have the same variant label "x"`,
    ],
  ])('%s', (_name, kind, servers, expected) => {
    if (typeof expected === 'string') expect(() => gateSlotNames(kind, servers)).toThrow(expected)
    else expect(gateSlotNames(kind, servers)).toEqual(expected)
  })
})

const GATE = {
  prometheus: 'http://prometheus.example:9090',
  interval: '1s',
  count: 1,
  'initial-delay': '0s',
  checks: [
    {
      name: 'errors-vs-off',
      compare: 'error-rate',
      requests: 'sum(http_requests_total{feature_flag_variant="{{slot}}"})',
      errors: 'sum(http_requests_total{feature_flag_variant="{{slot}}",code=~"5.."})',
      margin: 0.01,
    },
    {
      name: 'p99',
      query:
        'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{feature_flag_variant="{{canary}}"}[5m])))',
      max: 2,
      samples:
        'sum(increase(http_request_duration_seconds_count{feature_flag_variant="{{canary}}"}[5m]))',
      'min-samples': 50,
    },
  ],
}

const bound = (kind: 'traffic' | 'flag', servers: SlotServers, canary: Slot): Check[] => {
  const gate = readGateInput(GATE, { provided: SLOT_PLACEHOLDERS, stepMs: 1000 })!
  const stable: Slot = canary === 'green' ? 'blue' : 'green'
  return slotBinder(gate, { kind })({ canary, stable, servers }).checks
}

describe('slotBinder', () => {
  test('a flag router: {{canary}} is the on label, {{slot}} each state in turn', () => {
    const [compare, p99] = bound('flag', FLAG, 'green')
    expect(compare?.compare).toEqual({
      kind: 'error-rate',
      margin: 0.01,
      canary: {
        requests: 'sum(http_requests_total{feature_flag_variant="treatment"})',
        errors: 'sum(http_requests_total{feature_flag_variant="treatment",code=~"5.."})',
      },
      stable: {
        requests: 'sum(http_requests_total{feature_flag_variant="control"})',
        errors: 'sum(http_requests_total{feature_flag_variant="control",code=~"5.."})',
      },
    })
    expect(p99?.query).toContain('feature_flag_variant="treatment"')
    expect(p99?.samples).toContain('feature_flag_variant="treatment"')
  })

  test('walking the flag off (canary blue): the off users are the canary', () => {
    const [compare] = bound('flag', FLAG, 'blue')
    expect(compare?.query).toBe(
      'sum(http_requests_total{feature_flag_variant="control",code=~"5.."})',
    )
  })

  test('the same gate on a traffic router binds the slot names, with the same evidence rules and comparison', () => {
    const flag = bound('flag', FLAG, 'green')
    const traffic = bound('traffic', HOSTS, 'green')
    expect(traffic[1]?.query).toContain('feature_flag_variant="green"')
    // Only the labels differ: min-samples, margins and bounds are the same check.
    const relabel = (checks: Check[]) =>
      JSON.parse(
        JSON.stringify(checks).replaceAll('treatment', 'green').replaceAll('control', 'blue'),
      ) as Check[]
    expect(relabel(flag)).toEqual(traffic)
    expect(flag[0]?.minSamples ?? 'default').toEqual(traffic[0]?.minSamples ?? 'default')
  })
})

describe('a walk on a flag router judges the variant labels', () => {
  /** A Prometheus that answers from a table of label -> errors, and remembers every query. */
  const fakeSource = (errorsOfTreatment: number) => {
    const asked: string[] = []
    let look = 0
    return {
      asked,
      source: {
        describe: () => 'fake prometheus',
        value: async (query: string) => {
          asked.push(query)
          look++
          const requests = 1000 * look
          if (query.includes('code=~')) {
            return query.includes('"treatment"') ? errorsOfTreatment * look : 0
          }
          return requests
        },
      },
    }
  }

  const walk = async (errorsOfTreatment: number) => {
    const router = new MemoryRouter({
      name: 'unleash checkout-v2',
      weights: { blue: 100, green: 0 },
      servers: FLAG,
    })
    const fake = fakeSource(errorsOfTreatment)
    const gate = readGateInput(
      { ...GATE, checks: [GATE.checks[0]] },
      { provided: SLOT_PLACEHOLDERS, stepMs: 1 },
    )!
    const bind = slotBinder(gate, { kind: 'flag' })
    const result = await runCanary(
      router,
      {
        steps: [5, 100],
        holdMs: 1,
        onFailure: 'rollback',
        dryRun: false,
        gate: (slots) => ({
          ...bind(slots),
          source: fake.source,
          settings: { ...bind(slots).settings, interval: 1, count: 2, initialDelay: 0 },
        }),
      },
      silentLog,
    )
    return { router, result, asked: fake.asked }
  }

  test('a failing variant: the flag goes back off for everyone the walk exposed', async () => {
    const { router, result, asked } = await walk(500)
    expect(result.verdict).toBe('fail')
    expect(result.rolledBack).toBe(true)
    expect(router.weights).toEqual({ blue: 100, green: 0 })
    expect(router.writes.map((w) => w.green)).toEqual([5, 0])
    expect(asked.some((q) => q.includes('feature_flag_variant="treatment"'))).toBe(true)
    expect(asked.some((q) => q.includes('feature_flag_variant="control"'))).toBe(true)
    expect(asked.filter((q) => /"(blue|green)"/.test(q))).toEqual([])
  })

  test('a healthy variant: the flag is walked on for everyone', async () => {
    const { router, result } = await walk(0)
    expect(result.verdict).toBe('pass')
    expect(router.weights).toEqual({ blue: 0, green: 100 })
  })
})

describe("a flag walk's records are the service's and the flag's", () => {
  test.each<[string, unknown, string]>([
    ['a traffic router: the service', { type: 'haproxy', backend: 'web' }, 'orders'],
    ['a list of traffic routers', [{ type: 'nginx' }, { type: 'nginx' }], 'orders'],
    ['an Unleash flag', { type: 'unleash', flag: 'checkout-v2' }, 'orders/flag:checkout-v2'],
    ['a flagd flag', { type: 'flagd', flag: 'new-search' }, 'orders/flag:new-search'],
    [
      'a list of flags: each key once, sorted',
      [
        { type: 'unleash', flag: 'b' },
        { type: 'unleash', flag: 'a' },
        { type: 'unleash', flag: 'b' },
      ],
      'orders/flag:a,b',
    ],
    ['no router (not an input of this action)', undefined, 'orders'],
  ])('%s', (_name, router, service) => {
    expect(recordService('orders', flagKeys(router))).toBe(service)
  })
})

describe('the metrics-gate action on a flag: vars name the variants', () => {
  test("vars canary/stable fill {{canary}} and a comparison's {{slot}}, as metrics-gate parses its inputs", () => {
    const inputs: Record<string, unknown> = {
      prometheus: 'http://prometheus.example:9090',
      vars: { canary: 'on', stable: 'off' },
      checks: GATE.checks,
    }
    // metrics-gate without `servers` provides no slot placeholder (actions/metrics-gate/main.ts).
    const gate = parseGate(
      (key) => inputs[key],
      (key) => key,
      { provided: [] },
    )
    const [compare, p99] = gate.bind({}).checks
    expect(compare?.compare).toMatchObject({
      canary: { requests: 'sum(http_requests_total{feature_flag_variant="on"})' },
      stable: { requests: 'sum(http_requests_total{feature_flag_variant="off"})' },
    })
    expect(p99?.query).toContain('feature_flag_variant="on"')
  })
})

describe('no health URL applies to a flag', () => {
  /** The in-memory router, typed as a flag router (or not). */
  const routerOf = (type: string, live: Slot) => {
    const router = new MemoryRouter({
      weights: { blue: live === 'blue' ? 100 : 0, green: live === 'green' ? 100 : 0 },
      servers: FLAG,
    })
    Object.defineProperty(router, 'type', { value: type })
    return router
  }
  const warningsOf = () => {
    const warnings: string[] = []
    return { warnings, log: { ...silentLog, warning: (m: string) => void warnings.push(m) } }
  }

  test.each([
    ['unleash', false],
    ['flagd', false],
    ['memory', true],
  ])(
    'rollback and a switch on a %s router: warned about the missing health URL: %s',
    async (type, warned) => {
      const { warnings, log } = warningsOf()
      const back = await rollback(
        routerOf(type, 'green'),
        { to: 'blue', dryRun: false, nothingToDo: 'fail', recordsTimeoutMs: 1000 },
        { unavailable: 'no token' },
        log,
      )
      const on = await blueGreenSwitch(routerOf(type, 'blue'), { to: 'green', dryRun: false }, log)
      expect(warnings.some((w) => w.startsWith('no health-url'))).toBe(warned)
      for (const result of [back, on])
        expect(result.healthSkipped).toBe(warned ? NO_HEALTH_URL : FLAG_NO_HEALTH)
    },
  )

  test('a group is a flag router only when every member is', () => {
    const group = (...types: string[]) => ({
      type: 'group',
      routers: types.map((type) => ({ type })),
    })
    expect(isFlagRouter(group('unleash', 'unleash'))).toBe(true)
    expect(isFlagRouter(group('unleash', 'haproxy'))).toBe(false)
    expect(isFlagRouter({ type: 'flagd' })).toBe(true)
    expect(isFlagRouter({ type: 'nginx' })).toBe(false)
  })
})
