/**
 * The six Kubernetes API calls the provider makes (get and patch an HTTPRoute, a Service and a
 * Deployment; list EndpointSlices), as plain HTTPS requests. The kubeconfig and its credentials
 * come from @kubernetes/client-node's own pieces (kubernetes-kubeconfig.ts, loaded by dynamic
 * import so only this provider pays for it); its generated API classes are not bundled.
 *
 * Every exchange has one deadline, the router's `timeout`: authentication (an exec plugin),
 * connecting, the answer and its whole body. A server that answers one byte at a time is cut off
 * at the deadline, like one that never answers. API errors become one-line RouterErrors that name
 * the verb, the object and the API server's own message, never a credential.
 */
import {
  Agent as HttpAgent,
  request as httpRequest,
  type ClientRequest,
  type IncomingMessage,
} from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import { ConfigurationError, errorMessage, quote } from '../action-kit/index.js'
import type { KubernetesConfig } from './kubernetes-config.js'
import type { Kubeconfig } from './kubernetes-kubeconfig.js'
import type {
  Deployment,
  EndpointSlice,
  HttpRoute,
  JsonPatchOp,
  ServiceObject,
} from './kubernetes-state.js'
import { RouterError } from './router.js'

export const PATCH = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
} as const
type PatchType = (typeof PATCH)[keyof typeof PATCH]

/** An answer larger than this is not one of the objects cutover reads. */
const MAX_BODY_BYTES = 16 * 1024 * 1024

/** A ConfigMap as cutover reads it. */
export interface ConfigMapObject {
  metadata: { name: string; namespace?: string; resourceVersion?: string }
  data?: Record<string, string>
  binaryData?: Record<string, string>
  immutable?: boolean
}

/** One exchange with the API server failed (refused, unreachable, cut off, past its deadline). */
export class KubernetesExchangeError extends RouterError {
  override name = 'KubernetesExchangeError'
}

/** An API call the server refused: `code` is the HTTP status, `reason` Kubernetes' Status reason. */
export class KubernetesApiError extends KubernetesExchangeError {
  override name = 'KubernetesApiError'
  constructor(
    message: string,
    readonly code: number,
    readonly reason: string | undefined,
  ) {
    super(message)
  }
}

/** The exchange did not finish within the router's timeout; the request was cut off. */
export class KubernetesDeadline extends KubernetesExchangeError {
  override name = 'KubernetesDeadline'
}

export interface KubeconfigSource {
  /** A kubeconfig file; default: the client's own lookup (KUBECONFIG, ~/.kube/config, in-cluster). */
  kubeconfig?: string
  /** The step's environment, where that lookup finds KUBECONFIG and HOME. */
  env?: Readonly<Record<string, string | undefined>>
}

export class KubernetesApi {
  private constructor(
    private readonly kubeconfig: Kubeconfig,
    private readonly base: URL,
    private readonly namespace: string,
    private readonly timeout: number,
    private readonly agent: HttpAgent,
  ) {}

