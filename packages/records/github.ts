/**
 * Deployment records on GitHub: a history reader and a writer for one service in one environment
 * (a record's identity; the routers it went through are information in its payload). GitHub
 * filters by `task` (deploy:<service>) and environment on its side; both are checked again here. Every read is lazy and every lookup stops as soon as it can, so a
 * deploy or a rollback costs a handful of API calls however long the history is.
 */
import { PAYLOAD_SCHEMA, taskFor, type RecordPayload } from '../domain/index.js'
import { ConfigurationError, errorMessage, quote, type Log } from '../action-kit/index.js'
import type { ApiDeployment, ApiStatus, DeploymentsApi, StatusState } from './deployments-api.js'
import { GitHubError } from './errors.js'
import { inScope, readPayload } from './payload.js'
import {
  ABORT_STATUSES_READ,
  abortDescription,
  walkInProgress,
  walkStop,
  type WalkStop,
} from './abort.js'
import { afterTraffic } from './budget.js'
import {
  GITHUB_LIMITS,
  type ApiLimits,
  type GitHubContext,
  type RecordScope,
  type RecordSettings,
  type RouterIdentity,
} from './settings.js'
import type {
  ContinueOptions,
  DeploymentHistory,
  DeploymentRecord,
  DeploymentWriter,
  Outcome,
  RecordDraft,
  RecordState,
  StartOptions,
} from './types.js'

/** How far a writer looks back for the live record when the draft does not name it. */
const LIVE_LOOKUP = 10
/** How far deactivation goes when no earlier record is inactive yet (a first upgrade). */
const DEACTIVATE_AT_MOST = 50

export type Connect = () => Promise<DeploymentsApi>

export interface OpenOptions {
  router: RouterIdentity
  log: Log
  limits?: ApiLimits
}

/**
 * One connection per repository and token for the whole run (an action run is one process): its
 * history and its writer share one Octokit and one time budget, so reads and writes together
 * never take more than the budget. Connects on first use: Octokit is most of the bundle, and many
 * runs never need it.
 */
const connections = new Map<string, Promise<DeploymentsApi>>()

function connector(settings: RecordSettings, context: GitHubContext, limits: ApiLimits, log: Log) {
  return (): Promise<DeploymentsApi> => {
    if (!settings.token)
      return Promise.reject(
        new GitHubError(
          'no-token',
          'no token was given, so there are no deployment records to use: pass `token: ${{ github.token }}` and grant `deployments: write`',
        ),
      )
    const key = JSON.stringify([context.apiUrl, context.repository, settings.token, limits])
    let api = connections.get(key)
    if (!api) {
      api = import('./api.js').then(
        ({ GitHubApi }) => new GitHubApi(settings.token, context, limits, log),
      )
      connections.set(key, api)
    }
    return api
  }
}

export function scopeOf(settings: RecordSettings, router: RouterIdentity): RecordScope {
  return {
    environment: settings.environment,
    service: settings.service,
    router: { type: router.type, name: router.name },
  }
}

export function openDeploymentHistory(
  settings: RecordSettings,
  context: GitHubContext,
  options: OpenOptions,
): GitHubHistory {
  const limits = options.limits ?? GITHUB_LIMITS
  const scope = scopeOf(settings, options.router)
  return new GitHubHistory(
    connector(settings, context, limits, options.log),
    scope,
    context.repository,
    listingFor(context, scope),
  )
}

export function openDeploymentWriter(
  settings: RecordSettings,
  context: GitHubContext,
  options: OpenOptions,
): DeploymentWriter {
  const connect = connector(settings, context, options.limits ?? GITHUB_LIMITS, options.log)
  return writerOn(connect, settings, context, {
    ...options,
    listing: listingFor(context, scopeOf(settings, options.router)),
  })
}

/** A writer on any DeploymentsApi (GitHub's, or MemoryApi in tests). */
export function writerOn(
  connect: Connect,
  settings: RecordSettings,
  context: GitHubContext,
  options: OpenOptions & { listing?: Listing },
): GitHubWriter {
  const log = options.log
  if (!settings.enabled) {
    log.info('records: off (record: false)')
    return new GitHubWriter(settings, context, undefined, log)
  }
  if (!settings.token) {
    log.warning(
      'records: no token, so no deployment is recorded. Pass `token: ${{ github.token }}` (the default in a workflow) and grant `deployments: write`.',
    )
    return new GitHubWriter(settings, context, undefined, log)
  }
  const history = new GitHubHistory(
    connect,
    scopeOf(settings, options.router),
    context.repository,
    options.listing,
  )
  return new GitHubWriter(settings, context, { connect, history, router: options.router }, log)
}

