/**
 * The analysis loop: every `interval` it measures each check, logs and counts the outcome, and
 * asks the pure `assess()` whether the gate is decided. It never judges by itself.
 */
import { errorMessage, formatDuration, type Log } from '../action-kit/index.js'
import { sleep } from '../action-kit/util.js'
import { assess, count, emptyCounts, type CheckCounts, type Verdict } from './assess.js'
import { DEFAULT_MIN_SAMPLES, type Check, type Comparison, type CounterQueries } from './checks.js'
import { MeasurementError, NoDataError, NotANumberError, type MetricSource } from './prometheus.js'
import {
  alphaPerLook,
  judgeErrorRate,
  mannWhitneyGreater,
  median,
  type ProportionTestName,
} from './stats.js'

/** Latency comparisons' samples so far, per check: one per slot per look. */
export type LatencySamples = Map<string, { canary: number[]; stable: number[] }>

export type { Verdict } from './assess.js'
export type Outcome = 'pass' | 'fail' | 'inconclusive' | 'error' | 'waiting'

export interface GateSettings {
  /** ms between measurements. */
  interval: number
  /** Measurements per check (not counting "not enough data yet"). */
  count: number
  /** Failed measurements tolerated per check; one more fails the gate at once. */
  failureLimit: number
  /** Inconclusive measurements (no data) tolerated per check. */
  inconclusiveLimit: number
  /** Measurement errors in a row tolerated per check (Argo's default: 4). */
  consecutiveErrorLimit: number
  noData: 'fail' | 'inconclusive'
  /** ms before the first measurement. */
  initialDelay: number
  /** ms from the start after which a gate still short of evidence ends inconclusive. */
  maxWait: number
  /** Comparisons with stable: 1 − the false-alarm rate over all `count` looks (Bonferroni). */
  confidence: number
  /** Start of the comparisons' window (ms since the epoch); default: when the gate starts. */
  since?: number
}

export const DEFAULT_SETTINGS: GateSettings = {
  interval: 10_000,
  count: 3,
  failureLimit: 0,
  inconclusiveLimit: 0,
  consecutiveErrorLimit: 4,
  noData: 'inconclusive',
  initialDelay: 0,
  maxWait: 600_000,
  confidence: 0.99,
}

/** The numbers behind a comparison with stable, for the report. */
export interface ComparisonStats {
  canary: { errors: number; requests: number } | { median: number; samples: number }
  stable: { errors: number; requests: number } | { median: number; samples: number }
  test: ProportionTestName | 'Mann–Whitney U'
  pValue: number
  /** This look's significance level. */
  alpha: number
  margin?: number
  /** Latency: canary median / stable median, and P(a canary sample > a stable one). */
  ratio?: number
  probabilityGreater?: number
}

export interface Measurement {
  check: string
  /** ISO time the measurement was taken. */
  at: string
  value?: number
  baseline?: number
  /** The evidence behind the value (the `samples` query), when the check counts it. */
  samples?: number
  /** The bound in words: "<= 0.05", ">= 10 and <= 20", "<= 1.2 x baseline 0.021". */
  bound: string
  outcome: Outcome
  message?: string
  dryRun?: boolean
  stats?: ComparisonStats
}

export interface AnalysisResult {
  verdict: Verdict
  reason: string
  measurements: Measurement[]
}

/**
 * One measurement of one check. `windowStart` (ms) is where comparisons start counting, `now`
 * the clock their window ends at (the analysis loop's, for tests).
 */
