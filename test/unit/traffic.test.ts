/**
 * The strategies over the in-memory router: the pure decisions as tables, then blue-green,
 * canary and rollback end to end with the one record hook.
 */
import { ConfigurationError, silentLog, type Log } from '../../packages/action-kit/index.js'
import type { RecordPayload, Slot, Weights } from '../../packages/domain/index.js'
import { DEFAULT_SETTINGS } from '../../packages/gate/index.js'
import { MemoryRouter } from '../../packages/router/index.js'
import {
  blueGreenSwitch,
  canaryOutcome,
  planCanary,
  planSwitch,
  rollback,
  RollbackRefused,
  runCanary,
  liveAndIdle,
  type DeploymentFact,
  type RecordHook,
  type TrafficRecord,
} from '../../packages/traffic/index.js'

const BLUE: Weights = { blue: 100, green: 0 }
const GREEN: Weights = { blue: 0, green: 100 }

describe('planSwitch', () => {
  test.each<[string, Weights, Slot | 'idle', { target: Slot; noop: boolean } | string]>([
    ['idle from blue', BLUE, 'idle', { target: 'green', noop: false }],
    ['idle from green', GREEN, 'idle', { target: 'blue', noop: false }],
    ['to green from blue', BLUE, 'green', { target: 'green', noop: false }],
    ['to blue when blue is live: nothing to do', BLUE, 'blue', { target: 'blue', noop: true }],
    ['to blue from a split', { blue: 30, green: 70 }, 'blue', { target: 'blue', noop: false }],
    [
      'idle while split: no slot is idle',
      { blue: 30, green: 70 },
      'idle',
      `Input 'to' is "idle", but traffic is split`,
    ],
  ])('%s', (_name, weights, to, expected) => {
    if (typeof expected === 'string') expect(() => planSwitch(weights, to)).toThrow(expected)
    else expect(planSwitch(weights, to)).toEqual(expected)
  })
})

describe('planCanary', () => {
  test.each<[string, Weights, number[], Slot | undefined, { canary: Slot; stable: Slot } | string]>(
    [
      [
        'the slot with less traffic',
        BLUE,
        [5, 25, 100],
        undefined,
        { canary: 'green', stable: 'blue' },
      ],
      ['named', { blue: 90, green: 10 }, [25, 50], 'green', { canary: 'green', stable: 'blue' }],
      [
        'a held walk continued by one step',
        { blue: 75, green: 25 },
        [50],
        undefined,
        { canary: 'green', stable: 'blue' },
      ],
      [
        'a tie needs to be told',
        { blue: 50, green: 50 },
        [75],
        undefined,
        "Input 'canary' is needed",
      ],
      [
        'a walk may not start below where the canary is',
        { blue: 60, green: 40 },
        [5, 25],
        'green',
        'canary green already carries 40%',
      ],
    ],
  )('%s', (_name, weights, steps, canary, expected) => {
    if (typeof expected === 'string') {
      expect(() => planCanary(weights, steps, canary)).toThrow(ConfigurationError)
      expect(() => planCanary(weights, steps, canary)).toThrow(expected)
    } else expect(planCanary(weights, steps, canary)).toEqual(expected)
  })
})

