/**
 * Pure decisions over Kubernetes objects as the API server returns them: which HTTPRoute rules
 * carry the slots, their weights, the JSON patch that sets new ones, whether the gateway applied
 * the route, and where a Deployment's rollout stands. No I/O: tested as tables.
 */
import { formatWeights, SLOTS, type Slot, type Weights } from '../domain/index.js'
import type { KubernetesSlot } from './kubernetes-config.js'
import { quote } from '../action-kit/index.js'
import { regexLiteral, fromRegexLiteral, type Match, type MatchRoute } from './match.js'
import { RouterError } from './router.js'
import { toPercent } from './weights.js'

export interface Condition {
  type: string
  status: string
  reason?: string
  message?: string
  observedGeneration?: number
}

export interface ObjectMeta {
  name?: string
  namespace?: string
  resourceVersion?: string
  generation?: number
  labels?: Record<string, string>
}

export interface BackendRef {
  name: string
  group?: string
  kind?: string
  namespace?: string
  port?: number
  weight?: number
}

export interface HttpRoute {
  metadata: ObjectMeta
  spec: { rules?: RouteRule[] }
  status?: {
    parents?: {
      parentRef: { name: string; namespace?: string; sectionName?: string }
      controllerName?: string
      conditions?: Condition[]
    }[]
  }
}

export interface HeaderMatch {
  type?: 'Exact' | 'RegularExpression'
  name: string
  value: string
}

export interface RouteRule {
  matches?: { path?: unknown; headers?: HeaderMatch[]; [key: string]: unknown }[]
  backendRefs?: BackendRef[]
  [key: string]: unknown
}

export interface Deployment {
  metadata: ObjectMeta
  spec?: {
    replicas?: number
    paused?: boolean
    template?: {
      metadata?: { labels?: Record<string, string> }
      spec?: { containers?: { name: string; image?: string }[] }
    }
  }
  status?: {
    observedGeneration?: number
    replicas?: number
    updatedReplicas?: number
    readyReplicas?: number
    availableReplicas?: number
    unavailableReplicas?: number
    conditions?: Condition[]
  }
}

export interface ServiceObject {
  metadata: ObjectMeta
  spec?: { selector?: Record<string, string> }
}

/** Where each slot's backendRef sits in one rule. */
export interface SlotRefs {
  rule: number
  index: Record<Slot, number>
  /** Other backendRefs of the rule that carry traffic: `name (weight n)`. */
  others: string[]
}

export interface RouteState {
  weights: Weights
  rules: SlotRefs[]
}

/** A backendRef to a Service of the route's own namespace (the only kind a slot can be). */
function refersTo(ref: BackendRef, service: string, namespace: string | undefined): boolean {
  return (
    ref.name === service &&
    (ref.group === undefined || ref.group === '') &&
    (ref.kind === undefined || ref.kind === 'Service') &&
    (ref.namespace === undefined || ref.namespace === namespace)
  )
}

/** Gateway API: a backendRef without `weight` weighs 1. */
export function refWeight(ref: BackendRef): number {
  return ref.weight ?? 1
}

/**
 * The rules that carry both slots (all of them, or `rule` only) and their weights as
 * percentages. Refuses when no rule has both, when a slot appears twice in a rule, or when the
 * rules disagree (a partial edit by hand): a router that cannot say where traffic is, says so.
 */
export function routeState(
  route: HttpRoute,
  targets: Record<Slot, KubernetesSlot>,
  rule?: number,
): RouteState {
  const rules = route.spec.rules ?? []
  const namespace = route.metadata.namespace
  const id = `HTTPRoute ${namespace}/${route.metadata.name}`
  const both = `${targets.blue.service} and ${targets.green.service}`
  const found: SlotRefs[] = []
  const indices = rule === undefined ? rules.map((_, i) => i) : [rule]
  if (rule !== undefined && rule >= rules.length)
    throw new RouterError(`${id} has ${rules.length} rule(s); there is no rule ${rule}`)
  for (const i of indices) {
    const refs = rules[i]?.backendRefs ?? []
    const index = {} as Record<Slot, number>
    for (const slot of SLOTS) {
      const at = refs.flatMap((r, j) => (refersTo(r, targets[slot].service, namespace) ? [j] : []))
      if (at.length > 1)
        throw new RouterError(
          `${id} rule ${i} has ${at.length} backendRefs to Service ${targets[slot].service}; a slot must appear once per rule`,
        )
      if (at.length === 1) index[slot] = at[0] as number
    }
    const has = SLOTS.filter((s) => index[s] !== undefined)
    if (has.length === 2) {
      const others = refs
        .filter((_, j) => j !== index.blue && j !== index.green)
        .filter((r) => refWeight(r) > 0)
        .map((r) => `${r.name} (weight ${refWeight(r)})`)
      found.push({ rule: i, index, others })
    } else if (rule !== undefined) {
      throw new RouterError(
        `${id} rule ${i} has no backendRef to ${has.length === 1 ? `Service ${targets[SLOTS.find((s) => !has.includes(s)) as Slot].service}` : both}; add both slot Services (weight 0 for the idle one)`,
      )
    }
  }
  if (found.length === 0)
    throw new RouterError(
      `${id} has no rule with backendRefs to both ${both}; add both slot Services to the rule that should switch (weight 0 for the idle one)`,
    )
  const per = found.map((f) => {
    const refs = rules[f.rule]?.backendRefs ?? []
    const raw = (slot: Slot) => refWeight(refs[f.index[slot]] as BackendRef)
    return { rule: f.rule, weights: toPercent(raw('blue'), raw('green')) }
  })
  const first = per[0]?.weights as Weights
  if (per.some((p) => p.weights.blue !== first.blue || p.weights.green !== first.green))
    throw new RouterError(
      `${id}: its rules disagree on the slots' weights (${per.map((p) => `rule ${p.rule}: ${formatWeights(p.weights)}`).join('; ')}); set them alike by hand, or choose one rule with 'route.rule'`,
    )
  return { weights: first, rules: found }
}