export async function measure(
  source: MetricSource,
  check: Check,
  settings: Pick<GateSettings, 'noData'> & Partial<GateSettings>,
  windowStart = Date.now(),
  history: LatencySamples = new Map(),
  now: () => number = Date.now,
): Promise<Measurement> {
  const at = new Date().toISOString()
  const dry = check.dryRun ? { dryRun: true } : {}
  let bound = boundText(check, undefined, settings.confidence)
  try {
    if (check.compare?.kind === 'latency')
      return { ...(await compareLatency(source, check, settings, history, at)), ...dry }
    if (check.compare)
      return {
        ...(await compareWithStable(source, check, settings, windowStart, at, now())),
        ...dry,
      }
    let samples: number | undefined
    if (check.samples !== undefined && check.minSamples !== undefined) {
      // A counter with no series yet has counted nothing: no evidence, not "no data".
      samples = await source.value(check.samples).catch((e: unknown) => {
        if (e instanceof NoDataError) return 0
        throw e
      })
      const short = judgeEvidence(samples, check.minSamples)
      if (short) return { check: check.name, at, samples, bound, ...short, ...dry }
    }
    const [value, baseline] = await Promise.all([
      source.value(check.query),
      check.baseline === undefined ? Promise.resolve(undefined) : source.value(check.baseline),
    ])
    if (baseline !== undefined) bound = boundText(check, baseline)
    const judged = judgeValue(check, value, baseline)
    return {
      check: check.name,
      at,
      value,
      ...(baseline === undefined ? {} : { baseline }),
      ...(samples === undefined ? {} : { samples }),
      bound,
      ...judged,
      ...dry,
    }
  } catch (e) {
    if (e instanceof NoDataError) {
      return {
        check: check.name,
        at,
        bound,
        outcome: settings.noData === 'fail' ? 'fail' : 'inconclusive',
        message: e.message,
        ...dry,
      }
    }
    return { check: check.name, at, bound, outcome: 'error', message: errorMessage(e), ...dry }
  }
}

/**
 * Is there enough evidence behind a look (pure)? Undefined when there is; else the look's
 * outcome: "not enough data yet" below `minSamples`, an error when the count is not a number.
 */
export function judgeEvidence(
  samples: number,
  minSamples: number,
): { outcome: 'waiting' | 'error'; message: string } | undefined {
  if (!Number.isFinite(samples) || samples < 0)
    return {
      outcome: 'error',
      message: `the samples query returned ${format(samples)}, not a count; the evidence is unknown, so the value is not judged`,
    }
  if (samples < minSamples)
    return {
      outcome: 'waiting',
      message: `not enough data yet: ${format(samples)} sample(s), ${minSamples} needed`,
    }
  return undefined
}

/**
 * A plain check's look from its numbers alone (pure). A value or baseline that is not a finite
 * number (NaN, ±Infinity) is an error: it is never a pass, and never a fail either, since it says
 * the query could not be computed (0/0, x/0), not that the release is bad.
 */
export function judgeValue(
  check: Pick<Check, 'max' | 'min' | 'maxIncrease'>,
  value: number,
  baseline?: number,
): { outcome: 'pass' | 'fail' | 'error'; message?: string } {
  if (!Number.isFinite(value))
    return {
      outcome: 'error',
      message: `the query returned ${format(value)}, not a finite number; never judged`,
    }
  if (baseline !== undefined && !Number.isFinite(baseline))
    return {
      outcome: 'error',
      message: `the baseline query returned ${format(baseline)}, not a finite number; never judged`,
    }
  const failures: string[] = []
  if (check.max !== undefined && value > check.max)
    failures.push(`${format(value)} > max ${check.max}`)
  if (check.min !== undefined && value < check.min)
    failures.push(`${format(value)} < min ${check.min}`)
  if (baseline !== undefined && check.maxIncrease !== undefined) {
    const limit = baseline * check.maxIncrease
    if (value > limit)
      failures.push(
        `${format(value)} > ${check.maxIncrease} × baseline ${format(baseline)} = ${format(limit)}`,
      )
  }
  return failures.length > 0
    ? { outcome: 'fail', message: failures.join('; ') }
    : { outcome: 'pass' }
}

/**
 * Checks whose `max` (or `baseline`) a quiet canary could pass: a plain query with an upper bound
 * and no `samples` counting the evidence. A count or rate of errors is 0 without any request.
 */
export function checksWithoutEvidence(checks: readonly Check[]): string[] {
  return checks
    .filter(
      (c) =>
        !c.compare &&
        !c.dryRun &&
        c.samples === undefined &&
        (c.max !== undefined || c.baseline !== undefined),
    )
    .map((c) => c.name)
}

export interface AnalysisHooks {
  /** Called after each round of measurements (one per check). */
  onRound?(round: Measurement[], index: number): void
  /** Stops waiting between measurements; the verdict so far is returned. */
  signal?: AbortSignal
  /** The clock (ms) and the wait between measurements, for tests. */
  now?: () => number
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
}

