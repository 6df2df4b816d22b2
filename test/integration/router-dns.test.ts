/**
 * The dns router through the bundles, against real authoritative servers started here from
 * Debian's packages: PowerDNS (sqlite3 backend, HTTP API, LUA records) and BIND 9 (RFC 2136 with
 * a TSIG key). Every answer is checked with Node's own resolver asking each server directly.
 */
import { Resolver } from 'node:dns/promises'
import { openRouter, parseRouterConfig, type Weights } from '../../packages/router/index.js'
import {
  startBind,
  startKnot,
  startPowerDns,
  type BindInstance,
  type PowerDnsInstance,
} from '../../scripts/sandbox/dns.js'
import { startFakeGitHub } from '../../scripts/sandbox/fake-github.js'
import { freePort } from '../../scripts/sandbox/index.js'
import { runAction as runAs, type RunOptions } from '../harness.js'

const ZONE = 'example.test'
const RECORD = 'app.example.test'
const BLUE = '192.0.2.1'
const GREEN = '192.0.2.2'
const runAction = (action: string, options: RunOptions) =>
  runAs(action, { ...options, inputs: { record: 'false', ...options.inputs } as never })

let pdns: PowerDnsInstance
let bind: BindInstance
let bind2: BindInstance
beforeAll(async () => {
  const spec = { zone: ZONE, record: RECORD, addresses: [BLUE], ttl: 60 }
  ;[pdns, bind, bind2] = await Promise.all([startPowerDns(spec), startBind(spec), startBind(spec)])
}, 60_000)
afterAll(async () => {
  await Promise.all([pdns?.stop(), bind?.stop(), bind2?.stop()])
})

const pdnsRouter = (extra: object = {}) => ({
  type: 'dns',
  provider: 'powerdns',
  zone: ZONE,
  record: RECORD,
  ttl: 30,
  slots: { blue: BLUE, green: [GREEN] },
  servers: [pdns.server],
  'api-url': pdns.apiUrl,
  'api-key': pdns.apiKey,
  ...extra,
})
const bindRouter = (server: BindInstance = bind, extra: object = {}) => ({
  type: 'dns',
  provider: 'rfc2136',
  zone: ZONE,
  record: RECORD,
  ttl: 30,
  slots: { blue: BLUE, green: GREEN },
  servers: [server.server],
  'tsig-key-name': server.keyName,
  'tsig-secret': server.secret,
  ...extra,
})
const weights = (config: object): Promise<Weights> => openRouter(parseRouterConfig(config)).read()

/** A resolver that asks one server only, no cache, one try. */
function resolverFor(server: string): Resolver {
  const r = new Resolver({ timeout: 3000, tries: 1 })
  r.setServers([server])
  return r
}
const answer = async (server: string) =>
  (await resolverFor(server).resolve4(RECORD, { ttl: true })).map((a) => `${a.address}/${a.ttl}`)

beforeEach(async () => {
  await openRouter(parseRouterConfig(pdnsRouter())).write({ blue: 100, green: 0 })
  await openRouter(parseRouterConfig(bindRouter())).write({ blue: 100, green: 0 })
  await openRouter(parseRouterConfig(bindRouter(bind2))).write({ blue: 100, green: 0 })
})

describe('PowerDNS through its HTTP API', () => {
  test('blue-green: the RRset is replaced, the server answers green with the TTL; the API key is masked', async () => {
    const run = await runAction('blue-green-switch', {
      inputs: { router: pdnsRouter(), to: 'green' },
    })
    expect(run.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({ active: 'green', previous: 'blue', switched: 'true' })
    expect(await answer(pdns.server)).toEqual([`${GREEN}/30`])
    expect(run.log).toMatch(
      /every authoritative server \(127\.0\.0\.1:\d+\) answers blue 0% \/ green 100% \d+ ms after the update; the record's TTL is 30 s/,
    )
    expect(run.masks).toContain(pdns.apiKey)
    expect(run.unmasked.stdout.replace(/::add-mask::.*/g, '')).not.toContain(pdns.apiKey)
    expect(run.stderr).not.toContain(pdns.apiKey)
    expect(await weights(pdnsRouter())).toEqual({ blue: 0, green: 100 })
  })

  test('a 10% canary (LUA pickwrandom) gets 10% ± 2 pp of 4,000 answers; read() gives the weights back', async () => {
    const run = await runAction('canary-step', {
      inputs: { router: pdnsRouter(), weight: 10, canary: 'green', interval: '100ms' },
    })
    expect(run.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(run.log).toContain(`LUA A "pickwrandom({{90,'${BLUE}'},{10,'${GREEN}'}})"`)
    expect(await weights(pdnsRouter())).toEqual({ blue: 90, green: 10 })
    // 4,000 draws at p = 0.1: sd = sqrt(4000 × 0.1 × 0.9) = 19 answers (0.47 pp); ±2 pp is
    // ±80 answers, 4.2 sd: a false failure about 3 times in 100,000 runs.
    const resolver = resolverFor(pdns.server)
    // UDP: a datagram lost on a loaded machine is asked again (a draw is a draw; none is skipped).
    const draw = async (): Promise<string[]> => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await resolver.resolve4(RECORD)
        } catch (e) {
          if ((e as { code?: string }).code !== 'ETIMEOUT' || attempt === 3) throw e
        }
      }
    }
    const counts = new Map<string, number>()
    const N = 4000
    for (let i = 0; i < N; i += 10) {
      const batch = await Promise.all([...Array(10)].map(draw))
      for (const [address] of batch) counts.set(address!, (counts.get(address!) ?? 0) + 1)
    }
    expect([...counts.keys()].sort()).toEqual([BLUE, GREEN])
    const green = counts.get(GREEN) ?? 0
    expect(green).toBeGreaterThanOrEqual(N * 0.08)
    expect(green).toBeLessThanOrEqual(N * 0.12)
  })

  test('a zone the server does not have is refused, nothing moves', async () => {
    const run = await runAction('blue-green-switch', {
      inputs: { router: pdnsRouter({ zone: 'other.test', record: 'app.other.test' }), to: 'green' },
    })
    expect(run.exitCode).toBe(1)
    expect(run.errors.join('\n')).toContain(
      'the PowerDNS API (server localhost) has no zone other.test (404 Not Found)',
    )
    expect(await answer(pdns.server)).toEqual([`${BLUE}/30`])
  })
})

