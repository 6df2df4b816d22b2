/**
 * The bake after a blue-green switch (post-promotion analysis): the gate judges the new slot while
 * it carries all traffic; anything but a pass puts the old slot (still running: that is the point
 * of blue-green) back at 100% at once, through moveTowardSafety, and writes the rollback record.
 */
import { formatDuration, type Log } from '../action-kit/index.js'
import { allOn, type Slot, type Weights } from '../domain/index.js'
import { runAnalysis, type GateSettings, type Measurement } from '../gate/index.js'
import type { Router, UnreachedRouter } from '../router/index.js'
import type { CanaryGate } from './canary.js'
import { moveTowardSafety } from './move.js'
import type { StepVerdict } from './outcome.js'
import type { RecordHook } from './record.js'
import { recordSelfRollback, type SelfRollbackRecord } from './rollback.js'

export interface BakeResult {
  verdict: Exclude<StepVerdict, 'none'>
  reason: string
  measurements: Measurement[]
  /** true when the old slot was put back (anything but a pass). */
  rolledBack: boolean
  /** The weights after the bake: the new slot's 100% on a pass, the old slot's after a rollback. */
  after: Weights
  /** Routers of a list the rollback could not move, each with its last read. */
  unreached: UnreachedRouter[]
}

export interface BakeHooks {
  /** The release's record: an in_progress status says the bake is on. */
  record?: RecordHook
  /** A cancelled run (SIGINT/SIGTERM): the bake stops at once and the old slot is put back. */
  signal?: AbortSignal
  /** The rollback record to write when the old slot goes back, as canary-step's self-rollback writes it. */
  rollback?: SelfRollbackRecord
}

/**
 * The bake window the gate's settings give, in words: `count` looks `interval` apart after
 * `initial-delay`; max-wait bounds it (looks short of min-samples do not count). Pure.
 */
export function bakeWindow(
  settings: Pick<GateSettings, 'interval' | 'count' | 'initialDelay' | 'maxWait'>,
): string {
  const least = settings.initialDelay + settings.interval * (settings.count - 1)
  return `${settings.count} look(s) ${formatDuration(settings.interval)} apart after ${formatDuration(settings.initialDelay)} (at least ${formatDuration(least)}, at most ${formatDuration(settings.maxWait)})`
}

/**
 * The decision, pure: only a pass keeps traffic on the new slot. Fail-closed: an inconclusive bake
 * (no data, Prometheus unreachable, too little evidence) or a cancelled one is not a pass, and a
 * step cannot wait for a human the way Argo's paused rollout does, so the old slot goes back.
 */
export function bakeKeeps(verdict: BakeResult['verdict']): boolean {
  return verdict === 'pass'
}

export async function runBake(
  router: Router,
  gate: CanaryGate,
  slots: { target: Slot; old: Slot },
  log: Log,
  hooks: BakeHooks = {},
): Promise<BakeResult> {
  const { target, old } = slots
  log.info(`bake: the gate judges ${target} with all traffic: ${bakeWindow(gate.settings)}`)
  await hooks.record?.progress(`bake: ${target} judged by the gate`)
  const analysis = await runAnalysis(
    gate.source,
    gate.checks,
    gate.settings,
    log,
    hooks.signal ? { signal: hooks.signal } : {},
  )
  const cancelled = hooks.signal?.aborted === true
  const verdict: BakeResult['verdict'] = cancelled ? 'cancelled' : analysis.verdict
  const reason = cancelled
    ? `bake cancelled (the run was stopped) before the gate decided`
    : `bake ${analysis.verdict}: ${analysis.reason}`
  log.info(reason)
  if (bakeKeeps(verdict))
    return {
      verdict,
      reason,
      measurements: analysis.measurements,
      rolledBack: false,
      after: allOn(target),
      unreached: [],
    }

  log.info(`${reason}: moving all traffic back to ${old}`)
  const moved = await moveTowardSafety(router, allOn(old), log)
  log.info(
    `${old} carries 100% again${moved.unreached.length > 0 ? ` on every router that answered (${moved.unreached.length} did not)` : ''}`,
  )
  await recordSelfRollback(
    hooks.rollback,
    hooks.record?.deploymentId,
    { target: old, previous: target, unreached: moved.unreached, reason },
    log,
  )
  return {
    verdict,
    reason,
    measurements: analysis.measurements,
    rolledBack: true,
    after: moved.after,
    unreached: moved.unreached,
  }
}
