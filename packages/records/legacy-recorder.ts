/**
 * Deployment records on the repo's GitHub Environments: every traffic action creates one,
 * moves it through in_progress to success / failure / error, deactivates earlier successes
 * (GitHub does not for production environments), and finds "the last good deployment" for
 * rollback. Records never decide where traffic goes: an outage only costs the record.
 */
import {
  ConfigurationError,
  DeploymentFailed,
  errorMessage,
  quote,
  type Inputs,
  type Log,
} from '../action-kit/index.js'
import type { RouterConfig } from '../router/index.js'
import type { Slot, Weights } from '../router/index.js'
import type { DeploymentsApi, GitHubContext, RetryPolicy } from './legacy-github.js'

export const PAYLOAD_SCHEMA = 1

/** What every record's payload holds (never credentials). Versioned: readers check `schema`. */
export interface RecordPayload {
  tool: 'cutover'
  schema: typeof PAYLOAD_SCHEMA
  strategy: 'blue-green' | 'canary' | 'rollback'
  /** The slot this deployment puts traffic on. */
  slot: Slot
  weights: Weights
  image?: string
  previous: { slot: Slot | 'split'; deployment_id?: number }
  router: { type: string; address: string }
  /** canary: the slot that stays stable during the walk. */
  stable?: Slot
  /** rollback: the deployment it undid and the one it went back to. */
  rolled_back_id?: number
  restored_deployment_id?: number
  reason?: string
}

export interface RecordSettings {
  enabled: boolean
  environment: string
  token: string
  image?: string
  environmentUrl?: string
}

export interface GoodDeployment {
  id: number
  payload: RecordPayload
}

/** The shared inputs of the traffic actions: environment, token, record, image, environment-url. */
export function readRecordSettings(
  inputs: Inputs,
  secret: (value: string) => void,
): RecordSettings {
  const token = inputs.string('token')
  secret(token)
  const environment = inputs.string('environment') || 'production'
  if (environment.length > 255 || /[\n\r]/.test(environment)) {
    throw new ConfigurationError(
      `Input 'environment' has the value ${quote(environment)}; allowed: an environment name of at most 255 characters on one line.`,
    )
  }
  const environmentUrl = inputs.optional('environment-url')
  if (environmentUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(environmentUrl)) {
    throw new ConfigurationError(
      `Input 'environment-url' has the value ${quote(environmentUrl)}; allowed: an http:// or https:// URL.`,
    )
  }
  const image = inputs.optional('image')
  return {
    enabled: inputs.boolean('record', true),
    environment,
    token,
    ...(image ? { image } : {}),
    ...(environmentUrl ? { environmentUrl } : {}),
  }
}

export function githubContext(env: NodeJS.ProcessEnv = process.env): GitHubContext {
  const server = env.GITHUB_SERVER_URL || 'https://github.com'
  const repository = env.GITHUB_REPOSITORY || ''
  return {
    apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
    repository,
    sha: env.GITHUB_SHA || '',
    runUrl: `${server}/${repository}/actions/runs/${env.GITHUB_RUN_ID || ''}${env.GITHUB_RUN_ATTEMPT ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : ''}`,
  }
}

export function routerSummary(config: RouterConfig): RecordPayload['router'] {
  if (config.type === 'haproxy') {
    const a = config.address
    return { type: 'haproxy', address: a.kind === 'unix' ? a.path : `${a.host}:${a.port}` }
  }
  return {
    type: 'nginx',
    address: config.access.kind === 'local' ? config.access.upstreamFile : config.upstream,
  }
}

export function isOurs(payload: unknown): payload is RecordPayload {
  const p = payload as Partial<RecordPayload> | null
  return typeof p === 'object' && p !== null && p.tool === 'cutover' && p.schema === PAYLOAD_SCHEMA
}

export class Recorder {
  /** The record this run created, once started. */
  deploymentId?: number
  private missing = false

  private constructor(
    readonly settings: RecordSettings,
    /** Connects on first use: @actions/github is most of the bundle, and a rollback to a named slot moves traffic before it needs GitHub. */
    private readonly connect: (() => Promise<DeploymentsApi>) | undefined,
    private readonly log: Log,
  ) {}

  /** A recorder; without a token or with `record: false` it records nothing and says so once. */
  static async open(
    settings: RecordSettings,
    log: Log,
    context = githubContext(),
    retry?: RetryPolicy,
  ): Promise<Recorder> {
    if (!settings.enabled) {
      log.info('records: off (record: false)')
      return new Recorder(settings, undefined, log)
    }
    if (!settings.token) {
      log.warning(
        'records: no token, so no deployment is recorded. Pass `token: ${{ github.token }}` (the default in a workflow) and grant `deployments: write`.',
      )
      return new Recorder(settings, undefined, log)
    }
    let api: Promise<DeploymentsApi> | undefined
    const connect = () =>
      (api ??= import('./legacy-github.js').then(
        ({ DeploymentsApi }) => new DeploymentsApi(settings.token, context, log, retry),
      ))
    return new Recorder(settings, connect, log)
  }

  get active(): boolean {
    return this.connect !== undefined
  }

