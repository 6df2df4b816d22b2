/**
 * Bad input: every case fails the step with a message naming the input, the value and what is
 * allowed (or what the router said), and leaves traffic exactly where it was.
 */
import { execFileSync } from 'node:child_process'
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  HaproxyRouter,
  openRouter,
  parseRouterConfig,
  type Weights,
} from '../../packages/router/index.js'
import { startSandbox, type Sandbox } from '../../scripts/sandbox/index.js'
import { runAction } from '../harness.js'

let sandbox: Sandbox
beforeAll(async () => {
  sandbox = await startSandbox({ haproxy: true, nginx: true })
})
afterAll(async () => {
  await sandbox?.stop()
})

const haproxy = () => sandbox.haproxy!.router as Record<string, unknown>
const nginx = () => sandbox.nginx!.router as Record<string, unknown>
const routerOf = (kind: 'haproxy' | 'nginx') =>
  openRouter(parseRouterConfig(kind === 'haproxy' ? haproxy() : nginx()))
const bothAt = async (w: Weights) =>
  Promise.all([routerOf('haproxy').write(w), routerOf('nginx').write(w)])

type Case = [name: string, inputs: () => Record<string, unknown>, error: RegExp | string]

const cases: Case[] = [
  // The action's own inputs (records, health, ids): validated whether or not they are used.
  [
    'records on without environment',
    () => ({ router: haproxy(), record: 'true', environment: '' }),
    `Input 'environment' is required when records are on (record: true) and was not given`,
  ],
  [
    'service with a space',
    () => ({ router: haproxy(), service: 'orders api' }),
    `Input 'service' has the value "orders api"; allowed: 1 to 100 letters, digits`,
  ],
  [
    'deployment-id not a number',
    () => ({ router: haproxy(), 'deployment-id': 'latest' }),
    /Input 'deployment-id' has the value "latest"; allowed: a whole number/,
  ],
  [
    'deployment-id zero',
    () => ({ router: haproxy(), 'deployment-id': '0' }),
    /Input 'deployment-id' has the value "0"; allowed: a whole number from 1/,
  ],
  [
    'production-environment maybe',
    () => ({ router: haproxy(), 'production-environment': 'maybe' }),
    `Input 'production-environment' has the value "maybe"; allowed: true or false`,
  ],
  [
    'image with a space',
    () => ({ router: haproxy(), image: 'orders v2' }),
    `Input 'image' has the value "orders v2"; allowed: an image reference without spaces`,
  ],
  [
    'environment-url not http',
    () => ({ router: haproxy(), 'environment-url': 'orders.example.com' }),
    `Input 'environment-url' has the value "orders.example.com"; allowed: an http:// or https:// URL`,
  ],
  [
    'health-checks without health-url is still validated',
    () => ({ router: haproxy(), 'health-checks': 'many' }),
    `Input 'health-checks' has the value "many"; allowed: a whole number from 1 to 100.`,
  ],
  [
    'health-timeout without health-url is still validated',
    () => ({ router: haproxy(), 'health-timeout': '0s' }),
    `Input 'health-timeout' has the value "0s"; allowed: a duration from 100ms to 1h.`,
  ],
  [
    'health-url with a password is refused without echoing it',
    () => ({ router: haproxy(), 'health-url': 'https://ops:hunter2@green.internal/healthz' }),
    `Input 'health-url' has a URL with a user name or password in it (https://***@green.internal)`,
  ],
  [
    'to is a list',
    () => ({ router: haproxy(), to: 'blue,green' }),
    `Input 'to' has the value "blue,green"; allowed: blue, green, idle.`,
  ],
  // Router lists and slots of many servers.
  [
    'router list with a bad second router',
    () => ({ router: [haproxy(), { ...haproxy(), backend: undefined }] }),
    /Input 'router': 'router\[1\]\.backend' is required/,
  ],
  ['router list that is empty', () => ({ router: '[]' }), `Input 'router': is an empty list`],
  [
    'router list mixing types',
    () => ({ router: [haproxy(), nginx()] }),
    `Input 'router': mixes router types (haproxy, nginx)`,
  ],
  [
    'slot with an empty server list',
    () => ({ router: { ...haproxy(), slots: { blue: [], green: ['web-green'] } } }),
    /'slots\.blue'/,
  ],
  [
    'the same server in both slots of a list',
    () => ({
      router: { ...haproxy(), slots: { blue: ['web-blue', 'web-green'], green: ['web-green'] } },
    }),
    /web-green/,
  ],
  ['router not given', () => ({ router: '' }), `Input 'router' is required and was not given.`],
  [
    'router is malformed YAML',
    () => ({ router: 'type: [haproxy\nbackend: web' }),
    /Input 'router': the value is not valid YAML/,
  ],
  [
    'router is a list',
    () => ({ router: '- haproxy\n- web' }),
    `Input 'router': 'router[0]' must be a YAML mapping (type, address, ...), got string "haproxy".`,
  ],
  [
    'router file does not exist',
    () => ({ router: 'deploy/router.yml' }),
    `Input 'router' names the file "deploy/router.yml", which cannot be read (ENOENT)`,
  ],
  [
    'unknown router type',
    () => ({ router: { ...haproxy(), type: 'traefik' } }),
    `Input 'router': 'type' is "traefik"; allowed: haproxy, nginx, kubernetes, dns, flagd, unleash.`,
  ],
  [
    'misspelt key',
    () => ({ router: { ...haproxy(), backed: 'web' } }),
    `Input 'router': unknown key "backed" for type haproxy; allowed: type, name, address, backend, slots, timeout, match-map, match-backends.`,
  ],
  [
    'haproxy without backend',
    () => ({ router: { ...haproxy(), backend: undefined } }),
    `Input 'router': 'backend' is required for type haproxy.`,
  ],
  [
    'haproxy address without port',
    () => ({ router: { ...haproxy(), address: 'lb.internal' } }),
    /'address' is "lb.internal"; allowed: host:port of the HAProxy runtime API/,
  ],
  [
    'same server for both slots',
    () => ({ router: { ...haproxy(), slots: { blue: 'web-blue', green: 'web-blue' } } }),
    `'slots.blue' and 'slots.green' are both "web-blue"; the two slots must differ.`,
  ],
  [
    'slot missing',
    () => ({ router: { ...haproxy(), slots: { blue: 'web-blue' } } }),
    `'slots.green' is required: server names in that backend.`,
  ],
  [
    'unknown slot key',
    () => ({ router: { ...haproxy(), slots: { blue: 'web-blue', green: 'web-green', red: 'x' } } }),
    `'slots' has unknown key "red"; allowed: blue, green.`,
  ],
  [
    'bad timeout',
    () => ({ router: { ...haproxy(), timeout: 'soon' } }),
    `'timeout' is "soon"; allowed: a duration from 100ms to 2m, e.g. 5s.`,
  ],
  [
    'to: purple',
    () => ({ router: haproxy(), to: 'purple' }),
    `Input 'to' has the value "purple"; allowed: blue, green, idle.`,
  ],
  [
    'health-checks 0',
    () => ({ router: haproxy(), 'health-url': 'http://127.0.0.1:1/', 'health-checks': '0' }),
    `Input 'health-checks' has the value "0"; allowed: a whole number from 1 to 100.`,
  ],
  [
    'health-interval without unit',
    () => ({ router: haproxy(), 'health-url': 'http://127.0.0.1:1/', 'health-interval': '5' }),
    /Input 'health-interval' has the value "5", which is not a duration/,
  ],
  [
    'health-url not http',
    () => ({ router: haproxy(), 'health-url': 'ftp://green.internal/healthz' }),
    `Input 'health-url' has the value "ftp://green.internal/healthz"; allowed: an http:// or https:// URL, where {{slot}} stands for the target slot's name.`,
  ],
  // smoke: the whole spec is validated before anything is contacted.
  [
    'smoke is a mapping, not a list',
    () => ({ router: haproxy(), smoke: { url: 'http://{{address}}/' } }),
    `Input 'smoke' is a mapping; allowed: a YAML list of checks, each { url, status, body, timeout, retries, interval } or { command: [argv...], timeout }.`,
  ],
  [
    'smoke url not http',
    () => ({ router: haproxy(), smoke: [{ url: 'ftp://{{address}}/x' }] }),
    `Input 'smoke', check 1, key 'url' has the value "ftp://{{address}}/x"; allowed: an http:// or https:// URL`,
  ],
  [
    'smoke url with a password is refused without echoing it',
    () => ({ router: haproxy(), smoke: [{ url: 'https://ops:hunter2@{{address}}/' }] }),
    /Input 'smoke', check 1, key 'url' has a URL with a user name or password in it \(https:\/\/\*\*\*@\{\{address\}\}\); .*A smoke check sends no credentials(?![\s\S]*hunter2)/,
  ],
  [
    'smoke with an unknown key',
    () => ({ router: haproxy(), smoke: [{ url: 'http://{{address}}/', headers: { a: 'b' } }] }),
    `Input 'smoke', check 1 has unknown key "headers"; allowed for an HTTP check: url, status, body, timeout, retries, interval.`,
  ],
  [
    'smoke status out of range',
    () => ({ router: haproxy(), smoke: [{ url: 'http://{{address}}/', status: 999 }] }),
    `Input 'smoke', check 1, key 'status' has the value 999; allowed: an HTTP status from 100 to 599, or a list of them`,
  ],
  [
    'smoke timeout over the limit',
    () => ({ router: haproxy(), smoke: [{ url: 'http://{{address}}/', timeout: '1h' }] }),
    `Input 'smoke', check 1, key 'timeout' has the value "1h"; allowed: a duration from 100ms to 5m`,
  ],
  [
    'smoke command as a shell string',
    () => ({ router: haproxy(), smoke: [{ command: './smoke.sh {{address}}' }] }),
    `Input 'smoke', check 1, key 'command' is string "./smoke.sh {{address}}"; allowed: an argv list`,
  ],
  [
    'smoke with an unknown placeholder',
    () => ({ router: haproxy(), smoke: [{ url: 'http://{{host}}/' }] }),
    `Input 'smoke', check 1, key 'url' has the placeholder "{{host}}"; allowed: {{slot}}, {{server}}, {{address}}.`,
  ],
  [
    'dry-run yes',
    () => ({ router: haproxy(), 'dry-run': 'yes' }),
    `Input 'dry-run' has the value "yes"; allowed: true or false (any letter case).`,
  ],
  [
    'unreachable runtime API',
    () => ({ router: { ...haproxy(), address: '127.0.0.1:1' } }),
    'cannot reach the HAProxy runtime API at 127.0.0.1:1: ECONNREFUSED',
  ],
  [
    'unknown backend',
    () => ({ router: { ...haproxy(), backend: 'nope' } }),
    `HAProxy has no backend 'nope'`,
  ],
  [
    'unknown server name',
    () => ({ router: { ...haproxy(), slots: { blue: 'web-blue', green: 'web-grn' } } }),
    `HAProxy backend 'web' has no server 'web-grn' (slot green); its servers are: web-blue, web-green`,
  ],
  [
    'nginx slot not host:port',
    () => ({ router: { ...nginx(), slots: { blue: 'blue', green: 'green' } } }),
    `'slots.blue' is "blue"; allowed: host:port of the slot, as in the upstream.`,
  ],
  [
    'nginx reload not a list',
    () => ({ router: { ...nginx(), reload: 'nginx -s reload' } }),
    /'reload' must be a command as a YAML list of arguments, e.g. \[nginx, -s, reload\]/,
  ],
  [
    'nginx upstream file missing',
    () => ({ router: { ...nginx(), 'upstream-file': '/nonexistent/upstream.conf' } }),
    /cannot read the nginx upstream file \/nonexistent\/upstream.conf: ENOENT/,
  ],
  [
    'nginx upstream block missing',
    () => ({ router: { ...nginx(), upstream: 'api' } }),
    /has no 'upstream api \{ ... \}' block/,
  ],
  [
    'nginx slot address not in the upstream',
    () => ({
      router: {
        ...nginx(),
        slots: { blue: (nginx().slots as Record<string, string>).blue, green: '127.0.0.1:1' },
      },
    }),
    /has no server 127.0.0.1:1 \(slot green\)/,
  ],
  [
    'nginx reload command fails',
    () => ({ router: { ...nginx(), reload: ['false'] } }),
    /nginx reload failed \(false: exit code 1\); restored .*upstream.conf, traffic stays at blue 100% \/ green 0%/,
  ],
  [
    'nginx reload command not found',
    () => ({ router: { ...nginx(), reload: ['/usr/sbin/no-such-nginx', '-s', 'reload'] } }),
    /nginx reload failed \(\/usr\/sbin\/no-such-nginx -s reload: command not found\)/,
  ],
  [
    'nginx configuration test fails',
    () => ({ router: { ...nginx(), test: ['nginx', '-t', '-c', '/nonexistent/nginx.conf'] } }),
    /nginx configuration test failed \(nginx -t -c \/nonexistent\/nginx.conf: exit code 1\).*traffic stays at blue 100% \/ green 0%/,
  ],
  // bake: canary-step's gate YAML, read by the same code; refused before anything is contacted.
  [
    'bake not a mapping',
    () => ({ router: haproxy(), bake: 'yes' }),
    `Input 'bake' must be a YAML mapping (prometheus, checks, ...), got string "yes".`,
  ],
  [
    'bake with an unknown key',
    () => ({ router: haproxy(), bake: { prometheus: 'http://127.0.0.1:9', window: '5m' } }),
    `Input 'bake' has unknown key "window"; allowed: prometheus, prometheus-headers, checks,`,
  ],
  [
    'bake without prometheus',
    () => ({ router: haproxy(), bake: { checks: [{ name: 'up', query: 'up', min: 1 }] } }),
    `Input 'bake.prometheus' is required: the base URL of Prometheus`,
  ],
  [
    'bake count 0',
    () => ({
      router: haproxy(),
      bake: {
        prometheus: 'http://127.0.0.1:9',
        count: 0,
        checks: [{ name: 'up', query: 'up', min: 1 }],
      },
    }),
    `Input 'bake.count' has the value "0"; allowed: a whole number from 1 to 1000.`,
  ],
  [
    'bake check using an unknown placeholder',
    () => ({
      router: haproxy(),
      bake: {
        prometheus: 'http://127.0.0.1:9',
        checks: [{ name: 'errors', query: 'sum(rate(x{slot="{{new}}"}[1m]))', max: 1 }],
      },
    }),
    /Input 'bake.checks'\[0\] \(errors\).*\{\{new\}\}/,
  ],
]

