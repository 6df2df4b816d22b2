import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ConfigurationError } from '../../packages/action-kit/index.js'
import { parseKubernetesConfig } from '../../packages/router/kubernetes-config.js'
import {
  rolloutState,
  routeApplied,
  routePatch,
  routeState,
  selectorSlot,
  selectorApplied,
  pickContainer,
  type Deployment,
  type HttpRoute,
} from '../../packages/router/kubernetes-state.js'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..')

const slots = {
  blue: { deployment: 'orders-blue', service: 'orders-blue' },
  green: { deployment: 'orders-green', service: 'orders-green' },
}
const valid = { type: 'kubernetes', namespace: 'shop', slots, route: { httproute: 'orders' } }
const targets = slots

describe('kubernetes router config', () => {
  test('a minimal HTTPRoute config, with defaults', () => {
    expect(parseKubernetesConfig(valid)).toEqual({
      type: 'kubernetes',
      name: 'kubernetes shop/orders',
      namespace: 'shop',
      slots: { blue: ['orders-blue'], green: ['orders-green'] },
      targets: slots,
      route: { kind: 'httproute', name: 'orders' },
      timeout: 30_000,
    })
  })

  test('every key: context, rule, timeout, name; and the Service route', () => {
    const c = parseKubernetesConfig({
      ...valid,
      context: 'prod-eu',
      route: { httproute: 'orders', rule: 2 },
      timeout: '1m',
      name: 'orders (eu)',
    })
    expect(c).toMatchObject({
      context: 'prod-eu',
      route: { kind: 'httproute', name: 'orders', rule: 2 },
      timeout: 60_000,
      name: 'orders (eu)',
    })
    expect(
      parseKubernetesConfig({ ...valid, route: { service: 'orders', label: 'example.com/slot' } })
        .route,
    ).toEqual({ kind: 'service', name: 'orders', label: 'example.com/slot' })
  })

  const bad: [string, Record<string, unknown>, string][] = [
    ['no namespace', { ...valid, namespace: undefined }, "'namespace' is required"],
    [
      'namespace upper case',
      { ...valid, namespace: 'Shop' },
      `'namespace' is "Shop"; allowed: a namespace name`,
    ],
    ['namespace too long', { ...valid, namespace: 'a'.repeat(64) }, "'namespace' is"],
    [
      'namespace a number',
      { ...valid, namespace: 7 },
      "'namespace' must be a namespace name (lower-case letters, digits and -, at most 63), got number 7",
    ],
    [
      'unknown key',
      { ...valid, backend: 'x' },
      `unknown key "backend" for type kubernetes; allowed: type, name, namespace`,
    ],
    ['slots missing', { ...valid, slots: undefined }, "'slots' is required"],
    ['slots a list', { ...valid, slots: ['a', 'b'] }, "'slots' must be a mapping"],
    [
      'a third slot',
      { ...valid, slots: { ...slots, red: slots.blue } },
      `'slots' has unknown key "red"`,
    ],
    [
      'slot as a plain name',
      { ...valid, slots: { ...slots, blue: 'orders-blue' } },
      `'slots.blue' must be a mapping { deployment: <name>, service: <name> }, got string "orders-blue"`,
    ],
    [
      'slot without service',
      { ...valid, slots: { ...slots, green: { deployment: 'orders-green' } } },
      "'slots.green.service' is required",
    ],
    [
      'slot with an unknown key',
      { ...valid, slots: { ...slots, green: { ...slots.green, port: 80 } } },
      `'slots.green' has unknown key "port"; allowed: deployment, service`,
    ],
    [
      'service name with a dot',
      {
        ...valid,
        slots: { ...slots, blue: { deployment: 'orders-blue', service: 'orders.blue' } },
      },
      `'slots.blue.service' is "orders.blue"; allowed: a Service name`,
    ],
    [
      'deployment name with capitals',
      { ...valid, slots: { ...slots, blue: { deployment: 'Orders', service: 'orders-blue' } } },
      `'slots.blue.deployment' is "Orders"; allowed: a Kubernetes object name`,
    ],
    [
      'both slots one Service',
      {
        ...valid,
        slots: { blue: slots.blue, green: { deployment: 'orders-green', service: 'orders-blue' } },
      },
      "'slots.blue.service' and 'slots.green.service' are both \"orders-blue\"",
    ],
    [
      'both slots one Deployment',
      {
        ...valid,
        slots: { blue: slots.blue, green: { deployment: 'orders-blue', service: 'orders-green' } },
      },
      'each slot needs its own Deployment',
    ],
    ['route missing', { ...valid, route: undefined }, "'route' is required"],
    ['route a string', { ...valid, route: 'orders' }, `'route' must be a mapping`],
    [
      'route of neither kind',
      { ...valid, route: { ingress: 'orders' } },
      `'route' needs 'httproute'`,
    ],
    [
      'route of both kinds',
      { ...valid, route: { httproute: 'orders', service: 'orders' } },
      "has both 'httproute' and 'service'",
    ],
    [
      'rule negative',
      { ...valid, route: { httproute: 'orders', rule: -1 } },
      `'route.rule' is -1; allowed: the index of a rule`,
    ],
    ['rule beyond 15', { ...valid, route: { httproute: 'orders', rule: 16 } }, 'from 0 to 15'],
    [
      'rule a word',
      { ...valid, route: { httproute: 'orders', rule: 'first' } },
      `'route.rule' is "first"`,
    ],
    [
      'rule with a Service route',
      { ...valid, route: { service: 'orders', label: 'slot', rule: 0 } },
      `'route' has unknown key "rule"; allowed: service, label`,
    ],
    [
      'Service route without label',
      { ...valid, route: { service: 'orders' } },
      "'route.label' is required",
    ],
    [
      'label key malformed',
      { ...valid, route: { service: 'orders', label: 'slot!' } },
      `'route.label' is "slot!"; allowed: a label key`,
    ],
    [
      'switching Service is a slot Service',
      { ...valid, route: { service: 'orders-blue', label: 'slot' } },
      "which is also a slot's Service",
    ],
    [
      'timeout without unit',
      { ...valid, timeout: 30 },
      `'timeout' is 30; allowed: a duration from 1s to 10m`,
    ],
    ['timeout too long', { ...valid, timeout: '1h' }, '\'timeout\' is "1h"'],
    [
      'context empty',
      { ...valid, context: '' },
      "'context' must be the name of a kubeconfig context",
    ],
    [
      'context a list',
      { ...valid, context: ['a'] },
      "'context' must be the name of a kubeconfig context, got a list",
    ],
    [
      'name over two lines',
      { ...valid, name: 'a\nb' },
      '\'name\' is "a\\nb"; allowed: a label of 1 to 64 printable characters',
    ],
  ]
  test.each(bad)('%s is refused, naming the field', (_, config, message) => {
    let thrown: unknown
    try {
      parseKubernetesConfig(config)
    } catch (e) {
      thrown = e
    }
    expect(thrown).toBeInstanceOf(ConfigurationError)
    expect((thrown as Error).message).toContain("Input 'router': ")
    expect((thrown as Error).message).toContain(message)
  })

  test('field names follow the caller (a router list names router[2].…)', () => {
    expect(() =>
      parseKubernetesConfig({ ...valid, namespace: 'Bad' }, { field: (k) => `router[2].${k}` }),
    ).toThrow(`'router[2].namespace' is "Bad"`)
  })
})

