import { createServer, type Server } from 'node:http'
import { silentLog, ConfigurationError } from '../../packages/action-kit/index.js'
import {
  assess,
  count,
  emptyCounts,
  escapePromqlString,
  fillTemplate,
  MeasurementError,
  NoDataError,
  NotANumberError,
  parseChecks,
  parseGate,
  parseQueryTemplate,
  PrometheusSource,
  readGateInput,
  runAnalysis,
  serverAlternation,
  singleValue,
  type AssessSettings,
  type CheckCounts,
  type GateKey,
  type MetricSource,
} from '../../packages/gate/index.js'

describe('singleValue: one number from an instant query, or why not', () => {
  const vector = (...values: string[]) => ({
    resultType: 'vector',
    result: values.map((v, i) => ({ metric: { i: String(i) }, value: [1, v] })),
  })
  test.each([
    [vector('0.25'), 0.25],
    [vector('0'), 0],
    [{ resultType: 'scalar', result: [1, '3'] }, 3],
  ])('%j -> %d', (data, value) => expect(singleValue(data)).toBe(value))

  test.each([
    [vector(), NoDataError, 'no series'],
    [vector('1', '2'), MeasurementError, 'returned 2 series'],
    [vector('NaN'), MeasurementError, 'NaN'],
    [vector('+Inf'), MeasurementError, '+Inf'],
    [vector('-Inf'), MeasurementError, '-Inf'],
    [{ resultType: 'matrix', result: [] }, MeasurementError, 'returned a matrix'],
  ])('%j is refused', (data, kind, message) => {
    expect(() => singleValue(data)).toThrow(kind)
    expect(() => singleValue(data)).toThrow(message)
  })
})

/**
 * A small PromQL lexer for the tests: the code outside string literals, and each double-quoted
 * literal decoded (Go escapes). A bound query is safe when its code is the template's code and
 * the value comes back out of the literal unchanged.
 */
