/**
 * A local stand-in for GitHub's Deployments API, for tests and the demo. It keeps deployments and
 * their statuses with GitHub's semantics (newest first, Link-header pagination, auto_inactive
 * for non-production environments only, 401/403/404 bodies as GitHub words them) and checks every
 * request and every response against GitHub's published OpenAPI description (the cut in
 * test/fixtures). A request that does not match is answered 422 and recorded in `violations`.
 */
import { readFileSync } from 'node:fs'
import { createServer, type ServerResponse } from 'node:http'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'

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

export interface FakeGitHub {
  url: string
  token: string
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
  method: string
  template: string
  request?: ValidateFunction
  query: { name: string; validate: ValidateFunction }[]
  responses: Map<string, ValidateFunction>
}

function compileOperations(): Operation[] {
  const spec = JSON.parse(readFileSync(SPEC, 'utf8')) as {
    paths: Record<string, Record<string, Record<string, unknown>>>
  }
  const ajv = new Ajv({ strict: false, allErrors: true, coerceTypes: false })
  addFormats.default(ajv)
  const ops: Operation[] = []
  for (const [template, methods] of Object.entries(spec.paths)) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '([^/]+)')}$`)
    for (const [method, op] of Object.entries(methods)) {
      const body = (op.requestBody as { content?: Record<string, { schema: object }> } | undefined)
        ?.content?.['application/json']?.schema
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
        method: method.toUpperCase(),
        template,
        ...(body ? { request: ajv.compile(body) } : {}),
        query: parameters
          .filter((p) => p.in === 'query')
          .map((p) => ({ name: p.name, validate: ajv.compile(p.schema) })),
        responses,
      })
    }
  }
  return ops
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
  const ops = compileOperations()
  const token = options.token ?? 'ghs_fake_token_for_tests'
  const repoPath = `/repos/${options.owner ?? 'acme'}/${options.repo ?? 'orders'}`
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
    const auth = req.headers.authorization ?? ''
    if (auth !== `token ${token}` && auth !== `Bearer ${token}`) {
      return send(res, 401, {
        message: MESSAGES[401],
        documentation_url: 'https://docs.github.com/rest',
      })
    }
    const path = url.pathname.startsWith(repoPath)
      ? `/repos/{owner}/{repo}${url.pathname.slice(repoPath.length)}`
      : url.pathname
    const op = ops.find(
      (o) =>
        o.method === req.method &&
        o.pattern.test(path.replace('/repos/{owner}/{repo}', '/repos/o/r')),
    )
    if (!op || !url.pathname.startsWith(repoPath))
      return send(res, 404, {
        message: MESSAGES[404],
        documentation_url: 'https://docs.github.com/rest',
      })

    const problems: string[] = []
    if (op.request && !op.request(body)) problems.push(`body: ${JSON.stringify(op.request.errors)}`)
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
    return send(res, 404, { message: 'Not Found' })
  })

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