/**
 * What this run read of one scope's records so far (deployments listed, latest statuses), shared
 * by every history and writer of the run, so a rollback's reads are not paid twice.
 */
export class Listing {
  readonly seen: ApiDeployment[] = []
  readonly statuses = new Map<number, Promise<ApiStatus | undefined>>()
  private source: AsyncGenerator<ApiDeployment> | undefined
  private done = false

  /** A deployment this run created: the newest of all, so it goes first if listing began. */
  created(d: ApiDeployment): void {
    if (this.source || this.done) this.seen.unshift(d)
  }

  /** Newest first: what was listed already, then further pages as the caller goes on. */
  async *all(open: () => Promise<AsyncGenerator<ApiDeployment>>): AsyncGenerator<ApiDeployment> {
    let i = 0
    for (;;) {
      while (i < this.seen.length) yield this.seen[i++] as ApiDeployment
      if (this.done) return
      this.source ??= await open()
      let next: IteratorResult<ApiDeployment>
      try {
        next = await this.source.next()
      } catch (e) {
        // A failed read ends that generator; the list itself did not end: start again if asked.
        this.source = undefined
        throw e
      }
      if (next.done) {
        this.done = true
        return
      }
      if (!this.seen.some((d) => d.id === next.value.id)) this.seen.push(next.value)
    }
  }
}

/** One Listing per scope for the whole run (an action run is one process). */
const listings = new Map<string, Listing>()

export function listingFor(context: GitHubContext, scope: RecordScope): Listing {
  const key = JSON.stringify([context.apiUrl, context.repository, scope.environment, scope.service])
  let listing = listings.get(key)
  if (!listing) listings.set(key, (listing = new Listing()))
  return listing
}

export class GitHubHistory implements DeploymentHistory {
  constructor(
    private readonly connect: Connect,
    readonly scope: RecordScope,
    private readonly repository: string,
    readonly listing = new Listing(),
  ) {}

  records(options: { fresh?: boolean; before?: number } = {}): AsyncIterable<DeploymentRecord> {
    return this.read(options)
  }

  private async *read(options: { fresh?: boolean; before?: number }) {
    const api = await this.connect()
    const task = taskFor(this.scope.service)
    const listed = this.listing.all(async () => api.deployments(this.scope.environment, task))
    for await (const d of listed) {
      if (options.before !== undefined && d.id >= options.before) continue
      // GitHub filters by task and environment; checked again, with the service, on our side.
      if (d.task !== task || d.environment !== this.scope.environment) continue
      const payload = readPayload(d.payload, this.repository)
      if (!payload || !inScope(payload, this.scope)) continue
      if (options.fresh) this.listing.statuses.delete(d.id)
      const status = await this.status(api, d.id)
      yield toRecord(d, payload, status)
    }
  }

  /** The latest status, read once per run unless asked fresh. */
  status(api: DeploymentsApi, id: number): Promise<ApiStatus | undefined> {
    const statuses = this.listing.statuses
    let status = statuses.get(id)
    if (!status) {
      status = api.latestStatus(id)
      status.catch(() => statuses.delete(id))
      statuses.set(id, status)
    }
    return status
  }
}

/** An error's message as a clause inside a sentence: without its closing period. */
function clause(e: unknown): string {
  return errorMessage(e).replace(/\.+$/, '')
}

function toRecord(
  d: ApiDeployment,
  payload: RecordPayload,
  status: ApiStatus | undefined,
): DeploymentRecord {
  return {
    id: d.id,
    sha: d.sha,
    createdAt: d.created_at,
    state: (status?.state ?? 'pending') as RecordState,
    statusDescription: status?.description ?? '',
    statusAt: status?.created_at ?? d.created_at,
    payload,
  }
}

export class GitHubWriter implements DeploymentWriter {
  deploymentId: number | undefined
  private payload: RecordPayload | undefined
  /** Why this run has no record, once it failed to get one. */
  private missing: string | undefined

  constructor(
    private readonly settings: RecordSettings,
    private readonly context: GitHubContext,
    private readonly github:
      { connect: Connect; history: GitHubHistory; router: RouterIdentity } | undefined,
    private readonly log: Log,
  ) {}

  private get scope(): RecordScope {
    return this.github?.history.scope as RecordScope
  }

