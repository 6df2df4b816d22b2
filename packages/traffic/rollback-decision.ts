/**
 * Where a rollback sends traffic, decided from facts only: the router's weights and this
 * service's deployment records on this router (newest first). It never guesses: when the facts
 * do not prove where the last good release is, it refuses and says why. Pure: no I/O, no clock.
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
}

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
    }
  | { action: 'refuse'; why: string; facts: string[] }
  /** More records are needed to decide (only while `complete` is false). */
  | { action: 'need-more' }

const ASK_FOR_TO = 'Name the slot to restore with `to: blue` or `to: green`.'
const GOOD_STATES = ['success', 'inactive']

const isDeploy = (r: DeploymentFact) => r.payload.strategy !== 'rollback'
const isGood = (r: DeploymentFact) => GOOD_STATES.includes(r.state)

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

  if (records.length === 0)
    return more('There are no deployment records of this service on this router.')

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

  // A rollback to the live slot is the newest change: it already happened (e.g. a re-run).
  const newest = records[0] as DeploymentFact
  if (newest.payload.strategy === 'rollback' && isGood(newest) && newest.payload.slot === live) {
    seen.push(`newest record: ${describeRecord(newest)}`)
    return {
      action: 'nothing-to-do',
      target: live,
      why: `${live} already carries 100%: nothing to roll back (deployment ${newest.id} already rolled back to it)`,
      facts: seen,
      restored: liveRelease,
    }
  }
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
  if (candidateOffset < 0)
    return more(
      `No good release of this service before the live one (${describeRecord(liveRelease)}) is recorded: there is nothing known to go back to.`,
    )
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
          why: `deployment ${id} (deployment-id) is not among this service's records on this router. ${ASK_FOR_TO}`,
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
