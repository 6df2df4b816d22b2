/**
 * The runner's kubeconfig and its credentials, read with @kubernetes/client-node's own pieces: its
 * parser of clusters, users and contexts (config_types) and its authenticators (exec credential
 * plugins such as EKS's and GKE's, token files and the in-cluster service account token, the
 * legacy gcp and azure auth-providers). Its KubeConfig class is not used: that module imports
 * every generated API, 19.6 MB bundled, of which cutover calls six endpoints
 * (kubernetes-api.ts makes those requests itself). The deep imports are safe because the client
 * is pinned to one exact version in package.json.
 *
 * Loaded by dynamic import only (kubernetes-api.ts), so it lands in a chunk of its own that no
 * other router or action loads.
 */
import { accessSync, readFileSync } from 'node:fs'
import type { RequestOptions } from 'node:https'
import { isIPv6 } from 'node:net'
import { delimiter, dirname, isAbsolute, join } from 'node:path'
import { load } from 'js-yaml'
import { AzureAuth } from '@kubernetes/client-node/dist/azure_auth.js'
import {
  newClusters,
  newContexts,
  newUsers,
  type Cluster,
  type Context,
  type User,
} from '@kubernetes/client-node/dist/config_types.js'
import { ExecAuth } from '@kubernetes/client-node/dist/exec_auth.js'
import { FileAuth } from '@kubernetes/client-node/dist/file_auth.js'
import { GoogleCloudPlatformAuth } from '@kubernetes/client-node/dist/gcp_auth.js'

const SERVICEACCOUNT = '/var/run/secrets/kubernetes.io/serviceaccount'

/** A problem with the kubeconfig whose message names fields only, never their values: safe to show. */
export class KubeconfigProblem extends Error {
  override name = 'KubeconfigProblem'
}

/** What a request needs from the kubeconfig: TLS material and the auth headers. Holds secrets. */
export interface Credentials {
  headers: Record<string, string>
  ca?: Buffer
  cert?: Buffer | string
  key?: Buffer | string
  rejectUnauthorized?: boolean
  servername?: string
}

interface Authenticator {
  isAuthProvider(user: User): boolean
  applyAuthentication(user: User, opts: RequestOptions): Promise<void>
}

export class Kubeconfig {
  private readonly authenticators: Authenticator[] = [
    new AzureAuth(),
    new GoogleCloudPlatformAuth(),
    new ExecAuth(),
    new FileAuth(),
  ]

  private constructor(
    readonly clusters: Cluster[],
    readonly users: User[],
    readonly contexts: Context[],
    private current: string | undefined,
  ) {}

  /** One kubeconfig file; relative certificate paths are taken from its directory, as kubectl does. */
  static fromFile(file: string): Kubeconfig {
    const text = readFileSync(file, 'utf8')
    let doc: unknown
    try {
      doc = load(text)
    } catch {
      // Never the parser's message: it quotes the file, and the file holds credentials.
      throw new KubeconfigProblem('not valid YAML')
    }
    if (!doc || typeof doc !== 'object' || Array.isArray(doc))
      throw new KubeconfigProblem('not a kubeconfig (no mapping at the top)')
    const o = doc as Record<string, unknown>
    let kc: Kubeconfig
    try {
      kc = new Kubeconfig(
        newClusters(o.clusters),
        newUsers(o.users),
        newContexts(o.contexts),
        typeof o['current-context'] === 'string' ? o['current-context'] : undefined,
      )
    } catch (e) {
      // The client's messages name the missing field ("clusters[0].cluster.server is missing").
      const code = (e as NodeJS.ErrnoException).code
      if (code) throw e
      throw new KubeconfigProblem(String((e as Error).message).slice(0, 200))
    }
    const root = dirname(file)
    const absolute = (p: string | undefined) => (p && !isAbsolute(p) ? join(root, p) : p)
    for (const c of kc.clusters) c.caFile = absolute(c.caFile)
    for (const u of kc.users) {
      u.certFile = absolute(u.certFile)
      u.keyFile = absolute(u.keyFile)
    }
    return kc
  }

  /**
   * The client's lookup: the files in KUBECONFIG (merged, the first to name a context, cluster or
   * user, or to set current-context, wins, as kubectl merges), else ~/.kube/config, else the
   * in-cluster service account. Undefined when none exists.
   */
  static fromDefault(env: Readonly<Record<string, string | undefined>>): Kubeconfig | undefined {
    const files = (env.KUBECONFIG ?? '').split(delimiter).filter(Boolean)
    if (files.length > 0) {
      const all = files.map((f) => Kubeconfig.fromFile(f))
      const first = all[0] as Kubeconfig
      for (const other of all.slice(1)) first.merge(other)
      return first
    }
    const home = env.HOME
    if (home && exists(join(home, '.kube', 'config')))
      return Kubeconfig.fromFile(join(home, '.kube', 'config'))
    if (exists(`${SERVICEACCOUNT}/token`)) return Kubeconfig.inCluster(env)
    return undefined
  }

