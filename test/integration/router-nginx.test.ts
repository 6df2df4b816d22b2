/**
 * nginx as a router, on a real nginx: write() returns only when new connections get the new
 * weights; a slot of many servers; nginx "on another host" through commands (local wrapper
 * scripts stand in for ssh).
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs'
import { get } from 'node:http'
import { join } from 'node:path'
import {
  NginxRouter,
  openRouter,
  parseRouterConfig,
  type NginxConfig,
  type Slot,
} from '../../packages/router/index.js'
import { startSandbox, type Sandbox } from '../../scripts/sandbox/index.js'

/** The slot that answers one request on a new connection. */
function slotOf(url: string): Promise<string> {
  return new Promise((resolve, reject) =>
    get(url, { agent: false }, (res) => {
      res.resume()
      resolve(String(res.headers['x-slot'] ?? 'none'))
    }).on('error', reject),
  )
}

/** How many of `count` requests, each on a fresh connection, each slot answered. */
async function freshConnections(url: string, count: number): Promise<Record<string, number>> {
  const seen: Record<string, number> = {}
  for (let i = 0; i < count; i++) {
    const slot = await slotOf(url)
    seen[slot] = (seen[slot] ?? 0) + 1
  }
  return seen
}

describe('nginx, one server per slot', () => {
  let sandbox: Sandbox
  beforeAll(async () => {
    sandbox = await startSandbox({ nginx: true })
  })
  afterAll(async () => {
    await sandbox?.stop()
  })

  test('right after write() returns, 100 new connections all reach the new slot, 20 switches in a row', async () => {
    const router = openRouter(parseRouterConfig(sandbox.nginx!.router))
    const misses: string[] = []
    for (let i = 0; i < 20; i++) {
      const slot: Slot = i % 2 === 0 ? 'green' : 'blue'
      await router.write(slot === 'green' ? { blue: 0, green: 100 } : { blue: 100, green: 0 })
      const seen = await freshConnections(sandbox.nginx!.url, 100)
      if (seen[slot] !== 100) misses.push(`switch ${i + 1} to ${slot}: ${JSON.stringify(seen)}`)
    }
    expect(misses).toEqual([])
  })

  test('servers() are host:port for name and address', async () => {
    const router = openRouter(parseRouterConfig(sandbox.nginx!.router))
    expect(await router.servers()).toEqual({
      blue: [
        {
          name: `127.0.0.1:${sandbox.apps.blue.port}`,
          address: `127.0.0.1:${sandbox.apps.blue.port}`,
        },
      ],
      green: [
        {
          name: `127.0.0.1:${sandbox.apps.green.port}`,
          address: `127.0.0.1:${sandbox.apps.green.port}`,
        },
      ],
    })
  })

  test('nginx on another host: read, write, test, reload and the wait are commands (ssh stand-ins)', async () => {
    const { router: local, upstreamFile, pidFile } = sandbox.nginx!
    // Stands in for `ssh <host> <command>`: drops the host, runs the command string in a shell,
    // as sshd does, and logs each call so the test can see every operation went through it.
    const calls = join(sandbox.dir, 'fake-ssh.log')
    const fakeSsh = join(sandbox.dir, 'fake-ssh')
    writeFileSync(fakeSsh, `#!/bin/sh\nshift\necho "$*" >> '${calls}'\nexec sh -c "$*"\n`)
    chmodSync(fakeSsh, 0o755)
    const test = local.test as string[]
    const reload = local.reload as string[]
    const config = parseRouterConfig({
      type: 'nginx',
      name: 'edge lb1',
      upstream: 'web',
      slots: local.slots,
      read: [fakeSsh, 'lb1', `cat ${upstreamFile}`],
      write: [
        fakeSsh,
        'lb1',
        `cat > ${upstreamFile}.new && mv ${upstreamFile}.new ${upstreamFile}`,
      ],
      test: [fakeSsh, 'lb1', test.join(' ')],
      reload: [fakeSsh, 'lb1', reload.join(' ')],
      workers: [fakeSsh, 'lb1', `ps -o pid=,args= --ppid "$(cat ${pidFile})"`],
    }) as NginxConfig
    const router = new NginxRouter(config)
    await router.write({ blue: 100, green: 0 })
    for (const slot of ['green', 'blue'] as const) {
      await router.write(slot === 'green' ? { blue: 0, green: 100 } : { blue: 100, green: 0 })
      expect(await freshConnections(sandbox.nginx!.url, 100)).toEqual({ [slot]: 100 })
    }
    expect(await router.read()).toEqual({ blue: 100, green: 0 })
    const log = readFileSync(calls, 'utf8')
    for (const op of ['cat /', 'cat > ', ' -t -q', ' -s reload', 'ps -o pid=,args='])
      expect(log).toContain(op)
    expect(router.name).toBe('edge lb1')
  })

  test('a reload that never finishes fails within the timeout and puts the file back', async () => {
    const { router: local, upstreamFile } = sandbox.nginx!
    await openRouter(parseRouterConfig(local)).write({ blue: 100, green: 0 })
    const before = readFileSync(upstreamFile, 'utf8')
    // A `workers` command that always shows the same old worker: the reload never completes, so
    // only that fake ever meets the budget. The real commands under the same budget (nginx -t,
    // nginx -s reload, echo itself) get seconds: a loaded machine may take more than a second to
    // run any of them, and a sub-second budget would fail them instead of the wait.
    const router = openRouter(
      parseRouterConfig({
        ...local,
        'pid-file': undefined,
        workers: ['echo', '4242 nginx: worker process'],
        timeout: '5s',
      }),
    )
    await expect(router.write({ blue: 0, green: 100 })).rejects.toThrow(
      /nginx did not finish the reload within 5000 ms: old worker 4242 still accepting, 0 new; see nginx's error log; restored .* and reloaded again: new connections get blue 100% \/ green 0%/,
    )
    expect(readFileSync(upstreamFile, 'utf8')).toBe(before)
  })
})

describe('nginx, three servers per slot', () => {
  let sandbox: Sandbox
  beforeAll(async () => {
    sandbox = await startSandbox({ nginx: true, serversPerSlot: 3 })
  })
  afterAll(async () => {
    await sandbox?.stop()
  })

  test('each slot share is spread over its servers; split within 1 point', async () => {
    const router = openRouter(parseRouterConfig(sandbox.nginx!.router))
    for (const green of [10, 33, 50]) {
      await router.write({ blue: 100 - green, green })
      expect(await router.read()).toEqual({ blue: 100 - green, green })
      const seen = await freshConnections(sandbox.nginx!.url, 600)
      const share = ((seen.green ?? 0) * 100) / 600
      expect(Math.abs(share - green)).toBeLessThanOrEqual(1)
    }
    const servers = await router.servers()
    expect(servers.blue.map((s) => s.address)).toEqual(
      sandbox.servers.blue.map((app) => `127.0.0.1:${app.port}`),
    )
  })
})
