/**
 * `router-credentials`: a router's secrets given apart from its YAML (so a reusable workflow can
 * pass them from a secret), masked before parsing and merged into the router config(s).
 */
import {
  parseRouterConfigs,
  parseRouterCredentials,
  routerSecrets,
  withCredentials,
} from '../../packages/router/index.js'

const ADMIN = 'user:admin-token-0123456789abcdef'
const CLIENT = 'default:production.client-0123456789'
const API_KEY = 'pdns-api-key-0123456789'
const TSIG = Buffer.alloc(32, 7).toString('base64')

const unleash = (extra: Record<string, unknown> = {}) => ({
  type: 'unleash',
  url: 'https://unleash.example.com',
  environment: 'production',
  flag: 'new-checkout',
  ...extra,
})
const pdns = (extra: Record<string, unknown> = {}) => ({
  type: 'dns',
  provider: 'powerdns',
  zone: 'example.com',
  record: 'app.example.com',
  slots: { blue: '192.0.2.1', green: '192.0.2.2' },
  servers: ['192.0.2.53:53'],
  'api-url': 'http://127.0.0.1:8081',
  ...extra,
})
const rfc = (extra: Record<string, unknown> = {}) => ({
  type: 'dns',
  provider: 'rfc2136',
  zone: 'example.com',
  record: 'app.example.com',
  slots: { blue: '192.0.2.1', green: '192.0.2.2' },
  servers: ['192.0.2.53'],
  'tsig-key-name': 'cutover-key',
  ...extra,
})
const haproxy = {
  type: 'haproxy',
  address: '127.0.0.1:9999',
  backend: 'web',
  slots: { blue: 'web-blue', green: 'web-green' },
}

describe('withCredentials merges the secrets into every router that takes them', () => {
  test.each<[string, unknown, Record<string, string>, unknown]>([
    [
      'unleash: both tokens',
      unleash(),
      { token: ADMIN, 'client-token': CLIENT },
      unleash({ token: ADMIN, 'client-token': CLIENT }),
    ],
    ['unleash: the admin token only', unleash(), { token: ADMIN }, unleash({ token: ADMIN })],
    [
      'unleash with services',
      unleash({ services: ['orders'] }),
      { token: ADMIN },
      unleash({ services: ['orders'], token: ADMIN }),
    ],
    ['powerdns: api-key', pdns(), { 'api-key': API_KEY }, pdns({ 'api-key': API_KEY })],
    ['rfc2136: tsig-secret', rfc(), { 'tsig-secret': TSIG }, rfc({ 'tsig-secret': TSIG })],
    [
      'a list of two unleash routers: both get the tokens',
      [unleash(), unleash({ environment: 'eu' })],
      { token: ADMIN },
      [unleash({ token: ADMIN }), unleash({ environment: 'eu', token: ADMIN })],
    ],
    [
      'a dns list mixing providers: each key to the routers whose provider takes it',
      [pdns(), rfc()],
      { 'api-key': API_KEY, 'tsig-secret': TSIG },
      [pdns({ 'api-key': API_KEY }), rfc({ 'tsig-secret': TSIG })],
    ],
    [
      'no credentials: the value as it is',
      unleash({ token: ADMIN }),
      {},
      unleash({ token: ADMIN }),
    ],
    ['not a mapping: left to the router parser', 'unleash', { token: ADMIN }, 'unleash'],
  ])('%s', (_, raw, credentials, expected) => {
    const before = JSON.stringify(raw)
    expect(withCredentials(raw, credentials)).toEqual(expected)
    expect(JSON.stringify(raw)).toBe(before) // pure: the given value is not changed
  })

  test('the merged config parses, and its secrets are those routerSecrets masks', () => {
    const configs = parseRouterConfigs(
      withCredentials(unleash(), { token: ADMIN, 'client-token': CLIENT }),
    )
    expect(configs[0]).toMatchObject({ type: 'unleash', token: ADMIN, clientToken: CLIENT })
    expect(routerSecrets(configs).sort()).toEqual([ADMIN, CLIENT].sort())
  })

  test.each<[string, unknown, Record<string, string>, RegExp]>([
    [
      'a key unleash does not take',
      unleash(),
      { 'api-key': API_KEY },
      /^Input 'router-credentials' has the key "api-key", which the router of input 'router' \(type unleash\) takes as a secret; allowed: token, client-token\./,
    ],
    [
      'a key a router without secrets is given',
      haproxy,
      { token: ADMIN },
      /^Input 'router-credentials' has the key "token", .*\(type haproxy\).*allowed: nothing \(only unleash and dns routers take secrets\)/,
    ],
    [
      'a dns key the provider does not take',
      pdns(),
      { 'tsig-secret': TSIG },
      /^Input 'router-credentials' has the key "tsig-secret", .*\(type dns\).*allowed: api-key\./,
    ],
    [
      'a key no router of a list takes',
      [unleash(), unleash({ environment: 'eu' })],
      { 'api-key': API_KEY },
      /no router of input 'router' \(type unleash\)/,
    ],
    [
      'a key the router YAML sets too',
      unleash({ token: 'in-the-yaml-0123456789' }),
      { token: ADMIN },
      /^Input 'router-credentials' has the key "token", which input 'router' sets too \('router\.token'\); give each secret in one place/,
    ],
    [
      'a key one router of a list sets too',
      [unleash(), unleash({ environment: 'eu', token: 'in-the-yaml-0123456789' })],
      { token: ADMIN },
      /sets too \('router\[1\]\.token'\)/,
    ],
  ])('refused: %s, naming the input and the key, never a value', (_, raw, credentials, message) => {
    let error: Error | undefined
    try {
      withCredentials(raw, credentials)
    } catch (e) {
      error = e as Error
    }
    expect(error?.name).toBe('ConfigurationError')
    expect(error?.message).toMatch(message)
    for (const value of [...Object.values(credentials), 'in-the-yaml-0123456789'])
      expect(error?.message).not.toContain(value)
  })
})

