/**
 * A local stand-in for the Kubernetes API server, for tests, the demo and the bench. It is a fake
 * (no etcd, no kubelet) that keeps the published contract where cutover touches it:
 * - TLS with its own CA, bearer-token or client-certificate auth, and a kubeconfig that points at
 *   it, like a cluster (contexts for a token, a client certificate as data or as files, an exec
 *   credential plugin);
 * - on demand, answers that drip one byte at a time (a hostile or dying API server);
 * - GET and PATCH of Deployments (apps/v1), Services (v1), ConfigMaps (v1) and HTTPRoutes
 *   (gateway.networking.k8s.io/v1);
 * - patch content types as the API server takes them: JSON patch (with `test`), merge patch,
 *   strategic merge patch for built-in kinds only; anything else 415;
 * - resourceVersion preconditions (409), a failed `test` operation (422), every stored object
 *   validated against Kubernetes' schemas (kubernetes-models, @kubernetes-models/gateway-api; 422),
 *   ConfigMaps also against the API server's own rules (data keys, 1 MiB, `immutable`);
 * - RBAC: every request checked against a Role (403 naming verb, resource and API group);
 * - controllers: Deployments roll out (or never become available, or exceed their progress
 *   deadline, by image), and a gateway sets HTTPRoute status Accepted/ResolvedRefs per generation.
 */
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:https'
import { createServer as createNetServer } from 'node:net'
import type { TLSSocket } from 'node:tls'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadAll } from 'js-yaml'
import { HTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute'
import { Deployment } from 'kubernetes-models/apps/v1/Deployment'
import { EndpointSlice } from 'kubernetes-models/discovery.k8s.io/v1/EndpointSlice'
import { Service } from 'kubernetes-models/v1/Service'
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap'

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'kubernetes')
/** The Role the README shows; the fake enforces exactly it. */
export const ROLE_FILE = join(FIXTURES, 'role.yaml')
/** Two slot Deployments and Services, the switching Service and the HTTPRoute. */
export const MANIFESTS_FILE = join(FIXTURES, 'orders.yaml')

type Obj = {
  apiVersion: string
  kind: string
  metadata: Record<string, unknown> & { name: string; namespace?: string }
  spec?: Record<string, unknown>
  status?: Record<string, unknown>
}

interface Resource {
  group: string
  version: string
  plural: string
  kind: string
  /** Custom resources take no strategic merge patch. */
  builtin: boolean
  validate(o: Obj): void
}

const RESOURCES: Resource[] = [
  {
    group: 'discovery.k8s.io',
    version: 'v1',
    plural: 'endpointslices',
    kind: 'EndpointSlice',
    builtin: true,
    validate: (o) => new EndpointSlice(o as never).validate(),
  },
  {
    group: 'apps',
    version: 'v1',
    plural: 'deployments',
    kind: 'Deployment',
    builtin: true,
    validate: (o) => new Deployment(o as never).validate(),
  },
  {
    group: '',
    version: 'v1',
    plural: 'services',
    kind: 'Service',
    builtin: true,
    validate: (o) => new Service(o as never).validate(),
  },
  {
    group: '',
    version: 'v1',
    plural: 'configmaps',
    kind: 'ConfigMap',
    builtin: true,
    validate: (o) => {
      new ConfigMap(o as never).validate()
      validateConfigMapRules(o)
    },
  },
  {
    group: 'gateway.networking.k8s.io',
    version: 'v1',
    plural: 'httproutes',
    kind: 'HTTPRoute',
    builtin: false,
    validate: (o) => new HTTPRoute(o as never).validate(),
  },
]

/** What the API server checks beyond the schema (k8s.io/kubernetes ValidateConfigMap). */
function validateConfigMapRules(o: Obj): void {
  const data = (o as { data?: Record<string, string> }).data ?? {}
  const binary = (o as { binaryData?: Record<string, string> }).binaryData ?? {}
  let size = 0
  for (const key of [...Object.keys(data), ...Object.keys(binary)]) {
    if (!/^[-._a-zA-Z0-9]+$/.test(key) || key.length > 253)
      throw new Error(
        `data[${key}]: Invalid value: "${key}": a valid config key must consist of alphanumeric characters, '-', '_' or '.'`,
      )
    if (key in data && key in binary)
      throw new Error(
        `data[${key}]: Invalid value: "${key}": duplicate of key present in binaryData`,
      )
    size +=
      key in data
        ? Buffer.byteLength(data[key] as string)
        : Buffer.from(binary[key] as string, 'base64').length
  }
  if (size > 1024 * 1024) throw new Error(`[]: Too long: must have at most 1048576 bytes`)
}

