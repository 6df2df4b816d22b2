/**
 * Smoke tests through the bundles on real HAProxy and nginx, three app servers per slot: every
 * server of the target slot is checked before traffic moves; one bad server of three stops the
 * switch (exit 1, nothing moved, the log names that server and what it answered); a command
 * check gets the placeholders as argv; canary-step runs the smoke test before its first weight
 * only.
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { openRouter, parseRouterConfig, type Weights } from '../../packages/router/index.js'
import { startSandbox, type AppServer, type Sandbox } from '../../scripts/sandbox/index.js'
import { runAction as runActionAs } from '../harness.js'

/** These tests are about smoke tests and traffic: records off. */
const runAction = (action: string, inputs: Record<string, unknown>) =>
  runActionAs(action, { inputs: { record: 'false', ...inputs } as never })

let sandbox: Sandbox
beforeAll(async () => {
  sandbox = await startSandbox({ haproxy: true, nginx: true, serversPerSlot: 3 })
})
afterAll(async () => {
  await sandbox?.stop()
})

type Kind = 'haproxy' | 'nginx'
const routerYaml = (kind: Kind) => sandbox[kind]!.router
const routerOf = (kind: Kind) => openRouter(parseRouterConfig(routerYaml(kind)))
const readWeights = (kind: Kind): Promise<Weights> => routerOf(kind).read()
const hostOf = (app: AppServer) => new URL(app.url).host
/** The name the router gives a server: HAProxy's server name, nginx's host:port. */
const nameOf = (kind: Kind, slot: 'blue' | 'green', i: number) =>
  kind === 'haproxy' ? `web-${slot}-${i + 1}` : hostOf(sandbox.servers[slot][i]!)
/** The body each app answers on `/`: {"slot":"green","version":"..."}. */
const bodyCheck = { url: 'http://{{address}}/', body: '"version":"v2"', timeout: '5s' }

beforeEach(async () => {
  await Promise.all([
    routerOf('haproxy').write({ blue: 100, green: 0 }),
    routerOf('nginx').write({ blue: 100, green: 0 }),
  ])
  await Promise.all(
    [...sandbox.servers.blue, ...sandbox.servers.green].map((app) =>
      app.control({ healthy: true, errorRate: 0, version: app.slot === 'green' ? 'v2' : 'v1' }),
    ),
  )
})

