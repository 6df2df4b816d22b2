/**
 * The dns router's pure parts: config parsing (every refusal names field, value and what is
 * allowed), the records a target needs, weights read from LUA content and answers, and the wire
 * format (names, addresses, UPDATE, the TSIG MAC checked against an independent computation).
 */
import { createHmac } from 'node:crypto'
import {
  desiredRecords,
  luaWeights,
  parseRouterConfig,
  parseRouterConfigs,
  routerSecrets,
  slotAnswered,
  splitAnswer,
  splitRefusal,
  type DnsConfig,
  type Observed,
} from '../../packages/router/index.js'
import {
  decodeResponse,
  encodeName,
  encodeQuery,
  encodeUpdate,
  normalAddress,
  signTsig,
  verifyTsig,
  type TsigKey,
} from '../../packages/router/dns-wire.js'

const SECRET = Buffer.alloc(32, 1).toString('base64')
const pdns = {
  type: 'dns',
  provider: 'powerdns',
  zone: 'example.com',
  record: 'app.example.com',
  slots: { blue: '192.0.2.1', green: ['192.0.2.2', '2001:DB8::2'] },
  servers: ['192.0.2.53:53'],
  'api-url': 'http://127.0.0.1:8081',
  'api-key': 'k3y-s3cret-value',
}
const rfc = {
  type: 'dns',
  provider: 'rfc2136',
  zone: 'example.com.',
  record: 'APP.example.com.',
  slots: { blue: 'blue.example.net', green: 'green.example.net' },
  servers: ['192.0.2.53', '[2001:db8::53]:5353'],
  'tsig-key-name': 'cutover-key',
  'tsig-secret': SECRET,
}
const parse = (over: object, base: object = pdns) =>
  parseRouterConfig({ ...base, ...over }) as DnsConfig

