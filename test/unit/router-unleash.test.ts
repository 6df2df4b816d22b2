/**
 * The unleash router's pure parts, as tables: config parsing (every refusal names the field, the
 * value and what is allowed; a token never appears), the flag's state as cutover reads it, the
 * write plan (never a disable; the environment switched on only when raising, and refused when it
 * would expose other strategies' users), and what the client API must serve. Plus the deadline:
 * an Unleash that drips its answer is cut off at the router's timeout (a fake server, since only
 * the deadline is under test).
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  openRouter,
  parseRollout,
  parseRouterConfig,
  planUnleashWrite,
  routerSecrets,
  servedShape,
  unleashFlagState,
  type AdminEnvironment,
  type AdminStrategy,
  type UnleashConfig,
} from '../../packages/router/index.js'

const TOKEN = '*:*.s3cret-admin-token-value'
const CLIENT = '*:production.s3cret-client-token-value'
const base = {
  type: 'unleash',
  url: 'https://unleash.example.com/',
  token: TOKEN,
  environment: 'production',
  flag: 'new-checkout',
}
const parse = (extra: Record<string, unknown> = {}) =>
  parseRouterConfig({ ...base, ...extra }) as UnleashConfig
const refusal = (extra: Record<string, unknown>): string => {
  try {
    parse(extra)
  } catch (e) {
    return (e as Error).message
  }
  throw new Error('not refused')
}

describe('config', () => {
  test('defaults: project default, stickiness userId, group id the flag, variants off/on, 10 s per exchange', () => {
    expect(parse()).toEqual({
      type: 'unleash',
      name: 'unleash new-checkout',
      url: 'https://unleash.example.com',
      token: TOKEN,
      project: 'default',
      environment: 'production',
      flag: 'new-checkout',
      stickiness: 'userId',
      groupId: 'new-checkout',
      constraints: [],
      variants: { off: 'off', on: 'on' },
      slots: { blue: ['off'], green: ['on'] },
      timeout: 10_000,
      propagationTimeout: 30_000,
    })
  })

  test('constraints for user, region and time, in the form Unleash takes', () => {
    const c = parse({
      'client-token': CLIENT,
      constraints: [
        { context: 'userId', operator: 'IN', values: ['alice', 'bob'] },
        { context: 'region', operator: 'not_in', values: 'us', inverted: true },
        { context: 'currentTime', operator: 'DATE_AFTER', value: '2027-01-04T08:00:00+01:00' },
        { context: 'version', operator: 'SEMVER_GT', value: '1.2.3', 'case-insensitive': false },
      ],
      variants: { off: 'control', on: 'treatment' },
    })
    expect(c.clientToken).toBe(CLIENT)
    expect(c.constraints).toEqual([
      { contextName: 'userId', operator: 'IN', values: ['alice', 'bob'] },
      { contextName: 'region', operator: 'NOT_IN', values: ['us'], inverted: true },
      { contextName: 'currentTime', operator: 'DATE_AFTER', value: '2027-01-04T07:00:00.000Z' },
      { contextName: 'version', operator: 'SEMVER_GT', value: '1.2.3', caseInsensitive: false },
    ])
    expect(c.slots).toEqual({ blue: ['control'], green: ['treatment'] })
    expect(routerSecrets([c])).toEqual([TOKEN, CLIENT])
  })

  test.each([
    ['no environment', { environment: undefined }, "'environment' is required for type unleash"],
    ['no flag', { flag: undefined }, "'flag' is required for type unleash"],
    ['a flag name with a blank', { flag: 'new checkout' }, `'flag' is "new checkout"; allowed:`],
    ['no token', { token: undefined }, "'token' is required for type unleash: an Unleash admin"],
    ['a url that is not http', { url: 'ftp://x' }, `'url' is "ftp://x"; allowed: an http(s) URL`],
    [
      'a url with credentials',
      { url: 'https://admin:pw@unleash.example.com' },
      "'url' has a user name or password in it",
    ],
    ['an unknown key', { rollout: 5 }, `unknown key "rollout" for type unleash; allowed: type,`],
    [
      'an unknown operator',
      { constraints: [{ context: 'userId', operator: 'EQUALS', values: ['a'] }] },
      `'constraints[0].operator' is "EQUALS"; allowed: IN, NOT_IN,`,
    ],
    [
      'a list operator with one value',
      { constraints: [{ context: 'userId', operator: 'IN', value: 'a' }] },
      "'constraints[0].value' is for the one-value operators",
    ],
    [
      'an empty values list',
      { constraints: [{ context: 'region', operator: 'IN', values: [] }] },
      "'constraints[0].values' is required for IN",
    ],
    [
      'a date that is no date',
      { constraints: [{ context: 'currentTime', operator: 'DATE_AFTER', value: 'tomorrow' }] },
      `'constraints[0].value' is "tomorrow"; allowed: an ISO 8601 date for DATE_AFTER`,
    ],
    [
      'a constraint key Unleash does not have',
      { constraints: [{ context: 'userId', operator: 'IN', values: ['a'], weight: 1 }] },
      `'constraints[0]' has unknown key "weight"; allowed: context, operator,`,
    ],
    [
      'constraints not a list',
      { constraints: { context: 'userId' } },
      "'constraints' must be a list of { context, operator, values | value }",
    ],
    [
      'the same label for both variants',
      { variants: { off: 'x', on: 'x' } },
      `'variants.off' and 'variants.on' are both "x"`,
    ],
    [
      'a timeout too long',
      { timeout: '10m' },
      `'timeout' is "10m"; allowed: a duration from 100ms`,
    ],
    [
      'a propagation timeout too short',
      { 'propagation-timeout': '10ms' },
      `'propagation-timeout' is "10ms"; allowed: a duration from 1s to 10m`,
    ],
  ])('refused: %s', (_what, extra, message) => {
    expect(refusal(extra)).toContain(message)
  })

  test('a token is never in a refusal, whatever is wrong with it', () => {
    for (const key of ['token', 'client-token']) {
      const message = refusal({ [key]: `${TOKEN} with blanks` })
      expect(message).toContain(`'${key}' must be`)
      expect(message).toContain('its value is not shown')
      expect(message).not.toContain('s3cret')
    }
  })

  test('in a list, the field is named with its index', () => {
    expect(() =>
      parseRouterConfig([
        { ...base, flag: 'a' },
        { ...base, flag: 'b', stickiness: 'user id' },
      ]),
    ).toThrow(`'router[1].stickiness' is "user id"; allowed:`)
  })
})

const ours = (rollout: string, extra: Partial<AdminStrategy> = {}): AdminStrategy => ({
  id: 'S1',
  name: 'flexibleRollout',
  title: 'cutover',
  disabled: false,
  constraints: [],
  parameters: { rollout, stickiness: 'userId', groupId: 'f' },
  ...extra,
})
const other: AdminStrategy = {
  id: 'S2',
  name: 'default',
  title: null,
  disabled: false,
  parameters: {},
}
const env = (enabled: boolean, strategies: AdminStrategy[]): AdminEnvironment => ({
  name: 'production',
  enabled,
  strategies,
})

describe('the flag as cutover reads it', () => {
  test.each([
    ['on, rollout 25', env(true, [ours('25')]), 25],
    ['off in the environment (rollout 25 held)', env(false, [ours('25')]), 0],
    ['no strategy of ours', env(true, [other]), 0],
    ['our strategy disabled', env(true, [ours('40', { disabled: true }), other]), 0],
    ['on, rollout 100, beside another strategy', env(true, [other, ours('100')]), 100],
    ['a strategy titled otherwise is not ours', env(true, [ours('30', { title: 'mine' })]), 0],
  ])('%s', (_what, e, green) => {
    expect(unleashFlagState(e, 'r').weights).toEqual({ blue: 100 - green, green })
  })

  test.each([
    [
      'a rollout above 100 (Unleash accepts "101")',
      env(true, [ours('101')]),
      /holds rollout "101"/,
    ],
    ['a rollout that is no number', env(true, [ours('half')]), /not a whole percentage/],
    [
      'two strategies titled cutover',
      env(true, [ours('5'), ours('5', { id: 'S3' })]),
      /2 flexibleRollout strategies titled "cutover" \(S1, S3\)/,
    ],
  ])('unreadable: %s', (_what, e, message) => {
    expect(() => unleashFlagState(e, 'r')).toThrow(message)
  })

  test.each([
    ['0', 0],
    ['100', 100],
    [' 7 ', 7],
    ['101', undefined],
    ['-1', undefined],
    ['2.5', undefined],
    [5, 5],
    [undefined, undefined],
  ])('parseRollout(%p) = %p', (value, expected) => {
    expect(parseRollout(value)).toBe(expected)
  })
})

const cfg = { constraints: [], stickiness: 'userId', groupId: 'f', environment: 'production' }
const w = (green: number) => ({ blue: 100 - green, green })
const rollout = (v: string) => ({ op: 'replace', path: '/parameters/rollout', value: v })

describe('the write plan', () => {
  test.each([
    // [what, environment, target, plan]
    [
      'first raise on a flag that is off: create at 0, patch, then switch on',
      env(false, []),
      5,
      { create: true, patch: [rollout('5')], enable: true },
    ],
    [
      'raise on a flag that is on',
      env(true, [ours('5')]),
      25,
      { create: false, patch: [rollout('25')], enable: false },
    ],
    [
      'raise with the flag switched off by hand at rollout 0: the rollout first, then on',
      env(false, [ours('0')]),
      50,
      { create: false, patch: [rollout('50')], enable: true },
    ],
    [
      'down to 0: rollout "0", nothing disabled',
      env(true, [ours('25'), other]),
      0,
      { create: false, patch: [rollout('0')], enable: false },
    ],
    [
      '0 on a flag switched off in the environment at rollout 25: rollout "0" all the same (switching it on by hand must not expose anyone again)',
      env(false, [ours('25')]),
      0,
      { create: false, patch: [rollout('0')], enable: false },
    ],
    [
      '0 with our strategy disabled at rollout 25: rollout "0" all the same',
      env(true, [ours('25', { disabled: true }), other]),
      0,
      { create: false, patch: [rollout('0')], enable: false },
    ],
    [
      '0 on a flag that is off at rollout 0: nothing to do',
      env(false, [ours('0')]),
      0,
      { create: false, patch: [], enable: false },
    ],
    [
      '0 without our strategy: nothing to do',
      env(true, [other]),
      0,
      { create: false, patch: [], enable: false },
    ],
    ['0 already', env(true, [ours('0')]), 0, { create: false, patch: [], enable: false }],
    [
      'our strategy disabled by hand, raised: enabled again by the patch',
      env(true, [ours('0', { disabled: true }), other]),
      10,
      {
        create: false,
        patch: [rollout('10'), { op: 'replace', path: '/disabled', value: false }],
        enable: false,
      },
    ],
    [
      'stickiness, group and constraints brought to the config on a raise from 0 (nobody exposed through them yet)',
      env(true, [
        ours('0', {
          parameters: { rollout: '0', stickiness: 'default', groupId: 'old' },
          constraints: [{ contextName: 'region', operator: 'IN', values: ['us'] }],
        }),
      ]),
      5,
      {
        create: false,
        patch: [
          rollout('5'),
          { op: 'replace', path: '/parameters/stickiness', value: 'userId' },
          { op: 'replace', path: '/parameters/groupId', value: 'f' },
          { op: 'replace', path: '/constraints', value: [] },
        ],
        enable: false,
      },
    ],
  ])('%s', (_what, e, green, plan) => {
    expect(planUnleashWrite(unleashFlagState(e, 'r'), w(green), cfg)).toEqual(plan)
  })

  test('constraints as Unleash stores them (the unused values/value empty, defaults filled) are the same constraints: no rewrite', () => {
    const configured = [
      {
        contextName: 'currentTime',
        operator: 'DATE_AFTER' as const,
        value: '2026-01-01T00:00:00.000Z',
      },
      { contextName: 'region', operator: 'IN' as const, values: ['eu'] },
    ]
    const stored = [
      { ...configured[0]!, values: [], inverted: false, caseInsensitive: false },
      { ...configured[1]!, value: '', inverted: false, caseInsensitive: false },
    ]
    const state = unleashFlagState(env(true, [ours('5', { constraints: stored })]), 'r')
    expect(planUnleashWrite(state, w(25), { ...cfg, constraints: configured })).toEqual({
      create: false,
      patch: [rollout('25')],
      enable: false,
    })
    // A real difference is written from rollout 0 (mid-walk it is refused: see below).
    const other = [{ ...configured[1]!, values: ['us'] }]
    const at0 = unleashFlagState(env(true, [ours('0', { constraints: stored })]), 'r')
    const plan = planUnleashWrite(at0, w(25), { ...cfg, constraints: other })
    expect(plan).toMatchObject({ patch: [rollout('25'), { path: '/constraints' }] })
    expect(planUnleashWrite(state, w(25), { ...cfg, constraints: other })).toMatchObject({
      refused: expect.stringContaining('would overwrite'),
    })
  })

  test('switching a disabled flag on would expose the users of its other enabled strategies: refused', () => {
    const plan = planUnleashWrite(unleashFlagState(env(false, [other]), 'r'), w(5), cfg)
    expect(plan).toEqual({
      refused: expect.stringContaining(
        'the flag is off in environment production and has 1 other enabled strategy (default); switching it on would expose their users too',
      ),
    })
    // Moving to 0 is never refused.
    expect(planUnleashWrite(unleashFlagState(env(false, [other]), 'r'), w(0), cfg)).toEqual({
      create: false,
      patch: [],
      enable: false,
    })
  })

  test.each([
    [
      'the flag switched off in the environment while our strategy holds 25 (a kill switch)',
      env(false, [ours('25')]),
      /the flag is off in environment production while the "cutover" strategy holds rollout 25%.*does not switch it back on/,
    ],
    [
      'our strategy disabled while it holds 25',
      env(true, [ours('25', { disabled: true }), other]),
      /the "cutover" strategy is disabled in environment production while it holds rollout 25%.*does not switch it back on/,
    ],
    [
      'stickiness changed in Unleash mid-walk',
      env(true, [
        ours('5', { parameters: { rollout: '5', stickiness: 'sessionId', groupId: 'f' } }),
      ]),
      /stickiness sessionId.*changed in Unleash.*would overwrite/,
    ],
    [
      'a constraint added in Unleash mid-walk',
      env(true, [
        ours('5', { constraints: [{ contextName: 'region', operator: 'IN', values: ['eu'] }] }),
      ]),
      /constraints \[region IN \[eu\]\].*changed in Unleash.*would overwrite/,
    ],
    [
      'group id changed in Unleash mid-walk',
      env(true, [ours('5', { parameters: { rollout: '5', stickiness: 'userId', groupId: 'g' } })]),
      /group id g.*changed in Unleash.*would overwrite/,
    ],
  ])(
    'mid-walk, raising refuses rather than undo an edit made in Unleash: %s',
    (_what, e, message) => {
      const plan = planUnleashWrite(unleashFlagState(e, 'r'), w(50), cfg)
      expect(plan).toEqual({ refused: expect.stringMatching(message) })
      // Going back to 0 is never refused: it only lowers the rollout.
      expect(planUnleashWrite(unleashFlagState(e, 'r'), w(0), cfg)).toEqual({
        create: false,
        patch: [rollout('0')],
        enable: false,
      })
    },
  )

  test('a plan never disables a strategy or the environment', () => {
    for (const e of [env(true, [ours('50')]), env(true, [ours('50'), other]), env(false, [])])
      for (const green of [0, 1, 50, 100]) {
        const plan = planUnleashWrite(unleashFlagState(e, 'r'), w(green), cfg)
        if ('refused' in plan) continue
        expect(plan.patch.filter((p) => p.path === '/disabled' && p.value !== false)).toEqual([])
      }
  })
})

describe('what the client API must serve', () => {
  test.each([
    ['on with our rollout', true, [ours('25')], 'on, rollout 25'],
    ['off in the environment', false, [ours('25')], 'off'],
    [
      'our strategy disabled (not served)',
      true,
      [ours('25', { disabled: true })],
      'on, rollout none',
    ],
    ['beside another strategy', true, [other, ours('0')], 'on, rollout 0'],
    [
      'another group id is not ours',
      true,
      [ours('5', { parameters: { rollout: '5', groupId: 'another' } })],
      'on, rollout none',
    ],
  ])('%s', (_what, enabled, strategies, shape) => {
    expect(servedShape(enabled as boolean, strategies as AdminStrategy[], 'f')).toBe(shape)
  })
})

describe('deadlines', () => {
  let server: Server
  let url: string
  beforeAll(async () => {
    // Answers with headers at once, then one byte of body every 300 ms, forever.
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      const timer = setInterval(() => res.write(' '), 300)
      res.on('close', () => clearInterval(timer))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })

  test('an Unleash that drips its answer is cut off at the timeout, the whole exchange counted', async () => {
    const router = openRouter(parseRouterConfig({ ...base, url, timeout: '500ms' }))
    const error = (await router.read().catch((e: Error) => e)) as Error
    expect(error.message).toMatch(
      /GET http:\/\/127\.0\.0\.1:\d+\/api\/admin\/projects\/default\/features\/new-checkout: no whole answer within the router's timeout of 500ms/,
    )
    expect(error.message).not.toContain('s3cret')
  })

  test('an Unleash that is not there: the read fails and names the address, never the token', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))
    const router = openRouter(parseRouterConfig({ ...base, url: `http://127.0.0.1:${port}` }))
    const error = (await router.read().catch((e: Error) => e)) as Error
    expect(error.message).toContain(`127.0.0.1:${port}`)
    expect(error.message).toContain('ECONNREFUSED')
    expect(error.message).not.toContain('s3cret')
  })
})

describe('a rollback needs only the flag', () => {
  // A fake admin API (what is under test is which requests a move to 0 depends on): the flag on
  // at rollout 25 with a region constraint whose context field was deleted in Unleash mid-walk.
  let server: Server
  let url: string
  const strategy: AdminStrategy = ours('25', {
    constraints: [
      {
        contextName: 'region',
        operator: 'IN',
        values: ['eu'],
        inverted: false,
        caseInsensitive: false,
      },
    ],
  })
  const requests: string[] = []
  /** Other strategies in the environment (added in Unleash's UI mid-walk). */
  let others: AdminStrategy[] = []
  /** The admin token revoked (or a personal access token expired) mid-walk. */
  let revoked = false
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = ''
      req.on('data', (c: Buffer) => (body += c.toString()))
      req.on('end', () => {
        requests.push(`${req.method} ${req.url}`)
        const json = (status: number, v: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' })
          res.end(JSON.stringify(v))
        }
        if (revoked) return json(401, { message: `Token ${TOKEN} is not valid` })
        const feature = '/api/admin/projects/default/features/new-checkout'
        const s1 = `${feature}/environments/production/strategies/S1`
        if (req.method === 'GET' && req.url === feature)
          return json(200, { environments: [env(true, [strategy, ...others])] })
        if (req.method === 'GET' && req.url === '/api/admin/context')
          return json(200, [{ name: 'userId' }, { name: 'currentTime' }])
        if (req.method === 'GET' && req.url === s1) return json(200, strategy)
        if (req.method === 'PATCH' && req.url === s1) {
          for (const op of JSON.parse(body) as { path: string; value: string }[])
            if (op.path === '/parameters/rollout') strategy.parameters!.rollout = op.value
          return json(200, strategy)
        }
        json(404, { message: 'not here' })
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })

  test('a context field deleted in Unleash mid-walk refuses a raise, never the move back to 0', async () => {
    const router = openRouter(
      parseRouterConfig({
        ...base,
        url,
        constraints: [{ context: 'region', operator: 'IN', values: ['eu'] }],
      }),
    )
    await expect(router.write(w(50))).rejects.toThrow(/no context field "region"/)
    expect(requests.filter((r) => r.startsWith('PATCH'))).toEqual([])
    await router.write(w(0))
    expect(strategy.parameters!.rollout).toBe('0')
    expect(await router.read()).toEqual(w(0))
  })

  test('a rollback beside another enabled strategy says that strategy still exposes its users', async () => {
    strategy.parameters!.rollout = '25'
    others = [other]
    const warnings: string[] = []
    const log = { info: () => {}, warning: (m: string) => warnings.push(m), debug: () => {} }
    const router = openRouter(
      parseRouterConfig({
        ...base,
        url,
        constraints: [{ context: 'region', operator: 'IN', values: ['eu'] }],
      }),
      { log },
    )
    try {
      await router.write(w(0))
    } finally {
      others = []
    }
    expect(strategy.parameters!.rollout).toBe('0')
    expect(warnings.join('\n')).toMatch(
      /1 other enabled strategy in production \(default\) exposes its users whatever cutover's rollout is: rollout 0 does not switch the flag off for them/,
    )
  })

  test('a token revoked mid-walk: the read says what the flag held at its last read, and never shows the token', async () => {
    strategy.parameters!.rollout = '25'
    const router = openRouter(parseRouterConfig({ ...base, url }))
    expect(await router.read()).toEqual(w(25))
    revoked = true
    let error: Error
    try {
      error = (await router.read().catch((e: Error) => e)) as Error
    } finally {
      revoked = false
    }
    expect(error.message).toContain("Unleash refused 'token'")
    expect(error.message).toMatch(
      /what the flag holds now is unknown \(it held blue 75% \/ green 25% at its last read, \d{4}-/,
    )
    expect(error.message).not.toContain('s3cret')
  })
})