function lex(query: string): { code: string; strings: string[] } {
  let code = ''
  const strings: string[] = []
  for (let i = 0; i < query.length; i++) {
    const ch = query[i]!
    if (ch !== '"') {
      code += ch
      continue
    }
    let s = ''
    for (i++; query[i] !== '"'; i++) {
      if (i >= query.length) throw new Error(`unterminated string in ${query}`)
      if (query[i] === '\\') {
        const e = query[++i]!
        if (e === 'x') {
          s += String.fromCharCode(parseInt(query.slice(i + 1, i + 3), 16))
          i += 2
        } else s += ({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[e] ?? e
      } else s += query[i]
    }
    code += '""'
    strings.push(s)
  }
  return { code, strings }
}

describe('query templates: placeholders only inside double-quoted PromQL strings', () => {
  const label = "Input 'checks'[0] (error-rate): 'query'"
  const known = ['canary', 'stable', 'canary-servers', 'version']

  test.each([
    ['outside any string', 'sum(rate(x{slot="a"}[{{version}}]))', 'outside any string literal'],
    ['as a whole selector', 'sum(rate({{canary}}[5m]))', 'outside any string literal'],
    [
      'in a single-quoted string',
      "sum(rate(x{slot='{{canary}}'}[5m]))",
      'inside a single-quoted string',
    ],
    ['in a raw string', 'sum(rate(x{slot=`{{canary}}`}[5m]))', 'inside a backquoted raw string'],
    ['in a comment', 'sum(rate(x[5m])) # {{canary}}', 'in a comment'],
    ['after a closed string', 'x{a="b"} * {{version}}', 'outside any string literal'],
    [
      'after an escaped quote',
      'x{a="\\"{{canary}}\\"", b=~"{{version}}"} or {{canary}}',
      'outside any string literal',
    ],
  ])('%s is a configuration error naming the check and field', (_name, query, where) => {
    expect(() => parseQueryTemplate(query, label, known)).toThrow(ConfigurationError)
    expect(() => parseQueryTemplate(query, label, known)).toThrow(
      new RegExp(
        `^${label.replace(/[()[\]]/g, '\\$&')} uses "\\{\\{\\w+\\}\\}" ${where}; placeholders are allowed only inside double-quoted PromQL strings`,
      ),
    )
  })

  test.each([
    [
      'an unknown name',
      'x{a="{{cnary}}"}',
      'uses {{cnary}}, which is not defined; defined: canary, stable, canary-servers, version.',
    ],
    [
      'a malformed placeholder',
      'x{a="{{ two words }}"}',
      'has "{{ two words }}", which is not a placeholder',
    ],
    [
      'an unterminated string',
      'x{a="{{canary}}}',
      'has a string literal that is never closed (a " is missing).',
    ],
  ])('%s is refused', (_name, query, message) => {
    expect(() => parseQueryTemplate(query, label, known)).toThrow(`${label} ${message}`)
  })

  test('placeholders in double-quoted strings, escaped quotes and comments with quotes', () => {
    const t = parseQueryTemplate(
      'sum(x{slot="{{canary}}",v="a\\"{{version}}"}) # it\'s "fine"\n/ sum(x{slot="{{ canary }}"})',
      label,
      known,
    )
    expect(t.placeholders).toEqual(['canary', 'version'])
    expect(fillTemplate(t, { canary: 'green', version: 'v"2' })).toBe(
      'sum(x{slot="green",v="a\\"v\\"2"}) # it\'s "fine"\n/ sum(x{slot="green"})',
    )
  })

  // Without the rule, each of these values turns "error rate <= 0.05" into a query that is always 0.
  test.each([
    ['a double quote', 'x"}[5m])) * 0 or vector(0) # '],
    ['a single quote', "x'}[5m])) * 0 or vector(0) # "],
    ['a backslash before the quote', 'x\\"}[5m])) * 0 or vector(0) # '],
    ['a line break', 'x"}\n[5m])) * 0 or vector(0)'],
    ['control characters', 'x\u0000\u001b"'],
  ])('a value with %s stays inside its string literal', (_name, value) => {
    const template = parseQueryTemplate(
      'sum(rate(http_requests_total{slot="{{canary}}",code=~"5.."}[5m])) / sum(rate(http_requests_total{slot="{{canary}}"}[5m]))',
      label,
      known,
    )
    const bound = fillTemplate(template, { canary: value })
    const plain = fillTemplate(template, { canary: 'green' })
    expect(lex(bound).code).toBe(lex(plain).code)
    expect(lex(bound).strings).toEqual([value, '5..', value])
    // The bound query is still a well-formed template: no string left open.
    expect(() => parseQueryTemplate(bound, label, [])).not.toThrow()
  })

  test('escapes for PromQL strings', () => {
    expect(escapePromqlString('a"b\\c\nd\te\u0001')).toBe('a\\"b\\\\c\\nd\\te\\x01')
  })

  test('server names become an escaped regex alternation', () => {
    expect(serverAlternation(['web-green-1', 'web-green-2'])).toBe('web-green-1|web-green-2')
    expect(serverAlternation(['a.b', 'c|d', 'e(f)*', 'g\\h'])).toBe(
      'a\\.b|c\\|d|e\\(f\\)\\*|g\\\\h',
    )
    const t = parseQueryTemplate('x{server=~"{{canary-servers}}"}', label, known)
    // Regex-escaped first, then string-escaped: "a.b" must match only a.b, not axb.
    expect(fillTemplate(t, { 'canary-servers': serverAlternation(['a.b', 'q"']) })).toBe(
      'x{server=~"a\\\\.b|q\\""}',
    )
    expect(() => serverAlternation([])).toThrow('without servers')
  })
})

describe('parseGate: checked once, then bound to slots', () => {
  const gateInputs = (values: Partial<Record<GateKey, unknown>>) => ({
    prometheus: 'http://prometheus:9090/',
    checks: [
      {
        name: 'error-rate',
        query:
          'sum(rate(x{server=~"{{canary-servers}}",code=~"5.."}[1m])) / sum(rate(x{server=~"{{canary-servers}}"}[1m]))',
        max: 0.05,
      },
      {
        name: 'latency',
        query: 'y{slot="{{canary}}",v="{{version}}"}',
        baseline: 'y{slot="{{stable}}"}',
        'max-increase': 1.2,
      },
    ],
    vars: { version: 'v2' },
    ...values,
  })
  const parse = (
    values: Partial<Record<GateKey, unknown>> = {},
    provided = ['canary', 'stable', 'canary-servers', 'stable-servers'] as const,
  ) =>
    parseGate(
      (key) => gateInputs(values)[key],
      (key) => `gate.${key}`,
      { provided },
    )

  test('bind fills the slot placeholders; the templates are parsed once', () => {
    const gate = parse()
    expect(gate.uses).toEqual(['canary', 'stable', 'canary-servers'])
    const blue = gate.bind({
      canary: 'blue',
      stable: 'green',
      canaryServers: ['web-blue-1', 'web.blue-2'],
      stableServers: ['web-green'],
    })
    const green = gate.bind({
      canary: 'green',
      stable: 'blue',
      canaryServers: ['web-green'],
      stableServers: [],
    })
    expect(blue.checks[0]!.query).toBe(
      'sum(rate(x{server=~"web-blue-1|web\\\\.blue-2",code=~"5.."}[1m])) / sum(rate(x{server=~"web-blue-1|web\\\\.blue-2"}[1m]))',
    )
    expect(blue.checks[1]).toEqual({
      name: 'latency',
      query: 'y{slot="blue",v="v2"}',
      baseline: 'y{slot="green"}',
      maxIncrease: 1.2,
    })
    expect(green.checks[1]!.query).toBe('y{slot="green",v="v2"}')
    expect(blue.source.describe()).toBe('prometheus http://prometheus:9090')
    expect(() => gate.bind({ canary: 'blue', stable: 'green' })).toThrow(
      "the gate's queries use {{canary-servers}}, but no value was bound",
    )
  })

  test.each(
    [
      [
        'a placeholder outside a string',
        { checks: [{ name: 'e', query: 'x{a="b"}[{{version}}]', max: 1 }] },
        `Input 'gate.checks'[0] (e): 'query' uses "{{version}}" outside any string literal`,
      ],
      [
        'a placeholder in the baseline, in single quotes',
        { checks: [{ name: 'l', query: 'x', baseline: "y{s='{{stable}}'}", 'max-increase': 2 }] },
        `Input 'gate.checks'[0] (l): 'baseline' uses "{{stable}}" inside a single-quoted string`,
      ],
      [
        'a slot placeholder the caller does not provide',
        { checks: [{ name: 'e', query: 'x{s="{{stable-servers}}"}', max: 1 }] },
        `uses {{stable-servers}}, which is not defined; defined: version, canary.`,
        ['canary'],
      ],
      [
        'a var that shadows a slot placeholder',
        { vars: { canary: 'blue' } },
        `Input 'gate.vars': 'canary' is filled in by the action itself ({{canary}}); choose another name.`,
      ],
      [
        'credentials in the Prometheus URL',
        { prometheus: 'https://admin:hunter2@prometheus:9090' },
        `Input 'gate.prometheus' has a URL with a user name or password in it (https://***@prometheus:9090)`,
      ],
      [
        'a bad interval',
        { interval: '10' },
        `Input 'gate.interval' has the value "10", which is not a duration`,
      ],
      [
        'a negative consecutive-error-limit',
        { 'consecutive-error-limit': '-1' },
        `Input 'gate.consecutive-error-limit' has the value "-1"; allowed: a whole number from 0 to 1000.`,
      ],
      [
        'a max-wait shorter than the measurements',
        { interval: '10s', count: 4, 'max-wait': '20s' },
        `Input 'gate.max-wait' is 20s, less than the 30s that 4 measurement(s) 10s apart take`,
      ],
      [
        'min-samples without samples',
        { checks: [{ name: 'e', query: 'x', max: 1, 'min-samples': 20 }] },
        `'samples' (a query counting the evidence`,
      ],
      [
        'a header value with a line break',
        { 'prometheus-headers': { Authorization: 'Bearer abc\r\nX: y' } },
        `the value of Authorization contains a line break or control character (value not shown).`,
      ],
    ].map((row) => [...row, undefined].slice(0, 4) as [string, object, string, unknown]),
  )('%s is refused, naming the field', (_name, values, message, provided) => {
    const run = () =>
      provided ? parse(values as never, provided as never) : parse(values as never)
    expect(run).toThrow(ConfigurationError)
    expect(run).toThrow(message)
    let text = ''
    try {
      run()
    } catch (e) {
      text = (e as Error).message
    }
    expect(text).not.toContain('hunter2')
    expect(text).not.toContain('Bearer abc')
  })

  test('defaults follow Argo Rollouts, with max-wait long enough for count', () => {
    expect(parse().settings).toEqual({
      interval: 10_000,
      count: 3,
      failureLimit: 0,
      inconclusiveLimit: 0,
      consecutiveErrorLimit: 4,
      noData: 'inconclusive',
      initialDelay: 0,
      maxWait: 600_000,
      confidence: 0.99,
    })
    expect(parse({ interval: '1m', count: 20 }).settings.maxWait).toBe(20 * 60_000)
  })

  test("readGateInput: canary-step's gate mapping, keys checked, measured through the step", () => {
    expect(readGateInput(undefined)).toBeUndefined()
    expect(() => readGateInput(['x'])).toThrow(
      "Input 'gate' must be a YAML mapping (prometheus, checks, ...), got a list.",
    )
    expect(() => readGateInput({ ...gateInputs({}), treshold: 1 })).toThrow(
      `Input 'gate' has unknown key "treshold"; allowed: prometheus, prometheus-headers, checks,`,
    )
    const gate = readGateInput(
      { ...gateInputs({}), interval: '5s' },
      { provided: ['canary', 'stable', 'canary-servers', 'stable-servers'], stepMs: 60_000 },
    )!
    expect(gate.settings).toEqual(expect.objectContaining({ count: 12, initialDelay: 5000 }))
  })
})

test('checks keep their bounds; max and min may come as strings from YAML', () => {
  const [check] = parseChecks(
    [{ name: 'a', query: 'q', max: '0.5', min: 0, 'dry-run': true }],
    'c',
    [],
  )
  expect(check).toEqual(expect.objectContaining({ name: 'a', max: 0.5, min: 0, dryRun: true }))
})

describe('assess: the verdict from counters alone (like Argo assessMetricStatus)', () => {
  const settings: AssessSettings = {
    count: 3,
    failureLimit: 0,
    inconclusiveLimit: 0,
    consecutiveErrorLimit: 4,
  }
  const c = (values: Partial<CheckCounts>, name = 'c'): CheckCounts => ({
    ...emptyCounts(name),
    ...values,
  })

  type Row = [string, CheckCounts[], Partial<AssessSettings>, boolean, string | undefined, string?]
  test.each(
    (
      [
        ['nothing measured yet: keep measuring', [c({})], {}, false, undefined],
        ['2 of 3 passed: keep measuring', [c({ passed: 2 })], {}, false, undefined],
        [
          '3 of 3 passed',
          [c({ passed: 3 })],
          {},
          false,
          'pass',
          '1 check(s) passed 3 measurement(s)',
        ],
        [
          'one failure over failure-limit 0 fails at once',
          [c({ passed: 1, failed: 1, lastMessage: '0.9 > max 0.05' })],
          {},
          false,
          'fail',
          'c failed 1 time(s), more than failure-limit 0: 0.9 > max 0.05',
        ],
        [
          'failures within failure-limit',
          [c({ passed: 1, failed: 2 })],
          { failureLimit: 2 },
          false,
          'pass',
          '(2 failed, errored or inconclusive measurement(s) within the limits)',
        ],
        [
          'every measurement failed, all within failure-limit: never a pass',
          [c({ failed: 3 })],
          { failureLimit: 3 },
          false,
          'inconclusive',
          'c did not pass once in 3 measurement(s) (3 failed within failure-limit 3',
        ],
        [
          '4 errors in a row are tolerated (Argo default)',
          [c({ errors: 4, consecutiveErrors: 4 })],
          { count: 10 },
          false,
          undefined,
        ],
        [
          'a 5th error in a row fails',
          [c({ errors: 5, consecutiveErrors: 5, lastMessage: 'ECONNREFUSED' })],
          {},
          false,
          'fail',
          'c could not be measured 5 time(s) in a row, more than consecutive-error-limit 4: ECONNREFUSED',
        ],
        [
          'errors never count as failures',
          [c({ passed: 1, errors: 1, consecutiveErrors: 1 })],
          {},
          false,
          undefined,
        ],
        [
          'a check that never produced a value is inconclusive',
          [c({ errors: 3, consecutiveErrors: 3, lastMessage: 'NaN' })],
          {},
          false,
          'inconclusive',
          'c never produced a value (3 error(s)): NaN',
        ],
        [
          'no data over inconclusive-limit 0',
          [c({ inconclusive: 1 })],
          {},
          false,
          'inconclusive',
          'c was inconclusive 1 time(s), more than inconclusive-limit 0',
        ],
        [
          'no data within inconclusive-limit',
          [c({ passed: 2, inconclusive: 1 })],
          { inconclusiveLimit: 1 },
          false,
          'pass',
        ],
        [
          'not enough data yet counts toward nothing',
          [c({ waiting: 50, lastWaiting: true })],
          {},
          false,
          undefined,
        ],
        [
          'not enough data when time is up: inconclusive, never fail',
          [
            c({
              waiting: 9,
              lastWaiting: true,
              lastMessage: 'not enough data yet: 31 sample(s), 200 needed',
            }),
          ],
          {},
          true,
          'inconclusive',
          'c: not enough data yet: 31 sample(s), 200 needed',
        ],
        [
          'time up before count: inconclusive',
          [c({ passed: 2 })],
          {},
          true,
          'inconclusive',
          'c was measured 2 of 3 time(s) before time ran out',
        ],
        [
          'one check fails while another is still measuring: fail',
          [c({ passed: 1 }, 'a'), c({ failed: 1 }, 'b')],
          {},
          false,
          'fail',
          'b failed',
        ],
        [
          'one inconclusive waits for the others',
          [c({ inconclusive: 1 }, 'a'), c({ passed: 1 }, 'b')],
          {},
          false,
          undefined,
        ],
        [
          'one inconclusive, the other passed',
          [c({ inconclusive: 1 }, 'a'), c({ passed: 3 }, 'b')],
          {},
          false,
          'inconclusive',
          'a was inconclusive 1 time(s), more than inconclusive-limit 0; inconclusive is not a pass',
        ],
        [
          'a failing dry-run check never decides',
          [c({ failed: 3, dryRun: true }, 'a'), c({ passed: 3 }, 'b')],
          {},
          false,
          'pass',
          '1 check(s) passed',
        ],
        [
          'only dry-run checks: pass once measured',
          [c({ failed: 3, dryRun: true })],
          {},
          false,
          'pass',
          '1 dry-run check(s) measured; none decides',
        ],
      ] as Row[]
    ).map(
      (row) =>
        [...row, undefined].slice(0, 6) as [
          string,
          CheckCounts[],
          Partial<AssessSettings>,
          boolean,
          string | undefined,
          string | undefined,
        ],
    ),
  )('%s', (_name, counts, overrides, timeUp, verdict, reason) => {
    const result = assess(counts, { ...settings, ...overrides }, timeUp)
    expect(result?.verdict).toBe(verdict)
    if (reason) expect(result?.reason).toContain(reason)
  })

  test('count: errors in a row reset on a value, not on "not enough data yet"', () => {
    let counts = emptyCounts('c')
    for (const outcome of ['error', 'waiting', 'error', 'pass', 'error'] as const)
      counts = count(counts, outcome)
    expect(counts).toEqual(
      expect.objectContaining({ errors: 3, consecutiveErrors: 1, passed: 1, waiting: 1 }),
    )
    expect(count(count(emptyCounts('c'), 'error'), 'waiting').consecutiveErrors).toBe(1)
  })
})

/** A source that answers from a script of values per query; Error entries are thrown. */
function scripted(answers: Record<string, (number | Error)[]>): MetricSource & { asked: string[] } {
  const asked: string[] = []
  return {
    asked,
    describe: () => 'scripted',
    async value(query) {
      asked.push(query)
      const next = answers[query]?.shift()
      if (next === undefined) throw new Error(`no scripted answer for ${query}`)
      if (next instanceof Error) throw next
      return next
    },
  }
}

const settings = {
  interval: 1,
  count: 3,
  failureLimit: 0,
  inconclusiveLimit: 0,
  consecutiveErrorLimit: 4,
  noData: 'inconclusive' as const,
  initialDelay: 0,
  maxWait: 60_000,
  confidence: 0.99,
}

describe('analysis loop: measures, counts and asks assess()', () => {
  test('passes when every measurement is within bounds', async () => {
    const result = await runAnalysis(
      scripted({ q: [0.01, 0.02, 0.03] }),
      [{ name: 'c', query: 'q', max: 0.05 }],
      settings,
      silentLog,
    )
    expect(result.verdict).toBe('pass')
    expect(result.measurements.map((m) => m.outcome)).toEqual(['pass', 'pass', 'pass'])
  })

  test('fails fast: no measurement after failure-limit is exceeded', async () => {
    const source = scripted({ q: [0.01, 0.9, 0.01] })
    const result = await runAnalysis(
      source,
      [{ name: 'c', query: 'q', max: 0.05 }],
      settings,
      silentLog,
    )
    expect(result.verdict).toBe('fail')
    expect(source.asked).toHaveLength(2)
    expect(result.reason).toBe('c failed 1 time(s), more than failure-limit 0: 0.9 > max 0.05')
  })

  test('an error is never a pass: it counts toward consecutive-error-limit', async () => {
    const result = await runAnalysis(
      scripted({ q: [new MeasurementError('boom'), 0.01, 0.01] }),
      [{ name: 'c', query: 'q', max: 0.05 }],
      settings,
      silentLog,
    )
    expect(result.verdict).toBe('pass')
    expect(result.measurements[0]).toEqual(
      expect.objectContaining({ outcome: 'error', message: 'boom' }),
    )
    const down = await runAnalysis(
      scripted({ q: Array.from({ length: 9 }, () => new MeasurementError('ECONNREFUSED')) }),
      [{ name: 'c', query: 'q', max: 1 }],
      { ...settings, count: 10, consecutiveErrorLimit: 2 },
      silentLog,
    )
    expect(down.verdict).toBe('fail')
    expect(down.measurements).toHaveLength(3)
    expect(down.reason).toBe(
      'c could not be measured 3 time(s) in a row, more than consecutive-error-limit 2: ECONNREFUSED',
    )
    const never = await runAnalysis(
      scripted({
        q: [new MeasurementError('NaN'), new MeasurementError('NaN'), new MeasurementError('NaN')],
      }),
      [{ name: 'c', query: 'q', max: 1 }],
      settings,
      silentLog,
    )
    expect(never.verdict).toBe('inconclusive')
  })

  test('no data is inconclusive by default, fail when asked, never pass', async () => {
    const check = [{ name: 'c', query: 'q', max: 1 }]
    const noData = () => scripted({ q: [new NoDataError('no series'), 0.1, 0.1] })
    expect((await runAnalysis(noData(), check, settings, silentLog)).verdict).toBe('inconclusive')
    expect(
      (await runAnalysis(noData(), check, { ...settings, noData: 'fail' }, silentLog)).verdict,
    ).toBe('fail')
  })

  test('below min-samples: keeps measuring, then judges once the evidence is there', async () => {
    const source = scripted({ n: [3, 12, 40, 80, 120], q: [0.5, 0.01, 0.01] })
    const check = [{ name: 'c', query: 'q', max: 0.05, samples: 'n', minSamples: 20 }]
    const result = await runAnalysis(source, check, settings, silentLog)
    // 0.5 at 40 samples is a failure: measured only once there are 20 samples.
    expect(result.measurements.map((m) => m.outcome)).toEqual(['waiting', 'waiting', 'fail'])
    expect(result.measurements[0]!.message).toBe('not enough data yet: 3 sample(s), 20 needed')
    expect(result.verdict).toBe('fail')
  })

  test('below min-samples until max-wait: inconclusive with the numbers, never fail or pass', async () => {
    let clock = 0
    const source = scripted({ n: [1, 5, 9, 20, 25, 31] })
    const result = await runAnalysis(
      source,
      [{ name: 'c', query: 'q', max: 0.05, samples: 'n', minSamples: 200 }],
      { ...settings, interval: 60_000, maxWait: 300_000 },
      silentLog,
      {
        now: () => clock,
        sleep: async (ms) => void (clock += ms),
      },
    )
    expect(result.verdict).toBe('inconclusive')
    expect(result.reason).toContain('not enough data yet: 31 sample(s), 200 needed')
    expect(source.asked).not.toContain('q')
  })

  test('baseline: fails when the value exceeds baseline × max-increase', async () => {
    const check = [{ name: 'lat', query: 'canary', baseline: 'stable', maxIncrease: 1.2 }]
    const result = await runAnalysis(
      scripted({ canary: [0.03], stable: [0.02] }),
      check,
      { ...settings, count: 1 },
      silentLog,
    )
    expect(result.verdict).toBe('fail')
    expect(result.measurements[0]).toEqual(
      expect.objectContaining({
        value: 0.03,
        baseline: 0.02,
        bound: '<= 1.2 × baseline 0.02',
        message: '0.03 > 1.2 × baseline 0.02 = 0.024',
      }),
    )
  })
})

describe('PrometheusSource: no redirects, no header values in messages, a timeout', () => {
  let server: Server
  let base = ''
  let handler: Parameters<typeof createServer>[1] = () => {}
  beforeAll(async () => {
    server = createServer((req, res) => handler!(req, res))
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  })
  afterAll(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))))

  test('a redirect is refused, not followed', async () => {
    let followed = false
    handler = (req, res) => {
      if (req.url?.startsWith('/elsewhere')) {
        followed = true
        res.end(
          JSON.stringify({ status: 'success', data: { resultType: 'scalar', result: [1, '0'] } }),
        )
      } else {
        res.writeHead(302, { location: `http://user:pw@127.0.0.1:1/elsewhere/api?token=abc` }).end()
      }
    }
    const source = new PrometheusSource(base, { Authorization: 'Bearer s3cr3t' })
    const error = await source.value('up').catch((e: Error) => e)
    expect(error).toBeInstanceOf(MeasurementError)
    expect((error as Error).message).toBe(
      `Prometheus at ${base} answered HTTP 302, a redirect to http://127.0.0.1:1/elsewhere/api; redirects are not followed (they could take the request headers elsewhere): give the final URL in 'prometheus'`,
    )
    expect(followed).toBe(false)
  })

  test('errors name the answer, never a header value', async () => {
    let seen: string | undefined
    handler = (req, res) => {
      seen = req.headers.authorization
      res.writeHead(401).end('unauthorized')
    }
    const error = await new PrometheusSource(base, { Authorization: 'Bearer s3cr3t' })
      .value('up')
      .catch((e: Error) => e)
    expect(seen).toBe('Bearer s3cr3t')
    expect((error as Error).message).toBe(
      `Prometheus at ${base} answered HTTP 401 without JSON: unauthorized`,
    )
  })

  test("Prometheus's own error text is capped, however long (a huge error body)", async () => {
    const huge = 'x'.repeat(100_000)
    handler = (_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' })
      res.end(
        JSON.stringify({
          status: 'error',
          errorType: `bad_data${huge}`,
          error: `parse error: ${huge}`,
        }),
      )
    }
    const error = await new PrometheusSource(base).value('up').catch((e: Error) => e)
    expect(error).toBeInstanceOf(MeasurementError)
    const message = (error as Error).message
    expect(message).toMatch(/^Prometheus answered HTTP 400 bad_data/)
    expect(message).toContain('parse error: xxx')
    expect(message).toMatch(/…\(\d+ more characters\)$/)
    expect(message.length).toBeLessThan(400)
    // Not JSON at all: the page is capped the same way.
    handler = (_req, res) => res.writeHead(502).end(`<html>${huge}</html>`)
    const page = await new PrometheusSource(base).value('up').catch((e: Error) => e)
    expect((page as Error).message).toMatch(/without JSON: <html>x+…\(\d+ more characters\)$/)
    expect((page as Error).message.length).toBeLessThan(400)
  })

  test('a server echoing our header back: its value never reaches the message', async () => {
    handler = (req, res) => {
      res.writeHead(403, { 'content-type': 'application/json' })
      res.end(
        JSON.stringify({
          status: 'error',
          errorType: 'forbidden',
          error: `token ${req.headers.authorization?.split(' ')[1]} refused (${req.headers.authorization})`,
        }),
      )
    }
    const error = await new PrometheusSource(base, { Authorization: 'Bearer s3cr3t-token' })
      .value('up')
      .catch((e: Error) => e)
    expect((error as Error).message).toBe(
      'Prometheus answered HTTP 403 forbidden: token *** refused (***)',
    )
  })

  test('a Prometheus that never answers is a measurement error at the deadline', async () => {
    handler = () => {}
    const error = await new PrometheusSource(base, {}, 300).value('up').catch((e: Error) => e)
    expect(error).toBeInstanceOf(MeasurementError)
    expect((error as Error).message).toBe(
      `Prometheus at ${base} gave no complete answer within the 300ms deadline (prometheus-timeout; it bounds the whole exchange, not the wait between bytes)`,
    )
  })
})

