/**
 * Small helpers every package shares, written once: waiting, backoff, lists, URLs and how a
 * value is described in an error message. Pure except for `sleep`.
 */
import { ConfigurationError, quote } from './errors.js'

/** Waits `ms`; resolves early (never rejects) when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve()
    const timer = setTimeout(done, ms)
    function done() {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    signal?.addEventListener('abort', done, { once: true })
  })
}

/** Exponential backoff: `baseMs` before the first retry, doubling, at most `maxMs`. `attempt` counts from 1. */
export function backoff(attempt: number, baseMs: number, maxMs = 30_000): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1))
}

/** A list given one item per line or comma-separated; blanks dropped, items trimmed. */
export function parseList(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean)
}

/** What a YAML or input value is, for an error message: "a list", "a mapping", `string "x"`. */
export function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'a list'
  if (value === null || value === undefined) return 'nothing'
  if (typeof value === 'object') return 'a mapping'
  return `${typeof value} ${quote(value)}`
}

/**
 * An http(s) URL without credentials, or a ConfigurationError naming `input`. `placeholder`
 * values are substituted before parsing (e.g. {{slot}} -> blue), so templates validate too.
 */
export function parseHttpUrl(
  input: string,
  value: string,
  options: { placeholders?: Record<string, string>; hint?: string } = {},
): URL {
  let text = value
  for (const [name, sample] of Object.entries(options.placeholders ?? {}))
    text = text.replace(new RegExp(`\\{\\{\\s*${name}\\s*\\}\\}`, 'g'), sample)
  let url: URL | undefined
  try {
    url = new URL(text)
  } catch {
    url = undefined
  }
  const allowed = `an http:// or https:// URL${options.hint ? `, ${options.hint}` : ''}`
  if (!url || !['http:', 'https:'].includes(url.protocol))
    throw new ConfigurationError(
      `Input '${input}' has the value ${quote(value)}; allowed: ${allowed}.`,
    )
  if (url.username || url.password)
    // Never echo the value: it holds a credential.
    throw new ConfigurationError(
      `Input '${input}' has a URL with a user name or password in it (${url.protocol}//***@${url.host}); allowed: ${allowed} without credentials. Pass credentials as a header instead.`,
    )
  return url
}