const JSON_PATCH = 'application/json-patch+json'
const MERGE_PATCH = 'application/merge-patch+json'
const STRATEGIC_PATCH = 'application/strategic-merge-patch+json'
const APPLY_PATCH = 'application/apply-patch+yaml'

/** What a Deployment does with an image: roll out, never become available, or hit its deadline. */
export type ImageBehaviour = 'ready' | 'never' | 'deadline'

export interface RequestRecord {
  /** How the client authenticated: a bearer token, a client certificate, or not at all. */
  auth: 'token' | 'certificate' | 'none'
  verb: string
  resource: string
  name: string
  contentType?: string
  status: number
  /** The body of a patch, parsed. */
  body?: unknown
}

export interface FakeKubernetes {
  /** https://127.0.0.1:<port> */
  url: string
  dir: string
  /**
   * A kubeconfig with contexts `fake` (current; its user holds `token`), `unreachable`, and the
   * same user authenticated otherwise: `fake-cert` (client certificate and key as data),
   * `fake-files` (CA, certificate and key as files relative to the kubeconfig), `fake-exec` (an
   * exec credential plugin that prints `token`).
   */
  kubeconfig: string
  token: string
  namespace: string
  requests: RequestRecord[]
  /** Objects or patches the fake refused as invalid against the schemas. */
  violations: string[]
  /** Decides per image; default: 'never' for tags ending in -broken, 'deadline' for -stuck. */
  imageBehaviour: (image: string) => ImageBehaviour
  /** 'apply': a gateway controller accepts routes; 'ignore': none is running. */
  gateway: 'apply' | 'ignore'
  /** 'run': Services' EndpointSlices follow their selectors each tick; 'stop': they stay as they are. */
  endpointController: 'run' | 'stop'
  /** Requests for which the answer drips one byte every `dripMs` (default none). */
  drip?: (r: { verb: string; resource: string; name: string }) => boolean
  dripMs: number
  /** Runs before each request is served (e.g. to make someone else's edit in between). */
  beforeRequest?: (r: { verb: string; resource: string; name: string }) => void
  /**
   * True: the connection is closed without an answer, as a server does to a kept-alive socket it
   * has just timed out as idle (`reused`: the request is not the connection's first).
   */
  hangUp?: (r: { verb: string; resource: string; name: string; reused: boolean }) => boolean
  /** A copy of a stored object. */
  get(plural: string, name: string): Obj
  /** Another client's edit: bumps resourceVersion (and generation when the spec changes). */
  edit(plural: string, name: string, change: (o: Obj) => void): void
  /** Stores a new object (validated), or replaces one. */
  put(object: Obj): void
  /** Replaces the Role the fake enforces (YAML text of a Role). */
  setRole(yaml: string): void
  stop(): Promise<void>
}

const run = (argv: string[]) =>
  new Promise<string>((resolve, reject) =>
    execFile(argv[0] as string, argv.slice(1), (e, out, err) =>
      e ? reject(new Error(`${argv.join(' ')}: ${err || e.message}`)) : resolve(out),
    ),
  )

async function makeCertificates(dir: string): Promise<{
  ca: string
  cert: string
  key: string
  clientCert: string
  clientKey: string
}> {
  const p = (f: string) => join(dir, f)
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  await run(
    ['openssl', 'req', '-x509', ...ec, '-keyout', p('ca.key'), '-out', p('ca.crt')].concat([
      '-days',
      '2',
      '-subj',
      '/CN=fake-kubernetes CA',
    ]),
  )
  await run(
    ['openssl', 'req', ...ec, '-keyout', p('server.key'), '-out', p('server.csr')].concat([
      '-subj',
      '/CN=127.0.0.1',
    ]),
  )
  await writeFile(p('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n')
  await run(
    [
      'openssl',
      'x509',
      '-req',
      '-in',
      p('server.csr'),
      '-CA',
      p('ca.crt'),
      '-CAkey',
      p('ca.key'),
    ].concat(['-CAcreateserial', '-out', p('server.crt'), '-days', '2', '-extfile', p('san.ext')]),
  )
  // A client certificate for the same user, as a cluster's CA would sign one.
  await run(
    ['openssl', 'req', ...ec, '-keyout', p('client.key'), '-out', p('client.csr')].concat([
      '-subj',
      `/CN=${CLIENT_CN}`,
    ]),
  )
  await run(
    ['openssl', 'x509', '-req', '-in', p('client.csr'), '-CA', p('ca.crt')].concat([
      '-CAkey',
      p('ca.key'),
      '-CAcreateserial',
      '-out',
      p('client.crt'),
      '-days',
      '2',
    ]),
  )
  return {
    ca: await readFile(p('ca.crt'), 'utf8'),
    cert: await readFile(p('server.crt'), 'utf8'),
    key: await readFile(p('server.key'), 'utf8'),
    clientCert: await readFile(p('client.crt'), 'utf8'),
    clientKey: await readFile(p('client.key'), 'utf8'),
  }
}

/** The common name the fake's client certificate carries. */
const CLIENT_CN = 'cutover-client'

interface RoleRule {
  apiGroups?: string[]
  resources?: string[]
  verbs?: string[]
  resourceNames?: string[]
}

function parseRole(yaml: string): { namespace: string; rules: RoleRule[] } {
  const role = (loadAll(yaml) as Obj[]).find((d) => d?.kind === 'Role') as
    (Obj & { rules?: RoleRule[] }) | undefined
  if (!role) throw new Error('fake-kubernetes: the role YAML has no Role')
  return { namespace: role.metadata.namespace ?? 'default', rules: role.rules ?? [] }
}

function allowed(rules: RoleRule[], group: string, plural: string, verb: string, name: string) {
  const has = (list: string[] | undefined, v: string) =>
    !!list && (list.includes('*') || list.includes(v))
  return rules.some(
    (r) =>
      has(r.apiGroups, group) &&
      has(r.resources, plural) &&
      has(r.verbs, verb) &&
      (!r.resourceNames || r.resourceNames.length === 0 || r.resourceNames.includes(name)),
  )
}

const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T))
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

