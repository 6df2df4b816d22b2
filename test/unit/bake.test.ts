/**
 * The bake after a blue-green switch, as tables: only a pass keeps the new slot; the bake's gate is
 * canary-step's gate (same parser) waiting one interval first; the figures fold each check's
 * looks; and blueGreenSwitch on a MemoryRouter puts the old slot back and writes the rollback
 * record on anything but a pass. The live runs are in test/integration/bake.test.ts.
 */
import { silentLog } from '../../packages/action-kit/index.js'
import type { Weights } from '../../packages/domain/index.js'
import {
  MeasurementError,
  readGateInput,
  SLOT_PLACEHOLDERS,
  type Measurement,
  type MetricSource,
} from '../../packages/gate/index.js'
import { MemoryRouter } from '../../packages/router/index.js'
import {
  bakeKeeps,
  bakeWindow,
  blueGreenSwitch,
  gateFigures,
  type RecordHook,
  type TrafficRecord,
} from '../../packages/traffic/index.js'
import { outcomeOutputs, type StepOutcome } from '../../actions/common/outcome.js'

test.each([
  ['pass', true],
  ['fail', false],
  ['inconclusive', false],
  ['cancelled', false],
] as const)('a bake that ends %s keeps the new slot: %s', (verdict, keeps) => {
  expect(bakeKeeps(verdict)).toBe(keeps)
})

const CHECK = { name: 'error-rate', query: 'sum(rate(x{slot="{{canary}}"}[1m]))', max: 0.05 }

describe('the bake gate is canary-step gate YAML, named bake', () => {
  const read = (extra: Record<string, unknown>) =>
    readGateInput(
      { prometheus: 'http://127.0.0.1:9090', checks: [CHECK], ...extra },
      { provided: SLOT_PLACEHOLDERS, delayFirst: true },
      'bake',
    )!
  test.each([
    [{}, { interval: 10_000, count: 3, initialDelay: 10_000 }],
    [
      { interval: '30s', count: 10 },
      { interval: 30_000, count: 10, initialDelay: 30_000 },
    ],
    [
      { interval: '30s', 'initial-delay': '0s' },
      { interval: 30_000, count: 3, initialDelay: 0 },
    ],
  ])('%j waits one interval first unless told: %j', (extra, settings) => {
    expect(read(extra).settings).toMatchObject(settings)
  })
  test('the window in words: count looks interval apart after the delay, bounded by max-wait', () => {
    expect(bakeWindow(read({}).settings)).toBe(
      '3 look(s) 10s apart after 10s (at least 30s, at most 10m)',
    )
  })
  test('errors name bake.<key>', () => {
    expect(() => read({ count: 'many' })).toThrow(`Input 'bake.count' has the value "many"`)
  })
})

test('gateFigures: one entry per check with its last look and the tally of its looks', () => {
  const m = (check: string, outcome: Measurement['outcome'], value?: number): Measurement => ({
    check,
    at: '2026-12-06T22:00:00Z',
    bound: '<= 0.05',
    outcome,
    ...(value === undefined ? {} : { value, samples: 100 }),
  })
  expect(
    gateFigures([
      m('error-rate', 'waiting'),
      m('latency', 'pass', 0.1),
      m('error-rate', 'pass', 0.01),
      m('error-rate', 'fail', 0.2),
      m('latency', 'error'),
    ]),
  ).toEqual([
    {
      check: 'error-rate',
      looks: 2,
      passed: 1,
      failed: 1,
      inconclusive: 0,
      errors: 0,
      value: 0.2,
      samples: 100,
      bound: '<= 0.05',
      outcome: 'fail',
    },
    {
      check: 'latency',
      looks: 2,
      passed: 1,
      failed: 0,
      inconclusive: 0,
      errors: 1,
      bound: '<= 0.05',
      outcome: 'error',
    },
  ])
})