  /** The pod's service account, as the client's loadFromCluster reads it. */
  private static inCluster(env: Readonly<Record<string, string | undefined>>): Kubeconfig {
    const host = env.KUBERNETES_SERVICE_HOST ?? ''
    const port = env.KUBERNETES_SERVICE_PORT ?? '443'
    if (!host)
      throw new KubeconfigProblem(
        'a service account token is mounted but KUBERNETES_SERVICE_HOST is not set',
      )
    return new Kubeconfig(
      [
        {
          name: 'inCluster',
          server: `https://${isIPv6(host) ? `[${host}]` : host}:${port}`,
          caFile: `${SERVICEACCOUNT}/ca.crt`,
          skipTLSVerify: false,
        },
      ],
      [
        {
          name: 'inClusterUser',
          authProvider: { name: 'tokenFile', config: { tokenFile: `${SERVICEACCOUNT}/token` } },
        },
      ],
      [{ name: 'inClusterContext', cluster: 'inCluster', user: 'inClusterUser' }],
      'inClusterContext',
    )
  }

  private merge(other: Kubeconfig): void {
    this.current ??= other.current
    const add = <T extends { name: string }>(mine: T[], theirs: T[]) => {
      for (const t of theirs) if (!mine.some((m) => m.name === t.name)) mine.push(t)
    }
    add(this.clusters, other.clusters)
    add(this.users, other.users)
    add(this.contexts, other.contexts)
  }

  get currentContext(): string | undefined {
    return this.current
  }

  /** False when there is no context of that name. */
  useContext(name: string): boolean {
    if (!this.contexts.some((c) => c.name === name)) return false
    this.current = name
    return true
  }

  private context(): Context | undefined {
    return this.contexts.find((c) => c.name === this.current)
  }

  cluster(): Cluster | undefined {
    const context = this.context()
    return context && this.clusters.find((c) => c.name === context.cluster)
  }

  user(): User | undefined {
    const context = this.context()
    return context && this.users.find((u) => u.name === context.user)
  }

  /**
   * The TLS options and headers for one request, as the client's applyToHTTPSOptions makes them:
   * CA, client certificate and key (from files or data), skip-verify, tls-server-name,
   * impersonation, then the user's authenticator (which may run an exec plugin), a token, or basic auth.
   */
  async credentials(): Promise<Credentials> {
    const cluster = this.cluster()
    const user = this.user()
    const out: Credentials = { headers: {} }
    if (cluster?.skipTLSVerify) out.rejectUnauthorized = false
    if (cluster?.tlsServerName) out.servername = cluster.tlsServerName
    const ca = fileOrData(cluster?.caFile, cluster?.caData)
    if (ca) out.ca = ca
    if (!user) return out
    const cert = fileOrData(user.certFile, user.certData)
    if (cert) out.cert = cert
    const key = fileOrData(user.keyFile, user.keyData)
    if (key) out.key = key
    if (user.impersonateUser) out.headers['Impersonate-User'] = user.impersonateUser
    const provider = user.authProvider as { name?: string; config?: Record<string, string> } | null
    const authenticator = this.authenticators.find((a) => a.isAuthProvider(user))
    if (authenticator) {
      const opts: RequestOptions = { headers: {} }
      await authenticator.applyAuthentication(user, opts)
      for (const [k, v] of Object.entries(opts.headers ?? {})) out.headers[k] = String(v)
      if (opts.cert) out.cert = opts.cert as string
      if (opts.key) out.key = opts.key as string
    } else if (provider?.name === 'oidc') {
      out.headers.Authorization = `Bearer ${oidcToken(provider.config ?? {})}`
    } else if (provider?.name) {
      throw new KubeconfigProblem(
        `user ${user.name} uses auth-provider ${JSON.stringify(provider.name)}, which the Kubernetes client does not know; use an exec credential plugin`,
      )
    }
    if (user.token) out.headers.Authorization = `Bearer ${user.token.trim()}`
    else if (user.username && !out.headers.Authorization)
      out.headers.Authorization = `Basic ${Buffer.from(`${user.username}:${user.password ?? ''}`).toString('base64')}`
    return out
  }
}

/**
 * The `oidc` auth-provider's id-token while it is valid. Refreshing it needs the client's OIDC
 * module, which imports its KubeConfig and with it every generated API: an expired token is a
 * clear error instead.
 */
function oidcToken(config: Record<string, string>): string {
  const token = config['id-token']
  if (!token) throw new KubeconfigProblem('the oidc auth-provider has no id-token')
  let exp: unknown
  try {
    exp = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')).exp
  } catch {
    throw new KubeconfigProblem('the oidc auth-provider id-token is not a JWT')
  }
  if (typeof exp === 'number' && exp <= Date.now() / 1000)
    throw new KubeconfigProblem(
      `the oidc auth-provider id-token expired at ${new Date(exp * 1000).toISOString()}; cutover does not refresh it: refresh it before the step (any kubectl command does) or use an exec credential plugin such as kubelogin`,
    )
  return token
}

function exists(path: string): boolean {
  try {
    accessSync(path)
    return true
  } catch {
    return false
  }
}

function fileOrData(file: string | undefined, data: string | undefined): Buffer | undefined {
  if (file) return readFileSync(file)
  if (data) return Buffer.from(data, 'base64')
  return undefined
}
