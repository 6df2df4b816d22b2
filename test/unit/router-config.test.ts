import {
  describeConfig,
  MemoryRouter,
  openRouter,
  parseRouterConfig,
  parseRouterConfigs,
  type RouterConfig,
} from '../../packages/router/index.js'

const haproxy = (extra: Record<string, unknown> = {}) => ({
  type: 'haproxy',
  address: '127.0.0.1:9999',
  backend: 'web',
  slots: { blue: 'web-blue', green: 'web-green' },
  ...extra,
})
const nginx = (extra: Record<string, unknown> = {}) => ({
  type: 'nginx',
  'upstream-file': '/etc/nginx/conf.d/web.conf',
  upstream: 'web',
  slots: { blue: '10.0.0.1:8080', green: '10.0.0.2:8080' },
  ...extra,
})
/** `value` without `key`. */
const without = (value: Record<string, unknown>, key: string) =>
  Object.fromEntries(Object.entries(value).filter(([k]) => k !== key))
const remote = (extra: Record<string, unknown> = {}) => {
  const rest = without(nginx(), 'upstream-file')
  return {
    ...rest,
    read: ['ssh', 'lb1', 'cat /etc/nginx/conf.d/web.conf'],
    write: ['ssh', 'lb1', 'cat > /etc/nginx/conf.d/web.conf'],
    workers: ['ssh', 'lb1', 'ps -o pid=,args= --ppid "$(cat /run/nginx.pid)"'],
    test: ['ssh', 'lb1', 'nginx -t'],
    reload: ['ssh', 'lb1', 'nginx -s reload'],
    ...extra,
  }
}

describe('router configs that are valid', () => {
  test('a single name per slot stays valid, and becomes a list of one', () => {
    const [config] = parseRouterConfigs(haproxy())
    expect(config).toMatchObject({
      type: 'haproxy',
      name: 'haproxy web',
      slots: { blue: ['web-blue'], green: ['web-green'] },
      timeout: 5000,
    })
  })

  test('slots of many servers keep their order', () => {
    const config = parseRouterConfig(
      haproxy({ slots: { blue: ['web-blue-1', 'web-blue-2'], green: ['web-green-1'] } }),
    )
    expect(config.slots).toEqual({ blue: ['web-blue-1', 'web-blue-2'], green: ['web-green-1'] })
  })

  test('a list of routers, each validated, each with a name', () => {
    const configs = parseRouterConfigs([
      haproxy({ name: 'zone a' }),
      haproxy({ address: '10.0.0.5:9999' }),
    ])
    expect(configs).toHaveLength(2)
    expect(configs.map((c) => c.name)).toEqual(['zone a', 'haproxy web'])
    const router = openRouter(configs)
    expect(router.type).toBe('group')
    expect(router.name).toBe('zone a + haproxy web')
  })

  test('a list of one is the router itself', () => {
    expect(openRouter(parseRouterConfigs([nginx()])).type).toBe('nginx')
  })

  test('nginx: default name, commands and pid file', () => {
    const config = parseRouterConfig(nginx())
    expect(config).toMatchObject({
      name: 'nginx web',
      access: {
        kind: 'local',
        upstreamFile: '/etc/nginx/conf.d/web.conf',
        pidFile: '/run/nginx.pid',
      },
      test: ['nginx', '-t'],
      reload: ['nginx', '-s', 'reload'],
    })
  })

  test('nginx on another host: every operation is a command', () => {
    const config = parseRouterConfig(remote())
    expect(config).toMatchObject({
      access: { kind: 'command', read: remote().read, write: remote().write },
      workers: remote().workers,
      test: remote().test,
      reload: remote().reload,
    })
    expect(parseRouterConfig(remote({ test: [] }))).toMatchObject({ test: [] })
  })

  test('logs describe where; records use only the name', () => {
    const config = parseRouterConfig(haproxy({ name: 'edge' })) as RouterConfig
    expect(describeConfig(config)).toBe('edge (haproxy 127.0.0.1:9999 backend web)')
    expect(describeConfig(parseRouterConfig(haproxy()))).toBe('haproxy 127.0.0.1:9999 backend web')
    expect(openRouter(config).name).toBe('edge')
  })

  test('the in-memory router serves unit tests', async () => {
    const router = new MemoryRouter({ weights: { blue: 0, green: 100 } })
    await router.write({ blue: 50, green: 50 })
    expect(await router.read()).toEqual({ blue: 50, green: 50 })
    expect(router.writes).toEqual([{ blue: 50, green: 50 }])
  })
})