export async function runAnalysis(
  source: MetricSource,
  checks: Check[],
  settings: GateSettings,
  log: Log,
  hooks: AnalysisHooks = {},
): Promise<AnalysisResult> {
  const now = hooks.now ?? Date.now
  const wait = hooks.sleep ?? sleep
  const started = now()
  const history: LatencySamples = new Map()
  const measurements: Measurement[] = []
  let counts: CheckCounts[] = checks.map((c) => emptyCounts(c.name, c.dryRun))
  const unproven = checksWithoutEvidence(checks)
  if (unproven.length > 0)
    log.warning(
      `${unproven.join(', ')}: no 'samples' query counts the evidence, so a quiet canary is judged on whatever the query returns without traffic (a count or rate of errors is 0, a pass; a ratio is NaN, an error). Give 'samples' and 'min-samples' (e.g. the canary's requests in the window) to require evidence.`,
      { title: 'Gate check without evidence' },
    )
  await wait(settings.initialDelay, hooks.signal)
  // Comparisons count from after initial-delay: the start counter is the last scrape before it,
  // so a delay of a scrape interval keeps traffic from before the step out of the window.
  const windowStart = settings.since ?? now()
  for (let round = 0; ; round++) {
    if (round > 0) await wait(settings.interval, hooks.signal)
    if (hooks.signal?.aborted)
      return {
        verdict: 'inconclusive',
        reason: 'analysis stopped before it finished',
        measurements,
      }
    const results = await Promise.all(
      checks.map((check) => measure(source, check, settings, windowStart, history, now)),
    )
    measurements.push(...results)
    counts = counts.map((c, i) => count(c, results[i]!.outcome, results[i]!.message))
    for (const [i, m] of results.entries()) {
      const done =
        counts[i]!.passed + counts[i]!.failed + counts[i]!.inconclusive + counts[i]!.errors
      log.info(
        `  [${done}/${settings.count}] ${m.check}${m.dryRun ? ' (dry-run)' : ''}: ${m.value === undefined ? '—' : format(m.value)} (${m.bound}) ${m.outcome}${m.message ? `: ${m.message}` : ''}`,
      )
    }
    hooks.onRound?.(results, round)
    // Out of time when the next round would start after max-wait.
    const timeUp = now() + settings.interval - started > settings.maxWait
    const decided = assess(counts, settings, timeUp)
    if (decided) return { ...decided, measurements }
  }
}

/**
 * A comparison's look: exact counts of requests and errors in the window for both slots (counter
 * totals at both ends), then the one-sided test of "canary − stable ≤ margin".
 */
async function compareWithStable(
  source: MetricSource,
  check: Check,
  settings: Partial<GateSettings>,
  windowStart: number,
  at: string,
  now: number,
): Promise<Measurement> {
  const compare = check.compare as Extract<Comparison, { kind: 'error-rate' }>
  const confidence = settings.confidence ?? DEFAULT_SETTINGS.confidence
  const bound = boundText(check, undefined, confidence)
  // A counter with no series yet has counted nothing.
  const total = (query: string, time?: number) =>
    source.value(query, time).catch((e: unknown) => {
      if (e instanceof NoDataError) return 0
      throw e
    })
  const counts = async (side: CounterQueries, slot: string) => {
    const [r0, e0, r1, e1] = await Promise.all([
      total(side.requests, windowStart),
      total(side.errors, windowStart),
      total(side.requests, now),
      total(side.errors, now),
    ])
    const requests = Math.round(r1 - r0)
    const errors = Math.round(e1 - e0)
    if (!Number.isFinite(requests) || !Number.isFinite(errors))
      throw new MeasurementError(
        `a counter of the ${slot} is not a finite number (${format(r0)}, ${format(r1)} requests; ${format(e0)}, ${format(e1)} errors), so its counts cannot be trusted`,
      )
    if (requests < 0 || errors < 0)
      throw new MeasurementError(
        `a counter of the ${slot} went down during the window (a restart?), so its counts cannot be trusted`,
      )
    if (errors > requests)
      throw new MeasurementError(
        `the ${slot} counted ${errors} errors but only ${requests} requests: do 'errors' and 'requests' count the same thing?`,
      )
    return { errors, requests }
  }
  const [canary, stable] = await Promise.all([
    counts(compare.canary, 'canary'),
    counts(compare.stable, 'stable'),
  ])
  const window = formatDuration(Math.max(0, Math.round((now - windowStart) / 1000) * 1000))
  const looks = settings.count ?? DEFAULT_SETTINGS.count
  return {
    check: check.name,
    at,
    bound,
    ...judgeErrorRateLook(check, { canary, stable, window }, confidence, looks),
  }
}

