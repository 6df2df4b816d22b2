/**
 * Rollback: all traffic back to where it was good. `previous` asks the deployment records which
 * slot that is; without records it is the slot not live now; mid-canary it is the stable slot.
 */
import { ConfigurationError, errorMessage, markdown, type Log } from '../action-kit/index.js'
import type { GoodDeployment } from '../records/index.js'
import {
  allOn,
  formatWeights,
  liveSlot,
  otherSlot,
  type Router,
  type Slot,
  type Weights,
} from '../router/index.js'
import { moveTraffic, weightsTable } from './move.js'

export interface RollbackPlan {
  to: 'previous' | Slot
  dryRun: boolean
}

/** What rollback needs from the records (none of it when there are no records). */
export interface RollbackHistory {
  /** Newest good deployment before `before` (or the newest of all). */
  lastGood(before?: number): Promise<GoodDeployment | undefined>
  /** Newest deployment of ours, whatever its status. */
  latest(): Promise<GoodDeployment | undefined>
}

export interface RollbackDecision {
  target: Slot
  /** The live deployment being undone, if the records know it. */
  rolledBack?: GoodDeployment
  /** The deployment whose slot gets the traffic back, if the records know it. */
  restored?: GoodDeployment
  why: string
}

export interface RollbackResult {
  router: string
  before: Weights
  after: Weights
  previous: Slot | 'split'
  active: Slot | 'split'
  switched: boolean
  dryRun: boolean
  decision: RollbackDecision
}

export async function decideRollback(
  plan: RollbackPlan,
  before: Weights,
  history: RollbackHistory,
  log: Log,
): Promise<RollbackDecision> {
  const live = liveSlot(before)
  if (plan.to !== 'previous') return { target: plan.to, why: `to: ${plan.to} was asked for` }
  if (!live) {
    // Mid-canary: the stable slot is the one the walk started from.
    const latest = await history.latest()
    if (latest?.payload.strategy === 'canary' && latest.payload.stable) {
      return {
        target: latest.payload.stable,
        rolledBack: latest,
        why: `traffic is split (${formatWeights(before)}) by canary deployment ${latest.id}; its stable slot is ${latest.payload.stable}`,
      }
    }
    if (before.blue === before.green) {
      throw new ConfigurationError(
        `Input 'to' is "previous", but traffic is split evenly (${formatWeights(before)}) and no canary record says which slot is stable. Name the slot: to: blue or to: green.`,
      )
    }
    const stable: Slot = before.blue > before.green ? 'blue' : 'green'
    return {
      target: stable,
      why: `traffic is split (${formatWeights(before)}); ${stable} carries more of it, so it is taken as the stable slot`,
    }
  }
  const current = await history.lastGood()
  if (!current) {
    log.warning(
      `rollback: no deployment records in this environment, so "previous" means the slot not live now: ${otherSlot(live)}.`,
    )
    return {
      target: otherSlot(live),
      why: `no records; ${live} is live, so back to ${otherSlot(live)}`,
    }
  }
  const restored = await history.lastGood(current.id)
  if (!restored) {
    log.warning(
      `rollback: no good deployment before deployment ${current.id}, so "previous" means the slot not live now: ${otherSlot(live)}.`,
    )
    return {
      target: otherSlot(live),
      rolledBack: current,
      why: `deployment ${current.id} is the only good one; back to ${otherSlot(live)}`,
    }
  }
  return {
    target: restored.payload.slot,
    rolledBack: current,
    restored,
    why: `undoing deployment ${current.id} (${current.payload.slot}); the last good deployment before it is ${restored.id} on ${restored.payload.slot}`,
  }
}

export async function rollback(
  router: Router,
  plan: RollbackPlan,
  history: RollbackHistory,
  log: Log,
  hooks: { onMoved?(decision: RollbackDecision, before: Weights): Promise<void> } = {},
): Promise<RollbackResult> {
  const before = await router.read()
  log.info(`router: ${router.describe()}`)
  log.info(`traffic now: ${formatWeights(before)}`)
  const decision = await decideRollback(plan, before, tolerant(history, log), log)
  log.info(`rollback to ${decision.target}: ${decision.why}`)
  const previous = liveSlot(before) ?? 'split'
  const result = (after: Weights, switched: boolean): RollbackResult => ({
    router: router.describe(),
    before,
    after,
    previous,
    active: liveSlot(after) ?? 'split',
    switched,
    dryRun: plan.dryRun,
    decision,
  })
  if (before[decision.target] === 100) {
    log.warning(`rollback: ${decision.target} already carries 100% of traffic; nothing to move.`)
    return result(before, false)
  }
  if (plan.dryRun) {
    log.info(
      `dry run: would move traffic from ${formatWeights(before)} to ${formatWeights(allOn(decision.target))}; nothing moved.`,
    )
    return result(before, false)
  }
  const after = await moveTraffic(router, allOn(decision.target), log)
  log.info(`rolled back: ${decision.target} carries 100%`)
  // Recovery first: the record is written once traffic is back, so API calls never delay it.
  await hooks.onMoved?.(decision, before)
  return result(after, true)
}

/** Records that cannot be read count as absent, with a warning: an emergency tool falls back rather than refusing to recover. */
function tolerant(history: RollbackHistory, log: Log): RollbackHistory {
  const guard = async <T>(read: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await read()
    } catch (e) {
      log.warning(
        `rollback: the deployment records could not be read (${errorMessage(e)}); deciding without them.`,
      )
      return undefined
    }
  }
  return {
    lastGood: async (before) => (await guard(() => history.lastGood(before))) ?? undefined,
    latest: async () => (await guard(() => history.latest())) ?? undefined,
  }
}

export function rollbackReport(result: RollbackResult, reason: string): string {
  const title = result.dryRun
    ? `Rollback (dry run): would go back to ${result.decision.target}`
    : result.switched
      ? `Rollback: ${result.previous} → ${result.active}`
      : `Rollback: ${result.decision.target} was already live, nothing moved`
  return markdown.sections(
    markdown.heading(title),
    weightsTable(result.before, result.after),
    markdown.table(
      ['router', 'why this slot', 'reason given'],
      [[result.router, result.decision.why, reason || '—']],
    ),
  )
}
