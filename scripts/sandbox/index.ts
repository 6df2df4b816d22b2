/**
 * Real servers on 127.0.0.1 for tests, the demo and the bench: an app per slot, HAProxy and
 * nginx in front of them, each in a temp dir with free ports, stopped by `stop()`.
 * Servers are spawned directly (not through a shell) so we hold their real PIDs.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { renderMatchFile, upstreamFileFor, type Slot } from '../../packages/router/index.js'
import { startPrometheus, type PrometheusInstance } from './prometheus.js'
import { sleep } from '../../packages/action-kit/util.js'

export type { PrometheusInstance }

const here = dirname(fileURLToPath(import.meta.url))
export const APP_SCRIPT = join(here, 'app.mjs')
export const LOAD_SCRIPT = join(here, 'load.mjs')

export interface AppControl {
  healthy?: boolean
  errorRate?: number
  latencyMs?: number
  version?: string
}

export interface AppServer {
  slot: Slot
  port: number
  url: string
  control(change: AppControl): Promise<void>
}

export interface HaproxyInstance {
  url: string
  /** The HAProxy process id (tests stop it to simulate an outage). */
  pid: number
  /** The runtime API over TCP, host:port. */
  address: string
  /** The same API over a unix socket. */
  socket: string
  router: Record<string, unknown>
  /** The header/cookie phase's map file (router key `match-map`; backends web-blue, web-green). */
  matchMap: string
}

export interface NginxInstance {
  url: string
  upstreamFile: string
  /** The nginx master's pid file. */
  pidFile: string
  router: Record<string, unknown>
  /** The header/cookie phase's include file (router key `match-file`). */
  matchFile: string
}

export interface HaproxyOptions {
  /** The backend's `balance` (default roundrobin; `static-rr` refuses runtime weights other than 0% and 100%). */
  balance?: string
}

export interface Sandbox {
  dir: string
  /** The first server of each slot. */
  apps: Record<Slot, AppServer>
  /** Every server of each slot (`serversPerSlot` of them). */
  servers: Record<Slot, AppServer[]>
  haproxy?: HaproxyInstance
  nginx?: NginxInstance
  prometheus?: PrometheusInstance
  /** Starts one more HAProxy in front of the same servers (a pair, a refusing router); stopped by stop(). */
  addHaproxy(options?: HaproxyOptions): Promise<HaproxyInstance>
  /** Starts a load generator process against `url`; stop() returns its summary. */
  load(url: string, options?: LoadOptions): Promise<LoadRun>
  stop(): Promise<void>
}

export interface LoadOptions {
  concurrency?: number
  /** Stop by itself after this many answers (then use `finished()`). */
  requests?: number
  keepalive?: boolean
  events?: string
  progressMs?: number
  onProgress?: (p: LoadProgress) => void
}

export interface LoadProgress {
  blue: number
  green: number
  non2xx: number
  errors: number
}

export interface LoadSummary {
  requests: number
  ok: number
  non2xx: number
  errors: number
  bySlot: Record<string, number>
  byStatus: Record<string, number>
  byError: Record<string, number>
}