  async start(draft: RecordDraft, options: StartOptions = {}): Promise<number | undefined> {
    if (!this.github) return undefined
    // Before traffic moves, one answer-less request ends the attempt: the change must not wait.
    if (options.afterTraffic) return afterTraffic(() => this.open(draft, options))
    return this.open(draft, options)
  }

  private async open(draft: RecordDraft, options: StartOptions): Promise<number | undefined> {
    if (!this.github) return undefined
    const { connect, history } = this.github
    try {
      const api = await connect()
      // The live record is the one a rollback undoes; otherwise the newest success.
      const liveId = draft.previous.deployment_id ?? draft.rolled_back_id ?? (await this.liveId())
      const image = draft.image ?? this.settings.image
      const payload: RecordPayload = {
        ...draft,
        tool: 'cutover',
        schema: PAYLOAD_SCHEMA,
        service: this.scope.service,
        // The address only when the action was asked to record it.
        router: this.github.router.address
          ? { ...history.scope.router, address: this.github.router.address }
          : history.scope.router,
        ...(image ? { image } : {}),
        previous: { ...draft.previous, ...(liveId ? { deployment_id: liveId } : {}) },
      }
      const created = await api.createDeployment({
        ref: options.ref ?? this.context.sha,
        environment: this.scope.environment,
        task: taskFor(this.scope.service),
        payload,
        production: this.settings.production,
        description: `${draft.strategy} of ${this.scope.service} to ${draft.slot}${image ? ` (${image})` : ''}`,
      })
      this.deploymentId = created.id
      this.payload = payload
      history.listing.created(created)
      await this.setStatus(api, created.id, 'in_progress', {
        description: options.description ?? `${draft.strategy} to ${draft.slot}`,
      })
      this.log.info(
        `records: deployment ${created.id} of ${this.scope.service} in ${this.scope.environment} is in progress`,
      )
      return created.id
    } catch (e) {
      return this.lost(e, options.afterTraffic ?? false)
    }
  }

  async continue(
    deploymentId: number,
    options: ContinueOptions = {},
  ): Promise<DeploymentRecord | undefined> {
    if (!this.github) return undefined
    const { connect, history } = this.github
    const refuse = (why: string) =>
      new ConfigurationError(
        `Input 'deployment-id' has the value ${quote(String(deploymentId))}; allowed: an in-progress deployment of ${this.scope.service} in environment ${quote(this.scope.environment)} of ${this.context.repository}, but ${why}.`,
      )
    try {
      const api = await connect()
      let deployment: ApiDeployment
      try {
        deployment = await api.getDeployment(deploymentId)
      } catch (e) {
        if (e instanceof GitHubError && e.kind === 'not-found')
          throw refuse(`GitHub has no deployment ${deploymentId} in ${this.context.repository}`)
        throw e
      }
      if (deployment.environment !== this.scope.environment)
        throw refuse(`it is in environment ${quote(deployment.environment)}`)
      const payload = readPayload(deployment.payload, this.context.repository)
      if (!payload) throw refuse('it is not a cutover record')
      if (deployment.task !== taskFor(this.scope.service) || !inScope(payload, this.scope))
        throw refuse(`it is a record of ${quote(payload.service)}`)
      history.listing.statuses.delete(deploymentId)
      const status = await history.status(api, deploymentId)
      const record = toRecord(deployment, payload, status)
      if (['failure', 'error', 'inactive', 'success'].includes(record.state))
        throw new ConfigurationError(
          `Deployment ${deploymentId} (input 'deployment-id') already ended: it is ${record.state}${record.statusDescription ? ` ("${record.statusDescription}")` : ''}. ${record.state === 'success' ? 'Its release went live already' : 'It was rolled back or aborted (e.g. while paused between step jobs), so this walk is over'}; nothing moved.`,
        )
      if (record.state !== 'in_progress')
        throw refuse(
          `it is ${record.state}${record.statusDescription ? ` ("${record.statusDescription}")` : ''}, no longer in progress`,
        )
      // Two runs whose plans both ran before either moved traffic planned onto the same idle
      // slot; the newer run's deploy may have overwritten it. The newest plan wins: this one
      // stands down before it moves anything, and its record says why.
      const newer = options.standDownIfSuperseded ? await this.newerDeploy(deploymentId) : undefined
      if (newer) {
        const why = `superseded by deployment ${newer.id} (${newer.payload.strategy} to ${newer.payload.slot}${newer.payload.image ? `, ${newer.payload.image}` : ''}), planned after it`
        await this.setStatus(api, deploymentId, 'failure', { description: why })
        throw new ConfigurationError(
          `Deployment ${deploymentId} (input 'deployment-id') was ${why}: ${newer.payload.slot} may hold that release now, so this run moves nothing and its record ends failure. Nothing moved.`,
        )
      }
      this.deploymentId = deploymentId
      this.payload = payload
      this.log.info(
        `records: continuing deployment ${deploymentId} of ${this.scope.service} (${record.statusDescription || 'in progress'})`,
      )
      return record
    } catch (e) {
      if (e instanceof ConfigurationError) throw e
      this.lost(e, false)
      return undefined
    }
  }

