/**
 * Canary: move traffic to the canary slot step by step, judge every step with the gate, and on a
 * failing verdict put the stable slot back to 100% at once (or hold, if asked).
 */
import { ConfigurationError, errorMessage, markdown, type Log } from '../action-kit/index.js'
import { formatWeights, otherSlot, type Router, type Slot, type Weights } from '../router/index.js'
import {
  lineChart,
  measurementTable,
  runAnalysis,
  type Check,
  type GateSettings,
  type Measurement,
  type MetricSource,
  type Verdict,
} from '../gate/index.js'
import { moveTraffic } from './move.js'

export interface CanaryGate {
  source: MetricSource
  checks: Check[]
  settings: GateSettings
}

export interface CanaryPlan {
  /** Canary weights to walk through, ascending. */
  steps: number[]
  /** ms each step holds before it is judged (used as is when there is no gate). */
  holdMs: number
  canary?: Slot
  onFailure: 'rollback' | 'hold'
  /** Builds the gate once the canary and stable slots are known (queries use {{canary}} and {{stable}}). */
  gate?: (slots: { canary: Slot; stable: Slot }) => CanaryGate
}

export interface CanaryStep {
  weight: number
  verdict: Verdict | 'cancelled'
  reason: string
  measurements: Measurement[]
  startedAt: string
}

export interface CanaryResult {
  router: string
  canary: Slot
  stable: Slot
  verdict: Verdict | 'cancelled'
  reason: string
  /** The canary's weight at the end. */
  weight: number
  steps: CanaryStep[]
  before: Weights
  after: Weights
  rolledBack: boolean
}

export interface CanaryHooks {
  /** Called once the canary and stable slots are known, before any traffic moves. */
  onStart?(walk: { canary: Slot; stable: Slot; before: Weights }): Promise<void>
  /** Called before every traffic move with what a post step would need to restore. */
  onProgress?(progress: { canary: Slot; stable: Slot; weight: number; finished: boolean }): void
  /** Aborting stops the walk between steps or measurements; the stable slot is then restored. */
  signal?: AbortSignal
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve()
    const timer = setTimeout(resolve, ms)
    signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true })
  })

const weightsFor = (canary: Slot, weight: number): Weights =>
  ({ [canary]: weight, [otherSlot(canary)]: 100 - weight }) as unknown as Weights

/** The canary is the slot carrying less traffic; a tie cannot be resolved without being told. */
export function chooseCanary(weights: Weights): Slot {
  if (weights.blue === weights.green) {
    throw new ConfigurationError(
      `Input 'canary' is needed: traffic is ${formatWeights(weights)}, so neither slot carries less. Say canary: blue or canary: green.`,
    )
  }
  return weights.blue < weights.green ? 'blue' : 'green'
}

export async function runCanary(
  router: Router,
  plan: CanaryPlan,
  log: Log,
  hooks: CanaryHooks = {},
): Promise<CanaryResult> {
  const before = await router.read()
  const canary = plan.canary ?? chooseCanary(before)
  const stable = otherSlot(canary)
  const first = plan.steps[0] ?? 0
  if (plan.steps.length > 1 && before[canary] > first) {
    throw new ConfigurationError(
      `canary ${canary} already carries ${before[canary]}% (${formatWeights(before)}), more than the first step (${first}%): walking would first take traffic away from it. Is ${canary} really the new version? Set input 'canary' or start from the step it is at.`,
    )
  }
  const gate = plan.gate?.({ canary, stable })
  await hooks.onStart?.({ canary, stable, before })
  log.info(`router: ${router.describe()}`)
  log.info(
    `traffic now: ${formatWeights(before)}; canary ${canary}, stable ${stable}; steps ${plan.steps.join(' → ')}%`,
  )

  const steps: CanaryStep[] = []
  let weight = before[canary]
  const finish = (
    verdict: CanaryResult['verdict'],
    reason: string,
    after: Weights,
    rolledBack: boolean,
  ): CanaryResult => {
    hooks.onProgress?.({ canary, stable, weight: after[canary], finished: true })
    return {
      router: router.describe(),
      canary,
      stable,
      verdict,
      reason,
      weight: after[canary],
      steps,
      before,
      after,
      rolledBack,
    }
  }
  const restoreStable = async (why: string): Promise<Weights> => {
    log.info(`${why}: moving all traffic back to stable ${stable}`)
    const after = await moveTraffic(router, weightsFor(canary, 0), log)
    log.info(`stable ${stable} carries 100% again`)
    return after
  }

  for (const [index, target] of plan.steps.entries()) {
    if (hooks.signal?.aborted) break
    hooks.onProgress?.({ canary, stable, weight: target, finished: false })
    const startedAt = new Date().toISOString()
    await moveTraffic(router, weightsFor(canary, target), { ...log, info: () => {} })
    weight = target
    log.info(
      `step ${index + 1}/${plan.steps.length}: canary ${canary} at ${target}% (${formatWeights(weightsFor(canary, target))})`,
    )
    let step: CanaryStep
    if (gate) {
      const result = await runAnalysis(
        gate.source,
        gate.checks,
        gate.settings,
        log,
        hooks.signal ? { signal: hooks.signal } : {},
      )
      step = {
        weight: target,
        verdict: result.verdict,
        reason: result.reason,
        measurements: result.measurements,
        startedAt,
      }
    } else {
      await sleep(plan.holdMs, hooks.signal)
      step = {
        weight: target,
        verdict: 'pass',
        reason: `held ${plan.holdMs} ms (no gate)`,
        measurements: [],
        startedAt,
      }
    }
    if (hooks.signal?.aborted) {
      steps.push({ ...step, verdict: 'cancelled', reason: 'cancelled' })
      break
    }
    steps.push(step)
    log.info(`step ${index + 1}: ${step.verdict}: ${step.reason}`)
    if (step.verdict !== 'pass') {
      const reason = `step ${index + 1} (canary ${target}%) ${step.verdict}: ${step.reason}`
      if (plan.onFailure === 'hold') {
        log.info(
          `on-failure is hold: traffic stays at ${formatWeights(weightsFor(canary, target))}`,
        )
        return finish(step.verdict, reason, await router.read(), false)
      }
      return finish(step.verdict, reason, await restoreStable(`verdict ${step.verdict}`), true)
    }
  }
  if (hooks.signal?.aborted) {
    return finish(
      'cancelled',
      `cancelled at canary ${weight}%`,
      await restoreStable('cancelled'),
      true,
    )
  }
  const after = await router.read()
  if (after[canary] === 100) log.info(`canary ${canary} passed every step and is now the live slot`)
  return finish('pass', `${plan.steps.length} step(s) passed`, after, false)
}