  /**
   * The newest deployment of the environment, created before `before` (a deployment id), that
   * reached `success` and never `failure`/`error`, was not rolled back, and carries our payload.
   */
  async lastGood(before?: number): Promise<GoodDeployment | undefined> {
    if (!this.connect) return undefined
    const api = await this.connect()
    const rolledBack = new Set<number>()
    for await (const d of api.deployments(this.settings.environment)) {
      if (!isOurs(d.payload)) continue
      if (d.payload.rolled_back_id !== undefined) rolledBack.add(d.payload.rolled_back_id)
      if (
        (before !== undefined && d.id >= before) ||
        rolledBack.has(d.id) ||
        d.id === this.deploymentId
      )
        continue
      const states = (await api.statuses(d.id)).map((s) => s.state)
      if (states.includes('success') && !states.includes('failure') && !states.includes('error'))
        return { id: d.id, payload: d.payload }
    }
    return undefined
  }

  /** The newest deployment of the environment that carries our payload, whatever its status. */
  async latest(): Promise<GoodDeployment | undefined> {
    if (!this.connect) return undefined
    const api = await this.connect()
    for await (const d of api.deployments(this.settings.environment)) {
      if (isOurs(d.payload) && d.id !== this.deploymentId) return { id: d.id, payload: d.payload }
    }
    return undefined
  }

  /**
   * Creates the record and marks it in_progress. A refused permission fails here, before traffic
   * moves (unless it already has); an outage (after retries) only costs the record, with a warning.
   */
  async start(
    payload: Omit<RecordPayload, 'tool' | 'schema' | 'previous'> & {
      previous: { slot: Slot | 'split' }
    },
    /** afterTraffic: the traffic already moved, so even a refused permission is only a warning. */
    options: { afterTraffic?: boolean } = {},
  ): Promise<void> {
    if (!this.connect) return
    try {
      const api = await this.connect()
      const current = await this.lastGood()
      const full: RecordPayload = {
        tool: 'cutover',
        schema: PAYLOAD_SCHEMA,
        ...payload,
        ...(payload.image || this.settings.image
          ? { image: payload.image ?? this.settings.image }
          : {}),
        previous: {
          slot: payload.previous.slot,
          ...(current ? { deployment_id: current.id } : {}),
        },
      }
      const created = await api.create({
        environment: this.settings.environment,
        task: `deploy:${payload.strategy}`,
        payload: full,
        production: this.settings.environment === 'production',
        description: `${payload.strategy} to ${payload.slot}${full.image ? ` (${full.image})` : ''}`,
      })
      this.deploymentId = created.id
      await api.status(created.id, 'in_progress', {
        description: `moving traffic to ${payload.slot}`,
      })
      this.log.info(
        `records: deployment ${created.id} in ${this.settings.environment} is in progress`,
      )
    } catch (e) {
      if (!options.afterTraffic && [401, 403].includes((e as { status?: number }).status ?? 0)) {
        throw new ConfigurationError(errorMessage(e))
      }
      this.missing = true
      this.log.warning(
        `records: the deployment record is missing: ${errorMessage(e)}. Traffic still moves; its outcome decides this step.`,
      )
    }
  }

  /** Marks the record with the step's outcome; after success, earlier successes become inactive. */
  async finish(outcome: 'success' | 'failure' | 'error', description: string): Promise<void> {
    if (!this.connect || this.deploymentId === undefined) {
      if (this.missing)
        this.log.warning(`records: no record of this ${outcome}: it could not be created.`)
      return
    }
    const id = this.deploymentId
    try {
      const api = await this.connect()
      await api.status(id, outcome, {
        description,
        ...(outcome === 'success' && this.settings.environmentUrl
          ? { environmentUrl: this.settings.environmentUrl }
          : {}),
      })
      if (outcome === 'success') await this.deactivateEarlier(api, id)
      this.log.info(`records: deployment ${id} is ${outcome}`)
    } catch (e) {
      this.log.warning(
        `records: deployment ${id} could not be marked ${outcome}: ${errorMessage(e)}. The traffic change stands; the record is incomplete.`,
      )
    }
  }

  /** Runs `step` between start and finish: DeploymentFailed is a failure, any other throw an error. */
  async around<T>(
    step: () => Promise<T>,
    judge: (result: T) => { outcome: 'success' | 'failure'; description: string },
  ): Promise<T> {
    let result: T
    try {
      result = await step()
    } catch (e) {
      await this.finish(e instanceof DeploymentFailed ? 'failure' : 'error', errorMessage(e))
      throw e
    }
    const { outcome, description } = judge(result)
    await this.finish(outcome, description)
    return result
  }

  private async deactivateEarlier(api: DeploymentsApi, id: number): Promise<void> {
    for await (const d of api.deployments(this.settings.environment)) {
      if (d.id >= id) continue
      const [latest] = await api.statuses(d.id)
      if (latest?.state === 'success') {
        await api.status(d.id, 'inactive', { description: `superseded by deployment ${id}` })
        this.log.debug(`records: deployment ${d.id} is now inactive`)
      }
    }
  }
}
