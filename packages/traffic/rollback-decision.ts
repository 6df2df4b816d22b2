/**
 * Where a rollback sends traffic, decided from facts only: the router's weights and this
 * service's deployment records in this environment (newest first, whatever routers they went
 * through). It never guesses: when the facts do not prove where the last good release is, it
 * refuses and says why. With `scope: deployment` it undoes one deployment's work and nothing
 * else: when that deployment no longer owns the traffic it stands down (changes nothing, exit 0)
 * and says whose the traffic is. Pure: no I/O, no clock.
 */
import { formatWeights, liveSlot, otherSlot, type Slot, type Weights } from '../domain/index.js'
import type { DeploymentFact } from './record.js'

export type RecordsFacts =
  /** Records read so far, newest first; `complete` when there are no more. */
  | { readable: true; records: readonly DeploymentFact[]; complete: boolean }
  | { readable: false; cause: string }

export interface RollbackFacts {
  to: 'previous' | Slot
  weights: Weights
  records: RecordsFacts
  /** The deployment to undo, when the caller knows it (a pipeline's record of its release). */
  undo?: number
  /**
   * service (default): put the service back on its last good release. deployment: undo only
   * `undo`'s work; nothing when there is no id or another deployment owns the traffic.
   */
  scope?: RollbackScope
  /**
   * The router is a feature flag. Its state before its first walk (off, the walk's stable slot)
   * is known from that walk's own record and cannot have been overwritten since (nothing is
   * deployed onto a flag's state), so `previous` after a first walk goes back to it.
   */
  flag?: boolean
}

export type RollbackScope = 'service' | 'deployment'

/** scope: deployment without a deployment id: the run never opened a record (it refused early). */
export const NO_RELEASE =
  'this run recorded no release (no deployment id): nothing to undo; nothing changed'

export type RollbackDecision =
  | {
      action: 'move'
      target: Slot
      why: string
      /** The records the decision rests on, in words, for the log. */
      facts: string[]
      /** The live deployment this rollback undoes, when the records know it. */
      undone?: DeploymentFact
      /** The deployment whose release the target slot holds, when the records know it. */
      restored?: DeploymentFact
    }
  | {
      action: 'nothing-to-do'
      target: Slot
      why: string
      facts: string[]
      restored?: DeploymentFact
      /** The newest record: a rollback that already put the target at 100% (e.g. a walk's own). */
      rolledBackBy?: DeploymentFact
    }
  | { action: 'refuse'; why: string; facts: string[] }
  /**
   * scope: deployment, and the deployment's work is not there to undo: no id, or another
   * deployment owns the traffic. Nothing changes and the step succeeds, saying whose it is.
   */
  | {
      action: 'stand-down'
      why: string
      facts: string[]
      /** The deployment whose traffic it is, when the records name one. */
      owner?: DeploymentFact
      /** This run's record never moved traffic and should end (failure): it is over. */
      endOwn?: DeploymentFact
    }
  /** More records are needed to decide (only while `complete` is false). */
  | { action: 'need-more' }

const ASK_FOR_TO = 'Name the slot to restore with `to: blue` or `to: green`.'
const GOOD_STATES = ['success', 'inactive']

/** A deployment that is running, held, or live: it owns the traffic it moved. */
const ACTIVE_STATES = ['pending', 'queued', 'in_progress', 'success']

const isDeploy = (r: DeploymentFact) => r.payload.strategy !== 'rollback'
const isGood = (r: DeploymentFact) => GOOD_STATES.includes(r.state)

/** A status a canary walk writes once it moved traffic: "canary 25%", "held at 50%". */
export function isStepStatus(description: string | undefined): boolean {
  return /^(canary|held at) \d+%/.test(description ?? '')
}

export function describeRecord(r: DeploymentFact): string {
  return `deployment ${r.id} (${r.payload.strategy} to ${r.payload.slot}, ${r.payload.image ?? 'no image recorded'}, ${r.state})`
}

