/** A real Prometheus on 127.0.0.1 scraping the sandbox apps every second. */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

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
): Promise<PrometheusInstance> {
  await mkdir(join(dir, 'data'), { recursive: true })
  const config = join(dir, 'prometheus.yml')
  const scrape = Object.entries(targets).map(
    ([slot, targetPort]) =>
      `      - targets: ['127.0.0.1:${targetPort}']\n        labels: { instance_slot: ${slot} }`,
  )
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
        await new Promise((r) => setTimeout(r, 250))
      }
      throw new Error(`prometheus at ${url} had no data for ${query} within ${timeoutMs} ms`)
    },
  }
}
