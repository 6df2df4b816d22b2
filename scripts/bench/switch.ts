import { get } from 'node:http'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ChapterContext } from '../chapters.js'
import { describe, parseEvents, visibleAfter } from './stats.js'
import { sleep } from '../../packages/action-kit/util.js'

const SWITCHES = 20
/** Requests on fresh connections sent right after each step exits. */
const FRESH = 100

/** How many of `count` requests, each on a new connection, each slot answered. */
async function freshConnections(url: string, count: number): Promise<Record<string, number>> {
  const seen: Record<string, number> = {}
  for (let i = 0; i < count; i++) {
    const slot = await new Promise<string>((resolve, reject) =>
      get(url, { agent: false }, (res) => {
        res.resume()
        resolve(String(res.headers['x-slot'] ?? 'none'))
      }).on('error', reject),
    )
    seen[slot] = (seen[slot] ?? 0) + 1
  }
  return seen
}

/** Per router: time from the action's start until every client response comes from the new slot, under load. */
export default async function switchTime(ctx: ChapterContext): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'cutover-bench-'))
  try {
    for (const kind of ['haproxy', 'nginx'] as const) {
      const router = ctx.sandbox[kind]!
      const events = join(dir, `${kind}.csv`)
      const load = await ctx.sandbox.load(router.url, {
        concurrency: 8,
        keepalive: kind === 'haproxy',
        events,
      })
      const switches: { start: number; to: string; ok: boolean }[] = []
      let stale = 0
      for (let i = 0; i < SWITCHES; i++) {
        const to = i % 2 === 0 ? 'green' : 'blue'
        const start = performance.timeOrigin + performance.now()
        const run = await ctx.runAction('blue-green-switch', {
          inputs: { router: router.router, to, record: false },
        })
        switches.push({ start, to, ok: run.exitCode === 0 })
        // Right after the step exits, new connections must all reach the new slot.
        const fresh = await freshConnections(router.url, FRESH)
        stale += FRESH - (fresh[to] ?? 0)
        ctx.status(`  ${kind}: switch ${i + 1}/${SWITCHES} to ${to}`)
        await sleep(400)
      }
      ctx.endStatus()
      const totals = await load.stop()
      const all = parseEvents(await readFile(events, 'utf8'))
      const results = switches.map((s, i) =>
        visibleAfter(all, s.start, switches[i + 1]?.start ?? Infinity, s.to),
      )
      ctx.print(
        `${kind} (${kind === 'haproxy' ? 'keep-alive' : 'Connection: close'} clients, 8 connections, ${totals.requests} requests):`,
      )
      ctx.print(
        `  switch visible to all clients after action start: ${describe(results.map((r) => r.ms))}`,
      )
      ctx.print(
        `  failed switches: ${switches.filter((s) => !s.ok).length}; non-2xx during switches: ${totals.non2xx}; failed requests: ${totals.errors} ${JSON.stringify(totals.byError)}`,
      )
      ctx.print(
        `  new connections right after the step exits that reached the old slot: ${stale} of ${SWITCHES * FRESH} (target 0)`,
      )
      if (kind === 'haproxy')
        ctx.print('  target: visible within 300 ms of the action start, Node start-up included')
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
