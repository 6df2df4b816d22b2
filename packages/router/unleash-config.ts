/**
 * The `router` mapping for `type: unleash`, validated before anything talks to Unleash: the
 * server's base URL, an admin API token (a secret), optionally a client (backend) token to
 * confirm through the client API what SDKs are served, the project, environment and flag, and
 * the flexibleRollout strategy cutover owns there (stickiness, group id, constraints).
 * What only the server knows (the flag, project, environment and context fields exist) is
 * checked by the router before its first write (packages/router/unleash.ts).
 */
import { parseDuration, quote } from '../action-kit/index.js'
import { describeValue, parseHttpUrl } from '../action-kit/util.js'
import { configFields, type FieldOptions } from './config-fields.js'
import { DEFAULT_VARIANTS } from './flag.js'

/** Unleash's constraint operators (8.2): which take a list (`values`) and which one `value`. */
export const UNLEASH_LIST_OPERATORS = [
  'IN',
  'NOT_IN',
  'STR_CONTAINS',
  'STR_STARTS_WITH',
  'STR_ENDS_WITH',
] as const
export const UNLEASH_VALUE_OPERATORS = [
  'NUM_EQ',
  'NUM_GT',
  'NUM_GTE',
  'NUM_LT',
  'NUM_LTE',
  'DATE_AFTER',
  'DATE_BEFORE',
  'SEMVER_EQ',
  'SEMVER_GT',
  'SEMVER_LT',
] as const
export const UNLEASH_OPERATORS = [...UNLEASH_LIST_OPERATORS, ...UNLEASH_VALUE_OPERATORS] as const
export type UnleashOperator = (typeof UNLEASH_OPERATORS)[number]

/** A constraint as Unleash's API takes it. */
export interface UnleashConstraint {
  contextName: string
  operator: UnleashOperator
  values?: string[]
  value?: string
  inverted?: boolean
  caseInsensitive?: boolean
}

export interface UnleashConfig {
  type: 'unleash'
  /** Identity in records; default `unleash <flag>`. */
  name: string
  /** The server's base URL without a trailing slash, e.g. https://unleash.example.com. */
  url: string
  /** Admin API token. A secret. */
  token: string
  /** Client (backend) token for the flag's environment, to confirm what SDKs are served. A secret. */
  clientToken?: string
  project: string
  environment: string
  flag: string
  stickiness: string
  groupId: string
  constraints: UnleashConstraint[]
  /** The labels the application puts on its metrics for the flag off (slot blue) and on (green). */
  variants: { off: string; on: string }
  slots: { blue: string[]; green: string[] }
  /** Each exchange with Unleash (one request and its whole answer), in ms. */
  timeout: number
  /** How long the client API may take to serve a written rollout, in ms. */
  propagationTimeout: number
}

export const UNLEASH_KEYS = [
  'type',
  'name',
  'url',
  'token',
  'client-token',
  'project',
  'environment',
  'flag',
  'stickiness',
  'group-id',
  'constraints',
  'variants',
  'timeout',
  'propagation-timeout',
] as const

const CONSTRAINT_KEYS = ['context', 'operator', 'values', 'value', 'inverted', 'case-insensitive']
const ROUTER_NAME = /^[^\s\p{Cc}][^\p{Cc}]{0,62}[^\s\p{Cc}]$|^[^\s\p{Cc}]$/u
/** Unleash's feature names: URL-friendly (letters, digits, - _ . ~), at most 100. */
export const UNLEASH_NAME = /^[A-Za-z0-9_.~-]{1,100}$/
/** Project and environment ids. */
const UNLEASH_ID = /^[A-Za-z0-9_.~-]{1,100}$/
/** A context field's name. */
const CONTEXT_NAME = /^[A-Za-z0-9_.~-]{1,100}$/
const VARIANT = /^[^\s\p{Cc}](?:[^\p{Cc}]{0,62}[^\s\p{Cc}])?$/u
const MAX_CONSTRAINTS = 30
const MAX_VALUES = 1000
const ISO_DATE =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/
const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/

export type UnleashParseOptions = FieldOptions