  /** Loads the kubeconfig and picks the context; a missing or unusable one is a config error. */
  static async open(
    config: Pick<KubernetesConfig, 'namespace' | 'timeout' | 'context'>,
    source: KubeconfigSource = {},
  ): Promise<KubernetesApi> {
    let loader: typeof import('./kubernetes-kubeconfig.js')
    try {
      loader = await import('./kubernetes-kubeconfig.js')
    } catch (e) {
      throw new RouterError(
        `cannot load the Kubernetes client on Node ${process.versions.node} (${errorMessage(e).slice(0, 200)}); the Kubernetes router needs Node 24, as the actions' runs.using: node24 gives`,
      )
    }
    const from =
      source.kubeconfig ?? 'the default kubeconfig (KUBECONFIG, ~/.kube/config or in-cluster)'
    let kc: Kubeconfig | undefined
    try {
      kc = source.kubeconfig
        ? loader.Kubeconfig.fromFile(source.kubeconfig)
        : loader.Kubeconfig.fromDefault(source.env ?? {})
    } catch (e) {
      // Never a parser's message: it may quote the file, and the file holds credentials.
      const code = (e as NodeJS.ErrnoException).code
      throw new ConfigurationError(
        `cannot load ${from}: ${code ? `${code} (${(e as NodeJS.ErrnoException).path ?? 'file'})` : e instanceof loader.KubeconfigProblem ? e.message : 'not a valid kubeconfig'}`,
      )
    }
    if (!kc || !kc.currentContext || kc.contexts.length === 0)
      throw new ConfigurationError(
        `no kubeconfig found in ${from}: give the runner a kubeconfig (e.g. KUBECONFIG), or run in a cluster`,
      )
    if (config.context !== undefined && !kc.useContext(config.context)) {
      const names = kc.contexts.map((c) => c.name)
      throw new ConfigurationError(
        `Input 'router': 'context' is ${quote(config.context)}, which is not in ${from}; its contexts are: ${names.join(', ') || 'none'}.`,
      )
    }
    const context = kc.currentContext
    const cluster = kc.cluster()
    if (!cluster)
      throw new ConfigurationError(
        `the kubeconfig context ${quote(context ?? '')} in ${from} names no cluster that ${from} defines`,
      )
    let base: URL
    try {
      base = new URL(cluster.server)
    } catch {
      throw new ConfigurationError(
        `cluster ${quote(cluster.name)} in ${from} has a server that is not a URL`,
      )
    }
    if (base.protocol !== 'https:' && !(base.protocol === 'http:' && cluster.skipTLSVerify))
      throw new ConfigurationError(
        `cluster ${quote(cluster.name)} in ${from}: the server must be https:// (plain http only with insecure-skip-tls-verify, as the Kubernetes client allows)`,
      )
    if (cluster.proxyUrl)
      throw new ConfigurationError(
        `cluster ${quote(cluster.name)} in ${from} sets proxy-url, which cutover does not support; give the runner a direct route to the API server`,
      )
    // Keep-alive: status polls reuse one TLS connection. Idle sockets do not hold the process.
    const agent =
      base.protocol === 'https:'
        ? new HttpsAgent({ keepAlive: true })
        : new HttpAgent({ keepAlive: true })
    return new KubernetesApi(kc, base, config.namespace, config.timeout, agent)
  }

  /** The API server's address, for logs (it carries no credential). */
  server(): string {
    return this.base.origin + this.base.pathname.replace(/\/$/, '')
  }

