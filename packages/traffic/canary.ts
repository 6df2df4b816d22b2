/**
 * Canary: move traffic to the canary slot step by step, judge every step with the gate, and on a
 * failing verdict put the stable slot back to 100% at once (or hold, if asked). One record
 * carries the whole walk, across steps and jobs.
 */
import { ConfigurationError, errorMessage, type Log } from '../action-kit/index.js'
import { sleep } from '../action-kit/util.js'
import {
  formatWeights,
  liveSlot,
  otherSlot,
  weightsFor,
  type Slot,
  type SlotServers,
  type Weights,
} from '../domain/index.js'
import {
  runAnalysis,
  type Check,
  type GateSettings,
  type Measurement,
  type MetricSource,
  type Verdict,
} from '../gate/index.js'
import type { Router } from '../router/index.js'
import { moveTraffic } from './move.js'
import type { RecordHook, RecordOutcome } from './record.js'
import { requireSplit, rollSlot, type SlotRollout } from './rollout.js'
import { viewSlots, type SlotView } from './slots.js'

export interface CanaryGate {
  source: MetricSource
  checks: Check[]
  settings: GateSettings
}

/** The slots a gate is bound to once the canary is known (its queries' {{canary}}, {{stable}}, servers). */
export interface CanarySlots {
  canary: Slot
  stable: Slot
  servers: SlotServers
}

export interface CanaryPlan {
  /** Canary weights to walk through, ascending. */
  steps: number[]
  /** ms each step holds before it is judged (used as is when there is no gate). */
  holdMs: number
  canary?: Slot
  onFailure: 'rollback' | 'hold'
  dryRun: boolean
  /** Put the release onto the canary slot first, where the router can (Kubernetes). */
  rollout?: SlotRollout
  /**
   * A walk continued from an earlier job: when its last step was set (ms). The first step's gate
   * then judges the whole pause since, not only this job's minutes.
   */
  resumedFrom?: number
  /** Binds the (already parsed) gate to the slots once they are known. */
  gate?: (slots: CanarySlots) => CanaryGate
}

export interface CanaryStep {
  weight: number
  verdict: Verdict | 'cancelled'
  reason: string
  measurements: Measurement[]
  startedAt: string
}

export interface CanaryResult extends SlotView {
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
  dryRun: boolean
  /** The last step the plan asked for (100 for a walk meant to promote). */
  lastStep: number
  notes: string[]
}

export interface CanaryHooks {
  record?: RecordHook
  /** Called before every traffic move with what a post step would need to restore. */
  onProgress?(progress: { canary: Slot; stable: Slot; weight: number; finished: boolean }): void
  /** Aborting stops the walk between steps or measurements; the stable slot is then restored. */
  signal?: AbortSignal
}

/**
 * The decision, pure: which slot is the canary. Default: the slot carrying less traffic (a tie
 * cannot be resolved without being told). A walk may not start by taking traffic away from it.
 */
export function planCanary(
  weights: Weights,
  steps: readonly number[],
  canary?: Slot,
): { canary: Slot; stable: Slot } {
  if (!canary && weights.blue === weights.green) {
    throw new ConfigurationError(
      `Input 'canary' is needed: traffic is ${formatWeights(weights)}, so neither slot carries less. Say canary: blue or canary: green.`,
    )
  }
  const chosen = canary ?? (weights.blue < weights.green ? 'blue' : 'green')
  const first = steps[0] ?? 0
  if (steps.length > 1 && weights[chosen] > first) {
    throw new ConfigurationError(
      `canary ${chosen} already carries ${weights[chosen]}% (${formatWeights(weights)}), more than the first step (${first}%): walking would first take traffic away from it. Is ${chosen} really the new version? Set input 'canary' or start from the step it is at.`,
    )
  }
  return { canary: chosen, stable: otherSlot(chosen) }
}

/** How the walk's record ends: only reaching 100% and passing is success; stopping below on purpose holds. */
export function canaryOutcome(
  result: Pick<CanaryResult, 'verdict' | 'weight' | 'reason' | 'rolledBack' | 'stable'>,
): RecordOutcome {
  if (result.verdict !== 'pass')
    return {
      outcome: 'failure',
      description: `${result.reason}${result.rolledBack ? `; stable ${result.stable} back at 100%` : `; held at ${result.weight}%`}`,
    }
  if (result.weight === 100)
    return { outcome: 'success', description: 'canary passed every step and carries 100%' }
  return { outcome: 'held', description: `held at ${result.weight}%` }
}