class PatchError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
  ) {
    super(message)
  }
}

/** RFC 6902 with JSON pointers (RFC 6901); `test` failing is the API server's 422. */
function applyJsonPatch(doc: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops))
    throw new PatchError(400, 'BadRequest', 'json patch must be a list of operations')
  const root = clone(doc)
  for (const raw of ops) {
    const op = raw as { op?: string; path?: string; value?: unknown }
    if (typeof op.path !== 'string' || !op.path.startsWith('/'))
      throw new PatchError(400, 'BadRequest', `json patch: bad path ${JSON.stringify(op.path)}`)
    const parts = op.path
      .slice(1)
      .split('/')
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    const key = parts.pop() as string
    let parent: unknown = root
    for (const p of parts) {
      parent = (parent as Record<string, unknown> | undefined)?.[p]
      if (parent === undefined || parent === null || typeof parent !== 'object')
        throw new PatchError(422, 'Invalid', `json patch ${op.op}: path ${op.path} does not exist`)
    }
    const container = parent as Record<string, unknown> & unknown[]
    const value: unknown = clone(op.value)
    const isArray = Array.isArray(container)
    const index = key === '-' ? container.length : Number(key)
    const exists = isArray ? index >= 0 && index < container.length : key in container
    switch (op.op) {
      case 'test':
        if (!exists || !same(isArray ? container[index] : container[key], op.value))
          throw new PatchError(
            422,
            'Invalid',
            `the server rejected our request due to an error in our request (testing value ${op.path} failed: test failed)`,
          )
        break
      case 'add':
        if (isArray) container.splice(index, 0, value)
        else (container as Record<string, unknown>)[key] = value
        break
      case 'replace':
        if (!exists)
          throw new PatchError(422, 'Invalid', `json patch replace: path ${op.path} does not exist`)
        if (isArray) container[index] = value
        else (container as Record<string, unknown>)[key] = value
        break
      case 'remove':
        if (!exists)
          throw new PatchError(422, 'Invalid', `json patch remove: path ${op.path} does not exist`)
        if (isArray) container.splice(index, 1)
        else delete container[key]
        break
      default:
        throw new PatchError(
          400,
          'BadRequest',
          `json patch: unsupported op ${JSON.stringify(op.op)}`,
        )
    }
  }
  return root
}

/** RFC 7386: objects merge, null deletes, everything else (lists too) replaces. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return clone(patch)
  const out: Record<string, unknown> =
    target && typeof target === 'object' && !Array.isArray(target)
      ? clone(target as Record<string, unknown>)
      : {}
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k]
    else out[k] = mergePatch(out[k], v)
  }
  return out
}

/** The merge keys of the lists cutover's kinds have (k8s.io/api `patchMergeKey` tags). */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  ports: 'containerPort',
  conditions: 'type',
}