export interface LoadRun {
  stop(): Promise<LoadSummary>
  /** Waits for a run with `requests` to end by itself. */
  finished(): Promise<LoadSummary>
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

export async function startSandbox(
  options: {
    haproxy?: boolean
    nginx?: boolean
    prometheus?: boolean
    /** Servers per slot (default 1): slots of many servers. */
    serversPerSlot?: number
  } = {},
): Promise<Sandbox> {
  const dir = await mkdtemp(join(tmpdir(), 'cutover-sandbox-'))
  const children: ChildProcess[] = []
  const stop = async () => {
    await Promise.all(children.map(stopChild))
    await rm(dir, { recursive: true, force: true })
  }
  try {
    const count = options.serversPerSlot ?? 1
    const servers = { blue: [] as AppServer[], green: [] as AppServer[] }
    for (const slot of ['blue', 'green'] as const)
      for (let i = 0; i < count; i++) servers[slot].push(await startApp(slot, children))
    const apps = { blue: servers.blue[0]!, green: servers.green[0]! }
    let haproxies = 0
    const sandbox: Sandbox = {
      dir,
      apps,
      servers,
      addHaproxy: (haproxyOptions) =>
        startHaproxy(join(dir, `haproxy-${++haproxies}`), servers, children, haproxyOptions),
      load: (url, loadOptions) => startLoad(url, loadOptions, children),
      stop,
    }
    if (options.haproxy)
      sandbox.haproxy = await startHaproxy(join(dir, 'haproxy'), servers, children)
    if (options.nginx) sandbox.nginx = await startNginx(join(dir, 'nginx'), servers, children)
    if (options.prometheus) {
      const ports = { blue: apps.blue.port, green: apps.green.port }
      sandbox.prometheus = await startPrometheus(
        join(dir, 'prometheus'),
        ports,
        await freePort(),
        children,
        waitFor,
      )
    }
    return sandbox
  } catch (e) {
    await stop()
    throw e
  }
}

async function startApp(slot: Slot, children: ChildProcess[]): Promise<AppServer> {
  const child = spawn(process.execPath, [APP_SCRIPT, '--slot', slot], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  children.push(child)
  const { port } = JSON.parse(await firstLine(child, `app ${slot}`)) as { port: number }
  const url = `http://127.0.0.1:${port}`
  return {
    slot,
    port,
    url,
    async control(change) {
      const query = new URLSearchParams(
        Object.entries(change).map(([k, v]): [string, string] => [k, String(v)]),
      )
      const response = await fetch(`${url}/control?${query}`)
      if (!response.ok) throw new Error(`app ${slot} control answered ${response.status}`)
    },
  }
}

/** HAProxy server names: `web-blue` for a single server (as ever), `web-blue-1`... for many. */
export function haproxyServerNames(slot: Slot, count: number): string[] {
  return count === 1
    ? [`web-${slot}`]
    : Array.from({ length: count }, (_, i) => `web-${slot}-${i + 1}`)
}

async function startHaproxy(
  dir: string,
  servers: Record<Slot, AppServer[]>,
  children: ChildProcess[],
  options: HaproxyOptions = {},
): Promise<HaproxyInstance> {
  await mkdir(dir, { recursive: true })
  const [front, admin] = [await freePort(), await freePort()]
  const socket = join(dir, 'admin.sock')
  const config = join(dir, 'haproxy.cfg')
  const matchMap = join(dir, 'match.map')
  await writeFile(matchMap, '')
  const names = {
    blue: haproxyServerNames('blue', servers.blue.length),
    green: haproxyServerNames('green', servers.green.length),
  }
  // static-rr only takes runtime weights of 0% or 100% of the configured one: configure 100 and
  // start green at 0 through the runtime API, so 0/100 switches work and a canary is refused.
  const staticRr = options.balance === 'static-rr'
  const serverLines = (['blue', 'green'] as const).flatMap((slot) =>
    servers[slot].map(
      (app, i) =>
        `  server ${names[slot][i]} 127.0.0.1:${app.port} weight ${slot === 'blue' || staticRr ? 100 : 0}`,
    ),
  )
  await writeFile(
    config,
    `global
  stats socket ipv4@127.0.0.1:${admin} level admin
  stats socket ${socket} mode 600 level admin
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
frontend web
  bind 127.0.0.1:${front}
  # The header/cookie phase: cutover's map sends matching requests to a slot's backend.
  use_backend %[req.hdrs,map_reg(${matchMap})] if { req.hdrs,map_reg(${matchMap}) -m found }
  default_backend web
backend web
  balance ${options.balance ?? 'roundrobin'}
${serverLines.join('\n')}
${(['blue', 'green'] as const)
  .map(
    (slot) =>
      `backend web-${slot}\n${servers[slot].map((app, i) => `  server ${names[slot][i]} 127.0.0.1:${app.port}`).join('\n')}`,
  )
  .join('\n')}
`,
  )
  const child = spawn('haproxy', ['-f', config, '-db'], { stdio: ['ignore', 'ignore', 'pipe'] })
  children.push(child)
  const url = `http://127.0.0.1:${front}`
  await waitFor(`haproxy on ${url}`, child, async () => (await fetch(url)).ok)
  if (staticRr) {
    const { connect } = await import('node:net')
    const line = names.green.map((n) => `set server web/${n} weight 0`).join('; ')
    await new Promise<void>((resolve, reject) => {
      const s = connect(socket, () => s.end(`${line}\n`))
      s.on('error', reject)
      s.on('close', () => resolve())
      s.resume()
    })
  }
  const one = (list: string[]) => (list.length === 1 ? list[0] : list)
  return {
    url,
    pid: child.pid!,
    address: `127.0.0.1:${admin}`,
    socket,
    matchMap,
    router: {
      type: 'haproxy',
      address: `127.0.0.1:${admin}`,
      backend: 'web',
      slots: { blue: one(names.blue), green: one(names.green) },
    },
  }
}

async function startNginx(
  dir: string,
  servers: Record<Slot, AppServer[]>,
  children: ChildProcess[],
): Promise<NginxInstance> {
  await mkdir(join(dir, 'logs'), { recursive: true })
  const front = await freePort()
  const config = join(dir, 'nginx.conf')
  const upstreamFile = join(dir, 'upstream.conf')
  const addresses = (slot: Slot) => servers[slot].map((app) => `127.0.0.1:${app.port}`)
  const one = (list: string[]) => (list.length === 1 ? list[0]! : list)
  const slots = { blue: one(addresses('blue')), green: one(addresses('green')) }
  const pidFile = join(dir, 'nginx.pid')
  const matchFile = join(dir, 'match.conf')
  await writeFile(
    matchFile,
    renderMatchFile(
      { upstream: 'web', slots: { blue: addresses('blue'), green: addresses('green') } },
      null,
    ),
  )
  await writeFile(
    upstreamFile,
    upstreamFileFor('web', slots, { blue: 100, green: 0 }, ['keepalive 16;']),
  )
  const temp = (name: string) => `${name}_temp_path ${join(dir, `${name}_temp`)};`
  await writeFile(
    config,
    `daemon off;
pid ${pidFile};
error_log ${join(dir, 'logs/error.log')} warn;
worker_processes 1;
events { worker_connections 1024; }
http {
  access_log off;
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}
  include ${upstreamFile};
  include ${matchFile};
  server {
    listen 127.0.0.1:${front};
    location / {
      proxy_pass http://$cutover_web;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`,
  )
  const base = ['-p', dir, '-c', config]
  const child = spawn('nginx', base, { stdio: ['ignore', 'ignore', 'pipe'] })
  children.push(child)
  const url = `http://127.0.0.1:${front}`
  await waitFor(`nginx on ${url}`, child, async () => (await fetch(url)).ok)
  return {
    url,
    upstreamFile,
    pidFile,
    matchFile,
    router: {
      type: 'nginx',
      'upstream-file': upstreamFile,
      'pid-file': pidFile,
      upstream: 'web',
      slots,
      test: ['nginx', ...base, '-t', '-q'],
      reload: ['nginx', ...base, '-s', 'reload'],
    },
  }
}

async function startLoad(
  url: string,
  options: LoadOptions = {},
  children: ChildProcess[],
): Promise<LoadRun> {
  const args = [
    LOAD_SCRIPT,
    '--url',
    url,
    '--concurrency',
    String(options.concurrency ?? 8),
    '--keepalive',
    String(options.keepalive ?? true),
  ]
  if (options.events) args.push('--events', options.events)
  if (options.requests) args.push('--requests', String(options.requests))
  if (options.progressMs) args.push('--progress', String(options.progressMs))
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] })
  children.push(child)
  const lines = createInterface({ input: child.stdout! })
  let summary: LoadSummary | undefined
  const ended = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  let started!: () => void
  const ready = new Promise<void>((r) => (started = r))
  lines.on('line', (line) => {
    const message = JSON.parse(line) as {
      started?: number
      progress?: LoadProgress
      summary?: LoadSummary
    }
    if (message.started) started()
    if (message.progress) options.onProgress?.(message.progress)
    if (message.summary) summary = message.summary
  })
  await Promise.race([ready, ended])
  const finished = async () => {
    await ended
    if (!summary) throw new Error('the load generator ended without a summary')
    return summary
  }
  return {
    stop: async () => {
      child.kill('SIGTERM')
      return finished()
    },
    finished,
  }
}

