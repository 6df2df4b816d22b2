/**
 * The GitHub Deployments calls cutover makes, through @actions/github's Octokit with
 * @octokit/plugin-retry (5xx, no answer) and @octokit/plugin-throttling (rate limits,
 * Retry-After). Every request has its own timeout and all of an action's calls share one time
 * budget, so no GitHub call can hold a step. `explain()` is the one place that turns GitHub's
 * refusals into what to do. Loaded on first use: Octokit is most of the bundle.
 */
import { getOctokit } from '@actions/github'
import { defaults } from '@actions/github/lib/utils'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import { fetchFailure, type Log } from '../action-kit/index.js'
import { Budget, BudgetSpent, isAfterTraffic } from './budget.js'
import { GitHubError, type GitHubErrorKind } from './errors.js'
import type {
  ApiDeployment,
  ApiStatus,
  DeploymentsApi,
  NewDeployment,
  StatusState,
} from './deployments-api.js'
import type { ApiLimits, GitHubContext } from './settings.js'

type Octokit = ReturnType<typeof getOctokit>
type Fetch = (url: string, init: RequestInit) => Promise<Response>

/** A rate limit the throttling plugin did not wait out, and why. */
interface RateLimitGiveUp {
  retryAfterS: number
  leftMs: number
}

export class GitHubApi implements DeploymentsApi {
  private readonly octokit: Octokit
  private readonly owner: string
  private readonly repo: string
  private readonly budget: Budget
  /** What went wrong with the last failed attempt, for the message when the budget runs out. */
  private lastProblem?: string
  private rateLimitGiveUp?: RateLimitGiveUp

  constructor(
    token: string,
    readonly context: GitHubContext,
    private readonly limits: ApiLimits,
    private readonly log: Log,
  ) {
    const [owner, repo] = context.repository.split('/')
    if (!owner || !repo)
      throw new GitHubError(
        'config',
        `the repository is ${JSON.stringify(context.repository)}, not owner/repo (GITHUB_REPOSITORY)`,
      )
    this.owner = owner
    this.repo = repo
    this.budget = new Budget(limits.budgetMs)
    const baseFetch = ((defaults.request as { fetch?: Fetch } | undefined)?.fetch ??
      globalThis.fetch) as Fetch
    this.octokit = getOctokit(
      token,
      {
        baseUrl: context.apiUrl,
        request: { ...defaults.request, fetch: this.timedFetch(baseFetch) },
        log: {
          debug: (m: string) => log.debug(m),
          info: (m: string) => log.debug(m),
          warn: (m: string) => log.warning(m),
          error: (m: string) => log.warning(m),
        },
        retry: {
          // Rate limits (403/429) are the throttling plugin's: it knows how long to wait.
          doNotRetry: [400, 401, 403, 404, 409, 410, 422, 429, 451],
          retryAfterBaseValue: limits.retryUnitMs ?? 1000,
        },
        throttle: {
          onRateLimit: (retryAfter: number, _options: unknown, _octokit: unknown, count: number) =>
            this.waitOut('rate limit', retryAfter, count),
          onSecondaryRateLimit: (
            retryAfter: number,
            _options: unknown,
            _octokit: unknown,
            count: number,
          ) => this.waitOut('secondary rate limit', retryAfter, count),
        },
      },
      retry,
      throttling,
    )
    this.octokit.hook.before('request', (options) => this.onceBeforeTraffic(options))
  }

  /**
   * Before traffic moves, a request that got no answer is not asked again (plugin-retry's
   * per-request `retries`): one 10 s wait is all a traffic change gives GitHub. 5xx answers are
   * still retried; after traffic moved, so are timeouts, within what is left of the budget.
   */
  private onceBeforeTraffic(options: { request?: Record<string, unknown> }): void {
    if (isAfterTraffic()) return
    const request: Record<string, unknown> = { ...options.request }
    const fetch = (request.fetch as Fetch | undefined) ?? (globalThis.fetch as Fetch)
    request.fetch = async (url: string, init: RequestInit) => {
      try {
        return await fetch(url, init)
      } catch (e) {
        if (isTimeout(e)) request.retries = 0
        throw e
      }
    }
    options.request = request
  }

  /** Whether to wait out a rate limit: only when the wait fits in what is left of the budget. */
  private waitOut(kind: string, retryAfterS: number, count: number): boolean {
    const leftMs = this.budget.leftMs()
    if (retryAfterS * 1000 >= leftMs || count >= 2) {
      this.rateLimitGiveUp = { retryAfterS, leftMs }
      return false
    }
    this.log.info(`GitHub API: ${kind} hit; waiting ${retryAfterS} s as GitHub asks`)
    return true
  }

