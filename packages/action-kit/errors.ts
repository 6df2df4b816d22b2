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

/** Quotes a user value for an error message, so empty strings and spaces stay visible. */
export function quote(value: unknown): string {
  return JSON.stringify(value) ?? String(value)
}

/** Why a fetch() failed, in a few words: "ECONNREFUSED", "no answer within 5000 ms", "bad port". */
export function fetchFailure(thrown: unknown, timeoutMs?: number): string {
  const error = thrown as Error & { cause?: { code?: string; message?: string } }
  if (error?.name === 'TimeoutError')
    return timeoutMs === undefined ? 'timed out' : `no answer within ${timeoutMs} ms`
  return error?.cause?.code ?? error?.cause?.message ?? errorMessage(thrown)
}