  /**
   * One exchange, bounded as a whole by the router's timeout. Resolves with the parsed JSON of a
   * 2xx answer; an error answer is a KubernetesApiError, anything else a RouterError naming the server.
   */
  private exchange<T>(
    what: string,
    method: 'GET' | 'PATCH',
    path: string,
    body?: { type: PatchType; data: unknown },
  ): Promise<T> {
    const url = new URL(this.base.pathname.replace(/\/$/, '') + path, this.base)
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body.data))
    const seconds = this.timeout / 1000
    return new Promise<T>((resolve, reject) => {
      let request: ClientRequest | undefined
      let phase = 'authenticating with the kubeconfig credentials'
      let settled = false
      const settle = (error: Error | undefined, value?: T) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        if (error) {
          request?.destroy()
          reject(error)
        } else resolve(value as T)
      }
      const timer = setTimeout(
        () =>
          settle(
            new KubernetesDeadline(
              `${what}: the Kubernetes API server ${this.server()} did not complete the exchange within ${seconds} s (the router's timeout bounds each request as a whole); it was ${phase}`,
            ),
          ),
        this.timeout,
      )
      let answered = false
      const answer = (res: IncomingMessage) => {
        answered = true
        const chunks: Buffer[] = []
        let size = 0
        phase = `reading the answer (HTTP ${res.statusCode}, 0 bytes so far)`
        res.on('data', (chunk: Buffer) => {
          size += chunk.length
          phase = `reading the answer (HTTP ${res.statusCode}, ${size} bytes so far)`
          if (size > MAX_BODY_BYTES)
            return settle(
              new KubernetesExchangeError(
                `${what}: the Kubernetes API server ${this.server()} answered more than ${MAX_BODY_BYTES} bytes; not an object cutover reads`,
              ),
            )
          chunks.push(chunk)
        })
        res.on('error', (e) => settle(this.unreachable(what, e)))
        res.on('close', () => {
          if (!res.complete)
            settle(this.unreachable(what, new Error(`the answer was cut off after ${size} bytes`)))
        })
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          const code = res.statusCode ?? 0
          if (code < 200 || code > 299) return settle(this.refused(what, code, text))
          try {
            settle(undefined, JSON.parse(text) as T)
          } catch {
            settle(
              new KubernetesExchangeError(
                `${what}: the Kubernetes API server ${this.server()} answered HTTP ${code} with a body that is not JSON`,
              ),
            )
          }
        })
      }
      this.kubeconfig.credentials().then(
        (credentials) => {
          const { headers, ...tls } = credentials
          const send = url.protocol === 'https:' ? httpsRequest : httpRequest
          const attempt = (retried: boolean) => {
            if (settled) return
            phase = 'connecting'
            const sent: ClientRequest = (request = send(
              url,
              {
                ...tls,
                method,
                agent: this.agent,
                headers: {
                  ...headers,
                  Accept: 'application/json',
                  'User-Agent': 'cutover',
                  ...(body
                    ? { 'Content-Type': body.type, 'Content-Length': String(payload?.length) }
                    : {}),
                },
              },
              answer,
            ))
            sent.on('socket', (socket) => {
              if (!socket.connecting) return void (phase = 'waiting for the answer')
              phase = 'connecting'
              socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
                if (phase === 'connecting') phase = 'waiting for the answer'
              })
            })
            sent.on('error', (e) => {
              // A kept-alive socket the server closed as idle just as we reused it (any server's
              // idle timeout races the client's reuse): a GET that got no byte back is sent once
              // more (the agent connects anew: the closed socket is gone), within the same
              // deadline. A PATCH is never sent twice: the server may have applied it.
              if (
                !retried &&
                method === 'GET' &&
                sent.reusedSocket &&
                !answered &&
                (e as NodeJS.ErrnoException).code === 'ECONNRESET'
              )
                return attempt(true)
              settle(this.unreachable(what, e))
            })
            sent.end(payload)
          }
          attempt(false)
        },
        (e: unknown) =>
          settle(
            new KubernetesExchangeError(
              `${what}: the kubeconfig credentials could not be made: ${errorMessage(e).slice(0, 300)}`,
            ),
          ),
      )
    })
  }

  private unreachable(what: string, e: Error): KubernetesExchangeError {
    const code = (e as NodeJS.ErrnoException).code
    // Node's socket errors (also from another realm, as under jest) carry message and code.
    const message = typeof e?.message === 'string' && e.message ? e.message : errorMessage(e)
    const said = code && !message.includes(code) ? `${code}: ${message}` : message
    return new KubernetesExchangeError(
      `${what}: cannot reach the Kubernetes API server ${this.server()}: ${said.slice(0, 300)}`,
    )
  }

  /** An answer from the API server that is not a success. */
  private refused(what: string, code: number, body: string): KubernetesApiError {
    const status = parseStatus(body)
    const said = status.message ?? `HTTP ${code}`
    const hint =
      code === 401
        ? ': the kubeconfig credentials were refused'
        : code === 403
          ? ' (the kubeconfig user lacks this permission: grant the Role in the README)'
          : ''
    return new KubernetesApiError(
      `${what}: ${code} ${status.reason ?? ''}${status.reason ? ': ' : ''}${said}${hint}`.replace(
        / {2,}/g,
        ' ',
      ),
      code,
      status.reason,
    )
  }

  private ns(): string {
    return encodeURIComponent(this.namespace)
  }

  getRoute(name: string): Promise<HttpRoute> {
    return this.exchange(`get HTTPRoute ${this.namespace}/${name}`, 'GET', this.routePath(name))
  }

  patchRoute(name: string, ops: JsonPatchOp[]): Promise<HttpRoute> {
    return this.exchange(
      `patch HTTPRoute ${this.namespace}/${name}`,
      'PATCH',
      this.routePath(name),
      { type: PATCH.json, data: ops },
    )
  }

  private routePath(name: string): string {
    return `/apis/gateway.networking.k8s.io/v1/namespaces/${this.ns()}/httproutes/${encodeURIComponent(name)}`
  }

  getService(name: string): Promise<ServiceObject> {
    return this.exchange(
      `get Service ${this.namespace}/${name}`,
      'GET',
      `/api/v1/namespaces/${this.ns()}/services/${encodeURIComponent(name)}`,
    )
  }

  patchService(name: string, body: object): Promise<ServiceObject> {
    return this.exchange(
      `patch Service ${this.namespace}/${name}`,
      'PATCH',
      `/api/v1/namespaces/${this.ns()}/services/${encodeURIComponent(name)}`,
      { type: PATCH.merge, data: body },
    )
  }

  /** The EndpointSlices the EndpointSlice controller keeps for a Service (label kubernetes.io/service-name). */
  async endpointSlices(service: string): Promise<EndpointSlice[]> {
    const selector = encodeURIComponent(`kubernetes.io/service-name=${service}`)
    const list = await this.exchange<{ items?: EndpointSlice[] }>(
      `list EndpointSlices of Service ${this.namespace}/${service}`,
      'GET',
      `/apis/discovery.k8s.io/v1/namespaces/${this.ns()}/endpointslices?labelSelector=${selector}`,
    )
    return list.items ?? []
  }

  /** A ConfigMap (the flagd router's definitions). */
  getConfigMap(name: string): Promise<ConfigMapObject> {
    return this.exchange(
      `get ConfigMap ${this.namespace}/${name}`,
      'GET',
      `/api/v1/namespaces/${this.ns()}/configmaps/${encodeURIComponent(name)}`,
    )
  }

  /** One JSON patch of a ConfigMap (the flagd router pins it to the resourceVersion it read). */
  patchConfigMap(name: string, ops: JsonPatchOp[]): Promise<ConfigMapObject> {
    return this.exchange(
      `patch ConfigMap ${this.namespace}/${name}`,
      'PATCH',
      `/api/v1/namespaces/${this.ns()}/configmaps/${encodeURIComponent(name)}`,
      { type: PATCH.json, data: ops },
    )
  }

  getDeployment(name: string): Promise<Deployment> {
    return this.exchange(
      `get Deployment ${this.namespace}/${name}`,
      'GET',
      `/apis/apps/v1/namespaces/${this.ns()}/deployments/${encodeURIComponent(name)}`,
    )
  }

  patchDeployment(name: string, body: object): Promise<Deployment> {
    return this.exchange(
      `patch Deployment ${this.namespace}/${name}`,
      'PATCH',
      `/apis/apps/v1/namespaces/${this.ns()}/deployments/${encodeURIComponent(name)}`,
      { type: PATCH.strategic, data: body },
    )
  }
}

/** Kubernetes answers errors with a Status object; the client hands its body over as text or JSON. */
function parseStatus(body: unknown): { message?: string; reason?: string } {
  let value: unknown = body
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body)
    } catch {
      return { message: body.slice(0, 300) }
    }
  }
  if (value && typeof value === 'object') {
    const s = value as { message?: unknown; reason?: unknown }
    return {
      ...(typeof s.message === 'string' ? { message: s.message.slice(0, 500) } : {}),
      ...(typeof s.reason === 'string' ? { reason: s.reason } : {}),
    }
  }
  return {}
}