export function decideRollback(facts: RollbackFacts): RollbackDecision {
  const { weights, to } = facts
  const live = liveSlot(weights)
  const seen = [`router: ${formatWeights(weights)}${live ? ` (live: ${live})` : ' (split)'}`]

  if (to !== 'previous') {
    const restored = facts.records.readable
      ? facts.records.records.find((r) => isDeploy(r) && r.payload.slot === to)
      : undefined
    if (restored) seen.push(`${to} holds ${describeRecord(restored)}`)
    seen.push(`to: ${to} was asked for`)
    if (weights[to] === 100)
      return {
        action: 'nothing-to-do',
        target: to,
        why: `${to} already carries 100%: nothing to roll back`,
        facts: seen,
        ...(restored ? { restored } : {}),
      }
    return {
      action: 'move',
      target: to,
      why: `to: ${to} was asked for`,
      facts: seen,
      ...(restored ? { restored } : {}),
    }
  }

  if (facts.scope === 'deployment' && facts.undo === undefined)
    return { action: 'stand-down', why: NO_RELEASE, facts: seen }
  if (!facts.records.readable)
    return {
      action: 'refuse',
      why: `to: previous needs this service's deployment records, and they could not be read: ${facts.records.cause}. ${ASK_FOR_TO}`,
      facts: seen,
    }
  const { records, complete } = facts.records
  const more = (why: string): RollbackDecision =>
    complete
      ? { action: 'refuse', why: `${why} ${ASK_FOR_TO}`, facts: seen }
      : { action: 'need-more' }

  if (facts.scope === 'deployment' && facts.undo !== undefined)
    return decideOwnWork(facts.undo, weights, records, complete, seen)
  if (records.length === 0)
    return more('There are no deployment records of this service in this environment.')

  if (facts.undo !== undefined) return decideUndo(facts.undo, weights, records, complete, seen)
  if (!live) return decideSplit(weights, records, seen)

  // The records must explain why `live` is live: no successful change to the other slot may be
  // newer than the newest record on `live` (else a deploy's record is missing).
  const firstOnLive = records.findIndex((r) => r.payload.slot === live)
  const newerGoodElsewhere = records
    .slice(0, firstOnLive < 0 ? records.length : firstOnLive)
    .find((r) => isGood(r) && r.payload.slot !== live)
  if (newerGoodElsewhere)
    return {
      action: 'refuse',
      why: `the records do not explain the router: the newest successful change, ${describeRecord(newerGoodElsewhere)}, put traffic on ${newerGoodElsewhere.payload.slot}, but ${live} carries 100%. A change was made without a record; rolling back from here would be a guess. ${ASK_FOR_TO}`,
      facts: [...seen, `newest successful change: ${describeRecord(newerGoodElsewhere)}`],
    }
  if (firstOnLive < 0) return more(`No deployment record puts anything on ${live}, the live slot.`)

  // A rollback to the live slot is the newest change: it already happened (a re-run, or the
  // button pressed after a walk put stable back by itself). True even when no record says which
  // release the live slot holds (a first canary): there is nothing left to decide.
  const newest = records[0] as DeploymentFact
  if (newest.payload.strategy === 'rollback' && isGood(newest) && newest.payload.slot === live) {
    const holder = records.find((r) => isDeploy(r) && r.payload.slot === live)
    if (holder) seen.push(`${live} (live) holds ${describeRecord(holder)}`)
    seen.push(`newest record: ${describeRecord(newest)}`)
    return {
      action: 'nothing-to-do',
      target: live,
      why: `${live} already carries 100%: nothing to roll back (deployment ${newest.id} already rolled back to it)`,
      facts: seen,
      rolledBackBy: newest,
      ...(holder ? { restored: holder } : {}),
    }
  }

  const liveIndex = records.findIndex((r) => isDeploy(r) && r.payload.slot === live)
  if (liveIndex < 0)
    return more(`No deployment record says which release ${live} (the live slot) holds.`)
  const liveRelease = records[liveIndex] as DeploymentFact
  seen.push(`${live} (live) holds ${describeRecord(liveRelease)}`)
  const rolledBack = new Set(
    records.flatMap((r) =>
      r.payload.rolled_back_id === undefined ? [] : [r.payload.rolled_back_id],
    ),
  )
  const good = (r: DeploymentFact) => isGood(r) && !rolledBack.has(r.id)

  const newestDeploy = records.find(isDeploy) as DeploymentFact
  if (newestDeploy !== liveRelease)
    seen.push(`newer deploy, never live, so not undone: ${describeRecord(newestDeploy)}`)

  if (liveRelease.payload.image === undefined)
    return {
      action: 'refuse',
      why: `${describeRecord(liveRelease)} was recorded without an image, so the records cannot prove which release ${live} holds, nor which earlier release differs from it. Pass \`image\` to the deploy actions. ${ASK_FOR_TO}`,
      facts: seen,
    }

  // The last good release before the live one (a redeploy of the same image is the same release).
  const candidateOffset = records
    .slice(liveIndex + 1)
    .findIndex(
      (r) =>
        isDeploy(r) &&
        good(r) &&
        (r.payload.image === undefined || r.payload.image !== liveRelease.payload.image),
    )
  if (candidateOffset < 0) {
    const before = liveRelease.payload.stable ?? liveRelease.payload.previous.slot
    if (facts.flag && complete && before === otherSlot(live)) {
      seen.push(`the flag's state before it: ${before}`)
      return {
        action: 'move',
        target: before,
        why: `undoing ${describeRecord(liveRelease)}, the flag's first recorded walk; the flag's state before it was ${before}`,
        facts: seen,
        undone: liveRelease,
      }
    }
    return more(
      `No good release of this service before the live one (${describeRecord(liveRelease)}) is recorded: there is nothing known to go back to.`,
    )
  }
  const candidateIndex = liveIndex + 1 + candidateOffset
  const candidate = records[candidateIndex] as DeploymentFact
  seen.push(`last good release before it: ${describeRecord(candidate)}`)
  if (candidate.payload.image === undefined)
    return {
      action: 'refuse',
      why: `the last good release before the live one, ${describeRecord(candidate)}, was recorded without an image, so the records cannot prove that ${candidate.payload.slot} still holds it. ${ASK_FOR_TO}`,
      facts: seen,
    }
  const slot = candidate.payload.slot
  // Every deploy onto that slot since must have put the same release there.
  const since = records
    .slice(0, candidateIndex)
    .filter((r) => isDeploy(r) && r.payload.slot === slot)
  for (const later of since) {
    if (later.payload.image === undefined)
      return {
        action: 'refuse',
        why: `${describeRecord(later)} was recorded without an image after the last good release ${candidate.payload.image} (deployment ${candidate.id}) went onto ${slot}, so the records cannot prove what ${slot} holds now. ${ASK_FOR_TO}`,
        facts: seen,
      }
    if (later.payload.image !== candidate.payload.image)
      return {
        action: 'refuse',
        why: `${slot} was overwritten since: it held the last good release ${candidate.payload.image} (deployment ${candidate.id}), then deployment ${later.id} put ${later.payload.image} there. Going back to ${slot} would not restore ${candidate.payload.image}. ${ASK_FOR_TO}`,
        facts: [...seen, `${slot} overwritten by ${describeRecord(later)}`],
      }
  }
  seen.push(`${slot} still holds ${candidate.payload.image}`)
  return {
    action: 'move',
    target: slot,
    why: `undoing ${describeRecord(liveRelease)}; ${slot} still holds the last good release ${candidate.payload.image} (deployment ${candidate.id})`,
    facts: seen,
    undone: liveRelease,
    restored: candidate,
  }
}