/**
 * When a walk continued from an earlier job was last stepped (ms), from the record it continues:
 * its latest status's time when that status is a step this walk wrote ("canary 25%", "held at
 * 50%"); undefined for a record a plan opened, or none.
 */
export function walkResumedFrom(
  record: { statusDescription: string; statusAt: string } | undefined,
): number | undefined {
  if (!record || !/^(canary|held at) \d+%/.test(record.statusDescription)) return undefined
  const at = Date.parse(record.statusAt)
  return Number.isFinite(at) ? at : undefined
}

export async function runCanary(
  router: Router,
  plan: CanaryPlan,
  log: Log,
  hooks: CanaryHooks = {},
): Promise<CanaryResult> {
  requireSplit(router)
  const before = await router.read()
  const { canary, stable } = planCanary(before, plan.steps, plan.canary)
  const lastStep = plan.steps[plan.steps.length - 1] ?? 0
  log.info(`router: ${router.describe()}`)
  log.info(
    `traffic now: ${formatWeights(before)}; canary ${canary}, stable ${stable}; steps ${plan.steps.join(' → ')}%`,
  )
  const servers = await router.servers()
  // Bound before the record opens: a gate that cannot be bound fails with nothing changed.
  const gate = plan.dryRun ? undefined : plan.gate?.({ canary, stable, servers })

  const steps: CanaryStep[] = []
  const finish = async (
    verdict: CanaryResult['verdict'],
    reason: string,
    after: Weights,
    rolledBack: boolean,
  ): Promise<CanaryResult> => {
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
      dryRun: plan.dryRun,
      lastStep,
      ...(await viewSlots(router, after)),
      notes: [...router.notes],
    }
  }

  // A plan (dry run) opens the record of a new release onto the idle slot; while traffic is
  // split no slot is idle, and a record would claim a slot another walk is using.
  if (plan.dryRun && liveSlot(before) === undefined && hooks.record) {
    log.warning(
      `dry run: traffic is split (${formatWeights(before)}), so no slot is idle and no release record is opened; finish or roll back the walk in progress first.`,
    )
  } else {
    await hooks.record?.start({
      strategy: 'canary',
      slot: canary,
      weights: weightsFor(canary, lastStep),
      previous: liveSlot(before) ?? 'split',
    })
  }
  if (plan.dryRun) {
    log.info(
      `dry run: would walk canary ${canary} through ${plan.steps.join(' → ')}% from ${formatWeights(before)}; nothing moved.`,
    )
    return finish('pass', 'dry run: nothing moved', before, false)
  }

  if (plan.rollout) await rollSlot(router, canary, plan.rollout, log)

  const restoreStable = async (why: string): Promise<Weights> => {
    log.info(`${why}: moving all traffic back to stable ${stable}`)
    const after = await moveTraffic(router, weightsFor(canary, 0), log)
    log.info(`stable ${stable} carries 100% again`)
    return after
  }

  let weight = before[canary]
  for (const [index, target] of plan.steps.entries()) {
    if (hooks.signal?.aborted) break
    hooks.onProgress?.({ canary, stable, weight: target, finished: false })
    const startedAt = new Date().toISOString()
    await moveTraffic(router, weightsFor(canary, target), { ...log, info: () => {} })
    weight = target
    log.info(
      `step ${index + 1}/${plan.steps.length}: canary ${canary} at ${target}% (${formatWeights(weightsFor(canary, target))})`,
    )
    await hooks.record?.progress(`canary ${target}%`)
    let step: CanaryStep
    if (gate) {
      const since =
        index === 0 && plan.resumedFrom !== undefined && gate.settings.since === undefined
          ? plan.resumedFrom
          : undefined
      if (since !== undefined)
        log.info(`the gate judges the pause since the last step, ${new Date(since).toISOString()}`)
      const result = await runAnalysis(
        gate.source,
        gate.checks,
        since === undefined ? gate.settings : { ...gate.settings, since },
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
  else log.info(`canary ${canary} passed; the walk stops at ${after[canary]}% as asked (held)`)
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