describe('canaryOutcome: only reaching 100% and passing is success', () => {
  const base = { reason: 'r', rolledBack: false, stable: 'blue' as Slot }
  test.each<[string, Parameters<typeof canaryOutcome>[0], string, string]>([
    [
      'pass at 100%',
      { ...base, verdict: 'pass', weight: 100 },
      'success',
      'canary passed every step and carries 100%',
    ],
    [
      'pass held at 50% on purpose',
      { ...base, verdict: 'pass', weight: 50 },
      'held',
      'held at 50%',
    ],
    ['a single passing 5% step', { ...base, verdict: 'pass', weight: 5 }, 'held', 'held at 5%'],
    [
      'fail, rolled back',
      { ...base, verdict: 'fail', weight: 0, rolledBack: true },
      'failure',
      'r; stable blue back at 100%',
    ],
    ['fail, held', { ...base, verdict: 'fail', weight: 25 }, 'failure', 'r; held at 25%'],
    [
      'cancelled',
      { ...base, verdict: 'cancelled', weight: 0, rolledBack: true },
      'failure',
      'r; stable blue back at 100%',
    ],
    [
      'inconclusive',
      { ...base, verdict: 'inconclusive', weight: 0, rolledBack: true },
      'failure',
      'r; stable blue back at 100%',
    ],
  ])('%s', (_name, result, outcome, description) => {
    expect(canaryOutcome(result)).toEqual({ outcome, description })
  })
})

test.each<[Weights, string, string]>([
  [BLUE, 'blue', 'green'],
  [GREEN, 'green', 'blue'],
  [{ blue: 95, green: 5 }, 'split', 'none'],
])('liveAndIdle(%j)', (weights, live, idle) => {
  expect(liveAndIdle(weights)).toEqual({ live, idle })
})

/** A record hook that keeps what it was told. */
function recorder(): RecordHook & { started: TrafficRecord[]; progressed: string[] } {
  const started: TrafficRecord[] = []
  const progressed: string[] = []
  return {
    started,
    progressed,
    start: async (r) => void started.push(r),
    progress: async (d) => void progressed.push(d),
  }
}

function logged(): Log & { lines: string[]; warnings: string[] } {
  const lines: string[] = []
  const warnings: string[] = []
  return {
    lines,
    warnings,
    info: (m) => void lines.push(m),
    warning: (m) => void warnings.push(m),
    debug: () => {},
  }
}

const twoServers = {
  blue: [
    { name: 'web-blue-1', address: '10.0.0.1:8080' },
    { name: 'web-blue-2', address: '10.0.0.2:8080' },
  ],
  green: [
    { name: 'web-green-1', address: '10.0.1.1:8080' },
    { name: 'web-green-2', address: '10.0.1.2:8080' },
  ],
}

describe('blueGreenSwitch', () => {
  test('records one hook shape, moves, and says which slot is idle now with its servers', async () => {
    const router = new MemoryRouter({ weights: BLUE, servers: twoServers })
    const hook = recorder()
    const log = logged()
    const result = await blueGreenSwitch(router, { to: 'idle', dryRun: false }, log, {
      record: hook,
    })
    expect(router.weights).toEqual(GREEN)
    expect(hook.started).toEqual([
      { strategy: 'blue-green', slot: 'green', weights: GREEN, previous: 'blue' },
    ])
    expect(result).toMatchObject({
      previous: 'blue',
      active: 'green',
      live: 'green',
      idle: 'blue',
      switched: true,
    })
    expect(result.idleServers).toEqual(twoServers.blue)
    // No health-url: said in a warning and kept for the summary.
    expect(log.warnings.join('\n')).toContain('no health-url')
    expect(result.healthSkipped).toContain('no health-url')
  })

  test('a dry run opens the record (a pipeline plan), moves nothing, and names the idle slot', async () => {
    const router = new MemoryRouter({ weights: BLUE, servers: twoServers })
    const hook = recorder()
    const result = await blueGreenSwitch(router, { to: 'idle', dryRun: true }, silentLog, {
      record: hook,
    })
    expect(router.writes).toEqual([])
    expect(hook.started).toHaveLength(1)
    expect(result).toMatchObject({ live: 'blue', idle: 'green', target: 'green', switched: false })
    expect(result.idleServers).toEqual(twoServers.green)
  })

  test('already live: nothing moves and nothing is recorded', async () => {
    const router = new MemoryRouter({ weights: GREEN })
    const hook = recorder()
    const result = await blueGreenSwitch(router, { to: 'green', dryRun: false }, silentLog, {
      record: hook,
    })
    expect(router.writes).toEqual([])
    expect(hook.started).toEqual([])
    expect(result.switched).toBe(false)
  })
})

