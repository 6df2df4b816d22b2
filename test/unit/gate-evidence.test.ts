/**
 * Issue 18 item 7: the gate never passes without evidence, whatever the user forgot. Decision
 * tables for the pure pieces (a sample read from Prometheus's answer, a plain check's bounds, the
 * evidence count, one look of `compare: error-rate`), then the analysis loop on the cases the
 * issue names, and the README examples against a simulated canary at 1% traffic.
 */
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { load } from 'js-yaml'
import { ROOT } from '../../scripts/harness.js'
import { silentLog, type Log } from '../../packages/action-kit/index.js'
import {
  checksWithoutEvidence,
  DEFAULT_MIN_SAMPLES,
  judgeErrorRateLook,
  judgeEvidence,
  judgeValue,
  MalformedAnswerError,
  MeasurementError,
  NoDataError,
  NotANumberError,
  parseGate,
  readGateInput,
  runAnalysis,
  singleValue,
  SLOT_PLACEHOLDERS,
  type Check,
  type GateSettings,
  type MetricSource,
} from '../../packages/gate/index.js'

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0)
const sec = (ms: number) => ms / 1000

describe('singleValue: only a well-formed, fresh, finite sample is a number', () => {
  const vector = (series: unknown) => ({ resultType: 'vector', result: [series] })
  const at = (value: unknown, stamp: unknown = sec(NOW)) =>
    vector({ metric: {}, value: [stamp, value] })
  const expect_ = { askedAt: NOW }

  test.each([
    ['a float', at('0.25'), 0.25],
    ['zero', at('0'), 0],
    ['an exponent', at('1e-05'), 0.00001],
    ['a negative number', at('-3'), -3],
    ['a scalar', { resultType: 'scalar', result: [sec(NOW), '3'] }, 3],
    ['stamped 29 s before the time asked for', at('1', sec(NOW - 29_000)), 1],
  ])('%s is read', (_name, data, value) => {
    expect(singleValue(data, expect_)).toBe(value)
  })

  type Row = [string, { resultType: string; result: unknown }, typeof MeasurementError, string]
  test.each<Row>([
    ['a value that is null', at(null), MalformedAnswerError, 'whose value is null'],
    ['a value that is an empty string', at(''), MalformedAnswerError, 'value is an empty string'],
    ['a value that is an object', at({ v: 1 }), MalformedAnswerError, 'value is an object'],
    ['a value that is a JSON number', at(0), MalformedAnswerError, 'value is number 0'],
    [
      'a value that is not a float',
      at('0x10'),
      MalformedAnswerError,
      'value "0x10" is not a number',
    ],
    [
      'a sample missing its value',
      vector({ metric: {}, value: [sec(NOW)] }),
      MalformedAnswerError,
      'not [timestamp, "value"]',
    ],
    [
      'a sample that is null',
      vector({ metric: {}, value: null }),
      MalformedAnswerError,
      'a sample that is null',
    ],
    [
      'a series without a value',
      vector({ metric: {} }),
      MalformedAnswerError,
      'a series without a value',
    ],
    [
      'a native histogram',
      vector({ metric: {}, histogram: [sec(NOW), {}] }),
      MalformedAnswerError,
      'native histogram',
    ],
    ['a series that is null', vector(null), MalformedAnswerError, 'a series that is null'],
    [
      'a vector whose result is an object',
      { resultType: 'vector', result: {} },
      MalformedAnswerError,
      'result is an object',
    ],
    [
      'a scalar that is null',
      { resultType: 'scalar', result: null },
      MalformedAnswerError,
      'a sample that is null',
    ],
    [
      'a timestamp that is a string',
      at('1', 'now'),
      MalformedAnswerError,
      'timestamp is string "now"',
    ],
    [
      'a sample an hour old',
      at('0', sec(NOW - 3_600_000)),
      MeasurementError,
      '1h before the time asked for',
    ],
    [
      'a sample 31 s old',
      at('0', sec(NOW - 31_000)),
      MeasurementError,
      '31s before the time asked for',
    ],
    [
      'a sample from the future',
      at('0', sec(NOW + 120_000)),
      MeasurementError,
      '2m after the time asked for',
    ],
    ['NaN', at('NaN'), NotANumberError, 'returned NaN'],
    ['+Inf', at('+Inf'), MeasurementError, 'returned +Inf; an infinite value is never judged'],
    ['-Inf', at('-Inf'), MeasurementError, 'returned -Inf'],
    ['Inf', at('Inf'), MeasurementError, 'returned Inf'],
    ['1e999', at('1e999'), MeasurementError, 'returned 1e999, beyond the range of a number'],
    ['-1e999', at('-1e999'), MeasurementError, 'beyond the range of a number'],
  ])('%s is an error, never a number', (_name, data, kind, message) => {
    expect(() => singleValue(data, expect_)).toThrow(kind)
    expect(() => singleValue(data, expect_)).toThrow(message)
  })

  test('no series is "no data", not an error and not 0', () => {
    expect(() => singleValue({ resultType: 'vector', result: [] })).toThrow(NoDataError)
  })
})