export type JsonPatchOp =
  | { op: 'test'; path: string; value: unknown }
  | { op: 'add' | 'replace'; path: string; value: unknown }
  | { op: 'remove'; path: string }

/**
 * The header match of a rule: `x-canary: 1` is an Exact header match (header names match
 * ignoring case); a cookie is a RegularExpression on the Cookie header, anchored at both ends
 * so it means the same under full-match (Envoy) and partial-match implementations.
 */
export function headerMatchFor(m: Match): HeaderMatch {
  if (m.kind === 'header') return { type: 'Exact', name: m.name, value: m.value }
  return {
    type: 'RegularExpression',
    name: 'Cookie',
    value: `^(.*;\\s*)?${regexLiteral(m.name)}=${regexLiteral(m.value)}(\\s*;.*)?$`,
  }
}

function matchOf(h: HeaderMatch): Match | undefined {
  if ((h.type ?? 'Exact') === 'Exact') return { kind: 'header', name: h.name, value: h.value }
  if (h.type !== 'RegularExpression' || h.name.toLowerCase() !== 'cookie') return undefined
  const lit = '((?:[A-Za-z0-9]|\\\\x[0-9a-f]{2})+)'
  const found = new RegExp(
    `^\\^\\(\\.\\*;\\\\s\\*\\)\\?${lit}=${lit}\\(\\\\s\\*;\\.\\*\\)\\?\\$$`,
  ).exec(h.value)
  const name = found && fromRegexLiteral(found[1] as string)
  const value = found && fromRegexLiteral(found[2] as string)
  return name && value ? { kind: 'cookie', name, value } : undefined
}

/**
 * The header route's rules: those whose one backendRef is a slot's Service and whose every
 * match carries exactly one header match of cutover's form. Null when there is none; a
 * RouterError when they disagree or a rule looks half like one.
 */
export function routeMatch(
  route: HttpRoute,
  targets: Record<Slot, KubernetesSlot>,
): { route: MatchRoute; rules: number[] } | null {
  const namespace = route.metadata.namespace
  const found: { rule: number; route: MatchRoute }[] = []
  for (const [i, rule] of (route.spec.rules ?? []).entries()) {
    const refs = rule.backendRefs ?? []
    const matches = rule.matches ?? []
    if (refs.length !== 1 || matches.length === 0) continue
    const slot = SLOTS.find((s) => refersTo(refs[0] as BackendRef, targets[s].service, namespace))
    if (!slot) continue
    const each = matches.map((m) =>
      m.headers?.length === 1 ? matchOf(m.headers[0] as HeaderMatch) : undefined,
    )
    if (each.some((m) => m === undefined)) continue
    const first = each[0] as Match
    if (
      each.some((m) => m?.kind !== first.kind || m.name !== first.name || m.value !== first.value)
    )
      continue
    found.push({ rule: i, route: { ...first, slot } })
  }
  if (found.length === 0) return null
  const [one] = found as [{ rule: number; route: MatchRoute }]
  if (found.some((f) => JSON.stringify(f.route) !== JSON.stringify(one.route)))
    throw new RouterError(
      `HTTPRoute ${namespace}/${route.metadata.name} has header-match rules that disagree (${found.map((f) => `rule ${f.rule}: ${f.route.kind} ${f.route.name}=${f.route.value} -> ${f.route.slot}`).join('; ')}); remove them by hand`,
    )
  return { route: one.route, rules: found.map((f) => f.rule) }
}