  async progress(description: string): Promise<void> {
    return afterTraffic(() => this.progressNow(description))
  }

  private async progressNow(description: string): Promise<void> {
    const id = this.deploymentId
    if (!this.github || id === undefined) return
    try {
      const api = await this.github.connect()
      await this.setStatus(api, id, 'in_progress', { description })
      this.log.debug(`records: deployment ${id}: ${description}`)
    } catch (e) {
      this.log.warning(
        `records: deployment ${id} could not be marked "${description}": ${clause(e)}. Traffic is unaffected; the record lags behind.`,
      )
    }
  }

  async finish(outcome: Outcome, description: string): Promise<void> {
    return afterTraffic(() => this.finishNow(outcome, description))
  }

  private async finishNow(outcome: Outcome, description: string): Promise<void> {
    const id = this.deploymentId
    if (!this.github || id === undefined) {
      if (this.missing)
        this.log.warning(
          `records: no record of this ${outcome} (${description}): it could not be created (${this.missing}).`,
        )
      return
    }
    try {
      const api = await this.github.connect()
      await this.setStatus(api, id, outcome, {
        description,
        ...(outcome === 'success' && this.settings.environmentUrl
          ? { environmentUrl: this.settings.environmentUrl }
          : {}),
      })
      this.log.info(`records: deployment ${id} is ${outcome}`)
      if (outcome === 'success') await this.supersede(api, id)
    } catch (e) {
      this.log.warning(
        `records: deployment ${id} could not be marked ${outcome}: ${clause(e)}. The traffic change stands; the record is incomplete.`,
      )
    }
  }

  /**
   * After a success: the rolled-back deployment (if any) becomes failure, earlier successes
   * inactive. Stops at the first earlier record already inactive: everything before it was
   * deactivated by an earlier run.
   */
  private async supersede(api: DeploymentsApi, id: number): Promise<void> {
    const rolledBack = this.payload?.rolled_back_id
    let looked = 0
    for await (const r of this.github!.history.records({ fresh: true, before: id })) {
      if (r.id === rolledBack && r.state !== 'failure') {
        await this.setStatus(api, r.id, 'failure', {
          description: `rolled back by deployment ${id}`,
        })
        this.log.info(`records: deployment ${r.id} is now failure (rolled back)`)
        continue
      }
      if (r.state === 'inactive') return
      if (r.state === 'success') {
        await this.setStatus(api, r.id, 'inactive', {
          description: `superseded by deployment ${id}`,
        })
        this.log.debug(`records: deployment ${r.id} is now inactive`)
      }
      if (++looked >= DEACTIVATE_AT_MOST) return
    }
  }

  /** Sets a status; what this run read of that deployment's status is stale from now on. */
  private async setStatus(
    api: DeploymentsApi,
    id: number,
    ...[state, extra]: [StatusState, { description?: string; environmentUrl?: string }?]
  ): Promise<void> {
    this.github?.history.listing.statuses.delete(id)
    await api.createStatus(id, state, extra)
  }

  /** The service's newest deploy record when it is newer than `id` (a later run's plan), else undefined. */
  private async newerDeploy(id: number): Promise<DeploymentRecord | undefined> {
    for await (const r of this.github!.history.records()) {
      if (r.payload.strategy === 'rollback') continue
      return r.id > id ? r : undefined
    }
    return undefined
  }

  /** The newest live (success) record of the scope, looking back a few records at most. */
  private async liveId(): Promise<number | undefined> {
    let looked = 0
    for await (const r of this.github!.history.records()) {
      if (r.state === 'success') return r.id
      if (r.state === 'inactive' || ++looked >= LIVE_LOOKUP) return undefined
    }
    return undefined
  }

