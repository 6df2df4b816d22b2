/** The Deployments calls records need, as GitHub shapes them: GitHubApi over HTTP, MemoryApi in tests. */

export interface ApiDeployment {
  id: number
  sha: string
  created_at: string
  environment: string
  task: string
  payload: unknown
}

export interface ApiStatus {
  state: string
  description?: string | null
  created_at: string
}

export type StatusState = 'in_progress' | 'success' | 'failure' | 'error' | 'inactive'

export interface NewDeployment {
  ref: string
  environment: string
  task: string
  payload: object
  production: boolean
  description: string
}

export interface DeploymentsApi {
  createDeployment(input: NewDeployment): Promise<ApiDeployment>
  getDeployment(id: number): Promise<ApiDeployment>
  createStatus(
    id: number,
    state: StatusState,
    extra?: { description?: string; environmentUrl?: string },
  ): Promise<void>
  /** The newest status of a deployment, in one call. */
  latestStatus(id: number): Promise<ApiStatus | undefined>
  /** The newest `count` (at most 100) statuses of a deployment, newest first, in one call. */
  statuses(id: number, count: number): Promise<ApiStatus[]>
  /** Deployments of `task` in `environment`, newest first, a page fetched when reached. */
  deployments(environment: string, task: string): AsyncGenerator<ApiDeployment>
}
