/**
 * GitHub through octokit: the App (JWT) and one installation token per delivery, every request
 * with a deadline (the body read included). The deployment records are read through
 * packages/records (GitHubHistory over an installation's Deployments API).
 */
import { App, Octokit } from 'octokit'
import { errorMessage } from '../../../packages/action-kit/index.js'
import { wholeResponse, type DeploymentsApi } from '../../../packages/records/index.js'
import type { Logger } from './log.js'

export type Client = InstanceType<typeof Octokit>
type Fetch = (url: string | URL | Request, init?: RequestInit) => Promise<Response>

export const DEFAULT_GITHUB_URL = 'https://api.github.com'

/** fetch with a deadline on the whole exchange: the body is read before Octokit sees the answer. */
export function timedFetch(timeoutMs: number, base: Fetch = globalThis.fetch): Fetch {
  return async (url, init = {}) => {
    const timeout = AbortSignal.timeout(timeoutMs)
    const signal = init.signal ? AbortSignal.any([timeout, init.signal]) : timeout
    try {
      return await wholeResponse(await base(url, { ...init, signal }))
    } catch (e) {
      if (timeout.aborted) {
        const error = new Error(`GitHub gave no answer within ${timeoutMs / 1000} s`)
        error.name = 'TimeoutError'
        throw error
      }
      throw e
    }
  }
}

export interface GitHubOptions {
  appId: number | string
  privateKey: string
  webhookSecret: string
  apiUrl: string
  timeoutMs: number
  log: Logger
}

/** Octokit's options shared by the App's and the installations' clients. */
function clientDefaults(options: Pick<GitHubOptions, 'apiUrl' | 'timeoutMs' | 'log'>) {
  const log = options.log
  return {
    baseUrl: options.apiUrl.replace(/\/+$/, ''),
    request: { fetch: timedFetch(options.timeoutMs), retries: 2 },
    retry: { doNotRetry: [400, 401, 403, 404, 409, 410, 422, 429, 451] },
    throttle: {
      // A rate limit is waited out once, when GitHub asks for at most a minute.
      onRateLimit: (after: number, _o: unknown, _k: unknown, count: number) =>
        count < 1 && after <= 60,
      onSecondaryRateLimit: (after: number, _o: unknown, _k: unknown, count: number) =>
        count < 1 && after <= 60,
    },
    log: {
      debug: () => {},
      info: () => {},
      warn: (m: string) => log('warn', `octokit: ${m}`),
      error: (m: string) => log('error', `octokit: ${m}`),
    },
  }
}

export function createApp(options: GitHubOptions): InstanceType<typeof App> {
  return new App({
    appId: options.appId,
    privateKey: options.privateKey,
    webhooks: { secret: options.webhookSecret },
    Octokit: Octokit.defaults(clientDefaults(options)),
    log: clientDefaults(options).log,
  })
}

/** Refresh an installation token this long before GitHub says it expires. */
const TOKEN_MARGIN_MS = 5 * 60_000

/**
 * An installation's client on a token issued for this delivery (POST
 * /app/installations/{id}/access_tokens with the App's JWT), issued again before it expires (a
 * long pause outlives the hour a token lasts).
 */
export class Installation {
  private client: Client | undefined
  private expiresAt = 0
  private issuing: Promise<Client> | undefined

  constructor(
    private readonly app: InstanceType<typeof App>,
    readonly installationId: number,
    private readonly options: Pick<GitHubOptions, 'apiUrl' | 'timeoutMs' | 'log'>,
  ) {}

  /** The installation's client; one token request at a time (concurrent callers share it). */
  octokit(): Promise<Client> {
    if (this.client && Date.now() < this.expiresAt - TOKEN_MARGIN_MS)
      return Promise.resolve(this.client)
    this.issuing ??= this.issue().finally(() => (this.issuing = undefined))
    return this.issuing
  }

  private async issue(): Promise<Client> {
    const { data } = await this.app.octokit.request(
      'POST /app/installations/{installation_id}/access_tokens',
      { installation_id: this.installationId },
    )
    const expires = Date.parse(data.expires_at)
    this.expiresAt = Number.isFinite(expires) ? expires : Date.now() + 3600_000
    this.client = new Octokit({ ...clientDefaults(this.options), auth: data.token })
    return this.client
  }

  /** The run's status (GET /repos/{o}/{r}/actions/runs/{id}): `waiting` while a job waits on a rule. */
  async runStatus(owner: string, repo: string, runId: number): Promise<string> {
    const o = await this.octokit()
    const { data } = await o.request('GET /repos/{owner}/{repo}/actions/runs/{run_id}', {
      owner,
      repo,
      run_id: runId,
    })
    return String(data.status ?? 'unknown')
  }