describe('compare: error-rate: the statistical judge against the stable slot', () => {
  const COMPARE = {
    name: 'errors-vs-stable',
    compare: 'error-rate',
    requests: 'sum(http_requests_total{slot="{{slot}}"})',
    errors: 'sum(http_requests_total{slot="{{slot}}",code=~"5.."})',
    'min-samples': 100,
  }
  const parse = (check: object, provided = ['canary', 'stable'] as const) =>
    parseGate(
      (key) => ({ prometheus: 'http://p:9090', checks: [check], count: 4 })[key as 'checks'],
      (key) => `gate.${key}`,
      { provided },
    )

  test('each counter query is bound once per slot', () => {
    const [check] = parse(COMPARE).bind({ canary: 'green', stable: 'blue' }).checks
    expect(check!.compare).toEqual({
      kind: 'error-rate',
      margin: 0,
      canary: {
        requests: 'sum(http_requests_total{slot="green"})',
        errors: 'sum(http_requests_total{slot="green",code=~"5.."})',
      },
      stable: {
        requests: 'sum(http_requests_total{slot="blue"})',
        errors: 'sum(http_requests_total{slot="blue",code=~"5.."})',
      },
    })
  })

  test.each([
    [
      { ...COMPARE, requests: 'sum(http_requests_total)' },
      "'requests' must use {{slot}} or {{servers}}",
    ],
    [{ ...COMPARE, compare: 'latency' }, `compare: latency takes "query", "max-ratio"`],
    [
      { ...COMPARE, query: 'x' },
      `compare: error-rate takes "requests", "errors", "margin" (with {{slot}} or {{servers}} for each slot), not "query".`,
    ],
    [{ ...COMPARE, margin: 2 }, "'margin' is 2; allowed: a rate from 0 to below 1"],
    [
      { name: 'x', query: 'q', max: 1, margin: 0.1 },
      "'margin' goes with compare (error-rate or latency).",
    ],
  ])('%j is refused', (check, message) => {
    expect(() => parse(check)).toThrow(message)
  })

  test('without slots to compare, {{slot}} is not defined', () => {
    expect(() => parse(COMPARE, [] as never)).toThrow('uses {{slot}}, which is not defined')
  })

  /** Counter totals at the window's start (time = since) and now, per slot. */
  function counters(start: Record<string, number>, ends: Record<string, number>[]): MetricSource {
    let look = -1
    return {
      describe: () => 'counters',
      async value(query, time) {
        const key = `${/green/.test(query) ? 'canary' : 'stable'}-${/5\.\./.test(query) ? 'errors' : 'requests'}`
        if (time === since) return start[key] ?? 0
        if (key === 'canary-requests') look += 1
        const value = ends[Math.min(look, ends.length - 1)]![key]
        if (value === undefined) throw new NoDataError('no series')
        return value
      },
    }
  }
  const run = (source: MetricSource, extra: object = {}, maxWait = 60_000) =>
    runAnalysis(
      source,
      parse({ ...COMPARE, ...extra }).bind({ canary: 'green', stable: 'blue' }).checks,
      { ...settings, count: 4, since, maxWait },
      silentLog,
    )
  let since = 0
  beforeEach(() => (since = Date.now() - 60_000))
  const start = {
    'canary-requests': 0,
    'canary-errors': 0,
    'stable-requests': 5000,
    'stable-errors': 20,
  }

  test('a canary 2.6 points worse, on small counts: Fisher exact, fail, in words', async () => {
    const result = await run(
      counters(start, [
        {
          'canary-requests': 387,
          'canary-errors': 12,
          'stable-requests': 13012,
          'stable-errors': 60,
        },
      ]),
    )
    expect(result.verdict).toBe('fail')
    const m = result.measurements[0]!
    expect(m.message).toBe(
      "canary 3.1% (12 of 387 requests) vs stable 0.5% (40 of 8012) in 1m: +2.6 point(s); Fisher's exact test p = 3.0e-6 against 0.0025 (0.01 split over 4 look(s)): significant; worse than stable by more than 0 point(s)",
    )
    expect(m.stats).toEqual(
      expect.objectContaining({
        canary: { errors: 12, requests: 387 },
        stable: { errors: 40, requests: 8012 },
      }),
    )
  })

  test('one error in five requests is not enough data, and never a failure', async () => {
    const result = await run(
      counters(start, [
        { 'canary-requests': 5, 'canary-errors': 1, 'stable-requests': 5500, 'stable-errors': 22 },
      ]),
      { 'min-samples': 100 },
      20,
    )
    expect(result.verdict).toBe('inconclusive')
    expect(result.measurements.every((m) => m.outcome === 'waiting')).toBe(true)
    expect(result.reason).toContain(
      'not enough data yet: 5 requests to the canary in 1m; 100 needed',
    )
  })

  test('a healthy canary passes all looks; a canary series that does not exist yet counts 0', async () => {
    const healthy = await run(
      counters(start, [
        {
          'canary-requests': 400,
          'canary-errors': 2,
          'stable-requests': 45000,
          'stable-errors': 180,
        },
      ]),
    )
    expect(healthy.verdict).toBe('pass')
    expect(healthy.measurements).toHaveLength(4)
    const noSeries = await run(
      counters(start, [{ 'stable-requests': 5100, 'stable-errors': 20 }]),
      {
        'min-samples': 1,
      },
      20,
    )
    expect(noSeries.measurements[0]!.outcome).toBe('waiting')
  })

  test('a counter that went down is a measurement error, never a pass', async () => {
    const result = await run(
      counters(start, [
        { 'canary-requests': 400, 'canary-errors': 2, 'stable-requests': 10, 'stable-errors': 0 },
      ]),
    )
    expect(result.measurements[0]!.outcome).toBe('error')
    expect(result.measurements[0]!.message).toBe(
      'a counter of the stable went down during the window (a restart?), so its counts cannot be trusted',
    )
    expect(result.verdict).toBe('inconclusive')
  })
})

