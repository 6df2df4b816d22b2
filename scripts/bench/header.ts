import { connect } from 'node:net'
import { sleep } from '../../packages/action-kit/util.js'
import { openRouter, parseRouterConfigs } from '../../packages/router/index.js'
import type { ChapterContext } from '../chapters.js'
import { describe } from './stats.js'

const RUNS = 5
const MATCH = { kind: 'header' as const, name: 'x-canary', value: '1', slot: 'green' as const }

/**
 * Time to clear a header match on rollback: the header phase sends `x-canary: 1` to green, a
 * prober sends such requests back to back (one connection each), and the clock runs from the
 * start of the rollback until the last matched request that still reached green. The rollback
 * action's bundle (HAProxy and nginx) beside the bare runtime-API `clear map` (HAProxy; what a
 * hand-written script with socat does). Printed, never asserted.
 */
export default async function headerClear(ctx: ChapterContext): Promise<void> {
  const kinds = [
    {
      kind: 'haproxy' as const,
      url: ctx.sandbox.haproxy!.url,
      router: { ...ctx.sandbox.haproxy!.router, 'match-map': ctx.sandbox.haproxy!.matchMap },
    },
    {
      kind: 'nginx' as const,
      url: ctx.sandbox.nginx!.url,
      router: { ...ctx.sandbox.nginx!.router, 'match-file': ctx.sandbox.nginx!.matchFile },
    },
  ]
  for (const { kind, url, router: config } of kinds) {
    const router = openRouter(parseRouterConfigs(config))
    const ways: [string, () => Promise<void>][] = [
      [
        'rollback action',
        async () => {
          const run = await ctx.runAction('rollback', {
            inputs: { router: config, to: 'blue', record: 'false' } as never,
          })
          if (run.exitCode !== 0) throw new Error(`rollback failed: ${run.errors.join('; ')}`)
        },
      ],
    ]
    if (kind === 'haproxy')
      ways.push([
        'bare runtime API: clear map',
        () =>
          runtimeCommand(
            ctx.sandbox.haproxy!.address,
            `clear map ${ctx.sandbox.haproxy!.matchMap}`,
          ),
      ])
    for (const [way, clear] of ways) {
      const times: number[] = []
      for (let i = 0; i < RUNS; i++) {
        await router.write({ blue: 100, green: 0 })
        await router.match!.write(MATCH)
        const probe = prober(url)
        await sleep(200)
        const start = performance.now()
        await clear()
        await sleep(300)
        const answers = await probe.stop()
        const lastGreen = answers.filter((a) => a.slot === 'green').at(-1)
        times.push(Math.max(0, (lastGreen?.at ?? start) - start))
      }
      ctx.print(`  ${kind}, ${way}: last matched request on the canary after ${describe(times)}`)
    }
    await router.match!.write(null)
  }
}

/** Matched requests back to back until stopped: when each answer came and from which slot. */
function prober(url: string) {
  const answers: { at: number; slot: string }[] = []
  let running = true
  const loop = (async () => {
    while (running) {
      try {
        const res = await fetch(url, {
          headers: { 'x-canary': '1', connection: 'close' },
          signal: AbortSignal.timeout(5000),
        })
        const body = (await res.json()) as { slot: string }
        answers.push({ at: performance.now(), slot: body.slot })
      } catch {
        // an error is not an answer from the canary
      }
    }
  })()
  return {
    stop: async () => {
      running = false
      await loop
      return answers
    },
  }
}

/** One runtime-API command over TCP (`echo ... | socat - TCP:host:port`), bounded by 5 s. */
function runtimeCommand(address: string, line: string): Promise<void> {
  const [host, port] = [
    address.slice(0, address.lastIndexOf(':')),
    Number(address.split(':').at(-1)),
  ]
  return new Promise((resolve, reject) => {
    const socket = connect(port, host, () => socket.end(`${line}\n`))
    const timer = setTimeout(() => socket.destroy(new Error('no answer within 5 s')), 5000)
    socket.on('error', (e) => {
      clearTimeout(timer)
      reject(e)
    })
    socket.on('close', () => {
      clearTimeout(timer)
      resolve()
    })
    socket.resume()
  })
}