describe.each(['haproxy', 'nginx'] as const)('blue-green-switch smoke on %s', (kind) => {
  test('every server of green passes: the switch happens, each server is in the log and the summary', async () => {
    const run = await runAction('blue-green-switch', {
      router: routerYaml(kind),
      to: 'green',
      smoke: [bodyCheck, { url: 'http://{{address}}/healthz/{{slot}}', status: [200, 204] }],
    })
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({ switched: 'true', active: 'green' })
    expect(await readWeights(kind)).toEqual({ blue: 0, green: 100 })
    for (const [i, app] of sandbox.servers.green.entries()) {
      const line = `smoke ${nameOf(kind, 'green', i)} (${hostOf(app)}): GET http://${hostOf(app)}/healthz/green: passed`
      expect(run.stdout).toContain(line)
      expect(run.summary).toContain(`| ${nameOf(kind, 'green', i)} | ${hostOf(app)} |`)
    }
    expect(run.stdout).not.toContain(hostOf(sandbox.servers.blue[0]!) + '/healthz')
    expect(run.summary).toContain('Smoke test of green: passed on every server')
  })

  test('one server of three answers a wrong body: nothing moves, exit 1, the log names it and its answer', async () => {
    const bad = sandbox.servers.green[1]!
    await bad.control({ version: 'v1-stale' })
    const run = await runAction('blue-green-switch', {
      router: routerYaml(kind),
      to: 'green',
      smoke: [bodyCheck],
    })
    expect(run.exitCode).toBe(1)
    expect(await readWeights(kind)).toEqual({ blue: 100, green: 0 })
    const name = nameOf(kind, 'green', 1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toContain(
      `smoke test failed on server ${name} (${hostOf(bad)}) of slot green: GET http://${hostOf(bad)}/ answered HTTP 200, but the body does not contain "\\"version\\":\\"v2\\""`,
    )
    expect(run.errors[0]).toContain(`body "{\\"slot\\":\\"green\\",\\"version\\":\\"v1-stale\\"}"`)
    expect(run.errors[0]).toContain('No traffic was moved: traffic stays at blue 100% / green 0%')
    expect(run.stdout).toContain(
      `smoke ${name} (${hostOf(bad)}): GET http://${hostOf(bad)}/: FAILED`,
    )
    // The other two servers were checked too, and passed.
    for (const i of [0, 2]) expect(run.stdout).toContain(`smoke ${nameOf(kind, 'green', i)} (`)
    expect(run.outputs).toMatchObject({ phase: 'smoke', 'rolled-back': 'false' })
    expect(run.outputs.reason).toMatch(
      new RegExp(`^smoke test failed on server ${name.replace(/\./g, '\\.')} `),
    )
    expect(run.summary).toContain(`Smoke test of green: failed on ${name}; nothing moved`)
  })
})

test('one server of three answers 503 on its health page: the status is named, nothing moves (HAProxy)', async () => {
  const bad = sandbox.servers.green[2]!
  await bad.control({ healthy: false })
  const run = await runAction('blue-green-switch', {
    router: routerYaml('haproxy'),
    to: 'green',
    smoke: [{ url: 'http://{{address}}/healthz/{{slot}}', retries: 1, interval: '200ms' }],
  })
  expect(run.exitCode).toBe(1)
  expect(await readWeights('haproxy')).toEqual({ blue: 100, green: 0 })
  expect(run.errors[0]).toMatch(
    /smoke test failed on server web-green-3 \(127\.0\.0\.1:\d+\) of slot green: GET http:\/\/127\.0\.0\.1:\d+\/healthz\/green answered HTTP 503, expected 200 in \d+ ms; body "\{\\"healthy\\":false\}"/,
  )
  expect(run.stdout).toMatch(/smoke web-green-3 .*FAILED.*\(2 attempts\)/)
})

test('a command check gets {{address}}, {{server}} and {{slot}} as argv, once per server', async () => {
  const script = join(sandbox.dir, 'smoke-check.sh')
  const seen = join(sandbox.dir, 'smoke-seen.txt')
  writeFileSync(seen, '')
  // A small script file given as argv: no shell string anywhere.
  writeFileSync(script, `#!/bin/sh\necho "$1 $2 $3" >> '${seen}'\necho "checked $2"\n`)
  chmodSync(script, 0o755)
  const run = await runAction('blue-green-switch', {
    router: routerYaml('haproxy'),
    to: 'green',
    'dry-run': 'true',
    smoke: [{ command: [script, '{{slot}}', '{{server}}', '{{address}}'], timeout: '10s' }],
  })
  expect(run.exitCode).toBe(0)
  expect(await readWeights('haproxy')).toEqual({ blue: 100, green: 0 })
  expect(readFileSync(seen, 'utf8').trim().split('\n')).toEqual(
    sandbox.servers.green.map((app, i) => `green web-green-${i + 1} ${hostOf(app)}`),
  )
  expect(run.stdout).toContain('checked web-green-2')
})

test('a failing command names the server, its exit code and output', async () => {
  const script = join(sandbox.dir, 'smoke-fail.sh')
  writeFileSync(
    script,
    `#!/bin/sh\n[ "$1" = "web-green-3" ] && { echo "::error::not ready on $1"; exit 4; }\nexit 0\n`,
  )
  chmodSync(script, 0o755)
  const run = await runAction('blue-green-switch', {
    router: routerYaml('haproxy'),
    to: 'green',
    smoke: [{ command: [script, '{{server}}'], timeout: '10s' }],
  })
  expect(run.exitCode).toBe(1)
  expect(await readWeights('haproxy')).toEqual({ blue: 100, green: 0 })
  expect(run.errors[0]).toMatch(
    /smoke test failed on server web-green-3 \(127\.0\.0\.1:\d+\) of slot green: .*smoke-fail\.sh web-green-3 answered exit code 4 in \d+ ms; output "::error::not ready on web-green-3"/,
  )
  // The script's `::error::` line is printed, never taken as a workflow command.
  expect(run.errors).toHaveLength(1)
})

test('smoke from a workspace file: it runs; a refused value in it is never echoed', async () => {
  const good = join(sandbox.dir, 'smoke-good.yml')
  writeFileSync(good, `- url: http://{{address}}/healthz/{{slot}}\n  timeout: 5s\n`)
  const run = await runActionAs('blue-green-switch', {
    inputs: {
      record: 'false',
      router: routerYaml('haproxy'),
      to: 'green',
      'dry-run': 'true',
      smoke: 'smoke-good.yml',
    } as never,
    workspace: sandbox.dir,
  })
  expect(run.exitCode).toBe(0)
  expect(run.stdout).toMatch(
    /smoke web-green-3 \(127\.0\.0\.1:\d+\): GET .*\/healthz\/green: passed/,
  )

  const bad = join(sandbox.dir, 'smoke-bad.yml')
  writeFileSync(bad, `- url: https://deploy:hunter2-from-file@{{address}}/\n`)
  const refused = await runActionAs('blue-green-switch', {
    inputs: {
      record: 'false',
      router: routerYaml('haproxy'),
      to: 'green',
      smoke: 'smoke-bad.yml',
    } as never,
    workspace: sandbox.dir,
  })
  expect(refused.exitCode).toBe(1)
  expect(refused.errors[0]).toContain(
    `Input 'smoke' (the file "smoke-bad.yml"), check 1, key 'url' has a URL with a user name or password in it (not shown: it comes from a file)`,
  )
  expect(refused.stdout + refused.errors.join('\n')).not.toContain('hunter2')
  expect(await readWeights('haproxy')).toEqual({ blue: 100, green: 0 })
})

describe('canary-step smoke', () => {
  test('a failing smoke before the first weight: nothing moves, phase smoke', async () => {
    await sandbox.servers.green[0]!.control({ errorRate: 1 })
    const run = await runAction('canary-step', {
      router: routerYaml('haproxy'),
      canary: 'green',
      weight: '10',
      interval: '100ms',
      smoke: [{ url: 'http://{{address}}/', timeout: '5s' }],
    })
    expect(run.exitCode).toBe(1)
    expect(await readWeights('haproxy')).toEqual({ blue: 100, green: 0 })
    expect(run.errors[0]).toMatch(
      /smoke test failed on server web-green-1 \(127\.0\.0\.1:\d+\) of slot green: GET http:\/\/127\.0\.0\.1:\d+\/ answered HTTP 500, expected 200/,
    )
    expect(run.outputs).toMatchObject({ phase: 'smoke', 'rolled-back': 'false' })
  })

  test('runs before step 1 only: a later step job does not run it again', async () => {
    const first = await runAction('canary-step', {
      router: routerYaml('haproxy'),
      canary: 'green',
      weight: '10',
      interval: '100ms',
      smoke: [bodyCheck],
    })
    expect(first.exitCode).toBe(0)
    expect(await readWeights('haproxy')).toEqual({ blue: 90, green: 10 })
    for (const i of [0, 1, 2]) expect(first.stdout).toContain(`smoke web-green-${i + 1} (`)
    expect(first.summary).toContain('Smoke test of green: passed on every server')

    // The next step job: a smoke that would fail on every server is not run again.
    await Promise.all(sandbox.servers.green.map((app) => app.control({ version: 'v3' })))
    const next = await runAction('canary-step', {
      router: routerYaml('haproxy'),
      canary: 'green',
      weight: '50',
      interval: '100ms',
      smoke: [bodyCheck],
    })
    expect(next.exitCode).toBe(0)
    expect(await readWeights('haproxy')).toEqual({ blue: 50, green: 50 })
    expect(next.stdout).toContain(
      'smoke: not run again: the walk is past its first weight (canary green at 10%)',
    )
    expect(next.stdout).not.toMatch(/smoke web-green-\d \(/)
  })
})
