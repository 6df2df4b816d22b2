/**
 * HAProxy as a router, on real HAProxy processes: slots of three servers (split accuracy counted
 * on requests, operator maintenance and drain left alone), and router pairs where one refuses.
 */
import { get } from 'node:http'
import {
  HaproxyRouter,
  openRouter,
  parseRouterConfig,
  parseRouterConfigs,
  type HaproxyConfig,
  type Weights,
} from '../../packages/router/index.js'
import { startSandbox, type HaproxyInstance, type Sandbox } from '../../scripts/sandbox/index.js'

function slotOf(url: string): Promise<string> {
  return new Promise((resolve, reject) =>
    get(url, { agent: false }, (res) => {
      res.resume()
      resolve(String(res.headers['x-slot'] ?? 'none'))
    }).on('error', reject),
  )
}

async function count(url: string, requests: number): Promise<Record<string, number>> {
  const seen: Record<string, number> = {}
  for (let i = 0; i < requests; i++) {
    const slot = await slotOf(url)
    seen[slot] = (seen[slot] ?? 0) + 1
  }
  return seen
}

function recordingLog() {
  const warnings: string[] = []
  return { warnings, log: { info() {}, debug() {}, warning: (m: string) => warnings.push(m) } }
}

describe('HAProxy, three servers per slot', () => {
  let sandbox: Sandbox
  let haproxy: HaproxyInstance
  beforeAll(async () => {
    sandbox = await startSandbox({ haproxy: true, serversPerSlot: 3 })
    haproxy = sandbox.haproxy!
  })
  afterAll(async () => {
    await sandbox?.stop()
  })
  const routerOf = (log = recordingLog().log) =>
    new HaproxyRouter(parseRouterConfig(haproxy.router) as HaproxyConfig, { log })

  test('split accuracy within 1 point, counted on requests', async () => {
    const router = routerOf()
    for (const green of [10, 33, 50, 1]) {
      await router.write({ blue: 100 - green, green })
      expect(await router.read()).toEqual({ blue: 100 - green, green })
      const seen = await count(haproxy.url, 600)
      const share = ((seen.green ?? 0) * 100) / 600
      expect({ green, share: Math.abs(share - green) <= 1 }).toEqual({ green, share: true })
    }
    await router.write({ blue: 100, green: 0 })
  })

  test("servers() are each slot's names and the addresses HAProxy reports", async () => {
    expect(await routerOf().servers()).toEqual({
      blue: sandbox.servers.blue.map((app, i) => ({
        name: `web-blue-${i + 1}`,
        address: `127.0.0.1:${app.port}`,
      })),
      green: sandbox.servers.green.map((app, i) => ({
        name: `web-green-${i + 1}`,
        address: `127.0.0.1:${app.port}`,
      })),
    })
  })

  test('a server in maintenance or drain is reported and left as it is, never revived', async () => {
    const { warnings, log } = recordingLog()
    const router = routerOf(log)
    await router.write({ blue: 100, green: 0 })
    await router.command(
      'set server web/web-green-2 state maint; set server web/web-blue-3 state drain',
    )
    try {
      await router.write({ blue: 0, green: 100 })
      const state = await router.state()
      expect(state.green.map((s) => [s.name, s.weight, s.maintenance])).toEqual([
        ['web-green-1', 50, false],
        ['web-green-2', 0, true],
        ['web-green-3', 50, false],
      ])
      expect(state.blue.map((s) => [s.name, s.weight, s.draining])).toEqual([
        ['web-blue-1', 0, false],
        ['web-blue-2', 0, false],
        ['web-blue-3', 100, true],
      ])
      expect(await count(haproxy.url, 100)).toEqual({ green: 100 })
      const expected = [
        "haproxy web: server web/web-green-2 (slot green) is in maintenance; left as it is (weight 0), its slot's share went to the slot's other servers",
        "haproxy web: server web/web-blue-3 (slot blue) is draining; left as it is (weight 100), its slot's share went to the slot's other servers",
      ]
      expect(warnings).toEqual(expect.arrayContaining(expected))
      expect(router.notes).toEqual(expect.arrayContaining(expected))
    } finally {
      await router.command(
        'set server web/web-green-2 state ready; set server web/web-blue-3 state ready',
      )
    }
  })

  test('no server of the target slot left: refused, nothing changed', async () => {
    const router = routerOf()
    await router.write({ blue: 100, green: 0 })
    await router.command(
      'set server web/web-green-1 state maint; set server web/web-green-2 state drain; set server web/web-green-3 state maint',
    )
    try {
      await expect(router.write({ blue: 0, green: 100 })).rejects.toThrow(
        'HAProxy backend web: no server of slot green can take 100% of traffic (web-green-1 in maintenance, web-green-2 draining, web-green-3 in maintenance); nothing was changed',
      )
      const state = await router.state()
      expect(state.blue.map((s) => s.weight)).toEqual([100, 100, 100])
    } finally {
      await router.command(
        'set server web/web-green-1 state ready; set server web/web-green-2 state ready; set server web/web-green-3 state ready',
      )
    }
    expect(await router.read()).toEqual({ blue: 100, green: 0 })
  })
})