  /** The record is lost: a refused token before traffic moves stops the step, the rest warns. */
  private lost(e: unknown, afterTraffic: boolean): undefined {
    if (!afterTraffic && e instanceof GitHubError && e.refused)
      throw new ConfigurationError(errorMessage(e))
    this.missing = clause(e)
    this.log.warning(
      `records: the deployment record is missing: ${this.missing}. Traffic still moves; its outcome decides this step.`,
    )
    return undefined
  }
}

/** How far request-abort looks for the walk in progress: it is among the newest records. */
const WALK_LOOKUP = 30

/**
 * A walk's abort watch has its own connection and time budget: polling every 10 s through a
 * six-hour walk must never spend the 30 s its record writes need (each poll still has 10 s).
 * The budget covers the longest walk (360 minutes, ~2,200 polls) at up to 1 s a poll: a smaller
 * one would let the watch, and so the rollback button, go blind half-way through a long walk.
 */
export const WATCH_LIMITS: ApiLimits = { requestTimeoutMs: 10_000, budgetMs: 40 * 60_000 }

export type AbortRequest = { posted: DeploymentRecord; description: string } | { none: string }

/**
 * request-abort: finds the service's walk in progress in the environment (walkInProgress) and adds
 * the abort marker to its deployment. Moves no traffic. Throws GitHubError when the records cannot
 * be read or the status cannot be written: the abort was not posted, and the caller must say so.
 */
export async function requestWalkAbort(
  settings: RecordSettings,
  context: GitHubContext,
  options: OpenOptions & { reason: string },
): Promise<AbortRequest> {
  const limits = options.limits ?? GITHUB_LIMITS
  const connect = connector(settings, context, limits, options.log)
  const scope = scopeOf(settings, options.router)
  const history = new GitHubHistory(connect, scope, context.repository, listingFor(context, scope))
  return abortOn(connect, history, context, options.reason, options.log)
}

/** requestWalkAbort on any DeploymentsApi (MemoryRecords in tests). */
export async function abortOn(
  connect: Connect,
  history: GitHubHistory,
  context: GitHubContext,
  reason: string,
  log: Log,
): Promise<AbortRequest> {
  const records: DeploymentRecord[] = []
  for await (const r of history.records()) {
    records.push(r)
    if (records.length >= WALK_LOOKUP) break
  }
  const walk = walkInProgress(records)
  const { service, environment } = history.scope
  if (!walk)
    return {
      none: `no canary walk of ${service} is in progress in ${environment} (${records.length} newest record(s) read): there is nothing to abort`,
    }
  const description = abortDescription(reason, context.runUrl)
  const api = await connect()
  history.listing.statuses.delete(walk.id)
  await api.createStatus(walk.id, 'in_progress', { description })
  log.info(
    `records: deployment ${walk.id} (canary of ${service} to ${walk.payload.slot}, "${walk.statusDescription}") now carries "${description}"`,
  )
  return { posted: walk, description }
}

/** What a walk asks before it moves and while it waits: has its deployment been aborted or ended? */
export interface WalkWatch {
  /** Why the walk must stop, or undefined (also when GitHub cannot be read: warned once). */
  check(): Promise<WalkStop | undefined>
}

/**
 * The watch of a walk's own deployment (`deploymentId()` is read at each check: the record may be
 * opened by this very job). Reads the newest statuses in one request through its own connection.
 */
export function openWalkWatch(
  settings: RecordSettings,
  context: GitHubContext,
  options: { log: Log; deploymentId: () => number | undefined; limits?: ApiLimits },
): WalkWatch {
  if (!settings.enabled || !settings.token) return { check: async () => undefined }
  const connect = connector(settings, context, options.limits ?? WATCH_LIMITS, options.log)
  return watchOn(connect, options.deploymentId, options.log)
}

/** openWalkWatch on any DeploymentsApi. */
export function watchOn(
  connect: Connect,
  deploymentId: () => number | undefined,
  log: Log,
): WalkWatch {
  let warned = false
  return {
    async check() {
      const id = deploymentId()
      if (id === undefined) return undefined
      try {
        const api = await connect()
        return walkStop(await api.statuses(id, ABORT_STATUSES_READ))
      } catch (e) {
        if (!warned)
          log.warning(
            `records: could not read the statuses of deployment ${id}, so an abort request (the rollback button) may not be seen: ${clause(e)}. The walk goes on; cutover keeps trying.`,
          )
        warned = true
        return undefined
      }
    },
  }
}
