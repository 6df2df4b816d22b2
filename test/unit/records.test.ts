/**
 * The record model, on MemoryRecords (the same history and writer as on GitHub, over an
 * in-memory API): a canary is one deployment, records per service and router, deactivation that
 * stops early, rollback marks, and schema-1 payloads read as schema 2.
 */
import type { RecordPayload } from '../../packages/domain/index.js'
import {
  MemoryApi,
  MemoryRecords,
  readPayload,
  type DeploymentRecord,
  type RecordDraft,
} from '../../packages/records/index.js'

const canary = (weight: number): RecordDraft => ({
  strategy: 'canary',
  slot: 'green',
  stable: 'blue',
  weights: { blue: 100 - weight, green: weight },
  previous: { slot: 'blue' },
})
const switchTo = (slot: 'blue' | 'green'): RecordDraft => ({
  strategy: 'blue-green',
  slot,
  weights: slot === 'blue' ? { blue: 100, green: 0 } : { blue: 0, green: 100 },
  previous: { slot: slot === 'blue' ? 'green' : 'blue' },
})

async function all(records: AsyncIterable<DeploymentRecord>): Promise<DeploymentRecord[]> {
  const out: DeploymentRecord[] = []
  for await (const r of records) out.push(r)
  return out
}

describe('a canary is one deployment', () => {
  test('steps are in_progress statuses; only 100% and passing is success, which deactivates the live one', async () => {
    const records = new MemoryRecords()
    const live = records.api.seed(records.payload({ slot: 'blue' }), 'production', 'success')
    const w = records.writer()
    const id = (await w.start(canary(100), { description: 'canary 5%' }))!
    await w.progress('canary 25%')
    await w.progress('canary 100%')
    expect(records.api.states(live)).toEqual(['success'])
    await w.finish('success', 'canary promoted')
    expect(records.api.states(id)).toEqual(['in_progress', 'in_progress', 'in_progress', 'success'])
    expect(records.api.states(live)).toEqual(['success', 'inactive'])
    expect(records.api.stored).toHaveLength(2)
  })

  test('a held walk stays in_progress and never deactivates the live release', async () => {
    const records = new MemoryRecords()
    const live = records.api.seed(records.payload({ slot: 'blue' }), 'production', 'success')
    const w = records.writer()
    const id = (await w.start(canary(50), { description: 'canary 5%' }))!
    await w.progress('held at 50%')
    const [newest, before] = await all(records.history.records())
    expect(newest).toEqual(
      expect.objectContaining({ id, state: 'in_progress', statusDescription: 'held at 50%' }),
    )
    expect(before).toEqual(expect.objectContaining({ id: live, state: 'success' }))
  })

  test('a failed walk is failure; the live release stays live', async () => {
    const records = new MemoryRecords()
    const live = records.api.seed(records.payload({ slot: 'blue' }), 'production', 'success')
    const w = records.writer()
    const id = (await w.start(canary(20)))!
    await w.finish('failure', 'gate failed at 20%')
    expect(records.api.states(id)).toEqual(['in_progress', 'failure'])
    expect(records.api.states(live)).toEqual(['success'])
  })

  test('a walk across jobs continues one record; the next job sees the last step', async () => {
    const records = new MemoryRecords()
    const first = records.writer()
    const id = (await first.start(canary(1), { description: 'canary 1%' }))!
    const second = records.writer()
    const continued = await second.continue(id)
    expect(continued?.statusDescription).toBe('canary 1%')
    await second.progress('canary 25%')
    const third = records.writer()
    await third.continue(id)
    await third.finish('success', 'canary promoted')
    expect(records.api.stored).toHaveLength(1)
    expect(records.api.states(id)).toEqual(['in_progress', 'in_progress', 'success'])
  })

  test.each<[string, (r: MemoryRecords, id: number) => Promise<unknown>, string]>([
    [
      'unknown id',
      (r) => r.writer().continue(4242),
      'GitHub has no deployment 4242 in acme/orders',
    ],
    [
      'another service',
      (r, id) =>
        new MemoryRecords({ api: r.api, settings: { service: 'billing' } }).writer().continue(id),
      'it is a record of "orders"',
    ],
    [
      'another environment',
      (r, id) =>
        new MemoryRecords({ api: r.api, settings: { environment: 'staging' } })
          .writer()
          .continue(id),
      'it is in environment "production"',
    ],
  ])('continue refuses %s', async (_name, act, message) => {
    const records = new MemoryRecords()
    const id = (await records.writer().start(canary(5)))!
    const attempt = act(records, id)
    await expect(attempt).rejects.toThrow("Input 'deployment-id' has the value")
    await expect(attempt).rejects.toThrow(message)
  })

  test.each<[string, 'failure' | 'error', string]>([
    ['rolled back while paused', 'failure', 'rolled back by deployment 9'],
    ['aborted with an error', 'error', 'walk interrupted'],
  ])(
    'continue of a walk that already ended (%s) says so: nothing moves',
    async (_n, state, why) => {
      const records = new MemoryRecords()
      const id = (await records.writer().start(canary(5)))!
      await records.api.createStatus(id, state, { description: why })
      const attempt = records.writer().continue(id)
      await expect(attempt).rejects.toThrow(
        `Deployment ${id} (input 'deployment-id') already ended: it is ${state} ("${why}").`,
      )
      await expect(attempt).rejects.toThrow('this walk is over; nothing moved.')
    },
  )

  test('a walk continues through another router of the same service (one of a pair died)', async () => {
    const records = new MemoryRecords({ router: { type: 'group', name: 'lb a + lb b' } })
    const id = (await records.writer().start(canary(5)))!
    const alone = new MemoryRecords({ api: records.api, router: { type: 'haproxy', name: 'lb a' } })
    const w = alone.writer()
    expect((await w.continue(id))?.id).toBe(id)
    await w.progress('canary 25%')
    expect(records.api.states(id)).toEqual(['in_progress', 'in_progress'])
  })
})

