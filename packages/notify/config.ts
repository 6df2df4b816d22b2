/**
 * The `notify` input: a YAML list of targets, each a Slack incoming webhook, a Microsoft Teams
 * workflow webhook, or a generic JSON webhook with an HMAC-SHA256 signing key. Every value is a
 * secret: the caller masks them (`mask`) before anything else happens, and no error here ever
 * quotes a value, only the target's position, its kind and what is allowed.
 */
import { ConfigurationError, parseYamlInput } from '../action-kit/index.js'

export const NOTIFY_EVENTS = ['start', 'step', 'pass', 'fail', 'rollback', 'waiting'] as const
export type NotifyEventKind = (typeof NOTIFY_EVENTS)[number]

export const TARGET_KINDS = ['slack', 'teams', 'webhook'] as const
export type TargetKind = (typeof TARGET_KINDS)[number]

export interface NotifyTarget {
  kind: TargetKind
  url: string
  /** The webhook's HMAC-SHA256 key (webhook only). */
  secret?: string
  /** The events this target gets; default every one. */
  events: readonly NotifyEventKind[]
}

/** Targets one input may list: a few channels, not a fan-out service. */
export const MAX_TARGETS = 10
/** A signing key shorter than this is refused: it could be guessed, and the runner would not mask it. */
export const MIN_SECRET_LENGTH = 16
const MAX_URL_LENGTH = 2048

/** Hosts a plain-http target may name: local receivers (tests, the demo, a sidecar relay). */
const LOCAL_HOSTS = ['127.0.0.1', 'localhost', '[::1]']

const ALLOWED_KEYS: Record<TargetKind, readonly string[]> = {
  slack: ['slack', 'events'],
  teams: ['teams', 'events'],
  webhook: ['webhook', 'secret', 'events'],
}

const SHAPE =
  'a YAML list of targets, each `{ slack: <incoming webhook URL> }`, `{ teams: <workflow webhook URL> }` or `{ webhook: <URL>, secret: <signing key> }`, optionally with `events: [start, step, pass, fail, rollback, waiting]`'

/**
 * The values to mask before the input is parsed or used: every URL and key (any string under
 * slack, teams, webhook or secret, wherever it sits) and each line of the raw text long enough to
 * hold one. Event names are not masked (masking "fail" would hide the word in every later line).
 * Pure; the caller registers the masks.
 */
export function notifySecrets(raw: string, parsed: unknown): string[] {
  const values = new Set<string>()
  const secretKeys = [...TARGET_KINDS, 'secret']
  const walk = (v: unknown, secret: boolean): void => {
    if (typeof v === 'string' && secret && v.trim() !== '') values.add(v.trim())
    else if (Array.isArray(v)) v.forEach((x) => walk(x, secret))
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) walk(x, secret || secretKeys.includes(k))
  }
  walk(parsed, false)
  for (const line of rawLines(raw)) values.add(line)
  return [...values]
}

/** The raw text's lines that could hold a value worth masking (8 characters or more). */
function rawLines(raw: string): string[] {
  return raw
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim())
    .filter((l) => l.length >= 8 && !/^-?\s*events:/.test(l))
}

/**
 * Parses and validates `notify` (the raw input text) without quoting any value. `mask` is called
 * with every value before validation can fail, so even a refused URL never reaches the log.
 */
export function parseNotify(
  name: string,
  raw: string,
  mask: (value: string) => void,
): NotifyTarget[] {
  if (raw.trim() === '') return []
  // Mask the raw lines first: a YAML error must not print the text around it either.
  for (const line of rawLines(raw)) mask(line)
  // fromFile: true keeps js-yaml's message from quoting the text (it is all secret).
  const parsed = parseYamlInput(name, raw, 'the value', { fromFile: true })
  for (const value of notifySecrets(raw, parsed)) mask(value)
  if (!Array.isArray(parsed))
    throw new ConfigurationError(
      `Input '${name}' is ${describe(parsed)}; allowed: ${SHAPE}. (Values are secrets and are not shown.)`,
    )
  if (parsed.length === 0)
    throw new ConfigurationError(
      `Input '${name}' is an empty list; allowed: ${SHAPE}, or leave the input out.`,
    )
  if (parsed.length > MAX_TARGETS)
    throw new ConfigurationError(
      `Input '${name}' lists ${parsed.length} targets; allowed: at most ${MAX_TARGETS}.`,
    )
  return parsed.map((entry, i) => parseTarget(name, entry, i + 1))
}

