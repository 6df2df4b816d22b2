import {
  chmodSync,
  chownSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  GroupRouter,
  haproxyWeights,
  judgeSafetyWrite,
  RouterError,
  RoutersPutBack,
  unreachedText,
  type MemberOutcome,
  liveSlot,
  MemoryRouter,
  NginxRouter,
  parseProcesses,
  parseRouterConfig,
  parseServersState,
  planHaproxyWrite,
  reloadFinished,
  renderUpstream,
  spreadWeights,
  toPercent,
  type HaproxyServerState,
  type HaproxySlotState,
  type NginxConfig,
  type Weights,
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

describe('spreading a slot share over its servers', () => {
  // target, servers per slot, max weight -> per-server weight
  test.each([
    [{ blue: 100, green: 0 }, [1, 1], 256, { blue: 100, green: 0 }],
    [{ blue: 95, green: 5 }, [1, 1], 256, { blue: 95, green: 5 }],
    [{ blue: 10, green: 90 }, [3, 3], 256, { blue: 10, green: 90 }],
    [{ blue: 33, green: 67 }, [3, 3], 256, { blue: 33, green: 67 }],
    [{ blue: 50, green: 50 }, [2, 3], 256, { blue: 75, green: 50 }],
    [{ blue: 0, green: 100 }, [3, 3], 256, { blue: 0, green: 100 }],
    [{ blue: 100, green: 0 }, [3, 1], 256, { blue: 100, green: 0 }],
    [{ blue: 1, green: 99 }, [3, 3], 256, { blue: 1, green: 99 }],
    [{ blue: 1, green: 99 }, [3, 2], 10_000, { blue: 2, green: 297 }],
  ])('%j over %j servers (max %d) -> %j', (target, [b, g], max, expected) => {
    const w = spreadWeights(target, { blue: b!, green: g! }, max)
    expect(w).toEqual(expected)
    expect(toPercent(w.blue * b!, w.green * g!)).toEqual(target)
  })

  test('no exact split within 256: the closest that still reads back as the target', () => {
    // 1% over 3 servers and 99% over 2 needs 297 per green server; 256 is HAProxy's limit.
    const w = spreadWeights({ blue: 1, green: 99 }, { blue: 3, green: 2 }, 256)
    expect(Math.max(w.blue, w.green)).toBeLessThanOrEqual(256)
    expect(toPercent(w.blue * 3, w.green * 2)).toEqual({ blue: 1, green: 99 })
  })

  test('a slot with no server cannot take a share', () => {
    expect(() => spreadWeights({ blue: 50, green: 50 }, { blue: 0, green: 2 }, 256)).toThrow(
      'slot blue has no server to take 50%',
    )
  })
})

describe('HAProxy show servers state', () => {
  const header =
    '1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord\n'
  test('reads name, address, weight, maintenance, drain and down from the named columns', () => {
    const rows = parseServersState(
      header +
        '3 web 1 web-blue 127.0.0.1 2 0 100 100 5 1 0 0 0 0 0 0 - 8081 -\n' +
        '3 web 2 web-green 10.0.0.2 2 1 0 0 5 1 0 0 0 0 0 0 - 8082 -\n' +
        '3 web 3 web-old ::1 0 8 7 1 5 1 0 0 0 0 0 0 - 80 -\n',
      'web',
    )
    expect(rows).toEqual([
      {
        name: 'web-blue',
        address: '127.0.0.1:8081',
        weight: 100,
        maintenance: false,
        draining: false,
        down: false,
      },
      {
        name: 'web-green',
        address: '10.0.0.2:8082',
        weight: 0,
        maintenance: true,
        draining: false,
        down: false,
      },
      {
        name: 'web-old',
        address: '[::1]:80',
        weight: 7,
        maintenance: false,
        draining: true,
        down: true,
      },
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

describe('HAProxy write plan', () => {
  const server = (
    name: string,
    weight: number,
    state: Partial<HaproxyServerState> = {},
  ): HaproxyServerState => ({
    name,
    address: `${name}:80`,
    weight,
    maintenance: false,
    draining: false,
    down: false,
    ...state,
  })
  const three = (slot: string, weight: number, states: Partial<HaproxyServerState>[] = []) =>
    [1, 2, 3].map((i) => server(`${slot}-${i}`, weight, states[i - 1]))
  const maint = { maintenance: true }
  const drain = { draining: true }

  test.each<[string, HaproxySlotState, Weights, Record<string, number>, string[]]>([
    [
      'three servers a slot, all in service',
      { blue: three('b', 100), green: three('g', 0) },
      { blue: 10, green: 90 },
      { 'b-1': 10, 'b-2': 10, 'b-3': 10, 'g-1': 90, 'g-2': 90, 'g-3': 90 },
      [],
    ],
    [
      'one green server in maintenance: left out, the others share',
      { blue: three('b', 100), green: three('g', 0, [{}, maint, {}]) },
      { blue: 0, green: 100 },
      { 'b-1': 0, 'b-2': 0, 'b-3': 0, 'g-1': 50, 'g-3': 50 },
      ['g-2 in maintenance'],
    ],
    [
      'a draining blue server keeps its weight, never revived',
      { blue: three('b', 100, [drain]), green: three('g', 0) },
      { blue: 50, green: 50 },
      { 'b-2': 75, 'b-3': 75, 'g-1': 50, 'g-2': 50, 'g-3': 50 },
      ['b-1 draining'],
    ],
    [
      'a slot at 0% may be all in maintenance',
      { blue: three('b', 100), green: three('g', 0, [maint, maint, maint]) },
      { blue: 100, green: 0 },
      { 'b-1': 100, 'b-2': 100, 'b-3': 100 },
      ['g-1 in maintenance', 'g-2 in maintenance', 'g-3 in maintenance'],
    ],
  ])('%s', (_, state, target, weights, skipped) => {
    const plan = planHaproxyWrite(state, target, 'web')
    expect(Object.fromEntries(plan.weights)).toEqual(weights)
    expect(plan.skipped.map((s) => `${s.server} ${s.why}`)).toEqual(skipped)
  })

  test.each<[string, HaproxySlotState, Weights, string]>([
    [
      'every server of the target slot in maintenance or drain',
      { blue: three('b', 100), green: three('g', 0, [maint, drain, maint]) },
      { blue: 0, green: 100 },
      'HAProxy backend web: no server of slot green can take 100% of traffic (g-1 in maintenance, g-2 draining, g-3 in maintenance); nothing was changed',
    ],
    [
      'the one server of the target slot in maintenance',
      { blue: [server('web-blue', 100)], green: [server('web-green', 0, maint)] },
      { blue: 0, green: 100 },
      'HAProxy server web/web-green (slot green) is in maintenance, so it cannot take 100% of traffic; nothing was changed',
    ],
    [
      'the one server of the target slot DOWN by its health check',
      { blue: [server('web-blue', 100)], green: [server('web-green', 0, { down: true })] },
      { blue: 95, green: 5 },
      'HAProxy server web/web-green (slot green) is DOWN by its health check, so it cannot take 5% of traffic; nothing was changed',
    ],
  ])('refused: %s', (_, state, target, message) => {
    expect(() => planHaproxyWrite(state, target, 'web')).toThrow(message)
  })

  test.each<[string, HaproxySlotState, Weights]>([
    ['all in service', { blue: three('b', 10), green: three('g', 90) }, { blue: 10, green: 90 }],
    [
      'maintenance and drain do not count',
      { blue: three('b', 100, [maint, drain]), green: three('g', 100) },
      { blue: 25, green: 75 },
    ],
    [
      'a slot of 2 against a slot of 3',
      { blue: three('b', 50).slice(0, 2), green: three('g', 100) },
      { blue: 25, green: 75 },
    ],
  ])('read: %s', (_, state, weights) => expect(haproxyWeights(state)).toEqual(weights))
})

describe('nginx reload wait', () => {
  test('parses ps output', () => {
    expect(
      parseProcesses(
        '  101 nginx: worker process\n  102 nginx: worker process is shutting down\n 103 nginx: cache manager process\n\n',
      ),
    ).toEqual([
      { pid: 101, args: 'nginx: worker process' },
      { pid: 102, args: 'nginx: worker process is shutting down' },
      { pid: 103, args: 'nginx: cache manager process' },
    ])
  })

  const w = (pid: number, shutting = false) => ({
    pid,
    args: `nginx: worker process${shutting ? ' is shutting down' : ''}`,
  })
  test.each([
    ['nothing changed yet', [1, 2], [w(1), w(2)], false],
    ['new workers, an old one still accepting', [1, 2], [w(1), w(3), w(4)], false],
    ['new workers, old ones shutting down', [1, 2], [w(1, true), w(2, true), w(3), w(4)], true],
    ['new workers, old ones gone', [1, 2], [w(3), w(4)], true],
    ['old ones shutting down, no new worker yet', [1], [w(1, true)], false],
    [
      'the cache manager is not a worker',
      [1],
      [w(2), { pid: 1, args: 'nginx: cache manager process' }],
      true,
    ],
  ])('%s', (_, before, now, done) =>
    expect(reloadFinished(new Set(before as number[]), now)).toBe(done),
  )
})

describe('nginx upstream file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nginx-unit-'))
  // A stand-in for the master's children: a new "worker" pid on every call, so a reload is done at once.
  const workers = ['sh', '-c', 'echo "$(date +%s%N) nginx: worker process"']
  const configFor = (file: string, slots: Record<string, unknown>, extra = {}) =>
    parseRouterConfig({
      type: 'nginx',
      'upstream-file': file,
      upstream: 'web',
      slots,
      test: [],
      reload: ['true'],
      workers,
      ...extra,
    }) as NginxConfig
  const single = { blue: '10.0.0.1:8080', green: '10.0.0.2:8080' }
  const file = join(dir, 'upstream.conf')
  const config = configFor(file, single)
  const original = [
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
  ].join('\n')

  test('rewrites only the slot lines: 0% is `down`, other parameters and lines are kept', async () => {
    writeFileSync(file, original)
    const router = new NginxRouter(config)
    expect(await router.read()).toEqual({ blue: 100, green: 0 })
    await router.write({ blue: 10, green: 90 })
    expect(readFileSync(file, 'utf8')).toBe(
      original
        .replace('10.0.0.1:8080 weight=100', '10.0.0.1:8080 weight=10')
        .replace('10.0.0.2:8080 down', '10.0.0.2:8080 weight=90'),
    )
    await router.write({ blue: 0, green: 100 })
    expect(readFileSync(file, 'utf8')).toContain(
      '    server 10.0.0.1:8080 down max_fails=3;\n    server 10.0.0.2:8080 weight=100 max_fails=3;',
    )
    expect(await router.read()).toEqual({ blue: 0, green: 100 })
  })

  test('slots of many servers: each slot share spread evenly, read back as the slot sums', () => {
    const many = configFor(file, {
      blue: ['10.0.0.1:80', '10.0.0.2:80', '10.0.0.3:80'],
      green: ['10.0.1.1:80', '10.0.1.2:80'],
    })
    const text =
      'upstream web {\n' +
      ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.1.1', '10.0.1.2']
        .map((h) => `    server ${h}:80 weight=1;`)
        .join('\n') +
      '\n}\n'
    expect(renderUpstream(text, many, { blue: 50, green: 50 })).toBe(
      'upstream web {\n' +
        '    server 10.0.0.1:80 weight=50;\n    server 10.0.0.2:80 weight=50;\n    server 10.0.0.3:80 weight=50;\n' +
        '    server 10.0.1.1:80 weight=75;\n    server 10.0.1.2:80 weight=75;\n}\n',
    )
    expect(renderUpstream(text, many, { blue: 0, green: 100 })).toContain(
      'server 10.0.0.3:80 down;\n    server 10.0.1.1:80 weight=50;',
    )
  })

  test('never writes weights that do not add up to 100', async () => {
    const router = new NginxRouter(config)
    await expect(router.write({ blue: 60, green: 60 })).rejects.toThrow(
      'weights must add up to 100, got blue 60% / green 60%',
    )
  })

  test("keeps the file's mode and owner", async () => {
    writeFileSync(file, original)
    chmodSync(file, 0o640)
    const asRoot = process.getuid?.() === 0
    if (asRoot) chownSync(file, 4321, 4322)
    await new NginxRouter(config).write({ blue: 0, green: 100 })
    const stat = statSync(file)
    expect(stat.mode & 0o7777).toBe(0o640)
    if (asRoot) expect([stat.uid, stat.gid]).toEqual([4321, 4322])
    else expect(stat.uid).toBe(process.getuid?.())
  })

  test('writes through a symlinked path to its target, beside the target', async () => {
    const real = mkdtempSync(join(tmpdir(), 'nginx-real-'))
    const target = join(real, 'upstream.conf')
    writeFileSync(target, original)
    const link = join(dir, 'linked.conf')
    symlinkSync(target, link)
    await new NginxRouter(configFor(link, single)).write({ blue: 0, green: 100 })
    expect(lstatSync(link).isSymbolicLink()).toBe(true)
    expect(readFileSync(target, 'utf8')).toContain('server 10.0.0.2:8080 weight=100')
    expect(readdirSync(real)).toEqual(['upstream.conf'])
    expect(readdirSync(dir).filter((f) => f.includes('cutover'))).toEqual([])
  })

  test('a link planted where a predictable temp file would go is never followed', async () => {
    writeFileSync(file, original)
    const victim = join(dir, 'victim')
    writeFileSync(victim, 'precious\n')
    // The old temp name was `.<file>.cutover-<pid>`; plant links at it and near it.
    for (const suffix of [String(process.pid), 'tmp', '0'])
      symlinkSync(victim, join(dir, `.upstream.conf.cutover-${suffix}`))
    await new NginxRouter(config).write({ blue: 0, green: 100 })
    expect(readFileSync(victim, 'utf8')).toBe('precious\n')
    expect(lstatSync(file).isSymbolicLink()).toBe(false)
    expect(readFileSync(file, 'utf8')).toContain('server 10.0.0.2:8080 weight=100')
  })

  test('a concurrent writer is detected, not overwritten', async () => {
    writeFileSync(file, original)
    const theirs = original.replace('keepalive 16;', 'keepalive 32;')
    const router = new NginxRouter(config, {
      beforeReplace: async () => writeFileSync(file, theirs),
    })
    await expect(router.write({ blue: 0, green: 100 })).rejects.toThrow(
      `${file} was changed by someone else while cutover was rewriting it; nothing was changed (their version stays)`,
    )
    expect(readFileSync(file, 'utf8')).toBe(theirs)
    expect(
      readdirSync(dir).filter(
        (f) =>
          f.startsWith('.upstream.conf.cutover-') &&
          !f.endsWith(String(process.pid)) &&
          !f.endsWith('tmp') &&
          !f.endsWith('-0'),
      ),
    ).toEqual([])
  })

  test('a concurrent writer that keeps the same content and size is still detected (mtime/inode)', async () => {
    writeFileSync(file, original)
    const router = new NginxRouter(config, {
      beforeReplace: async () => {
        const other = join(dir, 'other.conf')
        writeFileSync(other, original)
        const { renameSync } = await import('node:fs')
        renameSync(other, file)
      },
    })
    await expect(router.write({ blue: 0, green: 100 })).rejects.toThrow(
      'was changed by someone else',
    )
  })

  test('a failed reload puts the file back; the error says where traffic stays', async () => {
    writeFileSync(file, original)
    const router = new NginxRouter(configFor(file, single, { reload: ['false'] }))
    await expect(router.write({ blue: 0, green: 100 })).rejects.toThrow(
      /nginx reload failed \(false: exit code 1\); restored .*upstream.conf, traffic stays at blue 100% \/ green 0%/,
    )
    expect(readFileSync(file, 'utf8')).toBe(original)
  })

  test('an nginx that cannot be awaited is refused before anything changes', async () => {
    writeFileSync(file, original)
    const router = new NginxRouter(
      parseRouterConfig({
        type: 'nginx',
        'upstream-file': file,
        'pid-file': join(dir, 'no-such.pid'),
        upstream: 'web',
        slots: single,
        test: [],
        reload: ['true'],
      }) as NginxConfig,
    )
    await expect(router.write({ blue: 0, green: 100 })).rejects.toThrow(
      /cannot read nginx's pid file .*no-such.pid \(ENOENT\).*nothing was changed/,
    )
    expect(readFileSync(file, 'utf8')).toBe(original)
  })

  test('a command that hangs is stopped at the router timeout, and the file put back', async () => {
    writeFileSync(file, original)
    const router = new NginxRouter(
      // Only the hanging reload meets the budget; the real commands before it get seconds.
      configFor(file, single, { reload: ['sleep', '60'], timeout: '3s' }),
    )
    await expect(router.write({ blue: 0, green: 100 })).rejects.toThrow(
      // A reload stopped at its deadline may have reached nginx: it reloads again onto the
      // restored file, and when that is stopped too, traffic is unknown, never "stays".
      /nginx reload failed \(sleep 60: timed out after 3000 ms\) \(nginx may have taken the reload\); restored .*upstream.conf, reloading again failed too \(.*\): traffic is unknown, nginx serves blue 0% \/ green 100% or blue 100% \/ green 0%/,
    )
    expect(readFileSync(file, 'utf8')).toBe(original)
  })

  test('a reload stopped at its deadline is followed by a reload onto the restored file, and the error says so', async () => {
    writeFileSync(file, original)
    const once = join(dir, 'reload-hung-once')
    rmSync(once, { force: true })
    // Hangs the first time (an ssh that sent the signal and never closed), answers after that.
    const reload = ['sh', '-c', `if [ -e ${once} ]; then exit 0; fi; touch ${once}; sleep 60`]
    const router = new NginxRouter(configFor(file, single, { reload, timeout: '3s' }))
    await expect(router.write({ blue: 0, green: 100 })).rejects.toThrow(
      /nginx reload failed \(sh -c .*: timed out after 3000 ms\) \(nginx may have taken the reload\); restored .*upstream.conf, reloaded again: new connections get blue 100% \/ green 0% once nginx takes that reload/,
    )
    expect(readFileSync(file, 'utf8')).toBe(original)
  })

  test('a remote upstream file changed by someone else is not overwritten', async () => {
    writeFileSync(file, original)
    const theirs = original.replace('keepalive 16;', 'keepalive 8;')
    const remote = parseRouterConfig({
      type: 'nginx',
      upstream: 'web',
      slots: single,
      read: ['cat', file],
      write: ['sh', '-c', `cat > ${file}`],
      test: [],
      reload: ['true'],
      workers,
    }) as NginxConfig
    const router = new NginxRouter(remote, {
      beforeReplace: async () => writeFileSync(file, theirs),
    })
    await expect(router.write({ blue: 0, green: 100 })).rejects.toThrow(
      'was changed by someone else while cutover was rewriting it; nothing was changed',
    )
    expect(readFileSync(file, 'utf8')).toBe(theirs)
    writeFileSync(file, original)
    await new NginxRouter(remote).write({ blue: 0, green: 100 })
    expect(readFileSync(file, 'utf8')).toContain('server 10.0.0.2:8080 weight=100')
  })

  test('servers() names each slot server by host:port', async () => {
    writeFileSync(file, original)
    expect(await new NginxRouter(config).servers()).toEqual({
      blue: [{ name: '10.0.0.1:8080', address: '10.0.0.1:8080' }],
      green: [{ name: '10.0.0.2:8080', address: '10.0.0.2:8080' }],
    })
  })
})

describe('router groups (pairs) on in-memory routers', () => {
  test('all get the same weights and are read back', async () => {
    const a = new MemoryRouter({ name: 'lb a' })
    const b = new MemoryRouter({ name: 'lb b' })
    const group = new GroupRouter([a, b])
    await group.write({ blue: 90, green: 10 })
    expect([a.weights, b.weights]).toEqual([
      { blue: 90, green: 10 },
      { blue: 90, green: 10 },
    ])
    expect(await group.read()).toEqual({ blue: 90, green: 10 })
    expect(group.name).toBe('lb a + lb b')
    expect(group.type).toBe('group')
  })

  test('routers that disagree before the change are refused, each one shown', async () => {
    const a = new MemoryRouter({ name: 'lb a' })
    const b = new MemoryRouter({ name: 'lb b', weights: { blue: 0, green: 100 } })
    const group = new GroupRouter([a, b])
    await expect(group.write({ blue: 0, green: 100 })).rejects.toThrow(
      'the routers disagree: memory router lb a: blue 100% / green 0%; memory router lb b: blue 0% / green 100%; nothing was changed',
    )
    expect(a.writes).toEqual([])
    expect(b.writes).toEqual([])
    await expect(group.read()).rejects.toThrow('the routers disagree')
  })

  test.each([
    ['refuses before applying', false],
    ['fails after applying', true],
  ])(
    'one router %s: every router is put back, the error says where traffic is on each',
    async (_, applied) => {
      const a = new MemoryRouter({ name: 'lb a' })
      const b = new MemoryRouter({ name: 'lb b' })
      b.failWrite = (t) => (t.green === 10 ? new Error('static-rr refuses 10%') : undefined)
      b.applyBeforeFailing = applied
      const warnings: string[] = []
      const group = new GroupRouter([a, b], {
        log: { info() {}, debug() {}, warning: (m) => warnings.push(m) },
      })
      await expect(group.write({ blue: 90, green: 10 })).rejects.toThrow(
        'memory router lb b failed: static-rr refuses 10%; every router was put back to blue 100% / green 0%. Traffic now: memory router lb a: blue 100% / green 0%; memory router lb b: blue 100% / green 0%',
      )
      expect([a.weights, b.weights]).toEqual([
        { blue: 100, green: 0 },
        { blue: 100, green: 0 },
      ])
      expect(warnings).toContain('traffic now: memory router lb a: blue 100% / green 0%')
    },
  )

  test('a router that cannot be put back is reported as it is', async () => {
    const a = new MemoryRouter({ name: 'lb a' })
    const b = new MemoryRouter({ name: 'lb b' })
    b.failWrite = new Error('connection refused')
    b.applyBeforeFailing = true
    a.failWrite = (t) => (t.blue === 100 ? new Error('cannot go back') : undefined)
    await expect(new GroupRouter([a, b]).write({ blue: 0, green: 100 })).rejects.toThrow(
      'Traffic now: memory router lb a: blue 0% / green 100%; memory router lb b: blue 100% / green 0%',
    )
  })

  test('a router that cannot be read: nothing is written', async () => {
    const a = new MemoryRouter({ name: 'lb a' })
    const b = new MemoryRouter({ name: 'lb b' })
    b.failRead = new Error('ECONNREFUSED')
    await expect(new GroupRouter([a, b]).write({ blue: 0, green: 100 })).rejects.toThrow(
      'cannot read every router: memory router lb b: ECONNREFUSED; nothing was changed',
    )
    expect(a.writes).toEqual([])
  })

  test("servers and notes are every router's", async () => {
    const a = new MemoryRouter({ name: 'lb a' })
    const b = new MemoryRouter({
      name: 'lb b',
      servers: { blue: [{ name: 'blue-2', address: 'x' }], green: [] },
    })
    b.notes.push('lb b: something')
    const group = new GroupRouter([a, b])
    expect((await group.servers()).blue.map((s) => s.name)).toEqual(['blue-1', 'blue-2'])
    expect(group.notes).toEqual(['lb b: something'])
  })
})

describe('router groups: a move toward safety with a router down', () => {
  const w = (blue: number): Weights => ({ blue, green: 100 - blue })
  const last = { weights: w(90), at: '2026-01-01T00:00:00.000Z' }
  const ok = (router: string, blue = 100): MemberOutcome => ({
    router,
    moved: true,
    weights: w(blue),
  })
  const down = (router: string, lastRead?: typeof last): MemberOutcome => ({
    router,
    moved: false,
    error: 'ECONNREFUSED',
    ...(lastRead ? { lastRead } : {}),
  })

  test.each<[string, MemberOutcome[], string[] | RegExp]>([
    ['every router moved: none left out', [ok('a'), ok('b')], []],
    [
      'one down, read earlier: named with its last read',
      [ok('a'), down('b', last)],
      [
        'b (ECONNREFUSED); at its last read (2026-01-01T00:00:00.000Z) it held blue 90% / green 10%',
      ],
    ],
    [
      'one never answered in this run: named, its state unknown',
      [down('a'), ok('b')],
      ['a (ECONNREFUSED); it answered no read in this run, so what it holds is unknown'],
    ],
    [
      'none moved: an error naming each',
      [down('a', last), down('b')],
      /^no router took blue 100% \/ green 0%: a \(ECONNREFUSED\); at its last read .*; b \(ECONNREFUSED\); it answered no read/,
    ],
    [
      'a moved router reads other weights: an error',
      [ok('a', 50), down('b')],
      /after writing blue 100% \/ green 0% a reads blue 50% \/ green 50%; not moved: b/,
    ],
  ])('%s', (_, outcomes, expected) => {
    const judge = () => judgeSafetyWrite(w(100), outcomes)
    if (expected instanceof RegExp) expect(judge).toThrow(expected)
    else expect(judge().unreached.map(unreachedText)).toEqual(expected)
  })

  test('writeReachable moves every router that answers, puts nobody back, names the others with their last read', async () => {
    const a = new MemoryRouter({ name: 'lb a', weights: w(90) })
    const b = new MemoryRouter({ name: 'lb b', weights: w(90) })
    const c = new MemoryRouter({ name: 'lb c', weights: w(90) })
    const group = new GroupRouter([a, b, c])
    expect(await group.read()).toEqual(w(90)) // b and c were read once, at 90/10
    b.failRead = new Error('ECONNREFUSED')
    c.failWrite = new Error('Backend is using a static LB algorithm')
    // Away from stable still refuses, nothing written.
    await expect(group.write(w(100))).rejects.toThrow('cannot read every router')
    expect(a.writes).toEqual([])
    const move = await group.writeReachable(w(100))
    expect(a.weights).toEqual(w(100))
    expect(move.after).toEqual(w(100))
    expect(move.unreached.map((u) => [u.router, u.error, u.lastRead?.weights])).toEqual([
      ['memory router lb b', 'ECONNREFUSED', w(90)],
      ['memory router lb c', 'Backend is using a static LB algorithm', w(90)],
    ])
    expect(c.weights).toEqual(w(90))
  })

  test('readReachable: the weights of the routers that answer, and the others', async () => {
    const a = new MemoryRouter({ name: 'lb a', weights: w(50) })
    const b = new MemoryRouter({ name: 'lb b', weights: w(50) })
    b.failRead = new Error('ECONNREFUSED')
    const read = await new GroupRouter([a, b]).readReachable()
    expect(read.after).toEqual(w(50))
    expect(read.unreached.map(unreachedText)).toEqual([
      'memory router lb b (ECONNREFUSED); it answered no read in this run, so what it holds is unknown',
    ])
    a.failRead = new Error('timeout')
    await expect(new GroupRouter([a, b]).readReachable()).rejects.toThrow('no router could be read')
  })

  test.each<[string, boolean, boolean]>([
    // [case, a router had taken the change, every router reads the old weights again]
    ['one took it, the other refused, both put back: put back', true, true],
    ['every router refused: nothing had moved, not a put-back', false, true],
  ])('%s', async (_, oneTook, __) => {
    const a = new MemoryRouter({ name: 'lb a' })
    const b = new MemoryRouter({ name: 'lb b' })
    b.failWrite = (t) => (t.green === 100 ? new Error('no green server') : undefined)
    if (!oneTook) a.failWrite = (t) => (t.green === 100 ? new Error('no green server') : undefined)
    const error = await new GroupRouter([a, b]).write(w(0)).catch((e: unknown) => e)
    expect(error instanceof RoutersPutBack).toBe(oneTook)
    expect(String(error)).toContain('every router was put back to blue 100% / green 0%')
  })

  test('a router that cannot be put back: not a put-back', async () => {
    const a = new MemoryRouter({ name: 'lb a' })
    const b = new MemoryRouter({ name: 'lb b' })
    b.failWrite = new Error('connection refused')
    a.failWrite = (t) => (t.blue === 100 ? new Error('cannot go back') : undefined)
    const error = await new GroupRouter([a, b]).write(w(0)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RouterError)
    expect(error).not.toBeInstanceOf(RoutersPutBack)
  })

  test('servers of the routers that answer; none answering is an error', async () => {
    const a = new MemoryRouter({ name: 'lb a' })
    const b = {
      ...new MemoryRouter({ name: 'lb b' }),
      servers: () => Promise.reject(new Error('down')),
    }
    const group = new GroupRouter([a, b as unknown as MemoryRouter])
    expect((await group.servers()).blue.map((s) => s.name)).toEqual(['blue-1'])
    const dead = new GroupRouter([b as unknown as MemoryRouter, b as unknown as MemoryRouter])
    await expect(dead.servers()).rejects.toThrow('down')
  })
})