export function parseUnleashConfig(
  map: Record<string, unknown>,
  options: UnleashParseOptions = {},
): UnleashConfig {
  const { fail, named, shown, present } = configFields(
    map,
    'unleash',
    UNLEASH_KEYS,
    options,
    ' (and services)',
  )

  const text = (key: string, pattern: RegExp, rule: string, fallback?: string): string => {
    if (!present(map, key)) {
      if (fallback !== undefined) return fallback
      return fail(`${named(key)} is required for type unleash: ${rule}.`)
    }
    const v = map[key]
    if (typeof v !== 'string' || !pattern.test(v.trim()))
      return fail(`${named(key)} is ${shown(v)}; allowed: ${rule}.`)
    return v.trim()
  }
  /** A secret: its value never appears in a message. */
  const secret = (key: string, rule: string): string | undefined => {
    if (!present(map, key)) return undefined
    const v = map[key]
    if (typeof v !== 'string' || v.trim() === '' || /[\s\p{Cc}]/u.test(v.trim()))
      return fail(
        `${named(key)} must be ${rule}: one string without blanks (its value is not shown).`,
      )
    return v.trim()
  }

  const urlText = text(
    'url',
    /^\S+$/,
    "the Unleash server's base URL, e.g. https://unleash.example.com (the API is under /api)",
  )
  try {
    parseHttpUrl('router.url', urlText)
  } catch (e) {
    // parseHttpUrl never echoes a URL that holds credentials; neither do we.
    const withCredentials = /user name or password/.test((e as Error).message)
    fail(
      `${named('url')} ${withCredentials ? 'has a user name or password in it' : `is ${shown(urlText)}`}; allowed: an http(s) URL of the Unleash server, e.g. https://unleash.example.com, without credentials (the token goes in 'token').`,
    )
  }
  const url = urlText.replace(/\/+$/, '').replace(/\/api$/, '')
  const tokenRule =
    'an Unleash admin API token (a personal access token or an admin token), e.g. ${{ secrets.UNLEASH_ADMIN_TOKEN }}'
  const token = secret('token', tokenRule)
  if (token === undefined) fail(`${named('token')} is required for type unleash: ${tokenRule}.`)
  const clientToken = secret(
    'client-token',
    "a client (backend) token of the flag's environment, e.g. ${{ secrets.UNLEASH_CLIENT_TOKEN }}",
  )

  const project = text(
    'project',
    UNLEASH_ID,
    "the flag's project id (letters, digits, - _ . ~), default default",
    'default',
  )
  const environment = text(
    'environment',
    UNLEASH_ID,
    'the environment whose strategy is walked, e.g. production (letters, digits, - _ . ~)',
  )
  const flag = text(
    'flag',
    UNLEASH_NAME,
    "the flag's name in Unleash (letters, digits, - _ . ~, at most 100), e.g. new-checkout",
  )
  const stickiness = text(
    'stickiness',
    CONTEXT_NAME,
    'the context field that keeps a user in or out as the rollout grows: userId (default), sessionId, random, default, or a custom field marked for stickiness',
    'userId',
  )
  const groupId = text(
    'group-id',
    /^[^\s\p{Cc}](?:[^\p{Cc}]{0,98}[^\s\p{Cc}])?$/u,
    'the group id the rollout hashes users with (default: the flag name); flags with the same group id expose the same users',
    flag,
  )

  const constraints: UnleashConstraint[] = []
  if (map.constraints !== undefined && map.constraints !== null) {
    const list = map.constraints
    if (!Array.isArray(list))
      fail(
        `${named('constraints')} must be a list of { context, operator, values | value }, got ${describeValue(list)}.`,
      )
    if ((list as unknown[]).length > MAX_CONSTRAINTS)
      fail(
        `${named('constraints')} lists ${(list as unknown[]).length} constraints; allowed: at most ${MAX_CONSTRAINTS}.`,
      )
    for (const [i, item] of (list as unknown[]).entries()) {
      constraints.push(parseConstraint(item, `constraints[${i}]`, { fail, named, shown, present }))
    }
  }

  let variants = { ...DEFAULT_VARIANTS } as { off: string; on: string }
  if (map.variants !== undefined && map.variants !== null) {
    const v = map.variants
    if (typeof v !== 'object' || Array.isArray(v))
      fail(
        `${named('variants')} must be a mapping { off: <label>, on: <label> }, got ${describeValue(v)}.`,
      )
    const m = v as Record<string, unknown>
    const extra = Object.keys(m).filter((k) => k !== 'off' && k !== 'on')
    if (extra.length > 0)
      fail(`${named('variants')} has unknown key ${extra.map(quote).join(', ')}; allowed: off, on.`)
    for (const state of ['off', 'on'] as const) {
      if (m[state] === undefined || m[state] === null) continue
      const label = m[state]
      if (typeof label !== 'string' || !VARIANT.test(label))
        fail(
          `${named(`variants.${state}`)} is ${shown(label)}; allowed: the label the application puts on its metrics with the flag ${state} (1 to 64 printable characters), e.g. ${state}.`,
        )
      variants[state] = label as string
    }
    variants = { off: variants.off, on: variants.on }
  }
  if (variants.off === variants.on)
    fail(
      `${named('variants.off')} and ${named('variants.on')} are both ${quote(variants.off)}; the gate needs two different labels to tell the users apart.`,
    )

  const duration = (key: string, fallback: number, min: number, max: number, rule: string) => {
    if (!present(map, key)) return fallback
    const v = map[key]
    let ms = NaN
    try {
      ms = parseDuration(`router.${key}`, String(v))
    } catch {
      ms = NaN
    }
    if (!(ms >= min && ms <= max)) return fail(`${named(key)} is ${shown(v)}; allowed: ${rule}.`)
    return ms
  }
  const timeout = duration(
    'timeout',
    10_000,
    100,
    120_000,
    'a duration from 100ms to 2m, e.g. 10s (each request to Unleash, its whole answer included)',
  )
  const propagationTimeout = duration(
    'propagation-timeout',
    30_000,
    1000,
    600_000,
    "a duration from 1s to 10m, e.g. 30s (how long Unleash's client API may take to serve a change)",
  )

  let name = `unleash ${flag}`
  if (present(map, 'name')) {
    const v = map.name
    if (typeof v !== 'string' || !ROUTER_NAME.test(v))
      fail(
        `${named('name')} is ${shown(v)}; allowed: a label of 1 to 64 printable characters, e.g. "checkout flag (eu)".`,
      )
    name = v as string
  }

  return {
    type: 'unleash',
    name,
    url,
    token: token as string,
    ...(clientToken !== undefined ? { clientToken } : {}),
    project,
    environment,
    flag,
    stickiness,
    groupId,
    constraints,
    variants,
    slots: { blue: [variants.off], green: [variants.on] },
    timeout,
    propagationTimeout,
  }
}

