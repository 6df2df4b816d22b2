/**
 * The few Kubernetes API calls the provider makes, through @kubernetes/client-node (kubeconfig
 * with exec plugins, OIDC, client certificates, in-cluster service accounts). The client is
 * loaded here by dynamic import only, so it lands in its own chunk: no other router or action
 * pays its start-up. Every call has a timeout; API errors become one-line RouterErrors that name
 * the verb, the object and the API server's own message, never a credential.
 */
import { ConfigurationError, errorMessage, fetchFailure, quote } from '../action-kit/index.js'
import type { KubernetesConfig } from './kubernetes-config.js'
import type {
  Deployment,
  EndpointSlice,
  HttpRoute,
  JsonPatchOp,
  ServiceObject,
} from './kubernetes-state.js'
import { RouterError } from './router.js'

type Client = typeof import('@kubernetes/client-node')

export const PATCH = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
} as const
type PatchType = (typeof PATCH)[keyof typeof PATCH]

const GATEWAY = { group: 'gateway.networking.k8s.io', version: 'v1', plural: 'httproutes' }

/** An API call the server refused: `code` is the HTTP status, `reason` Kubernetes' Status reason. */
export class KubernetesApiError extends RouterError {
  override name = 'KubernetesApiError'
  constructor(
    message: string,
    readonly code: number,
    readonly reason: string | undefined,
  ) {
    super(message)
  }
}

export interface KubeconfigSource {
  /** A kubeconfig file; default: the client's own lookup (KUBECONFIG, ~/.kube/config, in-cluster). */
  kubeconfig?: string
}

export class KubernetesApi {
  private constructor(
    private readonly client: Client,
    private readonly kubeConfig: InstanceType<Client['KubeConfig']>,
    private readonly namespace: string,
    private readonly timeout: number,
  ) {}

  /** Loads the client and the kubeconfig, and picks the context; a missing one is a config error. */
  static async open(
    config: KubernetesConfig,
    source: KubeconfigSource = {},
  ): Promise<KubernetesApi> {
    let client: Client
    try {
      client = await import('@kubernetes/client-node')
    } catch (e) {
      // Its HTTP stack (undici 8) fails at import on Node 20: say so rather than crash obscurely.
      throw new RouterError(
        `cannot load the Kubernetes client on Node ${process.versions.node} (${errorMessage(e).slice(0, 200)}); the Kubernetes router needs Node 24, as the actions' runs.using: node24 gives`,
      )
    }
    const kc = new client.KubeConfig()
    const from =
      source.kubeconfig ?? 'the default kubeconfig (KUBECONFIG, ~/.kube/config or in-cluster)'
    try {
      if (source.kubeconfig) kc.loadFromFile(source.kubeconfig)
      else kc.loadFromDefault()
    } catch (e) {
      // Never the parser's message: it may quote the file, and the file holds credentials.
      const code = (e as NodeJS.ErrnoException).code
      throw new ConfigurationError(
        `cannot load ${from}: ${code ? `${code} (${(e as NodeJS.ErrnoException).path ?? 'file'})` : 'not a valid kubeconfig'}`,
      )
    }
    const cluster = kc.getCurrentCluster()
    // The client's last resort when it finds nothing is http://localhost:8080: never talk to that.
    if (!cluster || (cluster.name === 'cluster' && cluster.server === 'http://localhost:8080'))
      throw new ConfigurationError(
        `no kubeconfig found in ${from}: give the runner a kubeconfig (e.g. KUBECONFIG), or run in a cluster`,
      )
    if (config.context !== undefined) {
      if (!kc.getContextObject(config.context)) {
        const names = kc.getContexts().map((c) => c.name)
        throw new ConfigurationError(
          `Input 'router': 'context' is ${quote(config.context)}, which is not in ${from}; its contexts are: ${names.join(', ') || 'none'}.`,
        )
      }
      kc.setCurrentContext(config.context)
    }
    return new KubernetesApi(client, kc, config.namespace, config.timeout)
  }

  /** The API server's address, for a debug line only (it carries no credential). */
  server(): string {
    return this.kubeConfig.getCurrentCluster()?.server ?? 'unknown'
  }