describe('records per service and router', () => {
  test('two services in one environment, interleaved: each history and each deactivation sees only its own', async () => {
    const api = new MemoryApi()
    const orders = new MemoryRecords({ api })
    const billing = new MemoryRecords({ api, settings: { service: 'billing' } })
    const ids: Record<string, number[]> = { orders: [], billing: [] }
    for (const [records, slot] of [
      [orders, 'green'],
      [billing, 'green'],
      [orders, 'blue'],
      [billing, 'blue'],
    ] as const) {
      const w = records.writer()
      ids[records.settings.service]!.push((await w.start(switchTo(slot)))!)
      await w.finish('success', `to ${slot}`)
    }
    expect((await all(orders.history.records())).map((r) => [r.id, r.state])).toEqual([
      [ids.orders![1], 'success'],
      [ids.orders![0], 'inactive'],
    ])
    expect((await all(billing.history.records())).map((r) => [r.id, r.state])).toEqual([
      [ids.billing![1], 'success'],
      [ids.billing![0], 'inactive'],
    ])
    expect(
      api.stored
        .filter((d) => d.task === 'deploy:billing')
        .map((d) => (d.payload as RecordPayload).service),
    ).toEqual(['billing', 'billing'])
  })

  test("the history is the service's, whatever routers its records went through: a success supersedes across routers", async () => {
    const api = new MemoryApi()
    const pair = new MemoryRecords({ api, router: { type: 'group', name: 'lb a + lb b' } })
    const alone = new MemoryRecords({ api, router: { type: 'haproxy', name: 'lb a' } })
    const throughPair = pair.api.seed(pair.payload({ slot: 'green' }), 'production', 'success')
    const w = alone.writer()
    await w.start(switchTo('blue'))
    await w.finish('success', 'to blue')
    // The earlier success of the service, written through the pair, is superseded.
    expect(api.states(throughPair)).toEqual(['success', 'inactive'])
    // Both are in the history; each names the routers it went through.
    expect((await all(alone.history.records())).map((r) => r.payload.router.name)).toEqual([
      'lb a',
      'lb a + lb b',
    ])
    expect(api.stored.at(-1)?.payload).toMatchObject({ previous: { deployment_id: throughPair } })
  })
})

test('the router is named by type and name; its address only when asked', async () => {
  const plain = new MemoryRecords()
  await plain.writer().start(switchTo('green'))
  expect(plain.api.stored[0]?.payload).toEqual(
    expect.objectContaining({ router: { type: 'haproxy', name: 'haproxy web' } }),
  )
  const asked = new MemoryRecords({
    router: { type: 'haproxy', name: 'haproxy web', address: '10.0.0.5:9999' },
  })
  await asked.writer().start(switchTo('green'))
  expect(asked.api.stored[0]?.payload).toEqual(
    expect.objectContaining({
      router: { type: 'haproxy', name: 'haproxy web', address: '10.0.0.5:9999' },
    }),
  )
  expect(await all(asked.history.records())).toHaveLength(1)
})