/** Strategic merge patch, as far as these kinds need: lists with a merge key merge by it. */
function strategicMerge(target: unknown, patch: unknown, field = '', kind = ''): unknown {
  if (Array.isArray(patch)) {
    const key = field === 'ports' && kind === 'Service' ? 'port' : MERGE_KEYS[field]
    if (!key || !Array.isArray(target)) return clone(patch)
    const out = clone(target) as Record<string, unknown>[]
    for (const item of patch as Record<string, unknown>[]) {
      const at = out.findIndex((o) => o[key] === item[key])
      if (at < 0) out.push(clone(item))
      else out[at] = strategicMerge(out[at], item, '', kind) as Record<string, unknown>
    }
    return out
  }
  if (patch === null || typeof patch !== 'object') return clone(patch)
  const out: Record<string, unknown> =
    target && typeof target === 'object' && !Array.isArray(target)
      ? clone(target as Record<string, unknown>)
      : {}
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$')) continue
    if (v === null) delete out[k]
    else out[k] = strategicMerge(out[k], v, k, kind)
  }
  return out
}

function status(code: number, reason: string, message: string, details?: object) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  }
}

/** A bug in the fake answers 500 instead of leaving the client waiting. */
function guard(res: import('node:http').ServerResponse, serve: () => void): void {
  try {
    serve()
  } catch (e) {
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' })
    res.end(
      JSON.stringify(status(500, 'InternalError', `fake-kubernetes: ${(e as Error).message}`)),
    )
  }
}

