/**
 * The repository's `.github/cutover.yml`: for each pause environment (the one whose protection
 * rule is this App), the service and environment cutover records the walk in, the Prometheus to
 * ask, the gate (exactly canary-step's `gate` YAML, parsed by packages/gate) and the pause length.
 * Read at the event's commit; an environment not in the file is never approved.
 */
import {
  ConfigurationError,
  formatDuration,
  parseDuration,
  parseYamlInput,
  quote,
} from '../../../packages/action-kit/index.js'
import { readGateInput, type Gate } from '../../../packages/gate/index.js'

export const CONFIG_PATH = '.github/cutover.yml'
export const CONFIG_KEY = 'protection-rule'
export const ENTRY_KEYS = ['service', 'environment', 'prometheus', 'gate', 'pause'] as const
/** The shortest and longest pause (GitHub waits on a protection rule for up to 30 days). */
export const PAUSE_LIMITS = { minMs: 1_000, maxMs: 24 * 3600_000 }

export interface PauseConfig {
  /** The pause environment (the event's). */
  pauseEnvironment: string
  /** cutover's service: the records' payload.service (task deploy:<service>). */
  service: string
  /** The environment the walk is recorded in. */
  environment: string
  gate: Gate
  pauseMs: number
}

/** Prometheus credentials of the service (never in the repository's file, never logged). */
export interface PrometheusAuth {
  bearerToken?: string
  username?: string
  password?: string
  /**
   * The only Prometheus origins (scheme://host:port) the credentials are sent to: the file is
   * read at the event's commit, so whoever can push a commit names the URL, and without this
   * list could have the service send its credentials anywhere.
   */
  origins?: string[]
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/

/**
 * The entry of `pauseEnvironment` in the file's text. Throws ConfigurationError naming the key,
 * its value and what is allowed: when the file is not valid, or has no entry for the environment.
 */
export function readPauseConfig(
  text: string,
  pauseEnvironment: string,
  auth: PrometheusAuth = {},
  /** The default deadline of each exchange with Prometheus (the gate's `prometheus-timeout`). */
  timeoutMs?: number,
): PauseConfig {
  const root = parseYamlInput(CONFIG_PATH, text, `the file ${CONFIG_PATH}`, { fromFile: true })
  const where = (key?: string) =>
    `${CONFIG_PATH}: ${CONFIG_KEY}.${pauseEnvironment}${key ? `.${key}` : ''}`
  if (typeof root !== 'object' || root === null || Array.isArray(root))
    throw new ConfigurationError(
      `${CONFIG_PATH} must be a YAML mapping with the key '${CONFIG_KEY}'.`,
    )
  const section = (root as Record<string, unknown>)[CONFIG_KEY]
  if (typeof section !== 'object' || section === null || Array.isArray(section))
    throw new ConfigurationError(
      `${CONFIG_PATH} has no '${CONFIG_KEY}' mapping (pause environment -> service, environment, prometheus, gate, pause).`,
    )
  const entries = section as Record<string, unknown>
  const entry = Object.hasOwn(entries, pauseEnvironment) ? entries[pauseEnvironment] : undefined
  if (entry === undefined)
    throw new ConfigurationError(
      `${CONFIG_PATH} has no entry for environment ${quote(pauseEnvironment)} under '${CONFIG_KEY}' (it has ${Object.keys(entries).map(quote).join(', ') || 'none'}): this App approves only the environments the file names.`,
    )
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
    throw new ConfigurationError(
      `${where()} must be a mapping with the keys ${ENTRY_KEYS.join(', ')}.`,
    )
  const map = entry as Record<string, unknown>
  const unknown = Object.keys(map).filter((k) => !(ENTRY_KEYS as readonly string[]).includes(k))
  if (unknown.length > 0)
    throw new ConfigurationError(
      `${where()} has unknown key ${unknown.map(quote).join(', ')}; allowed: ${ENTRY_KEYS.join(', ')}.`,
    )
  const name = (key: 'service' | 'environment') => {
    const v = map[key]
    if (typeof v !== 'string' || !NAME.test(v.trim()))
      throw new ConfigurationError(
        `${where(key)} is ${v === undefined ? 'missing' : quote(String(v).slice(0, 60))}; allowed: a name of letters, digits, '.', '_' and '-' (cutover's ${key === 'service' ? 'service' : 'environment the walk is recorded in'}).`,
      )
    return v.trim()
  }
  const service = name('service')
  const environment = name('environment')
  const pauseText = map.pause
  if (typeof pauseText !== 'string' && typeof pauseText !== 'number')
    throw new ConfigurationError(
      `${where('pause')} is missing; allowed: a duration such as 10m (how long the step must hold under the gate).`,
    )
  const pauseMs = parseDuration(where('pause'), String(pauseText))
  if (pauseMs < PAUSE_LIMITS.minMs || pauseMs > PAUSE_LIMITS.maxMs)
    throw new ConfigurationError(
      `${where('pause')} has the value ${quote(String(pauseText))}; allowed: from ${formatDuration(PAUSE_LIMITS.minMs)} to ${formatDuration(PAUSE_LIMITS.maxMs)}.`,
    )
  const gate = readGate(map, where, auth, pauseMs, timeoutMs)
  return { pauseEnvironment, service, environment, gate, pauseMs }
}

function readGate(
  map: Record<string, unknown>,
  where: (key?: string) => string,
  auth: PrometheusAuth,
  pauseMs: number,
  timeoutMs: number | undefined,
): Gate {
  let value = map.gate
  if (typeof value === 'string')
    value = parseYamlInput(where('gate'), value, 'its text', { fromFile: true })
  if (value === undefined || value === null || value === '')
    throw new ConfigurationError(
      `${where('gate')} is missing; allowed: canary-step's gate YAML (checks, interval, min-samples, ...). Without a gate nothing is approved.`,
    )
  if (typeof value !== 'object' || Array.isArray(value))
    throw new ConfigurationError(`${where('gate')} must be a YAML mapping (checks, interval, ...).`)
  const gate = { ...(value as Record<string, unknown>) }
  if (map.prometheus !== undefined && gate.prometheus !== undefined)
    throw new ConfigurationError(
      `${where()} gives 'prometheus' twice (beside the gate and inside it); allowed: once.`,
    )
  if (map.prometheus !== undefined) gate.prometheus = map.prometheus
  const credentials = authHeader(auth)
  if (credentials) {
    let origin: string | undefined
    try {
      origin = new URL(String(gate.prometheus)).origin
    } catch {
      origin = undefined
    }
    const allowed = (auth.origins ?? []).map((o) => o.replace(/\/+$/, '').toLowerCase())
    if (origin === undefined || !allowed.includes(origin.toLowerCase()))
      throw new ConfigurationError(
        `${where('prometheus')} is ${quote(String(gate.prometheus ?? '').slice(0, 100))}; allowed: a URL on ${allowed.length > 0 ? allowed.join(', ') : 'no origin'} (PROMETHEUS_ALLOWED_URLS: the service sends its Prometheus credentials nowhere else).`,
      )
    const headers = gate['prometheus-headers']
    if (
      headers !== undefined &&
      (typeof headers !== 'object' || headers === null || Array.isArray(headers))
    )
      throw new ConfigurationError(
        `${where('gate.prometheus-headers')} must be a mapping of header names to values.`,
      )
    const given = (headers ?? {}) as Record<string, unknown>
    if (Object.keys(given).some((k) => k.toLowerCase() === 'authorization'))
      throw new ConfigurationError(
        `${where('gate.prometheus-headers')} sets Authorization, and the service has Prometheus credentials too; allowed: one of them.`,
      )
    gate['prometheus-headers'] = { ...given, Authorization: credentials }
  }
  // The slots come from the walk's record: {{canary}} and {{stable}} may be used.
  return readGateInput(
    gate,
    { provided: ['canary', 'stable'], stepMs: pauseMs, ...(timeoutMs ? { timeoutMs } : {}) },
    where('gate'),
  )!
}

/** The Authorization header for the service's Prometheus credentials, if any. */
export function authHeader(auth: PrometheusAuth): string | undefined {
  if (auth.bearerToken) return `Bearer ${auth.bearerToken}`
  if (auth.username !== undefined && auth.password !== undefined)
    return `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`
  return undefined
}