describe('bounded API use', () => {
  test('deactivation stops at the first earlier record already inactive', async () => {
    const records = new MemoryRecords()
    const p = records.payload({ slot: 'blue' })
    const stale = records.api.seed(p, 'production', 'success') // left over: before the inactive one
    const inactive = records.api.seed(p, 'production', 'success', 'inactive')
    const failed = records.api.seed(p, 'production', 'in_progress', 'failure')
    const live = records.api.seed(p, 'production', 'success')
    const w = records.writer()
    await w.start(switchTo('green'))
    await w.finish('success', 'to green')
    expect(records.api.states(live)).toEqual(['success', 'inactive'])
    expect(records.api.states(failed)).toEqual(['in_progress', 'failure'])
    expect(records.api.states(inactive)).toEqual(['success', 'inactive'])
    expect(records.api.states(stale)).toEqual(['success'])
  })

  test('with 300 earlier deployments a deploy makes at most 10 calls', async () => {
    const records = new MemoryRecords()
    for (let i = 0; i < 299; i++)
      records.api.seed(records.payload({ slot: 'blue' }), 'production', 'success', 'inactive')
    records.api.seed(records.payload({ slot: 'blue' }), 'production', 'success')
    const w = records.writer()
    await w.start(switchTo('green'))
    await w.finish('success', 'to green')
    expect(records.api.calls).toBeLessThanOrEqual(10)
  })

  test('a rollback record marks the rolled-back deployment failure, so it never counts as good again', async () => {
    const records = new MemoryRecords()
    const restored = records.api.seed(
      records.payload({ slot: 'blue' }),
      'production',
      'success',
      'inactive',
    )
    const bad = records.api.seed(records.payload({ slot: 'green' }), 'production', 'success')
    const w = records.writer()
    await w.start(
      {
        ...switchTo('blue'),
        strategy: 'rollback',
        rolled_back_id: bad,
        restored_deployment_id: restored,
      },
      { afterTraffic: true },
    )
    await w.finish('success', 'rolled back')
    expect(records.api.states(bad)).toEqual(['success', 'failure'])
    expect(records.api.states(restored)).toEqual(['success', 'inactive'])
  })

  test('an outage while writing is a warning, never a throw', async () => {
    const warnings: string[] = []
    const records = new MemoryRecords({
      log: { info() {}, debug() {}, warning: (m) => warnings.push(m) },
    })
    records.api.failure = new Error('connection reset')
    const w = records.writer()
    expect(await w.start(switchTo('green'))).toBeUndefined()
    await w.progress('canary 5%')
    await w.finish('success', 'to green')
    expect(warnings.join('\n')).toContain(
      'records: the deployment record is missing: connection reset',
    )
  })
})

describe('payloads as stored', () => {
  const schema1 = {
    tool: 'cutover',
    schema: 1,
    strategy: 'blue-green',
    slot: 'green',
    weights: { blue: 0, green: 100 },
    image: 'registry.local/orders@sha256:abc',
    previous: { slot: 'blue', deployment_id: 7 },
    router: { type: 'haproxy', address: '10.0.0.5:9999' },
  }
  test.each<[string, unknown, Partial<RecordPayload> | undefined]>([
    [
      'schema 1: the repository as service, on router "unknown", address dropped',
      schema1,
      {
        schema: 2,
        service: 'orders',
        router: { type: 'haproxy', name: 'unknown' },
        slot: 'green',
        previous: { slot: 'blue', deployment_id: 7 },
      },
    ],
    ['schema 1 as a JSON string', JSON.stringify(schema1), { service: 'orders', schema: 2 }],
    [
      'schema 2 as is',
      { ...schema1, schema: 2, service: 'billing', router: { type: 'nginx', name: 'edge' } },
      { service: 'billing', router: { type: 'nginx', name: 'edge' } },
    ],
    [
      'schema 2 without a service',
      { ...schema1, schema: 2, router: { type: 'x', name: 'y' } },
      undefined,
    ],
    ['another tool', { tool: 'argo', schema: 1 }, undefined],
    ['a future schema', { ...schema1, schema: 3 }, undefined],
    ['not JSON', '{nope', undefined],
    ['nothing', null, undefined],
  ])('%s', (_name, raw, expected) => {
    const payload = readPayload(raw, 'acme/orders')
    if (expected === undefined) expect(payload).toBeUndefined()
    else expect(payload).toEqual(expect.objectContaining(expected))
    expect(JSON.stringify(payload ?? {})).not.toContain('10.0.0.5')
  })
})
