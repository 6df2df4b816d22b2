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
import type { Router, UnreachedRouter } from '../router/index.js'
import { moveTowardSafety, moveTraffic, readTowardSafety } from './move.js'
import type { RecordHook, RecordOutcome } from './record.js'
import type { WalkStop } from '../records/index.js'
import { holderOf, recordRollback, type RollbackHistory } from './rollback.js'
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
  /**
   * Routers of a list the automatic rollback could not move, each with its last read: stable
   * got 100% on the others, and the step must fail naming these.
   */
  unreached: UnreachedRouter[]
}

export interface CanaryHooks {
  record?: RecordHook
  /** Called before every traffic move with what a post step would need to restore. */
  onProgress?(progress: { canary: Slot; stable: Slot; weight: number; finished: boolean }): void
  /** Aborting stops the walk between steps or measurements; the stable slot is then restored. */
  signal?: AbortSignal
  /**
   * When the walk puts stable back (a failed verdict, a step that could not be set, a
   * cancellation, an abort), the rollback record it writes: the same record the rollback action
   * writes (strategy rollback, the walk's record as undone, the release stable holds as restored).
   */
  rollback?: { record: RecordHook; history?: RollbackHistory; recordsTimeoutMs: number }
  /**
   * The walk's watch of its own deployment (packages/records openWalkWatch): read before every
   * move and every `everyMs` while a step holds or its gate looks. An abort request (the rollback
   * button) puts stable back to 100%, writes the rollback record and fails the walk; a deployment
   * that ended meanwhile (rolled back elsewhere) stops the walk where it is.
   */
  watch?: { check(): Promise<WalkStop | undefined>; everyMs: number }
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
  let unreached: UnreachedRouter[] = []
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
      unreached,
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

  /**
   * Back to the known-good slot (through moveTowardSafety: on a router list, every router that
   * answers), then the rollback record. `reason` is the record's; `why` the log's.
   */
  const restoreStable = async (why: string, reason = why): Promise<Weights> => {
    log.info(`${why}: moving all traffic back to stable ${stable}`)
    const from = weightsFor(canary, weight)
    const moved = await moveTowardSafety(router, weightsFor(canary, 0), log)
    unreached = moved.unreached
    log.info(
      `stable ${stable} carries 100% again${unreached.length > 0 ? ` on every router that answered (${unreached.length} did not)` : ''}`,
    )
    const rollback = hooks.rollback
    if (rollback) {
      const restored = rollback.history
        ? await holderOf(stable, rollback.history, rollback.recordsTimeoutMs, log)
        : undefined
      const undone = hooks.record?.deploymentId
      await recordRollback(rollback.record, {
        target: stable,
        previous: liveSlot(from) ?? 'split',
        ...(undone === undefined ? {} : { undone }),
        ...(restored ? { restored } : {}),
        unreached,
        reason,
      })
    }
    return moved.after
  }

  /** What the watch found while a step waited; the wait ends as soon as it is found. */
  let stopFound: WalkStop | undefined
  const watched = <T>(wait: (signal: AbortSignal | undefined) => Promise<T>): Promise<T> => {
    const watch = hooks.watch
    if (!watch) return wait(hooks.signal)
    const found = new AbortController()
    const over = new AbortController()
    const signal = AbortSignal.any([found.signal, ...(hooks.signal ? [hooks.signal] : [])])
    void (async () => {
      for (;;) {
        await sleep(watch.everyMs, AbortSignal.any([over.signal, signal]))
        if (over.signal.aborted || signal.aborted) return
        const stop = await watch.check()
        if (stop && !over.signal.aborted) {
          stopFound = stop
          found.abort()
          return
        }
      }
    })()
    return wait(signal).finally(() => over.abort())
  }
  /** The walk stops on its deployment's word: an abort request, or a record ended elsewhere. */
  const stopOn = async (stop: WalkStop): Promise<CanaryResult> => {
    const id = hooks.record?.deploymentId
    const which = id === undefined ? 'its deployment' : `deployment ${id}`
    if (stop.kind === 'ended') {
      const now = await router.read()
      const reason = `${which} ended (${stop.state}${stop.description ? `: "${stop.description}"` : ''}) while the walk ran: it was rolled back or aborted elsewhere; the walk stops and moves nothing (traffic now: ${formatWeights(now)})`
      log.warning(reason)
      return finish('cancelled', reason, now, false)
    }
    const reason = `${stop.description}, posted on ${which}: the walk stopped at canary ${weight}%`
    log.warning(reason)
    return finish('cancelled', reason, await restoreStable('abort requested', reason), true)
  }

