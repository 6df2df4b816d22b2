/**
 * Rollback: all traffic back where the facts say the last good release is (see
 * rollback-decision.ts), after that slot proved healthy. Recovery first: the record is written
 * once traffic is back, so GitHub never delays it.
 */
import { errorMessage, type Log } from '../action-kit/index.js'
import { allOn, formatWeights, liveSlot, type Slot, type Weights } from '../domain/index.js'
import {
  FLAG_NO_HEALTH,
  formatMatch,
  GroupRouter,
  isFlagRouter,
  type Router,
  type UnreachedRouter,
} from '../router/index.js'
import {
  forSlot,
  NO_HEALTH_URL,
  requireHealthy,
  type HealthCheck,
  type HealthResult,
} from './health.js'
import { moveTowardSafety, readTowardSafety } from './move.js'
import type { DeploymentFact, RecordHook } from './record.js'
import {
  decideRollback,
  NO_RELEASE,
  type RollbackDecision,
  type RollbackScope,
} from './rollback-decision.js'

export interface RollbackPlan {
  to: 'previous' | Slot
  dryRun: boolean
  /** When the target already carries 100%: fail the step (default) or succeed. */
  nothingToDo: 'fail' | 'succeed'
  health?: HealthCheck
  /** How long `previous` waits for the records before it gives up (ms). */
  recordsTimeoutMs: number
  /** The deployment to undo, when known (a pipeline passes its release's record). */
  undo?: number
  /** deployment: undo only `undo`'s work (rollback-decision.ts); default service. */
  scope?: RollbackScope
  /** The router is a feature flag: `previous` after its first walk is its state before (off). */
  flag?: boolean
}

/** This service's records in this environment, newest first, lazily; undefined when records are off. */
export interface RollbackHistory {
  records(): AsyncIterable<DeploymentFact>
}

export interface RollbackResult {
  router: string
  before: Weights
  after: Weights
  previous: Slot | 'split'
  active: Slot | 'split'
  target: Slot
  switched: boolean
  dryRun: boolean
  decision: Exclude<RollbackDecision, { action: 'need-more' | 'refuse' | 'stand-down' }>
  health?: HealthResult
  healthSkipped?: string
  notes: string[]
  /** The deployment whose release the target holds, when the records know it. */
  restored?: DeploymentFact
  /**
   * Routers of a list that did not answer (not read, or not moved), each with its last read: the
   * rollback went ahead on the others, and the step must fail so alerts fire.
   */
  unreached: UnreachedRouter[]
}

/** The step failed because the facts do not prove where to go; traffic did not move. */
export class RollbackRefused extends Error {
  override name = 'RollbackRefused'
  constructor(
    message: string,
    /** The facts the refusal rests on, for the job summary. */
    readonly facts: readonly string[] = [],
    readonly router = '',
  ) {
    super(message)
  }
}

/**
 * scope: deployment found nothing of that deployment's to undo (no id, or another deployment
 * owns the traffic): nothing moved, and that is the step's success. The message says whose the
 * traffic is.
 */
export class RollbackStoodDown extends Error {
  override name = 'RollbackStoodDown'
  constructor(
    message: string,
    readonly facts: readonly string[] = [],
    /** This run's record that never moved traffic, to end as failure; the caller ends it. */
    readonly endOwn?: DeploymentFact,
  ) {
    super(message)
  }
}

/** At most this many records are read; the newest ones always decide well before. */
const MAX_RECORDS = 200

