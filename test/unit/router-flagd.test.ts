/**
 * The flagd router's pure parts: config parsing (every refusal names field, value and what is
 * allowed), what a flag's definition says (weights, or why cutover cannot name one), the
 * definition a target needs, and the verification with flagd-core (the flagd evaluation engine).
 */
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  evaluateSplit,
  flagState,
  indentOf,
  fractionalRule,
  parseRouterConfig,
  parseRouterConfigs,
  routerSecrets,
  ruleWeights,
  withWeights,
  type FlagdConfig,
  type Weights,
} from '../../packages/router/index.js'
import { disabledState } from '../../packages/router/flagd.js'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..')
const file = { type: 'flagd', flag: 'new-checkout', file: '/etc/flagd/flags.json' }
const configmap = {
  type: 'flagd',
  flag: 'new-checkout',
  configmap: { namespace: 'shop', name: 'flags', key: 'flags.json' },
}
const parse = (over: object, base: object = file) =>
  parseRouterConfig({ ...base, ...over }) as FlagdConfig

describe('config', () => {
  test('defaults: variants off/on, name "flagd <flag>", a 10 s timeout, slots named by variant', () => {
    expect(parse({})).toEqual({
      type: 'flagd',
      name: 'flagd new-checkout',
      flag: 'new-checkout',
      variants: { off: 'off', on: 'on' },
      source: { kind: 'file', path: '/etc/flagd/flags.json' },
      slots: { blue: ['off'], green: ['on'] },
      timeout: 10_000,
    })
    expect(
      parse(
        { variants: { off: 'control', on: 'treatment' }, context: 'prod', timeout: '3s' },
        configmap,
      ),
    ).toMatchObject({
      variants: { off: 'control', on: 'treatment' },
      source: {
        kind: 'configmap',
        namespace: 'shop',
        name: 'flags',
        key: 'flags.json',
        context: 'prod',
      },
      slots: { blue: ['control'], green: ['treatment'] },
      timeout: 3000,
    })
    // One variant given: the other keeps its default.
    expect(parse({ variants: { on: 'enabled' } }).variants).toEqual({ off: 'off', on: 'enabled' })
    expect(parse({ file: '/etc/flagd/../flagd/flags.json' }).source).toEqual({
      kind: 'file',
      path: '/etc/flagd/flags.json',
    })
    // No credentials of its own: the kubeconfig is the runner's.
    expect(routerSecrets([parse({}, configmap)])).toEqual([])
  })

  test.each([
    [{ flag: undefined }, `'flag' is required for type flagd`],
    [{ flag: 42 }, `'flag' is number 42; allowed: a flag key of 1 to 256 printable characters`],
    [{ flag: ' x' }, `'flag' is " x"; allowed: a flag key`],
    [
      { file: 'flags.json' },
      `'file' is "flags.json"; allowed: the absolute path of the flagd definitions file`,
    ],
    [{ file: undefined }, `'file' or 'configmap' is required for type flagd`],
    [{ configmap: configmap.configmap }, `'file' and 'configmap' are both given; give one`],
    [{ context: 'prod' }, `'context' is for a ConfigMap ('configmap'), not for 'file'.`],
    [{ variants: 'on' }, `'variants' must be a mapping { off: <variant>, on: <variant> }`],
    [{ variants: { of: 'x' } }, `'variants' has unknown key "of"; allowed: off, on.`],
    [{ variants: { off: 'on' } }, `'variants.off' and 'variants.on' are both "on"`],
    [
      { variants: { on: '' } },
      `'variants.on' is ""; allowed: the name of one of the flag's variants`,
    ],
    [{ timeout: '5m' }, `'timeout' is "5m"; allowed: a duration from 100ms to 2m`],
    [{ name: '' }, `'name' is ""; allowed: a label of 1 to 64 printable characters`],
    [
      { backend: 'web' },
      `unknown key "backend" for type flagd; allowed: type, name, flag, variants, file, configmap, context, timeout`,
    ],
    [{ weight: 5 }, `unknown key "weight" for type flagd`],
  ])('file %j is refused: %s', (over, message) => {
    expect(() => parse(over)).toThrow(message)
  })

  test.each([
    [{ namespace: 'Shop' }, `'configmap.namespace' is "Shop"; allowed: a namespace name`],
    [{ name: undefined }, `'configmap.name' is required: a ConfigMap name`],
    [
      { key: 'flags/json' },
      `'configmap.key' is "flags/json"; allowed: the key in the ConfigMap's data`,
    ],
    [{ keys: 'x' }, `'configmap' has unknown key "keys"; allowed: namespace, name, key.`],
  ])('configmap %j is refused: %s', (over, message) => {
    expect(() => parse({ configmap: { ...configmap.configmap, ...over } }, configmap)).toThrow(
      message,
    )
  })

  test('a list names the entry; the same flag in the same file twice is refused; flags mix with no traffic router', () => {
    expect(() => parseRouterConfigs([file, { ...file, flag: '' }])).toThrow(
      `'router[1].flag' is required for type flagd`,
    )
    expect(() => parseRouterConfigs([file, { ...file, name: 'again' }])).toThrow(
      `'router[1]' is the same router as 'router[0]'`,
    )
    expect(parseRouterConfigs([file, { ...file, file: '/srv/flagd/flags.json' }])).toHaveLength(2)
    expect(() =>
      parseRouterConfigs([
        file,
        {
          type: 'haproxy',
          address: '127.0.0.1:1',
          backend: 'web',
          slots: { blue: 'a', green: 'b' },
        },
      ]),
    ).toThrow('mixes router types (flagd, haproxy)')
  })
})