/** Traffic split: only an unfinished canary record explains it; its stable slot gets 100%. */
function decideSplit(
  weights: Weights,
  records: readonly DeploymentFact[],
  seen: string[],
): RollbackDecision {
  const newest = records[0] as DeploymentFact
  seen.push(`newest record: ${describeRecord(newest)}`)
  const canary = newest.payload.slot
  const stable = newest.payload.stable ?? otherSlot(canary)
  if (newest.payload.strategy !== 'canary' || isGood(newest) || stable === canary) {
    return {
      action: 'refuse',
      why: `traffic is split (${formatWeights(weights)}) and no unfinished canary record explains it (the newest record is ${describeRecord(newest)}); which slot is stable would be a guess. ${ASK_FOR_TO}`,
      facts: seen,
    }
  }
  const restored = records.find((r) => r !== newest && isDeploy(r) && r.payload.slot === stable)
  if (restored) seen.push(`stable ${stable} holds ${describeRecord(restored)}`)
  return {
    action: 'move',
    target: stable,
    why: `traffic is split (${formatWeights(weights)}) by canary deployment ${newest.id}; its stable slot is ${stable}`,
    facts: seen,
    undone: newest,
    ...(restored ? { restored } : {}),
  }
}

/**
 * The release to undo is named: if its slot carries no traffic it never went live (nothing to
 * do); otherwise traffic goes back to the slot it came from, unless that slot changed since.
 */
function decideUndo(
  id: number,
  weights: Weights,
  records: readonly DeploymentFact[],
  complete: boolean,
  seen: string[],
): RollbackDecision {
  const index = records.findIndex((r) => r.id === id)
  if (index < 0)
    return complete
      ? {
          action: 'refuse',
          why: `deployment ${id} (deployment-id) is not among this service's records in this environment. ${ASK_FOR_TO}`,
          facts: seen,
        }
      : { action: 'need-more' }
  const undone = records[index] as DeploymentFact
  seen.push(`deployment-id: ${describeRecord(undone)}`)
  const slot = undone.payload.slot
  if (!isDeploy(undone))
    return {
      action: 'refuse',
      why: `deployment ${id} (deployment-id) is a rollback, not a release to undo. ${ASK_FOR_TO}`,
      facts: seen,
    }
  const back = otherSlot(slot)
  if (weights[slot] === 0)
    return {
      action: 'nothing-to-do',
      target: back,
      why: `${back} already carries 100%: nothing to roll back (${slot}, the slot of deployment ${id}, carries no traffic now)`,
      facts: seen,
    }
  const newer = records.slice(0, index)
  if (newer.length > 0)
    return {
      action: 'refuse',
      why: `deployment ${id} (deployment-id) is not the newest change of this service: ${describeRecord(newer[0] as DeploymentFact)} came after it. ${ASK_FOR_TO}`,
      facts: seen,
    }
  const from = undone.payload.stable ?? undone.payload.previous.slot
  if (from !== back)
    return {
      action: 'refuse',
      why: `deployment ${id} started with traffic ${from === 'split' ? 'split' : `on ${from}`}, so no slot is known to hold the release before it. ${ASK_FOR_TO}`,
      facts: seen,
    }
  const restored = records.find((r, i) => i > index && isDeploy(r) && r.payload.slot === back)
  if (restored) seen.push(`${back} holds ${describeRecord(restored)}`)
  return {
    action: 'move',
    target: back,
    why: `undoing deployment ${id} (deployment-id) on ${slot}; traffic was on ${back} before it`,
    facts: seen,
    undone,
    ...(restored ? { restored } : {}),
  }
}

