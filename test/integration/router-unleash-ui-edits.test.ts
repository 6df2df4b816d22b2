/**
 * What someone does in Unleash's UI while cutover walks a flag, on a real Unleash 8.2 (its admin
 * API, as the UI calls it): the flag switched off in the environment (a kill switch), the only
 * strategy disabled (Unleash's trap: that switches the flag off), the strategy's constraints or
 * stickiness edited, a second strategy added. cutover never switches a thrown kill switch back
 * on, never overwrites such an edit silently, and its move to 0 leaves nobody exposed when the
 * flag is switched on again by hand.
 */
import {
  openRouter,
  parseRouterConfig,
  UnleashRouter,
  type Weights,
} from '../../packages/router/index.js'
import { startUnleash, type UnleashInstance } from '../../scripts/sandbox/unleash.js'

let unleash: UnleashInstance

async function admin(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${unleash.url}${path}`, {
    method,
    headers: { Authorization: unleash.adminToken, 'Content-Type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(10_000),
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`)
  return text ? JSON.parse(text) : undefined
}

const F = (flag: string) => `/api/admin/projects/default/features/${flag}`
const ENV = (flag: string) => `${F(flag)}/environments/development`

interface Strategy {
  id: string
  name: string
  title?: string
  disabled?: boolean
  constraints: unknown[]
  parameters: Record<string, string>
}
async function development(flag: string): Promise<{ enabled: boolean; strategies: Strategy[] }> {
  const f = (await admin('GET', F(flag))) as {
    environments: { name: string; enabled: boolean; strategies: Strategy[] }[]
  }
  return f.environments.find((e) => e.name === 'development')!
}
/** Edits the strategy as the UI does: PUT the whole strategy back. */
async function edit(flag: string, change: (s: Strategy) => Strategy): Promise<void> {
  const [s] = (await development(flag)).strategies.filter((x) => x.title === 'cutover')
  const { id, ...rest } = change(s!)
  await admin('PUT', `${ENV(flag)}/strategies/${id}`, rest)
}

const w = (green: number): Weights => ({ blue: 100 - green, green })
const warnings: string[] = []
const routerFor = async (flag: string, extra: object = {}) => {
  await admin('POST', '/api/admin/projects/default/features', { name: flag, type: 'release' })
  return openRouter(
    parseRouterConfig({
      type: 'unleash',
      url: unleash.url,
      token: unleash.adminToken,
      'client-token': unleash.clientToken,
      environment: 'development',
      flag,
      ...extra,
    }),
    { log: { info: () => {}, warning: (m: string) => warnings.push(m), debug: () => {} } },
  ) as UnleashRouter
}

beforeAll(async () => {
  unleash = await startUnleash()
  await admin('POST', '/api/admin/context', { name: 'region', stickiness: false })
}, 180_000)
afterAll(async () => {
  await unleash?.stop()
})

test('a kill switch thrown mid-walk (the flag switched off): a raise is refused and it stays off; the move to 0 writes rollout 0, so switching it on by hand exposes nobody', async () => {
  const router = await routerFor('killed')
  await router.write(w(25))
  await admin('POST', `${ENV('killed')}/off`)
  expect(await router.read()).toEqual(w(0))
  await expect(router.write(w(50))).rejects.toThrow(
    /the flag is off in environment development while the "cutover" strategy holds rollout 25%.*does not switch it back on/,
  )
  let env = await development('killed')
  expect(env.enabled).toBe(false)
  expect(env.strategies[0]!.parameters.rollout).toBe('25')
  await router.write(w(0))
  env = await development('killed')
  expect(env.enabled).toBe(false)
  expect(env.strategies[0]!.parameters.rollout).toBe('0')
  // Someone switches it on again by hand: nobody is exposed, and a new walk may start.
  await admin('POST', `${ENV('killed')}/on`)
  expect(await router.read()).toEqual(w(0))
  await router.write(w(5))
  expect(await router.served()).toBe('on, rollout 5')
}, 120_000)