const V = { off: 'off', on: 'on' }
const flagDoc = (flag: object = {}, others: object = {}) => ({
  $schema: 'https://flagd.dev/schema/v0/flags.json',
  flags: {
    'new-checkout': {
      state: 'ENABLED',
      variants: { on: true, off: false },
      defaultVariant: 'off',
      ...flag,
    },
    ...others,
  },
})

describe('the fractional rule', () => {
  test.each<[string, unknown, Weights | undefined]>([
    [
      'ours, on first',
      {
        fractional: [
          ['on', 5],
          ['off', 95],
        ],
      },
      { blue: 95, green: 5 },
    ],
    [
      'ours, off first',
      {
        fractional: [
          ['off', 75],
          ['on', 25],
        ],
      },
      { blue: 75, green: 25 },
    ],
    [
      'rollout 0',
      {
        fractional: [
          ['on', 0],
          ['off', 100],
        ],
      },
      { blue: 100, green: 0 },
    ],
    [
      'rollout 100',
      {
        fractional: [
          ['on', 100],
          ['off', 0],
        ],
      },
      { blue: 0, green: 100 },
    ],
    [
      'weights not adding up to 100',
      {
        fractional: [
          ['on', 1],
          ['off', 1],
        ],
      },
      undefined,
    ],
    [
      'a weight that is not whole',
      {
        fractional: [
          ['on', 2.5],
          ['off', 97.5],
        ],
      },
      undefined,
    ],
    [
      'a third bucket',
      {
        fractional: [
          ['on', 5],
          ['off', 90],
          ['beta', 5],
        ],
      },
      undefined,
    ],
    [
      'another variant',
      {
        fractional: [
          ['beta', 5],
          ['off', 95],
        ],
      },
      undefined,
    ],
    [
      'one variant twice',
      {
        fractional: [
          ['on', 50],
          ['on', 50],
        ],
      },
      undefined,
    ],
    [
      'bucketing by another attribute',
      { fractional: [{ var: 'email' }, ['on', 5], ['off', 95]] },
      undefined,
    ],
    [
      'a rule around ours',
      {
        if: [
          true,
          {
            fractional: [
              ['on', 5],
              ['off', 95],
            ],
          },
          'off',
        ],
      },
      undefined,
    ],
    [
      'ours and another key',
      {
        fractional: [
          ['on', 5],
          ['off', 95],
        ],
        in: [],
      },
      undefined,
    ],
    ['not an object', 'on', undefined],
  ])('%s', (_, targeting, weights) => {
    expect(ruleWeights(targeting, V)).toEqual(weights)
  })

  test('the rule cutover writes reads back as its weights', () => {
    for (const green of [0, 1, 5, 25, 50, 99, 100]) {
      const w = { blue: 100 - green, green }
      expect(ruleWeights(fractionalRule(V, w), V)).toEqual(w)
    }
  })
})