describe('judgeValue: non-finite values never pass a bound (errors, not failures)', () => {
  type Row = [
    string,
    Pick<Check, 'max' | 'min' | 'maxIncrease'>,
    number,
    number | undefined,
    string,
  ]
  test.each<Row>([
    ['within max', { max: 0.05 }, 0.01, undefined, 'pass'],
    ['over max', { max: 0.05 }, 0.5, undefined, 'fail'],
    ['under min', { min: 10 }, 3, undefined, 'fail'],
    ['NaN against max', { max: 0.05 }, NaN, undefined, 'error'],
    ['NaN against min', { min: 0 }, NaN, undefined, 'error'],
    ['+Infinity against min (1e999 reads as it)', { min: 1 }, Number('1e999'), undefined, 'error'],
    ['+Infinity against max', { max: 1 }, Infinity, undefined, 'error'],
    ['-Infinity against max', { max: 1 }, -Infinity, undefined, 'error'],
    ['-Infinity against min', { min: -5 }, -Infinity, undefined, 'error'],
    ['a NaN baseline', { maxIncrease: 1.2 }, 0.02, NaN, 'error'],
    ['an infinite baseline', { maxIncrease: 1.2 }, 0.02, Infinity, 'error'],
    ['within the baseline', { maxIncrease: 1.2 }, 0.02, 0.02, 'pass'],
    ['over the baseline', { maxIncrease: 1.2 }, 0.03, 0.02, 'fail'],
  ])('%s: %s', (_name, check, value, baseline, outcome) => {
    expect(judgeValue(check, value, baseline).outcome).toBe(outcome)
  })
})

describe('judgeEvidence: below min-samples waits; a count that is not a number is an error', () => {
  test.each([
    [0, 50, 'waiting'],
    [49.9, 50, 'waiting'],
    [50, 50, undefined],
    [NaN, 50, 'error'],
    [Infinity, 50, 'error'],
    [-1, 1, 'error'],
  ])('%d samples of %d needed: %s', (samples, needed, outcome) => {
    expect(judgeEvidence(samples, needed)?.outcome).toBe(outcome)
  })
})

describe('judgeErrorRateLook: one look of compare: error-rate, from exact counts', () => {
  const compare = {
    kind: 'error-rate' as const,
    margin: 0,
    canary: { requests: 'c', errors: 'ce' },
    stable: { requests: 's', errors: 'se' },
  }
  type Row = [
    string,
    Pick<Check, 'minSamples' | 'max'>,
    [number, number],
    [number, number],
    string,
    string,
  ]
  test.each<Row>([
    [
      '0 of 0 requests, no min-samples given',
      {},
      [0, 0],
      [20, 5000],
      'waiting',
      '0 requests to the canary in 1m; 100 needed',
    ],
    [
      '100% errors on 5 requests, no min-samples given',
      {},
      [5, 5],
      [20, 5000],
      'waiting',
      '5 requests to the canary in 1m; 100 needed',
    ],
    [
      '100% errors on 150 requests',
      {},
      [150, 150],
      [20, 5000],
      'fail',
      'canary 100% (150 of 150 requests) vs stable 0.4%',
    ],
    ['0 errors on 150 requests', {}, [0, 150], [20, 5000], 'pass', 'not significant'],
    [
      'min-samples 1 and a request',
      { minSamples: 1 },
      [0, 1],
      [20, 5000],
      'pass',
      '(0 of 1 requests)',
    ],
    [
      'stable had no request, no max',
      {},
      [0, 150],
      [0, 0],
      'waiting',
      'nothing to compare the canary with',
    ],
    [
      'stable had no request, within max',
      { max: 0.05 },
      [1, 150],
      [0, 0],
      'pass',
      'judged on max 0.05 alone',
    ],
    [
      'stable had no request, over max',
      { max: 0.05 },
      [150, 150],
      [0, 0],
      'fail',
      'canary rate 1 > max 0.05',
    ],
  ])('%s: %s', (_name, check, [ce, c], [se, s], outcome, message) => {
    const look = judgeErrorRateLook(
      { compare, ...check },
      { canary: { errors: ce, requests: c }, stable: { errors: se, requests: s }, window: '1m' },
      0.99,
      3,
    )
    expect(look.outcome).toBe(outcome)
    expect(look.message).toContain(message)
  })

  test('the defaults of every comparison require evidence, and are what parsing gives', () => {
    expect(DEFAULT_MIN_SAMPLES).toEqual({ 'error-rate': 100, latency: 5 })
    const [errorRate, latency] = parseGate(
      (key) =>
        ({
          prometheus: 'http://p:9090',
          checks: [
            {
              name: 'e',
              compare: 'error-rate',
              requests: 'sum(r{slot="{{slot}}"})',
              errors: 'sum(e{slot="{{slot}}"})',
            },
            { name: 'l', compare: 'latency', query: 'avg(l{slot="{{slot}}"})' },
          ],
        })[key as 'checks'],
      (key) => key,
      { provided: ['canary', 'stable'] },
    ).bind({ canary: 'green', stable: 'blue' }).checks
    expect(errorRate!.minSamples).toBe(100)
    expect(latency!.minSamples).toBe(5)
  })
})

