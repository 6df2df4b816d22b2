/**
 * The few GitHub Deployments calls we make, through @actions/github's Octokit, with retries for
 * outages and errors that say what to do. Loaded only by actions that record.
 */
import { getOctokit } from '@actions/github'
import { errorMessage, type Log } from '../action-kit/index.js'

export interface Deployment {
  id: number
  created_at: string
  environment: string
  task: string
  payload: unknown
}

export interface DeploymentStatus {
  state: string
  created_at: string
}

export interface GitHubContext {
  apiUrl: string
  /** owner/repo */
  repository: string
  sha: string
  /** The run's page, for log_url. */
  runUrl: string
}

export interface RetryPolicy {
  attempts: number
  /** ms before the first retry; doubles each time. */
  backoffMs: number
}

export class GitHubError extends Error {
  override name = 'GitHubError'
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message)
  }
}

type Octokit = ReturnType<typeof getOctokit>

export class DeploymentsApi {
  private readonly octokit: Octokit
  private readonly owner: string
  private readonly repo: string

  constructor(
    token: string,
    readonly context: GitHubContext,
    private readonly log: Log,
    private readonly retry: RetryPolicy = { attempts: 4, backoffMs: 500 },
  ) {
    this.octokit = getOctokit(token, { baseUrl: context.apiUrl })
    const [owner, repo] = context.repository.split('/')
    if (!owner || !repo)
      throw new GitHubError(
        `GITHUB_REPOSITORY is ${JSON.stringify(context.repository)}, not owner/repo`,
      )
    this.owner = owner
    this.repo = repo
  }

  async create(input: {
    environment: string
    task: string
    payload: object
    production: boolean
    description: string
  }): Promise<Deployment> {
    const response = await this.call('create the deployment', () =>
      this.octokit.rest.repos.createDeployment({
        owner: this.owner,
        repo: this.repo,
        ref: this.context.sha,
        environment: input.environment,
        task: input.task,
        auto_merge: false,
        required_contexts: [],
        payload: input.payload as { [key: string]: unknown },
        production_environment: input.production,
        description: input.description,
      }),
    )
    if (response.status === 202) {
      throw new GitHubError(
        `GitHub answered 202 without creating a deployment: ${(response.data as { message?: string }).message ?? 'it merged the default branch into the ref'}`,
        202,
      )
    }
    return response.data as Deployment
  }

  async status(
    id: number,
    state: 'in_progress' | 'success' | 'failure' | 'error' | 'inactive',
    extra: { description?: string; environmentUrl?: string } = {},
  ): Promise<void> {
    await this.call(`set deployment ${id} to ${state}`, () =>
      this.octokit.rest.repos.createDeploymentStatus({
        owner: this.owner,
        repo: this.repo,
        deployment_id: id,
        state,
        log_url: this.context.runUrl,
        ...(extra.description ? { description: extra.description.slice(0, 140) } : {}),
        ...(extra.environmentUrl ? { environment_url: extra.environmentUrl } : {}),
        auto_inactive: false,
      }),
    )
  }

  /** Deployments of the environment, newest first, a page at a time. */
  async *deployments(environment: string): AsyncGenerator<Deployment> {
    for (let page = 1; ; page++) {
      const response = await this.call(`list deployments of ${environment}`, () =>
        this.octokit.rest.repos.listDeployments({
          owner: this.owner,
          repo: this.repo,
          environment,
          per_page: 100,
          page,
        }),
      )
      yield* response.data as Deployment[]
      if (!/rel="next"/.test(String(response.headers.link ?? ''))) return
    }
  }

  /** Every status of a deployment, newest first. */
  async statuses(id: number): Promise<DeploymentStatus[]> {
    const out: DeploymentStatus[] = []
    for (let page = 1; ; page++) {
      const response = await this.call(`list statuses of deployment ${id}`, () =>
        this.octokit.rest.repos.listDeploymentStatuses({
          owner: this.owner,
          repo: this.repo,
          deployment_id: id,
          per_page: 100,
          page,
        }),
      )
      out.push(...(response.data as DeploymentStatus[]))
      if (!/rel="next"/.test(String(response.headers.link ?? ''))) return out
    }
  }

  /** Runs one API call: outages (5xx, network) are retried with backoff; other errors say what to do. */
  private async call<T>(what: string, request: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await request()
      } catch (e) {
        const status = (e as { status?: number }).status
        const message =
          (e as { response?: { data?: { message?: string } } }).response?.data?.message ??
          errorMessage(e)
        const outage = status === undefined || status >= 500 || status === 429
        if (outage && attempt < this.retry.attempts) {
          const wait = this.retry.backoffMs * 2 ** (attempt - 1)
          this.log.info(
            `GitHub API: ${what} failed (${status ?? 'no answer'}: ${message}); retrying in ${wait} ms (${attempt}/${this.retry.attempts - 1})`,
          )
          await new Promise((r) => setTimeout(r, wait))
          continue
        }
        throw new GitHubError(explain(what, status, message, attempt), status)
      }
    }
  }
}

function explain(
  what: string,
  status: number | undefined,
  message: string,
  attempts: number,
): string {
  if (status === 403 && /not accessible by integration/i.test(message)) {
    return `GitHub refused to ${what}: ${message}. The workflow's token needs the deployments permission: add \`permissions: { deployments: write, contents: read }\` to the job.`
  }
  if (status === 401) return `GitHub refused to ${what}: ${message}. Check the \`token\` input.`
  if (status === 409) return `GitHub could not ${what}: 409 Conflict: ${message}`
  if (status === 404)
    return `GitHub could not ${what}: 404 ${message} (is the repository or deployment right, and does the token see it?)`
  const tries = attempts > 1 ? ` after ${attempts} attempts` : ''
  return `GitHub could not ${what}${tries}: ${status ?? 'no answer'} ${message}`
}