describe('HAProxy pairs', () => {
  let sandbox: Sandbox
  let second: HaproxyInstance
  let refusing: HaproxyInstance
  beforeAll(async () => {
    sandbox = await startSandbox({ haproxy: true })
    second = await sandbox.addHaproxy()
    refusing = await sandbox.addHaproxy({ balance: 'static-rr' })
  })
  afterAll(async () => {
    await sandbox?.stop()
  })
  const one = (h: HaproxyInstance, name: string) => ({ ...h.router, name })
  const each = (h: HaproxyInstance) => openRouter(parseRouterConfig(h.router))
  const reset = async () => {
    for (const h of [sandbox.haproxy!, second, refusing])
      await each(h).write({ blue: 100, green: 0 })
  }
  beforeEach(reset)

  test('all get the same weights and are all read back', async () => {
    const pair = openRouter(
      parseRouterConfigs([one(sandbox.haproxy!, 'lb a'), one(second, 'lb b')]),
    )
    await pair.write({ blue: 0, green: 100 })
    expect(await each(sandbox.haproxy!).read()).toEqual({ blue: 0, green: 100 })
    expect(await each(second).read()).toEqual({ blue: 0, green: 100 })
    expect(await count(second.url, 20)).toEqual({ green: 20 })
    expect(await pair.read()).toEqual({ blue: 0, green: 100 })
    expect(pair.name).toBe('lb a + lb b')
  })

  test('one refuses the change: every router is put back, the error says where traffic is on each', async () => {
    const { warnings, log } = recordingLog()
    const pair = openRouter(
      parseRouterConfigs([one(sandbox.haproxy!, 'lb a'), one(refusing, 'lb b')]),
      { log },
    )
    const error = await pair.write({ blue: 90, green: 10 }).then(
      () => undefined,
      (e: Error) => e.message,
    )
    expect(error).toContain(
      `HAProxy lb b (haproxy ${refusing.address} backend web) did not apply blue 90% / green 10%: it answered "Backend is using a static LB algorithm and only accepts weights '0%' and '100%'.`,
    )
    expect(error).toContain(
      `every router was put back to blue 100% / green 0%. Traffic now: lb a (haproxy ${sandbox.haproxy!.address} backend web): blue 100% / green 0%; lb b (haproxy ${refusing.address} backend web): blue 100% / green 0%`,
    )
    expect(warnings).toContain(
      `traffic now: lb a (haproxy ${sandbox.haproxy!.address} backend web): blue 100% / green 0%`,
    )
    expect(await each(sandbox.haproxy!).read()).toEqual({ blue: 100, green: 0 })
    expect(await each(refusing).read()).toEqual({ blue: 100, green: 0 })
    expect(await count(sandbox.haproxy!.url, 20)).toEqual({ blue: 20 })
  })

  test('routers that disagree before the change are refused, each one shown, nothing changed', async () => {
    const split: Weights = { blue: 50, green: 50 }
    await each(second).write(split)
    const pair = openRouter(
      parseRouterConfigs([one(sandbox.haproxy!, 'lb a'), one(second, 'lb b')]),
    )
    await expect(pair.write({ blue: 0, green: 100 })).rejects.toThrow(
      `the routers disagree: lb a (haproxy ${sandbox.haproxy!.address} backend web): blue 100% / green 0%; lb b (haproxy ${second.address} backend web): blue 50% / green 50%; nothing was changed`,
    )
    expect(await each(sandbox.haproxy!).read()).toEqual({ blue: 100, green: 0 })
    expect(await each(second).read()).toEqual(split)
  })
})