  /** Per call: a timeout, and for a patch its content type (the client's own header middleware). */
  private options(contentType?: PatchType) {
    const timeout = this.timeout
    const accept = this.client.setHeaderMiddleware('Accept', 'application/json')
    const middleware = [
      {
        pre: (ctx: Parameters<typeof accept.pre>[0]) => {
          ctx.setSignal(AbortSignal.timeout(timeout))
          return accept.pre(ctx)
        },
        post: accept.post,
      },
      ...(contentType ? [this.client.setHeaderMiddleware('Content-Type', contentType)] : []),
    ]
    return { middleware, middlewareMergeStrategy: 'append' as const }
  }

  private async call<T>(what: string, run: () => Promise<unknown>): Promise<T> {
    try {
      return (await run()) as T
    } catch (e) {
      throw this.explain(what, e)
    }
  }

  private explain(what: string, e: unknown): Error {
    const error = e as { code?: unknown; body?: unknown }
    // An answer from the API server (the client's ApiException), not a network or timeout error.
    if (e instanceof this.client.ApiException && typeof error.code === 'number') {
      const status = parseStatus(error.body)
      const said = status.message ?? `HTTP ${error.code}`
      const hint =
        error.code === 401
          ? ': the kubeconfig credentials were refused'
          : error.code === 403
            ? ' (the kubeconfig user lacks this permission: grant the Role in the README)'
            : ''
      return new KubernetesApiError(
        `${what}: ${error.code} ${status.reason ?? ''}${status.reason ? ': ' : ''}${said}${hint}`.replace(
          / {2,}/g,
          ' ',
        ),
        error.code,
        status.reason,
      )
    }
    return new RouterError(
      `${what}: cannot reach the Kubernetes API server: ${fetchFailure(e, this.timeout)}`,
    )
  }

  private get core() {
    return this.kubeConfig.makeApiClient(this.client.CoreV1Api)
  }
  private get apps() {
    return this.kubeConfig.makeApiClient(this.client.AppsV1Api)
  }
  private get discovery() {
    return this.kubeConfig.makeApiClient(this.client.DiscoveryV1Api)
  }
  private get custom() {
    return this.kubeConfig.makeApiClient(this.client.CustomObjectsApi)
  }

  getRoute(name: string): Promise<HttpRoute> {
    return this.call(`get HTTPRoute ${this.namespace}/${name}`, () =>
      this.custom.getNamespacedCustomObject(
        { ...GATEWAY, namespace: this.namespace, name },
        this.options(),
      ),
    )
  }

  patchRoute(name: string, ops: JsonPatchOp[]): Promise<HttpRoute> {
    return this.call(`patch HTTPRoute ${this.namespace}/${name}`, () =>
      this.custom.patchNamespacedCustomObject(
        { ...GATEWAY, namespace: this.namespace, name, body: ops },
        this.options(PATCH.json),
      ),
    )
  }

  getService(name: string): Promise<ServiceObject> {
    return this.call(`get Service ${this.namespace}/${name}`, () =>
      this.core.readNamespacedService({ namespace: this.namespace, name }, this.options()),
    )
  }

  patchService(name: string, body: object): Promise<ServiceObject> {
    return this.call(`patch Service ${this.namespace}/${name}`, () =>
      this.core.patchNamespacedService(
        { namespace: this.namespace, name, body },
        this.options(PATCH.merge),
      ),
    )
  }

  /** The EndpointSlices the EndpointSlice controller keeps for a Service (label kubernetes.io/service-name). */
  async endpointSlices(service: string): Promise<EndpointSlice[]> {
    const list = await this.call<{ items?: EndpointSlice[] }>(
      `list EndpointSlices of Service ${this.namespace}/${service}`,
      () =>
        this.discovery.listNamespacedEndpointSlice(
          { namespace: this.namespace, labelSelector: `kubernetes.io/service-name=${service}` },
          this.options(),
        ),
    )
    return list.items ?? []
  }

  getDeployment(name: string): Promise<Deployment> {
    return this.call(`get Deployment ${this.namespace}/${name}`, () =>
      this.apps.readNamespacedDeployment({ namespace: this.namespace, name }, this.options()),
    )
  }

  patchDeployment(name: string, body: object): Promise<Deployment> {
    return this.call(`patch Deployment ${this.namespace}/${name}`, () =>
      this.apps.patchNamespacedDeployment(
        { namespace: this.namespace, name, body },
        this.options(PATCH.strategic),
      ),
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
