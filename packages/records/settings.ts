/**
 * What the action passes in to record deployments: packages/records never reads action inputs or
 * the environment (actions/common/records-inputs.ts builds these).
 */

export interface RecordSettings {
  /** `record: false` writes nothing (rollback still reads history to decide). */
  enabled: boolean
  /** Masked by the action before it gets here; '' means no records. */
  token: string
  /** The GitHub environment; required whenever records are on, never defaulted. */
  environment: string
  /** `production_environment` on the deployments this action creates. */
  production: boolean
  /** The application the records are about: `task` is `deploy:<service>`. */
  service: string
  image?: string
  environmentUrl?: string
  /** A deployment started by an earlier job, continued by this one. */
  deploymentId?: number
}

/** The run's coordinates on GitHub, from the runner's environment. */
export interface GitHubContext {
  apiUrl: string
  /** owner/repo */
  repository: string
  sha: string
  /** The run's page, for log_url. */
  runUrl: string
}

/** A router as records name it: never its admin address unless the user asked for it. */
export interface RouterIdentity {
  type: string
  name: string
  address?: string
}

/**
 * Which records a history or writer deals with: one service in one environment (its identity).
 * `router` is the router (or list) this run goes through: written into its records as
 * information, never used to pick records.
 */
export interface RecordScope {
  environment: string
  service: string
  router: RouterIdentity
}

export interface ApiLimits {
  /** One HTTP request's answer, attempt by attempt. */
  requestTimeoutMs: number
  /** All GitHub calls of this action together (time spent in calls, not the step's wall time). */
  budgetMs: number
  /** plugin-retry's wait unit after a 5xx or no answer: 1, 4, 9 units. Tests make it short. */
  retryUnitMs?: number
}

/**
 * One budget per action run, shared by its history reads and record writes: records are worth
 * 30 s of GitHub time at most, whatever the action reads and writes. Before traffic moves, a
 * request that gets no answer within 10 s is not asked again (budget.ts: afterTraffic), so a
 * GitHub that never answers costs a switch 10 s, and rollback to: previous gives up after one
 * 10 s attempt (well within its own 20 s deadline), naming the cause.
 */
export const GITHUB_LIMITS: ApiLimits = { requestTimeoutMs: 10_000, budgetMs: 30_000 }
