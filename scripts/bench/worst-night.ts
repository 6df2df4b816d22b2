import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openRouter, parseRouterConfig } from '../../packages/router/index.js'
import { sleep } from '../../packages/action-kit/util.js'
import type { ChapterContext } from '../chapters.js'
import { startFakeGitHub, type FakeGitHub } from '../sandbox/fake-github.js'
import { freePort } from '../sandbox/index.js'
import { describe, parseEvents, visibleAfter } from './stats.js'

const RUNS = 5
const sha = (n: number) => String(n).repeat(40).slice(0, 40)

/**
 * Issue 18's figures, on a real HAProxy with a load generator: from pressing the rollback button
 * (rollback.yml: a request-abort step, then rollback to: previous once the lock is free) until
 * every client answer comes from stable, during a gate interval (the walk's job holds the lock)
 * and during a pause between step jobs (nothing holds it); and a rollback through a router pair
 * with one member dead beside the same with both alive.
 */
export default async function worstNight(ctx: ChapterContext): Promise<void> {
  await buttonMidWalk(ctx)
  await pairWithOneDead(ctx)
}

async function buttonMidWalk(ctx: ChapterContext): Promise<void> {
  const haproxy = ctx.sandbox.haproxy!
  const router = openRouter(parseRouterConfig(haproxy.router))
  const dir = await mkdtemp(join(tmpdir(), 'cutover-bench-'))
  let github: FakeGitHub | undefined
  try {
    for (const when of ['gate interval', 'paused walk'] as const) {
      const events = join(dir, `button-${when.replace(' ', '-')}.csv`)
      const load = await ctx.sandbox.load(haproxy.url, { concurrency: 8, events })
      const presses: number[] = []
      const ends: number[] = []
      for (let i = 0; i < RUNS; i++) {
        await github?.stop()
        github = await startFakeGitHub()
        const fake = github
        const inputs = (extra: Record<string, unknown>, commit: number) => ({
          inputs: { router: haproxy.router, environment: 'production', ...extra } as never,
          token: fake.token,
          env: { GITHUB_API_URL: fake.url, GITHUB_SHA: sha(commit) },
        })
        // The good release live on blue, recorded; then a walk of the next one onto green.
        await router.write({ blue: 0, green: 100 })
        const good = await ctx.runAction(
          'blue-green-switch',
          inputs({ to: 'blue', image: 'orders@sha256:v1' }, 1),
        )
        if (good.exitCode !== 0) throw new Error(`deploy failed: ${good.errors.join('; ')}`)
        const image = 'orders@sha256:v2'
        const walk =
          when === 'gate interval'
            ? await ctx.startAction(
                'canary-step',
                inputs({ steps: '5,25,50', interval: '10m', image }, 2),
              )
            : undefined
        if (walk) await walk.waitForLog('step 1/3: canary green at 5%')
        else {
          const step = await ctx.runAction(
            'canary-step',
            inputs({ weight: 5, interval: '100ms', image }, 2),
          )
          if (step.exitCode !== 0) throw new Error(`step 1 failed: ${step.errors.join('; ')}`)
        }
        // Spread the press over the walk's 10 s watch cadence.
        await sleep(300 + (when === 'gate interval' ? (i * 10_000) / RUNS : 0))
        const pressed = performance.timeOrigin + performance.now()
        const abort = await ctx.runAction(
          'rollback',
          inputs({ 'request-abort': 'true', reason: 'bench' }, 9),
        )
        if (abort.exitCode !== 0)
          throw new Error(`request-abort failed: ${abort.errors.join('; ')}`)
        await walk?.done // the lock: rollback.yml's second job waits for the walk's job
        const rollback = await ctx.runAction('rollback', inputs({ 'nothing-to-do': 'succeed' }, 9))
        if (rollback.exitCode !== 0)
          throw new Error(`rollback failed: ${rollback.errors.join('; ')}`)
        const after = await router.read()
        if (after.blue !== 100)
          throw new Error(`stable is not at 100% after the button: blue ${after.blue}%`)
        presses.push(pressed)
        ends.push(performance.timeOrigin + performance.now())
        await sleep(300)
      }
      await load.stop()
      const all = parseEvents(await readFile(events, 'utf8'))
      const results = presses.map((p, i) => visibleAfter(all, p, ends[i] as number, 'blue'))
      ctx.print(
        `rollback button pressed during a ${when} (HAProxy, canary green at 5%, fake GitHub):`,
      )
      ctx.print(`  every client on stable after the press: ${describe(results.map((r) => r.ms))}`)
      ctx.print(
        when === 'gate interval'
          ? '  (the walk reads its deployment every 10 s and at each gate look; target: one gate interval plus a few seconds)'
          : '  (no job holds the lock: the rollback job runs at once)',
      )
    }
  } finally {
    await github?.stop()
    await router.write({ blue: 100, green: 0 })
    await rm(dir, { recursive: true, force: true })
  }
}

async function pairWithOneDead(ctx: ChapterContext): Promise<void> {
  const first = ctx.sandbox.haproxy!
  const second = await ctx.sandbox.addHaproxy()
  const dead = { ...second.router, name: 'lb dead', address: `127.0.0.1:${await freePort()}` }
  const routers = [first, second].map((h) => openRouter(parseRouterConfig(h.router)))
  const dir = await mkdtemp(join(tmpdir(), 'cutover-bench-'))
  try {
    for (const pair of ['both alive', 'one dead (a closed port)'] as const) {
      const list = [
        { ...first.router, name: 'lb a' },
        pair === 'both alive' ? { ...second.router, name: 'lb b' } : dead,
      ]
      const events = join(dir, `pair-${pair.split(' ')[0]}.csv`)
      const load = await ctx.sandbox.load(first.url, { concurrency: 8, events })
      const starts: number[] = []
      const ends: number[] = []
      for (let i = 0; i < RUNS * 2; i++) {
        await Promise.all(routers.map((r) => r.write({ blue: 0, green: 100 })))
        await sleep(300)
        const start = performance.timeOrigin + performance.now()
        const run = await ctx.runAction('rollback', {
          inputs: { router: list, to: 'blue', record: 'false' } as never,
        })
        const expected = pair === 'both alive' ? 0 : 1 // one router not reached: the step fails
        if (run.exitCode !== expected)
          throw new Error(`rollback exited ${run.exitCode}: ${run.errors.join('; ')}`)
        starts.push(start)
        ends.push(performance.timeOrigin + performance.now())
      }
      await load.stop()
      const all = parseEvents(await readFile(events, 'utf8'))
      const results = starts.map((s, i) => visibleAfter(all, s, ends[i] as number, 'blue'))
      ctx.print(`rollback to: blue through a pair of HAProxies, ${pair}:`)
      ctx.print(
        `  every client of the live router on blue after action start: ${describe(results.map((r) => r.ms))}`,
      )
    }
    ctx.print(
      "  (a dead host that drops packets instead of refusing costs up to the router's timeout)",
    )
  } finally {
    await Promise.all(routers.map((r) => r.write({ blue: 100, green: 0 })))
    await rm(dir, { recursive: true, force: true })
  }
}