  /**
   * fetch with a timeout per attempt and the action's budget; notes each failed attempt. The
   * timeout is a deadline for the whole exchange, body included: the body is read here, before
   * Octokit sees the response, because @octokit/request reads it afterwards and takes a failed
   * read for an empty answer (data "", a "success" with no deployment in it).
   */
  private timedFetch(base: Fetch): Fetch {
    return async (url, init) => {
      const timeout = AbortSignal.timeout(this.limits.requestTimeoutMs)
      const signals = [timeout, this.budget.signal, ...(init.signal ? [init.signal] : [])]
      const what = `${init.method ?? 'GET'} ${new URL(url).pathname}`
      try {
        const response = await wholeResponse(
          await base(url, { ...init, signal: AbortSignal.any(signals) }),
        )
        if (response.status >= 500) {
          this.lastProblem = `${response.status} ${response.statusText}`
          this.log.info(`GitHub API: ${what} answered ${this.lastProblem}`)
        }
        return response
      } catch (e) {
        // The budget's own abort is not news: keep what made the budget run out.
        if (this.budget.signal.aborted) throw e
        this.lastProblem = timeout.aborted
          ? `no answer within ${seconds(this.limits.requestTimeoutMs)}`
          : fetchFailure(e)
        this.log.info(`GitHub API: ${what}: ${this.lastProblem}`)
        throw timeout.aborted ? timeoutError(this.limits.requestTimeoutMs) : e
      }
    }
  }

