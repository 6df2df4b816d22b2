import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openRouter, parseRouterConfig } from '../../packages/router/index.js'
import type { ChapterContext } from '../chapters.js'
import { startFakeGitHub } from '../sandbox/fake-github.js'
import { describe, parseEvents, visibleAfter } from './stats.js'

const RUNS = 10

/** From the rollback action's start until every client response comes from the restored slot (HAProxy). */
export default async function rollbackTime(ctx: ChapterContext): Promise<void> {
  const haproxy = ctx.sandbox.haproxy!
  const router = openRouter(parseRouterConfig(haproxy.router))
  const dir = await mkdtemp(join(tmpdir(), 'cutover-bench-'))
  const github = await startFakeGitHub()
  try {
    for (const withRecords of [false, true]) {
      const events = join(dir, `rollback-${withRecords}.csv`)
      const load = await ctx.sandbox.load(haproxy.url, { concurrency: 8, events })
      const runs: { start: number; to: string }[] = []
      const breaks: number[] = [] // when the bench itself puts the bad release back: a window ends there
      for (let i = 0; i < RUNS; i++) {
        breaks.push(performance.timeOrigin + performance.now())
        await router.write({ blue: 0, green: 100 }) // the bad release is live on green
        await new Promise((r) => setTimeout(r, 300))
        const start = performance.timeOrigin + performance.now()
        const run = await ctx.runAction('rollback', {
          inputs: { router: haproxy.router, to: 'blue' },
          token: withRecords ? github.token : '',
          env: { GITHUB_API_URL: github.url },
        })
        if (run.exitCode !== 0) throw new Error(`rollback failed: ${run.errors.join('; ')}`)
        runs.push({ start, to: 'blue' })
        await new Promise((r) => setTimeout(r, 300))
      }
      const totals = await load.stop()
      const all = parseEvents(await readFile(events, 'utf8'))
      const results = runs.map((r, i) =>
        visibleAfter(all, r.start, breaks[i + 1] ?? Infinity, r.to),
      )
      ctx.print(
        `rollback on HAProxy ${withRecords ? 'with records (local fake GitHub API)' : 'without records'}:`,
      )
      ctx.print(
        `  all clients on the restored slot after action start: ${describe(results.map((r) => r.ms))}`,
      )
      ctx.print(
        `  non-2xx ${totals.non2xx}, failed requests ${totals.errors} (target: visible within 1 s)`,
      )
    }
  } finally {
    await github.stop()
    await router.write({ blue: 100, green: 0 })
    await rm(dir, { recursive: true, force: true })
  }
}
