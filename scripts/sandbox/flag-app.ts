/**
 * An application behind a feature flag, as the gate sees it: simulated users (userId user-0 ..
 * user-<users-1>, in turn) make requests; each request asks the flag provider which variant the
 * user gets (`evaluate`, e.g. flagd-core on the definitions file, or the Unleash SDK) and counts
 * it in `http_requests_total{feature_flag_key, feature_flag_variant, code}`, served on /metrics
 * for Prometheus. A variant can be told to fail a share of its requests (a broken feature).
 * Used by the flag workflow test and the demo's flag chapter.
 */
import type { ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sleep } from '../../packages/action-kit/util.js'
import { freePort } from './index.js'
import { startPrometheus, type PrometheusInstance } from './prometheus.js'

export interface FlagApp {
  /** http://127.0.0.1:PORT (metrics on /metrics). */
  url: string
  port: number
  /** From now on, this share (0..1) of the variant's requests answer 500. */
  fail(variant: string, share: number): void
  /** Requests and errors so far, by variant label. */
  counts(): Record<string, { requests: number; errors: number }>
  stop(): Promise<void>
}

export interface FlagAppOptions {
  /** The flag's key, a label on every series. */
  flag: string
  /** The variant labels the metrics carry: { off, on } (the router's `variants`). */
  variants: { off: string; on: string }
  /** Simulated requests per second (default 1,000), in ticks of 100 ms. */
  requestsPerSecond?: number
  /** Distinct users (default 10,000). */
  users?: number
}

/**
 * `evaluate(userId)` says whether the flag is on for that user; a throw counts the request as
 * the off variant (an SDK falls back to the default) and is remembered in `lastError`.
 */
export async function startFlagApp(
  evaluate: (userId: string) => boolean | Promise<boolean>,
  options: FlagAppOptions,
): Promise<FlagApp & { lastError(): string | undefined }> {
  const perTick = Math.max(1, Math.round((options.requestsPerSecond ?? 1000) / 10))
  const users = options.users ?? 10_000
  const { off, on } = options.variants
  const counts: Record<string, { requests: number; errors: number }> = {
    [off]: { requests: 0, errors: 0 },
    [on]: { requests: 0, errors: 0 },
  }
  const failing: Record<string, number> = {}
  /** Errors owed per variant: a share of 0.05 fails exactly 1 request in 20, no randomness. */
  const owed: Record<string, number> = {}
  let next = 0
  let lastError: string | undefined
  let busy = false
  const tick = async () => {
    if (busy) return
    busy = true
    try {
      for (let i = 0; i < perTick; i++) {
        const user = `user-${next++ % users}`
        let variant = off
        try {
          variant = (await evaluate(user)) ? on : off
        } catch (e) {
          lastError = e instanceof Error ? e.message : String(e)
        }
        const c = counts[variant]!
        c.requests++
        owed[variant] = (owed[variant] ?? 0) + (failing[variant] ?? 0)
        if ((owed[variant] ?? 0) >= 1) {
          owed[variant]! -= 1
          c.errors++
        }
      }
    } finally {
      busy = false
    }
  }
  const timer = setInterval(() => void tick(), 100)

  const label = (v: string) => v.replace(/["\\\n]/g, (ch) => (ch === '\n' ? '\\n' : `\\${ch}`))
  const metrics = () => {
    const lines = [
      '# HELP http_requests_total Requests by the flag variant the user got, and status.',
      '# TYPE http_requests_total counter',
    ]
    for (const [variant, c] of Object.entries(counts)) {
      const base = `feature_flag_key="${label(options.flag)}",feature_flag_variant="${label(variant)}"`
      lines.push(`http_requests_total{${base},code="200"} ${c.requests - c.errors}`)
      lines.push(`http_requests_total{${base},code="500"} ${c.errors}`)
    }
    return `${lines.join('\n')}\n`
  }
  const server: Server = createServer((req, res) => {
    if (req.url === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
      res.end(metrics())
      return
    }
    res.writeHead(404).end()
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    fail(variant, share) {
      failing[variant] = share
    },
    counts: () => JSON.parse(JSON.stringify(counts)) as typeof counts,
    lastError: () => lastError,
    async stop() {
      clearInterval(timer)
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/**
 * A real Prometheus scraping the flag app every second, in its own temp dir; stop() kills it and
 * removes the dir. Its first samples take ~5 s: `waitForData` before judging.
 */
export async function startFlagPrometheus(
  appPort: number,
): Promise<PrometheusInstance & { stop(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'cutover-flag-prometheus-'))
  const children: ChildProcess[] = []
  const stop = async () => {
    for (const child of children) {
      if (child.exitCode !== null || child.signalCode !== null) continue
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000)
      await exited
      clearTimeout(timer)
    }
    await rm(dir, { recursive: true, force: true })
  }
  const waitFor = async (
    what: string,
    child: ChildProcess,
    ready: () => Promise<boolean>,
    timeoutMs = 20_000,
  ) => {
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`${what} exited before it was ready`)
      if (await ready().catch(() => false)) return
      await sleep(100)
    }
    throw new Error(`${what} was not ready within ${timeoutMs} ms`)
  }
  try {
    const prometheus = await startPrometheus(
      dir,
      { app: appPort },
      await freePort(),
      children,
      waitFor,
    )
    return { ...prometheus, stop }
  } catch (e) {
    await stop()
    throw e
  }
}