  async createDeployment(input: NewDeployment): Promise<ApiDeployment> {
    const response = await this.call('create the deployment', () =>
      this.octokit.rest.repos.createDeployment({
        owner: this.owner,
        repo: this.repo,
        ref: input.ref,
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
      const message = (response.data as { message?: string }).message
      throw new GitHubError(
        'conflict',
        `GitHub answered 202 without creating a deployment: ${message ?? 'it merged the default branch into the ref'}`,
        202,
      )
    }
    return response.data as ApiDeployment
  }

  async getDeployment(id: number): Promise<ApiDeployment> {
    const response = await this.call(`read deployment ${id}`, () =>
      this.octokit.rest.repos.getDeployment({
        owner: this.owner,
        repo: this.repo,
        deployment_id: id,
      }),
    )
    return response.data as ApiDeployment
  }

  async createStatus(
    id: number,
    state: StatusState,
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
        // GitHub's own deactivation would reach other services' records in the environment.
        auto_inactive: false,
      }),
    )
  }

  /** The newest status of a deployment: one request, whatever the number of statuses. */
  async latestStatus(id: number): Promise<ApiStatus | undefined> {
    const response = await this.call(`read the status of deployment ${id}`, () =>
      this.octokit.rest.repos.listDeploymentStatuses({
        owner: this.owner,
        repo: this.repo,
        deployment_id: id,
        per_page: 1,
      }),
    )
    return (response.data as ApiStatus[])[0]
  }

  /** The newest `count` statuses of a deployment (at most 100), newest first: one request. */
  async statuses(id: number, count: number): Promise<ApiStatus[]> {
    const response = await this.call(`read the statuses of deployment ${id}`, () =>
      this.octokit.rest.repos.listDeploymentStatuses({
        owner: this.owner,
        repo: this.repo,
        deployment_id: id,
        per_page: Math.min(100, Math.max(1, count)),
      }),
    )
    return response.data as ApiStatus[]
  }

  /** Deployments of `task` in `environment`, newest first; a page is fetched when it is reached. */
  async *deployments(environment: string, task: string): AsyncGenerator<ApiDeployment> {
    const iterable = this.octokit.paginate.iterator(this.octokit.rest.repos.listDeployments, {
      owner: this.owner,
      repo: this.repo,
      environment,
      task,
      per_page: 100,
    })
    const pages = iterable[Symbol.asyncIterator]()
    for (;;) {
      const page = await this.call(`list the deployments of ${environment}`, () => pages.next())
      if (page.done) return
      yield* page.value.data as ApiDeployment[]
    }
  }

  /** Runs one call within the budget; anything thrown becomes a GitHubError that says what to do. */
  private async call<T>(what: string, request: () => Promise<T>): Promise<T> {
    this.rateLimitGiveUp = undefined
    try {
      return await this.budget.run(request)
    } catch (e) {
      throw this.explain(what, e)
    }
  }

  /** The one place GitHub's refusals and outages are put into words. */
  private explain(what: string, thrown: unknown): GitHubError {
    if (thrown instanceof GitHubError) return thrown
    const budget = seconds(this.limits.budgetMs)
    if (thrown instanceof BudgetSpent || this.budget.signal.aborted)
      return new GitHubError(
        'budget',
        `GitHub: gave up on ${what}: the ${budget} allowed for all GitHub calls of this step (history and record together) ran out${this.lastProblem ? ` (last attempt: ${this.lastProblem})` : ''}`,
      )
    const error = thrown as {
      status?: number
      message?: string
      cause?: unknown
      request?: { request?: { retryCount?: number } }
      response?: { data?: { message?: string }; headers?: Record<string, string | undefined> }
    }
    const status = error.status
    const message = error.response?.data?.message ?? error.message ?? String(thrown)
    const headers = error.response?.headers ?? {}
    const attempts = (error.request?.request?.retryCount ?? 0) + 1
    const tries = attempts > 1 ? ` (${attempts} attempts)` : ''
    const fail = (kind: GitHubErrorKind, text: string) => new GitHubError(kind, text, status)

    if ((status === 403 || status === 429) && isRateLimit(status, message, headers)) {
      const secondary = /secondary rate/i.test(message)
      const reset = Number(headers['x-ratelimit-reset'])
      const retryAfter = Number(headers['retry-after'])
      const when =
        Number.isFinite(reset) && reset > 0
          ? `it resets at ${new Date(reset * 1000).toISOString()}`
          : Number.isFinite(retryAfter) && retryAfter > 0
            ? `GitHub asks to wait ${retryAfter} s (Retry-After)`
            : 'GitHub gave no time to wait'
      const gaveUp = this.rateLimitGiveUp
        ? `; that is longer than the ${seconds(this.rateLimitGiveUp.leftMs)} left of the ${budget} allowed for GitHub calls in this step, so cutover gave up at once`
        : ''
      return fail(
        'rate-limit',
        `GitHub's ${secondary ? 'secondary ' : ''}rate limit stopped ${what} (${status}: ${message}); ${when}${gaveUp}. This is a rate limit, not a missing permission: wait, or spread the deploys out.`,
      )
    }
    if (status === 403)
      return fail(
        'permission',
        `GitHub refused to ${what}: ${message}. The workflow's token needs the deployments permission: add \`permissions: { deployments: write, contents: read }\` to the job.`,
      )
    if (status === 401)
      return fail('auth', `GitHub refused to ${what}: ${message}. Check the \`token\` input.`)
    if (status === 404)
      return fail(
        'not-found',
        `GitHub could not ${what}: 404 ${message} (is the repository or deployment right, and does the token see it?)`,
      )
    if (status === 409)
      return fail('conflict', `GitHub could not ${what}: 409 Conflict: ${message}`)
    if (status === 422) return fail('invalid', `GitHub could not ${what}: 422 ${message}`)
    if (isTimeout(error.cause) || isTimeout(thrown))
      return fail(
        'timeout',
        `GitHub gave no answer within ${seconds(this.limits.requestTimeoutMs)} to ${what}${tries}${isAfterTraffic() ? '' : ' (not asked again before traffic moves)'}`,
      )
    if (status !== undefined && status >= 500 && error.response)
      return fail('outage', `GitHub could not ${what}${tries}: ${status} ${message}`)
    return fail(
      'unreachable',
      `GitHub's API at ${this.context.apiUrl} could not be reached to ${what}${tries}: ${this.lastProblem ?? message}`,
    )
  }
}

function isRateLimit(
  status: number,
  message: string,
  headers: Record<string, string | undefined>,
): boolean {
  return (
    status === 429 ||
    headers['x-ratelimit-remaining'] === '0' ||
    headers['retry-after'] !== undefined ||
    /rate limit/i.test(message)
  )
}

/**
 * The same response with its body already read (under the request's signal, so within its
 * deadline); a body that stops coming throws here, as the timeout it is.
 */
export async function wholeResponse(response: Response): Promise<Response> {
  const bodiless = response.body === null || [204, 205, 304].includes(response.status)
  const body = bodiless ? null : await response.arrayBuffer()
  const whole = new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  })
  Object.defineProperty(whole, 'url', { value: response.url })
  return whole
}

function isTimeout(thrown: unknown): boolean {
  return (thrown as { name?: string } | undefined)?.name === 'TimeoutError'
}

function timeoutError(ms: number): Error {
  const error = new Error(`no answer within ${seconds(ms)}`)
  error.name = 'TimeoutError'
  return error
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`
}