test("Unleash's trap mid-walk: disabling the only strategy switches the flag off; a raise does not switch either back on, the move to 0 writes rollout 0", async () => {
  const router = await routerFor('trapped')
  await router.write(w(10))
  await edit('trapped', (s) => ({ ...s, disabled: true }))
  const env = await development('trapped')
  expect(env.enabled).toBe(false) // the trap, as measured in SERVERS.md
  expect(await router.read()).toEqual(w(0))
  await expect(router.write(w(25))).rejects.toThrow(/does not switch it back on/)
  expect((await development('trapped')).strategies[0]).toMatchObject({
    disabled: true,
    parameters: { rollout: '10' },
  })
  await router.write(w(0))
  expect((await development('trapped')).strategies[0]).toMatchObject({
    disabled: true,
    parameters: { rollout: '0' },
  })
}, 120_000)

test('constraints or stickiness edited in the UI mid-walk are not overwritten: the raise is refused, the move to 0 keeps them', async () => {
  const router = await routerFor('edited', {
    constraints: [{ context: 'region', operator: 'IN', values: ['eu'] }],
  })
  await router.write(w(5))
  // The same constraints as Unleash stores them: a raise writes the rollout only.
  await router.write(w(10))
  await edit('edited', (s) => ({
    ...s,
    constraints: [{ contextName: 'region', operator: 'IN', values: ['eu', 'us'] }],
  }))
  await expect(router.write(w(25))).rejects.toThrow(
    /holds rollout 10% with constraints \[region IN \[eu, us\]\], not as configured.*would overwrite/,
  )
  await edit('edited', (s) => ({ ...s, parameters: { ...s.parameters, stickiness: 'sessionId' } }))
  await expect(router.write(w(25))).rejects.toThrow(/stickiness sessionId/)
  await router.write(w(0))
  const [s] = (await development('edited')).strategies
  expect(s!.parameters).toMatchObject({ rollout: '0', stickiness: 'sessionId' })
  expect(s!.constraints).toEqual([
    expect.objectContaining({ contextName: 'region', values: ['eu', 'us'] }),
  ])
}, 120_000)

test('a second strategy added in the UI mid-walk: the move to 0 says that strategy still exposes its users', async () => {
  const router = await routerFor('second')
  await router.write(w(25))
  await admin('POST', `${ENV('second')}/strategies`, {
    name: 'flexibleRollout',
    constraints: [],
    parameters: { rollout: '100', stickiness: 'default', groupId: 'second' },
  })
  warnings.length = 0
  await router.write(w(0))
  expect(warnings.join('\n')).toMatch(
    /1 other enabled strategy in development \(flexibleRollout\) exposes its users whatever cutover's rollout is: rollout 0 does not switch the flag off for them/,
  )
}, 120_000)

// A list is refused before any write: GroupRouter.write runs every member's check() first.
test('a list of two Unleash flags: one refused by its pre-write check (a context field Unleash does not know) leaves the other untouched', async () => {
  const { parseRouterConfigs } = await import('../../packages/router/index.js')
  for (const name of ['list-a', 'list-b'])
    await admin('POST', '/api/admin/projects/default/features', { name, type: 'release' })
  const entry = (flag: string, extra: object = {}) => ({
    type: 'unleash',
    url: unleash.url,
    token: unleash.adminToken,
    environment: 'development',
    flag,
    ...extra,
  })
  const list = openRouter(
    parseRouterConfigs([
      entry('list-a'),
      entry('list-b', { constraints: [{ context: 'tier', operator: 'IN', values: ['gold'] }] }),
    ]),
  )
  expect(await list.read()).toEqual(w(0))
  await expect(list.write(w(10))).rejects.toThrow(/no context field "tier"/)
  expect(await development('list-a')).toMatchObject({ enabled: false, strategies: [] })
}, 120_000)