function parseTarget(name: string, entry: unknown, position: number): NotifyTarget {
  const where = `Input '${name}', target ${position}`
  if (!entry || typeof entry !== 'object' || Array.isArray(entry))
    throw new ConfigurationError(`${where} is ${describe(entry)}; allowed: ${SHAPE}.`)
  const record = entry as Record<string, unknown>
  const kinds = TARGET_KINDS.filter((k) => k in record)
  if (kinds.length !== 1)
    throw new ConfigurationError(
      `${where} has ${kinds.length === 0 ? 'none' : kinds.join(' and ')} of the keys slack, teams, webhook (keys: ${Object.keys(record).map(keyName).join(', ') || 'none'}); allowed: exactly one of them.`,
    )
  const kind = kinds[0]!
  const unknown = Object.keys(record).filter((k) => !ALLOWED_KEYS[kind].includes(k))
  if (unknown.length > 0)
    throw new ConfigurationError(
      `${where} (${kind}) has the unknown key(s) ${unknown.map(keyName).join(', ')}; allowed: ${ALLOWED_KEYS[kind].join(', ')}.`,
    )
  const url = parseTargetUrl(`${where} (${kind})`, record[kind])
  const events = parseEvents(`${where} (${kind})`, record.events)
  if (kind !== 'webhook') return { kind, url, events }
  const secret = record.secret
  if (typeof secret !== 'string' || secret.trim().length < MIN_SECRET_LENGTH)
    throw new ConfigurationError(
      `${where} (webhook) ${secret === undefined ? 'has no `secret`' : `has a \`secret\` that is ${typeof secret === 'string' ? `${secret.trim().length} characters long` : describe(secret)}`}; allowed: a signing key of at least ${MIN_SECRET_LENGTH} characters (e.g. \`openssl rand -hex 32\`), kept in a GitHub secret.`,
    )
  return { kind, url, secret: secret.trim(), events }
}

/** An https URL, or http to the local host; the error names only the scheme and what is allowed. */
export function parseTargetUrl(where: string, value: unknown): string {
  const allowed =
    'an https:// URL without user name or password (http:// only to 127.0.0.1, localhost or [::1], for local receivers)'
  if (typeof value !== 'string' || value.trim() === '')
    throw new ConfigurationError(`${where} has ${describe(value)} as its URL; allowed: ${allowed}.`)
  const text = value.trim()
  if (text.length > MAX_URL_LENGTH)
    throw new ConfigurationError(
      `${where} has a URL of ${text.length} characters; allowed: ${allowed}, at most ${MAX_URL_LENGTH} characters.`,
    )
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new ConfigurationError(
      `${where} has a value that is not a URL (not shown: it is a secret); allowed: ${allowed}.`,
    )
  }
  if (url.username || url.password)
    throw new ConfigurationError(
      `${where} has a URL with a user name or password in it (not shown); allowed: ${allowed}.`,
    )
  const local = LOCAL_HOSTS.includes(url.hostname)
  if (url.protocol === 'https:' || (url.protocol === 'http:' && local)) return url.href
  throw new ConfigurationError(
    `${where} has a ${url.protocol.replace(/:$/, '')} URL${url.protocol === 'http:' ? ' to a host that is not local' : ''} (not shown: it is a secret); allowed: ${allowed}.`,
  )
}

function parseEvents(where: string, value: unknown): readonly NotifyEventKind[] {
  if (value === undefined) return NOTIFY_EVENTS
  const list =
    typeof value === 'string'
      ? value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : value
  if (!Array.isArray(list) || list.length === 0)
    throw new ConfigurationError(
      `${where} has \`events\` that is ${describe(value)}; allowed: a non-empty list of ${NOTIFY_EVENTS.join(', ')}.`,
    )
  const bad = list.filter((e) => !(NOTIFY_EVENTS as readonly unknown[]).includes(e))
  if (bad.length > 0)
    throw new ConfigurationError(
      `${where} has \`events\` with ${bad.length} unknown value(s)${bad.every((b) => typeof b === 'string' && b.length <= 20 && /^[a-z-]+$/.test(b)) ? ` (${bad.join(', ')})` : ''}; allowed: ${NOTIFY_EVENTS.join(', ')}.`,
    )
  return [...new Set(list as NotifyEventKind[])]
}

/** A key is shown only when it looks like a key, never like a pasted value. */
function keyName(key: string): string {
  return /^[A-Za-z][A-Za-z0-9_-]{0,30}$/.test(key) ? key : '(a key that is not shown)'
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'empty'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'a mapping'
  return `a ${typeof value}`
}