/** Exact counts of one comparison's look: each slot's requests and errors in the window. */
export interface ErrorRateCounts {
  canary: { errors: number; requests: number }
  stable: { errors: number; requests: number }
  /** The window in words, e.g. "1m". */
  window: string
}

/**
 * One look of `compare: error-rate`, from exact counts (pure). Below `min-samples` canary
 * requests (default DEFAULT_MIN_SAMPLES) it is "not enough data yet": 0 of 0 requests is never a
 * pass. With no stable request in the window there is nothing to compare with: the look is judged
 * on `max` alone when there is one, else it waits.
 */
export function judgeErrorRateLook(
  check: Pick<Check, 'compare' | 'minSamples' | 'max'>,
  { canary, stable, window }: ErrorRateCounts,
  confidence: number,
  looks: number,
): Pick<Measurement, 'outcome' | 'message' | 'value' | 'baseline' | 'samples' | 'stats'> {
  const compare = check.compare as Extract<Comparison, { kind: 'error-rate' }>
  const needed = check.minSamples ?? DEFAULT_MIN_SAMPLES['error-rate']
  const rates = `canary ${percent(canary.errors, canary.requests)} (${canary.errors} of ${canary.requests} requests) vs stable ${percent(stable.errors, stable.requests)} (${stable.errors} of ${stable.requests}) in ${window}`
  if (canary.requests < needed)
    return {
      samples: canary.requests,
      outcome: 'waiting',
      message: `not enough data yet: ${canary.requests} requests to the canary in ${window}; ${needed} needed`,
    }
  const canaryRate = canary.errors / canary.requests
  if (stable.requests === 0) {
    if (check.max === undefined)
      return {
        value: canaryRate,
        samples: canary.requests,
        outcome: 'waiting',
        message: `not enough data yet: ${rates}: the stable slot had no request in the window, so there is nothing to compare the canary with (give 'max' to judge the canary's rate alone)`,
      }
    const over = canaryRate > check.max
    return {
      value: canaryRate,
      samples: canary.requests,
      outcome: over ? 'fail' : 'pass',
      message: `${rates}: the stable slot had no request in the window, nothing to compare with; judged on max ${check.max} alone${over ? `; canary rate ${format(canaryRate)} > max ${check.max}` : ''}`,
    }
  }
  const alpha = alphaPerLook(confidence, looks)
  const j = judgeErrorRate(
    {
      canaryErrors: canary.errors,
      canaryTotal: canary.requests,
      stableErrors: stable.errors,
      stableTotal: stable.requests,
    },
    compare.margin,
    alpha,
  )
  const failures: string[] = []
  if (j.worse) failures.push(`worse than stable by more than ${points(compare.margin)}`)
  if (check.max !== undefined && j.canaryRate > check.max)
    failures.push(`canary rate ${format(j.canaryRate)} > max ${check.max}`)
  const verdictWords = j.worse
    ? 'significant'
    : j.pValue < alpha
      ? `significant, but within the margin of ${points(compare.margin)}`
      : 'not significant'
  const message = `${rates}: ${j.difference >= 0 ? '+' : '−'}${points(Math.abs(j.difference))}; ${j.test} p = ${formatP(j.pValue)} against ${formatP(alpha)} (${format(1 - confidence)} split over ${looks} look(s)): ${verdictWords}${failures.length > 0 ? `; ${failures.join('; ')}` : ''}`
  return {
    value: j.canaryRate,
    baseline: j.stableRate,
    samples: canary.requests,
    outcome: failures.length > 0 ? 'fail' : 'pass',
    message,
    stats: { canary, stable, test: j.test, pValue: j.pValue, alpha, margin: compare.margin },
  }
}

/**
 * A latency comparison's look: one sample per slot (the check's query for each), then, once
 * `min-samples` looks (default 5) have both, Mann–Whitney U "canary slower" at this look's
 * significance, failing only when the canary's median is also more than max-ratio × stable's.
 */
