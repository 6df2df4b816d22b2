import { silentLog } from '../../packages/action-kit/index.js'
import {
  GroupRouter,
  MemoryRouter,
  RoutersPutBack,
  unreachedText,
} from '../../packages/router/index.js'
import {
  moveTowardSafety,
  moveTraffic,
  rolledBackOnFailure,
  rolledBackOutputs,
} from '../../packages/traffic/index.js'

/** A router whose write fails after moving part of the way, as a dropped connection could leave it. */
function halfBroken(readFails = false): MemoryRouter {
  const router = new MemoryRouter({ name: 'test', weights: { blue: 100, green: 0 } })
  router.failWrite = () => {
    router.weights = { blue: 50, green: 50 }
    if (readFails) router.failRead = new Error('connection refused')
    return new Error('connection reset')
  }
  return router
}

test('a failed write says where traffic is now', async () => {
  await expect(moveTraffic(halfBroken(), { blue: 0, green: 100 }, silentLog)).rejects.toThrow(
    'connection reset; traffic is now blue 50% / green 50%',
  )
})

test('when the router cannot even be read, the error says to check it by hand', async () => {
  await expect(moveTraffic(halfBroken(true), { blue: 0, green: 100 }, silentLog)).rejects.toThrow(
    'connection reset; the router could not be read afterwards either (connection refused): check memory router test by hand',
  )
})

describe('toward safety or away from stable, with one router of a pair down', () => {
  const stable = { blue: 100, green: 0 }
  const split = { blue: 90, green: 10 }
  /** A pair at 90/10, both read once, then `b` down (reads and writes refused). */
  async function pair(bDown: 'after a read' | 'from the start' | 'never') {
    const a = new MemoryRouter({ name: 'a', weights: split })
    const b = new MemoryRouter({ name: 'b', weights: split })
    const group = new GroupRouter([a, b])
    if (bDown === 'from the start') b.failRead = new Error('ECONNREFUSED')
    await group.readReachable()
    if (bDown === 'after a read') b.failRead = new Error('ECONNREFUSED')
    if (bDown !== 'never') b.failWrite = new Error('ECONNREFUSED')
    return { a, b, group }
  }
  const log = () => {
    const lines: string[] = []
    return {
      lines,
      log: {
        info: (m: string) => lines.push(`info: ${m}`),
        debug() {},
        warning: (m: string) => lines.push(`warning: ${m}`),
      },
    }
  }

  test.each<[string, 'after a read' | 'from the start' | 'never', string[]]>([
    ['both answer: both moved', 'never', []],
    [
      'b died after a read: a moved, b named with its last read',
      'after a read',
      ['memory router b (ECONNREFUSED); at its last read (<at>) it held blue 90% / green 10%'],
    ],
    [
      'b never answered: a moved, b named as unknown',
      'from the start',
      [
        'memory router b (ECONNREFUSED); it answered no read in this run, so what it holds is unknown',
      ],
    ],
  ])('moveTowardSafety: %s', async (_, down, unreached) => {
    const { a, group } = await pair(down)
    const { lines, log: l } = log()
    const move = await moveTowardSafety(group, stable, l)
    expect(a.weights).toEqual(stable)
    expect(move.after).toEqual(stable)
    const texts = move.unreached.map((u) => unreachedText(u).replace(/\(\d{4}-[^)]*\)/, '(<at>)'))
    expect(texts).toEqual(unreached)
    expect(lines).toContain(
      unreached.length
        ? 'info: traffic now: blue 100% / green 0% on 1 of 2 routers'
        : 'info: traffic now: blue 100% / green 0%',
    )
    const warned = lines
      .filter((x) => x.startsWith('warning: not moved: '))
      .map((x) => x.slice('warning: not moved: '.length).replace(/\(\d{4}-[^)]*\)/, '(<at>)'))
    expect(warned).toEqual(unreached)
  })

  test.each([['after a read' as const], ['from the start' as const]])(
    'moveTraffic (away from stable) with b down %s: refused, nothing written',
    async (down) => {
      const { a, group } = await pair(down)
      await expect(moveTraffic(group, { blue: 50, green: 50 }, silentLog)).rejects.toThrow(
        'cannot read every router: memory router b: ECONNREFUSED; nothing was changed',
      )
      expect(a.writes).toEqual([])
      expect(a.weights).toEqual(split)
    },
  )

  test('no router answers: moveTowardSafety throws, naming each and where traffic is', async () => {
    const { a, group } = await pair('after a read')
    a.failWrite = new Error('ETIMEDOUT')
    a.failRead = new Error('ETIMEDOUT')
    await expect(moveTowardSafety(group, stable, silentLog)).rejects.toThrow(
      /^no router took blue 100% \/ green 0%: memory router a \(ETIMEDOUT\); at its last read .* Traffic now: memory router a: unknown \(ETIMEDOUT\); memory router b: unknown \(ECONNREFUSED\)$/,
    )
  })

  test('one router (not a list): moveTowardSafety is moveTraffic, nothing left out', async () => {
    const router = new MemoryRouter({ weights: split })
    expect(await moveTowardSafety(router, stable, silentLog)).toEqual({
      after: stable,
      unreached: [],
    })
    await expect(moveTowardSafety(halfBroken(), stable, silentLog)).rejects.toThrow(
      'connection reset; traffic is now blue 50% / green 50%',
    )
  })

  test.each<[boolean, string, object]>([
    [
      true,
      'verdict fail:\n  error-rate 0.5',
      { 'rolled-back': 'true', reason: 'verdict fail: error-rate 0.5' },
    ],
    [false, 'passed', { 'rolled-back': 'false', reason: '' }],
  ])(
    'rolledBackOutputs(%s, %j): one line, empty when not rolled back',
    (rolledBack, reason, outputs) => {
      expect(rolledBackOutputs(rolledBack, reason)).toEqual(outputs)
    },
  )

  test('a step that threw: rolled-back only when a list took part of the change and was put back', () => {
    expect(
      rolledBackOnFailure(
        new RoutersPutBack('b refused; every router was put back to blue 100% / green 0%', stable),
      ),
    ).toEqual({
      'rolled-back': 'true',
      reason:
        'the change failed part-way and was undone: b refused; every router was put back to blue 100% / green 0%',
    })
    expect(rolledBackOnFailure(new Error('health check failed'))).toEqual({})
  })
})
