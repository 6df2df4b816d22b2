/**
 * The analysis loop: every `interval` it measures each check, logs and counts the outcome, and
 * asks the pure `assess()` whether the gate is decided. It never judges by itself.
 */
import { errorMessage, type Log } from '../action-kit/index.js'
import { sleep } from '../action-kit/util.js'
import { assess, count, emptyCounts, type CheckCounts, type Verdict } from './assess.js'
import type { Check } from './checks.js'
import { NoDataError, type MetricSource } from './prometheus.js'

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
}

export interface AnalysisResult {
  verdict: Verdict
  reason: string
  measurements: Measurement[]
}

/** One measurement of one check. */
export async function measure(
  source: MetricSource,
  check: Check,
  settings: Pick<GateSettings, 'noData'>,
): Promise<Measurement> {
  const at = new Date().toISOString()
  const dry = check.dryRun ? { dryRun: true } : {}
  let bound = boundText(check)
  try {
    let samples: number | undefined
    if (check.samples !== undefined && check.minSamples !== undefined) {
      samples = await source.value(check.samples)
      if (samples < check.minSamples)
        return {
          check: check.name,
          at,
          samples,
          bound,
          outcome: 'waiting',
          message: `not enough data yet: ${format(samples)} sample(s), ${check.minSamples} needed`,
          ...dry,
        }
    }
    const [value, baseline] = await Promise.all([
      source.value(check.query),
      check.baseline === undefined ? Promise.resolve(undefined) : source.value(check.baseline),
    ])
    const failures: string[] = []
    if (check.max !== undefined && value > check.max)
      failures.push(`${format(value)} > max ${check.max}`)
    if (check.min !== undefined && value < check.min)
      failures.push(`${format(value)} < min ${check.min}`)
    if (baseline !== undefined && check.maxIncrease !== undefined) {
      const limit = baseline * check.maxIncrease
      bound = boundText(check, baseline)
      if (value > limit)
        failures.push(
          `${format(value)} > ${check.maxIncrease} × baseline ${format(baseline)} = ${format(limit)}`,
        )
    }
    return {
      check: check.name,
      at,
      value,
      ...(baseline === undefined ? {} : { baseline }),
      ...(samples === undefined ? {} : { samples }),
      bound,
      outcome: failures.length > 0 ? 'fail' : 'pass',
      ...(failures.length > 0 ? { message: failures.join('; ') } : {}),
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
  const measurements: Measurement[] = []
  let counts: CheckCounts[] = checks.map((c) => emptyCounts(c.name, c.dryRun))
  await wait(settings.initialDelay, hooks.signal)
  for (let round = 0; ; round++) {
    if (round > 0) await wait(settings.interval, hooks.signal)
    if (hooks.signal?.aborted)
      return {
        verdict: 'inconclusive',
        reason: 'analysis stopped before it finished',
        measurements,
      }
    const results = await Promise.all(checks.map((check) => measure(source, check, settings)))
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

export function boundText(check: Check, baseline?: number): string {
  const parts: string[] = []
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