const settings: GateSettings = {
  interval: 10_000,
  count: 3,
  failureLimit: 0,
  inconclusiveLimit: 0,
  consecutiveErrorLimit: 4,
  noData: 'inconclusive',
  initialDelay: 0,
  maxWait: 120_000,
  confidence: 0.99,
}

/** A clock that only the analysis loop's waits move. */
function fakeClock(start = NOW) {
  let now = start
  return {
    now: () => now,
    sleep: async (ms: number) => void (now += ms),
  }
}

/**
 * Counter totals of a canary (green) and a stable (blue) slot: `perSecond` requests and the
 * share of them that errors, counted from `start` (the canary got traffic at `start`).
 */
function counters(
  clock: () => number,
  start: number,
  canary: { perSecond: number; errors: number },
  stable = { perSecond: 20, errors: 0.005 },
): MetricSource {
  return {
    describe: () => 'simulated counters',
    async value(query, time) {
      const side = query.includes('green') ? canary : stable
      const requests = Math.floor(side.perSecond * Math.max(0, ((time ?? clock()) - start) / 1000))
      return /code/.test(query) ? Math.floor(requests * side.errors) : requests
    },
  }
}

const COMPARE = {
  name: 'errors-vs-stable',
  compare: 'error-rate',
  requests: 'sum(http_requests_total{slot="{{slot}}"})',
  errors: 'sum(http_requests_total{slot="{{slot}}",code=~"5.."})',
}
const bound = (check: object, count = 3) =>
  parseGate(
    (key) => ({ prometheus: 'http://p:9090', checks: [check], count })[key as 'checks'],
    (key) => key,
    { provided: ['canary', 'stable'] },
  ).bind({ canary: 'green', stable: 'blue' }).checks

