/**
 * Deployment records in memory, for unit tests: the same history and writer as on GitHub, over
 * a DeploymentsApi that keeps deployments in an array and counts calls.
 */
import { PAYLOAD_SCHEMA, taskFor, type RecordPayload } from '../domain/index.js'
import { silentLog, type Log } from '../action-kit/index.js'
import type {
  ApiDeployment,
  ApiStatus,
  DeploymentsApi,
  NewDeployment,
  StatusState,
} from './deployments-api.js'
import { GitHubError } from './errors.js'
import {
  abortOn,
  GitHubHistory,
  Listing,
  scopeOf,
  watchOn,
  writerOn,
  type AbortRequest,
  type GitHubWriter,
  type WalkWatch,
} from './github.js'
import type { GitHubContext, RecordSettings, RouterIdentity } from './settings.js'
import type { RecordState } from './types.js'

interface StoredDeployment extends ApiDeployment {
  statuses: ApiStatus[]
}

export class MemoryApi implements DeploymentsApi {
  readonly stored: StoredDeployment[] = []
  /** Calls made, a page of a listing counting as one. */
  calls = 0
  /** When set, every call throws it (an outage, a refused token). */
  failure: Error | undefined
  private nextId = 1
  private clock = Date.parse('2026-11-24T12:00:00Z')

  constructor(private readonly pageSize = 100) {}

  private call(): void {
    this.calls++
    if (this.failure) throw this.failure
  }

  private now(): string {
    return new Date((this.clock += 1000)).toISOString()
  }

  async createDeployment(input: NewDeployment): Promise<ApiDeployment> {
    this.call()
    const d: StoredDeployment = {
      id: this.nextId++,
      sha: input.ref,
      created_at: this.now(),
      environment: input.environment,
      task: input.task,
      payload: structuredClone(input.payload),
      statuses: [],
    }
    this.stored.push(d)
    return d
  }

  async getDeployment(id: number): Promise<ApiDeployment> {
    this.call()
    const d = this.stored.find((s) => s.id === id)
    if (!d) throw new GitHubError('not-found', `GitHub could not read deployment ${id}: 404`, 404)
    return d
  }

  async createStatus(
    id: number,
    state: StatusState,
    extra: { description?: string } = {},
  ): Promise<void> {
    this.call()
    const d = this.stored.find((s) => s.id === id)
    if (!d) throw new GitHubError('not-found', `no deployment ${id}`, 404)
    d.statuses.push({ state, description: extra.description ?? '', created_at: this.now() })
  }

  async latestStatus(id: number): Promise<ApiStatus | undefined> {
    this.call()
    return this.stored.find((s) => s.id === id)?.statuses.at(-1)
  }

  async statuses(id: number, count: number): Promise<ApiStatus[]> {
    this.call()
    return [...(this.stored.find((s) => s.id === id)?.statuses ?? [])].reverse().slice(0, count)
  }

  async *deployments(environment: string, task: string): AsyncGenerator<ApiDeployment> {
    const all = this.stored
      .filter((d) => d.environment === environment && d.task === task)
      .sort((a, b) => b.id - a.id)
    for (let i = 0; i < all.length || i === 0; i += this.pageSize) {
      this.call()
      yield* all.slice(i, i + this.pageSize)
    }
  }

  /** The states a deployment went through, oldest first. */
  states(id: number): string[] {
    return this.stored.find((s) => s.id === id)?.statuses.map((s) => s.state) ?? []
  }

  /** Adds a finished record directly (no call counted), for a history to read. */
  seed(payload: RecordPayload, environment: string, ...states: RecordState[]): number {
    const d: StoredDeployment = {
      id: this.nextId++,
      sha: '0123456789abcdef0123456789abcdef01234567',
      created_at: this.now(),
      environment,
      task: taskFor(payload.service),
      payload: structuredClone(payload),
      statuses: states.map((state) => ({ state, description: '', created_at: this.now() })),
    }
    this.stored.push(d)
    return d.id
  }
}

export interface MemoryRecordsOptions {
  settings?: Partial<RecordSettings>
  router?: RouterIdentity
  log?: Log
  api?: MemoryApi
}

/** A history and writers for one scope, all on one MemoryApi. */
export class MemoryRecords {
  readonly api: MemoryApi
  readonly settings: RecordSettings
  readonly router: RouterIdentity
  readonly history: GitHubHistory
  readonly context: GitHubContext = {
    apiUrl: 'memory:',
    repository: 'acme/orders',
    sha: '0123456789abcdef0123456789abcdef01234567',
    runUrl: 'https://github.com/acme/orders/actions/runs/1',
  }
  private readonly log: Log
  /** What this "run" read, shared by the history and the writers, as in one action run. */
  private readonly listing = new Listing()

  constructor(options: MemoryRecordsOptions = {}) {
    this.api = options.api ?? new MemoryApi()
    this.settings = {
      enabled: true,
      token: 'memory',
      environment: 'production',
      production: true,
      service: 'orders',
      ...options.settings,
    }
    this.router = options.router ?? { type: 'haproxy', name: 'haproxy web' }
    this.log = options.log ?? silentLog
    this.history = new GitHubHistory(
      async () => this.api,
      scopeOf(this.settings, this.router),
      this.context.repository,
      this.listing,
    )
  }

  /** A writer, as one run (one job) would have. */
  writer(): GitHubWriter {
    return writerOn(async () => this.api, this.settings, this.context, {
      router: this.router,
      log: this.log,
      listing: this.listing,
    })
  }

  /** request-abort, as a rollback run would post it. */
  requestAbort(reason: string): Promise<AbortRequest> {
    return abortOn(async () => this.api, this.history, this.context, reason, this.log)
  }

  /** A walk's watch of its deployment. */
  watch(deploymentId: () => number | undefined): WalkWatch {
    return watchOn(async () => this.api, deploymentId, this.log)
  }

  /** A complete schema-2 payload for this scope, for seeding. */
  payload(fields: Partial<RecordPayload> & Pick<RecordPayload, 'slot'>): RecordPayload {
    return {
      tool: 'cutover',
      schema: PAYLOAD_SCHEMA,
      service: this.settings.service,
      strategy: 'blue-green',
      router: this.router,
      weights: fields.slot === 'blue' ? { blue: 100, green: 0 } : { blue: 0, green: 100 },
      previous: { slot: fields.slot === 'blue' ? 'green' : 'blue' },
      ...fields,
    }
  }
}
