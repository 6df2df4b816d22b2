import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  liveSlot,
  NginxRouter,
  parseRouterConfig,
  parseServersState,
  toPercent,
  type NginxConfig,
} from '../../packages/router/index.js'

describe('weights', () => {
  test.each([
    [100, 0, { blue: 100, green: 0 }],
    [0, 256, { blue: 0, green: 100 }],
    [1, 1, { blue: 50, green: 50 }],
    [95, 5, { blue: 95, green: 5 }],
    [1, 2, { blue: 33, green: 67 }],
    [0, 0, { blue: 0, green: 0 }],
  ])('raw %d / %d -> %j', (b, g, w) => expect(toPercent(b, g)).toEqual(w))

  test.each([
    [{ blue: 100, green: 0 }, 'blue'],
    [{ blue: 0, green: 100 }, 'green'],
    [{ blue: 95, green: 5 }, undefined],
    [{ blue: 0, green: 0 }, undefined],
  ])('live slot of %j is %s', (w, slot) => expect(liveSlot(w)).toBe(slot))
})

describe('HAProxy show servers state', () => {
  const header =
    '1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change\n'
  test('reads name, weight, maintenance, drain and down from the named columns', () => {
    const rows = parseServersState(
      header +
        '3 web 1 web-blue 127.0.0.1 2 0 100 100 5\n' +
        '3 web 2 web-green 127.0.0.1 2 1 0 0 5\n' +
        '3 web 3 web-old 127.0.0.1 0 8 7 1 5\n',
      'web',
    )
    expect(rows).toEqual([
      { name: 'web-blue', weight: 100, maintenance: false, draining: false, down: false },
      { name: 'web-green', weight: 0, maintenance: true, draining: false, down: false },
      { name: 'web-old', weight: 7, maintenance: false, draining: true, down: true },
    ])
  })
  test("HAProxy's error text becomes a clear error", () => {
    expect(() => parseServersState("Can't find backend.\n", 'api')).toThrow(
      "HAProxy has no backend 'api'",
    )
    expect(() => parseServersState('Permission denied\n', 'web')).toThrow(
      "unexpected answer from HAProxy to 'show servers state web': Permission denied",
    )
  })
})

describe('nginx upstream file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nginx-unit-'))
  const file = join(dir, 'upstream.conf')
  const config = parseRouterConfig({
    type: 'nginx',
    'upstream-file': file,
    upstream: 'web',
    slots: { blue: '10.0.0.1:8080', green: '10.0.0.2:8080' },
    test: [],
    reload: ['true'],
  }) as NginxConfig

  test('rewrites only the slot lines: 0% is `down`, other parameters and lines are kept', async () => {
    writeFileSync(
      file,
      [
        '# ours',
        'upstream other { server 10.0.0.1:8080; }',
        'upstream web {',
        '    zone web 64k;',
        '    server 10.0.0.1:8080 weight=100 max_fails=3;',
        '    server 10.0.0.2:8080 down max_fails=3;',
        '    server 10.0.0.9:8080 backup;',
        '    keepalive 16;',
        '}',
        '',
      ].join('\n'),
    )
    const router = new NginxRouter(config)
    expect(await router.read()).toEqual({ blue: 100, green: 0 })
    await router.write({ blue: 10, green: 90 })
    expect(readFileSync(file, 'utf8')).toBe(
      [
        '# ours',
        'upstream other { server 10.0.0.1:8080; }',
        'upstream web {',
        '    zone web 64k;',
        '    server 10.0.0.1:8080 weight=10 max_fails=3;',
        '    server 10.0.0.2:8080 weight=90 max_fails=3;',
        '    server 10.0.0.9:8080 backup;',
        '    keepalive 16;',
        '}',
        '',
      ].join('\n'),
    )
    await router.write({ blue: 0, green: 100 })
    expect(readFileSync(file, 'utf8')).toContain(
      '    server 10.0.0.1:8080 down max_fails=3;\n    server 10.0.0.2:8080 weight=100 max_fails=3;',
    )
    expect(await router.read()).toEqual({ blue: 0, green: 100 })
  })

  test('never writes weights that do not add up to 100', async () => {
    const router = new NginxRouter(config)
    await expect(router.write({ blue: 60, green: 60 })).rejects.toThrow(
      'weights must add up to 100, got blue 60% / green 60%',
    )
  })
})