test.each<[StepOutcome, Record<string, string>]>([
  [
    { verdict: 'pass', figures: { checks: [] }, rolledBack: false, reason: 'ignored' },
    {
      verdict: 'pass',
      phase: 'done',
      figures: '{"checks":[]}',
      'rolled-back': 'false',
      reason: '',
    },
  ],
  [
    { verdict: 'fail', phase: 'bake', rolledBack: true, reason: 'bake fail:\n  x' },
    {
      verdict: 'fail',
      phase: 'bake',
      figures: '{}',
      'rolled-back': 'true',
      reason: 'bake fail: x',
    },
  ],
])('outcomeOutputs %j', (outcome, outputs) => {
  expect(outcomeOutputs(outcome)).toEqual(outputs)
})

describe('blueGreenSwitch with a bake on a MemoryRouter', () => {
  const BLUE: Weights = { blue: 100, green: 0 }
  /** A source answering every query with `value`, or failing as Prometheus down does. */
  const source = (value: number | Error): MetricSource => ({
    describe: () => 'fake',
    value: (query) => {
      expect(query).toBe('sum(rate(x{slot="green"}[1m]))')
      return value instanceof Error ? Promise.reject(value) : Promise.resolve(value)
    },
  })
  const bake = (value: number | Error) => {
    const gate = readGateInput(
      { prometheus: 'http://127.0.0.1:9090', interval: '100ms', count: 2, checks: [CHECK] },
      { provided: SLOT_PLACEHOLDERS, delayFirst: true },
      'bake',
    )!
    return (slots: Parameters<Parameters<typeof blueGreenSwitch>[1]['bake'] & object>[0]) => ({
      ...gate.bind({ canary: slots.canary, stable: slots.stable }),
      source: source(value),
    })
  }
  const hook = (id?: number) => {
    const started: TrafficRecord[] = []
    const progress: string[] = []
    const record: RecordHook = {
      deploymentId: id,
      start: async (r) => void started.push(r),
      progress: async (d) => void progress.push(d),
    }
    return { record, started, progress }
  }

  test.each([
    ['pass', 0.01, { blue: 0, green: 100 }, false],
    ['fail', 0.5, BLUE, true],
    ['inconclusive', new MeasurementError('connection refused'), BLUE, true],
  ] as const)(
    'a bake that ends %s (the check reads %p) leaves %j',
    async (verdict, value, after, rolledBack) => {
      const router = new MemoryRouter({ weights: BLUE })
      const release = hook(42)
      const rollback = hook()
      const result = await blueGreenSwitch(
        router,
        { to: 'green', dryRun: false, bake: bake(value) },
        silentLog,
        { record: release.record, rollback: { record: rollback.record, recordsTimeoutMs: 100 } },
      )
      expect(router.weights).toEqual(after)
      expect(result.bake).toMatchObject({ verdict, rolledBack })
      expect(result.active).toBe(rolledBack ? 'blue' : 'green')
      expect(release.progress).toEqual(['bake: green judged by the gate'])
      // Moves: the switch, then (rolled back) the old slot's 100% again.
      expect(router.writes).toEqual([{ blue: 0, green: 100 }, ...(rolledBack ? [BLUE] : [])])
      expect(rollback.started).toEqual(
        rolledBack
          ? [
              expect.objectContaining({
                strategy: 'rollback',
                slot: 'blue',
                previous: 'green',
                undone: { id: 42 },
                reason: expect.stringMatching(new RegExp(`^bake ${verdict}: `)),
              }),
            ]
          : [],
      )
    },
  )

  test('a cancelled run stops the bake and puts the old slot back', async () => {
    const router = new MemoryRouter({ weights: BLUE })
    const stop = new AbortController()
    stop.abort()
    const result = await blueGreenSwitch(
      router,
      { to: 'green', dryRun: false, bake: bake(0) },
      silentLog,
      { signal: stop.signal },
    )
    expect(result.bake).toMatchObject({ verdict: 'cancelled', rolledBack: true })
    expect(router.weights).toEqual(BLUE)
  })

  test('a dry run or a target already live bakes nothing', async () => {
    for (const [weights, dryRun] of [
      [BLUE, true],
      [{ blue: 0, green: 100 }, false],
    ] as const) {
      const router = new MemoryRouter({ weights })
      const result = await blueGreenSwitch(
        router,
        { to: 'green', dryRun, bake: bake(0.5) },
        silentLog,
      )
      expect(result.bake).toBeUndefined()
      expect(router.weights).toEqual(weights)
    }
  })
})