describe('runCanary', () => {
  test('one record for the walk, a progress status per step; 100% is the end', async () => {
    const router = new MemoryRouter({ weights: BLUE })
    const hook = recorder()
    const result = await runCanary(
      router,
      { steps: [5, 50, 100], holdMs: 1, onFailure: 'rollback', dryRun: false },
      silentLog,
      { record: hook },
    )
    expect(hook.started).toEqual([
      { strategy: 'canary', slot: 'green', weights: GREEN, previous: 'blue' },
    ])
    expect(hook.progressed).toEqual(['canary 5%', 'canary 50%', 'canary 100%'])
    expect(router.writes.map((w) => w.green)).toEqual([5, 50, 100])
    expect(canaryOutcome(result).outcome).toBe('success')
    expect(result).toMatchObject({ live: 'green', idle: 'blue' })
  })

  test('a walk stopped below 100% on purpose is held, not a success', async () => {
    const router = new MemoryRouter({ weights: BLUE })
    const result = await runCanary(
      router,
      { steps: [5, 25, 50], holdMs: 1, onFailure: 'rollback', dryRun: false },
      silentLog,
    )
    expect(router.weights).toEqual({ blue: 50, green: 50 })
    expect(canaryOutcome(result)).toEqual({ outcome: 'held', description: 'held at 50%' })
    expect(result).toMatchObject({ live: 'split', idle: 'none', idleServers: [] })
  })

  test('a failing gate puts stable back at once', async () => {
    const router = new MemoryRouter({ weights: BLUE })
    const result = await runCanary(
      router,
      {
        steps: [10, 100],
        holdMs: 1,
        onFailure: 'rollback',
        dryRun: false,
        gate: () => ({
          source: { describe: () => 'fake', value: async () => 1 },
          checks: [{ name: 'errors', query: 'x', max: 0.5 }],
          settings: { ...DEFAULT_SETTINGS, interval: 1, count: 1, initialDelay: 0 },
        }),
      },
      silentLog,
    )
    expect(result.verdict).toBe('fail')
    expect(router.weights).toEqual(BLUE)
    expect(canaryOutcome(result).outcome).toBe('failure')
  })

  test('a dry run moves nothing, binds no gate and names the idle slot', async () => {
    const router = new MemoryRouter({ weights: BLUE, servers: twoServers })
    let bound = 0
    const gate = () => {
      bound++
      throw new Error('never bound in a dry run')
    }
    const result = await runCanary(
      router,
      { steps: [5, 100], holdMs: 1, onFailure: 'rollback', dryRun: true, gate },
      silentLog,
    )
    expect(router.writes).toEqual([])
    expect(bound).toBe(0)
    expect(result).toMatchObject({ dryRun: true, canary: 'green', live: 'blue', idle: 'green' })
    expect(result.idleServers).toEqual(twoServers.green)
  })
})

function fact(
  id: number,
  slot: Slot,
  image: string,
  state: string,
  extra: Partial<RecordPayload> = {},
): DeploymentFact {
  return {
    id,
    sha: `sha${id}`,
    createdAt: '2026-11-25T10:00:00Z',
    state,
    payload: {
      tool: 'cutover',
      schema: 2,
      service: 'orders',
      strategy: 'blue-green',
      router: { type: 'memory', name: 'memory' },
      slot,
      image,
      weights: slot === 'blue' ? BLUE : GREEN,
      previous: { slot: slot === 'blue' ? 'green' : 'blue' },
      ...extra,
    },
  }
}

/** History over an array, counting how many records were read. */
function history(records: DeploymentFact[]) {
  const h = {
    read: 0,
    records: async function* () {
      for (const r of records) {
        h.read++
        yield r
      }
    },
  }
  return h
}

const plan = { dryRun: false, nothingToDo: 'fail' as const, recordsTimeoutMs: 20_000 }