export async function rollback(
  router: Router,
  plan: RollbackPlan,
  history: RollbackHistory | { unavailable: string },
  log: Log,
  hooks: { record?: RecordHook } = {},
): Promise<RollbackResult> {
  // A run that recorded no release has nothing to undo: not even the router is asked.
  if (plan.scope === 'deployment' && plan.undo === undefined)
    throw new RollbackStoodDown(NO_RELEASE)
  // Toward the known-good slot: a router of a list that does not answer does not stop it.
  const start = await readTowardSafety(router, log)
  const before = start.after
  log.info(`router: ${router.describe()}`)
  log.info(`traffic now: ${formatWeights(before)}`)
  const previous = liveSlot(before) ?? 'split'
  const stays = `traffic stays at ${formatWeights(before)}`

  const decision =
    plan.to === 'previous'
      ? await decideFromHistory(before, history, plan, log)
      : decideRollback({
          to: plan.to,
          weights: before,
          records: { readable: false, cause: 'not read' },
        })
  if (decision.action === 'need-more') throw new Error('rollback: undecided with complete records')
  log.info(`facts used:\n${decision.facts.map((f) => `  - ${f}`).join('\n')}`)
  if (decision.action === 'refuse')
    throw new RollbackRefused(
      `rollback refused: ${decision.why} Nothing moved: ${stays}.`,
      decision.facts,
      router.describe(),
    )
  if (decision.action === 'stand-down')
    throw new RollbackStoodDown(
      `${decision.why}. Traffic stays at ${formatWeights(before)}.`,
      decision.facts,
      decision.endOwn,
    )

  const result = (
    after: Weights,
    switched: boolean,
    checked: { health?: HealthResult; healthSkipped?: string } = {},
  ): RollbackResult => ({
    router: router.describe(),
    before,
    after,
    previous,
    active: liveSlot(after) ?? 'split',
    target: decision.target,
    switched,
    dryRun: plan.dryRun,
    decision,
    ...checked,
    notes: [...router.notes],
    ...(decision.restored ? { restored: decision.restored } : {}),
    unreached: start.unreached,
  })
  if (decision.action === 'nothing-to-do') {
    // A header/cookie phase leaves the weights on stable: its match is what there is to undo.
    const match = plan.dryRun ? undefined : await clearMatch(router, log)
    if (match?.cleared || (match && match.unreached.length > 0))
      return { ...result(before, false), unreached: [...start.unreached, ...match.unreached] }
    if (plan.nothingToDo === 'fail')
      throw new RollbackRefused(
        `${decision.why}. Set \`nothing-to-do: succeed\` if that is fine (e.g. a re-run).`,
        decision.facts,
        router.describe(),
      )
    log.info(`${decision.why} (nothing-to-do: succeed).`)
    return result(before, false)
  }
  log.info(`rollback to ${decision.target}: ${decision.why}`)
  const health = plan.health
    ? await requireHealthy(
        { ...plan.health, url: forSlot(plan.health.url, decision.target) },
        log,
        stays,
      )
    : undefined
  // A flag has no slot of servers to ask: no warning, and the summary says why.
  const flag = isFlagRouter(router)
  if (!health && !flag) log.warning(NO_HEALTH_URL)
  const checked = health ? { health } : { healthSkipped: flag ? FLAG_NO_HEALTH : NO_HEALTH_URL }
  if (plan.dryRun) {
    log.info(
      `dry run: would move traffic from ${formatWeights(before)} to ${formatWeights(allOn(decision.target))}; nothing moved.`,
    )
    return result(before, false, checked)
  }
  const moved = await moveTowardSafety(router, allOn(decision.target), log)
  const after = moved.after
  log.info(
    `rolled back: ${decision.target} carries 100%${moved.unreached.length > 0 ? ` on every router that answered (${moved.unreached.length} did not)` : ''}`,
  )
  moved.unreached.push(...(await clearMatch(router, log)).unreached)
  // Asked for a slot by name: the records (if any) only name the release it holds, for the record's ref.
  const restored =
    decision.restored ??
    (hooks.record && !('unavailable' in history)
      ? await holderOf(decision.target, history, plan.recordsTimeoutMs, log)
      : undefined)
  if (hooks.record)
    await recordRollback(hooks.record, {
      target: decision.target,
      previous,
      ...(decision.undone ? { undone: decision.undone.id } : {}),
      ...(restored ? { restored } : {}),
      unreached: moved.unreached,
    })
  return {
    ...result(after, true, checked),
    ...(restored ? { restored } : {}),
    unreached: moved.unreached,
  }
}

/**
 * Clears the header/cookie match on a router that has one (toward safety: a list clears it on
 * every router that answers). Never throws: a router that kept it is returned as not reached,
 * so the step fails naming it.
 */
export async function clearMatch(
  router: Router,
  log: Log,
): Promise<{ cleared: boolean; unreached: UnreachedRouter[] }> {
  if (!router.match) return { cleared: false, unreached: [] }
  // Member by member on a list, as a move back to safety goes: the routers that answer are
  // cleared, and only the ones that do not are named.
  const members = router instanceof GroupRouter ? router.routers : [router]
  let cleared = false
  const unreached: UnreachedRouter[] = []
  for (const member of members) {
    const match = member.match
    if (!match) continue
    try {
      const now = await match.read().catch(() => undefined)
      if (now === null) continue
      await match.write(null)
      cleared = true
      log.info(
        `header/cookie match cleared${members.length > 1 ? ` on ${member.describe()}` : ''}${now ? ` (was ${formatMatch(now)} -> ${now.slot})` : ''}: no request is sent by header or cookie any more`,
      )
    } catch (e) {
      const error = `the header/cookie match could not be cleared: ${errorMessage(e)}`
      log.warning(`${member.describe()}: ${error}`)
      unreached.push({ router: member.describe(), error })
    }
  }
  return { cleared, unreached }
}

/** Where a step that puts traffic back by itself (a failed gate, a bake, an abort) records it. */
export interface SelfRollbackRecord {
  record: RecordHook
  history?: RollbackHistory
  recordsTimeoutMs: number
}