// Bad input: every row is a clear error naming the field, the value and what is allowed.
describe('router configs that are refused', () => {
  const list = Array.from({ length: 70 }, (_, i) => `web-blue-${i}`)
  test.each<[string, unknown, string]>([
    [
      'a scalar',
      'haproxy',
      `must be a YAML mapping (type, address, ...) or a list of them, got string "haproxy".`,
    ],
    ['an empty list', [], `is an empty list; give one router mapping, or a list of them.`],
    [
      'a list entry that is not a mapping',
      [haproxy(), 'nginx'],
      `'router[1]' must be a YAML mapping (type, address, ...), got string "nginx".`,
    ],
    [
      'a list entry that is empty',
      [haproxy(), null],
      `'router[1]' is required: a YAML mapping with at least \`type\`.`,
    ],
    [
      'a list entry with a bad type',
      [haproxy(), haproxy({ type: 'traefik' })],
      `'router[1].type' is "traefik"; allowed: haproxy, nginx, kubernetes, dns, flagd, unleash.`,
    ],
    [
      'a list entry with an unknown key',
      [haproxy({ backed: 'x' })],
      `unknown key "backed" in router[0] for type haproxy; allowed: type, name, address, backend, slots, timeout, match-map, match-backends.`,
    ],
    [
      'a list entry with a bad address',
      [haproxy(), haproxy({ address: 'localhost' })],
      `'router[1].address' is "localhost"; allowed: host:port of the HAProxy runtime API`,
    ],
    [
      'the same router twice in a list',
      [haproxy({ name: 'a' }), haproxy({ address: '10.0.0.5:9999' }), haproxy({ name: 'c' })],
      `'router[2]' is the same router as 'router[0]' (c (haproxy 127.0.0.1:9999 backend web)); list each router once.`,
    ],
    [
      'a list mixing router types',
      [haproxy(), nginx()],
      'mixes router types (haproxy, nginx); all routers of a list must be of one type',
    ],
    [
      'more routers than allowed',
      Array.from({ length: 17 }, () => haproxy()),
      'lists 17 routers; allowed: at most 16.',
    ],
    [
      'a bad server in a list of servers',
      haproxy({ slots: { blue: ['web-blue-1', 'web blue 2'], green: 'web-green' } }),
      `'slots.blue[1]' is "web blue 2"; allowed: server names in that backend.`,
    ],
    [
      'a bad server in a list of servers of a list of routers',
      [haproxy(), haproxy({ slots: { blue: ['web-blue-1', 'web-blue-2'], green: ['ok', {}] } })],
      `'router[1].slots.green[1]' is a mapping; allowed: server names in that backend.`,
    ],
    [
      'an empty list of servers',
      haproxy({ slots: { blue: [], green: 'web-green' } }),
      `'slots.blue' is required: server names in that backend.`,
    ],
    [
      'a server twice in one slot',
      haproxy({ slots: { blue: ['a', 'b', 'a'], green: 'c' } }),
      `'slots.blue[2]' is "a" again (already 'slots.blue[0]'); each server once.`,
    ],
    [
      'a server in both slots',
      haproxy({ slots: { blue: ['a', 'b'], green: ['c', 'b'] } }),
      `'slots.blue[1]' and 'slots.green[1]' are both "b"; the two slots must differ.`,
    ],
    [
      'a single server in both slots (as before)',
      haproxy({ slots: { blue: 'web-blue', green: 'web-blue' } }),
      `'slots.blue' and 'slots.green' are both "web-blue"; the two slots must differ.`,
    ],
    [
      'too many servers in a slot',
      haproxy({ slots: { blue: list, green: 'g' } }),
      `'slots.blue' lists 70 servers; allowed: at most 64.`,
    ],
    [
      'an nginx server that is not host:port',
      [nginx(), nginx({ slots: { blue: ['10.0.0.1:8080', '10.0.0.3'], green: '10.0.0.2:8080' } })],
      `'router[1].slots.blue[1]' is "10.0.0.3"; allowed: host:port of the slot, as in the upstream.`,
    ],
    [
      'a name that is not a label',
      haproxy({ name: ' ' }),
      `'name' is " "; allowed: a label of 1 to 64 printable characters`,
    ],
    [
      'a name in a list that is not a string',
      [haproxy(), haproxy({ name: ['a'] })],
      `'router[1].name' is a list; allowed: a label of 1 to 64 printable characters`,
    ],
    [
      'a name too long, capped in the message',
      haproxy({ name: 'x'.repeat(200) }),
      `'name' is "${'x'.repeat(80)}…"; allowed`,
    ],
    [
      'nginx with both a file and commands',
      nginx({ read: ['cat', 'x'] }),
      `'upstream-file' and 'read' are both given; use 'upstream-file' for a local nginx, or 'read' and 'write' commands for a remote one.`,
    ],
    [
      'nginx read without write',
      without(remote(), 'write'),
      `'write' is required with 'read': a remote nginx needs both commands.`,
    ],
    [
      'remote nginx without a workers command',
      without(remote(), 'workers'),
      `'workers' is required with 'read'/'write' commands`,
    ],
    // Left out, they would default to the runner's own nginx, not the one read/write reach.
    [
      'remote nginx without a test command',
      without(remote(), 'test'),
      `'test' is required with 'read'/'write' commands: the default (nginx -t) would run on the runner, not on the nginx that 'read' and 'write' reach. Give commands that run there, e.g. test: [ssh, lb1, nginx, -t] ([] to skip the test) and reload: [ssh, lb1, nginx, -s, reload].`,
    ],
    [
      'remote nginx without a reload command',
      without(remote(), 'reload'),
      `'reload' is required with 'read'/'write' commands: the default (nginx -s reload) would run on the runner`,
    ],
    [
      'remote nginx without test and reload, in a list',
      [nginx(), without(without(remote(), 'test'), 'reload')],
      `'router[1].test' and 'router[1].reload' are required with 'read'/'write' commands: the defaults (nginx -t, nginx -s reload) would run on the runner`,
    ],
    [
      'remote nginx with a pid file',
      remote({ 'pid-file': '/run/nginx.pid' }),
      `'pid-file' is for a local nginx ('upstream-file'); with 'read'/'write' commands give 'workers'.`,
    ],
    [
      'a read command that is a string',
      remote({ read: 'ssh lb1 cat x' }),
      `'read' must be a command as a YAML list of arguments`,
    ],
    [
      'an empty workers command',
      nginx({ workers: [] }),
      `'workers' must be a command as a YAML list of arguments`,
    ],
    [
      'nginx with neither file nor commands',
      without(nginx(), 'upstream-file'),
      `'upstream-file' is required for type nginx (or 'read' and 'write' commands for a remote nginx).`,
    ],
    [
      'a timeout in a list',
      [haproxy(), haproxy({ timeout: '10m' })],
      `'router[1].timeout' is "10m"; allowed: a duration from 100ms to 2m, e.g. 5s.`,
    ],
  ])('%s', (_, value, message) => {
    expect(() => parseRouterConfigs(value)).toThrow(`Input 'router': ${message}`)
  })

  test('parseRouterConfig (one router) refuses a list of several', () => {
    expect(() => parseRouterConfig([haproxy(), haproxy({ address: '10.0.0.5:9999' })])).toThrow(
      `Input 'router': lists 2 routers, but this step takes one router mapping.`,
    )
  })
})
