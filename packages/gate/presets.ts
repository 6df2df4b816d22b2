/**
 * Router presets: checks built from the router's own metrics, so the basic triggers need no
 * hand-written PromQL. `haproxy` reads HAProxy's built-in Prometheus exporter (compiled into
 * Debian's 2.6; `http-request use-service prometheus-exporter if { path /metrics }`):
 *
 * - 5xx rate against stable, from the per-server response-code counters
 *   (`haproxy_server_http_responses_total{code="5xx"}`), judged statistically, plus an absolute
 *   bound of 5% on the canary's rate;
 * - average response time of the canary's servers
 *   (`haproxy_server_response_time_average_seconds`, HAProxy's average over the last 1024
 *   requests), bound 10 s, judged once the canary's servers answered at least 10 requests in the
 *   last 5 minutes (the average of a server that answered nothing is 0).
 *
 * HAProxy exports no latency histograms, so a Mann–Whitney comparison needs the app's own. nginx
 * OSS has no per-upstream metrics, hence no nginx preset.
 */
import { ConfigurationError, quote } from '../action-kit/index.js'
import { describeValue } from '../action-kit/util.js'

export interface HaproxyPreset {
  type: 'haproxy'
  /** The backend (HAProxy's `proxy` label); undefined: bound later as {{backend}} (canary-step). */
  backend?: string
  /** Server names per slot (metrics-gate); canary-step takes them from the router. */
  canary?: string[]
  stable?: string[]
  minSamples: number
  margin: number
}

const PRESET_KEYS = ['type', 'backend', 'canary', 'stable', 'min-samples', 'margin']

/** `preset: haproxy` or `preset: { type: haproxy, backend: web, canary: [...], stable: [...] }`. */
export function parsePreset(value: unknown, label: string): HaproxyPreset | undefined {
  if (value === undefined || value === null || value === '') return undefined
  const map = (typeof value === 'string' ? { type: value } : value) as Record<string, unknown>
  if (typeof map !== 'object' || Array.isArray(map))
    throw new ConfigurationError(
      `${label} must be haproxy or a mapping { type: haproxy, backend, canary, stable }, got ${describeValue(value)}.`,
    )
  const unknown = Object.keys(map).filter((k) => !PRESET_KEYS.includes(k))
  if (unknown.length > 0)
    throw new ConfigurationError(
      `${label} has unknown key ${unknown.map(quote).join(', ')}; allowed: ${PRESET_KEYS.join(', ')}.`,
    )
  if (map.type !== 'haproxy')
    throw new ConfigurationError(
      `${label}: type is ${quote(map.type)}; allowed: haproxy (nginx OSS exports no per-upstream metrics, so there is no nginx preset).`,
    )
  const preset: HaproxyPreset = { type: 'haproxy', minSamples: 100, margin: 0 }
  if (map.backend !== undefined) {
    if (typeof map.backend !== 'string' || !/^[A-Za-z0-9_.:-]+$/.test(map.backend.trim()))
      throw new ConfigurationError(
        `${label}: backend must be the HAProxy backend's name (letters, digits, - _ . :), got ${describeValue(map.backend)}.`,
      )
    preset.backend = map.backend.trim()
  }
  for (const slot of ['canary', 'stable'] as const) {
    const v = map[slot]
    if (v === undefined) continue
    const items = typeof v === 'string' ? [v] : v
    if (
      !Array.isArray(items) ||
      items.length === 0 ||
      !items.every((s) => typeof s === 'string' && s.trim() !== '')
    )
      throw new ConfigurationError(
        `${label}: ${slot} must be a server name or a list of them, got ${describeValue(v)}.`,
      )
    preset[slot] = (items as string[]).map((s) => s.trim())
  }
  if ((preset.canary === undefined) !== (preset.stable === undefined))
    throw new ConfigurationError(`${label}: canary and stable go together (each slot's servers).`)
  const minSamples = map['min-samples']
  if (minSamples !== undefined) {
    const n = Number(minSamples)
    if (!Number.isInteger(n) || n < 1)
      throw new ConfigurationError(
        `${label}: min-samples is ${quote(minSamples)}; allowed: a whole number of 1 or more.`,
      )
    preset.minSamples = n
  }
  if (map.margin !== undefined) {
    const n = Number(map.margin)
    if (!(n >= 0 && n < 1))
      throw new ConfigurationError(
        `${label}: margin is ${quote(map.margin)}; allowed: a rate from 0 to below 1, e.g. 0.01.`,
      )
    preset.margin = n
  }
  return preset
}

/** Canary responses in the last 5 minutes before HAProxy's average response time is judged. */
export const RESPONSE_TIME_MIN_SAMPLES = 10

/** The preset's checks, as the mappings a user would write (parsed like theirs). */
export function presetChecks(preset: HaproxyPreset): Record<string, unknown>[] {
  const proxy = preset.backend ?? '{{backend}}'
  const responses = (extra: string) =>
    `sum(haproxy_server_http_responses_total{proxy="${proxy}",server=~"{{servers}}"${extra}})`
  return [
    {
      name: 'haproxy-5xx',
      compare: 'error-rate',
      requests: responses(''),
      errors: responses(',code="5xx"'),
      margin: preset.margin,
      'min-samples': preset.minSamples,
      max: 0.05,
    },
    {
      name: 'haproxy-response-time',
      query: `max(haproxy_server_response_time_average_seconds{proxy="${proxy}",server=~"{{canary-servers}}"})`,
      max: 10,
      // HAProxy's average is 0 on a server that answered nothing: judged only with evidence.
      samples: `sum(increase(haproxy_server_http_responses_total{proxy="${proxy}",server=~"{{canary-servers}}"}[5m]))`,
      'min-samples': RESPONSE_TIME_MIN_SAMPLES,
    },
  ]
}
