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
  sameWeights,
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
import { formatMatch, type Match, type Router, type UnreachedRouter } from '../router/index.js'
import { moveTowardSafety, moveTraffic, readTowardSafety } from './move.js'
import type { PhaseHook } from './outcome.js'
import type { RecordHook, RecordOutcome } from './record.js'
import type { WalkStop } from '../records/index.js'
import { clearMatch, recordSelfRollback, type SelfRollbackRecord } from './rollback.js'
import { requireSplit, rollSlot, type SlotRollout } from './rollout.js'
import { requireSmoke, type SmokeCheck, type SmokeResult } from './smoke.js'
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
   * Checks run against each server of the canary slot before the first weight: only while the
   * canary carries 0% and the walk is not continued from an earlier job.
   */
  smoke?: SmokeCheck[]
  /**
   * A walk continued from an earlier job: when its last step was set (ms). The first step's gate
   * then judges the whole pause since, not only this job's minutes.
   */
  resumedFrom?: number
  /**
   * A walk continued from an earlier job: the canary's weight its record's last step status says
   * ("canary 25%", "held at 25%"). Before its first raise the router must still hold it.
   */
  resumedWeight?: number
  /** Binds the (already parsed) gate to the slots once they are known. */
  gate?: (slots: CanarySlots) => CanaryGate
  /** The header/cookie match (input `match`): with `headerPhase`, its requests go to the canary first. */
  match?: Match
  /** `steps` started with `header`: the match is set and judged before any weight. */
  headerPhase?: boolean
}

export interface CanaryStep {
  weight: number
  /** 'header' for the header/cookie phase (the match set, the canary's weight unchanged). */
  phase?: 'header'
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
  /** Where the walk ended: 'header' (holding in the header phase), 'weight', or 'done' (100%, match cleared). */
  phase: 'header' | 'weight' | 'done'
  /** The header/cookie match the router holds at the end (undefined: none). */
  match?: Match
  notes: string[]
  /**
   * Routers of a list the automatic rollback could not move, each with its last read: stable
   * got 100% on the others, and the step must fail naming these.
   */
  unreached: UnreachedRouter[]
  /** The smoke test of the canary's servers, when one ran (before the first weight). */
  smoke?: SmokeResult
}