/**
 * A JSON patch that replaces the header route: each old header rule is tested (unchanged since
 * read) and removed, from the last; a new rule per match of the weighted rule (`base`) gets the
 * header match added, pointing at the slot's Service; the resourceVersion read is the
 * precondition (409 if anyone changed the route since).
 */
export function matchPatch(
  route: HttpRoute,
  state: RouteState,
  targets: Record<Slot, KubernetesSlot>,
  old: number[],
  next: MatchRoute | null,
  resourceVersion: string,
): JsonPatchOp[] {
  const rules = route.spec.rules ?? []
  const ops: JsonPatchOp[] = []
  for (const i of [...old].sort((a, b) => b - a)) {
    ops.push({ op: 'test', path: `/spec/rules/${i}`, value: rules[i] })
    ops.push({ op: 'remove', path: `/spec/rules/${i}` })
  }
  if (next) {
    const base = rules[state.rules[0]?.rule ?? 0] ?? {}
    const baseRef = (base.backendRefs ?? [])[state.rules[0]?.index[next.slot] ?? 0]
    const header = headerMatchFor(next)
    const matches = (base.matches && base.matches.length > 0 ? base.matches : [{}]).map((m) => ({
      ...m,
      headers: [...(m.headers ?? []), header],
    }))
    const ref: BackendRef = { name: targets[next.slot].service }
    if (baseRef?.port !== undefined) ref.port = baseRef.port
    ops.push({ op: 'add', path: '/spec/rules/-', value: { matches, backendRefs: [ref] } })
  }
  ops.push({ op: 'replace', path: '/metadata/resourceVersion', value: resourceVersion })
  return ops
}

/**
 * A JSON patch that sets the slots' weights and nothing else. Each touched backendRef is pinned
 * by a `test` of its name (the route's shape has not moved under us), and the resourceVersion we
 * read is written back as a precondition: if anyone changed the route since, the API server
 * answers 409 and changes nothing.
 */
export function routePatch(
  state: RouteState,
  targets: Record<Slot, KubernetesSlot>,
  target: Weights,
  resourceVersion: string,
): JsonPatchOp[] {
  const ops: JsonPatchOp[] = []
  for (const r of state.rules) {
    for (const slot of SLOTS) {
      const path = `/spec/rules/${r.rule}/backendRefs/${r.index[slot]}`
      ops.push({ op: 'test', path: `${path}/name`, value: targets[slot].service })
      // `add` sets a member whether or not it exists (RFC 6902 4.1).
      ops.push({ op: 'add', path: `${path}/weight`, value: target[slot] })
    }
  }
  ops.push({ op: 'replace', path: '/metadata/resourceVersion', value: resourceVersion })
  return ops
}

export interface Applied {
  applied: boolean
  /** Per parent: `gateway shop/web: Accepted=True, ResolvedRefs=False (BackendNotFound: ...)`. */
  detail: string
}

/**
 * The gateway applied the route when every parent reports Accepted and ResolvedRefs True for at
 * least the route's current generation. No parent status at all means no controller took it.
 */
export function routeApplied(route: HttpRoute, generation: number): Applied {
  const parents = route.status?.parents ?? []
  if (parents.length === 0)
    return {
      applied: false,
      detail: `no gateway reported status for generation ${generation} (is a Gateway API controller running, and does parentRefs name its Gateway?)`,
    }
  let applied = true
  const lines = parents.map((p) => {
    const ns = p.parentRef.namespace ?? route.metadata.namespace
    const parts = ['Accepted', 'ResolvedRefs'].map((type) => {
      const c = (p.conditions ?? []).find((x) => x.type === type)
      if (!c) {
        applied = false
        return `${type} not reported`
      }
      const observed = c.observedGeneration ?? 0
      const current = observed >= generation
      if (c.status !== 'True' || !current) applied = false
      const why =
        c.status === 'True'
          ? ''
          : ` (${c.reason ?? 'no reason'}${c.message ? `: ${c.message}` : ''})`
      return `${type}=${c.status}${why}${current ? '' : ` for generation ${observed} < ${generation}`}`
    })
    return `gateway ${ns}/${p.parentRef.name}${p.parentRef.sectionName ? `/${p.parentRef.sectionName}` : ''}: ${parts.join(', ')}`
  })
  return { applied, detail: lines.join('; ') }
}

export type Rollout =
  | { state: 'available'; detail: string }
  | { state: 'progressing'; detail: string }
  | { state: 'failed'; detail: string }

/**
 * Where a Deployment's rollout of `generation` stands: available when the controller observed it
 * and updated, ready and available replicas all equal the desired count; failed at once when it
 * reports ProgressDeadlineExceeded for this generation.
 */
