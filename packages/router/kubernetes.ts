/**
 * Kubernetes as a router: weights on a Gateway API HTTPRoute's backendRefs to the two slot
 * Services (blue-green and canary), or a Service whose selector label picks the slot (blue-green
 * only). Also rolls the idle slot's Deployment to a new image and waits until it is available,
 * which the traffic actions do before any traffic moves.
 */
import {
  ConfigurationError,
  DeploymentFailed,
  quote,
  silentLog,
  type Log,
} from '../action-kit/index.js'
import { sleep } from '../action-kit/util.js'
import { allOn, formatWeights, liveSlot, sameWeights, SLOTS } from '../domain/index.js'
import type { Slot, SlotServers, Weights } from '../domain/index.js'
import {
  KubernetesApi,
  KubernetesApiError,
  KubernetesExchangeError,
  type KubeconfigSource,
} from './kubernetes-api.js'
import { kubernetesDescribe, type KubernetesConfig } from './kubernetes-config.js'
import {
  formatConditions,
  matchPatch,
  pickContainer,
  routeMatch,
  rolloutState,
  routeApplied,
  routePatch,
  routeState,
  selectorApplied,
  selectorSlot,
  type Deployment,
  type HttpRoute,
} from './kubernetes-state.js'
import { formatMatch, sameMatch, type MatchRoute, type MatchRouting } from './match.js'
import { RouterError, type Router } from './router.js'
import { assertWritable } from './weights.js'

export { kubernetesDescribe, parseKubernetesConfig } from './kubernetes-config.js'
export type { KubernetesConfig } from './kubernetes-config.js'
export { KubernetesApiError } from './kubernetes-api.js'

/** Someone else changed the object between our read and our write; nothing was overwritten. */
export class ConcurrentEdit extends RouterError {
  override name = 'ConcurrentEdit'
}

/** The new release never became available: the release failed, not the tool. */
export class RolloutFailed extends DeploymentFailed {
  override name = 'RolloutFailed'
}

export interface RolloutOptions {
  /** The container to set the image on; needed when the pod has several. */
  container?: string
  /** How long the Deployment may take to become available. */
  timeoutMs: number
  log?: Log
}

export interface RolloutReport {
  deployment: string
  container: string
  image: string
  previousImage: string | undefined
  /** False when the slot already ran `image` and was available: nothing was patched. */
  changed: boolean
  replicas: number
  ms: number
}

/** A router that can put a new image on a slot before traffic moves (Kubernetes). */
export interface SlotRoller {
  rollSlot(slot: Slot, image: string, options: RolloutOptions): Promise<RolloutReport>
}

export function canRollSlots(router: unknown): router is SlotRoller {
  return typeof (router as SlotRoller | undefined)?.rollSlot === 'function'
}

/** Re-read status after 25 ms, doubling to 1 s: a fast gateway is seen soon, a slow one costs few calls. */
const POLL_FIRST_MS = 25
const POLL_MAX_MS = 1000

export class KubernetesRouter implements Router, SlotRoller {
  readonly type = 'kubernetes'
  readonly name: string
  /** A Service selector cannot split traffic: canary needs `route: { httproute }`. */
  readonly canSplit: boolean
  /** Operator-facing notes for the job summary (e.g. other backends sharing a rule). */
  readonly notes: string[] = []
  private api?: Promise<KubernetesApi>
  private readonly log: Log
  /** The header/cookie phase: a header-match rule on the HTTPRoute (absent for a Service selector). */
  readonly match?: MatchRouting

  constructor(
    readonly config: KubernetesConfig,
    private readonly options: KubeconfigSource & { log?: Log } = {},
  ) {
    this.name = config.name
    this.canSplit = config.route.kind === 'httproute'
    this.log = options.log ?? silentLog
    const { route } = config
    if (route.kind === 'httproute') {
      this.match = {
        read: async () => {
          const api = await this.connect()
          return routeMatch(await api.getRoute(route.name), config.targets)?.route ?? null
        },
        write: (next) => this.writeMatch(route.name, next),
      }
    }
  }

