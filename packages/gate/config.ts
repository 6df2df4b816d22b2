/**
 * A gate's configuration, from separate inputs (metrics-gate) or one YAML mapping (canary-step's
 * `gate`). Both read the same fields through a getter, so they validate alike.
 */
import {
  ConfigurationError,
  parseDuration,
  parseEnum,
  parseInteger,
  quote,
} from '../action-kit/index.js'
import { parseChecks, parseVars, type Check } from './checks.js'
import { DEFAULT_SETTINGS, type GateSettings } from './analysis.js'

export interface GateConfig {
  prometheus: string
  headers: Record<string, string>
  checks: Check[]
  settings: GateSettings
}

export const GATE_KEYS = [
  'prometheus',
  'prometheus-headers',
  'checks',
  'vars',
  'interval',
  'count',
  'failure-limit',
  'no-data',
  'initial-delay',
] as const
export type GateKey = (typeof GATE_KEYS)[number]

/**
 * `get(key)` returns the raw value (a string from an input, anything from YAML); `name(key)` is
 * what errors call it ("count" for an input, "gate.count" for a field of canary-step's `gate`).
 * `providedVars` ({{canary}}, {{stable}}) are added to the user's vars.
 */
export function parseGateConfig(
  get: (key: GateKey) => unknown,
  name: (key: GateKey) => string,
  providedVars: Record<string, string> = {},
  defaults: Partial<GateSettings> = {},
): GateConfig {
  const label = (key: GateKey) => `Input '${name(key)}'`
  const text = (key: GateKey): string | undefined => {
    const v = get(key)
    if (v === undefined || v === null || v === '') return undefined
    if (typeof v !== 'string' && typeof v !== 'number')
      throw new ConfigurationError(`${label(key)} must be a single value, got ${quote(v)}.`)
    return String(v).trim()
  }
  const prometheus = text('prometheus')
  if (prometheus === undefined)
    throw new ConfigurationError(
      `${label('prometheus')} is required: the base URL of Prometheus, e.g. http://prometheus:9090.`,
    )
  let url: URL | undefined
  try {
    url = new URL(prometheus)
  } catch {
    url = undefined
  }
  if (!url || !['http:', 'https:'].includes(url.protocol)) {
    throw new ConfigurationError(
      `${label('prometheus')} has the value ${quote(prometheus)}; allowed: an http:// or https:// URL.`,
    )
  }
  const vars = { ...parseVars(get('vars'), label('vars')), ...providedVars }
  const base = { ...DEFAULT_SETTINGS, ...defaults }
  const duration = (key: GateKey, fallback: number, min: number) => {
    const v = text(key)
    if (v === undefined) return fallback
    const ms = parseDuration(name(key), v)
    if (ms < min)
      throw new ConfigurationError(
        `${label(key)} has the value ${quote(v)}; allowed: at least ${min} ms.`,
      )
    return ms
  }
  const integer = (key: GateKey, fallback: number, min: number, max: number) => {
    const v = text(key)
    return v === undefined ? fallback : parseInteger(name(key), v, min, max)
  }
  const noData = text('no-data')
  return {
    prometheus: prometheus.replace(/\/+$/, ''),
    headers: parseHeaders(get('prometheus-headers'), label('prometheus-headers')),
    checks: parseChecks(get('checks'), label('checks'), vars),
    settings: {
      interval: duration('interval', base.interval, 100),
      count: integer('count', base.count, 1, 1000),
      failureLimit: integer('failure-limit', base.failureLimit, 0, 1000),
      noData:
        noData === undefined
          ? base.noData
          : parseEnum(name('no-data'), noData, ['fail', 'inconclusive'] as const),
      initialDelay: duration('initial-delay', base.initialDelay, 0),
    },
  }
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
      throw new ConfigurationError(`${label}: ${quote(name)} is not an HTTP header name.`)
    if (typeof v !== 'string' && typeof v !== 'number')
      throw new ConfigurationError(`${label}: the value of ${name} must be a string.`)
    out[name] = String(v)
  }
  return out
}
