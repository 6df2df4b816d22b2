/**
 * What a traffic step tells a workflow to branch on, in one shape for blue-green-switch,
 * canary-step and rollback: the verdict, the phase it ended in, and the figures that decided it.
 * Pure values; actions/common/outcome.ts writes them as outputs.
 */
import type { Measurement, Verdict } from '../gate/index.js'

/**
 * The phase a step ended in: where it stopped on a failure, `done` when it finished. `smoke`
 * (checks of the target slot's servers), `health` (the health URL), `header` (the header/cookie
 * phase), `weight` (a traffic move: a switch, a step, a rollback), `bake` (the gate after a
 * blue-green switch).
 */
export type Phase = 'smoke' | 'health' | 'header' | 'weight' | 'bake' | 'done'

/** pass|fail|inconclusive from a gate; cancelled when it was stopped; none when no gate judged. */
export type StepVerdict = Verdict | 'cancelled' | 'none'

/** Strategies report each phase as they enter it, so a step that fails says where. */
export interface PhaseHook {
  phase?(phase: Phase): void
}

/** One check's figures: its last look and how its looks went. */
export interface CheckFigures {
  check: string
  /** Looks taken (not counting "not enough data yet"). */
  looks: number
  passed: number
  failed: number
  inconclusive: number
  errors: number
  /** The last look's value, baseline and evidence (sample count), when it had them. */
  value?: number
  baseline?: number
  samples?: number
  bound: string
  outcome: Measurement['outcome']
  message?: string
  /** A comparison with stable: each slot's counts or medians and the test's p-value. */
  canary?: Record<string, number>
  stable?: Record<string, number>
  pValue?: number
}

/** The `figures` output: the measured values behind a verdict, plus what the step adds. */
export interface Figures {
  checks?: CheckFigures[]
  [key: string]: unknown
}

/** Pure: a gate's measurements folded into one entry per check, in the order checks were first measured. */
export function gateFigures(measurements: readonly Measurement[]): CheckFigures[] {
  const byCheck = new Map<string, CheckFigures>()
  for (const m of measurements) {
    const prior = byCheck.get(m.check)
    const tally = {
      looks: prior?.looks ?? 0,
      passed: prior?.passed ?? 0,
      failed: prior?.failed ?? 0,
      inconclusive: prior?.inconclusive ?? 0,
      errors: prior?.errors ?? 0,
    }
    if (m.outcome !== 'waiting') tally.looks += 1
    if (m.outcome === 'pass') tally.passed += 1
    else if (m.outcome === 'fail') tally.failed += 1
    else if (m.outcome === 'inconclusive') tally.inconclusive += 1
    else if (m.outcome === 'error') tally.errors += 1
    const stats = m.stats
    byCheck.set(m.check, {
      check: m.check,
      ...tally,
      ...(m.value === undefined ? {} : { value: m.value }),
      ...(m.baseline === undefined ? {} : { baseline: m.baseline }),
      ...(m.samples === undefined ? {} : { samples: m.samples }),
      bound: m.bound,
      outcome: m.outcome,
      ...(m.message === undefined ? {} : { message: m.message }),
      ...(stats
        ? {
            canary: { ...stats.canary },
            stable: { ...stats.stable },
            pValue: stats.pValue,
          }
        : {}),
    })
  }
  return [...byCheck.values()]
}
