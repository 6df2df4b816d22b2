/**
 * The walk's watch of its deployment (the rollback button's abort request) on MemoryRouter: read
 * before every move and while a step holds; an abort puts stable back and fails the walk with
 * rolledBack; a deployment that ended elsewhere stops the walk where it is, moving nothing.
 */
import { silentLog } from '../../packages/action-kit/index.js'
import { MemoryRouter } from '../../packages/router/index.js'
import type { WalkStop } from '../../packages/records/index.js'
import { runCanary, type CanaryHooks } from '../../packages/traffic/index.js'

const BLUE = { blue: 100, green: 0 }
const walk = { steps: [5, 25, 50], onFailure: 'rollback' as const, dryRun: false }
const ABORT: WalkStop = {
  kind: 'abort',
  description: 'abort requested: v2 drops orders (rollback run 777)',
}

/** A watch that answers `stop` from its `after`-th check on (1 = the first). */
function watchFrom(after: number, stop: WalkStop, everyMs = 5) {
  let checks = 0
  const watch: NonNullable<CanaryHooks['watch']> = {
    everyMs,
    check: async () => (++checks >= after ? stop : undefined),
  }
  return { watch, checks: () => checks }
}

test('an abort request seen before the first move: nothing walks, stable stays at 100%, rolled back', async () => {
  const router = new MemoryRouter({ weights: BLUE })
  const { watch } = watchFrom(1, ABORT)
  const result = await runCanary(router, { ...walk, holdMs: 1 }, silentLog, { watch })
  expect(router.writes.map((w) => w.green)).toEqual([0])
  expect(result).toMatchObject({ verdict: 'cancelled', rolledBack: true, weight: 0 })
  expect(result.reason).toBe(
    'abort requested: v2 drops orders (rollback run 777), posted on its deployment: the walk stopped at canary 0%',
  )
})

test('an abort request seen while a step holds ends the hold at once: stable back to 100%', async () => {
  const router = new MemoryRouter({ weights: BLUE })
  // Check 1: before step 1's move; check 2: the first poll while it holds (an hour).
  const { watch } = watchFrom(2, ABORT)
  const result = await runCanary(router, { ...walk, holdMs: 3_600_000 }, silentLog, { watch })
  expect(router.writes.map((w) => w.green)).toEqual([5, 0])
  expect(router.weights).toEqual(BLUE)
  expect(result).toMatchObject({ verdict: 'cancelled', rolledBack: true, weight: 0 })
  expect(result.reason).toContain('the walk stopped at canary 5%')
  expect(result.steps.at(-1)).toMatchObject({ weight: 5, verdict: 'cancelled' })
})

test('an abort request between steps: the next step does not move', async () => {
  const router = new MemoryRouter({ weights: BLUE })
  // Holds are shorter than the poll: checks are 1 (before 5%) and 2 (before 25%).
  const { watch } = watchFrom(2, ABORT, 3_600_000)
  const result = await runCanary(router, { ...walk, holdMs: 1 }, silentLog, { watch })
  expect(router.writes.map((w) => w.green)).toEqual([5, 0])
  expect(result).toMatchObject({ verdict: 'cancelled', rolledBack: true })
  expect(result.reason).toContain('stopped at canary 5%')
})

test('a deployment that ended elsewhere while the walk ran: the walk stops and moves nothing', async () => {
  const router = new MemoryRouter({ weights: BLUE })
  const ended: WalkStop = {
    kind: 'ended',
    state: 'failure',
    description: 'rolled back by deployment 9',
  }
  const { watch } = watchFrom(2, ended)
  const result = await runCanary(router, { ...walk, holdMs: 3_600_000 }, silentLog, { watch })
  expect(router.writes.map((w) => w.green)).toEqual([5])
  expect(result).toMatchObject({ verdict: 'cancelled', rolledBack: false, weight: 5 })
  expect(result.reason).toContain(
    'its deployment ended (failure: "rolled back by deployment 9") while the walk ran',
  )
  expect(result.reason).toContain('moves nothing (traffic now: blue 95% / green 5%)')
})

test('no request: the walk goes to the end, checking before every move', async () => {
  const router = new MemoryRouter({ weights: BLUE })
  const { watch, checks } = watchFrom(Infinity, ABORT, 3_600_000)
  const result = await runCanary(router, { ...walk, holdMs: 1 }, silentLog, { watch })
  expect(result).toMatchObject({ verdict: 'pass', rolledBack: false, weight: 50 })
  expect(checks()).toBe(3)
})
