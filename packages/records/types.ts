/** The two sides of deployment records: reading history and writing this run's record. */
import type { RecordPayload } from '../domain/index.js'
import type { RecordScope } from './settings.js'

/** A deployment's latest status; 'pending' when it has none yet. */
export type RecordState =
  'pending' | 'queued' | 'in_progress' | 'success' | 'failure' | 'error' | 'inactive'

export interface DeploymentRecord {
  id: number
  /** The commit deployed: a rollback's record names the restored release's. */
  sha: string
  createdAt: string
  /** The latest status: success = live, inactive = was live, in_progress = running or held. */
  state: RecordState
  /** The latest status's description, e.g. "canary 25%" or "held at 50%". */
  statusDescription: string
  /** When the latest status was set (createdAt when none). */
  statusAt: string
  payload: RecordPayload
}

/** This service's records in this environment, newest first, whatever routers they went through. */
export interface DeploymentHistory {
  readonly scope: RecordScope
  /**
   * Read lazily: a page of deployments and one status per record, only as far as the caller
   * iterates. Throws GitHubError (its message names the cause) when records cannot be read.
   */
  records(): AsyncIterable<DeploymentRecord>
}

export type Outcome = 'success' | 'failure' | 'error'

/** A payload as its writer gives it: the writer adds tool, schema, service and router. */
export type RecordDraft = Omit<
  RecordPayload,
  'tool' | 'schema' | 'service' | 'router' | 'previous'
> & {
  previous: RecordPayload['previous']
}

export interface StartOptions {
  /** Traffic already moved: even a refused token only costs the record (a warning). */
  afterTraffic?: boolean
  /** The commit to deploy (default: the run's); a rollback names the restored release's. */
  ref?: string
  /** The first in_progress status (default: "<strategy> to <slot>"). */
  description?: string
}

export interface DeploymentWriter {
  /** The record this run writes to, once started or continued. */
  readonly deploymentId: number | undefined
  /**
   * Creates the record and sets it in_progress. A refused token before traffic moves throws
   * ConfigurationError; any other failure is a warning and undefined: the step goes on.
   */
  start(draft: RecordDraft, options?: StartOptions): Promise<number | undefined>
  /**
   * Takes over a record an earlier job started (a canary walked across jobs). Throws
   * ConfigurationError naming 'deployment-id' when it is not this repository's, environment's and
   * service's, or not in progress; an outage is a warning and undefined.
   */
  continue(deploymentId: number, options?: ContinueOptions): Promise<DeploymentRecord | undefined>
  /** Adds an in_progress status: "canary 5%", "held at 50%". Never throws. */
  progress(description: string): Promise<void>
  /**
   * The outcome. success also deactivates earlier successes of the service in the environment
   * (stopping at the first already inactive) and marks a rolled-back deployment failure. Never throws.
   */
  finish(outcome: Outcome, description: string): Promise<void>
}

export interface ContinueOptions {
  /**
   * Before a step moves traffic away from stable: refuse (and end the record failure) when a
   * newer deploy of the service was planned since, whose deploy job may have overwritten the slot.
   */
  standDownIfSuperseded?: boolean
}