  let weight = before[canary]
  for (const [index, target] of plan.steps.entries()) {
    if (hooks.signal?.aborted) break
    // Before every move: the rollback button may have asked this walk to stop.
    const asked = await hooks.watch?.check()
    if (asked) return stopOn(asked)
    hooks.onProgress?.({ canary, stable, weight: target, finished: false })
    const startedAt = new Date().toISOString()
    try {
      await moveTraffic(router, weightsFor(canary, target), { ...log, info: () => {} })
    } catch (e) {
      // A step up that could not be set (a router of a list gone, one refusing): with on-failure
      // rollback the walk goes back to stable, never left half-way.
      if (plan.onFailure !== 'rollback') throw e
      const reason = `step ${index + 1} (canary ${target}%) could not be set: ${errorMessage(e)}`
      log.warning(reason)
      steps.push({ weight: target, verdict: 'inconclusive', reason, measurements: [], startedAt })
      return finish('inconclusive', reason, await restoreStable('step not set', reason), true)
    }
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
      const result = await watched((signal) =>
        runAnalysis(
          gate.source,
          gate.checks,
          since === undefined ? gate.settings : { ...gate.settings, since },
          log,
          signal ? { signal } : {},
        ),
      )
      step = {
        weight: target,
        verdict: result.verdict,
        reason: result.reason,
        measurements: result.measurements,
        startedAt,
      }
    } else {
      await watched((signal) => sleep(plan.holdMs, signal))
      step = {
        weight: target,
        verdict: 'pass',
        reason: `held ${plan.holdMs} ms (no gate)`,
        measurements: [],
        startedAt,
      }
    }
    if (stopFound) {
      steps.push({ ...step, verdict: 'cancelled', reason: stopFound.description })
      return stopOn(stopFound)
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
      return finish(
        step.verdict,
        reason,
        await restoreStable(`verdict ${step.verdict}`, reason),
        true,
      )
    }
  }
  if (hooks.signal?.aborted) {
    return finish(
      'cancelled',
      `cancelled at canary ${weight}%`,
      await restoreStable('cancelled', `cancelled at canary ${weight}%`),
      true,
    )
  }
  const after = await router.read()
  if (after[canary] === 100) log.info(`canary ${canary} passed every step and is now the live slot`)
  else log.info(`canary ${canary} passed; the walk stops at ${after[canary]}% as asked (held)`)
  return finish('pass', `${plan.steps.length} step(s) passed`, after, false)
}

/**
 * Puts the stable slot back to 100% if a walk was left mid-way (the post step's job), on every
 * router of a list that answers. `restored` is false when stable already carried 100% where the
 * routers answered; `unreached` names the routers that did not (the post step then fails).
 */
export async function restoreAfterInterruptedWalk(
  router: Router,
  stable: Slot,
  log: Log,
): Promise<{ restored: boolean; from: Weights; unreached: UnreachedRouter[] }> {
  const read = await readTowardSafety(router, log)
  const now = read.after
  if (now[stable] === 100) {
    log.info(`stable ${stable} already carries 100% (${formatWeights(now)}): nothing to restore`)
    return { restored: false, from: now, unreached: read.unreached }
  }
  log.info(
    `the canary walk was interrupted at ${formatWeights(now)}: restoring stable ${stable} to 100%`,
  )
  let unreached: UnreachedRouter[]
  try {
    unreached = (await moveTowardSafety(router, weightsFor(otherSlot(stable), 0), log)).unreached
  } catch (e) {
    throw new Error(`could not restore stable ${stable}: ${errorMessage(e)}`)
  }
  log.info(
    `restored: stable ${stable} carries 100%${unreached.length > 0 ? ` on every router that answered (${unreached.length} did not)` : ''}`,
  )
  return { restored: true, from: now, unreached }
}
