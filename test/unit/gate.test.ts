import { silentLog } from '../../packages/action-kit/index.js'
import {
  escapePromqlString,
  MeasurementError,
  NoDataError,
  parseChecks,
  runAnalysis,
  singleValue,
  substitute,
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

test('variables are escaped for PromQL strings', () => {
  expect(escapePromqlString('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd')
  expect(
    substitute('up{job="{{job}}", slot="{{ slot }}"}', { job: 'we"b', slot: 'blue' }, 'q'),
  ).toBe('up{job="we\\"b", slot="blue"}')
  expect(() => substitute('up{job="{{jb}}"}', { job: 'web' }, "Input 'checks'[0]")).toThrow(
    "Input 'checks'[0] uses {{jb}}, which is not defined; defined: job.",
  )
})

test('checks keep their bounds; max and min may come as strings from YAML', () => {
  expect(parseChecks([{ name: 'a', query: 'q', max: '0.5', min: 0 }], 'c', {})).toEqual([
    { name: 'a', query: 'q', max: 0.5, min: 0 },
  ])
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
  noData: 'inconclusive' as const,
  initialDelay: 0,
}

describe('analysis loop', () => {
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

  test('an error is never a pass, and counts against failure-limit', async () => {
    const result = await runAnalysis(
      scripted({ q: [new MeasurementError('boom'), 0.01, 0.01] }),
      [{ name: 'c', query: 'q', max: 0.05 }],
      { ...settings, failureLimit: 1 },
      silentLog,
    )
    expect(result.verdict).toBe('pass')
    expect(result.measurements[0]).toEqual(
      expect.objectContaining({ outcome: 'error', message: 'boom' }),
    )
    const strict = await runAnalysis(
      scripted({ q: [new MeasurementError('boom')] }),
      [{ name: 'c', query: 'q', max: 1 }],
      settings,
      silentLog,
    )
    expect(strict.verdict).toBe('fail')
  })

  test('no data is inconclusive by default, fail when asked, never pass', async () => {
    const check = [{ name: 'c', query: 'q', max: 1 }]
    const noData = () => scripted({ q: [new NoDataError('no series'), 0.1, 0.1] })
    expect((await runAnalysis(noData(), check, settings, silentLog)).verdict).toBe('inconclusive')
    expect(
      (await runAnalysis(noData(), check, { ...settings, noData: 'fail' }, silentLog)).verdict,
    ).toBe('fail')
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
    const ok = await runAnalysis(
      scripted({ canary: [0.023], stable: [0.02] }),
      check,
      { ...settings, count: 1 },
      silentLog,
    )
    expect(ok.verdict).toBe('pass')
  })
})
