/**
 * The gate's judgement as pure functions over counters, like Argo Rollouts' assessMetricStatus:
 * no clock, no I/O. The analysis loop measures and counts; these decide.
 *
 * Fail-closed: a measurement error is never a pass (it counts toward consecutive-error-limit),
 * "not enough data yet" counts toward nothing (never a pass, never a fail), and a check that
 * never produced a value ends inconclusive.
 */
export type Verdict = 'pass' | 'fail' | 'inconclusive'

/** What one check's measurements so far add up to. */
export interface CheckCounts {
  check: string
  dryRun?: boolean
  passed: number
  failed: number
  inconclusive: number
  errors: number
  /** Errors since the last measurement that was not an error. */
  consecutiveErrors: number
  /** Measurements that found too little evidence to judge ("not enough data yet"). */
  waiting: number
  /** The last measurement's message, quoted in reasons. */
  lastMessage?: string
  /** The last measurement was "not enough data yet". */
  lastWaiting?: boolean
}

export interface AssessSettings {
  /** Measurements (not counting "not enough data yet") each check needs before it can pass. */
  count: number
  failureLimit: number
  inconclusiveLimit: number
  consecutiveErrorLimit: number
}

export interface Assessment {
  verdict: Verdict
  reason: string
}

export function emptyCounts(check: string, dryRun = false): CheckCounts {
  return {
    check,
    ...(dryRun ? { dryRun } : {}),
    passed: 0,
    failed: 0,
    inconclusive: 0,
    errors: 0,
    consecutiveErrors: 0,
    waiting: 0,
  }
}

/** Measurements that count toward `count`. */
export const taken = (c: CheckCounts) => c.passed + c.failed + c.inconclusive + c.errors

/**
 * One check's state: a verdict once it is decided, undefined while it needs more measurements.
 * `timeUp`: no more measurements will be taken (max-wait reached, or the step ends).
 */
export function assessCheck(
  c: CheckCounts,
  s: AssessSettings,
  timeUp = false,
): Assessment | undefined {
  const last = c.lastMessage ? `: ${c.lastMessage}` : ''
  if (c.failed > s.failureLimit)
    return {
      verdict: 'fail',
      reason: `${c.check} failed ${c.failed} time(s), more than failure-limit ${s.failureLimit}${last}`,
    }
  if (c.consecutiveErrors > s.consecutiveErrorLimit)
    return {
      verdict: 'fail',
      reason: `${c.check} could not be measured ${c.consecutiveErrors} time(s) in a row, more than consecutive-error-limit ${s.consecutiveErrorLimit}${last}`,
    }
  if (c.inconclusive > s.inconclusiveLimit)
    return {
      verdict: 'inconclusive',
      reason: `${c.check} was inconclusive ${c.inconclusive} time(s), more than inconclusive-limit ${s.inconclusiveLimit}${last}`,
    }
  if (taken(c) >= s.count || timeUp) {
    if (c.passed > 0 && taken(c) >= s.count) return { verdict: 'pass', reason: `${c.check} passed` }
    if (c.passed === 0 && taken(c) > 0 && c.errors === taken(c))
      return {
        verdict: 'inconclusive',
        reason: `${c.check} never produced a value (${c.errors} error(s))${last}`,
      }
    if (c.lastWaiting || (taken(c) === 0 && c.waiting > 0))
      return {
        verdict: 'inconclusive',
        reason: `${c.check}: ${c.lastMessage?.startsWith('not enough data yet') ? c.lastMessage : `not enough data yet${last}`}`,
      }
    if (taken(c) === 0) return { verdict: 'inconclusive', reason: `${c.check} was never measured` }
    // Failures within failure-limit are tolerated, but a check that never passed proves nothing.
    if (c.passed === 0 && taken(c) >= s.count)
      return {
        verdict: 'inconclusive',
        reason: `${c.check} did not pass once in ${taken(c)} measurement(s) (${c.failed} failed within failure-limit ${s.failureLimit}, ${c.errors} error(s), ${c.inconclusive} inconclusive)${last}`,
      }
    return {
      verdict: 'inconclusive',
      reason: `${c.check} was measured ${taken(c)} of ${s.count} time(s) before time ran out`,
    }
  }
  return undefined
}

/**
 * The gate's verdict over all checks, or undefined: keep measuring. A failing check decides at
 * once; otherwise the verdict waits until every deciding (not dry-run) check is decided:
 * inconclusive if any is, else pass. Dry-run checks never decide.
 */
export function assess(
  counts: readonly CheckCounts[],
  settings: AssessSettings,
  timeUp = false,
): Assessment | undefined {
  const deciding = counts.filter((c) => !c.dryRun)
  const states = deciding.map((c) => assessCheck(c, settings, timeUp))
  const failed = states.find((s) => s?.verdict === 'fail')
  if (failed) return failed
  if (states.some((s) => s === undefined)) return undefined
  const inconclusive = states.filter((s) => s?.verdict === 'inconclusive')
  if (inconclusive.length > 0)
    return {
      verdict: 'inconclusive',
      reason: `${inconclusive.map((s) => s?.reason).join('; ')}; inconclusive is not a pass`,
    }
  if (deciding.length === 0) {
    // Only dry-run checks: measured in full, and the gate passes (nothing may decide).
    const dry = counts.map((c) => assessCheck(c, settings, timeUp))
    if (dry.some((s) => s === undefined)) return undefined
    return { verdict: 'pass', reason: `${counts.length} dry-run check(s) measured; none decides` }
  }
  const tolerated = deciding.reduce((n, c) => n + c.failed + c.errors + c.inconclusive, 0)
  return {
    verdict: 'pass',
    reason: `${deciding.length} check(s) passed ${settings.count} measurement(s)${tolerated > 0 ? ` (${tolerated} failed, errored or inconclusive measurement(s) within the limits)` : ''}`,
  }
}

/** Adds one measurement's outcome to a check's counts (pure: returns new counts). */
export function count(
  c: CheckCounts,
  outcome: 'pass' | 'fail' | 'inconclusive' | 'error' | 'waiting',
  message?: string,
): CheckCounts {
  const next: CheckCounts = { ...c, lastWaiting: outcome === 'waiting' }
  if (message === undefined) delete next.lastMessage
  else next.lastMessage = message
  if (outcome === 'pass') next.passed += 1
  else if (outcome === 'fail') next.failed += 1
  else if (outcome === 'inconclusive') next.inconclusive += 1
  else if (outcome === 'waiting') next.waiting += 1
  else next.errors += 1
  // "not enough data yet" neither breaks nor extends a run of errors.
  if (outcome === 'error') next.consecutiveErrors += 1
  else if (outcome !== 'waiting') next.consecutiveErrors = 0
  return next
}
