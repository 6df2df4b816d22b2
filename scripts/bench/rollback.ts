import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openRouter, parseRouterConfig } from '../../packages/router/index.js'
import type { ChapterContext } from '../chapters.js'
import { startFakeGitHub, type FakeGitHub } from '../sandbox/fake-github.js'
import { describe, parseEvents, visibleAfter } from './stats.js'
import { sleep } from '../../packages/action-kit/util.js'

const RUNS = 10
/** Earlier deployments in the environment for the `to: previous` runs (issue: 310 calls before). */
const EARLIER = 300

type Mode = 'no records' | 'records' | 'previous'

/**
 * From the rollback action's start until every client response comes from the restored slot
 * (HAProxy): to a named slot without and with records, and `to: previous` deciding from 300
 * earlier deployments, with the API calls a deploy and a rollback make there.
 */
export default async function rollbackTime(ctx: ChapterContext): Promise<void> {
  const haproxy = ctx.sandbox.haproxy!
  const router = openRouter(parseRouterConfig(haproxy.router))
  const dir = await mkdtemp(join(tmpdir(), 'cutover-bench-'))
  let github: FakeGitHub | undefined
  try {
    for (const mode of ['no records', 'records', 'previous'] as Mode[]) {
      const events = join(dir, `rollback-${mode.replace(' ', '-')}.csv`)
      const load = await ctx.sandbox.load(haproxy.url, { concurrency: 8, events })
      const runs: { start: number; to: string }[] = []
      const breaks: number[] = [] // when the bench itself puts the bad release back: a window ends there
      const calls = { deploy: [] as number[], rollback: [] as number[] }
      for (let i = 0; i < RUNS; i++) {
        await github?.stop()
        github = await startFakeGitHub()
        const fake = github
        const action = (name: string, inputs: Record<string, unknown>) =>
          ctx.runAction(name, {
            inputs: { router: haproxy.router, environment: 'production', ...inputs } as never,
            token: mode === 'no records' ? '' : fake.token,
            env: { GITHUB_API_URL: fake.url },
          })
        breaks.push(performance.timeOrigin + performance.now())
        if (mode === 'previous') {
          // The bad release goes live on green through a recorded deploy, after 300 others.
          await router.write({ blue: 100, green: 0 })
          fake.seed({ count: EARLIER, router: { type: router.type, name: router.name } })
          const deploy = await action('blue-green-switch', {
            to: 'green',
            image: 'registry.local/orders@sha256:' + 'b'.repeat(64),
          })
          if (deploy.exitCode !== 0) throw new Error(`deploy failed: ${deploy.errors.join('; ')}`)
          calls.deploy.push(fake.calls())
        } else {
          await router.write({ blue: 0, green: 100 }) // the bad release is live on green
        }
        await sleep(300)
        const before = fake.calls()
        const start = performance.timeOrigin + performance.now()
        const run = await action('rollback', mode === 'previous' ? {} : { to: 'blue' })
        if (run.exitCode !== 0) throw new Error(`rollback failed: ${run.errors.join('; ')}`)
        if (fake.violations.length > 0)
          throw new Error(`requests outside GitHub's API: ${fake.violations.join('; ')}`)
        calls.rollback.push(fake.calls() - before)
        runs.push({ start, to: 'blue' })
        await sleep(300)
      }
      const totals = await load.stop()
      const all = parseEvents(await readFile(events, 'utf8'))
      const results = runs.map((r, i) =>
        visibleAfter(all, r.start, breaks[i + 1] ?? Infinity, r.to),
      )
      ctx.print(
        mode === 'previous'
          ? `rollback on HAProxy, to: previous, deciding from ${EARLIER + 1} deployment records (local fake GitHub API):`
          : `rollback on HAProxy to a named slot ${mode === 'records' ? 'with records (local fake GitHub API)' : 'without records'}:`,
      )
      ctx.print(
        `  all clients on the restored slot after action start: ${describe(results.map((r) => r.ms))}`,
      )
      ctx.print(
        `  non-2xx ${totals.non2xx}, failed requests ${totals.errors} (target: visible within 1 s)`,
      )
      if (mode === 'previous')
        ctx.print(
          `  GitHub API calls with ${EARLIER} earlier deployments: deploy ${range(calls.deploy)}, rollback ${range(calls.rollback)} (target: at most 10 each; before issue 10: 310 for a deploy)`,
        )
    }
  } finally {
    await github?.stop()
    await router.write({ blue: 100, green: 0 })
    await rm(dir, { recursive: true, force: true })
  }
}

function range(values: number[]): string {
  const min = Math.min(...values)
  const max = Math.max(...values)
  return min === max ? String(min) : `${min}-${max}`
}
