/**
 * A gate's configuration, from separate inputs (metrics-gate) or one YAML mapping (canary-step's
 * `gate`). Both read the same fields through a getter, so they validate alike. A gate is parsed
 * and checked once (`parseGate`), then bound to the slots it judges (`Gate.bind`).
 */
import {
  ConfigurationError,
  formatDuration,
  parseDuration,
  parseEnum,
  parseInteger,
  quote,
} from '../action-kit/index.js'
import { describeValue, parseHttpUrl } from '../action-kit/util.js'
import { DEFAULT_SETTINGS, type GateSettings } from './analysis.js'
import {
  bindCheck,
  parseChecks,
  parseVars,
  placeholdersOf,
  type Check,
  type CheckTemplate,
} from './checks.js'
import { PrometheusSource, type MetricSource } from './prometheus.js'
import { parsePreset, presetChecks } from './presets.js'
import { serverAlternation } from './template.js'

export const GATE_KEYS = [
  'prometheus',
  'prometheus-headers',
  'checks',
  'vars',
  'interval',
  'count',
  'failure-limit',
  'inconclusive-limit',
  'consecutive-error-limit',
  'no-data',
  'initial-delay',
  'max-wait',
  'confidence',
  'since',
  'preset',
  'prometheus-timeout',
] as const

/** The deadline of each exchange with Prometheus (connect, request, the whole answer). */
export const DEFAULT_PROMETHEUS_TIMEOUT_MS = 10_000
export type GateKey = (typeof GATE_KEYS)[number]

/** Placeholders the action fills in from the slots it judges (never from `vars`). */
export const SLOT_PLACEHOLDERS = [
  'canary',
  'stable',
  'canary-servers',
  'stable-servers',
  'backend',
] as const
export type SlotPlaceholder = (typeof SLOT_PLACEHOLDERS)[number]

/** What `Gate.bind` fills the slot placeholders with. */
export interface SlotBinding {
  canary?: string
  stable?: string
  /** Server names of the canary slot, as the router names them (HAProxy: server names). */
  canaryServers?: readonly string[]
  stableServers?: readonly string[]
  /** The router's backend (HAProxy), for `preset: haproxy` without a backend of its own. */
  backend?: string
}

/** A gate ready to run: what `runAnalysis` takes (and canary-step's plan as `CanaryGate`). */
export interface BoundGate {
  source: MetricSource
  checks: Check[]
  settings: GateSettings
}

export interface GateOptions {
  /** Slot placeholders the caller will bind; queries may use only these and the user's vars. */
  provided?: readonly SlotPlaceholder[]
  /**
   * The length of the step the gate judges (canary-step's interval): without `count` the gate
   * measures through the whole step, and without `initial-delay` it first waits one interval.
   */
  stepMs?: number
  /**
   * Without `initial-delay`, first wait one interval (blue-green-switch's `bake`: the first scrape
   * after the switch must count), as canary-step's gate does.
   */
  delayFirst?: boolean
  /** The default of `prometheus-timeout` (ms): the deadline of each exchange with Prometheus. */
  timeoutMs?: number
}

export class Gate {
  constructor(
    readonly prometheus: string,
    readonly headers: Readonly<Record<string, string>>,
    readonly checks: readonly CheckTemplate[],
    readonly settings: GateSettings,
    private readonly vars: Readonly<Record<string, string>>,
    private readonly provided: readonly SlotPlaceholder[],
    private readonly timeoutMs = DEFAULT_PROMETHEUS_TIMEOUT_MS,
    /** Servers named by the preset (metrics-gate): used when `bind` is given none. */
    private readonly presetServers?: { canary: readonly string[]; stable: readonly string[] },
  ) {}

  /** The slot placeholders the checks use: what `bind` needs. */
  get uses(): SlotPlaceholder[] {
    const used = placeholdersOf(this.checks)
    return this.provided.filter((p) => used.includes(p))
  }

  /** Values the action must mask before anything is logged. */
  get secrets(): string[] {
    return Object.values(this.headers)
  }

  /** The checks with every placeholder filled in. Throws if a used slot placeholder has no value. */
  bind(values: SlotBinding = {}): BoundGate {
    const servers = (names?: readonly string[]) => names && serverAlternation(names)
    const slotValue: Record<SlotPlaceholder, () => string | undefined> = {
      canary: () => values.canary,
      stable: () => values.stable,
      'canary-servers': () => servers(values.canaryServers ?? this.presetServers?.canary),
      'stable-servers': () => servers(values.stableServers ?? this.presetServers?.stable),
      backend: () => values.backend,
    }
    const filled: Record<string, string> = { ...this.vars }
    for (const name of this.uses) {
      const value = slotValue[name]()
      if (value === undefined)
        throw new Error(`the gate's queries use {{${name}}}, but no value was bound`)
      filled[name] = value
    }
    return {
      source: new PrometheusSource(this.prometheus, { ...this.headers }, this.timeoutMs),
      checks: this.checks.map((c) => bindCheck(c, filled)),
      settings: this.settings,
    }
  }
}