async function compareLatency(
  source: MetricSource,
  check: Check,
  settings: Partial<GateSettings>,
  history: LatencySamples,
  at: string,
): Promise<Measurement> {
  const compare = check.compare as Extract<Comparison, { kind: 'latency' }>
  const confidence = settings.confidence ?? DEFAULT_SETTINGS.confidence
  const bound = boundText(check, undefined, confidence)
  const needed = check.minSamples ?? DEFAULT_MIN_SAMPLES.latency
  const samples = history.get(check.name) ?? { canary: [], stable: [] }
  history.set(check.name, samples)
  let canary: number
  let stable: number
  try {
    ;[canary, stable] = await Promise.all([
      source.value(compare.canary.query),
      source.value(compare.stable.query),
    ])
  } catch (e) {
    // No request to a slot in this interval: no sample this look, not an error.
    if (!(e instanceof NoDataError || e instanceof NotANumberError)) throw e
    return {
      check: check.name,
      at,
      samples: samples.canary.length,
      bound,
      outcome: 'waiting',
      message: `not enough data yet: no latency sample from both slots this look (${e.message}); ${samples.canary.length} of ${needed} looks so far`,
    }
  }
  samples.canary.push(canary)
  samples.stable.push(stable)
  const n = samples.canary.length
  if (n < needed)
    return {
      check: check.name,
      at,
      value: canary,
      baseline: stable,
      samples: n,
      bound,
      outcome: 'waiting',
      message: `not enough data yet: ${n} look(s) with latency from both slots; ${needed} needed`,
    }
  const looks = settings.count ?? DEFAULT_SETTINGS.count
  const alpha = alphaPerLook(confidence, looks)
  const mw = mannWhitneyGreater(samples.canary, samples.stable)
  const [mc, ms] = [median(samples.canary), median(samples.stable)]
  const ratio = ms === 0 ? (mc === 0 ? 1 : Infinity) : mc / ms
  const significant = mw.pValue < alpha
  const worse = significant && ratio > compare.maxRatio
  const overMax = check.max !== undefined && canary > check.max
  const message = `canary median ${format(mc)} vs stable ${format(ms)} over ${n} look(s) each: × ${format(ratio)}, a canary sample is the slower in ${Math.round(100 * mw.probabilityGreater)}% of pairs; Mann–Whitney U = ${mw.u}, p = ${formatP(mw.pValue)} against ${formatP(alpha)} (${format(1 - confidence)} split over ${looks} look(s)): ${significant ? 'significant' : 'not significant'}${worse ? `; slower than stable by more than × ${compare.maxRatio}` : ''}${overMax ? `; canary ${format(canary)} > max ${check.max}` : ''}`
  return {
    check: check.name,
    at,
    value: canary,
    baseline: stable,
    samples: n,
    bound,
    outcome: worse || overMax ? 'fail' : 'pass',
    message,
    stats: {
      canary: { median: mc, samples: n },
      stable: { median: ms, samples: n },
      test: 'Mann–Whitney U',
      pValue: mw.pValue,
      alpha,
      ratio,
      probabilityGreater: mw.probabilityGreater,
    },
  }
}

const percent = (part: number, whole: number) =>
  whole === 0 ? '—' : `${Number(((100 * part) / whole).toPrecision(2))}%`
const points = (rate: number) => `${Number((100 * rate).toPrecision(2))} point(s)`
const formatP = (p: number) =>
  p === 0 ? '0' : p < 1e-4 ? p.toExponential(1) : String(Number(p.toPrecision(2)))

export function boundText(check: Check, baseline?: number, confidence?: number): string {
  const parts: string[] = []
  const level = `${100 * (confidence ?? DEFAULT_SETTINGS.confidence)}% confidence`
  if (check.compare?.kind === 'error-rate')
    parts.push(`canary − stable <= ${points(check.compare.margin)} at ${level}`)
  if (check.compare?.kind === 'latency')
    parts.push(`canary median <= ${check.compare.maxRatio} × stable's at ${level}`)
  if (check.min !== undefined) parts.push(`>= ${check.min}`)
  if (check.max !== undefined) parts.push(`<= ${check.max}`)
  if (check.baseline !== undefined)
    parts.push(
      `<= ${check.maxIncrease} × baseline${baseline === undefined ? '' : ` ${format(baseline)}`}`,
    )
  return parts.join(' and ')
}

export function format(value: number): string {
  if (value === 0) return '0'
  const abs = Math.abs(value)
  return abs >= 1000 || abs < 0.001 ? value.toExponential(2) : String(Number(value.toPrecision(3)))
}