describe('rollback', () => {
  test('previous: reads only as far as it needs, moves, records after traffic with the restored release', async () => {
    const router = new MemoryRouter({ weights: GREEN })
    const records = history([
      fact(3, 'green', 'v3', 'success'),
      fact(2, 'blue', 'v2', 'inactive'),
      fact(1, 'green', 'v1', 'inactive'),
    ])
    const hook = recorder()
    const log = logged()
    const result = await rollback(router, { ...plan, to: 'previous' }, records, log, {
      record: hook,
    })
    expect(router.weights).toEqual(BLUE)
    expect(records.read).toBe(2)
    expect(result).toMatchObject({ previous: 'green', active: 'blue', switched: true })
    expect(hook.started).toEqual([
      {
        strategy: 'rollback',
        slot: 'blue',
        weights: BLUE,
        previous: 'green',
        undone: { id: 3 },
        restored: { id: 2, sha: 'sha2', image: 'v2' },
      },
    ])
    expect(log.lines.join('\n')).toContain('facts used:')
    expect(log.lines.join('\n')).toContain('blue still holds v2')
  })

  test('a refusal moves nothing and says where traffic stays', async () => {
    const router = new MemoryRouter({ weights: GREEN })
    const records = history([
      fact(3, 'blue', 'v3', 'failure'),
      fact(2, 'green', 'v2', 'success'),
      fact(1, 'blue', 'v1', 'inactive'),
    ])
    const run = rollback(router, { ...plan, to: 'previous' }, records, silentLog)
    await expect(run).rejects.toThrow(RollbackRefused)
    await expect(rollback(router, { ...plan, to: 'previous' }, records, silentLog)).rejects.toThrow(
      /blue was overwritten since.*Nothing moved: traffic stays at blue 0% \/ green 100%\./,
    )
    expect(router.writes).toEqual([])
  })

  test('previous without readable records fails naming the cause', async () => {
    const router = new MemoryRouter({ weights: GREEN })
    await expect(
      rollback(
        router,
        { ...plan, to: 'previous' },
        { unavailable: 'no token was given' },
        silentLog,
      ),
    ).rejects.toThrow(/could not be read: no token was given\. Name the slot/)
    expect(router.writes).toEqual([])
  })

  test('previous gives up on records that never answer, within its timeout', async () => {
    const router = new MemoryRouter({ weights: GREEN })
    const hanging = {
      records: () => ({
        [Symbol.asyncIterator]: () => ({ next: () => new Promise<never>(() => {}) }),
      }),
    }
    await expect(
      rollback(router, { ...plan, to: 'previous', recordsTimeoutMs: 50 }, hanging, silentLog),
    ).rejects.toThrow(/could not be read: they did not answer within 0 s/)
    expect(router.writes).toEqual([])
  })

  test('records that throw are a fact: refused with the error', async () => {
    const router = new MemoryRouter({ weights: GREEN })
    const failing = {
      // eslint-disable-next-line require-yield
      records: async function* (): AsyncGenerator<DeploymentFact> {
        throw new Error('API rate limit exceeded; resets at 12:00')
      },
    }
    await expect(rollback(router, { ...plan, to: 'previous' }, failing, silentLog)).rejects.toThrow(
      'could not be read: API rate limit exceeded; resets at 12:00',
    )
  })

  test('to: blue works without records', async () => {
    const router = new MemoryRouter({ weights: GREEN })
    const result = await rollback(
      router,
      { ...plan, to: 'blue' },
      { unavailable: 'no token' },
      silentLog,
    )
    expect(router.weights).toEqual(BLUE)
    expect(result.switched).toBe(true)
  })

  test('nothing to move fails by default, succeeds when told', async () => {
    const router = new MemoryRouter({ weights: GREEN })
    await expect(
      rollback(router, { ...plan, to: 'green' }, { unavailable: 'x' }, silentLog),
    ).rejects.toThrow('green already carries 100%: nothing to roll back')
    const ok = await rollback(
      router,
      { ...plan, to: 'green', nothingToDo: 'succeed' },
      { unavailable: 'x' },
      silentLog,
    )
    expect(ok).toMatchObject({ switched: false, active: 'green' })
    expect(router.writes).toEqual([])
  })

  test('an unhealthy target: nothing moves', async () => {
    const router = new MemoryRouter({ weights: GREEN })
    await expect(
      rollback(
        router,
        {
          ...plan,
          to: 'blue',
          health: { url: 'http://127.0.0.1:1/{{slot}}', checks: 1, interval: 100, timeout: 200 },
        },
        { unavailable: 'x' },
        silentLog,
      ),
    ).rejects.toThrow(/health check of http:\/\/127\.0\.0\.1:1\/blue did not pass/)
    expect(router.writes).toEqual([])
  })
})