describe('config', () => {
  test('defaults and normal forms', () => {
    const c = parse({})
    expect(c).toMatchObject({
      name: 'dns app.example.com',
      ttl: 60,
      timeout: 5000,
      propagationTimeout: 30_000,
      waitTtl: false,
      slots: { blue: ['192.0.2.1'], green: ['192.0.2.2', '2001:db8::2'] },
      targets: { green: { kind: 'addresses', a: ['192.0.2.2'], aaaa: ['2001:db8::2'] } },
      servers: [{ host: '192.0.2.53', port: 53, label: '192.0.2.53:53' }],
      api: { url: 'http://127.0.0.1:8081', key: 'k3y-s3cret-value', serverId: 'localhost' },
    })
    const r = parse({ 'wait-ttl': 'true', ttl: '300' }, rfc)
    expect(r).toMatchObject({
      zone: 'example.com',
      record: 'app.example.com',
      ttl: 300,
      waitTtl: true,
      targets: { blue: { kind: 'cname', target: 'blue.example.net' } },
      servers: [
        { label: '192.0.2.53:53' },
        { host: '2001:db8::53', port: 5353, label: '[2001:db8::53]:5353' },
      ],
      update: {
        server: { label: '192.0.2.53:53' },
        keyName: 'cutover-key',
        algorithm: 'hmac-sha256',
      },
    })
    expect(routerSecrets([c, r])).toEqual(['k3y-s3cret-value', SECRET])
  })

  test.each([
    [
      'record outside the zone',
      { record: 'app.example.org' },
      pdns,
      `'record' is "app.example.org", outside zone "example.com"; allowed: example.com or a name ending in .example.com.`,
    ],
    ['a look-alike zone suffix', { record: 'app.notexample.com' }, pdns, 'outside zone'],
    [
      'TTL 0',
      { ttl: 0 },
      pdns,
      "'ttl' is number 0; allowed: whole seconds from 1 to 86400 (a day).",
    ],
    ['TTL above a day', { ttl: 86_401 }, pdns, "'ttl' is number 86401"],
    ['TTL not whole', { ttl: '1.5' }, pdns, `'ttl' is "1.5"`],
    [
      'a server by name',
      { servers: ['ns1.example.com:53'] },
      pdns,
      `'servers[0]' is "ns1.example.com:53"; allowed: an authoritative server's IP address and port`,
    ],
    ['a server port out of range', { servers: ['192.0.2.53:70000'] }, pdns, "'servers[0]'"],
    [
      'a server twice',
      { servers: ['192.0.2.53', '192.0.2.53:53'] },
      pdns,
      "'servers' lists 192.0.2.53:53 twice",
    ],
    ['no servers', { servers: [] }, pdns, "'servers' is required"],
    [
      'a bad IPv4 address',
      { slots: { blue: '192.0.2.256', green: '192.0.2.2' } },
      pdns,
      `'slots.blue' is "192.0.2.256", not an IPv4 address`,
    ],
    [
      'a bad IPv6 address',
      { slots: { blue: '2001:db8:::1', green: '192.0.2.2' } },
      pdns,
      'not an IPv6 address',
    ],
    [
      'a CNAME plus addresses',
      { slots: { blue: ['192.0.2.1', 'x.example.net'], green: '192.0.2.2' } },
      pdns,
      'mixes a CNAME target with addresses',
    ],
    [
      'two CNAMEs',
      { slots: { blue: ['x.example.net', 'y.example.net'], green: '192.0.2.2' } },
      pdns,
      'mixes several CNAME targets',
    ],
    [
      'the same address in both slots',
      { slots: { blue: '192.0.2.1', green: ['192.0.2.1'] } },
      pdns,
      'the two slots must differ',
    ],
    [
      'an address twice',
      { slots: { blue: ['192.0.2.1', '192.0.2.1'], green: '192.0.2.2' } },
      pdns,
      'lists an address twice',
    ],
    [
      'a CNAME at the apex',
      { record: 'example.com', slots: { blue: 'x.example.net', green: '192.0.2.2' } },
      pdns,
      'cannot hold a CNAME',
    ],
    [
      'an unknown slot',
      { slots: { blue: '192.0.2.1', green: '192.0.2.2', red: '192.0.2.3' } },
      pdns,
      'has unknown key "red"',
    ],
    [
      'an unknown provider',
      { provider: 'route53' },
      pdns,
      `'provider' is "route53"; allowed: powerdns, rfc2136.`,
    ],
    ['an unknown key', { backend: 'web' }, pdns, 'unknown key "backend" for type dns'],
    [
      'a TSIG key on pdns',
      { 'tsig-secret': SECRET },
      pdns,
      "'tsig-secret' is for provider rfc2136, not powerdns",
    ],
    ['no API key', { 'api-key': undefined }, pdns, "'api-key' is required for provider powerdns"],
    ['a bad API URL', { 'api-url': 'ftp://x' }, pdns, `'api-url' is "ftp://x"`],
    [
      'an API key on rfc2136',
      { 'api-key': 'abcdefgh' },
      rfc,
      "'api-key' is for provider powerdns, not rfc2136",
    ],
    [
      'another TSIG algorithm',
      { 'tsig-algorithm': 'hmac-md5' },
      rfc,
      `'tsig-algorithm' is "hmac-md5"; allowed: hmac-sha256`,
    ],
    [
      'a short TSIG secret',
      { 'tsig-secret': 'c2hvcnQ=' },
      rfc,
      "'tsig-secret' is not a base64 secret of at least 16 bytes (its value is not shown)",
    ],
    [
      'an update server by name',
      { server: 'primary.example.com' },
      rfc,
      `'server' is "primary.example.com"`,
    ],
    [
      'wait-ttl not a boolean',
      { 'wait-ttl': 'yes' },
      pdns,
      `'wait-ttl' is "yes"; allowed: true or false.`,
    ],
    [
      'a propagation-timeout too short',
      { 'propagation-timeout': '10ms' },
      pdns,
      "'propagation-timeout'",
    ],
  ])('%s is refused', (_what, over, base, message) => {
    expect(() => parse(over, base)).toThrow(message)
  })

  test('a secret never appears in a refusal', () => {
    const bad = 'not base64 but secret!!'
    let message = ''
    try {
      parse({ 'tsig-secret': bad }, rfc)
    } catch (e) {
      message = (e as Error).message
    }
    expect(message).toContain("'tsig-secret'")
    expect(message).not.toContain(bad)
  })

  test('a list names the entry; the same record twice through one server is refused', () => {
    expect(() => parseRouterConfigs([pdns, { ...pdns, ttl: 0 }])).toThrow(
      "'router[1].ttl' is number 0",
    )
    expect(() => parseRouterConfigs([pdns, { ...pdns, name: 'again' }])).toThrow(
      'is the same router as',
    )
  })
})