describe('the analysis loop: no evidence, no pass', () => {
  test('compare: error-rate without min-samples never passes a canary that got no request', async () => {
    const clock = fakeClock()
    const result = await runAnalysis(
      counters(clock.now, NOW, { perSecond: 0, errors: 0 }),
      bound(COMPARE),
      settings,
      silentLog,
      clock,
    )
    expect(result.verdict).toBe('inconclusive')
    expect(result.measurements.every((m) => m.outcome === 'waiting')).toBe(true)
    expect(result.reason).toContain('not enough data yet: 0 requests to the canary in')
  })

  test('count: 1 never judges the empty first window: a canary answering 100% errors fails', async () => {
    const clock = fakeClock()
    const result = await runAnalysis(
      counters(clock.now, NOW, { perSecond: 5, errors: 1 }),
      bound(COMPARE, 1),
      { ...settings, count: 1 },
      silentLog,
      clock,
    )
    expect(result.measurements[0]!.outcome).toBe('waiting')
    expect(result.measurements[0]!.message).toBe(
      'not enough data yet: 0 requests to the canary in 0ms; 100 needed',
    )
    expect(result.verdict).toBe('fail')
    expect(result.reason).toContain('canary 100% (')
  })

  test('a samples query with no series is no evidence yet, not "no data"', async () => {
    const source: MetricSource = {
      describe: () => 'no series yet',
      value: async (q) => {
        if (q === 'n') throw new NoDataError('no series')
        return 0
      },
    }
    const clock = fakeClock()
    const result = await runAnalysis(
      source,
      [{ name: 'c', query: 'q', max: 1, samples: 'n', minSamples: 10 }],
      settings,
      silentLog,
      clock,
    )
    expect(result.measurements.every((m) => m.outcome === 'waiting')).toBe(true)
    expect(result.reason).toContain('not enough data yet: 0 sample(s), 10 needed')
  })

  test('a malformed answer counts toward consecutive-error-limit and never reads as 0', async () => {
    const source: MetricSource = {
      describe: () => 'malformed',
      value: async () => {
        throw new MalformedAnswerError('Prometheus answered a sample whose value is null')
      },
    }
    const result = await runAnalysis(
      source,
      [{ name: 'c', query: 'q', max: 1 }],
      { ...settings, count: 10, consecutiveErrorLimit: 2 },
      silentLog,
      fakeClock(),
    )
    expect(result.verdict).toBe('fail')
    expect(result.measurements.map((m) => m.outcome)).toEqual(['error', 'error', 'error'])
    expect(result.reason).toBe(
      'c could not be measured 3 time(s) in a row, more than consecutive-error-limit 2: Prometheus answered a sample whose value is null',
    )
  })

  test('a latency look with a malformed answer is an error, not "no sample this look"', async () => {
    const source: MetricSource = {
      describe: () => 'malformed',
      value: async () => {
        throw new MalformedAnswerError('a series without a value')
      },
    }
    const result = await runAnalysis(
      source,
      bound({ name: 'l', compare: 'latency', query: 'avg(l{slot="{{slot}}"})' }),
      { ...settings, consecutiveErrorLimit: 0 },
      silentLog,
      fakeClock(),
    )
    expect(result.measurements[0]!.outcome).toBe('error')
    expect(result.verdict).toBe('fail')
  })

  test('a plain check with an upper bound and no samples is named in a warning', async () => {
    const warnings: string[] = []
    const log: Log = { ...silentLog, warning: (m) => warnings.push(m) }
    const checks: Check[] = [
      { name: 'errors', query: 'sum(rate(e[1m]))', max: 1 },
      { name: 'proven', query: 'r', max: 0.05, samples: 'n', minSamples: 10 },
      { name: 'floor', query: 'count(up)', min: 2 },
    ]
    expect(checksWithoutEvidence(checks)).toEqual(['errors'])
    await runAnalysis(
      { describe: () => 'x', value: async (q) => (q === 'n' ? 100 : q === 'count(up)' ? 2 : 0) },
      checks,
      { ...settings, count: 1 },
      log,
      fakeClock(),
    )
    expect(warnings).toEqual([
      expect.stringMatching(/^errors: no 'samples' query counts the evidence/),
    ])
  })
})

/**
 * A simulated Prometheus for the README's queries: the canary slot (green) gets `perSecond`
 * requests from `start` on, `errors` of them 5xx, each answered in `p99` seconds at the 99th
 * percentile; stable (blue) 20 requests/s with 0.5% errors. Windowed queries (`[5m]`) see the
 * requests in their window; with none, a ratio or a quantile is NaN as in Prometheus.
 */
function simulated(
  clock: () => number,
  start: number,
  canary: { perSecond: number; errors: number; p99: number },
): MetricSource {
  const totals = counters(clock, start, canary)
  return {
    describe: () => 'simulated prometheus',
    async value(query, time) {
      const window = /\[(\d+)([sm])\]/.exec(query)
      if (!window) return totals.value(query, time)
      const seconds = Number(window[1]) * (window[2] === 'm' ? 60 : 1)
      const elapsed = Math.max(0, (clock() - start) / 1000)
      // Whatever the query selects is the release being judged, unless it names the stable slot.
      const stable = query.includes('"blue"')
      const perSecond = stable ? 20 : canary.perSecond
      const inWindow = perSecond * Math.min(elapsed, seconds)
      if (query.startsWith('sum(increase(')) return inWindow
      if (inWindow === 0) throw new NotANumberError('the query returned NaN')
      if (query.startsWith('histogram_quantile')) return canary.p99
      if (query.includes(' / ') || query.includes('\n')) return stable ? 0.005 : canary.errors
      throw new Error(`the simulation does not know ${query}`)
    },
  }
}