/**
 * `get(key)` returns the raw value (a string from an input, anything from YAML); `name(key)` is
 * what errors call it ("count" for an input, "gate.count" for a field of canary-step's `gate`).
 */
export function parseGate(
  get: (key: GateKey) => unknown,
  name: (key: GateKey) => string,
  options: GateOptions = {},
): Gate {
  const preset = parsePreset(get('preset'), `Input '${name('preset')}'`)
  const provided: SlotPlaceholder[] = [...(options.provided ?? [])]
  if (preset?.canary)
    for (const p of ['canary-servers', 'stable-servers'] as const)
      if (!provided.includes(p)) provided.push(p)
  if (preset && !provided.includes('canary-servers'))
    throw new ConfigurationError(
      `Input '${name('preset')}' needs each slot's servers: give them as { type: haproxy, backend: web, canary: [server, ...], stable: [server, ...] }.`,
    )
  if (preset && preset.backend === undefined && !provided.includes('backend'))
    throw new ConfigurationError(
      `Input '${name('preset')}' needs the HAProxy backend: give it as { type: haproxy, backend: web, ... }.`,
    )
  const label = (key: GateKey) => `Input '${name(key)}'`
  const text = (key: GateKey): string | undefined => {
    const v = get(key)
    if (v === undefined || v === null || v === '') return undefined
    if (typeof v !== 'string' && typeof v !== 'number')
      throw new ConfigurationError(`${label(key)} must be a single value, got ${describeValue(v)}.`)
    return String(v).trim()
  }
  const prometheus = text('prometheus')
  if (prometheus === undefined)
    throw new ConfigurationError(
      `${label('prometheus')} is required: the base URL of Prometheus, e.g. http://prometheus:9090.`,
    )
  // Refuses user:pass@ without echoing it: credentials go in prometheus-headers, which are masked.
  const url = parseHttpUrl(name('prometheus'), prometheus, {
    hint: 'e.g. http://prometheus:9090 (credentials go in prometheus-headers)',
  })
  const headers = parseHeaders(get('prometheus-headers'), label('prometheus-headers'))
  const vars = parseVars(get('vars'), label('vars'), provided)
  // The preset's checks come first and are parsed like the user's (who may add more).
  const userChecks = get('checks')
  const absent = userChecks === undefined || userChecks === null || userChecks === ''
  const checks = parseChecks(
    preset && (absent || Array.isArray(userChecks))
      ? [...presetChecks(preset), ...(absent ? [] : (userChecks as unknown[]))]
      : userChecks,
    label('checks'),
    [...Object.keys(vars), ...provided],
  )

  const duration = (key: GateKey, fallback: number, min: number) => {
    const v = text(key)
    if (v === undefined) return fallback
    const ms = parseDuration(name(key), v)
    if (ms < min)
      throw new ConfigurationError(
        `${label(key)} has the value ${quote(v)}; allowed: at least ${formatDuration(min)}.`,
      )
    return ms
  }
  const integer = (key: GateKey, fallback: number, min: number, max: number) => {
    const v = text(key)
    return v === undefined ? fallback : parseInteger(name(key), v, min, max)
  }
  const d = DEFAULT_SETTINGS
  const interval = duration('interval', d.interval, 100)
  const stepMs = options.stepMs
  const count = integer(
    'count',
    stepMs === undefined ? d.count : Math.max(1, Math.floor(stepMs / interval)),
    1,
    1000,
  )
  const initialDelay = duration(
    'initial-delay',
    stepMs === undefined && !options.delayFirst ? d.initialDelay : interval,
    0,
  )
  // Enough time for `count` measurements, and at least the default when nothing needs waiting.
  const needed = initialDelay + interval * (count - 1)
  const maxWait = duration('max-wait', Math.max(d.maxWait, needed + interval), 0)
  if (maxWait < needed)
    throw new ConfigurationError(
      `${label('max-wait')} is ${formatDuration(maxWait)}, less than the ${formatDuration(needed)} that ${count} measurement(s) ${formatDuration(interval)} apart take (after initial-delay ${formatDuration(initialDelay)}); allowed: at least ${formatDuration(needed)}.`,
    )
  const timeoutText = text('prometheus-timeout')
  const timeoutMs =
    timeoutText === undefined
      ? (options.timeoutMs ?? DEFAULT_PROMETHEUS_TIMEOUT_MS)
      : parseDuration(name('prometheus-timeout'), timeoutText)
  if (timeoutMs < 1000 || timeoutMs > 300_000)
    throw new ConfigurationError(
      `${label('prometheus-timeout')} has the value ${quote(timeoutText)}; allowed: from 1s to 5m (the deadline of each exchange with Prometheus).`,
    )
  const noData = text('no-data')
  const settings: GateSettings = {
    interval,
    count,
    failureLimit: integer('failure-limit', d.failureLimit, 0, 1000),
    inconclusiveLimit: integer('inconclusive-limit', d.inconclusiveLimit, 0, 1000),
    consecutiveErrorLimit: integer('consecutive-error-limit', d.consecutiveErrorLimit, 0, 1000),
    noData:
      noData === undefined
        ? d.noData
        : parseEnum(name('no-data'), noData, ['fail', 'inconclusive'] as const),
    initialDelay,
    maxWait,
    confidence: parseConfidence(text('confidence'), name('confidence')),
  }
  const since = text('since')
  if (since !== undefined) settings.since = parseSince(since, name('since'))
  const base = url.href.replace(/\/+$/, '')
  return new Gate(
    base,
    headers,
    checks,
    settings,
    vars,
    provided,
    timeoutMs,
    preset?.canary && preset.stable ? { canary: preset.canary, stable: preset.stable } : undefined,
  )
}