function firstLine(child: ChildProcess, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! })
    lines.once('line', (line) => {
      lines.close()
      resolve(line)
    })
    child.once('exit', (code) =>
      reject(new Error(`${what} exited with ${code} before it was ready`)),
    )
  })
}

/** Polls `ready` until it holds; fails early if the server process dies, with what it printed. */
async function waitFor(
  what: string,
  child: ChildProcess,
  ready: () => Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  let stderr = ''
  child.stderr?.on('data', (d) => (stderr += d))
  let exited = false
  child.once('exit', () => (exited = true))
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${what} exited before it was ready: ${stderr.trim()}`)
    try {
      if (await ready()) return
    } catch {
      // not listening yet
    }
    await sleep(50)
  }
  throw new Error(`${what} was not ready within ${timeoutMs} ms: ${stderr.trim()}`)
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000)
  await exited
  clearTimeout(timer)
}

/** Runs a command as an argv array; resolves with stdout. */
export function run(argv: string[]): Promise<string> {
  const [command, ...args] = argv as [string, ...string[]]
  return new Promise((resolve, reject) =>
    execFile(command, args, (error, stdout, stderr) =>
      error ? reject(new Error(`${argv.join(' ')}: ${stderr || error.message}`)) : resolve(stdout),
    ),
  )
}