test('one of two listed servers never serves the new slot: the update is put back and each server named', async () => {
  // BIND is authoritative for the same zone but never gets pdns's change (no transfer between them).
  const router = pdnsRouter({ servers: [pdns.server, bind.server], 'propagation-timeout': '1s' })
  const run = await runAction('blue-green-switch', { inputs: { router, to: 'green' } })
  expect(run.exitCode).toBe(1)
  const errors = run.errors.join('\n')
  expect(errors).toContain(
    `not every authoritative server served blue 0% / green 100% within 1s (${bind.server} last answered blue (${BLUE}))`,
  )
  expect(errors).toContain(`put the previous records back (A ${BLUE})`)
  expect(errors).toContain(
    `answers now: ${pdns.server} answers blue (${BLUE}); ${bind.server} answers blue (${BLUE})`,
  )
  expect(await answer(pdns.server)).toEqual([`${BLUE}/30`])
})

describe('BIND 9 through RFC 2136 with TSIG', () => {
  test('blue-green: a signed UPDATE, the server answers green; the TSIG secret is masked', async () => {
    const run = await runAction('blue-green-switch', {
      inputs: { router: bindRouter(), to: 'green' },
    })
    expect(run.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(await answer(bind.server)).toEqual([`${GREEN}/30`])
    expect(run.log).toContain(`through RFC 2136 to ${bind.server}`)
    expect(run.masks).toContain(bind.secret)
    expect(run.unmasked.stdout.replace(/::add-mask::.*/g, '')).not.toContain(bind.secret)
  })

  test('wait-ttl: the step waits the longer of the old and the new TTL before it returns', async () => {
    // The record now carries TTL 2 s (on green); the step back to blue sets 1 s and waits 2 s.
    await openRouter(parseRouterConfig(bindRouter(bind, { ttl: 2 }))).write({ blue: 0, green: 100 })
    const run = await runAction('blue-green-switch', {
      inputs: { router: bindRouter(bind, { ttl: 1, 'wait-ttl': true }), to: 'blue' },
    })
    expect(run.errors).toEqual([])
    expect(run.log).toContain(
      "waiting one TTL (2 s, the longer of the old 2 s and the new 1 s) so resolvers' cached answers expired",
    )
    expect(await answer(bind.server)).toEqual([`${BLUE}/1`])
  })

  test('a wrong TSIG secret is refused by the server (BADSIG) and nothing changes', async () => {
    const wrong = Buffer.alloc(32, 7).toString('base64')
    const run = await runAction('blue-green-switch', {
      inputs: { router: bindRouter(bind, { 'tsig-secret': wrong }), to: 'green' },
    })
    expect(run.exitCode).toBe(1)
    expect(run.errors.join('\n')).toContain('NOTAUTH(BADSIG)')
    expect(run.errors.join('\n')).toContain('nothing changed')
    expect(run.errors.join('\n')).toContain(`${bind.server} answers blue (${BLUE})`)
    expect(run.unmasked.stdout.replace(/::add-mask::.*/g, '')).not.toContain(wrong)
    expect(await answer(bind.server)).toEqual([`${BLUE}/30`])
  })

  test('a canary on RFC 2136 is refused before anything moves', async () => {
    const run = await runAction('canary-step', {
      inputs: { router: bindRouter(), weight: 10, canary: 'green' },
    })
    expect(run.exitCode).toBe(1)
    expect(run.errors.join('\n')).toContain('cannot split traffic')
    expect(await answer(bind.server)).toEqual([`${BLUE}/30`])
  })

  test('two servers, the second refuses: the first is put back and the log says where answers stand', async () => {
    const wrong = Buffer.alloc(32, 9).toString('base64')
    const run = await runAction('blue-green-switch', {
      inputs: {
        router: [bindRouter(bind), bindRouter(bind2, { 'tsig-secret': wrong })],
        to: 'green',
      },
    })
    expect(run.exitCode).toBe(1)
    const errors = run.errors.join('\n')
    expect(errors).toContain('NOTAUTH(BADSIG)')
    expect(errors).toMatch(/put back/)
    expect(await answer(bind.server)).toEqual([`${BLUE}/30`])
    expect(await answer(bind2.server)).toEqual([`${BLUE}/30`])
  })

  test('a listed server that does not answer is refused before any change', async () => {
    const dead = `127.0.0.1:${await freePort()}`
    const run = await runAction('blue-green-switch', {
      inputs: {
        router: bindRouter(bind, { servers: [bind.server, dead], timeout: '1s' }),
        to: 'green',
      },
    })
    expect(run.exitCode).toBe(1)
    expect(run.errors.join('\n')).toContain(`${dead} answers nothing (ECONNREFUSED)`)
    expect(await answer(bind.server)).toEqual([`${BLUE}/30`])
  })
})

describe('Knot through RFC 2136 with TSIG', () => {
  let knot: BindInstance
  beforeAll(async () => {
    knot = await startKnot({ zone: ZONE, record: RECORD, addresses: [BLUE], ttl: 60 })
  }, 30_000)
  afterAll(async () => {
    await knot?.stop()
  })

  test('blue-green there and back, read back from Knot', async () => {
    const to = await runAction('blue-green-switch', {
      inputs: { router: bindRouter(knot), to: 'green' },
    })
    expect(to.errors).toEqual([])
    expect(await answer(knot.server)).toEqual([`${GREEN}/30`])
    const back = await runAction('blue-green-switch', {
      inputs: { router: bindRouter(knot), to: 'blue' },
    })
    expect(back.errors).toEqual([])
    expect(back.outputs).toMatchObject({ active: 'blue', previous: 'green', switched: 'true' })
    expect(await answer(knot.server)).toEqual([`${BLUE}/30`])
  })
})

describe('bad input is refused before any server is contacted', () => {
  test.each([
    [
      'a record outside the zone',
      { record: 'app.example.org' },
      '\'record\' is "app.example.org", outside zone',
    ],
    ['a TTL of 0', { ttl: 0 }, "'ttl' is number 0; allowed: whole seconds from 1 to 86400"],
    ['a TTL above a day', { ttl: 86401 }, "'ttl' is number 86401"],
    [
      'a server given by name',
      { servers: ['ns1.example.test:53'] },
      '\'servers[0]\' is "ns1.example.test:53"',
    ],
    [
      'a bad address',
      { slots: { blue: BLUE, green: '192.0.2.300' } },
      '\'slots.green\' is "192.0.2.300", not an IPv4 address',
    ],
    [
      'a CNAME plus addresses',
      { slots: { blue: BLUE, green: [GREEN, 'green.example.net'] } },
      'mixes a CNAME target with addresses',
    ],
    [
      'a pdns key on an RFC 2136 router',
      { 'api-key': 'abcdefgh' },
      "'api-key' is for provider powerdns",
    ],
  ])('%s', async (_what, extra, message) => {
    const run = await runAction('blue-green-switch', {
      inputs: { router: bindRouter(bind, extra), to: 'green' },
    })
    expect(run.exitCode).toBe(1)
    expect(run.errors.join('\n')).toContain(message)
    expect(await answer(bind.server)).toEqual([`${BLUE}/30`])
  })
})

test('records and rollback: rollback to: blue after a switch to green, recorded on the fake GitHub', async () => {
  const github = await startFakeGitHub()
  try {
    const options = (inputs: Record<string, unknown>, commit: number): RunOptions => ({
      inputs: {
        router: pdnsRouter(),
        environment: 'production',
        record: 'true',
        ...inputs,
      } as never,
      token: github.token,
      env: { GITHUB_API_URL: github.url, GITHUB_SHA: String(commit).repeat(40) },
    })
    const deploy = await runAs(
      'blue-green-switch',
      options({ to: 'green', image: 'orders@sha256:v2' }, 2),
    )
    expect(deploy.errors).toEqual([])
    expect(await answer(pdns.server)).toEqual([`${GREEN}/30`])
    const back = await runAs('rollback', options({ to: 'blue', reason: 'v2 drops orders' }, 3))
    expect(back.errors).toEqual([])
    expect(back.exitCode).toBe(0)
    expect(back.outputs).toMatchObject({ active: 'blue', previous: 'green', switched: 'true' })
    expect(await answer(pdns.server)).toEqual([`${BLUE}/30`])
    const record = github.deployments.find((d) => d.id === Number(back.outputs['deployment-id']))
    expect(record?.payload).toMatchObject({ strategy: 'rollback', slot: 'blue' })
    expect(github.violations).toEqual([])
  } finally {
    await github.stop()
  }
})
