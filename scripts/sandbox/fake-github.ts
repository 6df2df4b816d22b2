/**
 * A local stand-in for GitHub's Deployments API and the GitHub App pieces around it, for tests
 * and the demo. It keeps deployments and
 * their statuses with GitHub's semantics (newest first, Link-header pagination, auto_inactive
 * for non-production environments only, 401/403/404 bodies as GitHub words them) and checks every
 * request and every response against GitHub's published OpenAPI description (the cut in
 * test/fixtures). A request that does not match is answered 422 and recorded in `violations`.
 *
 * The App side (`fake.app`): App JWTs verified with the App's public key (RS256, iss = app id,
 * exp at most 10 minutes), installation access tokens issued and accepted on later calls, the
 * contents API (`files`), workflow runs with a status (`runs`), the deployment protection rule
 * callback recorded as `reviews`, webhook deliveries signed with X-Hub-Signature-256 (or
 * mis-signed on request) whose payload is validated against the description's
 * deployment_protection_rule webhook, and GET /app/hook/deliveries listing what was delivered.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer, type ServerResponse } from 'node:http'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import {
  type FakeApp,
  fullRepositoryJson,
  generateApp,
  jwtProblem,
  REPOSITORY_ID,
  repositoryJson,
  signature1,
  signature256,
  userJson,
} from './fake-github-app.js'

export type { FakeApp } from './fake-github-app.js'

const SPEC = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../test/fixtures/github-deployments.openapi.json',
)

export interface FakeStatus {
  id: number
  state: string
  description: string
  environment: string
  log_url: string
  environment_url: string
  created_at: string
}

export interface FakeDeployment {
  id: number
  sha: string
  ref: string
  task: string
  payload: Record<string, unknown>
  environment: string
  description: string | null
  production_environment: boolean
  transient_environment: boolean
  created_at: string
  statuses: FakeStatus[]
}

export type Fault = { times: number; match?: RegExp } & (
  | { status: number }
  | { delayMs: number }
  /** Accepts the request and never answers (an API that hangs). */
  | { hang: true }
  /**
   * GitHub's primary rate limit: `status` (403 or 429) with x-ratelimit-remaining 0 and
   * x-ratelimit-reset `resetInS` seconds from now.
   */
  | { rateLimit: 'primary'; status: 403 | 429; resetInS: number }
  /** GitHub's secondary rate limit: `status` with Retry-After `retryAfterS`. */
  | { rateLimit: 'secondary'; status: 403 | 429; retryAfterS: number }
)

/** A workflow run as the protection rule sees it. */
export interface FakeRun {
  id: number
  status: 'queued' | 'in_progress' | 'waiting' | 'completed'
  conclusion: null | 'success' | 'failure' | 'cancelled'
  head_sha: string
  head_branch: string
  event: string
  created_at: string
  /** Environments whose custom protection rule (the App) has not decided yet in this run. */
  pending: string[]
}

/** One call to the deployment protection rule callback: a decision (state) or a progress comment. */
export interface FakeReview {
  runId: number
  environment: string
  state?: 'approved' | 'rejected'
  comment: string
  at: string
}

/** One webhook delivery the fake sent to the App (GET /app/hook/deliveries lists them). */
export interface FakeDelivery {
  id: number
  guid: string
  delivered_at: string
  redelivery: boolean
  /** Seconds the App took to answer. */
  duration: number
  status: string
  status_code: number
  event: string
  action: string
  installation_id: number
  repository_id: number
  url: string
  runId: number
  environment: string
  request: { headers: Record<string, string>; payload: Record<string, unknown> }
  response: { headers: Record<string, string>; payload: string | null }
}

export interface ProtectionRuleDelivery {
  /** Where the App listens, e.g. http://127.0.0.1:3000/webhook. */
  url: string
  /** The environment whose rule is the App (the pause environment). */
  environment: string
  runId: number
  sha: string
  ref: string
  /** The deployment GitHub created for the waiting job; default: a new one in `environment`. */
  deploymentId?: number
  /** X-GitHub-Delivery; pass an earlier one to replay it. Default: a new GUID. */
  delivery?: string
  /** Sign with this secret instead of the App's (a forged delivery); null: no signature header. */
  signWith?: string | null
  /** The event that started the run (default push). */
  event?: string
  /** How long to wait for the App's answer (GitHub gives up after 10 s). */
  timeoutMs?: number
}

