/**
 * The `router` mapping for `type: kubernetes`, validated before anything talks to a cluster.
 * Kept apart from the provider so parsing never loads the Kubernetes client.
 */
import { ConfigurationError, parseDuration, quote } from '../action-kit/index.js'
import { describeValue } from '../action-kit/util.js'
import { SLOTS, type Slot } from '../domain/index.js'

export interface KubernetesSlot {
  /** The Deployment that runs this slot's release. */
  deployment: string
  /** The Kubernetes Service in front of that Deployment (not the actions' `service` input). */
  service: string
}

export type KubernetesRoute =
  /** Weights on the HTTPRoute's backendRefs to the two slot Services; `rule` limits it to one rule. */
  | { kind: 'httproute'; name: string; rule?: number }
  /** Blue-green only: the Service whose selector label `label` is `blue` or `green`. */
  | { kind: 'service'; name: string; label: string }

export interface KubernetesConfig {
  type: 'kubernetes'
  /** Identity in records; default `kubernetes <namespace>/<route name>`. */
  name: string
  namespace: string
  /** A kubeconfig context; default the current one. */
  context?: string
  /** The slot Service names, as every router config has them. */
  slots: Record<Slot, string[]>
  targets: Record<Slot, KubernetesSlot>
  route: KubernetesRoute
  /** Bounds each API call and the wait for the route to be applied, in ms. */
  timeout: number
}

export const KUBERNETES_KEYS = [
  'type',
  'name',
  'namespace',
  'context',
  'slots',
  'route',
  'timeout',
] as const

/** Gateway API allows at most 16 rules in an HTTPRoute. */
const MAX_RULES = 16
const DEFAULT_TIMEOUT_MS = 30_000

// The name rules the API server applies (k8s.io/apimachinery validation).
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
const ROUTER_NAME = /^[^\s\p{Cc}][^\p{Cc}]{0,62}[^\s\p{Cc}]$|^[^\s\p{Cc}]$/u
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/

const NAMESPACE_RULE = 'a namespace name (lower-case letters, digits and -, at most 63)'
const SUBDOMAIN_RULE = 'a Kubernetes object name (lower-case letters, digits, - and ., at most 253)'
const SERVICE_RULE =
  'a Service name (lower-case letters, digits and -, starting with a letter, at most 63)'
const LABEL_RULE = 'a label key such as slot or example.com/slot'

export function isNamespace(s: string): boolean {
  return s.length <= 63 && DNS_LABEL.test(s)
}
export function isObjectName(s: string): boolean {
  return s.length <= 253 && DNS_SUBDOMAIN.test(s)
}
export function isServiceName(s: string): boolean {
  return s.length <= 63 && DNS_1035_LABEL.test(s)
}
export function isLabelKey(s: string): boolean {
  const slash = s.lastIndexOf('/')
  const prefix = slash < 0 ? undefined : s.slice(0, slash)
  const name = slash < 0 ? s : s.slice(slash + 1)
  if (prefix !== undefined && !isObjectName(prefix)) return false
  return name.length <= 63 && LABEL_NAME.test(name)
}

export interface ParseOptions {
  /** Throws the caller's error; default: ConfigurationError prefixed with `Input 'router': `. */
  fail?: (message: string) => never
  /** The full name of a field for messages, e.g. `slots.blue` -> `router[1].slots.blue`. */
  field?: (key: string) => string
}