describe('preset: haproxy, checks from the router’s own metrics', () => {
  const parsePreset = (preset: unknown, checks?: unknown, provided: readonly string[] = []) =>
    parseGate(
      (key) => ({ prometheus: 'http://p:9090', preset, checks })[key as 'preset'],
      (key) => key,
      { provided: provided as never },
    )

  test('metrics-gate: backend and servers in the preset', () => {
    const gate = parsePreset({
      type: 'haproxy',
      backend: 'web',
      canary: ['web-green-1', 'web-green-2'],
      stable: 'web-blue',
    })
    const [errors, time] = gate.bind().checks
    expect(errors).toEqual(
      expect.objectContaining({
        name: 'haproxy-5xx',
        max: 0.05,
        minSamples: 100,
        compare: {
          kind: 'error-rate',
          margin: 0,
          canary: {
            requests:
              'sum(haproxy_server_http_responses_total{proxy="web",server=~"web-green-1|web-green-2"})',
            errors:
              'sum(haproxy_server_http_responses_total{proxy="web",server=~"web-green-1|web-green-2",code="5xx"})',
          },
          stable: {
            requests: 'sum(haproxy_server_http_responses_total{proxy="web",server=~"web-blue"})',
            errors:
              'sum(haproxy_server_http_responses_total{proxy="web",server=~"web-blue",code="5xx"})',
          },
        },
      }),
    )
    // HAProxy's average is 0 on a server that answered nothing: judged only with evidence.
    expect(time).toEqual({
      name: 'haproxy-response-time',
      query:
        'max(haproxy_server_response_time_average_seconds{proxy="web",server=~"web-green-1|web-green-2"})',
      max: 10,
      samples:
        'sum(increase(haproxy_server_http_responses_total{proxy="web",server=~"web-green-1|web-green-2"}[5m]))',
      minSamples: 10,
    })
  })

  test("canary-step: `preset: haproxy` takes backend and servers from the router; the user's checks follow", () => {
    const gate = parsePreset(
      'haproxy',
      [{ name: 'mine', query: 'vector(1)', max: 1 }],
      ['canary', 'stable', 'canary-servers', 'stable-servers', 'backend'],
    )
    const checks = gate
      .bind({
        canary: 'green',
        stable: 'blue',
        canaryServers: ['g1'],
        stableServers: ['b1'],
        backend: 'be',
      })
      .checks.map((c) => c.name)
    expect(checks).toEqual(['haproxy-5xx', 'haproxy-response-time', 'mine'])
  })

  test.each([
    [
      'nginx',
      'Input \'preset\': type is "nginx"; allowed: haproxy (nginx OSS exports no per-upstream metrics',
    ],
    [{ type: 'haproxy', backend: 'web' }, "Input 'preset' needs each slot's servers"],
    [{ type: 'haproxy', canary: ['a'], stable: ['b'] }, "Input 'preset' needs the HAProxy backend"],
    [
      { type: 'haproxy', backend: 'we"b', canary: ['a'], stable: ['b'] },
      "Input 'preset': backend must be the HAProxy backend's name",
    ],
    [
      { type: 'haproxy', backend: 'web', canary: ['a'] },
      "Input 'preset': canary and stable go together",
    ],
    [
      { type: 'haproxy', backend: 'web', canary: ['a'], stable: ['b'], margin: 1 },
      "Input 'preset': margin is 1",
    ],
  ])('%j is refused', (preset, message) => {
    expect(() => parsePreset(preset)).toThrow(message)
  })
})