/** The first ```yaml block of a README that contains `marker`. */
function readmeYaml(path: string, marker: string): string {
  const text = readFileSync(join(ROOT, path), 'utf8')
  const block = [...text.matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map((m) => m[1]!)
    .find((b) => b.includes(marker))
  if (!block) throw new Error(`no yaml block with ${marker} in ${path}`)
  return block
}

describe('the README examples work at 1% traffic (a canary of 0.2 requests/s)', () => {
  const healthy = { perSecond: 0.2, errors: 0.005, p99: 0.3 }
  const broken = { perSecond: 0.2, errors: 1, p99: 0.3 }

  function metricsGateExample() {
    const step = (
      load(readmeYaml('actions/metrics-gate/README.md', 'metrics-gate@')) as {
        with: Record<string, string>
      }[]
    )[0]!.with
    const gate = parseGate(
      (key) =>
        ['checks', 'vars', 'prometheus-headers', 'preset'].includes(key)
          ? load(step[key] ?? '')
          : step[key],
      (key) => key,
    )
    expect(gate.checks.map((c) => c.name)).toEqual(['error-rate', 'p99-latency'])
    return gate.bind()
  }

  test.each([
    ['a healthy canary passes once the evidence is there', healthy, 'pass'],
    ['a canary answering only errors fails', broken, 'fail'],
  ])('metrics-gate: %s', async (_name, canary, verdict) => {
    const { checks, settings: s } = metricsGateExample()
    const clock = fakeClock()
    const result = await runAnalysis(simulated(clock.now, NOW, canary), checks, s, silentLog, clock)
    expect(result.verdict).toBe(verdict)
    // The quiet first looks wait; no look is an error (the p99 is never asked while it is NaN).
    expect(result.measurements[0]!.outcome).toBe('waiting')
    expect(result.measurements.some((m) => m.outcome === 'error')).toBe(false)
  })

  function canaryStepExample() {
    const job = (
      load(readmeYaml('actions/canary-step/README.md', 'gate: |')) as {
        jobs: { canary: { steps: { with?: Record<string, string> }[] } }
      }
    ).jobs.canary.steps.find((s) => s.with?.gate)!.with!
    const gate = readGateInput(load(job.gate!), {
      provided: SLOT_PLACEHOLDERS,
      stepMs: 120_000, // the example's interval: 2m
    })!
    return gate.bind({
      canary: 'green',
      stable: 'blue',
      canaryServers: ['g'],
      stableServers: ['b'],
    })
  }

  test.each([
    ['a healthy canary passes once the evidence is there', healthy, 'pass'],
    ['a canary answering only errors fails', broken, 'fail'],
  ])('canary-step: %s', async (_name, canary, verdict) => {
    const { checks, settings: s } = canaryStepExample()
    expect(checks.map((c) => c.name)).toEqual(['errors-vs-stable', 'p99-latency'])
    const clock = fakeClock()
    const result = await runAnalysis(
      simulated(clock.now, NOW, canary),
      checks,
      { ...s, since: NOW },
      silentLog,
      clock,
    )
    expect(result.verdict).toBe(verdict)
    expect(result.measurements[0]!.outcome).toBe('waiting')
    expect(result.measurements.some((m) => m.outcome === 'error')).toBe(false)
  })
})

describe("prometheus-timeout: canary-step's gate and metrics-gate read the same deadline", () => {
  test('gate.prometheus-timeout bounds each exchange; outside 1s to 5m is refused', async () => {
    const server = createServer(() => {}) // accepts, never answers
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const prometheus = `http://127.0.0.1:${(server.address() as { port: number }).port}`
    const gate = (timeout: string) =>
      readGateInput(
        { prometheus, checks: [{ name: 'c', query: 'q', min: 1 }], 'prometheus-timeout': timeout },
        { provided: SLOT_PLACEHOLDERS },
      )!
    try {
      const error = await gate('1s')
        .bind()
        .source.value('q')
        .catch((e: Error) => e)
      expect(error).toBeInstanceOf(MeasurementError)
      expect((error as Error).message).toContain('gave no complete answer within the 1s deadline')
    } finally {
      server.closeAllConnections()
      server.close()
    }
    expect(() => gate('500ms')).toThrow(
      `Input 'gate.prometheus-timeout' has the value "500ms"; allowed: from 1s to 5m (the deadline of each exchange with Prometheus).`,
    )
    expect(() => gate('6m')).toThrow(
      `Input 'gate.prometheus-timeout' has the value "6m"; allowed: from 1s to 5m (the deadline of each exchange with Prometheus).`,
    )
  })
})
