/**
 * A gate's checks: parsed and validated once into query templates (`CheckTemplate`), then bound
 * to the slots being judged (`bindCheck`), which only fills in values.
 */
import { ConfigurationError, quote } from '../action-kit/index.js'
import { describeValue } from '../action-kit/util.js'
import { fillTemplate, parseQueryTemplate, type QueryTemplate } from './template.js'

/** A check ready to measure: plain PromQL. */
export interface Check {
  name: string
  query: string
  max?: number
  min?: number
  /** A query for the stable slot; the check fails when the value exceeds baseline × maxIncrease. */
  baseline?: string
  maxIncrease?: number
  /** A query counting the evidence behind `query` (e.g. the canary's requests in the window). */
  samples?: string
  /** Below this many samples the measurement is "not enough data yet": never a pass or a fail. */
  minSamples?: number
  /** Measured and reported, never deciding (Argo's dry-run). */
  dryRun?: boolean
  /** A statistical comparison with the stable slot instead of (or besides) absolute bounds. */
  compare?: Comparison
}

/** Exact counts from counters at both ends of the window, for each slot. */
export interface CounterQueries {
  requests: string
  errors: string
}

/**
 * A comparison with the stable slot over the same window (see stats.ts). `error-rate`: "is the
 * canary's error rate more than `margin` above stable's?" from exact counts; the check's `query`
 * is then the canary's errors query. `latency`: Mann–Whitney U on one sample per slot per look
 * (the `query` for each slot), failing when the canary is significantly slower and its median is
 * more than `maxRatio` × stable's; the check's `query` is the canary's.
 */
export type Comparison =
  | { kind: 'error-rate'; margin: number; canary: CounterQueries; stable: CounterQueries }
  | { kind: 'latency'; maxRatio: number; canary: { query: string }; stable: { query: string } }

type QueryField = 'query' | 'baseline' | 'samples' | 'compare'

/** A check as parsed: its queries are templates, filled in by `bindCheck`. */
export interface CheckTemplate extends Omit<Check, QueryField> {
  query?: QueryTemplate
  baseline?: QueryTemplate
  samples?: QueryTemplate
  /** `{{slot}}`/`{{servers}}` in these are filled once for each slot. */
  compare?:
    | { kind: 'error-rate'; margin: number; requests: QueryTemplate; errors: QueryTemplate }
    | { kind: 'latency'; maxRatio: number; query: QueryTemplate }
}

/**
 * The evidence each comparison needs when `min-samples` is not given: `error-rate`, the canary's
 * requests in the window (0 of 0 requests proves nothing, and one error in five is noise);
 * `latency`, looks with a latency sample from both slots before the Mann–Whitney test. A check
 * with a plain `query` counts its evidence only with `samples` and `min-samples`.
 */
export const DEFAULT_MIN_SAMPLES = { 'error-rate': 100, latency: 5 } as const

/** In a comparison's queries, these stand for each slot in turn: the slot's name and servers. */
export const SIDE_PLACEHOLDERS = { slot: 'canary', servers: 'canary-servers' } as const

const CHECK_KEYS = [
  'name',
  'query',
  'max',
  'min',
  'baseline',
  'max-increase',
  'samples',
  'min-samples',
  'dry-run',
  'compare',
  'requests',
  'errors',
  'margin',
  'max-ratio',
]
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/

/**
 * `label` says where the list came from in errors, e.g. "Input 'checks'" or "Input 'gate.checks'".
 * `placeholders` are the names a query may use (the user's vars and what the caller provides).
 */