/** Puts the stable slot back to 100% if a walk was left mid-way (the post step's job). */
export async function restoreAfterInterruptedWalk(
  router: Router,
  stable: Slot,
  log: Log,
): Promise<boolean> {
  const now = await router.read()
  if (now[stable] === 100) {
    log.info(`stable ${stable} already carries 100% (${formatWeights(now)}): nothing to restore`)
    return false
  }
  log.info(
    `the canary walk was interrupted at ${formatWeights(now)}: restoring stable ${stable} to 100%`,
  )
  try {
    await moveTraffic(router, weightsFor(otherSlot(stable), 0), log)
  } catch (e) {
    throw new Error(`could not restore stable ${stable}: ${errorMessage(e)}`)
  }
  log.info(`restored: stable ${stable} carries 100%`)
  return true
}

/** The job summary of a canary walk: a table per step and charts of weight and the first check. */
export function canaryReport(result: CanaryResult): string {
  const icon = result.verdict === 'pass' ? '✅' : result.verdict === 'cancelled' ? '⏹️' : '❌'
  const title =
    result.verdict === 'pass'
      ? `Canary ${result.canary}: ${result.verdict}, canary at ${result.weight}%`
      : `Canary ${result.canary}: ${result.verdict}${result.rolledBack ? `, rolled back to stable ${result.stable}` : `, held at ${result.weight}%`}`
  const overview = markdown.table(
    ['step', 'canary weight', 'verdict', 'reason'],
    result.steps.map((s, i) => [i + 1, `${s.weight}%`, s.verdict, s.reason]),
  )
  const perStep = result.steps
    .filter((s) => s.measurements.length > 0)
    .map(
      (s) =>
        `**Step ${result.steps.indexOf(s) + 1}: canary at ${s.weight}%**\n\n${measurementTable(s.measurements)}`,
    )
  const points = result.steps.flatMap((s) => s.measurements.map((m) => ({ weight: s.weight, m })))
  const first = points[0]?.m.check
  const series = points.filter((p) => p.m.check === first)
  const charts =
    series.length > 1
      ? [
          lineChart(
            `Canary ${result.canary} weight (%)`,
            series.map((p) => p.m.at.slice(11, 19)),
            'weight %',
            [series.map((p) => p.weight)],
          ),
          lineChart(
            `${first} (value)`,
            series.map((p) => p.m.at.slice(11, 19)),
            first ?? '',
            [series.map((p) => p.m.value ?? NaN)],
          ),
        ]
      : []
  return markdown.sections(
    markdown.heading(`${icon} ${title}`),
    `${result.reason}. Router: ${result.router}. Traffic before: ${formatWeights(result.before)}; after: ${formatWeights(result.after)}.`,
    overview,
    ...perStep,
    ...charts,
  )
}
