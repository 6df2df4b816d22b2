import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openRouter, parseRouterConfig } from '../../packages/router/index.js'
import type { ChapterContext } from '../chapters.js'
import { startSandbox, type Sandbox } from '../sandbox/index.js'
import { describe, parseEvents } from './stats.js'
import { sleep } from '../../packages/action-kit/util.js'

const WEIGHTS = [1, 5, 10, 25, 50]
const REQUESTS = 10_000

/** The share of `requests` the canary (green) answered at each weight, per router. */
async function splitAccuracy(
  ctx: ChapterContext,
  sandbox: Sandbox,
  what: string,
  requests: number,
): Promise<void> {
  for (const kind of ['haproxy', 'nginx'] as const) {
    // write() returns once clients see the new weights (nginx: once the reload is done).
    const router = openRouter(parseRouterConfig(sandbox[kind]!.router))
    ctx.print(
      `${kind}, ${what}: share of ${requests} requests answered by the canary (green), requested vs observed`,
    )
    const errors: number[] = []
    for (const weight of WEIGHTS) {
      await router.write({ blue: 100 - weight, green: weight })
      const load = await sandbox.load(sandbox[kind]!.url, {
        concurrency: 8,
        keepalive: kind === 'haproxy',
        requests,
      })
      const totals = await load.finished()
      const observed = ((totals.bySlot.green ?? 0) * 100) / totals.requests
      errors.push(Math.abs(observed - weight))
      ctx.print(
        `  ${String(weight).padStart(3)}%  ->  ${observed.toFixed(2).padStart(6)}%  (error ${(observed - weight).toFixed(2)} points, ${totals.requests} requests)`,
      )
    }
    ctx.print(`  largest error ${Math.max(...errors).toFixed(2)} points (target: within 1 point)`)
    await router.write({ blue: 100, green: 0 })
  }
}

/** How exactly each router splits traffic at canary weights, and how fast a failing canary is undone. */
export default async function canaryBench(ctx: ChapterContext): Promise<void> {
  const { sandbox } = ctx
  await splitAccuracy(ctx, sandbox, 'one server per slot', REQUESTS)
  // Slots of many servers: each slot's share spread evenly over its servers.
  const many = await startSandbox({ haproxy: true, nginx: true, serversPerSlot: 3 })
  try {
    await splitAccuracy(ctx, many, 'three servers per slot', REQUESTS)
  } finally {
    await many.stop()
  }

  ctx.print(
    'time from "the canary starts failing" to "stable back at 100%" (HAProxy, gate every 1 s, 5 s rate window):',
  )
  const dir = await mkdtemp(join(tmpdir(), 'cutover-bench-'))
  const times: number[] = []
  try {
    for (let i = 0; i < 3; i++) {
      const version = `bench-${i}`
      await sandbox.apps.green.control({ version, errorRate: 0 })
      await sandbox.prometheus!.waitForData(
        `rate(http_requests_total{slot="green",version="${version}",code="200"}[5s])`,
      )
      const events = join(dir, `rollback-${i}.csv`)
      const load = await sandbox.load(sandbox.haproxy!.url, { concurrency: 8, events })
      let run
      try {
        run = await failingCanary(ctx, version)
      } finally {
        await sleep(500)
        await load.stop()
      }
      const { failingFrom, outputs } = run
      const lastCanary = parseEvents(await readFile(events, 'utf8'))
        .filter((e) => e.slot === 'green')
        .reduce((last, e) => Math.max(last, e.sentAt), failingFrom)
      times.push(lastCanary - failingFrom)
      ctx.print(
        `  run ${i + 1}: verdict ${outputs.verdict}, last request to the canary ${(lastCanary - failingFrom).toFixed(0)} ms after it started failing`,
      )
      await sandbox.apps.green.control({ errorRate: 0 })
    }
    ctx.print(`  ${describe(times)}`)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** A canary walk whose canary starts failing during its first step; returns when the action ends. */
async function failingCanary(
  ctx: ChapterContext,
  version: string,
): Promise<{ failingFrom: number; outputs: Record<string, string> }> {
  const { sandbox } = ctx
  const running = await ctx.startAction('canary-step', {
    inputs: {
      router: sandbox.haproxy!.router,
      record: false,
      steps: '20,100',
      interval: '30s',
      gate: {
        prometheus: sandbox.prometheus!.url,
        interval: '1s',
        vars: { version },
        checks: [
          {
            name: 'error-rate',
            query: `sum(rate(http_requests_total{slot="{{canary}}",version="{{version}}",code=~"5.."}[5s])) / sum(rate(http_requests_total{slot="{{canary}}",version="{{version}}"}[5s]))`,
            max: 0.05,
          },
        ],
      },
    },
  })
  await running.waitForLog('step 1/2')
  await sleep(2000)
  const failingFrom = performance.timeOrigin + performance.now()
  await sandbox.apps.green.control({ errorRate: 0.5 })
  const run = await running.done
  return { failingFrom, outputs: run.outputs }
}