  /** The same discipline as weights: one JSON patch pinned by the resourceVersion read, then applied by the gateway. */
  private async writeMatch(name: string, next: MatchRoute | null): Promise<void> {
    const { targets, namespace, timeout } = this.config
    const id = `HTTPRoute ${namespace}/${name}`
    const what = next ? `${formatMatch(next)} -> ${next.slot}` : 'no header match'
    const started = Date.now()
    const api = await this.connect()
    const before = await api.getRoute(name)
    const old = routeMatch(before, targets)
    if (sameMatch(old?.route ?? null, next)) return
    const state = routeState(
      before,
      targets,
      this.config.route.kind === 'httproute' ? this.config.route.rule : undefined,
    )
    const resourceVersion = before.metadata.resourceVersion ?? ''
    let current: HttpRoute
    try {
      current = await api.patchRoute(
        name,
        matchPatch(before, state, targets, old?.rules ?? [], next, resourceVersion),
      )
    } catch (e) {
      throw await this.conflictOr(e, id, resourceVersion)
    }
    const generation = current.metadata.generation ?? 0
    for (let attempt = 1; ; attempt++) {
      const applied = routeApplied(current, generation)
      if (applied.applied) break
      const left = timeout - (Date.now() - started)
      if (left <= 0)
        throw new RouterError(
          `${id} holds ${what} (generation ${generation}) but the gateway did not apply it within ${Math.round(timeout / 1000)} s: ${applied.detail}`,
        )
      await sleep(Math.min(left, POLL_FIRST_MS * 2 ** Math.min(attempt - 1, 6), POLL_MAX_MS))
      current = await api.getRoute(name)
    }
    const after = routeMatch(current, targets)?.route ?? null
    if (!sameMatch(after, next))
      throw new RouterError(
        `${id} reads ${after ? `${formatMatch(after)} -> ${after.slot}` : 'no header match'} after writing ${what}`,
      )
  }

  describe(): string {
    return kubernetesDescribe(this.config)
  }

  /** Connects on first use: loading the client costs a few hundred ms, paid only here. */
  private connect(): Promise<KubernetesApi> {
    this.api ??= KubernetesApi.open(this.config, this.options).then((api) => {
      this.log.debug(`Kubernetes API server: ${api.server()}`)
      return api
    })
    return this.api
  }

  async read(): Promise<Weights> {
    try {
      return await this.readRoute()
    } catch (e) {
      // A read that fails leaves the operator without the one fact that matters: say so.
      if (e instanceof KubernetesExchangeError)
        e.message = `${e.message}; where traffic is on ${this.describe()} is unknown: it could not be read`
      throw e
    }
  }

  private async readRoute(): Promise<Weights> {
    const api = await this.connect()
    const { route } = this.config
    if (route.kind === 'httproute') {
      const current = await api.getRoute(route.name)
      const state = routeState(current, this.config.targets, route.rule)
      this.noteOthers(state.rules.flatMap((r) => r.others.map((o) => `rule ${r.rule}: ${o}`)))
      // What is stored is not yet what clients see until the gateway applied it: say so.
      const applied = routeApplied(current, current.metadata.generation ?? 0)
      if (!applied.applied)
        this.note(
          `HTTPRoute ${this.config.namespace}/${route.name} holds ${formatWeights(state.weights)}, but its gateway has not applied that yet: ${applied.detail}`,
        )
      return state.weights
    }
    const found = selectorSlot(await api.getService(route.name), route.label)
    if ('problem' in found) throw new RouterError(`${found.problem}; cannot tell where traffic is`)
    return allOn(found.slot)
  }

  async write(target: Weights): Promise<void> {
    assertWritable(target)
    if (this.config.route.kind === 'service' && liveSlot(target) === undefined)
      throw new ConfigurationError(
        `${this.describe()} switches a Service selector, which cannot split traffic (asked for ${formatWeights(target)}); use 'route: { httproute: <name> }' for a canary.`,
      )
    const api = await this.connect()
    await this.assertSlotsCanServe(api, target)
    if (this.config.route.kind === 'httproute') await this.writeRoute(api, target)
    else await this.writeSelector(api, liveSlot(target) as Slot)
  }

  async servers(): Promise<SlotServers> {
    const { namespace, targets } = this.config
    const out = {} as SlotServers
    for (const slot of SLOTS)
      out[slot] = [
        { name: targets[slot].service, address: `${targets[slot].service}.${namespace}.svc` },
      ]
    return out
  }