/**
 * scope: deployment: only `id`'s own work is undone. A newer deployment of the service that is
 * in progress or live owns the traffic now; a canary of this run that never moved traffic while
 * an older walk is in progress owns none of the split. Either way: nothing changes, and the
 * decision says whose the traffic is. Otherwise `id` is undone as the newest change (newer
 * records that ended without going live are not in its way).
 */
function decideOwnWork(
  id: number,
  weights: Weights,
  records: readonly DeploymentFact[],
  complete: boolean,
  seen: string[],
): RollbackDecision {
  const index = records.findIndex((r) => r.id === id)
  if (index < 0) return decideUndo(id, weights, records, complete, seen)
  const own = records[index] as DeploymentFact
  const ended = !ACTIVE_STATES.includes(own.state)
  // A canary record of this run that never moved traffic is over once its run rolls back.
  const neverMoved =
    own.payload.strategy === 'canary' && !isGood(own) && !isStepStatus(own.statusDescription)
  // This run's release was already undone (its canary rolled itself back, or the button ran):
  // that rollback is this run's own work, not another run's traffic.
  const undoneBy = records
    .slice(0, index)
    .find((r) => !isDeploy(r) && isGood(r) && r.payload.rolled_back_id === id)
  if (undoneBy && weights[undoneBy.payload.slot] === 100)
    return {
      action: 'stand-down',
      why: `deployment ${id} (deployment-id) was already rolled back by deployment ${undoneBy.id} (${undoneBy.payload.slot} carries 100%): nothing left to undo; nothing changed`,
      facts: [
        ...seen,
        `deployment-id: ${describeRecord(own)}`,
        `rolled back by: ${describeRecord(undoneBy)}`,
      ],
      owner: undoneBy,
    }
  const owner = records.slice(0, index).find((r) => ACTIVE_STATES.includes(r.state))
  if (owner)
    return {
      action: 'stand-down',
      why: `deployment ${owner.id} (${owner.payload.strategy} to ${owner.payload.slot}, ${owner.state}) came after deployment ${id} (deployment-id) and is ${owner.state === 'success' ? 'live' : 'in progress'}: the traffic is deployment ${owner.id}'s, not this run's; nothing changed`,
      facts: [
        ...seen,
        `deployment-id: ${describeRecord(own)}`,
        `newer and ${owner.state}: ${describeRecord(owner)}`,
      ],
      owner,
      ...(neverMoved && !ended ? { endOwn: own } : {}),
    }
  if (neverMoved) {
    // An older walk holding the split is newer than the last release that went live.
    const older = records.slice(index + 1)
    const lastLive = older.findIndex(isGood)
    const walk = older
      .slice(0, lastLive < 0 ? older.length : lastLive)
      .find(
        (r) =>
          r.payload.strategy === 'canary' &&
          r.state === 'in_progress' &&
          isStepStatus(r.statusDescription),
      )
    if (!walk && lastLive < 0 && !complete) return { action: 'need-more' }
    if (walk)
      return {
        action: 'stand-down',
        why: `deployment ${id} (deployment-id) never moved traffic (its last status: "${own.statusDescription ?? ''}"); the walk in progress is deployment ${walk.id} (canary to ${walk.payload.slot}, "${walk.statusDescription ?? ''}"): the traffic is deployment ${walk.id}'s, not this run's; nothing changed`,
        facts: [
          ...seen,
          `deployment-id: ${describeRecord(own)}, last status "${own.statusDescription ?? ''}"`,
          `walk in progress: ${describeRecord(walk)}, last status "${walk.statusDescription ?? ''}"`,
        ],
        owner: walk,
        ...(ended ? {} : { endOwn: own }),
      }
  }
  return decideUndo(id, weights, records.slice(index), complete, seen)
}