function route(rules: HttpRoute['spec']['rules'], status?: HttpRoute['status']): HttpRoute {
  return {
    metadata: { name: 'orders', namespace: 'shop', resourceVersion: '7', generation: 3 },
    spec: { rules },
    ...(status ? { status } : {}),
  }
}
const ref = (name: string, weight?: number) => ({
  name,
  port: 80,
  ...(weight === undefined ? {} : { weight }),
})

describe('HTTPRoute weights', () => {
  test.each([
    ['100 / 0', [ref('orders-blue', 100), ref('orders-green', 0)], { blue: 100, green: 0 }],
    [
      'weights on any scale',
      [ref('orders-green', 3), ref('orders-blue', 1)],
      { blue: 25, green: 75 },
    ],
    ['no weight means 1', [ref('orders-blue'), ref('orders-green')], { blue: 50, green: 50 }],
    ['both 0: no traffic', [ref('orders-blue', 0), ref('orders-green', 0)], { blue: 0, green: 0 }],
  ])('%s', (_, backendRefs, weights) => {
    expect(routeState(route([{ backendRefs }]), targets).weights).toEqual(weights)
  })

  test('only rules with both slot Services count; others are left alone', () => {
    const state = routeState(
      route([
        { backendRefs: [ref('static', 1)] },
        { backendRefs: [ref('orders-blue', 90), ref('orders-green', 10), ref('mirror', 0)] },
      ]),
      targets,
    )
    expect(state).toEqual({
      weights: { blue: 90, green: 10 },
      rules: [{ rule: 1, index: { blue: 0, green: 1 }, others: [] }],
    })
  })

  test('a backend sharing the rule with traffic is reported', () => {
    expect(
      routeState(
        route([
          { backendRefs: [ref('orders-blue', 50), ref('orders-green', 50), ref('legacy', 10)] },
        ]),
        targets,
      ).rules[0]?.others,
    ).toEqual(['legacy (weight 10)'])
  })

  test.each([
    [
      'no rule has both slots',
      [{ backendRefs: [ref('orders-blue', 1)] }],
      undefined,
      'has no rule with backendRefs to both orders-blue and orders-green',
    ],
    [
      'rules disagree',
      [
        { backendRefs: [ref('orders-blue', 100), ref('orders-green', 0)] },
        { backendRefs: [ref('orders-blue', 0), ref('orders-green', 100)] },
      ],
      undefined,
      'its rules disagree',
    ],
    [
      'a slot twice in a rule',
      [{ backendRefs: [ref('orders-blue', 1), ref('orders-blue', 1), ref('orders-green', 0)] }],
      undefined,
      'has 2 backendRefs to Service orders-blue',
    ],
    [
      'the chosen rule lacks a slot',
      [
        { backendRefs: [ref('orders-blue', 1), ref('orders-green', 0)] },
        { backendRefs: [ref('orders-blue', 1)] },
      ],
      1,
      'rule 1 has no backendRef to Service orders-green',
    ],
    [
      'the chosen rule does not exist',
      [{ backendRefs: [ref('orders-blue', 1), ref('orders-green', 0)] }],
      3,
      'there is no rule 3',
    ],
  ])('refuses when %s', (_, rules, rule, message) => {
    expect(() => routeState(route(rules), targets, rule)).toThrow(message)
  })

  test('a backendRef to another namespace or kind is not a slot', () => {
    expect(() =>
      routeState(
        route([
          {
            backendRefs: [
              { ...ref('orders-blue', 1), namespace: 'other' },
              { ...ref('orders-green', 1), kind: 'ServiceImport', group: 'multicluster.x-k8s.io' },
            ],
          },
        ]),
        targets,
      ),
    ).toThrow('has no rule')
  })

  test('the patch pins each backendRef by name, sets weights, and carries the resourceVersion read', () => {
    const r = route([
      { backendRefs: [ref('static')] },
      { backendRefs: [ref('orders-green', 0), ref('orders-blue', 100)] },
    ])
    expect(routePatch(routeState(r, targets), targets, { blue: 75, green: 25 }, '7')).toEqual([
      { op: 'test', path: '/spec/rules/1/backendRefs/1/name', value: 'orders-blue' },
      { op: 'add', path: '/spec/rules/1/backendRefs/1/weight', value: 75 },
      { op: 'test', path: '/spec/rules/1/backendRefs/0/name', value: 'orders-green' },
      { op: 'add', path: '/spec/rules/1/backendRefs/0/weight', value: 25 },
      { op: 'replace', path: '/metadata/resourceVersion', value: '7' },
    ])
  })
})

