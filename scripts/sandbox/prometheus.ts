/** A real Prometheus on 127.0.0.1 scraping the sandbox apps every second. */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { connect } from 'node:net'
import { join } from 'node:path'
import { sleep } from '../../packages/action-kit/util.js'

export interface PrometheusInstance {
  url: string
  /** Resolves once `query` returns a non-empty result (the first samples take ~5 s). */
  waitForData(query?: string, timeoutMs?: number): Promise<void>
}

export async function startPrometheus(
  dir: string,
  targets: Record<string, number>,
  port: number,
  children: ChildProcess[],
  waitFor: (
    what: string,
    child: ChildProcess,
    ready: () => Promise<boolean>,
    timeoutMs?: number,
  ) => Promise<void>,
  options: { extraTargets?: number[] } = {},
): Promise<PrometheusInstance> {
  await mkdir(join(dir, 'data'), { recursive: true })
  const config = join(dir, 'prometheus.yml')
  const scrape = Object.entries(targets).map(
    ([slot, targetPort]) =>
      `      - targets: ['127.0.0.1:${targetPort}']\n        labels: { instance_slot: ${slot} }`,
  )
  // Other targets (e.g. HAProxy's exporter), without a slot label.
  for (const targetPort of options.extraTargets ?? [])
    scrape.push(`      - targets: ['127.0.0.1:${targetPort}']`)
  await writeFile(
    config,
    `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: apps\n    static_configs:\n${scrape.join('\n')}\n`,
  )
  const url = `http://127.0.0.1:${port}`
  const child = spawn(
    'prometheus',
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  )
  children.push(child)
  await waitFor(`prometheus on ${url}`, child, async () => (await fetch(`${url}/-/ready`)).ok)
  return {
    url,
    async waitForData(query = 'count(up == 1) >= 2', timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs
      while (Date.now() < deadline) {
        const response = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query })}`)
        const body = (await response.json()) as { data?: { result?: unknown[] } }
        if ((body.data?.result?.length ?? 0) > 0) return
        await sleep(250)
      }
      throw new Error(`prometheus at ${url} had no data for ${query} within ${timeoutMs} ms`)
    },
  }
}

export interface ExporterHaproxy {
  /** The frontend; `/metrics` on it is HAProxy's own Prometheus exporter. */
  url: string
  port: number
  /** The runtime API over TCP, host:port. */
  address: string
  backend: string
  /** Sends one runtime API command (e.g. `set server web/web-green weight 1`); resolves with the answer. */
  command(line: string): Promise<string>
}

/**
 * An HAProxy with its built-in Prometheus exporter (Debian's 2.6 has it compiled in) in front of
 * `servers` (name -> port), backend `web`, every server at weight 0 until set. For gate tests of
 * `preset: haproxy`; scrape it with startPrometheus's `extraTargets`.
 */
export async function startExporterHaproxy(
  dir: string,
  servers: Record<string, number>,
  ports: { front: number; admin: number },
  children: ChildProcess[],
): Promise<ExporterHaproxy> {
  await mkdir(dir, { recursive: true })
  const config = join(dir, 'haproxy.cfg')
  await writeFile(
    config,
    `global
  stats socket ipv4@127.0.0.1:${ports.admin} level admin
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
frontend web
  bind 127.0.0.1:${ports.front}
  http-request use-service prometheus-exporter if { path /metrics }
  default_backend web
backend web
  balance roundrobin
${Object.entries(servers)
  .map(([name, port]) => `  server ${name} 127.0.0.1:${port} weight 0`)
  .join('\n')}
`,
  )
  const child = spawn('haproxy', ['-f', config, '-db'], { stdio: ['ignore', 'ignore', 'pipe'] })
  children.push(child)
  const url = `http://127.0.0.1:${ports.front}`
  const deadline = Date.now() + 10_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`haproxy exited with ${child.exitCode}`)
    try {
      if ((await fetch(`${url}/metrics`)).ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`haproxy on ${url} was not ready within 10 s`)
    await sleep(50)
  }
  const command = (line: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = connect(ports.admin, '127.0.0.1')
      let answer = ''
      socket.setTimeout(5000, () => socket.destroy(new Error(`no answer to ${line}`)))
      socket.on('data', (d) => (answer += d))
      socket.on('error', reject)
      socket.on('close', () => resolve(answer.trim()))
      socket.end(`${line}\n`)
    })
  return { url, port: ports.front, address: `127.0.0.1:${ports.admin}`, backend: 'web', command }
}