describe('records and weights', () => {
  const t = parse({ slots: { blue: ['192.0.2.1', '192.0.2.3'], green: '192.0.2.2' } }).targets
  test.each([
    [
      { blue: 100, green: 0 },
      { A: ['192.0.2.1', '192.0.2.3'], AAAA: [], CNAME: [], LUA: [] },
    ],
    [
      { blue: 0, green: 100 },
      { A: ['192.0.2.2'], AAAA: [], CNAME: [], LUA: [] },
    ],
    // Two blue addresses share blue's 90: 45 each, and green's one gets 10.
    [
      { blue: 90, green: 10 },
      {
        A: [],
        AAAA: [],
        CNAME: [],
        LUA: [`A "pickwrandom({{45,'192.0.2.1'},{45,'192.0.2.3'},{10,'192.0.2.2'}})"`],
      },
    ],
    [
      { blue: 99, green: 1 },
      {
        A: [],
        AAAA: [],
        CNAME: [],
        LUA: [`A "pickwrandom({{99,'192.0.2.1'},{99,'192.0.2.3'},{2,'192.0.2.2'}})"`],
      },
    ],
  ])('%j -> %j, read back as the same weights', (target, records) => {
    expect(desiredRecords(t, target)).toEqual(records)
    if (records.LUA.length) expect(luaWeights(records.LUA, t)).toEqual(target)
  })

  test('CNAME slots and mismatched families cannot split', () => {
    const cname = parse({}, rfc).targets
    expect(desiredRecords(cname, { blue: 0, green: 100 })).toMatchObject({
      CNAME: ['green.example.net.'],
    })
    expect(splitRefusal(cname)).toContain('a CNAME slot cannot be split')
    expect(() => desiredRecords(cname, { blue: 50, green: 50 })).toThrow('CNAME')
    expect(splitRefusal(parse({}).targets)).toContain('different address families')
    expect(luaWeights([`A "pickwrandom({{1,'198.51.100.9'}})"`], t)).toBeUndefined()
    expect(luaWeights(['A "ifportup(443, {\'192.0.2.1\'})"'], t)).toBeUndefined()
  })

  const o = (a: string[], extra: Partial<Observed> = {}): Observed => ({
    rcode: 'NOERROR',
    a,
    aaaa: [],
    ...extra,
  })
  test.each([
    [o(['192.0.2.3', '192.0.2.1']), 'blue', undefined],
    [o(['192.0.2.2']), 'green', ['green']],
    [o(['192.0.2.1']), undefined, ['blue']],
    [o(['192.0.2.1', '192.0.2.2']), undefined, undefined],
    [o(['198.51.100.1']), undefined, undefined],
    [o([], { rcode: 'SERVFAIL' }), undefined, undefined],
    [o([]), undefined, undefined],
  ])('answer %j: slot %s, split draw %j', (observed, slot, draw) => {
    expect(slotAnswered(observed, t)).toBe(slot)
    expect(splitAnswer(observed, t)).toEqual(draw)
  })
})

describe('wire format', () => {
  test('names and addresses', () => {
    expect(encodeName('App.Example.com.').toString('hex')).toBe(
      '03617070076578616d706c6503636f6d00',
    )
    expect(() => encodeName(`${'a'.repeat(64)}.com`)).toThrow('label')
    expect(normalAddress('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1')
    expect(normalAddress('::ffff:192.0.2.1')).toBe('::ffff:c000:201')
  })

  test('a query and an answer round-trip through the decoder (compression pointer)', () => {
    const q = encodeQuery(0x1234, 'app.example.com', 1)
    // Answer: same question; one A record whose owner is a pointer to offset 12.
    const answer = Buffer.concat([
      Buffer.from([0x12, 0x34, 0x84, 0x00, 0, 1, 0, 1, 0, 0, 0, 0]),
      q.subarray(12),
      Buffer.from([0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 30, 0, 4, 192, 0, 2, 7]),
    ])
    expect(decodeResponse(answer)).toEqual({
      id: 0x1234,
      rcode: 0,
      authoritative: true,
      truncated: false,
      answers: [{ name: 'app.example.com', type: 1, ttl: 30, data: '192.0.2.7' }],
    })
  })

  test('UPDATE and its TSIG: the MAC is HMAC-SHA256 over message + TSIG variables (RFC 8945 §4.3.3)', () => {
    const key: TsigKey = {
      name: 'cutover-key',
      algorithm: 'hmac-sha256',
      secret: Buffer.alloc(32, 1),
    }
    const update = encodeUpdate(
      7,
      'example.com',
      'app.example.com',
      ['A'],
      [{ type: 'A', value: '192.0.2.2' }],
      60,
    )
    expect(update.readUInt16BE(2) >> 11).toBe(5) // opcode UPDATE
    expect([4, 6, 8, 10].map((o) => update.readUInt16BE(o))).toEqual([1, 0, 2, 0])
    const { signed, mac } = signTsig(update, key, 1_700_000_000)
    expect(signed.readUInt16BE(10)).toBe(1)
    const variables = Buffer.concat([
      encodeName('cutover-key'),
      Buffer.from([0, 255, 0, 0, 0, 0]),
      encodeName('hmac-sha256'),
      Buffer.from([0, 0, 0x65, 0x53, 0xf1, 0x00, 1, 0x2c, 0, 0, 0, 0]),
    ])
    expect(mac).toEqual(createHmac('sha256', key.secret).update(update).update(variables).digest())
    // A response signed the same way verifies; one byte changed does not.
    const response = Buffer.from(update)
    response.writeUInt16BE(0xa800, 2)
    const respVars = variables
    const respMac = createHmac('sha256', key.secret)
      .update(Buffer.from([0, 32]))
      .update(mac)
      .update(response)
      .update(respVars)
      .digest()
    const tsigRr = signTsig(response, key, 1_700_000_000).signed.subarray(response.length)
    const signedResponse = Buffer.concat([response, tsigRr])
    respMac.copy(signedResponse, signedResponse.length - 6 - 32)
    signedResponse.writeUInt16BE(1, 10)
    expect(verifyTsig(signedResponse, decodeResponse(signedResponse), key, mac)).toBe(true)
    // A letter of the zone name, not a length byte: the message still parses.
    signedResponse[14] = signedResponse[14]! ^ 1
    expect(verifyTsig(signedResponse, decodeResponse(signedResponse), key, mac)).toBe(false)
  })
})
