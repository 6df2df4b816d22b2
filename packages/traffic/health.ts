/**
 * "Is the new slot healthy?": N 2xx answers in a row from its health URL, within an overall
 * timeout. Every attempt has a deadline for the whole request (the abort signal, not an idle
 * timer): a server that drips its head a byte at a time is cut off like one that never answers.
 * The status is the answer; the body is never read, so a dripping body holds nothing.
 */
import { DeploymentFailed, fetchFailure, formatDuration, type Log } from '../action-kit/index.js'
import { sleep } from '../action-kit/util.js'
import type { Slot } from '../domain/index.js'

export interface HealthCheck {
  url: string
  /** 2xx answers needed in a row. */
  checks: number
  /** ms between attempts. */
  interval: number
  /** ms for the whole wait. */
  timeout: number
}

export interface HealthResult {
  url: string
  attempts: number
  passedInARow: number
  healthy: boolean
  last: string
  elapsedMs: number
}

export async function waitHealthy(check: HealthCheck, log: Log): Promise<HealthResult> {
  const started = Date.now()
  const deadline = started + check.timeout
  let attempts = 0
  let inARow = 0
  let last = 'no answer yet'
  while (true) {
    attempts += 1
    const remaining = deadline - Date.now()
    const t0 = Date.now()
    try {
      const response = await fetch(check.url, {
        signal: AbortSignal.timeout(Math.max(100, Math.min(remaining, 10_000))),
        headers: { 'user-agent': 'cutover-health-check' },
        // A redirect is not the slot answering: a 302 to a healthy page elsewhere proves nothing.
        redirect: 'manual',
      })
      await response.body?.cancel()
      const redirected =
        response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)
      last = redirected
        ? `HTTP ${response.status} redirect${response.headers.get('location') ? ` to ${response.headers.get('location')}` : ''} in ${Date.now() - t0} ms (redirects are not followed: unhealthy)`
        : `HTTP ${response.status} in ${Date.now() - t0} ms`
      inARow = !redirected && response.status >= 200 && response.status < 300 ? inARow + 1 : 0
    } catch (e) {
      last =
        (e as Error).name === 'TimeoutError'
          ? `no answer within ${Date.now() - t0} ms`
          : `request failed: ${fetchFailure(e)}`
      inARow = 0
    }
    log.info(`health ${check.url}: ${last} (${inARow}/${check.checks} in a row)`)
    const result = {
      url: check.url,
      attempts,
      passedInARow: inARow,
      healthy: inARow >= check.checks,
      last,
      elapsedMs: Date.now() - started,
    }
    if (result.healthy) return result
    if (Date.now() + check.interval >= deadline) return result
    await sleep(check.interval)
  }
}

/** Throws DeploymentFailed unless the check passes; `where` says where traffic stays. */
export async function requireHealthy(
  check: HealthCheck,
  log: Log,
  where: string,
): Promise<HealthResult> {
  const result = await waitHealthy(check, log)
  if (!result.healthy) {
    throw new DeploymentFailed(
      `health check of ${check.url} did not pass: ${check.checks} 2xx answers in a row were needed within ${formatDuration(check.timeout)}; after ${result.attempts} attempts the last was ${result.last}. No traffic was moved: ${where}.`,
    )
  }
  return result
}

/** `{{slot}}` in a URL becomes the slot's name, so one input serves whichever slot is the target. */
export function forSlot(url: string, slot: Slot): string {
  return url.replace(/\{\{\s*slot\s*\}\}/g, slot)
}

/** The warning of a step that moves traffic to a slot nobody checked (no `health-url`). */
export const NO_HEALTH_URL =
  'no health-url: the target slot is not checked before traffic moves to it. Give `health-url` (with {{slot}}) to check it first.'