describe('parseRouterCredentials masks every line and value before it parses or refuses', () => {
  const parse = (raw: string) => {
    const masked: string[] = []
    let result: unknown
    let error: Error | undefined
    try {
      result = parseRouterCredentials(raw, (v) => masked.push(v))
    } catch (e) {
      error = e as Error
    }
    return { masked, result, error }
  }

  test("a quoted Unleash token ('*:…'): masked without its quotes", () => {
    const { masked, result } = parse("token: '*:*.0123456789abcdef'")
    expect(result).toEqual({ token: '*:*.0123456789abcdef' })
    expect(masked).toContain('*:*.0123456789abcdef')
  })

  test('a mapping of keys: each value masked, returned trimmed', () => {
    const { masked, result } = parse(`token: ${ADMIN}\nclient-token: "${CLIENT}"\n`)
    expect(result).toEqual({ token: ADMIN, 'client-token': CLIENT })
    expect(masked).toEqual(expect.arrayContaining([ADMIN, CLIENT]))
  })

  test('empty: no credentials', () => {
    expect(parse('  \n').result).toBeUndefined()
  })

  test.each<[string, string, string, RegExp]>([
    [
      'not YAML',
      `token: [${ADMIN}`,
      ADMIN,
      /^Input 'router-credentials': the value is not valid YAML/,
    ],
    [
      'an unquoted Unleash token (a YAML alias)',
      'token: *:*.0123456789abcdef',
      '*:*.0123456789abcdef',
      /not valid YAML: unidentified alias .*Quote a value that starts with \*.*Unleash's tokens start with \*/,
    ],
    [
      'a list',
      `- ${ADMIN}`,
      ADMIN,
      /is a list; allowed: a YAML mapping of the router's secret keys/,
    ],
    ['one string', ADMIN, ADMIN, /is a single string; allowed:/],
    [
      'an unknown key',
      `password: ${ADMIN}`,
      ADMIN,
      /has the key "password", which no router type takes as a secret; allowed: token, client-token \(unleash\); api-key, tsig-secret \(dns\)/,
    ],
    ['an empty value', 'token:', 'token', /"token" is empty/],
    [
      'a value that is not a string',
      `token: [${ADMIN}]`,
      ADMIN,
      /"token" is not a string \(a list\)/,
    ],
  ])(
    'refused: %s, with the value masked first and never in the message',
    (_, raw, secret, message) => {
      const { masked, error } = parse(raw)
      expect(error?.name).toBe('ConfigurationError')
      expect(error?.message).toMatch(message)
      if (secret !== 'token') {
        expect(masked.some((m) => m.includes(secret))).toBe(true)
        expect(error?.message).not.toContain(secret)
      }
    },
  )
})
