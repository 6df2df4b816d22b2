/**
 * The abort request: how the rollback button stops a canary walk without waiting for the job
 * that holds the service's concurrency group. The rollback action (request-abort: true) adds a
 * status to the walk's deployment; the walk (canary-step with that deployment-id) reads its
 * deployment's statuses before it moves and every ABORT_POLL_MS while it holds or its gate looks,
 * and stops on it: stable back to 100%, a rollback record, the step fails.
 *
 * The marker is an `in_progress` status whose description starts with "abort requested". It is
 * `in_progress` on purpose: the walk has not stopped yet, so every reader that decides from the
 * latest state (a rollback's decision, a step job continuing the record) still sees an unfinished
 * canary, exactly as it is; only the walk gives the description a meaning. The walk ends the
 * record (failure) once stable carries 100% again. Pure.
 */
import type { ApiStatus } from './deployments-api.js'
import type { DeploymentRecord } from './types.js'

export const ABORT_MARKER = 'abort requested'

/** How often a walk reads its deployment's statuses while it holds (GITHUB_TOKEN: 1,000 requests/hour). */
export const ABORT_POLL_MS = 10_000

/** How many of a deployment's newest statuses a walk reads to find an abort request (one request). */
export const ABORT_STATUSES_READ = 20

/** The status description of an abort request: the marker, then why and by which run (140 chars at most). */
export function abortDescription(reason: string, runUrl: string): string {
  const run = /\/actions\/runs\/(\d+)/.exec(runUrl)?.[1]
  const by = run ? ` (rollback run ${run})` : ''
  const why = reason ? `: ${reason.replace(/\s+/g, ' ')}` : ''
  const text = `${ABORT_MARKER}${why}`
  const room = 140 - by.length
  return `${text.length > room ? `${text.slice(0, room - 3)}...` : text}${by}`
}

export function isAbortRequest(status: Pick<ApiStatus, 'state' | 'description'>): boolean {
  return status.state === 'in_progress' && (status.description ?? '').startsWith(ABORT_MARKER)
}

/** Why a walk must stop, from its deployment's newest statuses (newest first); undefined: go on. */
export type WalkStop =
  { kind: 'abort'; description: string } | { kind: 'ended'; state: string; description: string }

export function walkStop(
  statuses: readonly Pick<ApiStatus, 'state' | 'description'>[],
): WalkStop | undefined {
  const newest = statuses[0]
  if (newest && ['failure', 'error', 'inactive', 'success'].includes(newest.state))
    return { kind: 'ended', state: newest.state, description: newest.description ?? '' }
  // Any abort request counts, even with a step written after it (the walk moved meanwhile).
  const abort = statuses.find(isAbortRequest)
  if (abort) return { kind: 'abort', description: abort.description ?? ABORT_MARKER }
  return undefined
}

/** A walk's step status ("canary 25%", "held at 50%"): it moved traffic. */
function stepped(r: DeploymentRecord): boolean {
  return /^(canary|held at) \d+%/.test(r.statusDescription)
}

/**
 * The walk an abort request is for, from the service's records (newest first): the newest canary
 * still in progress that moved traffic, else the newest canary still in progress (its first step
 * job may not have moved yet). Undefined when no walk is in progress.
 */
export function walkInProgress(records: readonly DeploymentRecord[]): DeploymentRecord | undefined {
  const walks = records.filter(
    (r) =>
      r.payload.strategy === 'canary' && ['pending', 'queued', 'in_progress'].includes(r.state),
  )
  return walks.find(stepped) ?? walks[0]
}