describe('what a definition says', () => {
  test.each<[string, unknown, Weights | string]>([
    ['no targeting, default off: off for everyone', flagDoc(), { blue: 100, green: 0 }],
    ['empty targeting is none', flagDoc({ targeting: {} }), { blue: 100, green: 0 }],
    [
      'no targeting, default on: on for everyone',
      flagDoc({ defaultVariant: 'on' }),
      { blue: 0, green: 100 },
    ],
    [
      'our rule',
      flagDoc({
        targeting: {
          fractional: [
            ['on', 25],
            ['off', 75],
          ],
        },
      }),
      { blue: 75, green: 25 },
    ],
    [
      'no such flag',
      flagDoc({}, {}),
      'the definitions have no flag "old"; their flags are: "new-checkout"',
    ],
    ['not flagd JSON', { flag: {} }, 'the definitions has no "flags" object'],
    [
      'DISABLED',
      flagDoc({ state: 'DISABLED' }),
      `has state "DISABLED": a DISABLED flag evaluates to each application's code default`,
    ],
    [
      'a variant missing',
      flagDoc({ variants: { on: true, disabled: false } }),
      `has no variant "off" (the router's variants.off); its variants are: "on", "disabled"`,
    ],
    [
      'a third default',
      flagDoc({ variants: { on: true, off: false, x: false }, defaultVariant: 'x' }),
      'has defaultVariant "x", neither the off variant "off" nor the on variant "on"',
    ],
    [
      'foreign targeting',
      flagDoc({ targeting: { in: [{ var: 'email' }, ['a@example.com']] } }),
      'has targeting cutover did not write ({"in":[{"var":"email"},["a@example.com"]]}); cutover owns only',
    ],
    [
      'our rule with default on',
      flagDoc({ defaultVariant: 'on', targeting: fractionalRule(V, { blue: 90, green: 10 }) }),
      'but its defaultVariant is the on variant "on"',
    ],
  ])('%s', (name, doc, expected) => {
    const state = flagState(doc, name === 'no such flag' ? 'old' : 'new-checkout', V)
    if (typeof expected === 'string') {
      expect(state.ok).toBe(false)
      expect((state as { why: string }).why).toContain(expected)
    } else expect(state).toMatchObject({ ok: true, weights: expected })
  })

  test("a new weight replaces only the flag's targeting and defaultVariant; everything else is kept", () => {
    const doc = flagDoc(
      { defaultVariant: 'on', metadata: { team: 'checkout' } },
      {
        other: {
          state: 'ENABLED',
          variants: { a: 1 },
          defaultVariant: 'a',
          targeting: { if: [true, 'a'] },
        },
      },
    )
    const next = withWeights(doc, 'new-checkout', V, { blue: 95, green: 5 })
    expect(next).toEqual({
      doc: flagDoc(
        {
          defaultVariant: 'off',
          metadata: { team: 'checkout' },
          targeting: {
            fractional: [
              ['on', 5],
              ['off', 95],
            ],
          },
        },
        { other: (doc.flags as Record<string, unknown>).other },
      ),
    })
    // The input is not changed.
    expect(doc.flags['new-checkout'].defaultVariant).toBe('on')
    expect(
      withWeights(flagDoc({ targeting: { in: [] } }), 'new-checkout', V, { blue: 0, green: 100 }),
    ).toEqual({
      why: expect.stringContaining('has targeting cutover did not write') as unknown as string,
    })
  })
})