export async function startFakeKubernetes(
  options: { namespace?: string; role?: string; manifests?: string; tickMs?: number } = {},
): Promise<FakeKubernetes> {
  const dir = await mkdtemp(join(tmpdir(), 'cutover-kubernetes-'))
  const namespace = options.namespace ?? 'shop'
  const tickMs = options.tickMs ?? 30
  const token = `fake-token-${Math.random().toString(36).slice(2)}`
  const user = `system:serviceaccount:${namespace}:cutover`
  let role = parseRole(options.role ?? readFileSync(ROLE_FILE, 'utf8'))
  const store = new Map<string, Obj>()
  let revision = 100
  const keyOf = (plural: string, ns: string, name: string) => `${plural}/${ns}/${name}`
  const resourceFor = (kind: string) => RESOURCES.find((r) => r.kind === kind)
  const rollouts = new Map<string, { ticks: number }>()

  const validate = (o: Obj): string | undefined => {
    const r = resourceFor(o.kind)
    if (!r) return `unknown kind ${o.kind}`
    try {
      r.validate(o)
      return undefined
    } catch (e) {
      return (e as Error).message
    }
  }

  const fake: FakeKubernetes = {
    url: '',
    dir,
    kubeconfig: join(dir, 'kubeconfig'),
    token,
    namespace,
    requests: [],
    violations: [],
    imageBehaviour: (image) =>
      /-broken$/.test(image) ? 'never' : /-stuck$/.test(image) ? 'deadline' : 'ready',
    gateway: 'apply',
    endpointController: 'run',
    dripMs: 300,
    get(plural, name) {
      const o = store.get(keyOf(plural, namespace, name))
      if (!o) throw new Error(`fake-kubernetes: no ${plural} ${name}`)
      return clone(o)
    },
    edit(plural, name, change) {
      const key = keyOf(plural, namespace, name)
      const before = store.get(key)
      if (!before) throw new Error(`fake-kubernetes: no ${plural} ${name}`)
      const after = clone(before)
      change(after)
      const problem = validate(after)
      if (problem)
        throw new Error(`fake-kubernetes: edit makes an invalid ${before.kind}: ${problem}`)
      if (!same(after.spec, before.spec))
        after.metadata.generation = ((before.metadata.generation as number) ?? 1) + 1
      after.metadata.resourceVersion = String(++revision)
      store.set(key, after)
    },
    put(object) {
      const o = clone(object)
      const problem = validate(o)
      if (problem)
        throw new Error(`fake-kubernetes: invalid ${o.kind} ${o.metadata.name}: ${problem}`)
      const r = resourceFor(o.kind) as Resource
      const ns = o.metadata.namespace ?? namespace
      o.metadata = {
        ...o.metadata,
        namespace: ns,
        uid: `uid-${o.metadata.name}`,
        generation: 1,
        resourceVersion: String(++revision),
      }
      if (o.kind === 'Deployment') {
        // Stored as already rolled out: the cluster a team starts from.
        const replicas = (o.spec?.replicas as number) ?? 1
        o.status = {
          observedGeneration: 1,
          replicas,
          updatedReplicas: replicas,
          readyReplicas: replicas,
          availableReplicas: replicas,
          conditions: deploymentConditions(o, 'available'),
        }
      }
      if (o.kind === 'HTTPRoute') o.status = routeStatus(o, 1)
      store.set(keyOf(r.plural, ns, o.metadata.name), o)
    },
    setRole(yaml) {
      role = parseRole(yaml)
    },
    stop: async () => {},
  }

  const serviceExists = (name: string) => store.has(keyOf('services', namespace, name))
  function routeStatus(o: Obj, generation: number) {
    const rules = (o.spec?.rules as { backendRefs?: { name: string }[] }[] | undefined) ?? []
    const missing = rules.flatMap((r) => r.backendRefs ?? []).filter((b) => !serviceExists(b.name))
    const parents = (o.spec?.parentRefs as { name: string }[] | undefined) ?? []
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z')
    return {
      parents: parents.map((parentRef) => ({
        parentRef,
        controllerName: 'example.com/fake-gateway',
        conditions: [
          {
            type: 'Accepted',
            status: 'True',
            reason: 'Accepted',
            message: 'Route is accepted',
            observedGeneration: generation,
            lastTransitionTime: now,
          },
          missing.length === 0
            ? {
                type: 'ResolvedRefs',
                status: 'True',
                reason: 'ResolvedRefs',
                message: 'Resolved all the Object references for the Route',
                observedGeneration: generation,
                lastTransitionTime: now,
              }
            : {
                type: 'ResolvedRefs',
                status: 'False',
                reason: 'BackendNotFound',
                message: `Service ${namespace}/${missing[0]?.name} not found`,
                observedGeneration: generation,
                lastTransitionTime: now,
              },
        ],
      })),
    }
  }
  /** The ReplicaSet of a Deployment's current pod template, named as the controller names it. */
  function replicaSetOf(d: Obj): string {
    let hash = 0
    for (const c of JSON.stringify(d.spec?.template ?? {}))
      hash = (hash * 31 + c.charCodeAt(0)) >>> 0
    return `${d.metadata.name}-${hash.toString(36).slice(0, 10)}`
  }
  function deploymentConditions(d: Obj, phase: 'available' | 'progressing' | 'deadline') {
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z')
    const rs = replicaSetOf(d)
    const progressing =
      phase === 'available'
        ? {
            status: 'True',
            reason: 'NewReplicaSetAvailable',
            message: `ReplicaSet "${rs}" has successfully progressed.`,
          }
        : phase === 'progressing'
          ? {
              status: 'True',
              reason: 'ReplicaSetUpdated',
              message: `ReplicaSet "${rs}" is progressing.`,
            }
          : {
              status: 'False',
              reason: 'ProgressDeadlineExceeded',
              message: `ReplicaSet "${rs}" has timed out progressing.`,
            }
    return [
      {
        type: 'Available',
        status: 'True',
        reason: 'MinimumReplicasAvailable',
        message: 'Deployment has minimum availability.',
        lastUpdateTime: now,
        lastTransitionTime: now,
      },
      { type: 'Progressing', ...progressing, lastUpdateTime: now, lastTransitionTime: now },
    ]
  }

  const manifests = options.manifests ?? readFileSync(MANIFESTS_FILE, 'utf8')
  for (const o of loadAll(manifests) as Obj[]) if (o) fake.put(o)

  /** The controllers: a Deployment controller and a gateway, one step per tick. */
  const tick = () => {
    for (const [key, o] of store) {
      const generation = (o.metadata.generation as number) ?? 1
      if (o.kind === 'HTTPRoute' && fake.gateway === 'apply') {
        const parents =
          (o.status?.parents as { conditions: { observedGeneration: number }[] }[]) ?? []
        if (parents.some((p) => p.conditions.some((c) => c.observedGeneration < generation))) {
          o.status = routeStatus(o, generation)
          o.metadata.resourceVersion = String(++revision)
        }
      }
      if (o.kind === 'Deployment') {
        const s = o.status as Record<string, unknown>
        const desired = (o.spec?.replicas as number) ?? 1
        const rollout = rollouts.get(key)
        if ((s.observedGeneration as number) < generation) {
          rollouts.set(key, { ticks: 0 })
          o.status = {
            ...s,
            observedGeneration: generation,
            replicas: desired + 1,
            updatedReplicas: 1,
            unavailableReplicas: 1,
            conditions: deploymentConditions(o, 'progressing'),
          }
          o.metadata.resourceVersion = String(++revision)
        } else if (rollout) {
          rollout.ticks++
          const containers = (o.spec?.template as { spec: { containers: { image: string }[] } })
            .spec.containers
          const behaviour =
            containers.map((c) => fake.imageBehaviour(c.image)).find((b) => b !== 'ready') ??
            'ready'
          if (behaviour === 'ready' && rollout.ticks >= 2) {
            rollouts.delete(key)
            o.status = {
              observedGeneration: generation,
              replicas: desired,
              updatedReplicas: desired,
              readyReplicas: desired,
              availableReplicas: desired,
              conditions: deploymentConditions(o, 'available'),
            }
            o.metadata.resourceVersion = String(++revision)
          } else if (behaviour === 'deadline' && rollout.ticks >= 4) {
            rollouts.delete(key)
            o.status = { ...s, conditions: deploymentConditions(o, 'deadline') }
            o.metadata.resourceVersion = String(++revision)
          }
        }
      }
    }
  }
  /**
   * The EndpointSlice controller: a Service's slice lists the ready pods its selector picks. The
   * fake has no pods, so each Deployment stands for `readyReplicas` pods with fixed addresses.
   */
  const deploymentIndex = new Map<string, number>()
  const endpointSlices = () => {
    if (fake.endpointController !== 'run') return
    const deployments = [...store.values()].filter((o) => o.kind === 'Deployment')
    for (const svc of [...store.values()].filter((o) => o.kind === 'Service')) {
      const selector = (svc.spec?.selector as Record<string, string> | undefined) ?? {}
      const ns = svc.metadata.namespace as string
      const endpoints = deployments
        .filter((d) => d.metadata.namespace === ns && Object.keys(selector).length > 0)
        .filter((d) => {
          const labels =
            (d.spec?.template as { metadata?: { labels?: Record<string, string> } }).metadata
              ?.labels ?? {}
          return Object.entries(selector).every(([k, v]) => labels[k] === v)
        })
        .flatMap((d) => {
          if (!deploymentIndex.has(d.metadata.name))
            deploymentIndex.set(d.metadata.name, deploymentIndex.size + 1)
          const index = deploymentIndex.get(d.metadata.name) as number
          const ready = (d.status?.readyReplicas as number | undefined) ?? 0
          return Array.from({ length: ready }, (_, i) => ({
            addresses: [`10.244.${index}.${i + 10}`],
            conditions: { ready: true },
            targetRef: { kind: 'Pod', namespace: ns, name: `${d.metadata.name}-5f7c9-${i}` },
          }))
        })
      const name = `${svc.metadata.name}-fk8s1`
      const key = keyOf('endpointslices', ns, name)
      const ports = ((svc.spec?.ports as { port: number; targetPort?: number }[]) ?? []).map(
        (p) => ({ port: p.targetPort ?? p.port, protocol: 'TCP', name: '' }),
      )
      const before = store.get(key)
      if (before && same((before as { endpoints?: unknown }).endpoints, endpoints)) continue
      const slice = {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: {
          name,
          namespace: ns,
          uid: `uid-${name}`,
          generation: 1,
          resourceVersion: String(++revision),
          labels: {
            'kubernetes.io/service-name': svc.metadata.name,
            'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
          },
        },
        addressType: 'IPv4',
        endpoints,
        ports,
      } as unknown as Obj
      const problem = validate(slice)
      if (problem) fake.violations.push(`EndpointSlice ${name}: ${problem}`)
      store.set(key, slice)
    }
  }
  endpointSlices()
  const timer = setInterval(() => {
    tick()
    endpointSlices()
  }, tickMs)

  const certs = await makeCertificates(dir)
  const requestsOn = new WeakMap<object, number>()
  const server: Server = createServer(
    // Client certificates are asked for, checked against the CA, and optional (tokens work too).
    {
      cert: certs.cert,
      key: certs.key,
      ca: certs.ca,
      requestCert: true,
      rejectUnauthorized: false,
    },
    (req, res) => {
      // The how-many-th request on its connection (a kept-alive socket serves several).
      const served = (requestsOn.get(req.socket) ?? 0) + 1
      requestsOn.set(req.socket, served)
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () =>
        guard(res, () => {
          const send = (code: number, body: unknown, drip: boolean) => {
            res.writeHead(code, { 'content-type': 'application/json' })
            if (!drip) return void res.end(JSON.stringify(body))
            const bytes = Buffer.from(JSON.stringify(body))
            let at = 0
            const timer = setInterval(() => {
              if (res.destroyed) return clearInterval(timer)
              if (at >= bytes.length) {
                clearInterval(timer)
                return void res.end()
              }
              res.write(bytes.subarray(at, ++at))
            }, fake.dripMs)
            res.on('close', () => clearInterval(timer))
          }
          const url = new URL(req.url ?? '/', 'https://fake')
          // An object (…/<plural>/<name>) or a collection (…/<plural>: list).
          const m =
            /^\/api\/v1\/namespaces\/([^/]+)\/([^/]+)(?:\/([^/]+))?$/.exec(url.pathname) ??
            /^\/apis\/([^/]+)\/([^/]+)\/namespaces\/([^/]+)\/([^/]+)(?:\/([^/]+))?$/.exec(
              url.pathname,
            )
          const core = url.pathname.startsWith('/api/')
          const [group, version, ns, plural, name] = !m
            ? []
            : core
              ? ['', 'v1', m[1], m[2], m[3]]
              : [m[1], m[2], m[3], m[4], m[5]]
          const verb =
            req.method === 'GET' && m && !name
              ? 'list'
              : req.method === 'GET'
                ? 'get'
                : req.method === 'PATCH'
                  ? 'patch'
                  : (req.method ?? '').toLowerCase()
          const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim()
          const tls = req.socket as TLSSocket
          const auth: RequestRecord['auth'] =
            req.headers.authorization === `Bearer ${token}`
              ? 'token'
              : tls.authorized && tls.getPeerCertificate().subject?.CN === CLIENT_CN
                ? 'certificate'
                : 'none'
          const record: RequestRecord = {
            auth,
            verb,
            resource: plural ?? url.pathname,
            name: name ?? '',
            status: 0,
          }
          if (verb === 'patch') record.contentType = contentType
          fake.requests.push(record)
          const answer = (code: number, body: unknown) => {
            record.status = code
            send(
              code,
              body,
              fake.drip?.({ verb, resource: record.resource, name: record.name }) ?? false,
            )
          }

          if (auth === 'none') return answer(401, status(401, 'Unauthorized', 'Unauthorized'))
          const resource = RESOURCES.find(
            (r) => r.plural === plural && r.group === group && r.version === version,
          )
          if (!m || !resource || !ns || (!name && verb !== 'list'))
            return answer(
              404,
              status(404, 'NotFound', 'the server could not find the requested resource'),
            )
          const groupResource = resource.group ? `${plural}.${resource.group}` : (plural as string)
          if (
            ns !== role.namespace ||
            !allowed(role.rules, group as string, plural as string, verb, name ?? '')
          )
            return answer(
              403,
              status(
                403,
                'Forbidden',
                `${groupResource}${name ? ` "${name}"` : ''} is forbidden: User "${user}" cannot ${verb} resource "${plural}" in API group "${group}" in the namespace "${ns}"`,
                { name, group, kind: plural },
              ),
            )
          const r = { verb, resource: plural as string, name: name ?? '' }
          if (fake.hangUp?.({ ...r, reused: served > 1 })) return void req.socket.destroy()
          fake.beforeRequest?.(r)
          if (verb === 'list') {
            const wanted = (url.searchParams.get('labelSelector') ?? '')
              .split(',')
              .filter(Boolean)
              .map((t) => t.split('='))
            const items = [...store.values()].filter(
              (o) =>
                o.kind === resource.kind &&
                o.metadata.namespace === ns &&
                wanted.every(
                  ([k, v]) =>
                    (o.metadata.labels as Record<string, string> | undefined)?.[k as string] === v,
                ),
            )
            return answer(200, {
              kind: `${resource.kind}List`,
              apiVersion: resource.group
                ? `${resource.group}/${resource.version}`
                : resource.version,
              metadata: { resourceVersion: String(revision) },
              items,
            })
          }
          if (!name) throw new Error('unreachable: a named request without a name')
          const key = keyOf(plural as string, ns, name)
          const current = store.get(key)
          if (!current)
            return answer(
              404,
              status(404, 'NotFound', `${groupResource} "${name}" not found`, {
                name,
                group,
                kind: plural,
              }),
            )
          if (verb === 'get') return answer(200, current)
          if (verb !== 'patch')
            return answer(
              405,
              status(405, 'MethodNotAllowed', `the fake does not serve ${req.method}`),
            )

          const accepted = [
            JSON_PATCH,
            MERGE_PATCH,
            ...(resource.builtin ? [STRATEGIC_PATCH] : []),
            APPLY_PATCH,
          ]
          if (!contentType || !accepted.includes(contentType))
            return answer(
              415,
              status(
                415,
                'UnsupportedMediaType',
                `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
              ),
            )
          if (contentType === APPLY_PATCH)
            return answer(
              415,
              status(415, 'UnsupportedMediaType', 'server-side apply is not served by this fake'),
            )
          let body: unknown
          try {
            body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
          } catch {
            return answer(400, status(400, 'BadRequest', 'error decoding patch: invalid JSON'))
          }
          record.body = body
          let patched: Obj
          try {
            patched = (
              contentType === JSON_PATCH
                ? applyJsonPatch(current, body)
                : contentType === MERGE_PATCH
                  ? mergePatch(current, body)
                  : strategicMerge(current, body, '', resource.kind)
            ) as Obj
          } catch (e) {
            if (e instanceof PatchError) return answer(e.code, status(e.code, e.reason, e.message))
            throw e
          }
          if (patched.metadata?.name !== name || (patched.metadata.namespace ?? ns) !== ns)
            return answer(
              400,
              status(
                400,
                'BadRequest',
                `the name of the object does not match the name on the URL`,
              ),
            )
          const precondition = patched.metadata.resourceVersion
          if (precondition && precondition !== current.metadata.resourceVersion)
            return answer(
              409,
              status(
                409,
                'Conflict',
                `Operation cannot be fulfilled on ${groupResource} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
                { name, group, kind: plural },
              ),
            )
          if (
            resource.kind === 'ConfigMap' &&
            (current as { immutable?: boolean }).immutable &&
            (!same((patched as { data?: unknown }).data, (current as { data?: unknown }).data) ||
              !same(
                (patched as { binaryData?: unknown }).binaryData,
                (current as { binaryData?: unknown }).binaryData,
              ) ||
              (patched as { immutable?: boolean }).immutable !== true)
          ) {
            fake.violations.push(`ConfigMap ${name}: changed while immutable`)
            return answer(
              422,
              status(
                422,
                'Invalid',
                `ConfigMap "${name}" is invalid: data: Forbidden: field is immutable when \`immutable\` is set`,
              ),
            )
          }
          // Server-owned fields: status goes through its subresource, generation is the server's.
          patched.status = clone(current.status)
          patched.metadata.generation = current.metadata.generation
          patched.metadata.resourceVersion = current.metadata.resourceVersion
          patched.metadata.uid = current.metadata.uid
          const problem = validate(patched)
          if (problem) {
            fake.violations.push(`${resource.kind} ${name}: ${problem}`)
            return answer(
              422,
              status(
                422,
                'Invalid',
                `${resource.kind}.${resource.group || 'core'} "${name}" is invalid: ${problem}`,
              ),
            )
          }
          if (same(patched, current)) return answer(200, current)
          if (!same(patched.spec, current.spec))
            patched.metadata.generation = ((current.metadata.generation as number) ?? 1) + 1
          patched.metadata.resourceVersion = String(++revision)
          store.set(key, patched)
          return answer(200, patched)
        }),
      )
    },
  )
  // A port nothing listens on, for the `unreachable` context.
  const closed = createNetServer()
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
  const closedPort = (closed.address() as { port: number }).port
  await new Promise((r) => closed.close(r))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  fake.url = `https://127.0.0.1:${port}`
  const ca = Buffer.from(certs.ca).toString('base64')
  const b64 = (s: string) => Buffer.from(s).toString('base64')
  const credential = JSON.stringify({
    apiVersion: 'client.authentication.k8s.io/v1',
    kind: 'ExecCredential',
    status: { token },
  })
  await writeFile(
    fake.kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `  - name: fake\n    cluster:\n      server: ${fake.url}\n      certificate-authority-data: ${ca}`,
      `  - name: unreachable\n    cluster:\n      server: https://127.0.0.1:${closedPort}\n      certificate-authority-data: ${ca}`,
      `  - name: fake-files\n    cluster:\n      server: ${fake.url}\n      certificate-authority: ca.crt`,
      'users:',
      `  - name: cutover\n    user:\n      token: ${token}`,
      `  - name: cutover-cert\n    user:\n      client-certificate-data: ${b64(certs.clientCert)}\n      client-key-data: ${b64(certs.clientKey)}`,
      `  - name: cutover-files\n    user:\n      client-certificate: client.crt\n      client-key: client.key`,
      `  - name: cutover-exec\n    user:\n      exec:`,
      `        apiVersion: client.authentication.k8s.io/v1`,
      `        command: ${JSON.stringify(process.execPath)}`,
      `        args: ["-e", ${JSON.stringify(`process.stdout.write(${JSON.stringify(credential)})`)}]`,
      `        interactiveMode: Never`,
      'contexts:',
      `  - name: fake\n    context: { cluster: fake, user: cutover, namespace: ${namespace} }`,
      `  - name: unreachable\n    context: { cluster: unreachable, user: cutover }`,
      `  - name: fake-cert\n    context: { cluster: fake, user: cutover-cert }`,
      `  - name: fake-files\n    context: { cluster: fake-files, user: cutover-files }`,
      `  - name: fake-exec\n    context: { cluster: fake, user: cutover-exec }`,
      'current-context: fake',
      '',
    ].join('\n'),
    { mode: 0o600 },
  )
  fake.stop = async () => {
    clearInterval(timer)
    server.closeAllConnections()
    await new Promise((r) => server.close(r))
    await rm(dir, { recursive: true, force: true })
  }
  return fake
}
