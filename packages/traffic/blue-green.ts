/** Blue-green: all traffic from the live slot to the other one, after the target proved healthy. */
import { ConfigurationError, type Log } from '../action-kit/index.js'
import {
  allOn,
  formatWeights,
  liveSlot,
  otherSlot,
  type Slot,
  type Weights,
} from '../domain/index.js'
import { FLAG_NO_HEALTH, isFlagRouter, type Router } from '../router/index.js'
import {
  forSlot,
  NO_HEALTH_URL,
  requireHealthy,
  type HealthCheck,
  type HealthResult,
} from './health.js'
import { runBake, type BakeHooks, type BakeResult } from './bake.js'
import type { CanaryGate, CanarySlots } from './canary.js'
import { moveTraffic } from './move.js'
import { requireSmoke, type SmokeCheck, type SmokeResult } from './smoke.js'
import type { PhaseHook } from './outcome.js'
import type { RecordHook } from './record.js'
import { rollSlot, type SlotRollout } from './rollout.js'
import { viewSlots, type SlotView } from './slots.js'

export type SwitchTarget = Slot | 'idle'

export interface SwitchPlan {
  to: SwitchTarget
  health?: HealthCheck
  dryRun: boolean
  /** Put the release onto the target first, where the router can (Kubernetes). */
  rollout?: SlotRollout
  /** Checks run against each server of the target slot after the health check, before any move. */
  smoke?: SmokeCheck[]
  /**
   * The bake (post-promotion analysis): binds the (already parsed) gate to the slots, the new slot
   * as {{canary}} and the old one as {{stable}}; after the switch it judges the new slot.
   */
  bake?: (slots: CanarySlots) => CanaryGate
}

export interface SwitchResult extends SlotView {
  router: string
  previous: Slot | 'split'
  active: Slot | 'split'
  /** The slot traffic goes (or would go) to. */
  target: Slot
  switched: boolean
  dryRun: boolean
  before: Weights
  after: Weights
  health?: HealthResult
  /** Why no health check ran, when none did. */
  healthSkipped?: string
  /** What the router wants an operator to know (servers left in maintenance, ...). */
  notes: string[]
  elapsedMs: number
  /** The smoke test of the target slot's servers, when one ran (in a dry run too). */
  smoke?: SmokeResult
  /** The bake after the switch, when one ran; rolledBack there means the old slot is live again. */
  bake?: BakeResult
}

/** The decision, pure: which slot gets 100%, or that it already has it. */
export function planSwitch(weights: Weights, to: SwitchTarget): { target: Slot; noop: boolean } {
  const live = liveSlot(weights)
  if (to !== 'idle') return { target: to, noop: live === to }
  if (live) return { target: otherSlot(live), noop: false }
  throw new ConfigurationError(
    `Input 'to' is "idle", but traffic is split (${formatWeights(weights)}), so no slot is idle. Name the slot to move all traffic to: to: blue or to: green.`,
  )
}

export async function blueGreenSwitch(
  router: Router,
  plan: SwitchPlan,
  log: Log,
  hooks: { record?: RecordHook } & PhaseHook & Omit<BakeHooks, 'record'> = {},
): Promise<SwitchResult> {
  const started = Date.now()
  const before = await router.read()
  const live = liveSlot(before)
  log.info(`router: ${router.describe()}`)
  log.info(`traffic now: ${formatWeights(before)}${live ? ` (live: ${live})` : ' (split)'}`)

  const { target, noop } = planSwitch(before, plan.to)
  const previous: SwitchResult['previous'] = live ?? 'split'
  const done = async (
    after: Weights,
    switched: boolean,
    extra: {
      health?: HealthResult
      healthSkipped?: string
      smoke?: SmokeResult
      bake?: BakeResult
    } = {},
  ): Promise<SwitchResult> => ({
    router: router.describe(),
    previous,
    active: liveSlot(after) ?? 'split',
    target,
    switched,
    dryRun: plan.dryRun,
    before,
    after,
    ...extra,
    ...(await viewSlots(router, after)),
    notes: [...router.notes],
    elapsedMs: Date.now() - started,
  })

  if (noop) {
    log.info(`${target} already carries 100% of traffic: nothing to switch.`)
    return done(before, false)
  }
  // Bound before the record opens: a bake gate that cannot be bound fails with nothing changed.
  const old = otherSlot(target)
  const bake =
    plan.bake && !plan.dryRun
      ? plan.bake({ canary: target, stable: old, servers: await router.servers() })
      : undefined
  // The record opens before anything is checked or moved, so it says what the slot holds even if
  // the step fails; a dry run (a pipeline's plan) opens it for the later steps to continue.
  await hooks.record?.start({
    strategy: 'blue-green',
    slot: target,
    weights: allOn(target),
    previous,
  })
  const stays = `traffic stays at ${formatWeights(before)}`
  if (plan.rollout && !plan.dryRun) await rollSlot(router, target, plan.rollout, log)
  let health: HealthResult | undefined
  if (plan.health) {
    hooks.phase?.('health')
    health = await requireHealthy(
      { ...plan.health, url: forSlot(plan.health.url, target) },
      log,
      stays,
    )
  } else if (!plan.dryRun && !isFlagRouter(router)) {
    log.warning(NO_HEALTH_URL)
  }
  // Smoke after health: each server of the target slot, before anything moves (dry run too).
  let smoke: SmokeResult | undefined
  if (plan.smoke) {
    hooks.phase?.('smoke')
    const servers = (await router.servers())[target]
    smoke = await requireSmoke(plan.smoke, target, servers, log, stays)
  }
  const checked = {
    ...(health
      ? { health }
      : plan.dryRun
        ? {}
        : { healthSkipped: isFlagRouter(router) ? FLAG_NO_HEALTH : NO_HEALTH_URL }),
    ...(smoke ? { smoke } : {}),
  }
  if (plan.dryRun) {
    log.info(
      `dry run: would move traffic from ${formatWeights(before)} to ${formatWeights(allOn(target))}; nothing moved.`,
    )
    return done(before, false, checked)
  }
  log.info(`switching: ${formatWeights(before)} -> ${formatWeights(allOn(target))}`)
  hooks.phase?.('weight')
  const after = await moveTraffic(router, allOn(target), log)
  if (!bake) return done(after, true, checked)
  hooks.phase?.('bake')
  const baked = await runBake(router, bake, { target, old }, log, {
    ...(hooks.record ? { record: hooks.record } : {}),
    ...(hooks.signal ? { signal: hooks.signal } : {}),
    ...(hooks.rollback ? { rollback: hooks.rollback } : {}),
  })
  return done(baked.after, true, { ...checked, bake: baked })
}