describe('blue-green-switch refuses bad input and moves nothing', () => {
  beforeEach(async () => {
    await bothAt({ blue: 100, green: 0 })
  })

  test.each(cases)('%s', async (name, inputs, error) => {
    const run = await runAction('blue-green-switch', {
      inputs: { to: 'green', record: 'false', ...inputs() } as never,
    })
    expect(run.exitCode).toBe(1)
    expect(run.errors).toHaveLength(1)
    if (typeof error === 'string') expect(run.errors[0]).toContain(error)
    else expect(run.errors[0]).toMatch(error)
    // A refusal of the inputs sets no output; a router that refused the move says where the step
    // stopped (phase weight, no verdict) and nothing else.
    const { verdict, phase, figures, ...rest } = run.outputs
    expect(rest).toEqual({})
    if (name.startsWith('bake') || phase === undefined)
      expect({ verdict, phase, figures }).toEqual({})
    else
      expect({ verdict, phase, figures }).toEqual({
        verdict: 'none',
        phase: 'weight',
        figures: '{}',
      })
    expect(await routerOf('haproxy').read()).toEqual({ blue: 100, green: 0 })
    expect(await routerOf('nginx').read()).toEqual({ blue: 100, green: 0 })
  })

  test('to: idle while traffic is split asks for a slot and leaves the split alone', async () => {
    await bothAt({ blue: 70, green: 30 })
    for (const router of [haproxy(), nginx()]) {
      const run = await runAction('blue-green-switch', { inputs: { router, record: 'false' } })
      expect(run.exitCode).toBe(1)
      expect(run.errors[0]).toContain(
        `Input 'to' is "idle", but traffic is split (blue 70% / green 30%), so no slot is idle.`,
      )
    }
    expect(await routerOf('haproxy').read()).toEqual({ blue: 70, green: 30 })
    expect(await routerOf('nginx').read()).toEqual({ blue: 70, green: 30 })
  })

  test('a target server in maintenance is refused before any weight changes', async () => {
    const api = routerOf('haproxy') as HaproxyRouter
    await api.command('set server web/web-green state maint')
    try {
      const run = await runAction('blue-green-switch', {
        inputs: { router: haproxy(), to: 'green', record: 'false' },
      })
      expect(run.exitCode).toBe(1)
      expect(run.errors[0]).toContain(
        'HAProxy server web/web-green (slot green) is in maintenance, so it cannot take 100% of traffic; nothing was changed',
      )
      expect(await api.read()).toEqual({ blue: 100, green: 0 })
    } finally {
      await api.command('set server web/web-green state ready')
    }
    expect(await api.read()).toEqual({ blue: 100, green: 0 })
  })

  test('an upstream file whose directory cannot be written: the file and traffic stay as they were', async () => {
    const dir = join(sandbox.dir, 'locked')
    mkdirSync(dir)
    const file = join(dir, 'upstream.conf')
    const slots = nginx().slots as Record<string, string>
    writeFileSync(
      file,
      `upstream web {\n    server ${slots.blue} weight=100;\n    server ${slots.green} down;\n}\n`,
    )
    const asRoot = process.getuid?.() === 0
    // Root ignores permission bits; an immutable directory stops even root.
    if (asRoot) execFileSync('chattr', ['+i', dir])
    else chmodSync(dir, 0o555)
    try {
      const run = await runAction('blue-green-switch', {
        inputs: { router: { ...nginx(), 'upstream-file': file }, to: 'green', record: 'false' },
      })
      expect(run.exitCode).toBe(1)
      expect(run.errors[0]).toMatch(
        new RegExp(`cannot rewrite the nginx upstream file ${file}: (EPERM|EACCES)`),
      )
      const router = openRouter(parseRouterConfig({ ...nginx(), 'upstream-file': file }))
      expect(await router.read()).toEqual({ blue: 100, green: 0 })
    } finally {
      if (asRoot) execFileSync('chattr', ['-i', dir])
      else chmodSync(dir, 0o755)
    }
  })
})