describe('HTTPRoute applied', () => {
  const cond = (type: string, status: string, observedGeneration: number, reason = type) => ({
    type,
    status,
    reason,
    observedGeneration,
  })
  const parent = (...conditions: ReturnType<typeof cond>[]) => ({
    parentRef: { name: 'web' },
    conditions,
  })
  test.each([
    [
      'both True at the generation',
      [parent(cond('Accepted', 'True', 3), cond('ResolvedRefs', 'True', 3))],
      true,
      'gateway shop/web: Accepted=True, ResolvedRefs=True',
    ],
    [
      'observed an older generation',
      [parent(cond('Accepted', 'True', 2), cond('ResolvedRefs', 'True', 2))],
      false,
      'Accepted=True for generation 2 < 3',
    ],
    [
      'a backend not found',
      [parent(cond('Accepted', 'True', 3), cond('ResolvedRefs', 'False', 3, 'BackendNotFound'))],
      false,
      'ResolvedRefs=False (BackendNotFound)',
    ],
    [
      'not accepted',
      [
        parent(
          cond('Accepted', 'False', 3, 'NotAllowedByListeners'),
          cond('ResolvedRefs', 'True', 3),
        ),
      ],
      false,
      'Accepted=False (NotAllowedByListeners)',
    ],
    [
      'one of two gateways behind',
      [
        parent(cond('Accepted', 'True', 3), cond('ResolvedRefs', 'True', 3)),
        {
          parentRef: { name: 'internal', namespace: 'infra' },
          conditions: [cond('Accepted', 'True', 3)],
        },
      ],
      false,
      'gateway infra/internal: Accepted=True, ResolvedRefs not reported',
    ],
    ['no gateway at all', [], false, 'no gateway reported status for generation 3'],
  ])('%s', (_, parents, applied, detail) => {
    const r = routeApplied(route([], { parents }), 3)
    expect(r.applied).toBe(applied)
    expect(r.detail).toContain(detail)
  })
})

