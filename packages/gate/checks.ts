/** A gate's checks: parsed and validated once, with `{{var}}` placeholders filled in. */
import { ConfigurationError, quote } from '../action-kit/index.js'

export interface Check {
  name: string
  query: string
  max?: number
  min?: number
  /** A query for the stable slot; the check fails when the value exceeds baseline × maxIncrease. */
  baseline?: string
  maxIncrease?: number
}

const CHECK_KEYS = ['name', 'query', 'max', 'min', 'baseline', 'max-increase']
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/
const PLACEHOLDER = /\{\{\s*([^}\s]*)\s*\}\}/g

/**
 * `label` says where the list came from in errors, e.g. "Input 'checks'" or "Input 'gate': 'checks'".
 * Every placeholder must name a key of `vars`.
 */
export function parseChecks(value: unknown, label: string, vars: Record<string, string>): Check[] {
  const fail = (message: string): never => {
    throw new ConfigurationError(`${label}${message}`)
  }
  if (!Array.isArray(value) || value.length === 0) {
    fail(
      ` must be a YAML list of checks, each with name, query and max and/or min; got ${describe(value)}.`,
    )
  }
  const names = new Set<string>()
  return (value as unknown[]).map((item, index) => {
    const at = `[${index}]`
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      fail(`${at} must be a mapping (name, query, max, ...), got ${describe(item)}.`)
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
    const text = (key: string) => {
      const v = map[key]
      if (v === undefined) return undefined
      if (typeof v !== 'string' || v.trim() === '')
        fail(`${where}: '${key}' must be a PromQL query string, got ${describe(v)}.`)
      return substitute((v as string).trim(), vars, `${label}${where}: '${key}'`)
    }
    const number = (key: string, positive = false) => {
      const v = map[key]
      if (v === undefined) return undefined
      const n =
        typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN
      if (!Number.isFinite(n) || (positive && n <= 0))
        fail(`${where}: '${key}' is ${quote(v)}; allowed: a ${positive ? 'positive ' : ''}number.`)
      return n
    }
    const query = text('query')
    if (query === undefined) fail(`${where}: 'query' is required.`)
    const check: Check = { name: name as string, query: query as string }
    const max = number('max')
    const min = number('min')
    const baseline = text('baseline')
    const maxIncrease = number('max-increase', true)
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
    if (max === undefined && min === undefined && baseline === undefined) {
      fail(`${where} has no bound: give 'max', 'min', or 'baseline' with 'max-increase'.`)
    }
    return check
  })
}

/** The `vars` map: names to strings (numbers and booleans are turned into text). */
export function parseVars(value: unknown, label: string): Record<string, string> {
  if (value === undefined || value === null) return {}
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigurationError(
      `${label} must be a YAML mapping of names to values, got ${describe(value)}.`,
    )
  }
  const out: Record<string, string> = {}
  for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
    if (!VAR_NAME.test(name))
      throw new ConfigurationError(
        `${label}: ${quote(name)} is not a variable name (letters, digits, _ and -, not starting with a digit).`,
      )
    if (!['string', 'number', 'boolean'].includes(typeof v))
      throw new ConfigurationError(
        `${label}: '${name}' must be a string or number, got ${describe(v)}.`,
      )
    out[name] = String(v)
  }
  return out
}

/** Fills `{{name}}` with the value escaped for a PromQL double-quoted string. Unknown names are an error. */
export function substitute(query: string, vars: Record<string, string>, label: string): string {
  return query.replace(PLACEHOLDER, (_match, name: string) => {
    if (!Object.hasOwn(vars, name)) {
      const known = Object.keys(vars)
      throw new ConfigurationError(
        `${label} uses {{${name}}}, which is not defined; defined: ${known.length > 0 ? known.join(', ') : 'none'}.`,
      )
    }
    return escapePromqlString(vars[name] as string)
  })
}

export function escapePromqlString(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'a list'
  if (v === null || v === undefined) return 'nothing'
  if (typeof v === 'object') return 'a mapping'
  return `${typeof v} ${quote(v)}`
}