function parseConstraint(
  item: unknown,
  path: string,
  h: {
    fail: (message: string) => never
    named: (key: string) => string
    shown: (v: unknown) => string
    present: (m: Record<string, unknown>, key: string) => boolean
  },
): UnleashConstraint {
  const { fail, named, shown, present } = h
  if (typeof item !== 'object' || item === null || Array.isArray(item))
    return fail(
      `${named(path)} must be a mapping { context, operator, values | value }, got ${describeValue(item)}.`,
    )
  const m = item as Record<string, unknown>
  const extra = Object.keys(m).filter((k) => !CONSTRAINT_KEYS.includes(k))
  if (extra.length > 0)
    fail(
      `${named(path)} has unknown key ${extra.map(quote).join(', ')}; allowed: ${CONSTRAINT_KEYS.join(', ')}.`,
    )
  const context = m.context
  if (typeof context !== 'string' || !CONTEXT_NAME.test(context.trim()))
    fail(
      `${named(`${path}.context`)} is ${shown(context)}; allowed: the name of an Unleash context field, e.g. userId, region or currentTime.`,
    )
  const op = typeof m.operator === 'string' ? m.operator.trim().toUpperCase() : m.operator
  if (!(UNLEASH_OPERATORS as readonly unknown[]).includes(op))
    fail(
      `${named(`${path}.operator`)} is ${shown(m.operator)}; allowed: ${UNLEASH_OPERATORS.join(', ')}.`,
    )
  const operator = op as UnleashOperator
  const out: UnleashConstraint = { contextName: (context as string).trim(), operator }
  const isList = (UNLEASH_LIST_OPERATORS as readonly string[]).includes(operator)
  if (isList) {
    if (present(m, 'value'))
      fail(
        `${named(`${path}.value`)} is for the one-value operators (${UNLEASH_VALUE_OPERATORS.join(', ')}); ${operator} takes 'values', a list.`,
      )
    const raw = typeof m.values === 'string' || typeof m.values === 'number' ? [m.values] : m.values
    if (!Array.isArray(raw) || raw.length === 0)
      fail(
        `${named(`${path}.values`)} is required for ${operator}: a list of the values to match, e.g. [eu-west, eu-central].`,
      )
    const values = raw as unknown[]
    if (values.length > MAX_VALUES)
      fail(
        `${named(`${path}.values`)} lists ${values.length} values; allowed: at most ${MAX_VALUES}.`,
      )
    out.values = values.map((v, j) => {
      if ((typeof v !== 'string' && typeof v !== 'number') || String(v).trim() === '')
        return fail(
          `${named(`${path}.values[${j}]`)} is ${shown(v)}; allowed: a non-empty string or number.`,
        )
      return String(v).trim()
    })
  } else {
    if (present(m, 'values'))
      fail(
        `${named(`${path}.values`)} is for the list operators (${UNLEASH_LIST_OPERATORS.join(', ')}); ${operator} takes one 'value'.`,
      )
    const v = m.value instanceof Date ? m.value.toISOString() : m.value
    if ((typeof v !== 'string' && typeof v !== 'number') || String(v).trim() === '')
      return fail(
        `${named(`${path}.value`)} is required for ${operator}: ${operator.startsWith('DATE') ? 'an ISO 8601 date, e.g. 2026-12-24T00:00:00Z' : operator.startsWith('NUM') ? 'a number' : 'a semantic version, e.g. 1.2.3'}.`,
      )
    const value = String(v).trim()
    if (operator.startsWith('DATE') && (!ISO_DATE.test(value) || Number.isNaN(Date.parse(value))))
      fail(
        `${named(`${path}.value`)} is ${shown(v)}; allowed: an ISO 8601 date for ${operator}, e.g. 2026-12-24T00:00:00Z.`,
      )
    if (operator.startsWith('NUM') && !Number.isFinite(Number(value)))
      fail(`${named(`${path}.value`)} is ${shown(v)}; allowed: a number for ${operator}.`)
    if (operator.startsWith('SEMVER') && !SEMVER.test(value))
      fail(
        `${named(`${path}.value`)} is ${shown(v)}; allowed: a semantic version for ${operator}, e.g. 1.2.3.`,
      )
    out.value = operator.startsWith('DATE') ? new Date(value).toISOString() : value
  }
  for (const [key, prop] of [
    ['inverted', 'inverted'],
    ['case-insensitive', 'caseInsensitive'],
  ] as const) {
    if (m[key] === undefined || m[key] === null) continue
    if (typeof m[key] !== 'boolean')
      fail(`${named(`${path}.${key}`)} is ${shown(m[key])}; allowed: true or false.`)
    out[prop] = m[key] as boolean
  }
  return out
}

/** The values to mask before anything is logged: the admin token and the client token. */
export function unleashSecrets(config: UnleashConfig): string[] {
  return [config.token, config.clientToken].filter((s): s is string => !!s)
}

/** For logs: the flag, its project and environment, and the server. Never a credential. */
export function unleashDescribe(config: UnleashConfig): string {
  const what = `unleash flag ${config.flag} (project ${config.project}, environment ${config.environment}) at ${config.url}`
  return config.name === `unleash ${config.flag}` ? what : `${config.name} (${what})`
}

/** What makes two unleash configs the same router: the same flag in the same environment. */
export function unleashKey(config: UnleashConfig): string {
  return `unleash ${config.url} ${config.project} ${config.environment} ${config.flag}`
}

/** For logs: a constraint as Unleash's UI shows it, e.g. `region IN [eu]`. */
export function describeConstraint(c: UnleashConstraint): string {
  const what = c.values ? `[${c.values.join(', ')}]` : (c.value ?? '')
  return `${c.contextName} ${c.inverted ? 'NOT ' : ''}${c.operator} ${what}${c.caseInsensitive ? ' (case-insensitive)' : ''}`
}
