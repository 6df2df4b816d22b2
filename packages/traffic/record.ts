/**
 * What the strategies tell the records, in one shape for all three. The action turns it into a
 * deployment record (service, router, image come from its settings); strategies never talk to
 * GitHub themselves.
 */
import type { RecordPayload, Slot, Strategy, Weights } from '../domain/index.js'
import type { UnreachedRouter } from '../router/index.js'

export interface TrafficRecord {
  strategy: Strategy
  /** The slot this change puts its release (rollback: traffic) on. */
  slot: Slot
  /** The weights it aims for (a canary: its last step). */
  weights: Weights
  /** The slot live before, or 'split'. */
  previous: Slot | 'split'
  /** rollback: the deployment it undid and the release it went back to (its commit becomes the record's ref). */
  undone?: { id: number }
  restored?: { id: number; sha: string; image?: string }
  /** rollback: routers of a list it could not move, with what each held at its last read. */
  unreached?: UnreachedRouter[]
  /** rollback: why, when the step itself knows (a canary's failed gate, an abort). */
  reason?: string
}

export interface RecordHook {
  /** The record this hook writes to, once started or continued (a rollback record names it as undone). */
  readonly deploymentId?: number | undefined
  /** Once the change is decided: before traffic moves (rollback: right after it moved). */
  start(record: TrafficRecord): Promise<void>
  /** An in_progress status on the same record ("canary 25%"). */
  progress(description: string): Promise<void>
}

/** A deployment record as history yields it (the records package's DeploymentRecord). */
export interface DeploymentFact {
  id: number
  sha: string
  createdAt: string
  /** The latest status: in_progress, success, inactive, failure, error, ... */
  state: string
  /** The latest status's description ("canary 25%", "held at 50%"), when known. */
  statusDescription?: string
  payload: RecordPayload
}

/** How a finished strategy asks its record to end: held means it stays in_progress. */
export interface RecordOutcome {
  outcome: 'success' | 'failure' | 'held'
  description: string
}