/**
 * The rollback record of a step that put `target` back itself: the same record a manual
 * rollback writes (undoing `undone`, naming the release `target` holds when the records know it).
 */
export async function recordSelfRollback(
  rollback: SelfRollbackRecord | undefined,
  undone: number | undefined,
  facts: {
    target: Slot
    previous: Slot | 'split'
    unreached: readonly UnreachedRouter[]
    reason: string
  },
  log: Log,
): Promise<void> {
  if (!rollback) return
  const restored = rollback.history
    ? await holderOf(facts.target, rollback.history, rollback.recordsTimeoutMs, log)
    : undefined
  await recordRollback(rollback.record, {
    ...facts,
    ...(undone === undefined ? {} : { undone }),
    ...(restored ? { restored } : {}),
  })
}

/**
 * The rollback record, once traffic is back on `target`: the same shape whoever rolled back (the
 * rollback action, a canary that rolled itself back, an abort).
 */
export async function recordRollback(
  record: RecordHook,
  facts: {
    target: Slot
    previous: Slot | 'split'
    /** The deployment undone. */
    undone?: number
    /** The deployment whose release `target` holds, when known. */
    restored?: DeploymentFact
    /** Routers of a list that were not moved. */
    unreached?: readonly UnreachedRouter[]
    reason?: string
  },
): Promise<void> {
  const { restored } = facts
  await record.start({
    strategy: 'rollback',
    slot: facts.target,
    weights: allOn(facts.target),
    previous: facts.previous,
    ...(facts.undone === undefined ? {} : { undone: { id: facts.undone } }),
    ...(restored
      ? {
          restored: {
            id: restored.id,
            sha: restored.sha,
            ...(restored.payload.image ? { image: restored.payload.image } : {}),
          },
        }
      : {}),
    ...(facts.unreached && facts.unreached.length > 0 ? { unreached: [...facts.unreached] } : {}),
    ...(facts.reason ? { reason: facts.reason } : {}),
  })
}

/**
 * Reads records only as far as the decision needs, within `timeoutMs`; records that cannot be
 * read are a fact too (the decision then refuses and names the cause).
 */
async function decideFromHistory(
  weights: Weights,
  history: RollbackHistory | { unavailable: string },
  plan: Pick<RollbackPlan, 'recordsTimeoutMs' | 'undo' | 'scope' | 'flag'>,
  log: Log,
): Promise<RollbackDecision> {
  const timeoutMs = plan.recordsTimeoutMs
  const undo = {
    ...(plan.undo === undefined ? {} : { undo: plan.undo }),
    ...(plan.scope ? { scope: plan.scope } : {}),
    ...(plan.flag ? { flag: true } : {}),
  }
  if ('unavailable' in history)
    return decideRollback({
      to: 'previous',
      weights,
      records: { readable: false, cause: history.unavailable },
      ...undo,
    })
  const records: DeploymentFact[] = []
  const iterator = history.records()[Symbol.asyncIterator]()
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs)
  })
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), deadline])
      if (next === 'timeout') {
        void iterator.return?.().catch(() => {})
        return decideRollback({
          to: 'previous',
          weights,
          ...undo,
          records: {
            readable: false,
            cause: `they did not answer within ${Math.round(timeoutMs / 1000)} s (${records.length} read)`,
          },
        })
      }
      if (!next.done) records.push(next.value)
      const complete = next.done === true || records.length >= MAX_RECORDS
      const decision = decideRollback({
        to: 'previous',
        weights,
        records: { readable: true, records, complete },
        ...undo,
      })
      if (decision.action !== 'need-more') {
        log.info(`records: ${records.length} read to decide`)
        if (!next.done) void iterator.return?.().catch(() => {})
        return decision
      }
    }
  } catch (e) {
    return decideRollback({
      to: 'previous',
      weights,
      records: { readable: false, cause: errorMessage(e) },
      ...undo,
    })
  } finally {
    clearTimeout(timer)
  }
}

/** The newest deploy record on `slot` (what it holds), or undefined when unknown in time. */
export async function holderOf(
  slot: Slot,
  history: RollbackHistory,
  timeoutMs: number,
  log: Log,
): Promise<DeploymentFact | undefined> {
  const read = async () => {
    let count = 0
    for await (const r of history.records()) {
      if (r.payload.strategy !== 'rollback' && r.payload.slot === slot) return r
      if (++count >= MAX_RECORDS) return undefined
    }
    return undefined
  }
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([
      read(),
      new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), timeoutMs)
      }),
    ])
  } catch (e) {
    log.warning(`records: could not read which release ${slot} holds: ${errorMessage(e)}`)
    return undefined
  } finally {
    clearTimeout(timer)
  }
}