  /** A file's text at `ref` through the contents API; undefined when the file does not exist. */
  async fileText(
    owner: string,
    repo: string,
    path: string,
    ref: string,
  ): Promise<string | undefined> {
    const o = await this.octokit()
    try {
      const { data } = await o.request('GET /repos/{owner}/{repo}/contents/{path}', {
        owner,
        repo,
        path,
        ref,
      })
      const file = data as { type?: string; content?: string; encoding?: string }
      if (Array.isArray(data) || file.type !== 'file' || typeof file.content !== 'string')
        throw new Error(`${path} at ${ref.slice(0, 12)} is not a file`)
      return file.encoding === 'base64'
        ? Buffer.from(file.content, 'base64').toString('utf8')
        : file.content
    } catch (e) {
      if ((e as { status?: number }).status === 404) return undefined
      throw e
    }
  }

  /**
   * The callback GitHub gave in the event: `state` approved/rejected with a comment, or a comment
   * alone (progress). Resolves once GitHub accepted it.
   */
  async review(
    callbackUrl: string,
    environment: string,
    comment: string,
    state?: 'approved' | 'rejected',
  ): Promise<void> {
    const o = await this.octokit()
    // Never retried blindly: an answer that reached GitHub but whose reply was late would, sent
    // again seconds later, answer whatever then waits on the run's environment (the next pause).
    await o.request(`POST ${callbackUrl}`, {
      environment_name: environment,
      comment,
      ...(state ? { state } : {}),
      request: { retries: 0 },
    })
  }

  /**
   * The newest deployment's id in the environment of deployment `id`, at its commit: the job that
   * waits there now (null: none listed). The environment and commit are read from the deployment
   * itself, so the list's filter matches them exactly (environment names are case-insensitive).
   */
  async newestDeployment(owner: string, repo: string, id: number): Promise<number | null> {
    const o = await this.octokit()
    const { data: deployment } = await o.request(
      'GET /repos/{owner}/{repo}/deployments/{deployment_id}',
      { owner, repo, deployment_id: id },
    )
    const { data } = await o.request('GET /repos/{owner}/{repo}/deployments', {
      owner,
      repo,
      environment: deployment.environment,
      sha: deployment.sha,
      per_page: 1,
    })
    const newest = data[0]?.id
    return newest === undefined ? null : Number(newest)
  }

  /** The Deployments reads packages/records needs, on this installation (read only). */
  deployments(owner: string, repo: string): DeploymentsApi {
    const readOnly = () =>
      Promise.reject(new Error('the protection-rule service never writes deployments'))
    const client = () => this.octokit()
    return {
      createDeployment: readOnly,
      getDeployment: readOnly,
      createStatus: readOnly,
      latestStatus: async (id) => {
        const o = await this.octokit()
        const { data } = await o.request(
          'GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
          {
            owner,
            repo,
            deployment_id: id,
            per_page: 1,
          },
        )
        return data[0]
      },
      statuses: async (id, count) => {
        const o = await this.octokit()
        const { data } = await o.request(
          'GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
          {
            owner,
            repo,
            deployment_id: id,
            per_page: Math.min(100, Math.max(1, count)),
          },
        )
        return data
      },
      deployments: async function* (environment: string, task: string) {
        const o = await client()
        for await (const page of o.paginate.iterator('GET /repos/{owner}/{repo}/deployments', {
          owner,
          repo,
          environment,
          task,
          per_page: 100,
        }))
          yield* page.data
      },
    } as DeploymentsApi
  }
}
/** A recent delivery of the App (GET /app/hook/deliveries), with its event body. */
export interface PastDelivery {
  guid: string
  event: string
  action: string | undefined
  deliveredAt: string
  payload: unknown
}

/**
 * The App's recent deliveries of `event` (newest first, at most `limit`), each with its body
 * (GET /app/hook/deliveries/{id}), through the App's JWT.
 */
export async function recentDeliveries(
  app: InstanceType<typeof App>,
  event: string,
  limit: number,
  log: Logger,
  /** Stop reading (the service is shutting down). */
  stopped: () => boolean = () => false,
): Promise<PastDelivery[]> {
  const found: PastDelivery[] = []
  let listed = 0
  for await (const page of app.octokit.paginate.iterator('GET /app/hook/deliveries', {
    per_page: 100,
  })) {
    for (const d of page.data) {
      if (++listed > limit || stopped()) return found
      if (d.event !== event) continue
      try {
        const { data } = await app.octokit.request('GET /app/hook/deliveries/{delivery_id}', {
          delivery_id: d.id,
        })
        found.push({
          guid: d.guid,
          event: d.event,
          action: d.action ?? undefined,
          deliveredAt: d.delivered_at,
          payload: data.request.payload,
        })
      } catch (e) {
        log('warn', 'recovery: a delivery could not be read', {
          delivery: d.guid,
          error: errorMessage(e),
        })
      }
    }
  }
  return found
}
