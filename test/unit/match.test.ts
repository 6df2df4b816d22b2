/**
 * The header/cookie phase's pure pieces as tables: the `match` input, HAProxy's regex over the
 * header block (and reading it back), nginx's match file, the HTTPRoute rule and its patch.
 */
import {
  headerBlockRegex,
  parseHeaderBlockRegex,
  parseMatch,
  parseRouterConfigs,
  parseMatchFile,
  parseShowMap,
  renderMatchFile,
  GroupRouter,
  MemoryRouter,
  type Match,
  type MatchRoute,
  type MatchRouting,
} from '../../packages/router/index.js'
import {
  headerMatchFor,
  matchPatch,
  routeMatch,
  routeState,
  type HttpRoute,
  type RouteRule,
} from '../../packages/router/kubernetes-state.js'

test.each([
  ['header: x-canary=1', { kind: 'header', name: 'x-canary', value: '1' }],
  ['header:X-Beta = on please', { kind: 'header', name: 'X-Beta', value: 'on please' }],
  ['cookie: canary=always', { kind: 'cookie', name: 'canary', value: 'always' }],
  ['  cookie : seg=eu-west.1 ', { kind: 'cookie', name: 'seg', value: 'eu-west.1' }],
])('match input %j parses', (text, expected) => {
  expect(parseMatch('match', text)).toEqual(expected)
})

test.each([
  ['x-canary=1', "allowed: 'header: <name>=<value>'"],
  ['header: x-canary', "allowed: 'header: <name>=<value>'"],
  ['header: x@y=1', 'the header name "x@y" is not allowed'],
  ['header: =1', 'the header name "" is not allowed'],
  ['header: x-canary=', 'the header value "" is not allowed'],
  ['header: x-canary=caf\u00e9', 'the header value "café" is not allowed'],
  ['cookie: canary=a b', 'the cookie value "a b" is not allowed'],
  ['cookie: canary=a;b', 'the cookie value "a;b" is not allowed'],
  ['cookie: canary="x"', 'the cookie value "\\"x\\"" is not allowed'],
])('match input %j is refused naming the input, the value and what is allowed', (text, said) => {
  expect(() => parseMatch('match', text)).toThrow(`Input 'match' has the value`)
  expect(() => parseMatch('match', text)).toThrow(said)
})

const matches: Match[] = [
  { kind: 'header', name: 'x-canary', value: '1' },
  { kind: 'header', name: 'X-Beta', value: 'on; please \\ "x"' },
  { kind: 'cookie', name: 'canary', value: 'always' },
  { kind: 'cookie', name: 'seg', value: 'eu-west.1' },
]

