/**
 * The header/cookie phase: requests that carry a chosen header or cookie value go to one slot
 * (the canary), all others by weight. A router that can do it offers `match` (router.ts); this
 * file holds the value, its parsing (the `match` input) and the pure renderings the providers
 * share (a regular expression over the request's header block for HAProxy, nginx `map` text).
 */
import { ConfigurationError } from '../action-kit/index.js'
import type { Slot } from './weights.js'

/** `header: x-canary=1` or `cookie: canary=always`. */
export interface Match {
  kind: 'header' | 'cookie'
  name: string
  value: string
}

/** A match and the slot its requests go to. */
export interface MatchRoute extends Match {
  slot: Slot
}

/** The optional capability of a Router (router.ts): read and set the match, verified. */
export interface MatchRouting {
  /** The match the router holds now (never cached), or null when there is none. */
  read(): Promise<MatchRoute | null>
  /** Sets (or with null clears) the match, reads it back, and returns when clients see it. */
  write(route: MatchRoute | null): Promise<void>
}

/** RFC 9110 token characters: a header name. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/
/** A header value: visible ASCII and inner spaces, no leading/trailing space. */
const HEADER_VALUE = /^[\x21-\x7e](?:[\x20-\x7e]{0,198}[\x21-\x7e])?$/
/** RFC 6265 cookie-octet: visible ASCII but `"`, `,`, `;`, `\` and space. */
const COOKIE_VALUE = /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]{1,200}$/

/** "header x-canary=1" */
export function formatMatch(m: Match): string {
  return `${m.kind} ${m.name}=${m.value}`
}

/**
 * The `match` input, validated before anything is contacted: `header: <name>=<value>` (a token
 * name, a printable value) or `cookie: <name>=<value>` (a token name, cookie-octets).
 */
export function parseMatch(input: string, text: string): Match {
  const allowed = `allowed: 'header: <name>=<value>' (e.g. header: x-canary=1) or 'cookie: <name>=<value>' (e.g. cookie: canary=always)`
  const shown = JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}…` : text)
  const m = /^\s*(header|cookie)\s*:\s*([^=\s]*)\s*=(.*)$/.exec(text)
  if (!m) throw new ConfigurationError(`Input '${input}' has the value ${shown}; ${allowed}.`)
  const kind = m[1] as Match['kind']
  const name = m[2] as string
  const value = (m[3] as string).trim()
  if (!TOKEN.test(name))
    throw new ConfigurationError(
      `Input '${input}' has the value ${shown}: the ${kind} name ${JSON.stringify(name)} is not allowed; allowed: 1 to 100 token characters (letters, digits and !#$%&'*+-.^_\`|~).`,
    )
  if (kind === 'header' && !HEADER_VALUE.test(value))
    throw new ConfigurationError(
      `Input '${input}' has the value ${shown}: the header value ${JSON.stringify(value)} is not allowed; allowed: 1 to 200 printable ASCII characters (inner spaces allowed).`,
    )
  if (kind === 'cookie' && !COOKIE_VALUE.test(value))
    throw new ConfigurationError(
      `Input '${input}' has the value ${shown}: the cookie value ${JSON.stringify(value)} is not allowed; allowed: 1 to 200 printable ASCII characters but space, '"', ',', ';' and '\\'.`,
    )
  return { kind, name, value }
}

export function sameMatch(a: MatchRoute | null, b: MatchRoute | null): boolean {
  if (a === null || b === null) return a === b
  return a.kind === b.kind && a.name === b.name && a.value === b.value && a.slot === b.slot
}

/** A literal for a PCRE: letters and digits as they are, every other character as \xHH. */
export function regexLiteral(text: string): string {
  return [...text]
    .map((c) => (/[A-Za-z0-9]/.test(c) ? c : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`))
    .join('')
}

/** Undoes regexLiteral; undefined when `text` is not one. */
export function fromRegexLiteral(text: string): string | undefined {
  if (!/^(?:[A-Za-z0-9]|\\x[0-9a-f]{2})*$/.test(text)) return undefined
  return text.replace(/\\x([0-9a-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
}

/**
 * A PCRE over HAProxy's `req.hdrs` (the request's header block, one `name: value\r\n` line each)
 * that finds the match: the header name ignoring case and the exact value; or the cookie's
 * exact name=value among the Cookie header's pairs. Letters and digits only, the rest as \xHH,
 * so the runtime API's argument parser (spaces, `;`) never splits it.
 */
export function headerBlockRegex(m: Match): string {
  const EOL = '[[:cntrl:]]'
  if (m.kind === 'header')
    return `(^|${EOL})(?i:${regexLiteral(m.name)}):[[:blank:]]*${regexLiteral(m.value)}${EOL}`
  return `(^|${EOL})(?i:cookie):([^[:cntrl:]]*\\x3b)?[[:blank:]]*${regexLiteral(m.name)}=${regexLiteral(m.value)}(\\x3b|${EOL})`
}

/** Reads headerBlockRegex back; undefined for anything else (someone else's entry). */
export function parseHeaderBlockRegex(regex: string): Match | undefined {
  const lit = '((?:[A-Za-z0-9]|\\\\x[0-9a-f]{2})+)'
  const header = new RegExp(
    `^\\(\\^\\|\\[\\[:cntrl:\\]\\]\\)\\(\\?i:${lit}\\):\\[\\[:blank:\\]\\]\\*${lit}\\[\\[:cntrl:\\]\\]$`,
  ).exec(regex)
  const cookie = new RegExp(
    `^\\(\\^\\|\\[\\[:cntrl:\\]\\]\\)\\(\\?i:cookie\\):\\(\\[\\^\\[:cntrl:\\]\\]\\*\\\\x3b\\)\\?\\[\\[:blank:\\]\\]\\*${lit}=${lit}\\(\\\\x3b\\|\\[\\[:cntrl:\\]\\]\\)$`,
  ).exec(regex)
  const found = header ?? cookie
  if (!found) return undefined
  const name = fromRegexLiteral(found[1] as string)
  const value = fromRegexLiteral(found[2] as string)
  if (name === undefined || value === undefined) return undefined
  return { kind: header ? 'header' : 'cookie', name, value }
}

/** The nginx variable that carries the header or cookie (`$http_x_canary`, `$cookie_canary`), or why there is none. */
export function nginxVariable(m: Match): string | { problem: string } {
  if (!/^[A-Za-z0-9_-]+$/.test(m.name))
    return {
      problem: `nginx has no variable for the ${m.kind} ${JSON.stringify(m.name)}: an nginx ${m.kind} match needs a name of letters, digits, '-' and '_'`,
    }
  return m.kind === 'header'
    ? `$http_${m.name.toLowerCase().replace(/-/g, '_')}`
    : `$cookie_${m.name}`
}