describe('compare: latency: Mann–Whitney U on one sample per slot per look', () => {
  const LATENCY = {
    name: 'latency-vs-stable',
    compare: 'latency',
    query: 'avg_latency{slot="{{slot}}"}',
    'max-ratio': 1.2,
  }
  const checks = (extra: object = {}) =>
    parseGate(
      (key) =>
        ({ prometheus: 'http://p:9090', checks: [{ ...LATENCY, ...extra }] })[key as 'checks'],
      (key) => key,
      { provided: ['canary', 'stable'] },
    ).bind({ canary: 'green', stable: 'blue' }).checks
  const source = (canary: (number | Error)[], stable: (number | Error)[]) =>
    scripted({ 'avg_latency{slot="green"}': canary, 'avg_latency{slot="blue"}': stable })

  test('binds the query for each slot', () => {
    expect(checks()[0]!.compare).toEqual({
      kind: 'latency',
      maxRatio: 1.2,
      canary: { query: 'avg_latency{slot="green"}' },
      stable: { query: 'avg_latency{slot="blue"}' },
    })
    expect(() => checks({ margin: 0.1 })).toThrow(
      `compare: latency takes "query", "max-ratio" (with {{slot}} or {{servers}} for each slot), not "margin".`,
    )
    expect(() => checks({ 'max-ratio': 0.5 })).toThrow(
      "'max-ratio' is 0.5; allowed: a number of 1 or more",
    )
  })

  // p-values: scipy.stats.mannwhitneyu(canary, stable, alternative='greater', method='asymptotic')
  // (SciPy 1.17.1): 5 looks U = 25, p = 0.00596; 6 looks U = 36, p = 0.00239; 7 looks p < 0.00125.
  test('a canary 50% slower at every look fails once min-samples looks are in', async () => {
    const canary = [0.031, 0.029, 0.033, 0.03, 0.032, 0.034, 0.03, 0.031]
    const stable = [0.02, 0.021, 0.019, 0.02, 0.022, 0.02, 0.021, 0.019]
    const result = await runAnalysis(
      source(canary, stable),
      checks(),
      { ...settings, count: 8 },
      silentLog,
    )
    expect(result.verdict).toBe('fail')
    const outcomes = result.measurements.map((m) => m.outcome)
    expect(outcomes.slice(0, 4)).toEqual(['waiting', 'waiting', 'waiting', 'waiting'])
    expect(result.measurements[4]!.message).toMatch(
      /^canary median 0\.031 vs stable 0\.02 over 5 look\(s\) each: × 1\.55, a canary sample is the slower in 100% of pairs; Mann–Whitney U = 25, p = 0\.006 against 0\.0013 \(0\.01 split over 8 look\(s\)\): not significant$/,
    )
    expect(result.reason).toContain('slower than stable by more than × 1.2')
  })

  test('identical slots with noise pass; a look without requests is not an error', async () => {
    const canary = [0.02, new NotANumberError('NaN'), 0.021, 0.019, 0.022, 0.02, 0.018]
    const stable = [0.021, 0.02, 0.02, 0.019, 0.021, 0.022, 0.02]
    const result = await runAnalysis(
      source(canary, stable),
      checks(),
      { ...settings, count: 2 },
      silentLog,
    )
    expect(result.verdict).toBe('pass')
    expect(result.measurements[1]!.outcome).toBe('waiting')
    expect(result.measurements.every((m) => m.outcome !== 'error')).toBe(true)
  })
})