export function parseKubernetesConfig(
  map: Record<string, unknown>,
  options: ParseOptions = {},
): KubernetesConfig {
  const fail =
    options.fail ??
    ((message: string): never => {
      throw new ConfigurationError(`Input 'router': ${message}`)
    })
  const field = options.field ?? ((key: string) => key)
  const named = (key: string) => `'${field(key)}'`

  const unknown = Object.keys(map).filter(
    (k) => !(KUBERNETES_KEYS as readonly string[]).includes(k),
  )
  if (unknown.length > 0)
    fail(
      `unknown key ${unknown.map(quote).join(', ')} for type kubernetes; allowed: ${KUBERNETES_KEYS.join(', ')}.`,
    )

  const text = (
    where: Record<string, unknown>,
    key: string,
    path: string,
    valid: (s: string) => boolean,
    rule: string,
  ): string => {
    const v = where[key]
    if (v === undefined || v === null || v === '')
      return fail(`${named(path)} is required: ${rule}.`)
    if (typeof v !== 'string')
      return fail(`${named(path)} must be ${rule}, got ${describeValue(v)}.`)
    const s = v.trim()
    if (!valid(s)) return fail(`${named(path)} is ${quote(cap(s))}; allowed: ${rule}.`)
    return s
  }
  const mapping = (v: unknown, path: string, shape: string): Record<string, unknown> => {
    if (v === undefined || v === null) return fail(`${named(path)} is required: ${shape}.`)
    if (typeof v !== 'object' || Array.isArray(v))
      return fail(`${named(path)} must be a mapping ${shape}, got ${describeValue(v)}.`)
    return v as Record<string, unknown>
  }
  const onlyKeys = (m: Record<string, unknown>, path: string, allowed: readonly string[]) => {
    const extra = Object.keys(m).filter((k) => !allowed.includes(k))
    if (extra.length > 0)
      fail(
        `${named(path)} has unknown key ${extra.map(quote).join(', ')}; allowed: ${allowed.join(', ')}.`,
      )
  }

  const namespace = text(map, 'namespace', 'namespace', isNamespace, NAMESPACE_RULE)

  let context: string | undefined
  if (map.context !== undefined && map.context !== null) {
    const v = map.context
    if (typeof v !== 'string' || v.trim() === '' || /[\n\r]/.test(v))
      fail(`${named('context')} must be the name of a kubeconfig context, got ${describeValue(v)}.`)
    context = (v as string).trim()
  }

  const slotsMap = mapping(
    map.slots,
    'slots',
    '{ blue: { deployment, service }, green: { deployment, service } }',
  )
  onlyKeys(slotsMap, 'slots', SLOTS)
  const targets = {} as Record<Slot, KubernetesSlot>
  for (const slot of SLOTS) {
    const m = mapping(slotsMap[slot], `slots.${slot}`, '{ deployment: <name>, service: <name> }')
    onlyKeys(m, `slots.${slot}`, ['deployment', 'service'])
    targets[slot] = {
      deployment: text(m, 'deployment', `slots.${slot}.deployment`, isObjectName, SUBDOMAIN_RULE),
      service: text(m, 'service', `slots.${slot}.service`, isServiceName, SERVICE_RULE),
    }
  }
  for (const key of ['deployment', 'service'] as const) {
    if (targets.blue[key] === targets.green[key])
      fail(
        `${named(`slots.blue.${key}`)} and ${named(`slots.green.${key}`)} are both ${quote(targets.blue[key])}; each slot needs its own ${key === 'service' ? 'Service' : 'Deployment'}.`,
      )
  }

  const routeMap = mapping(
    map.route,
    'route',
    '{ httproute: <name>, rule?: <index> } or { service: <name>, label: <key> }',
  )
  let route: KubernetesRoute
  if ('httproute' in routeMap && 'service' in routeMap) {
    return fail(
      `${named('route')} has both 'httproute' and 'service'; give one: { httproute: <name> } to split by weights, or { service: <name>, label: <key> } for blue-green by selector.`,
    )
  } else if ('httproute' in routeMap) {
    onlyKeys(routeMap, 'route', ['httproute', 'rule'])
    const name = text(routeMap, 'httproute', 'route.httproute', isObjectName, SUBDOMAIN_RULE)
    route = { kind: 'httproute', name }
    const rule = routeMap.rule
    if (rule !== undefined && rule !== null) {
      const n =
        typeof rule === 'number' ? rule : /^\s*\d+\s*$/.test(String(rule)) ? Number(rule) : NaN
      if (!Number.isInteger(n) || n < 0 || n >= MAX_RULES)
        fail(
          `${named('route.rule')} is ${quote(rule)}; allowed: the index of a rule in the HTTPRoute, a whole number from 0 to ${MAX_RULES - 1}.`,
        )
      route.rule = n
    }
  } else if ('service' in routeMap) {
    onlyKeys(routeMap, 'route', ['service', 'label'])
    const name = text(routeMap, 'service', 'route.service', isServiceName, SERVICE_RULE)
    const label = text(routeMap, 'label', 'route.label', isLabelKey, LABEL_RULE)
    if (name === targets.blue.service || name === targets.green.service)
      fail(
        `${named('route.service')} is ${quote(name)}, which is also a slot's Service; the switching Service must be a third Service whose selector picks the slot.`,
      )
    route = { kind: 'service', name, label }
  } else {
    return fail(
      `${named('route')} needs 'httproute' (weights on an HTTPRoute) or 'service' with 'label' (a Service selector, blue-green only); got keys ${Object.keys(routeMap).map(quote).join(', ') || 'none'}.`,
    )
  }

  let timeout = DEFAULT_TIMEOUT_MS
  if (map.timeout !== undefined && map.timeout !== null) {
    const v = map.timeout
    let ms = NaN
    try {
      ms = parseDuration(field('timeout'), String(v))
    } catch {
      ms = NaN
    }
    if (!(ms >= 1000 && ms <= 600_000))
      fail(`${named('timeout')} is ${quote(v)}; allowed: a duration from 1s to 10m, e.g. 30s.`)
    timeout = ms
  }

  let name = `kubernetes ${namespace}/${route.name}`
  if (map.name !== undefined && map.name !== null) {
    const v = map.name
    // The same rule as every router's name (config.ts).
    if (typeof v !== 'string' || !ROUTER_NAME.test(v))
      fail(
        `${named('name')} is ${typeof v === 'string' ? quote(cap(v)) : describeValue(v)}; allowed: a label of 1 to 64 printable characters, e.g. "orders (eu)".`,
      )
    name = v as string
  }

  return {
    type: 'kubernetes',
    name,
    namespace,
    ...(context === undefined ? {} : { context }),
    slots: { blue: [targets.blue.service], green: [targets.green.service] },
    targets,
    route,
    timeout,
  }
}

/** For logs and errors: never credentials, never the API server's address. */
export function kubernetesDescribe(config: KubernetesConfig): string {
  const where = config.context ? ` (context ${config.context})` : ''
  const route =
    config.route.kind === 'httproute'
      ? `HTTPRoute ${config.namespace}/${config.route.name}${config.route.rule === undefined ? '' : ` rule ${config.route.rule}`}`
      : `Service ${config.namespace}/${config.route.name} selector ${config.route.label}`
  return `kubernetes ${route}${where}`
}

function cap(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s
}
