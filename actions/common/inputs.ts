/**
 * The inputs the three traffic actions share: the router (one mapping or a list), the health
 * check, dry-run. Every value is validated whether or not it is used, before anything moves.
 */
import {
  ConfigurationError,
  parsePercent,
  quote,
  type Inputs,
  type Log,
} from '../../packages/action-kit/index.js'
import { parseHttpUrl } from '../../packages/action-kit/util.js'
import {
  gateSlotNames,
  openRouter,
  parseMatch,
  parseRouterConfigs,
  parseRouterCredentials,
  routerKind,
  routerSecrets,
  withCredentials,
  type Router,
} from '../../packages/router/index.js'
import { checkServiceServed } from './services.js'
import { parseSmoke, type SmokeCheck } from '../../packages/traffic/smoke.js'
import type { Slot } from '../../packages/domain/index.js'
import type { RecordSettings } from '../../packages/records/index.js'
import { readGateInput, SLOT_PLACEHOLDERS } from '../../packages/gate/index.js'
import type { Gate } from '../../packages/gate/index.js'
import type {
  CanaryGate,
  CanaryPlan,
  CanarySlots,
  HealthCheck,
  SlotRollout,
} from '../../packages/traffic/index.js'

export interface RouterInput {
  /** Opens the provider (or the group of routers); nothing is contacted before. */
  open(): Router
  /** The HAProxy backend all the routers share (for a gate's {{backend}}), if any. */
  backend?: string
  /**
   * `flag`: every router is a feature flag (unleash, flagd), whose slots are its off/on states;
   * the gate's {{canary}}/{{stable}} are then the variant labels (packages/router/flag.ts).
   */
  kind: 'traffic' | 'flag'
}

/**
 * `env` is the step's environment: a Kubernetes router finds its kubeconfig there (KUBECONFIG,
 * HOME). `secret` masks a router's credentials (a DNS API key or TSIG secret, Unleash tokens, and
 * every line and value of `router-credentials`) before anything is logged.
 */
export function readRouter(
  inputs: Inputs,
  log: Log,
  env: Readonly<Record<string, string | undefined>>,
  secret?: (value: string, name?: string) => void,
): RouterInput {
  // router-credentials: masked line by line and value by value before it is parsed or checked,
  // then merged into the router YAML (packages/router/config.ts withCredentials).
  const credentials = parseRouterCredentials(inputs.string('router-credentials'), (value) =>
    secret?.(value, 'router-credentials'),
  )
  const configs = parseRouterConfigs(
    withCredentials(inputs.yaml('router', { required: true }), credentials),
    { input: 'router', workspace: inputs.workspace },
  )
  for (const value of routerSecrets(configs)) secret?.(value)
  // A router that lists its services refuses a step for another one (actions/common/services.ts).
  checkServiceServed(
    configs,
    inputs.optional('service') ?? env.GITHUB_REPOSITORY?.split('/')[1] ?? '',
  )
  const backends = new Set(configs.map((c) => (c.type === 'haproxy' ? c.backend : undefined)))
  const [backend] = backends
  // A list mixing flags and traffic routers is refused here, before anything is contacted.
  const kind = routerKind(configs.map((c) => c.type))
  return {
    open: () => openRouter(configs, { log, env }),
    kind,
    ...(backends.size === 1 && backend !== undefined ? { backend } : {}),
  }
}

/** health-url and its settings; the settings are validated even without a URL. */
export function readHealth(inputs: Inputs): HealthCheck | undefined {
  const checks = inputs.integer('health-checks', 3, 1, 100)
  const interval = inputs.duration('health-interval', 1000, { min: 100, max: 600_000 })
  const timeout = inputs.duration('health-timeout', 30_000, { min: 100, max: 3_600_000 })
  const url = inputs.optional('health-url')
  if (url === undefined) return undefined
  parseHttpUrl('health-url', url, {
    placeholders: { slot: 'blue' },
    hint: "where {{slot}} stands for the target slot's name",
  })
  return { url, checks, interval, timeout }
}