export function parseChecks(
  value: unknown,
  label: string,
  placeholders: readonly string[],
): CheckTemplate[] {
  const fail = (message: string): never => {
    throw new ConfigurationError(`${label}${message}`)
  }
  if (!Array.isArray(value) || value.length === 0) {
    fail(
      ` must be a YAML list of checks, each with name, query and max and/or min; got ${describeValue(value)}.`,
    )
  }
  const names = new Set<string>()
  return (value as unknown[]).map((item, index) => {
    const at = `[${index}]`
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      fail(`${at} must be a mapping (name, query, max, ...), got ${describeValue(item)}.`)
    const map = item as Record<string, unknown>
    const unknown = Object.keys(map).filter((k) => !CHECK_KEYS.includes(k))
    if (unknown.length > 0)
      fail(
        `${at} has unknown key ${unknown.map(quote).join(', ')}; allowed: ${CHECK_KEYS.join(', ')}.`,
      )
    const name = map.name
    if (typeof name !== 'string' || name.trim() === '') fail(`${at} needs a 'name'.`)
    const where = `${at} (${name as string})`
    if (names.has(name as string)) fail(`${where}: the name is used twice; names must be unique.`)
    names.add(name as string)
    const template = (key: string) => {
      const v = map[key]
      if (v === undefined) return undefined
      if (typeof v !== 'string' || v.trim() === '')
        fail(`${where}: '${key}' must be a PromQL query string, got ${describeValue(v)}.`)
      return parseQueryTemplate((v as string).trim(), `${label}${where}: '${key}'`, placeholders)
    }
    const number = (key: string, kind: 'number' | 'positive' | 'count' = 'number') => {
      const v = map[key]
      if (v === undefined) return undefined
      const n =
        typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN
      const ok =
        Number.isFinite(n) &&
        (kind === 'number' || (kind === 'positive' ? n > 0 : Number.isInteger(n) && n >= 1))
      const allowed = {
        number: 'a number',
        positive: 'a positive number',
        count: 'a whole number of 1 or more',
      }
      if (!ok) fail(`${where}: '${key}' is ${quote(v)}; allowed: ${allowed[kind]}.`)
      return n
    }
    const compare = map.compare
    const check: CheckTemplate = { name: name as string }
    if (compare !== undefined) {
      if (compare !== 'error-rate' && compare !== 'latency')
        fail(`${where}: 'compare' is ${quote(compare)}; allowed: error-rate, latency.`)
      const takes =
        compare === 'error-rate' ? ['requests', 'errors', 'margin'] : ['query', 'max-ratio']
      const wrong = ['query', 'baseline', 'requests', 'errors', 'margin', 'max-ratio'].filter(
        (k) => map[k] !== undefined && !takes.includes(k),
      )
      if (wrong.length > 0)
        fail(
          `${where}: compare: ${compare} takes ${takes.map(quote).join(', ')} (with {{slot}} or {{servers}} for each slot), not ${wrong.map(quote).join(', ')}.`,
        )
      // {{slot}} and {{servers}} stand for each slot in turn, where the caller provides them.
      const sides = Object.entries(SIDE_PLACEHOLDERS)
        .filter(([, from]) => placeholders.includes(from))
        .map(([side]) => side)
      const sideQuery = (key: 'requests' | 'errors' | 'query', example: string) => {
        const v = map[key]
        if (typeof v !== 'string' || v.trim() === '')
          fail(
            `${where}: '${key}' must be a PromQL query for {{slot}} or {{servers}}, e.g. ${example}; got ${describeValue(v)}.`,
          )
        const t = parseQueryTemplate((v as string).trim(), `${label}${where}: '${key}'`, [
          ...placeholders.filter(
            (n) =>
              !Object.values<string>(SIDE_PLACEHOLDERS).includes(n) &&
              n !== 'stable' &&
              n !== 'stable-servers',
          ),
          ...sides,
        ])
        if (!t.placeholders.some((n) => n in SIDE_PLACEHOLDERS))
          fail(
            `${where}: '${key}' must use {{slot}} or {{servers}}${sides.length === 0 ? " (not provided here: give the slots' servers)" : ''}, so it is measured for each slot.`,
          )
        return t
      }
      if (compare === 'error-rate') {
        const margin = number('margin') ?? 0
        if (margin < 0 || margin >= 1)
          fail(
            `${where}: 'margin' is ${quote(map.margin)}; allowed: a rate from 0 to below 1, e.g. 0.01.`,
          )
        check.compare = {
          kind: 'error-rate',
          margin,
          requests: sideQuery('requests', 'sum(http_requests_total{slot="{{slot}}"})'),
          errors: sideQuery('errors', 'sum(http_requests_total{slot="{{slot}}",code=~"5.."})'),
        }
      } else {
        const maxRatio = number('max-ratio', 'positive') ?? 1.2
        if (maxRatio < 1)
          fail(
            `${where}: 'max-ratio' is ${quote(map['max-ratio'])}; allowed: a number of 1 or more, e.g. 1.2 (20% slower).`,
          )
        check.compare = {
          kind: 'latency',
          maxRatio,
          query: sideQuery(
            'query',
            'sum(rate(http_request_duration_seconds_sum{slot="{{slot}}"}[30s])) / sum(rate(http_request_duration_seconds_count{slot="{{slot}}"}[30s]))',
          ),
        }
      }
    } else {
      for (const key of ['requests', 'errors', 'margin', 'max-ratio'])
        if (map[key] !== undefined)
          fail(`${where}: '${key}' goes with compare (error-rate or latency).`)
      const query = template('query')
      if (query === undefined) fail(`${where}: 'query' is required.`)
      check.query = query as QueryTemplate
    }
    const max = number('max')
    const min = number('min')
    const baseline = template('baseline')
    const maxIncrease = number('max-increase', 'positive')
    if (max !== undefined) check.max = max
    if (min !== undefined) check.min = min
    if (max !== undefined && min !== undefined && min > max)
      fail(`${where}: 'min' (${min}) is above 'max' (${max}), so nothing could pass.`)
    if ((baseline === undefined) !== (maxIncrease === undefined)) {
      fail(
        `${where}: 'baseline' and 'max-increase' go together (e.g. max-increase: 1.2 lets the value be 20% above the baseline's).`,
      )
    }
    if (baseline !== undefined) {
      check.baseline = baseline
      check.maxIncrease = maxIncrease as number
    }
    if (max === undefined && min === undefined && baseline === undefined && !check.compare) {
      fail(`${where} has no bound: give 'max', 'min', or 'baseline' with 'max-increase'.`)
    }
    const samples = template('samples')
    const minSamples = number('min-samples', 'count')
    if (check.compare) {
      // The evidence of a comparison is the canary's request count in the window.
      if (samples !== undefined)
        fail(
          `${where}: a comparison counts its samples itself (the canary's requests); drop 'samples'.`,
        )
      // Without min-samples a comparison still needs evidence: never judged on an empty window.
      check.minSamples = minSamples ?? DEFAULT_MIN_SAMPLES[check.compare.kind]
    } else if ((samples === undefined) !== (minSamples === undefined))
      fail(
        `${where}: 'samples' (a query counting the evidence, e.g. the canary's requests in the window) and 'min-samples' go together.`,
      )
    if (samples !== undefined) {
      check.samples = samples
      check.minSamples = minSamples as number
    }
    const dryRun = map['dry-run']
    if (dryRun !== undefined) {
      if (typeof dryRun !== 'boolean' && !/^(true|false)$/i.test(String(dryRun)))
        fail(`${where}: 'dry-run' is ${quote(dryRun)}; allowed: true or false.`)
      if (String(dryRun).toLowerCase() === 'true') check.dryRun = true
    }
    return check
  })
}