export interface FakeGitHub {
  url: string
  token: string
  /** The GitHub App: its id, private key (PEM), webhook secret and its one installation. */
  app: FakeApp
  /** Workflow runs, for GET /actions/runs/{id} and the protection rule callback. */
  runs: FakeRun[]
  /** Creates a workflow run (status queued unless given). */
  addRun(options?: {
    id?: number
    sha?: string
    ref?: string
    event?: string
    status?: FakeRun['status']
  }): FakeRun
  /** Serves `content` at `path` for `ref` (a sha or branch) through the contents API; repo is owner/name. */
  files(repo: string, ref: string, path: string, content: string): void
  /** Every call to the deployment protection rule callback, in order. */
  reviews: FakeReview[]
  /** Resolves with the App's decision for the run's environment after its latest delivery; rejects after timeoutMs. */
  waitForReview(runId: number, environment: string, timeoutMs: number): Promise<FakeReview>
  /** Sends a deployment_protection_rule `requested` event to the App, signed (or not) as asked. */
  deliverProtectionRule(
    options: ProtectionRuleDelivery,
  ): Promise<{ status: number; deliveryId: string; body: string }>
  /** What the fake delivered, oldest first. */
  deliveries: FakeDelivery[]
  deployments: FakeDeployment[]
  /** Every request as received: method, path with query, parsed body; `fault` when one was injected. */
  requests: { method: string; path: string; body: unknown; fault?: string }[]
  /** API calls made: requests not failed by an injected fault (a retry of a failed call is not a new call). */
  calls(): number
  /** Requests or responses that did not match GitHub's OpenAPI description. */
  violations: string[]
  /** The next `times` matching requests fail with `status` (GitHub's body for it) or are answered after `delayMs`. */
  inject(fault: Fault): void
  /**
   * Stores `count` earlier cutover deployments of `service` directly (no requests), oldest first,
   * alternating green/blue with an image each: all inactive except the newest, which is live.
   * Returns their ids.
   */
  seed(options: {
    count: number
    service?: string
    router: { type: string; name: string }
    environment?: string
  }): number[]
  /** How POST /deployments answers: 'create' (201), 'merge' (202), 'conflict' (409). */
  createMode: 'create' | 'merge' | 'conflict'
  stop(): Promise<void>
}

interface Operation {
  pattern: RegExp
  /** Whether the path starts with /repos/{owner}/{repo} (then the fake's one repository). */
  inRepo: boolean
  /** An optional body (POST access_tokens) is checked only when one is sent. */
  bodyRequired: boolean
  method: string
  template: string
  request?: ValidateFunction
  query: { name: string; validate: ValidateFunction }[]
  responses: Map<string, ValidateFunction>
}

/**
 * OpenAPI 3.0's `nullable: true` beside `anyOf`/`allOf` and no `type` (as in the workflow run's
 * pull requests) is `anyOf: [schema, null]` in JSON Schema; Ajv accepts `nullable` only beside
 * `type`.
 */
function nullables(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(nullables)
  if (node === null || typeof node !== 'object') return node
  const entries = Object.entries(node).map(([k, v]) => [k, nullables(v)] as const)
  const out = Object.fromEntries(entries) as Record<string, unknown>
  if (out.nullable === true && out.type === undefined) {
    delete out.nullable
    return { anyOf: [out, { type: 'null' }] }
  }
  return out
}

function compileOperations(): { ops: Operation[]; webhooks: Map<string, ValidateFunction> } {
  const spec = nullables(JSON.parse(readFileSync(SPEC, 'utf8'))) as {
    paths: Record<string, Record<string, Record<string, unknown>>>
    'x-webhooks'?: Record<
      string,
      { post: { requestBody: { content: Record<string, { schema: object }> } } }
    >
  }
  const ajv = new Ajv({ strict: false, allErrors: true, coerceTypes: false })
  addFormats.default(ajv)
  const webhooks = new Map<string, ValidateFunction>()
  for (const [name, hook] of Object.entries(spec['x-webhooks'] ?? {})) {
    const schema = hook.post.requestBody.content['application/json']?.schema
    if (schema) webhooks.set(name, ajv.compile(schema))
  }
  const ops: Operation[] = []
  for (const [template, methods] of Object.entries(spec.paths)) {
    // {path} (the contents API) spans slashes; every other parameter is one segment.
    const pattern = new RegExp(
      `^${template.replace(/\{path\}/g, '(.+)').replace(/\{[^}]+\}/g, '([^/]+)')}$`,
    )
    for (const [method, op] of Object.entries(methods)) {
      const requestBody = op.requestBody as
        { required?: boolean; content?: Record<string, { schema: object }> } | undefined
      const body = requestBody?.content?.['application/json']?.schema
      const parameters = (op.parameters ?? []) as { name: string; in: string; schema: object }[]
      const responses = new Map<string, ValidateFunction>()
      for (const [status, response] of Object.entries(
        (op.responses ?? {}) as Record<string, { content?: Record<string, { schema: object }> }>,
      )) {
        const schema = response.content?.['application/json']?.schema
        if (schema) responses.set(status, ajv.compile(schema))
      }
      ops.push({
        pattern,
        inRepo: template.startsWith('/repos/{owner}/{repo}/'),
        method: method.toUpperCase(),
        template,
        ...(body ? { request: ajv.compile(body) } : {}),
        bodyRequired: requestBody?.required === true,
        query: parameters
          .filter((p) => p.in === 'query')
          .map((p) => ({ name: p.name, validate: ajv.compile(p.schema) })),
        responses,
      })
    }
  }
  return { ops, webhooks }
}