describe('a flag someone set DISABLED', () => {
  const rule = (green: number) => fractionalRule(V, { blue: 100 - green, green })
  const at = (green: number): Weights => ({ blue: 100 - green, green })
  // What the write does: the new flag definition (state kept), or the refusal's words.
  test.each<[string, object, number, object | string]>([
    [
      'rollback of our rule at 30: written at 0, kept DISABLED',
      { state: 'DISABLED', targeting: rule(30) },
      0,
      { state: 'DISABLED', defaultVariant: 'off', targeting: rule(0) },
    ],
    [
      'rollback with defaultVariant on: set to off',
      { state: 'DISABLED', defaultVariant: 'on', targeting: rule(30) },
      0,
      { state: 'DISABLED', defaultVariant: 'off', targeting: rule(0) },
    ],
    [
      'rollback of a flag with no targeting: our rule at 0 written',
      { state: 'DISABLED', defaultVariant: 'on' },
      0,
      { state: 'DISABLED', defaultVariant: 'off', targeting: rule(0) },
    ],
    [
      'a raise is refused',
      { state: 'DISABLED', targeting: rule(5) },
      50,
      'while it is DISABLED cutover writes only a move to 0 (a rollback), never a raise',
    ],
    [
      'a raise from 0 is refused',
      { state: 'DISABLED', targeting: rule(0) },
      1,
      'has state "DISABLED"',
    ],
    [
      'rollback over foreign targeting is refused (not ours to overwrite)',
      { state: 'DISABLED', targeting: { in: [{ var: 'email' }, ['a@example.com']] } },
      0,
      'has targeting cutover did not write',
    ],
    [
      'rollback with the off variant missing is refused',
      { state: 'DISABLED', variants: { on: true, no: false }, targeting: rule(30) },
      0,
      'has no variant "off"',
    ],
    [
      'a state that is neither ENABLED nor DISABLED is refused, even for 0',
      { state: 'PAUSED', targeting: rule(30) },
      0,
      'has state "PAUSED"',
    ],
  ])('%s', (_, flag, green, expected) => {
    const next = withWeights(flagDoc(flag), 'new-checkout', V, at(green))
    if (typeof expected === 'string') {
      expect(next).toEqual({ why: expect.stringContaining(expected) as unknown as string })
      return
    }
    expect(next).toEqual({
      doc: flagDoc({ variants: { on: true, off: false }, ...expected }),
      disabled: true,
    })
  })

  test('an ENABLED flag is not marked disabled', () => {
    expect(withWeights(flagDoc({ targeting: rule(30) }), 'new-checkout', V, at(0))).toEqual({
      doc: flagDoc({ targeting: rule(0) }),
    })
  })

  test.each<[string, object, Weights | string | undefined]>([
    [
      'our rule: its weights (what re-enabling serves)',
      { state: 'DISABLED', targeting: rule(30) },
      at(30),
    ],
    ['no targeting, default off: 0', { state: 'DISABLED' }, at(0)],
    [
      'foreign targeting: why',
      { state: 'DISABLED', targeting: { if: [true, 'on'] } },
      'has targeting cutover did not write',
    ],
    ['an ENABLED flag: not this view', { targeting: rule(30) }, undefined],
  ])('reads: %s', (_, flag, expected) => {
    const state = disabledState(flagDoc(flag), 'new-checkout', V)
    if (expected === undefined) expect(state).toBeUndefined()
    else if (typeof expected === 'string')
      expect(state).toEqual({
        ok: false,
        why: expect.stringContaining(expected) as unknown as string,
      })
    else expect(state).toMatchObject({ ok: true, weights: expected })
  })

  test('flagd-core resolves a DISABLED flag to the caller default with no variant; the ENABLED copy of what cutover writes puts nobody on', async () => {
    const next = withWeights(
      flagDoc({ state: 'DISABLED', targeting: rule(30) }),
      'new-checkout',
      V,
      at(0),
    ) as { doc: object }
    // As flagd sees it now: DISABLED, so no split to measure (why the rule is checked on a copy).
    const raw = await evaluateSplit(JSON.stringify(next.doc), 'new-checkout', V, at(0), {
      keys: 10,
    })
    expect(raw.problem).toContain('no variant (DISABLED')
    const copy = JSON.parse(JSON.stringify(next.doc)) as {
      flags: Record<string, { state: string }>
    }
    copy.flags['new-checkout']!.state = 'ENABLED'
    const r = await evaluateSplit(JSON.stringify(copy), 'new-checkout', V, at(0), { keys: 10_000 })
    expect(r).toEqual({ on: 0, total: 10_000 })
  })
})

test.each([
  ['{\n  "flags": {}\n}', '  '],
  ['{\n    "flags": {}\n}', '    '],
  ['{\n\t"flags": {}\n}', '\t'],
  ['{"flags": {}}', '  '],
])('a rewrite keeps the indentation of %j', (text, indent) => {
  expect(indentOf(text)).toBe(indent)
})