/** Fills a check's templates with `values` (every placeholder the templates use must be there). */
export function bindCheck(check: CheckTemplate, values: Record<string, string>): Check {
  const { query, baseline, samples, compare, ...rest } = check
  if (compare) {
    const sideValues = (slot: 'canary' | 'stable') => {
      const v = { ...values }
      const name = values[slot]
      const servers = values[`${slot}-servers`]
      if (name !== undefined) v.slot = name
      if (servers !== undefined) v.servers = servers
      return v
    }
    const [canary, stable] = [sideValues('canary'), sideValues('stable')]
    if (compare.kind === 'latency') {
      const q = (v: Record<string, string>) => ({ query: fillTemplate(compare.query, v) })
      return {
        ...rest,
        query: q(canary).query,
        compare: {
          kind: 'latency',
          maxRatio: compare.maxRatio,
          canary: q(canary),
          stable: q(stable),
        },
      }
    }
    const counters = (v: Record<string, string>) => ({
      requests: fillTemplate(compare.requests, v),
      errors: fillTemplate(compare.errors, v),
    })
    return {
      ...rest,
      query: counters(canary).errors,
      compare: {
        kind: 'error-rate',
        margin: compare.margin,
        canary: counters(canary),
        stable: counters(stable),
      },
    }
  }
  return {
    ...rest,
    query: fillTemplate(query as QueryTemplate, values),
    ...(baseline ? { baseline: fillTemplate(baseline, values) } : {}),
    ...(samples ? { samples: fillTemplate(samples, values) } : {}),
  }
}

/** The placeholders a list of checks uses. */
export function placeholdersOf(checks: readonly CheckTemplate[]): string[] {
  const names = new Set<string>()
  for (const c of checks)
    for (const t of [
      c.query,
      c.baseline,
      c.samples,
      ...(c.compare?.kind === 'error-rate' ? [c.compare.requests, c.compare.errors] : []),
      ...(c.compare?.kind === 'latency' ? [c.compare.query] : []),
    ])
      t?.placeholders.forEach((n) => {
        if (n === 'slot') ['canary', 'stable'].forEach((s) => names.add(s))
        else if (n === 'servers') ['canary-servers', 'stable-servers'].forEach((s) => names.add(s))
        else names.add(n)
      })
  return [...names]
}

/** The `vars` map: names to strings (numbers and booleans are turned into text). */
export function parseVars(
  value: unknown,
  label: string,
  reserved: readonly string[] = [],
): Record<string, string> {
  if (value === undefined || value === null || value === '') return {}
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigurationError(
      `${label} must be a YAML mapping of names to values, got ${describeValue(value)}.`,
    )
  }
  const out: Record<string, string> = {}
  for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
    if (!VAR_NAME.test(name))
      throw new ConfigurationError(
        `${label}: ${quote(name)} is not a variable name (letters, digits, _ and -, not starting with a digit).`,
      )
    if (reserved.includes(name))
      throw new ConfigurationError(
        `${label}: '${name}' is filled in by the action itself ({{${name}}}); choose another name.`,
      )
    if (!['string', 'number', 'boolean'].includes(typeof v))
      throw new ConfigurationError(
        `${label}: '${name}' must be a string or number, got ${describeValue(v)}.`,
      )
    out[name] = String(v)
  }
  return out
}