  /** A slot that is to take traffic needs available pods, as HAProxy refuses a DOWN server. */
  private async assertSlotsCanServe(api: KubernetesApi, target: Weights): Promise<void> {
    for (const slot of SLOTS) {
      if (target[slot] === 0) continue
      const name = this.config.targets[slot].deployment
      const d = await api.getDeployment(name)
      const available = d.status?.availableReplicas ?? 0
      if (available < 1)
        throw new RouterError(
          `Deployment ${this.config.namespace}/${name} (slot ${slot}) has no available replicas (${available} of ${d.spec?.replicas ?? 1}), so it cannot take ${target[slot]}% of traffic; nothing was changed. ${formatConditions(d.status?.conditions)}`,
        )
      const label = this.config.route.kind === 'service' ? this.config.route.label : undefined
      const podLabel = label && d.spec?.template?.metadata?.labels?.[label]
      if (label && podLabel !== slot)
        throw new RouterError(
          `Deployment ${this.config.namespace}/${name} (slot ${slot}) labels its pods ${label}=${quote(podLabel ?? null)}, so a selector ${label}=${slot} would reach none of them; label its pod template ${label}: ${slot}. Nothing was changed.`,
        )
    }
  }

  private async writeRoute(api: KubernetesApi, target: Weights): Promise<void> {
    const { route, targets, timeout, namespace } = this.config
    if (route.kind !== 'httproute') return
    const id = `HTTPRoute ${namespace}/${route.name}`
    const started = Date.now()
    const before = await api.getRoute(route.name)
    const state = routeState(before, targets, route.rule)
    const resourceVersion = before.metadata.resourceVersion ?? ''
    let stored: HttpRoute
    try {
      stored = await api.patchRoute(route.name, routePatch(state, targets, target, resourceVersion))
    } catch (e) {
      throw await this.conflictOr(e, id, resourceVersion)
    }
    const generation = stored.metadata.generation ?? 0
    this.log.info(
      `${id}: stored ${formatWeights(target)} (generation ${generation}); waiting for the gateway to apply it`,
    )
    let current = stored
    for (let attempt = 1; ; attempt++) {
      const applied = routeApplied(current, generation)
      if (applied.applied) {
        this.log.info(`${id}: applied: ${applied.detail}`)
        break
      }
      const left = timeout - (Date.now() - started)
      if (left <= 0)
        throw new RouterError(
          `${id} holds ${formatWeights(target)} (generation ${generation}) but the gateway did not apply it within ${Math.round(timeout / 1000)} s: ${applied.detail}. Clients may still see the earlier weights (${formatWeights(state.weights)}) until it does.`,
        )
      await sleep(Math.min(left, POLL_FIRST_MS * 2 ** Math.min(attempt - 1, 6), POLL_MAX_MS))
      current = await api.getRoute(route.name)
      if ((current.metadata.generation ?? 0) > generation) {
        throw new ConcurrentEdit(
          `${id} was changed by someone else while the gateway applied ${formatWeights(target)} (generation ${current.metadata.generation} > ${generation}); traffic is now ${formatWeights(routeState(current, targets, route.rule).weights)}`,
        )
      }
    }
    const after = routeState(current, targets, route.rule).weights
    if (!sameWeights(after, target))
      throw new RouterError(
        `${id} did not take ${formatWeights(target)}; it holds ${formatWeights(after)}`,
      )
  }

  private async writeSelector(api: KubernetesApi, slot: Slot): Promise<void> {
    const { route, namespace } = this.config
    if (route.kind !== 'service') return
    const id = `Service ${namespace}/${route.name}`
    const started = Date.now()
    const before = await api.getService(route.name)
    const resourceVersion = before.metadata.resourceVersion ?? ''
    try {
      // A merge patch that carries the resourceVersion it was made from: 409 if anyone changed it since.
      await api.patchService(route.name, {
        metadata: { resourceVersion },
        spec: { selector: { [route.label]: slot } },
      })
    } catch (e) {
      throw await this.conflictOr(e, id, resourceVersion)
    }
    const after = await this.read()
    if (!sameWeights(after, allOn(slot)))
      throw new RouterError(
        `${id} did not take selector ${route.label}=${slot}; traffic is now ${formatWeights(after)}`,
      )
    await this.waitEndpoints(api, slot, started)
  }

  /** The selector is stored; clients see it once the Service's endpoints are the slot's. */
  private async waitEndpoints(api: KubernetesApi, slot: Slot, started: number): Promise<void> {
    const { route, namespace, targets, timeout } = this.config
    const id = `Service ${namespace}/${route.name}`
    const own = targets[slot].service
    for (let attempt = 1; ; attempt++) {
      const [switching, slotOwn] = await Promise.all([
        api.endpointSlices(route.name),
        api.endpointSlices(own),
      ])
      const check = selectorApplied(switching, slotOwn)
      if (check.applied) {
        this.log.info(`${id}: endpoints follow the selector: ${check.detail} (as Service ${own})`)
        return
      }
      const left = timeout - (Date.now() - started)
      if (left <= 0)
        throw new RouterError(
          `${id} selects slot ${slot}, but within ${Math.round(timeout / 1000)} s its endpoints did not become those of Service ${own}: ${check.detail}. New connections may still reach the other slot until they do.`,
        )
      await sleep(Math.min(left, POLL_FIRST_MS * 2 ** Math.min(attempt - 1, 6), POLL_MAX_MS))
    }
  }