test.each(matches)('HAProxy regex for %j reads back, and has no space, ; or #', (m) => {
  const regex = headerBlockRegex(m)
  expect(regex).not.toMatch(/[\s;#]/)
  expect(parseHeaderBlockRegex(regex)).toEqual(m)
})

test('the HAProxy regex, as PCRE-like JS, finds exactly the header or cookie in a header block', () => {
  // JS RegExp has no POSIX classes: translate them to test the shape (HAProxy runs PCRE2).
  const js = (m: Match) =>
    new RegExp(
      headerBlockRegex(m)
        .replace(/\[\[:cntrl:\]\]/g, '[\\x00-\\x1f]')
        .replace(/\[\^\[:cntrl:\]\]/g, '[^\\x00-\\x1f]')
        .replace(/\[\[:blank:\]\]/g, '[ \\t]')
        .replace(/\(\?i:([^)]*)\)/g, '(?:$1)'),
      'i',
    )
  const block = (...lines: string[]) => `${lines.map((l) => `${l}\r\n`).join('')}\r\n`
  const header = js(matches[0] as Match)
  expect(header.test(block('host: a', 'x-canary: 1'))).toBe(true)
  expect(header.test(block('x-canary: 12'))).toBe(false)
  expect(header.test(block('y-x-canary: 1'))).toBe(false)
  const cookie = js(matches[2] as Match)
  expect(cookie.test(block('cookie: canary=always'))).toBe(true)
  expect(cookie.test(block('cookie: a=b; canary=always; c=d'))).toBe(true)
  expect(cookie.test(block('cookie: xcanary=always'))).toBe(false)
  expect(cookie.test(block('cookie: canary=alwaysx'))).toBe(false)
  expect(cookie.test(block('x-cookie: canary=always'))).toBe(false)
})

test.each([
  ['', []],
  ['0x55 a b\n', [{ key: 'a', value: 'b' }]],
  [
    '0x1 a b\n0x2 c d\n',
    [
      { key: 'a', value: 'b' },
      { key: 'c', value: 'd' },
    ],
  ],
  ['Unknown map identifier. Please use #<id> or <file>.\n', undefined],
])('show map answer %j', (reply, expected) => {
  expect(parseShowMap(reply)).toEqual(expected)
})

const nginx = {
  upstream: 'web',
  slots: { blue: ['10.0.0.1:80'], green: ['10.0.0.2:80', '10.0.0.3:80'] },
}
test.each([null, ...matches.map((m) => ({ ...m, slot: 'green' as const }))])(
  'nginx match file for %j reads back',
  (route) => {
    expect(parseMatchFile(renderMatchFile(nginx, route), nginx)).toEqual(route)
  },
)

test('nginx match file: the map, the slot upstream, and a hand edit is not ours', () => {
  const text = renderMatchFile(nginx, {
    kind: 'header',
    name: 'X-Canary',
    value: '1',
    slot: 'green',
  })
  expect(text).toContain(
    'upstream cutover_web_green {\n  server 10.0.0.2:80;\n  server 10.0.0.3:80;\n}',
  )
  expect(text).toContain(
    'map $http_x_canary $cutover_web {\n  "~^1$" cutover_web_green;\n  default web;\n}',
  )
  expect(renderMatchFile(nginx, null)).toContain('map "" $cutover_web {\n  default web;\n}')
  expect(parseMatchFile(text.replace('default web', 'default other'), nginx)).toBeUndefined()
  expect(parseMatchFile('map "" $cutover_web { default web; }\n', nginx)).toBeUndefined()
})

const targets = {
  blue: { deployment: 'orders-blue', service: 'orders-blue' },
  green: { deployment: 'orders-green', service: 'orders-green' },
}
const route = (extra: RouteRule[] = []): HttpRoute => ({
  metadata: { name: 'orders', namespace: 'shop', resourceVersion: '7' },
  spec: {
    rules: [
      {
        matches: [{ path: { type: 'PathPrefix', value: '/' } }],
        backendRefs: [
          { name: 'orders-blue', port: 80, weight: 100 },
          { name: 'orders-green', port: 80, weight: 0 },
        ],
      },
      ...extra,
    ],
  },
})

test('HTTPRoute: a header rule is added, read back, replaced and removed by JSON patches pinned to the resourceVersion', () => {
  const r = route()
  expect(routeMatch(r, targets)).toBeNull()
  const next = { kind: 'cookie' as const, name: 'canary', value: 'always', slot: 'green' as const }
  const add = matchPatch(r, routeState(r, targets), targets, [], next, '7')
  expect(add).toEqual([
    {
      op: 'add',
      path: '/spec/rules/-',
      value: {
        matches: [{ path: { type: 'PathPrefix', value: '/' }, headers: [headerMatchFor(next)] }],
        backendRefs: [{ name: 'orders-green', port: 80 }],
      },
    },
    { op: 'replace', path: '/metadata/resourceVersion', value: '7' },
  ])
  const withRule = route([(add[0] as { value: RouteRule }).value])
  expect(routeMatch(withRule, targets)).toEqual({ route: next, rules: [1] })
  expect(routeState(withRule, targets).weights).toEqual({ blue: 100, green: 0 })
  const clear = matchPatch(withRule, routeState(withRule, targets), targets, [1], null, '8')
  expect(clear).toEqual([
    { op: 'test', path: '/spec/rules/1', value: withRule.spec.rules?.[1] },
    { op: 'remove', path: '/spec/rules/1' },
    { op: 'replace', path: '/metadata/resourceVersion', value: '8' },
  ])
})

test('HTTPRoute: a rule of someone else (two backends, no header) is not taken for ours', () => {
  const r = route([
    {
      matches: [{ path: { type: 'PathPrefix', value: '/api' } }],
      backendRefs: [{ name: 'orders-green', port: 80 }],
    },
    {
      matches: [{ headers: [{ type: 'Exact', name: 'x-canary', value: '1' }] }],
      backendRefs: [{ name: 'other', port: 80 }],
    },
  ])
  expect(routeMatch(r, targets)).toBeNull()
})

test.each([
  [
    { 'match-map': 'web.map' },
    '\'match-map\' is "web.map"; allowed: the absolute path of the map file',
  ],
  [
    { 'match-map': '/m.map', 'match-backends': { blue: 'a b' } },
    '\'match-backends.blue\' is "a b"; allowed: a backend name',
  ],
  [
    { 'match-map': '/m.map', 'match-backends': { red: 'x' } },
    '\'match-backends\' has unknown key "red"; allowed: blue, green.',
  ],
])('HAProxy match config %j is refused', (extra, said) => {
  expect(() =>
    parseRouterConfigs({
      type: 'haproxy',
      address: '127.0.0.1:9999',
      backend: 'web',
      slots: { blue: 'a', green: 'b' },
      ...extra,
    }),
  ).toThrow(said)
})

test('match config: HAProxy backends default to <backend>-<slot>; nginx match-file needs a local nginx', () => {
  const [haproxy] = parseRouterConfigs({
    type: 'haproxy',
    address: '127.0.0.1:9999',
    backend: 'web',
    slots: { blue: 'a', green: 'b' },
    'match-map': '/m.map',
  })
  expect(haproxy).toMatchObject({
    match: { map: '/m.map', backends: { blue: 'web-blue', green: 'web-green' } },
  })
  expect(() =>
    parseRouterConfigs({
      type: 'nginx',
      upstream: 'web',
      slots: { blue: '10.0.0.1:80', green: '10.0.0.2:80' },
      read: ['cat', 'f'],
      write: ['tee', 'f'],
      workers: ['ps'],
      test: [],
      reload: ['true'],
      'match-file': '/m.conf',
    }),
  ).toThrow("'match-file' needs a local nginx ('upstream-file')")
})

describe('GroupRouter match', () => {
  const member = (name: string, fail?: { read?: boolean; write?: boolean }) => {
    let held: MatchRoute | null = null
    const writes: (MatchRoute | null)[] = []
    const match: MatchRouting = {
      read: async () => {
        if (fail?.read) throw new Error(`${name} down`)
        return held
      },
      write: async (route) => {
        writes.push(route)
        if (fail?.write) throw new Error(`${name} refused`)
        held = route
      },
    }
    return {
      router: Object.assign(new MemoryRouter({ name }), { match }),
      writes,
      held: () => held,
    }
  }
  const route: MatchRoute = { kind: 'header', name: 'x-canary', value: '1', slot: 'green' }

  test('is absent when one member cannot match', () => {
    expect(new GroupRouter([member('a').router, new MemoryRouter({ name: 'b' })]).match).toBe(
      undefined,
    )
  })

  test('sets on all; one refusing puts every member back', async () => {
    const [a, b] = [member('a'), member('b')]
    await new GroupRouter([a.router, b.router]).match!.write(route)
    expect([a.held(), b.held()]).toEqual([route, route])
    const [c, d] = [member('c'), member('d', { write: true })]
    await expect(new GroupRouter([c.router, d.router]).match!.write(route)).rejects.toThrow(
      'every router was put back to no match',
    )
    expect(c.held()).toBeNull()
    expect(c.writes).toEqual([route, null])
  })

  test('clearing goes ahead on the members that answer and names the others', async () => {
    const [a, b] = [member('a'), member('b', { write: true })]
    await a.router.match.write(route)
    await expect(new GroupRouter([a.router, b.router]).match!.write(null)).rejects.toThrow(
      'the header/cookie match was cleared on 1 of 2 routers; not on: memory router b (b refused)',
    )
    expect(a.held()).toBeNull()
  })

  test('members that disagree are refused on read', async () => {
    const [a, b] = [member('a'), member('b')]
    await a.router.match.write(route)
    await expect(new GroupRouter([a.router, b.router]).match!.read()).rejects.toThrow(
      'the routers disagree on the header/cookie match: memory router a: header x-canary=1 -> green; memory router b: no match',
    )
  })
})