export interface CanaryHooks extends PhaseHook {
  record?: RecordHook
  /** Called before every traffic move with what a post step would need to restore. */
  onProgress?(progress: { canary: Slot; stable: Slot; weight: number; finished: boolean }): void
  /**
   * Called when a step was judged (before any move it causes): notifications say each step. The
   * header phase comes as a step with `phase: 'header'`; `index` counts the weight steps.
   */
  onStep?(step: CanaryStep, index: number, total: number, weights: Weights): void
  /** Aborting stops the walk between steps or measurements; the stable slot is then restored. */
  signal?: AbortSignal
  /**
   * When the walk puts stable back (a failed verdict, a step that could not be set, a
   * cancellation, an abort), the rollback record it writes: the same record the rollback action
   * writes (strategy rollback, the walk's record as undone, the release stable holds as restored).
   */
  rollback?: SelfRollbackRecord
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
  const match = (result as Partial<Pick<CanaryResult, 'match'>>).match
  return {
    outcome: 'held',
    description: `held at ${result.weight}%${match ? ` (${formatMatch(match)})` : ''}`,
  }
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

/**
 * The canary's weight a continued walk's record last says ("canary 25%", "held at 50%", from
 * the same status walkResumedFrom reads); undefined otherwise.
 */
export function walkResumedWeight(
  record: { statusDescription: string } | undefined,
): number | undefined {
  const m = record && /^(?:canary|held at) (\d+)%/.exec(record.statusDescription)
  if (!m) return undefined
  const weight = Number(m[1])
  return weight <= 100 ? weight : undefined
}

/**
 * The decision before a raise, pure: the router must still hold what this walk last wrote
 * (`wrote`; undefined before the walk's first write, where there is nothing to compare). When it
 * does not, someone or something else changed it (an operator putting stable back by hand), and
 * the walk must neither raise the canary again nor move traffic anywhere: the answer is the
 * step's failure, saying what the router holds, what the walk had set and where traffic stays.
 */
export function walkDrift(
  now: Weights,
  wrote: Weights | undefined,
  walk: { router: string; canary: Slot; stable: Slot; next: number; setAt: string },
): string | undefined {
  if (!wrote || sameWeights(now, wrote)) return undefined
  const where =
    now[walk.stable] === 100
      ? `traffic stays at ${formatWeights(now)}: stable ${walk.stable} carries 100%`
      : `traffic is left at ${formatWeights(now)}, not put back to stable ${walk.stable} (that would override the change too): decide by hand, e.g. the rollback action`
  return `${walk.router} holds ${formatWeights(now)}, but this walk had set ${formatWeights(wrote)} (${walk.setAt}): someone or something else changed it, and the walk will not overwrite it: it stops before raising canary ${walk.canary} to ${walk.next}%; ${where}`
}

export async function runCanary(
  router: Router,
  plan: CanaryPlan,
  log: Log,
  hooks: CanaryHooks = {},
): Promise<CanaryResult> {
  if ((plan.headerPhase || plan.match) && !router.match)
    throw new ConfigurationError(
      `${router.describe()} cannot send requests by header or cookie (input 'match'): only HAProxy with 'match-map', nginx with 'match-file' and a Kubernetes HTTPRoute can, and every router of a list must; nothing was changed.`,
    )
  if (plan.headerPhase && !plan.match)
    throw new ConfigurationError(
      `Input 'steps' starts with 'header', so input 'match' is needed (e.g. header: x-canary=1 or cookie: canary=always).`,
    )
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
  /** The match the router holds (what the walk set or found), cleared toward safety. */
  let held: Match | undefined
  let phase: CanaryResult['phase'] = 'weight'
  let smoke: SmokeResult | undefined
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
      phase,
      ...(held ? { match: held } : {}),
      ...(await viewSlots(router, after)),
      notes: [...router.notes],
      unreached,
      ...(smoke ? { smoke } : {}),
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
  // Smoke before the first weight only: a later step job of a walk (the canary already has
  // traffic, or the walk continues from an earlier job's record) does not run it again.
  const smokeFirst = async (): Promise<void> => {
    if (!plan.smoke) return
    if (before[canary] > 0 || plan.resumedFrom !== undefined) {
      log.info(
        `smoke: not run again: the walk is past its first weight (canary ${canary} at ${before[canary]}%); it runs before the first weight only`,
      )
      return
    }
    hooks.phase?.('smoke')
    smoke = await requireSmoke(
      plan.smoke,
      canary,
      servers[canary],
      log,
      `traffic stays at ${formatWeights(before)}`,
    )
  }
  if (plan.dryRun) {
    await smokeFirst()
    log.info(
      `dry run: would walk canary ${canary} through ${plan.steps.join(' → ')}% from ${formatWeights(before)}; nothing moved.`,
    )
    return finish('pass', 'dry run: nothing moved', before, false)
  }

  if (plan.rollout) await rollSlot(router, canary, plan.rollout, log)
  await smokeFirst()

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
    unreached = [...unreached, ...(await clearMatch(router, log)).unreached]
    held = undefined
    await recordSelfRollback(
      hooks.rollback,
      hooks.record?.deploymentId,
      { target: stable, previous: liveSlot(from) ?? 'split', unreached, reason },
      log,
    )
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
  held = router.match ? ((await router.match.read()) ?? undefined) : undefined
  if (plan.headerPhase && plan.match) {
    const match = plan.match
    const asked = await hooks.watch?.check()
    if (asked) return stopOn(asked)
    hooks.phase?.('header')
    hooks.onProgress?.({ canary, stable, weight, finished: false })
    const startedAt = new Date().toISOString()
    // The record's status: "header x-canary=1" (or "cookie canary=always").
    const label = formatMatch(match)
    try {
      await router.match?.write({ ...match, slot: canary })
    } catch (e) {
      const reason = `the header phase (${formatMatch(match)}) could not be set: ${errorMessage(e)}`
      log.warning(reason)
      steps.push({
        weight,
        phase: 'header',
        verdict: 'inconclusive',
        reason,
        measurements: [],
        startedAt,
      })
      held = match
      return finish(
        'inconclusive',
        reason,
        await restoreStable('header phase not set', reason),
        true,
      )
    }
    held = match
    phase = 'header'
    log.info(
      `header phase: requests with ${formatMatch(match)} go to canary ${canary}; all others by weight (${formatWeights(weightsFor(canary, weight))})`,
    )
    await hooks.record?.progress(label)
    const result = gate
      ? await watched((signal) =>
          runAnalysis(gate.source, gate.checks, gate.settings, log, signal ? { signal } : {}),
        )
      : await watched((signal) => sleep(plan.holdMs, signal)).then(() => ({
          verdict: 'pass' as const,
          reason: `held ${plan.holdMs} ms (no gate)`,
          measurements: [] as Measurement[],
        }))
    const step: CanaryStep = {
      weight,
      phase: 'header',
      verdict: result.verdict,
      reason: result.reason,
      measurements: result.measurements,
      startedAt,
    }
    if (stopFound) {
      steps.push({ ...step, verdict: 'cancelled', reason: stopFound.description })
      return stopOn(stopFound)
    }
    if (hooks.signal?.aborted) {
      steps.push({ ...step, verdict: 'cancelled', reason: 'cancelled' })
      return finish(
        'cancelled',
        `cancelled in the header phase (${formatMatch(match)})`,
        await restoreStable('cancelled', `cancelled in the header phase (${formatMatch(match)})`),
        true,
      )
    }
    steps.push(step)
    log.info(`header phase: ${step.verdict}: ${step.reason}`)
    hooks.onStep?.(step, 0, plan.steps.length, weightsFor(canary, weight))
    if (step.verdict !== 'pass') {
      const reason = `the header phase (${formatMatch(match)}) ${step.verdict}: ${step.reason}`
      if (plan.onFailure === 'hold') return finish(step.verdict, reason, await router.read(), false)
      return finish(
        step.verdict,
        reason,
        await restoreStable(`verdict ${step.verdict}`, reason),
        true,
      )
    }
  }
  /** What this walk last wrote (a continued walk: the weight its record's last step says), and where. */
  let wrote =
    plan.resumedWeight === undefined
      ? undefined
      : {
          weights: weightsFor(canary, plan.resumedWeight),
          at: `its record's last step in an earlier job, canary ${plan.resumedWeight}%`,
        }
  for (const [index, target] of plan.steps.entries()) {
    if (hooks.signal?.aborted) break
    // Before every move: the rollback button may have asked this walk to stop.
    const asked = await hooks.watch?.check()
    if (asked) return stopOn(asked)
    const startedAt = new Date().toISOString()
    // A step up that could not be set (a router of a list gone, one refusing, or not readable
    // before the raise): with on-failure rollback the walk goes back to stable, never left
    // half-way.
    const notSet = async (e: unknown) => {
      if (plan.onFailure !== 'rollback') throw e
      const reason = `step ${index + 1} (canary ${target}%) could not be set: ${errorMessage(e)}`
      log.warning(reason)
      steps.push({ weight: target, verdict: 'inconclusive', reason, measurements: [], startedAt })
      return finish('inconclusive', reason, await restoreStable('step not set', reason), true)
    }
    // Before every raise after the walk's first: an operator's change is never undone.
    if (wrote) {
      let now: Weights
      try {
        now = await router.read()
      } catch (e) {
        return notSet(e)
      }
      const drift = walkDrift(now, wrote.weights, {
        router: router.describe(),
        canary,
        stable,
        next: target,
        setAt: wrote.at,
      })
      if (drift) {
        log.warning(drift)
        return finish('cancelled', drift, now, false)
      }
    }
    hooks.onProgress?.({ canary, stable, weight: target, finished: false })
    hooks.phase?.('weight')
    try {
      await moveTraffic(router, weightsFor(canary, target), { ...log, info: () => {} })
    } catch (e) {
      return notSet(e)
    }
    weight = target
    wrote = { weights: weightsFor(canary, target), at: `step ${index + 1}` }
    phase = 'weight'
    log.info(
      `step ${index + 1}/${plan.steps.length}: canary ${canary} at ${target}% (${formatWeights(weightsFor(canary, target))})${held ? `; requests with ${formatMatch(held)} still go to the canary` : ''}`,
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
    hooks.onStep?.(step, index, plan.steps.length, weightsFor(canary, target))
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
  if (after[canary] === 100) {
    // The end of the walk: every request reaches the canary; the match has done its work.
    unreached = [...unreached, ...(await clearMatch(router, log)).unreached]
    held = undefined
    phase = 'done'
  }
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
    // The header phase leaves the weights alone: its match is what a cancelled walk left.
    const cleared = await clearMatch(router, log)
    if (!cleared.cleared)
      log.info(`stable ${stable} already carries 100% (${formatWeights(now)}): nothing to restore`)
    return {
      restored: cleared.cleared,
      from: now,
      unreached: [...read.unreached, ...cleared.unreached],
    }
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
  unreached = [...unreached, ...(await clearMatch(router, log)).unreached]
  return { restored: true, from: now, unreached }
}