  /** A 409 is someone else's edit: say so, with where traffic is now, and never retry over it. */
  private async conflictOr(e: unknown, id: string, resourceVersion: string): Promise<unknown> {
    if (!(e instanceof KubernetesApiError) || e.code !== 409) return e
    let now = 'unknown (it could not be read back)'
    try {
      now = formatWeights(await this.read())
    } catch {
      // keep "unknown": the conflict is the news
    }
    return new ConcurrentEdit(
      `${id} was changed by someone else after it was read (resourceVersion ${resourceVersion}); nothing was overwritten. Traffic is now ${now}. Re-run once the other change is done.`,
    )
  }

  async rollSlot(slot: Slot, image: string, options: RolloutOptions): Promise<RolloutReport> {
    const log = options.log ?? this.log
    const api = await this.connect()
    const name = this.config.targets[slot].deployment
    const id = `Deployment ${this.config.namespace}/${name}`
    const started = Date.now()
    const before = await api.getDeployment(name)
    // An operator's pause is left alone, as HAProxy's maintenance is: the rollout would never start.
    if (before.spec?.paused)
      throw new RouterError(
        `${id} (slot ${slot}) is paused (spec.paused), so it would never roll out ${image}; resume it (kubectl rollout resume) or deploy to it by hand. Nothing was changed.`,
      )
    const container = pickContainer(before, options.container)
    const previousImage = before.spec?.template?.spec?.containers?.find(
      (c) => c.name === container,
    )?.image
    const replicas = before.spec?.replicas ?? 1
    let generation = before.metadata.generation ?? 0
    let changed = false
    if (previousImage !== image || rolloutState(before, generation).state !== 'available') {
      if (previousImage !== image) {
        log.info(
          `${id} (slot ${slot}): container ${container} ${previousImage ?? '(none)'} -> ${image}`,
        )
        // Strategic merge: containers merge by name, so the other containers stay as they are.
        const stored = await api.patchDeployment(name, {
          spec: { template: { spec: { containers: [{ name: container, image }] } } },
        })
        generation = stored.metadata.generation ?? generation
        changed = true
      }
      await this.waitAvailable(api, name, generation, options.timeoutMs, started, log)
    } else {
      log.info(`${id} (slot ${slot}) already runs ${image} and is available; nothing to roll`)
    }
    return {
      deployment: name,
      container,
      image,
      previousImage,
      changed,
      replicas,
      ms: Date.now() - started,
    }
  }

  private async waitAvailable(
    api: KubernetesApi,
    name: string,
    generation: number,
    timeoutMs: number,
    started: number,
    log: Log,
  ): Promise<Deployment> {
    const id = `Deployment ${this.config.namespace}/${name}`
    let last = ''
    for (let attempt = 1; ; attempt++) {
      const d = await api.getDeployment(name)
      const r = rolloutState(d, generation)
      if (r.state === 'available') {
        log.info(`${id}: available (${r.detail})`)
        return d
      }
      if (r.state === 'failed')
        throw new RolloutFailed(`${id} failed to roll out: ${r.detail}. No traffic was moved.`)
      if (r.detail !== last) log.info(`${id}: rolling out: ${r.detail}`)
      last = r.detail
      const left = timeoutMs - (Date.now() - started)
      if (left <= 0)
        throw new RolloutFailed(
          `${id} did not become available within ${Math.round(timeoutMs / 1000)} s (rollout-timeout): ${r.detail}. No traffic was moved.`,
        )
      await sleep(Math.min(left, POLL_FIRST_MS * 2 ** Math.min(attempt - 1, 6), POLL_MAX_MS))
    }
  }

  private noteOthers(others: string[]): void {
    if (others.length === 0) return
    this.note(
      `${this.describe()}: other backends share the slots' rule and keep their weights (${others.join(', ')}); the blue/green shares are of the slots' part only.`,
    )
  }

  /** A warning once per distinct message, kept for the job summary. */
  private note(message: string): void {
    if (this.notes.includes(message)) return
    this.notes.push(message)
    this.log.warning(message)
  }
}