/**
 * canary-step's `gate` input (and blue-green-switch's `bake`, named by `input`): one YAML mapping
 * with the keys of GATE_KEYS, named `<input>.<key>` in errors. Undefined when none was given.
 */
export function readGateInput(
  value: unknown,
  options: GateOptions = {},
  input = 'gate',
): Gate | undefined {
  if (value === undefined || value === null || value === '') return undefined
  if (typeof value !== 'object' || Array.isArray(value))
    throw new ConfigurationError(
      `Input '${input}' must be a YAML mapping (prometheus, checks, ...), got ${describeValue(value)}.`,
    )
  const map = value as Record<string, unknown>
  const unknown = Object.keys(map).filter((k) => !(GATE_KEYS as readonly string[]).includes(k))
  if (unknown.length > 0)
    throw new ConfigurationError(
      `Input '${input}' has unknown key ${unknown.map(quote).join(', ')}; allowed: ${GATE_KEYS.join(', ')}.`,
    )
  return parseGate(
    (key) => map[key],
    (key) => `${input}.${key}`,
    options,
  )
}

/**
 * metrics-gate's `servers` input: `{ canary: [names], stable: [names] }` (a single name may be a
 * string). It provides {{canary-servers}} and {{stable-servers}}.
 */
export function parseServerLists(
  value: unknown,
  label: string,
): { canary: string[]; stable: string[] } | undefined {
  if (value === undefined || value === null || value === '') return undefined
  if (typeof value !== 'object' || Array.isArray(value))
    throw new ConfigurationError(
      `${label} must be a YAML mapping { canary: [server, ...], stable: [server, ...] }, got ${describeValue(value)}.`,
    )
  const map = value as Record<string, unknown>
  const unknown = Object.keys(map).filter((k) => k !== 'canary' && k !== 'stable')
  if (unknown.length > 0)
    throw new ConfigurationError(
      `${label} has unknown key ${unknown.map(quote).join(', ')}; allowed: canary, stable.`,
    )
  const list = (key: 'canary' | 'stable') => {
    const v = map[key]
    const items = typeof v === 'string' ? [v] : v
    if (
      !Array.isArray(items) ||
      items.length === 0 ||
      !items.every((s) => typeof s === 'string' && s.trim() !== '')
    )
      throw new ConfigurationError(
        `${label}: '${key}' must be a server name or a list of them, got ${describeValue(v)}.`,
      )
    return (items as string[]).map((s) => s.trim())
  }
  return { canary: list('canary'), stable: list('stable') }
}

function parseHeaders(value: unknown, label: string): Record<string, string> {
  if (value === undefined || value === null || value === '') return {}
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigurationError(
      `${label} must be a YAML mapping of header names to values, e.g. { Authorization: Bearer ... }.`,
    )
  }
  const out: Record<string, string> = {}
  for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
    if (!/^[A-Za-z0-9-]+$/.test(name))
      throw new ConfigurationError(
        `${label}: ${quote(name.slice(0, 40))} is not an HTTP header name.`,
      )
    // Never quote a header's value: it is usually a credential.
    if (typeof v !== 'string' && typeof v !== 'number')
      throw new ConfigurationError(`${label}: the value of ${name} must be a string.`)
    // eslint-disable-next-line no-control-regex -- control characters are what this looks for
    if (/[\u0000-\u001f\u007f]/.test(String(v)))
      throw new ConfigurationError(
        `${label}: the value of ${name} contains a line break or control character (value not shown).`,
      )
    out[name] = String(v)
  }
  return out
}

function parseConfidence(value: string | undefined, input: string): number {
  if (value === undefined) return DEFAULT_SETTINGS.confidence
  const n = /^0?\.\d+$/.test(value) ? Number(value) : NaN
  if (!(n >= 0.5 && n < 1))
    throw new ConfigurationError(
      `Input '${input}' has the value ${quote(value)}; allowed: a number from 0.5 to below 1, e.g. 0.99 (1 false alarm in 100 gates on identical slots).`,
    )
  return n
}

/** `since`: an ISO 8601 time in the past (e.g. a previous step's output), where counting starts. */
function parseSince(value: string, input: string): number {
  const ms = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(value)
    ? Date.parse(value)
    : NaN
  if (!Number.isFinite(ms) || ms > Date.now() + 60_000)
    throw new ConfigurationError(
      `Input '${input}' has the value ${quote(value.slice(0, 60))}; allowed: a time in the past in ISO 8601 with a zone, e.g. 2026-11-25T21:30:00Z.`,
    )
  return ms
}
