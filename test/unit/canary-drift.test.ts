/**
 * A canary walk never fights the human: before each raise after its first, the router must still
 * hold what the walk last wrote (a continued walk: the weight its record's last step says). An
 * operator who put stable back by hand mid-walk stops the walk; nothing is moved.
 */
import { silentLog, type Log } from '../../packages/action-kit/index.js'
import type { Weights } from '../../packages/domain/index.js'
import { MemoryRouter } from '../../packages/router/index.js'
import {
  canaryOutcome,
  runCanary,
  walkDrift,
  walkResumedWeight,
  type CanaryPlan,
} from '../../packages/traffic/index.js'

const walk = {
  router: 'memory router m',
  canary: 'green',
  stable: 'blue',
  next: 50,
  setAt: 'step 1',
} as const

describe('walkDrift', () => {
  test.each<[string, Weights, Weights | undefined, RegExp[] | undefined]>([
    [
      'before the walk wrote anything: nothing to compare',
      { blue: 100, green: 0 },
      undefined,
      undefined,
    ],
    [
      'the router holds what the walk wrote',
      { blue: 75, green: 25 },
      { blue: 75, green: 25 },
      undefined,
    ],
    [
      'an operator put stable back to 100%',
      { blue: 100, green: 0 },
      { blue: 75, green: 25 },
      [
        /^memory router m holds blue 100% \/ green 0%, but this walk had set blue 75% \/ green 25% \(step 1\)/,
        /someone or something else changed it, and the walk will not overwrite it/,
        /stops before raising canary green to 50%/,
        /traffic stays at blue 100% \/ green 0%: stable blue carries 100%$/,
      ],
    ],
    [
      'an operator lowered the canary to another split: left there, not put back to stable',
      { blue: 90, green: 10 },
      { blue: 75, green: 25 },
      [
        /holds blue 90% \/ green 10%, but this walk had set blue 75% \/ green 25%/,
        /traffic is left at blue 90% \/ green 10%, not put back to stable blue \(that would override the change too\)/,
      ],
    ],
    [
      'someone raised the canary beyond the walk',
      { blue: 40, green: 60 },
      { blue: 75, green: 25 },
      [
        /holds blue 40% \/ green 60%, but this walk had set blue 75% \/ green 25%/,
        /traffic is left at/,
      ],
    ],
  ])('%s', (_case, now, wrote, expected) => {
    const reason = walkDrift(now, wrote, walk)
    if (!expected) expect(reason).toBeUndefined()
    else for (const re of expected) expect(reason).toMatch(re)
  })
})

describe('walkResumedWeight', () => {
  test.each<[string, string | undefined, number | undefined]>([
    ['a step of the walk', 'canary 25%', 25],
    ['a walk held at a weight', 'held at 50%', 50],
    ['held in the header phase', 'held at 0% (header x-canary=1)', 0],
    ['a record a plan opened', 'plan: green', undefined],
    ['a step without a weight', 'canary', undefined],
    ['a weight no walk writes', 'canary 150%', undefined],
    ['no record continued', undefined, undefined],
  ])('%s', (_case, statusDescription, weight) =>
    expect(
      walkResumedWeight(statusDescription === undefined ? undefined : { statusDescription }),
    ).toBe(weight),
  )
})

describe('runCanary against a router changed by hand mid-walk', () => {
  const plan: CanaryPlan = { steps: [25, 50, 100], holdMs: 1, onFailure: 'rollback', dryRun: false }
  const logged = (): Log & { warnings: string[] } => {
    const warnings: string[] = []
    return { ...silentLog, warning: (m: string) => void warnings.push(m), warnings }
  }

  test('stable put back to 100% after step 1: the walk stops, writes nothing more, and fails saying so', async () => {
    const router = new MemoryRouter({ name: 'm', weights: { blue: 100, green: 0 } })
    const log = logged()
    const progress: string[] = []
    const result = await runCanary(router, plan, log, {
      record: { start: async () => {}, progress: async (d) => void progress.push(d) },
      onStep: (_step, index) => {
        if (index === 0) router.weights = { blue: 100, green: 0 } // the operator, by hand
      },
    })
    expect(router.writes).toEqual([{ blue: 75, green: 25 }])
    expect(router.weights).toEqual({ blue: 100, green: 0 })
    expect(progress).toEqual(['canary 25%'])
    expect(result.verdict).toBe('cancelled')
    expect(result.rolledBack).toBe(false)
    expect(result.after).toEqual({ blue: 100, green: 0 })
    expect(result.reason).toContain(
      'memory router m holds blue 100% / green 0%, but this walk had set blue 75% / green 25% (step 1): someone or something else changed it, and the walk will not overwrite it',
    )
    expect(log.warnings).toEqual([result.reason])
    // The record ends failure with that reason (canary-step ends it with canaryOutcome).
    expect(canaryOutcome(result)).toEqual({
      outcome: 'failure',
      description: `${result.reason}; held at 0%`,
    })
  })

  test('a split set by hand is left where it is, not put back to stable', async () => {
    const router = new MemoryRouter({ name: 'm', weights: { blue: 100, green: 0 } })
    const result = await runCanary(router, plan, silentLog, {
      onStep: (_step, index) => {
        if (index === 1) router.weights = { blue: 80, green: 20 }
      },
    })
    expect(router.writes).toEqual([
      { blue: 75, green: 25 },
      { blue: 50, green: 50 },
    ])
    expect(router.weights).toEqual({ blue: 80, green: 20 })
    expect(result.reason).toContain('(step 2)')
    expect(result.reason).toContain(
      'traffic is left at blue 80% / green 20%, not put back to stable blue',
    )
  })

  test('nobody touched the router: the walk goes on to 100%', async () => {
    const router = new MemoryRouter({ name: 'm', weights: { blue: 100, green: 0 } })
    const result = await runCanary(router, plan, silentLog)
    expect(result.verdict).toBe('pass')
    expect(router.weights).toEqual({ blue: 0, green: 100 })
  })

  test.each<[string, Weights, number, 'pass' | 'cancelled']>([
    ['a continued walk finds what its record says', { blue: 75, green: 25 }, 25, 'pass'],
    [
      'a continued walk finds stable put back since the earlier job',
      { blue: 100, green: 0 },
      25,
      'cancelled',
    ],
  ])('%s', async (_case, weights, resumedWeight, verdict) => {
    const router = new MemoryRouter({ name: 'm', weights })
    const result = await runCanary(
      router,
      { ...plan, steps: [50, 100], canary: 'green', resumedFrom: 0, resumedWeight },
      silentLog,
    )
    expect(result.verdict).toBe(verdict)
    if (verdict === 'cancelled') {
      expect(router.writes).toEqual([])
      expect(result.reason).toContain(
        "holds blue 100% / green 0%, but this walk had set blue 75% / green 25% (its record's last step in an earlier job, canary 25%)",
      )
    }
  })
})