/** `smoke`: checks of each server of the target slot before traffic moves, validated whole here. */
export function readSmoke(inputs: Inputs): SmokeCheck[] | undefined {
  const raw = inputs.string('smoke')
  const value = inputs.yaml('smoke')
  // One line that is not inline YAML (a list or a mapping) named a file: its values are not shown.
  const fromFile = raw !== '' && !raw.includes('\n') && !/^(\[|\{|-\s)/.test(raw)
  return parseSmoke(value, fromFile && typeof value === 'object' ? { file: raw } : {})
}

export function readDryRun(inputs: Inputs): boolean {
  return inputs.boolean('dry-run', false)
}

/**
 * rollback's `scope` and `request-abort`, checked against the inputs they go with before anything
 * is contacted: scope: deployment undoes deployment-id's work as the records show it (to:
 * previous only); request-abort moves nothing and writes a status, so it needs records.
 */
export function readRollbackMode(
  inputs: Inputs,
  given: { to: 'previous' | Slot; dryRun: boolean; settings: RecordSettings },
): { scope: 'service' | 'deployment'; requestAbort: boolean } {
  const scope = inputs.enum('scope', ['service', 'deployment'], 'service')
  const requestAbort = inputs.boolean('request-abort', false)
  const { to, settings } = given
  if (scope === 'deployment' && to !== 'previous')
    throw new ConfigurationError(
      `Input 'scope' is deployment and input 'to' is ${to}; scope: deployment undoes only deployment-id's work, as the records show it, so it takes to: previous (or use scope: service with to: ${to}).`,
    )
  if (requestAbort) {
    if (scope === 'deployment')
      throw new ConfigurationError(
        `Input 'request-abort' is true and input 'scope' is deployment; request-abort asks the service's walk in progress to stop and takes no scope: leave scope at service.`,
      )
    if (given.dryRun)
      throw new ConfigurationError(
        `Input 'request-abort' is true and input 'dry-run' is true; request-abort moves no traffic itself (it posts a status on the walk's deployment): leave dry-run at false.`,
      )
    if (!settings.enabled || !settings.token)
      throw new ConfigurationError(
        `Input 'request-abort' is true, but ${settings.enabled ? "input 'token' is empty" : "input 'record' is false"}; request-abort posts the abort request as a status on the walk's deployment: it needs record: true, a token with deployments: write and the environment.`,
      )
  }
  return { scope, requestAbort }
}

/** canary-step's `weight` (one step) or `steps` (a walk): whole percentages, strictly ascending. */
export function readSteps(inputs: Inputs): number[] {
  const weight = inputs.optional('weight')
  const steps = inputs.optional('steps')
  if ((weight === undefined) === (steps === undefined)) {
    throw new ConfigurationError(
      weight === undefined
        ? `Give either input 'weight' (one step, 0 to 100) or input 'steps' (e.g. 5,25,50,100).`
        : `Inputs 'weight' and 'steps' were both given; give one of them.`,
    )
  }
  if (weight !== undefined) return [parsePercent('weight', weight)]
  const text = steps as string
  const items = text.split(/[\s,]+/).filter(Boolean)
  // A leading `header` is the header/cookie phase (readCanaryPlan); alone, a standalone use.
  if (items[0] === 'header') items.shift()
  if (items.includes('header'))
    throw new ConfigurationError(
      `Input 'steps' has the value ${quote(text)}; 'header' (the header/cookie phase) may only come first, e.g. header,1,5,25,100.`,
    )
  const values = items.map((item) => {
    try {
      return parsePercent('steps', item)
    } catch {
      throw new ConfigurationError(
        `Input 'steps' has the value ${quote(text)}: ${quote(item)} is not a whole percentage from 0 to 100.`,
      )
    }
  })
  values.forEach((v, i) => {
    if (i > 0 && v <= (values[i - 1] as number)) {
      throw new ConfigurationError(
        `Input 'steps' has the value ${quote(text)}; steps must go up: ${values[i - 1]} is followed by ${v}.`,
      )
    }
  })
  return values
}

/** An AbortSignal that fires on the runner's SIGINT/SIGTERM (a cancelled job), saying so. */
export function stopSignal(log: Log, what: string): AbortSignal {
  const stop = new AbortController()
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log.info(`received ${signal}: ${what}`)
      stop.abort()
    })
  }
  return stop.signal
}

