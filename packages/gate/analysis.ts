/**
 * The analysis loop, with Argo Rollouts' semantics and stricter defaults: measurements every
 * `interval`, `count` of them; a failed or errored measurement counts against `failureLimit`
 * and the verdict is `fail` the moment it is exceeded; no data is `inconclusive` (or `fail`),
 * never a pass; any inconclusive measurement makes the verdict `inconclusive`.
 */
import { errorMessage, type Log } from '../action-kit/index.js'
import type { Check } from './checks.js'
import { NoDataError, type MetricSource } from './prometheus.js'

export type Outcome = 'pass' | 'fail' | 'inconclusive' | 'error'
export type Verdict = 'pass' | 'fail' | 'inconclusive'

export interface GateSettings {
  /** ms between measurements. */
  interval: number
  count: number
  /** Failed (or errored) measurements tolerated per check. */
  failureLimit: number
  noData: 'fail' | 'inconclusive'
  /** ms before the first measurement. */
  initialDelay: number
}

export const DEFAULT_SETTINGS: GateSettings = {
  interval: 10_000,
  count: 3,
  failureLimit: 0,
  noData: 'inconclusive',
  initialDelay: 0,
}

export interface Measurement {
  check: string
  /** ISO time the measurement was taken. */
  at: string
  value?: number
  baseline?: number
  /** The bound in words: "<= 0.05", ">= 10 and <= 20", "<= 1.2 x baseline 0.021". */
  bound: string
  outcome: Outcome
  message?: string
}

export interface AnalysisResult {
  verdict: Verdict
  reason: string
  measurements: Measurement[]
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve()
    const timer = setTimeout(resolve, ms)
    signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true })
  })

/** One measurement of one check. */
export async function measure(
  source: MetricSource,
  check: Check,
  settings: Pick<GateSettings, 'noData'>,
): Promise<Measurement> {
  const at = new Date().toISOString()
  let bound = boundText(check)
  try {
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
      bound,
      outcome: failures.length > 0 ? 'fail' : 'pass',
      ...(failures.length > 0 ? { message: failures.join('; ') } : {}),
    }
  } catch (e) {
    if (e instanceof NoDataError) {
      return {
        check: check.name,
        at,
        bound,
        outcome: settings.noData === 'fail' ? 'fail' : 'inconclusive',
        message: e.message,
      }
    }
    return { check: check.name, at, bound, outcome: 'error', message: errorMessage(e) }
  }
}

export interface AnalysisHooks {
  /** Called after each round of measurements (one per check). */
  onRound?(round: Measurement[], index: number): void
  /** Stops waiting between measurements; the verdict so far is returned. */
  signal?: AbortSignal
}

export async function runAnalysis(
  source: MetricSource,
  checks: Check[],
  settings: GateSettings,
  log: Log,
  hooks: AnalysisHooks = {},
): Promise<AnalysisResult> {
  const measurements: Measurement[] = []
  const failed = new Map<string, number>(checks.map((c) => [c.name, 0]))
  await sleep(settings.initialDelay, hooks.signal)
  for (let i = 0; i < settings.count; i++) {
    if (i > 0) await sleep(settings.interval, hooks.signal)
    if (hooks.signal?.aborted)
      return {
        verdict: 'inconclusive',
        reason: 'analysis stopped before it finished',
        measurements,
      }
    const round = await Promise.all(checks.map((check) => measure(source, check, settings)))
    measurements.push(...round)
    for (const m of round) {
      log.info(
        `  [${i + 1}/${settings.count}] ${m.check}: ${m.value === undefined ? '—' : format(m.value)} (${m.bound}) ${m.outcome}${m.message ? `: ${m.message}` : ''}`,
      )
      if (m.outcome === 'fail' || m.outcome === 'error')
        failed.set(m.check, (failed.get(m.check) ?? 0) + 1)
    }
    hooks.onRound?.(round, i)
    const over = round.find((m) => (failed.get(m.check) ?? 0) > settings.failureLimit)
    if (over) {
      return {
        verdict: 'fail',
        reason: `${over.check} ${over.outcome === 'error' ? 'could not be measured' : 'failed'} ${failed.get(over.check)} time(s), more than failure-limit ${settings.failureLimit}: ${over.message}`,
        measurements,
      }
    }
  }
  const inconclusive = measurements.find((m) => m.outcome === 'inconclusive')
  if (inconclusive) {
    return {
      verdict: 'inconclusive',
      reason: `${inconclusive.check}: ${inconclusive.message}; inconclusive is not a pass`,
      measurements,
    }
  }
  const tolerated = measurements.filter((m) => m.outcome !== 'pass').length
  return {
    verdict: 'pass',
    reason: `${checks.length} check(s) passed ${settings.count} measurement(s)${tolerated > 0 ? ` (${tolerated} failure(s) within failure-limit ${settings.failureLimit})` : ''}`,
    measurements,
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
