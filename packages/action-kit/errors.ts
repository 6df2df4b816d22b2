/**
 * Error kinds shared by every package. This module must not import @actions/core:
 * packages throw these, and only the action-kit run wrapper turns them into a failed step.
 */

/** A user mistake in an input or a config: the message names the input, the value and what is allowed. */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError'
}

/** The deployment was judged bad (unhealthy slot, failed gate): the tool worked, the release did not. */
export class DeploymentFailed extends Error {
  override name = 'DeploymentFailed'
}

/** A useful one-line message for anything that was thrown, Error or not. */
export function errorMessage(thrown: unknown): string {
  if (thrown instanceof Error) {
    const cause = thrown.cause === undefined ? '' : ` (cause: ${errorMessage(thrown.cause)})`
    return (thrown.message || thrown.name) + cause
  }
  if (typeof thrown === 'string') return thrown
  try {
    return `non-Error thrown: ${JSON.stringify(thrown)}`
  } catch {
    return `non-Error thrown: ${String(thrown)}`
  }
}

/** How many characters of a value an error message quotes before it elides the rest. */
export const QUOTE_LIMIT = 200

/**
 * Quotes a user value for an error message, so empty strings and spaces stay visible. Long
 * values are cut at QUOTE_LIMIT characters: a pasted file or a hostile input must not flood
 * the log or an annotation.
 */
export function quote(value: unknown): string {
  if (typeof value === 'string') return capped(value, (shown) => JSON.stringify(shown))
  let text: string
  try {
    text = JSON.stringify(value) ?? String(value)
  } catch {
    text = String(value) // a cycle, or a BigInt
  }
  return capped(text, (shown) => shown)
}

/** `text` cut at `limit` characters, saying how many more there were. */
export function elide(text: string, limit = QUOTE_LIMIT): string {
  return capped(text, (shown) => shown, limit)
}

function capped(text: string, render: (shown: string) => string, limit = QUOTE_LIMIT): string {
  if (text.length <= limit) return render(text)
  // Never cut a surrogate pair in half.
  let end = limit
  if (/[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end -= 1
  return `${render(text.slice(0, end))}…(${text.length - end} more characters)`
}

/** Why a fetch() failed, in a few words: "ECONNREFUSED", "no answer within 5000 ms", "bad port". */
export function fetchFailure(thrown: unknown, timeoutMs?: number): string {
  const error = thrown as Error & { cause?: { code?: string; message?: string } }
  if (error?.name === 'TimeoutError')
    return timeoutMs === undefined ? 'timed out' : `no answer within ${timeoutMs} ms`
  return error?.cause?.code ?? error?.cause?.message ?? errorMessage(thrown)
}