const MESSAGES: Record<number, string> = {
  401: 'Requires authentication',
  403: 'Resource not accessible by integration',
  404: 'Not Found',
  500: 'Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
}

export async function startFakeGitHub(
  options: {
    token?: string
    owner?: string
    repo?: string
    /**
     * 'fixed' (default): created_at starts at 2026-11-24T12:00:00Z and each write is 1 s later
     * (stable across runs). 'real': the wall clock (strictly increasing), for consumers that
     * measure real time from a record, e.g. a gate judging the pause since a step's status.
     */
    clock?: 'fixed' | 'real'
  } = {},
): Promise<FakeGitHub> {
  const { ops, webhooks } = compileOperations()
  const { publicKey, ...app } = generateApp()
  const owner = options.owner ?? 'acme'
  const repoName = options.repo ?? 'orders'
  /** Installation tokens issued: token -> expiry (ms). */
  const installationTokens = new Map<string, number>()
  const contents = new Map<string, string>()
  /** Per run and environment, where in `reviews` the latest delivery's answer starts. */
  const reviewFrom = new Map<string, number>()
  const reviewWaiters: (() => void)[] = []
  let nextRunId = 9000
  let nextDeliveryId = 1
  const token = options.token ?? 'ghs_fake_token_for_tests'
  const repoPath = `/repos/${owner}/${repoName}`
  const faults: (Fault & { left: number })[] = []
  let nextId = 1000
  let clock = Date.parse('2026-11-24T12:00:00Z')
  const now = () =>
    new Date(
      options.clock === 'real' ? (clock = Math.max(Date.now(), clock + 1)) : (clock += 1000),
    ).toISOString()

  const fake: FakeGitHub = {
    url: '',
    token,
    app,
    runs: [],
    reviews: [],
    deliveries: [],
    addRun: ({ id, sha, ref, event, status } = {}) => {
      const run: FakeRun = {
        id: id ?? nextRunId++,
        status: status ?? 'queued',
        conclusion: null,
        head_sha: sha ?? '0123456789abcdef0123456789abcdef01234567',
        head_branch: ref ?? 'main',
        event: event ?? 'push',
        created_at: now(),
        pending: [],
      }
      fake.runs.push(run)
      return run
    },
    files: (repo, ref, path, content) => {
      if (repo !== `${owner}/${repoName}`)
        throw new Error(`fake GitHub serves ${owner}/${repoName} only, not ${repo}`)
      contents.set(`${ref}\n${path.replace(/^\/+/, '')}`, content)
    },
    waitForReview: (runId, environment, timeoutMs) =>
      new Promise<FakeReview>((resolve, reject) => {
        const key = `${runId}\n${environment}`
        const check = () => {
          const found = fake.reviews
            .slice(reviewFrom.get(key) ?? 0)
            .find((r) => r.runId === runId && r.environment === environment && r.state)
          if (!found) return false
          clearTimeout(timer)
          resolve(found)
          return true
        }
        const timer = setTimeout(() => {
          const at = reviewWaiters.indexOf(waiter)
          if (at >= 0) reviewWaiters.splice(at, 1)
          reject(
            new Error(
              `no decision from the App for run ${runId}, environment ${environment} within ${timeoutMs} ms`,
            ),
          )
        }, timeoutMs)
        const waiter = () => {
          if (check()) reviewWaiters.splice(reviewWaiters.indexOf(waiter), 1)
        }
        if (!check()) reviewWaiters.push(waiter)
      }),
    deliverProtectionRule: (delivery) => deliver(delivery),
    deployments: [],
    requests: [],
    violations: [],
    createMode: 'create',
    inject: (fault) => faults.push({ ...fault, left: fault.times }),
    calls: () => fake.requests.filter((r) => r.fault === undefined).length,
    seed: ({ count, service = 'orders', router, environment = 'production' }) => {
      const ids: number[] = []
      for (let i = 1; i <= count; i++) {
        const id = nextId++
        const slot = i % 2 === 1 ? 'green' : 'blue'
        const at = now()
        const status = (state: string): FakeStatus => ({
          id: nextId++,
          state,
          description: '',
          environment,
          log_url: 'https://github.com/acme/orders/actions/runs/1',
          environment_url: '',
          created_at: at,
        })
        fake.deployments.push({
          id,
          sha: '0123456789abcdef0123456789abcdef01234567',
          ref: 'main',
          task: `deploy:${service}`,
          payload: {
            tool: 'cutover',
            schema: 2,
            service,
            strategy: 'blue-green',
            router,
            slot,
            image: `registry.local/${service}@sha256:${String(id).padStart(64, '0')}`,
            weights: slot === 'blue' ? { blue: 100, green: 0 } : { blue: 0, green: 100 },
            previous: { slot: slot === 'blue' ? 'green' : 'blue' },
          },
          environment,
          description: null,
          production_environment: environment === 'production',
          transient_environment: false,
          created_at: at,
          statuses: [
            status('in_progress'),
            status('success'),
            ...(i === count ? [] : [status('inactive')]),
          ],
        })
        ids.push(id)
      }
      return ids
    },
    stop: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }

  const user = {
    login: 'github-actions[bot]',
    id: 41898282,
    node_id: 'MDM6Qm90NDE4OTgyODI=',
    avatar_url: 'https://avatars.githubusercontent.com/in/15368?v=4',
    gravatar_id: '',
    url: 'https://api.github.com/users/github-actions%5Bbot%5D',
    html_url: 'https://github.com/apps/github-actions',
    followers_url: 'https://api.github.com/users/github-actions%5Bbot%5D/followers',
    following_url: 'https://api.github.com/users/github-actions%5Bbot%5D/following{/other_user}',
    gists_url: 'https://api.github.com/users/github-actions%5Bbot%5D/gists{/gist_id}',
    starred_url: 'https://api.github.com/users/github-actions%5Bbot%5D/starred{/owner}{/repo}',
    subscriptions_url: 'https://api.github.com/users/github-actions%5Bbot%5D/subscriptions',
    organizations_url: 'https://api.github.com/users/github-actions%5Bbot%5D/orgs',
    repos_url: 'https://api.github.com/users/github-actions%5Bbot%5D/repos',
    events_url: 'https://api.github.com/users/github-actions%5Bbot%5D/events{/privacy}',
    received_events_url: 'https://api.github.com/users/github-actions%5Bbot%5D/received_events',
    type: 'Bot',
    site_admin: false,
  }
  const base = () => `https://api.github.com${repoPath}`
  const deploymentJson = (d: FakeDeployment) => ({
    url: `${base()}/deployments/${d.id}`,
    id: d.id,
    node_id: `DE_${d.id}`,
    sha: d.sha,
    ref: d.ref,
    task: d.task,
    payload: d.payload,
    original_environment: d.environment,
    environment: d.environment,
    description: d.description,
    creator: user,
    created_at: d.created_at,
    updated_at: d.statuses[d.statuses.length - 1]?.created_at ?? d.created_at,
    statuses_url: `${base()}/deployments/${d.id}/statuses`,
    repository_url: base(),
    transient_environment: d.transient_environment,
    production_environment: d.production_environment,
    performed_via_github_app: null,
  })
  const statusJson = (d: FakeDeployment, s: FakeStatus) => ({
    url: `${base()}/deployments/${d.id}/statuses/${s.id}`,
    id: s.id,
    node_id: `DES_${s.id}`,
    state: s.state,
    creator: user,
    description: s.description,
    environment: s.environment,
    created_at: s.created_at,
    updated_at: s.created_at,
    deployment_url: `${base()}/deployments/${d.id}`,
    repository_url: base(),
    // The description types these as URIs, so empty ones are left out rather than sent as "".
    ...(s.log_url ? { target_url: s.log_url, log_url: s.log_url } : {}),
    ...(s.environment_url ? { environment_url: s.environment_url } : {}),
    performed_via_github_app: null,
  })

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const raw = Buffer.concat(chunks).toString('utf8')
    const url = new URL(req.url ?? '/', 'http://fake')
    let body: unknown
    try {
      body = raw ? JSON.parse(raw) : undefined
    } catch {
      return send(res, 400, { message: 'Problems parsing JSON' })
    }
    const request: FakeGitHub['requests'][number] = {
      method: req.method ?? '',
      path: url.pathname + url.search,
      body,
    }
    fake.requests.push(request)

    const fault = faults.find(
      (f) => f.left > 0 && (!f.match || f.match.test(`${req.method} ${url.pathname}`)),
    )
    if (fault) {
      fault.left -= 1
      if ('delayMs' in fault) await new Promise((r) => setTimeout(r, fault.delayMs))
      else if ('hang' in fault) {
        request.fault = 'hang'
        return // the socket stays open, unanswered, until the client gives up or stop()
      } else if ('rateLimit' in fault) {
        request.fault = `${fault.rateLimit} rate limit`
        return send(res, fault.status, ...rateLimited(fault))
      } else {
        request.fault = String(fault.status)
        return send(res, fault.status, {
          message: MESSAGES[fault.status] ?? 'Error',
          documentation_url: 'https://docs.github.com/rest',
          status: String(fault.status),
        })
      }
    }
    const op = ops.find((o) => o.method === req.method && o.pattern.test(url.pathname))
    // /app/... answers to the App's JWT only; the repository's endpoints to the fake's token or
    // an installation token the fake issued (and has not expired).
    const credential = /^(?:token|bearer) (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? ''
    const installationToken = (installationTokens.get(credential) ?? 0) > Date.now()
    if (op ? !op.inRepo : url.pathname.startsWith('/app')) {
      const problem = jwtProblem(credential, publicKey, app.id)
      if (problem)
        return send(res, 401, {
          message: problem,
          documentation_url: 'https://docs.github.com/rest',
        })
    } else if (credential !== token && !installationToken) {
      return send(res, 401, {
        message: MESSAGES[401],
        documentation_url: 'https://docs.github.com/rest',
      })
    }
    if (!op || (op.inRepo && !url.pathname.startsWith(`${repoPath}/`)))
      return send(res, 404, {
        message: MESSAGES[404],
        documentation_url: 'https://docs.github.com/rest',
      })
    const params = (op.pattern.exec(url.pathname) ?? []).slice(1).map(decodeURIComponent)

    const problems: string[] = []
    if (op.request && (body !== undefined || op.bodyRequired) && !op.request(body))
      problems.push(`body: ${JSON.stringify(op.request.errors)}`)
    for (const [name, value] of url.searchParams) {
      const param = op.query.find((q) => q.name === name)
      if (!param) problems.push(`unknown query parameter ${name}`)
      else if (
        !param.validate(/^\d+$/.test(value) ? Number(value) : value) &&
        !param.validate(value)
      )
        problems.push(`query ${name}=${value}: ${JSON.stringify(param.validate.errors)}`)
    }
    if (problems.length > 0) {
      const message = `${req.method} ${op.template} does not match GitHub's OpenAPI description: ${problems.join('; ')}`
      fake.violations.push(message)
      return send(res, 422, { message, documentation_url: 'https://docs.github.com/rest' })
    }
    const id = Number(/\/deployments\/(\d+)/.exec(url.pathname)?.[1])
    const deployment = fake.deployments.find((d) => d.id === id)
    const reply = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      const validate = op.responses.get(String(status))
      if (validate && !validate(json)) {
        fake.violations.push(
          `response ${status} to ${req.method} ${op.template} does not match: ${JSON.stringify(validate.errors)}`,
        )
        return send(res, 500, { message: 'fake GitHub produced an invalid response' })
      }
      send(res, status, json, headers)
    }

    const input = (body ?? {}) as Record<string, unknown>
    switch (`${req.method} ${op.template}`) {
      case 'POST /repos/{owner}/{repo}/deployments': {
        if (fake.createMode === 'merge')
          return reply(202, { message: `Auto-merged main into ${input.ref} on deployment.` })
        if (fake.createMode === 'conflict')
          return reply(409, { message: `Conflict merging main into ${input.ref}.` })
        const environment = String(input.environment ?? 'production')
        const d: FakeDeployment = {
          id: nextId++,
          sha: /^[0-9a-f]{40}$/.test(String(input.ref))
            ? String(input.ref)
            : '0123456789abcdef0123456789abcdef01234567',
          ref: String(input.ref),
          task: String(input.task ?? 'deploy'),
          payload: (typeof input.payload === 'string'
            ? JSON.parse(input.payload || '{}')
            : (input.payload ?? {})) as Record<string, unknown>,
          environment,
          description: (input.description as string | null | undefined) ?? null,
          production_environment: Boolean(
            input.production_environment ?? environment === 'production',
          ),
          transient_environment: Boolean(input.transient_environment ?? false),
          created_at: now(),
          statuses: [],
        }
        fake.deployments.push(d)
        return reply(201, deploymentJson(d))
      }
      case 'GET /repos/{owner}/{repo}/deployments': {
        const q = url.searchParams
        const all = fake.deployments
          .filter((d) =>
            ['sha', 'ref', 'task', 'environment'].every(
              (k) => !q.has(k) || String(d[k as keyof FakeDeployment]) === q.get(k),
            ),
          )
          .sort((a, b) => b.id - a.id)
        return reply(200, ...page(all.map(deploymentJson), q, url.pathname))
      }
      case 'GET /repos/{owner}/{repo}/deployments/{deployment_id}':
        return deployment
          ? reply(200, deploymentJson(deployment))
          : reply(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' })
      case 'GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses':
        if (!deployment)
          return reply(404, {
            message: 'Not Found',
            documentation_url: 'https://docs.github.com/rest',
          })
        return reply(
          200,
          ...page(
            [...deployment.statuses].reverse().map((s) => statusJson(deployment, s)),
            url.searchParams,
            url.pathname,
          ),
        )
      case 'POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses': {
        if (!deployment)
          return reply(404, {
            message: 'Not Found',
            documentation_url: 'https://docs.github.com/rest',
          })
        const status: FakeStatus = {
          id: nextId++,
          state: String(input.state),
          description: String(input.description ?? ''),
          environment: String(input.environment ?? deployment.environment),
          log_url: String(input.log_url ?? input.target_url ?? ''),
          environment_url: String(input.environment_url ?? ''),
          created_at: now(),
        }
        deployment.statuses.push(status)
        // GitHub's auto_inactive: earlier non-transient, non-production deployments of the
        // environment get an inactive status. Production ones are left as they were.
        if (status.state === 'success' && input.auto_inactive !== false) {
          for (const other of fake.deployments) {
            if (other.id === deployment.id || other.environment !== deployment.environment) continue
            if (
              other.transient_environment ||
              other.production_environment ||
              other.id > deployment.id
            )
              continue
            other.statuses.push({ ...status, id: nextId++, state: 'inactive', created_at: now() })
          }
        }
        return reply(201, statusJson(deployment, status))
      }
    }
    switch (`${req.method} ${op.template}`) {
      case 'GET /app/installations':
        return reply(200, [installationJson()])
      case 'POST /app/installations/{installation_id}/access_tokens': {
        if (Number(params[0]) !== app.installationId)
          return reply(404, {
            message: 'Not Found',
            documentation_url: 'https://docs.github.com/rest',
          })
        const issued = `ghs_${randomBytes(18).toString('hex')}`
        const expires = Date.now() + 3600_000
        installationTokens.set(issued, expires)
        return reply(201, {
          token: issued,
          expires_at: new Date(expires).toISOString().replace(/\.\d+Z$/, 'Z'),
          permissions: APP_PERMISSIONS,
          repository_selection: 'selected',
        })
      }
      case 'GET /app/hook/deliveries': {
        const q = url.searchParams
        const perPage = Math.min(Number(q.get('per_page') ?? 30), 100)
        const before = Number(/^v1_(\d+)$/.exec(q.get('cursor') ?? '')?.[1] ?? Infinity)
        const wanted = q.get('status')
        const all = [...fake.deliveries]
          .reverse()
          .filter((d) => d.id < before)
          .filter(
            (d) =>
              !wanted || (wanted === 'success') === (d.status_code >= 200 && d.status_code < 300),
          )
        const items = all.slice(0, perPage)
        const headers: Record<string, string> = {}
        if (all.length > perPage) {
          const next = new URLSearchParams(q)
          next.set('cursor', `v1_${items[items.length - 1]!.id}`)
          headers.link = `<${fake.url}${url.pathname}?${next}>; rel="next"`
        }
        return reply(200, items.map(deliverySummary), headers)
      }
      case 'GET /app/hook/deliveries/{delivery_id}': {
        const d = fake.deliveries.find((x) => String(x.id) === params[0])
        if (!d)
          return send(res, 404, {
            message: 'Not Found',
            documentation_url: 'https://docs.github.com/rest',
          })
        return reply(200, {
          ...deliverySummary(d),
          url: d.url,
          request: d.request,
          response: d.response,
        })
      }
      case 'GET /repos/{owner}/{repo}/contents/{path}': {
        const path = params[2] ?? ''
        const ref = url.searchParams.get('ref') ?? 'main'
        const text = contents.get(`${ref}\n${path}`)
        if (text === undefined)
          return reply(404, {
            message: 'Not Found',
            documentation_url: 'https://docs.github.com/rest/repos/contents#get-repository-content',
            status: '404',
          })
        if (/application\/vnd\.github(?:\.v3)?\.raw/.test(req.headers.accept ?? '')) {
          res.writeHead(200, {
            'content-type': 'application/vnd.github.raw; charset=utf-8',
            'content-length': Buffer.byteLength(text),
          })
          return res.end(text)
        }
        const blob = createHash('sha1')
          .update(`blob ${Buffer.byteLength(text)}\0${text}`)
          .digest('hex')
        const self = `${base()}/contents/${path}?ref=${encodeURIComponent(ref)}`
        const html = `https://github.com/${owner}/${repoName}/blob/${ref}/${path}`
        const git = `${base()}/git/blobs/${blob}`
        return reply(200, {
          type: 'file',
          encoding: 'base64',
          size: Buffer.byteLength(text),
          name: path.split('/').pop(),
          path,
          // GitHub wraps the base64 every 60 characters.
          content:
            (
              Buffer.from(text)
                .toString('base64')
                .match(/.{1,60}/g) ?? []
            ).join('\n') + '\n',
          sha: blob,
          url: self,
          git_url: git,
          html_url: html,
          download_url: `https://raw.githubusercontent.com/${owner}/${repoName}/${ref}/${path}`,
          _links: { self, git, html },
        })
      }
      case 'GET /repos/{owner}/{repo}/actions/runs/{run_id}': {
        const run = fake.runs.find((r) => String(r.id) === params[2])
        if (!run)
          return send(res, 404, {
            message: 'Not Found',
            documentation_url: 'https://docs.github.com/rest',
          })
        return reply(200, runJson(run))
      }
      case 'POST /repos/{owner}/{repo}/actions/runs/{run_id}/deployment_protection_rule': {
        // Only the App (an installation token) may answer a custom rule, never GITHUB_TOKEN.
        if (!installationToken)
          return send(res, 403, {
            message: MESSAGES[403],
            documentation_url: 'https://docs.github.com/rest',
          })
        const run = fake.runs.find((r) => String(r.id) === params[2])
        if (!run)
          return send(res, 404, {
            message: 'Not Found',
            documentation_url: 'https://docs.github.com/rest',
          })
        const environment = String(input.environment_name)
        if (!run.pending.includes(environment))
          return send(res, 422, {
            message: `No pending deployment protection rule for environment ${environment} in run ${run.id}`,
            documentation_url: 'https://docs.github.com/rest',
          })
        const state = input.state as FakeReview['state'] | undefined
        fake.reviews.push({
          runId: run.id,
          environment,
          ...(state ? { state } : {}),
          comment: String(input.comment ?? ''),
          at: new Date().toISOString(),
        })
        if (state) {
          run.pending = run.pending.filter((e) => e !== environment)
          run.status = run.pending.length > 0 ? 'waiting' : 'in_progress'
        }
        for (const waiter of [...reviewWaiters]) waiter()
        res.writeHead(204)
        return res.end()
      }
    }
    return send(res, 404, { message: 'Not Found' })
  })

  const APP_PERMISSIONS = {
    actions: 'read',
    contents: 'read',
    deployments: 'read',
    metadata: 'read',
  } as const

  function installationJson() {
    return {
      id: app.installationId,
      // The description types the account as user AND enterprise (allOf), so it gets both's fields.
      account: {
        ...userJson(owner, 9001),
        type: 'Organization',
        name: owner,
        slug: owner,
        created_at: '2026-01-05T09:00:00Z',
        updated_at: '2026-11-20T09:00:00Z',
      },
      repository_selection: 'selected',
      access_tokens_url: `https://api.github.com/app/installations/${app.installationId}/access_tokens`,
      repositories_url: 'https://api.github.com/installation/repositories',
      html_url: `https://github.com/organizations/${owner}/settings/installations/${app.installationId}`,
      app_id: app.id,
      app_slug: 'cutover-protection-rule',
      target_id: 9001,
      target_type: 'Organization',
      permissions: APP_PERMISSIONS,
      events: ['deployment_protection_rule'],
      created_at: '2026-11-01T09:00:00Z',
      updated_at: '2026-11-01T09:00:00Z',
      single_file_name: null,
      has_multiple_single_files: false,
      single_file_paths: [],
      suspended_by: null,
      suspended_at: null,
    }
  }

  function deliverySummary(d: FakeDelivery) {
    return {
      id: d.id,
      guid: d.guid,
      delivered_at: d.delivered_at,
      redelivery: d.redelivery,
      duration: d.duration,
      status: d.status,
      status_code: d.status_code,
      event: d.event,
      action: d.action,
      installation_id: d.installation_id,
      repository_id: d.repository_id,
      throttled_at: null,
    }
  }

  function runJson(r: FakeRun) {
    const url = `${base()}/actions/runs/${r.id}`
    return {
      id: r.id,
      name: 'deploy',
      node_id: `WFR_${r.id}`,
      check_suite_id: r.id + 500000,
      check_suite_node_id: `CS_${r.id}`,
      head_branch: r.head_branch,
      head_sha: r.head_sha,
      path: '.github/workflows/deploy.yml',
      run_number: r.id % 1000,
      run_attempt: 1,
      event: r.event,
      display_title: 'deploy',
      status: r.status,
      conclusion: r.conclusion,
      workflow_id: 161335,
      url,
      html_url: `https://github.com/${owner}/${repoName}/actions/runs/${r.id}`,
      pull_requests: [],
      created_at: r.created_at,
      updated_at: r.created_at,
      run_started_at: r.created_at,
      actor: userJson('octocat', 583231),
      triggering_actor: userJson('octocat', 583231),
      jobs_url: `${url}/jobs`,
      logs_url: `${url}/logs`,
      check_suite_url: `${base()}/check-suites/${r.id + 500000}`,
      artifacts_url: `${url}/artifacts`,
      cancel_url: `${url}/cancel`,
      rerun_url: `${url}/rerun`,
      previous_attempt_url: null,
      workflow_url: `${base()}/actions/workflows/161335`,
      head_commit: {
        id: r.head_sha,
        tree_id: r.head_sha,
        message: 'release',
        timestamp: r.created_at,
        author: { name: 'Octo Cat', email: 'octocat@github.com' },
        committer: { name: 'GitHub', email: 'noreply@github.com' },
      },
      repository: repositoryJson(owner, repoName),
      head_repository: repositoryJson(owner, repoName),
    }
  }

  async function deliver(
    d: ProtectionRuleDelivery,
  ): Promise<{ status: number; deliveryId: string; body: string }> {
    const run =
      fake.runs.find((r) => r.id === d.runId) ??
      fake.addRun({ id: d.runId, sha: d.sha, ref: d.ref, event: d.event ?? 'push' })
    if (!run.pending.includes(d.environment)) run.pending.push(d.environment)
    run.status = 'waiting'
    reviewFrom.set(`${run.id}\n${d.environment}`, fake.reviews.length)
    let deployment = fake.deployments.find((x) => x.id === d.deploymentId)
    if (d.deploymentId !== undefined && !deployment)
      throw new Error(`fake GitHub has no deployment ${d.deploymentId}`)
    if (!deployment) {
      // The deployment GitHub creates for the job that waits on the environment.
      deployment = {
        id: nextId++,
        sha: d.sha,
        ref: d.ref,
        task: 'deploy',
        payload: {},
        environment: d.environment,
        description: null,
        production_environment: false,
        transient_environment: false,
        created_at: now(),
        statuses: [],
      }
      fake.deployments.push(deployment)
    }
    const payload = {
      action: 'requested',
      environment: d.environment,
      event: d.event ?? run.event,
      sha: d.sha,
      ref: d.ref,
      deployment_callback_url: `${fake.url}${repoPath}/actions/runs/${run.id}/deployment_protection_rule`,
      deployment: deploymentJson(deployment),
      pull_requests: [],
      repository: fullRepositoryJson(owner, repoName),
      installation: {
        id: app.installationId,
        node_id: `MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9u${app.installationId}`,
      },
      sender: userJson('octocat', 583231),
    }
    const validate = webhooks.get('deployment-protection-rule-requested')
    if (!validate)
      throw new Error('the OpenAPI fixture has no deployment-protection-rule-requested webhook')
    if (!validate(payload)) {
      const message = `deployment_protection_rule payload does not match GitHub's OpenAPI description: ${JSON.stringify(validate.errors)}`
      fake.violations.push(message)
      throw new Error(message)
    }
    const body = JSON.stringify(payload)
    const guid = d.delivery ?? randomUUID()
    const redelivery = fake.deliveries.some((x) => x.guid === guid)
    const secret = d.signWith === undefined ? app.webhookSecret : d.signWith
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/fake000',
      'x-github-event': 'deployment_protection_rule',
      'x-github-delivery': guid,
      'x-github-hook-id': '500100',
      'x-github-hook-installation-target-id': String(app.id),
      'x-github-hook-installation-target-type': 'integration',
      ...(secret === null
        ? {}
        : {
            'x-hub-signature': signature1(body, secret),
            'x-hub-signature-256': signature256(body, secret),
          }),
    }
    const started = Date.now()
    let statusCode = 0
    let status = 'OK'
    let text = ''
    let responseHeaders: Record<string, string> = {}
    try {
      const response = await fetch(d.url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(d.timeoutMs ?? 10_000),
      })
      statusCode = response.status
      text = await response.text()
      responseHeaders = Object.fromEntries(response.headers)
      if (statusCode < 200 || statusCode >= 300) status = `Invalid HTTP Response: ${statusCode}`
    } catch (error) {
      status =
        (error as Error).name === 'TimeoutError'
          ? 'timed out'
          : `failed to connect: ${(error as Error).message}`
    }
    fake.deliveries.push({
      id: nextDeliveryId++,
      guid,
      delivered_at: new Date(started).toISOString().replace(/\.\d+Z$/, 'Z'),
      redelivery,
      duration: (Date.now() - started) / 1000,
      status,
      status_code: statusCode,
      event: 'deployment_protection_rule',
      action: 'requested',
      installation_id: app.installationId,
      repository_id: REPOSITORY_ID,
      url: d.url,
      runId: run.id,
      environment: d.environment,
      request: { headers, payload },
      response: { headers: responseHeaders, payload: text || null },
    })
    return { status: statusCode, deliveryId: guid, body: text }
  }

  /** GitHub's words and headers for its two rate limits. */
  function rateLimited(
    fault: Extract<Fault, { rateLimit: string }>,
  ): [unknown, Record<string, string>] {
    const nowS = Math.floor(Date.now() / 1000)
    if (fault.rateLimit === 'primary')
      return [
        {
          message: 'API rate limit exceeded for installation ID 4242.',
          documentation_url:
            'https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting',
        },
        {
          'x-ratelimit-limit': '1000',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-used': '1000',
          'x-ratelimit-reset': String(nowS + fault.resetInS),
          'x-ratelimit-resource': 'core',
        },
      ]
    return [
      {
        message:
          'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.',
        documentation_url:
          'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
      },
      { 'retry-after': String(fault.retryAfterS) },
    ]
  }

  function page<T>(
    items: T[],
    q: URLSearchParams,
    pathname: string,
  ): [T[], Record<string, string>] {
    const perPage = Math.min(Number(q.get('per_page') ?? 30), 100)
    const pageNo = Number(q.get('page') ?? 1)
    const last = Math.max(1, Math.ceil(items.length / perPage))
    const link = (p: number, rel: string) => {
      const next = new URLSearchParams(q)
      next.set('page', String(p))
      return `<${fake.url}${pathname}?${next}>; rel="${rel}"`
    }
    const links = [
      pageNo < last && link(pageNo + 1, 'next'),
      pageNo < last && link(last, 'last'),
      pageNo > 1 && link(1, 'first'),
      pageNo > 1 && link(pageNo - 1, 'prev'),
    ].filter(Boolean)
    return [
      items.slice((pageNo - 1) * perPage, pageNo * perPage),
      links.length > 0 ? { link: links.join(', ') } : {},
    ]
  }

  function send(
    res: ServerResponse,
    status: number,
    json: unknown,
    headers: Record<string, string> = {},
  ) {
    const text = JSON.stringify(json)
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      ...headers,
    })
    res.end(text)
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  fake.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  return fake
}