/**
 * `container` and `rollout-timeout`: how a router that can roll a slot (Kubernetes) puts `image`
 * onto it. Validated always; a rollout only happens when an image is given.
 */
export function readRollout(inputs: Inputs, image: string | undefined): SlotRollout | undefined {
  const timeoutMs = inputs.duration('rollout-timeout', 300_000, { min: 10_000, max: 3_600_000 })
  const container = inputs.optional('container')
  if (container !== undefined && !/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(container))
    throw new ConfigurationError(
      `Input 'container' has the value ${quote(container.slice(0, 70))}; allowed: a container name (a DNS label: 1 to 63 lower-case letters, digits or '-', starting and ending with a letter or digit).`,
    )
  if (image === undefined) return undefined
  return { image, timeoutMs, ...(container ? { container } : {}) }
}

/** canary-step's plan from its inputs; the gate is parsed once here and bound once slots are known. */
export function readCanaryPlan(
  inputs: Inputs,
  router: RouterInput,
  secret: (value: string) => void,
): Omit<CanaryPlan, 'rollout' | 'resumedFrom'> {
  const steps = readSteps(inputs)
  const headerPhase = /^[\s,]*header(?:[\s,]|$)/.test(inputs.optional('steps') ?? '')
  const matchText = inputs.optional('match')
  const match = matchText === undefined ? undefined : parseMatch('match', matchText)
  if (headerPhase && !match)
    throw new ConfigurationError(
      `Input 'steps' starts with 'header' (the header/cookie phase), so input 'match' is needed, e.g. match: 'header: x-canary=1' or 'cookie: canary=always'.`,
    )
  const holdMs = inputs.duration('interval', 60_000, { min: 100, max: 6 * 3_600_000 })
  const canary =
    inputs.optional('canary') === undefined
      ? undefined
      : inputs.enum<Slot>('canary', ['blue', 'green'], 'blue')
  const onFailure = inputs.enum('on-failure', ['rollback', 'hold'], 'rollback')
  const gate = readGateInput(inputs.yaml('gate'), { provided: SLOT_PLACEHOLDERS, stepMs: holdMs })
  for (const value of gate?.secrets ?? []) secret(value)
  const smoke = readSmoke(inputs)
  return {
    steps,
    holdMs,
    onFailure,
    dryRun: readDryRun(inputs),
    ...(smoke ? { smoke } : {}),
    ...(canary ? { canary } : {}),
    ...(match ? { match } : {}),
    ...(headerPhase ? { headerPhase } : {}),
    ...(gate ? { gate: slotBinder(gate, router) } : {}),
  }
}

/**
 * Binds a parsed gate to the slots once they are known (canary-step's gate, blue-green-switch's
 * bake). {{canary}}/{{stable}} are the slots' names, or for a flag router the variant labels its
 * users' metrics carry (the flag's on/off states; `servers()` names them).
 */
export function slotBinder(
  gate: Gate,
  router: Pick<RouterInput, 'kind' | 'backend'>,
): (slots: CanarySlots) => CanaryGate {
  return ({ canary, stable, servers }) => {
    const names = gateSlotNames(router.kind, servers)
    return gate.bind({
      canary: names[canary],
      stable: names[stable],
      canaryServers: servers[canary].map((s) => s.name),
      stableServers: servers[stable].map((s) => s.name),
      ...(router.backend ? { backend: router.backend } : {}),
    })
  }
}

/**
 * blue-green-switch's `bake`: the gate YAML canary-step's `gate` takes, parsed by the same code
 * (same keys, semantics and fail-closed rules), named `bake.<key>` in errors. Without
 * `initial-delay` it first waits one interval after the switch. {{canary}} is the new slot,
 * {{stable}} the old one. Its credentials are masked before anything is logged.
 */
export function readBake(
  inputs: Inputs,
  router: RouterInput,
  secret: (value: string) => void,
): ((slots: CanarySlots) => CanaryGate) | undefined {
  const gate = readGateInput(
    inputs.yaml('bake'),
    { provided: SLOT_PLACEHOLDERS, delayFirst: true },
    'bake',
  )
  if (!gate) return undefined
  for (const value of gate.secrets) secret(value)
  return slotBinder(gate, router)
}
