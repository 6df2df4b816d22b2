/**
 * Smoke-test overhead: blue-green-switch's dry run with a smoke of CHECKS HTTP checks over the 3
 * servers of the target slot, minus the same dry run without it, beside the same requests made
 * by `curl` processes (argv, --max-time), one after the other as the action makes them. Printed
 * side by side; nothing asserted.
 */
import { execFile } from 'node:child_process'
import type { ChapterContext } from '../chapters.js'
import { startSandbox } from '../sandbox/index.js'
import { describe, percentile } from './stats.js'

const RUNS = 10
const SERVERS = 3
/** The checks: each runs against every server of the slot. */
const CHECKS = [
  { url: 'http://{{address}}/', body: '"slot":"green"' },
  { url: 'http://{{address}}/healthz/{{slot}}' },
  { url: 'http://{{address}}/healthz' },
  { url: 'http://{{address}}/', status: 200 },
]

function curl(url: string): Promise<{ status: string; body: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      'curl',
      ['-sS', '--max-time', '10', '-w', '\n%{http_code}', url],
      { timeout: 15_000 },
      (error, stdout) => {
        if (error) return reject(error)
        const cut = stdout.lastIndexOf('\n')
        resolve({ body: stdout.slice(0, cut), status: stdout.slice(cut + 1) })
      },
    )
  })
}

export default async function smokeOverhead(ctx: ChapterContext): Promise<void> {
  const sandbox = await startSandbox({ haproxy: true, serversPerSlot: SERVERS })
  try {
    const router = sandbox.haproxy!.router
    const timed = async (inputs: Record<string, unknown>): Promise<number> => {
      const t0 = performance.now()
      const run = await ctx.runAction('blue-green-switch', {
        inputs: { router, to: 'green', 'dry-run': 'true', record: 'false', ...inputs } as never,
      })
      if (run.exitCode !== 0) throw new Error(`blue-green-switch failed: ${run.errors.join('; ')}`)
      return performance.now() - t0
    }
    const without: number[] = []
    const withSmoke: number[] = []
    const curls: number[] = []
    const addresses = sandbox.servers.green.map((app) => new URL(app.url).host)
    for (let i = 0; i < RUNS; i++) {
      ctx.status(`  run ${i + 1}/${RUNS}`)
      without.push(await timed({}))
      withSmoke.push(await timed({ smoke: CHECKS }))
      const t0 = performance.now()
      for (const address of addresses)
        for (const check of CHECKS) {
          const url = check.url.replace('{{address}}', address).replace('{{slot}}', 'green')
          const answer = await curl(url)
          if (answer.status !== '200' || (check.body && !answer.body.includes(check.body)))
            throw new Error(`curl ${url}: HTTP ${answer.status}`)
        }
      curls.push(performance.now() - t0)
    }
    ctx.endStatus()
    const overhead = withSmoke.map((w, i) => w - (without[i] as number))
    const requests = CHECKS.length * SERVERS
    ctx.print(
      `smoke of ${CHECKS.length} HTTP checks × ${SERVERS} servers (${requests} requests), HAProxy, blue-green-switch dry run, ${RUNS} runs:`,
    )
    ctx.print(`  dry run without smoke:            ${describe(without)}`)
    ctx.print(`  dry run with smoke:               ${describe(withSmoke)}`)
    ctx.print(`  smoke overhead (with − without):  ${describe(overhead)}`)
    ctx.print(
      `  the same ${requests} requests, curl processes one after the other: ${describe(curls)}`,
    )
    ctx.print(
      `  per request: smoke ${(percentile(overhead, 50) / requests).toFixed(1)} ms, curl ${(percentile(curls, 50) / requests).toFixed(1)} ms (medians)`,
    )
  } finally {
    await sandbox.stop()
  }
}