export function rolloutState(d: Deployment, generation: number): Rollout {
  const desired = d.spec?.replicas ?? 1
  const s = d.status ?? {}
  const observed = s.observedGeneration ?? 0
  const counts = `${s.updatedReplicas ?? 0} updated, ${s.readyReplicas ?? 0} ready, ${s.availableReplicas ?? 0} available of ${desired}`
  const detail = `${counts}; ${formatConditions(s.conditions)}`
  if (observed < generation)
    return {
      state: 'progressing',
      detail: `the controller has not observed generation ${generation} yet (observed ${observed}); ${detail}`,
    }
  const progressing = (s.conditions ?? []).find((c) => c.type === 'Progressing')
  if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded')
    return { state: 'failed', detail }
  const all = [s.updatedReplicas, s.readyReplicas, s.availableReplicas].every(
    (n) => (n ?? 0) === desired,
  )
  if (all && (s.replicas ?? 0) === desired && (s.unavailableReplicas ?? 0) === 0)
    return { state: 'available', detail }
  return { state: 'progressing', detail }
}

/** Conditions quoted for a log line: `Progressing=False ProgressDeadlineExceeded: "..."`. */
export function formatConditions(conditions: Condition[] | undefined): string {
  if (!conditions || conditions.length === 0) return 'no conditions reported'
  return conditions
    .map(
      (c) =>
        `${c.type}=${c.status}${c.reason ? ` ${c.reason}` : ''}${c.message ? `: ${quote(c.message)}` : ''}`,
    )
    .join('; ')
}

/** The container to set the image on: `wanted`, or the only one. Throws a message otherwise. */
export function pickContainer(d: Deployment, wanted: string | undefined): string {
  const names = (d.spec?.template?.spec?.containers ?? []).map((c) => c.name)
  const id = `Deployment ${d.metadata.namespace}/${d.metadata.name}`
  if (wanted !== undefined) {
    if (names.includes(wanted)) return wanted
    throw new RouterError(
      `${id} has no container ${quote(wanted)}; its containers are: ${names.join(', ') || 'none'}`,
    )
  }
  if (names.length === 1) return names[0] as string
  throw new RouterError(
    `${id} has ${names.length} containers (${names.join(', ')}); say which one runs the release with the 'container' input`,
  )
}

/** The slot a `route: { service }` selector points at, or a description of what it is instead. */
export function selectorSlot(
  service: ServiceObject,
  label: string,
): { slot: Slot } | { problem: string } {
  const value = service.spec?.selector?.[label]
  if (value === 'blue' || value === 'green') return { slot: value }
  const id = `Service ${service.metadata.namespace}/${service.metadata.name}`
  return {
    problem:
      value === undefined
        ? `${id} has no selector label ${quote(label)}`
        : `${id} selector ${label}=${quote(value)} is neither blue nor green`,
  }
}

export interface EndpointSlice {
  endpoints?: { addresses: string[]; conditions?: { ready?: boolean } }[]
}

/** Addresses of the endpoints that may receive traffic (ready unless said otherwise). */
export function readyAddresses(slices: EndpointSlice[]): string[] {
  const out = new Set<string>()
  for (const s of slices)
    for (const e of s.endpoints ?? [])
      if (e.conditions?.ready !== false) for (const a of e.addresses) out.add(a)
  return [...out].sort()
}

/**
 * A selector switch is applied when the switching Service's ready endpoints are exactly those of
 * the target slot's own Service: the EndpointSlice controller has followed the new selector, so
 * kube-proxy and every mesh or ingress reading EndpointSlices send new connections there only.
 */
export function selectorApplied(
  switching: EndpointSlice[],
  slotOwn: EndpointSlice[],
): { applied: boolean; detail: string } {
  const have = readyAddresses(switching)
  const want = readyAddresses(slotOwn)
  if (want.length === 0)
    return { applied: false, detail: "the slot's own Service has no ready endpoints" }
  const extra = have.filter((a) => !want.includes(a))
  const missing = want.filter((a) => !have.includes(a))
  if (extra.length === 0 && missing.length === 0)
    return { applied: true, detail: `${have.length} ready endpoint(s), all the slot's` }
  const list = (xs: string[]) => `${xs.slice(0, 5).join(', ')}${xs.length > 5 ? ', ...' : ''}`
  return {
    applied: false,
    detail: [
      extra.length > 0 ? `${extra.length} endpoint(s) not the slot's (${list(extra)})` : '',
      missing.length > 0 ? `${missing.length} of the slot's not yet in (${list(missing)})` : '',
    ]
      .filter(Boolean)
      .join('; '),
  }
}