describe('routers that roll slots (Kubernetes)', () => {
  /** A memory router that also sets a slot's image, keeping the order of events. */
  class RollingRouter extends MemoryRouter {
    events: string[] = []
    canSplit = true
    async rollSlot(slot: Slot, image: string, options: { timeoutMs: number; container?: string }) {
      this.events.push(`roll ${slot} ${image} ${options.container ?? '-'} ${options.timeoutMs}`)
      return {} as never
    }
    override async write(target: Weights) {
      this.events.push(`write ${target.blue}/${target.green}`)
      return super.write(target)
    }
  }

  test('blue-green rolls the target to the image before traffic moves; a dry run rolls nothing', async () => {
    const router = new RollingRouter({ weights: BLUE })
    const rollout = { image: 'orders@sha256:v2', container: 'app', timeoutMs: 60_000 }
    await blueGreenSwitch(router, { to: 'idle', dryRun: true, rollout }, silentLog)
    expect(router.events).toEqual([])
    await blueGreenSwitch(router, { to: 'idle', dryRun: false, rollout }, silentLog)
    expect(router.events).toEqual(['roll green orders@sha256:v2 app 60000', 'write 0/100'])
  })

  test('canary rolls the canary slot first; a router that cannot split is refused before anything', async () => {
    const router = new RollingRouter({ weights: BLUE })
    const plan = { steps: [10], holdMs: 1, onFailure: 'rollback' as const, dryRun: false }
    await runCanary(router, { ...plan, rollout: { image: 'v2', timeoutMs: 1000 } }, silentLog)
    expect(router.events).toEqual(['roll green v2 - 1000', 'write 90/10'])
    const selector = new RollingRouter({ weights: BLUE })
    selector.canSplit = false
    const hook = recorder()
    await expect(runCanary(selector, plan, silentLog, { record: hook })).rejects.toThrow(
      /Input 'router': memory router memory cannot split traffic/,
    )
    expect(selector.events).toEqual([])
    expect(hook.started).toEqual([])
  })
})

test('a walk continued from an earlier job: the first step judges the whole pause since its last step', async () => {
  const router = new MemoryRouter({ weights: { blue: 95, green: 5 } })
  const log = logged()
  const resumedFrom = Date.parse('2026-11-25T10:00:00Z')
  await runCanary(
    router,
    {
      steps: [25, 50],
      holdMs: 1,
      onFailure: 'rollback',
      dryRun: false,
      resumedFrom,
      gate: () => ({
        source: { describe: () => 'fake', value: async () => 0 },
        checks: [{ name: 'errors', query: 'x', max: 0.5 }],
        settings: { ...DEFAULT_SETTINGS, interval: 1, count: 1, initialDelay: 0 },
      }),
    },
    log,
  )
  const pauses = log.lines.filter((l) => l.startsWith('the gate judges the pause since'))
  expect(pauses).toEqual([
    'the gate judges the pause since the last step, 2026-11-25T10:00:00.000Z',
  ])
})