describe('Deployment rollout', () => {
  const deployment = (status: Deployment['status'], replicas = 3): Deployment => ({
    metadata: { name: 'orders-green', namespace: 'shop', generation: 5 },
    spec: { replicas, template: { spec: { containers: [{ name: 'app', image: 'x' }] } } },
    status,
  })
  const all = {
    observedGeneration: 5,
    replicas: 3,
    updatedReplicas: 3,
    readyReplicas: 3,
    availableReplicas: 3,
  }
  const deadline = {
    type: 'Progressing',
    status: 'False',
    reason: 'ProgressDeadlineExceeded',
    message: 'ReplicaSet "x" has timed out progressing.',
  }
  test.each([
    ['all replicas updated, ready, available', all, 'available'],
    ['not observed yet', { ...all, observedGeneration: 4 }, 'progressing'],
    ['old pods still counted', { ...all, replicas: 4, unavailableReplicas: 1 }, 'progressing'],
    ['updated but not ready', { ...all, readyReplicas: 2, availableReplicas: 2 }, 'progressing'],
    [
      'past its progress deadline',
      { ...all, updatedReplicas: 1, conditions: [deadline] },
      'failed',
    ],
    ['no status yet', {}, 'progressing'],
  ])('%s', (_, status, state) => {
    expect(rolloutState(deployment(status), 5).state).toBe(state)
  })
  test('the failure quotes the conditions', () => {
    expect(rolloutState(deployment({ ...all, conditions: [deadline] }), 5).detail).toContain(
      'Progressing=False ProgressDeadlineExceeded: "ReplicaSet \\"x\\" has timed out progressing."',
    )
  })
  test('the container: the only one, the named one, or a clear refusal', () => {
    const two: Deployment = {
      metadata: { name: 'orders-green', namespace: 'shop' },
      spec: { template: { spec: { containers: [{ name: 'app' }, { name: 'proxy' }] } } },
    }
    expect(pickContainer(deployment({}), undefined)).toBe('app')
    expect(pickContainer(two, 'proxy')).toBe('proxy')
    expect(() => pickContainer(two, undefined)).toThrow(
      "has 2 containers (app, proxy); say which one runs the release with the 'container' input",
    )
    expect(() => pickContainer(two, 'web')).toThrow(
      'has no container "web"; its containers are: app, proxy',
    )
  })
  test('a Service selector picks a slot, or says what it holds', () => {
    const svc = (selector: Record<string, string>) => ({
      metadata: { name: 'orders', namespace: 'shop' },
      spec: { selector },
    })
    expect(selectorSlot(svc({ app: 'orders', slot: 'green' }), 'slot')).toEqual({ slot: 'green' })
    expect(selectorSlot(svc({ app: 'orders' }), 'slot')).toEqual({
      problem: 'Service shop/orders has no selector label "slot"',
    })
    expect(selectorSlot(svc({ slot: 'v2' }), 'slot')).toEqual({
      problem: 'Service shop/orders selector slot="v2" is neither blue nor green',
    })
  })
})

describe('Service selector applied (EndpointSlices)', () => {
  const slice = (...eps: [string, boolean?][]) => ({
    endpoints: eps.map(([a, ready]) => ({
      addresses: [a],
      ...(ready === undefined ? {} : { conditions: { ready } }),
    })),
  })
  test.each([
    [
      'the same ready endpoints',
      [slice(['10.0.0.1'], ['10.0.0.2'])],
      [slice(['10.0.0.2'], ['10.0.0.1'])],
      true,
      "2 ready endpoint(s), all the slot's",
    ],
    [
      'spread over several slices',
      [slice(['10.0.0.1']), slice(['10.0.0.2'])],
      [slice(['10.0.0.1'], ['10.0.0.2'])],
      true,
      '2 ready',
    ],
    [
      'an old endpoint still in',
      [slice(['10.0.0.1'], ['10.0.9.9'])],
      [slice(['10.0.0.1'])],
      false,
      "1 endpoint(s) not the slot's (10.0.9.9)",
    ],
    [
      'not ready ones do not count',
      [slice(['10.0.0.1'], ['10.0.9.9', false])],
      [slice(['10.0.0.1'])],
      true,
      '1 ready',
    ],
    [
      'the slot not in yet',
      [slice(['10.0.9.9'])],
      [slice(['10.0.0.1'])],
      false,
      "1 of the slot's not yet in (10.0.0.1)",
    ],
    [
      'a slot without ready endpoints',
      [],
      [slice(['10.0.0.1', false])],
      false,
      "the slot's own Service has no ready endpoints",
    ],
  ])('%s', (_, switching, own, applied, detail) => {
    const r = selectorApplied(switching, own)
    expect(r.applied).toBe(applied)
    expect(r.detail).toContain(detail)
  })
})

describe('docs', () => {
  test('the README shows the very Role the fake enforces (scripts/sandbox/kubernetes/role.yaml)', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    const role = readFileSync(join(ROOT, 'scripts/sandbox/kubernetes/role.yaml'), 'utf8')
    const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1])
    expect(blocks).toContain(role)
  })
})