describe('verification with flagd-core', () => {
  const text = (targeting: object, extra: object = {}) =>
    JSON.stringify(flagDoc({ targeting, ...extra }))

  test.each([0, 1, 5, 25, 50, 100])(
    'rollout %i%%: 100,000 targeting keys split within 1 pp (exactly at 0 and 100)',
    async (green) => {
      const w = { blue: 100 - green, green }
      const r = await evaluateSplit(text(fractionalRule(V, w)), 'new-checkout', V, w)
      expect(r.problem).toBeUndefined()
      expect(r.total).toBe(100_000)
      expect(Math.abs((r.on * 100) / r.total - green)).toBeLessThanOrEqual(1)
      if (green === 0) expect(r.on).toBe(0)
      if (green === 100) expect(r.on).toBe(100_000)
    },
  )

  test('string variants (control/treatment) are evaluated as strings', async () => {
    const v = { off: 'control', on: 'treatment' }
    const w = { blue: 75, green: 25 }
    const doc = {
      flags: {
        checkout: {
          state: 'ENABLED',
          variants: { control: 'old', treatment: 'new' },
          defaultVariant: 'control',
          targeting: fractionalRule(v, w),
        },
      },
    }
    const r = await evaluateSplit(JSON.stringify(doc), 'checkout', v, w)
    expect(r.problem).toBeUndefined()
    expect(Math.abs((r.on * 100) / r.total - 25)).toBeLessThanOrEqual(1)
  })

  test.each<[string, string, Weights, string]>([
    [
      'a rule whose split is not the target',
      text(fractionalRule(V, { blue: 50, green: 50 })),
      { blue: 95, green: 5 },
      'flagd-core puts ',
    ],
    [
      'a bucket naming a variant the flag lacks',
      text({
        fractional: [
          ['onn', 50],
          ['off', 50],
        ],
      }),
      { blue: 50, green: 50 },
      'evaluates to no variant',
    ],
    [
      'a definition flagd refuses (state unknown)',
      text(fractionalRule(V, { blue: 50, green: 50 }), { state: 'ON' }),
      { blue: 50, green: 50 },
      'flagd-core refuses the definitions',
    ],
    [
      'contexts without a targetingKey get on',
      text(fractionalRule(V, { blue: 50, green: 50 }), { defaultVariant: 'on' }),
      { blue: 50, green: 50 },
      'a context without a targetingKey evaluates to "on", not the off variant "off"',
    ],
  ])('%s is caught', async (_, definitions, w, problem) => {
    const r = await evaluateSplit(definitions, 'new-checkout', V, w)
    expect(r.problem).toContain(problem)
  })
})

describe('docs', () => {
  test('the README shows the very Role the fake enforces for a ConfigMap (scripts/sandbox/kubernetes/flagd-role.yaml)', () => {
    const readme = readFileSync(join(ROOT, 'actions/canary-step/README.md'), 'utf8')
    const role = readFileSync(join(ROOT, 'scripts/sandbox/kubernetes/flagd-role.yaml'), 'utf8')
    const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1])
    expect(blocks).toContain(role)
  })

  test('the README states the flagd versions whose bucketing flagd-core 4.0.1 matches', () => {
    const readme = readFileSync(join(ROOT, 'actions/canary-step/README.md'), 'utf8')
    expect(readme).toContain('flagd 0.15.0 and later')
    expect(readme).toContain('`@openfeature/flagd-core` 4.0.1')
  })
})

describe('the bucketing version', () => {
  // flagd-testbed's gherkin vectors tagged @fractional-v2: the high-precision bucketing of flagd
  // 0.15.0 (flagd PR 1909), bucket = (murmur3(key) × total weight) >> 32. Under v1 (flagd before
  // 0.15) 6LvT0 and ceQdGm fall in "lower", and jon@company.com stays "heads" under v1 and v2 but
  // not v3: these vectors tell the versions apart.
  const EDGE = { var: 'targetingKey' }
  test.each([
    ['fractional-hash-edge-flag', 'ejOoVL', 'lower', EDGE],
    ['fractional-hash-edge-flag', 'bY9fO-', 'lower', EDGE],
    ['fractional-hash-edge-flag', 'SI7p-', 'lower', EDGE],
    ['fractional-hash-edge-flag', '6LvT0', 'upper', EDGE],
    ['fractional-hash-edge-flag', 'ceQdGm', 'upper', EDGE],
    ['fractional-flag-shorthand', 'jon@company.com', 'heads', undefined],
    ['fractional-flag-shorthand', 'jane@company.com', 'tails', undefined],
  ])(
    'flagd-core 4.0.1 is fractional-v2: %s puts targetingKey %s in %s',
    async (flag, key, variant, by) => {
      const { FlagdCore } = await import('@openfeature/flagd-core')
      const [a, b] = flag === 'fractional-hash-edge-flag' ? ['lower', 'upper'] : ['heads', 'tails']
      const core = new FlagdCore()
      core.setConfigurations(
        JSON.stringify({
          flags: {
            [flag]: {
              state: 'ENABLED',
              variants: { [a]: a, [b]: b, fallback: 'fallback' },
              defaultVariant: 'fallback',
              targeting: { fractional: [...(by ? [by] : []), [a, 50], [b, 50]] },
            },
          },
        }),
      )
      expect(core.resolveStringEvaluation(flag, 'x', { targetingKey: key }).value).toBe(variant)
    },
  )
})
