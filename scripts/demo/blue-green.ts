import { shareBar, type ChapterContext } from '../chapters.js'

export default async function blueGreen(ctx: ChapterContext): Promise<void> {
  const { sandbox, print } = ctx
  for (const kind of ['haproxy', 'nginx'] as const) {
    const router = sandbox[kind]!
    await sandbox.apps.green.control({ version: 'v2' })
    print(
      `${kind}: clients hit ${router.url}; blue runs v1 and is live, green runs v2 and is idle.`,
    )
    const load = await sandbox.load(router.url, {
      concurrency: 4,
      keepalive: kind === 'haproxy',
      progressMs: 200,
      onProgress: (p) =>
        ctx.status(
          `  ${kind} responses/200ms  ${shareBar(p.blue, p.green)}  non-2xx ${p.non2xx}  errors ${p.errors}`,
        ),
    })
    await pause(1200)
    ctx.endStatus()
    print(
      `  running actions/blue-green-switch (dist bundle, as the runner runs it) with health-url ${sandbox.apps.green.url}/healthz`,
    )
    const run = await ctx.runAction('blue-green-switch', {
      inputs: {
        router: router.router,
        'health-url': `${sandbox.apps.green.url}/healthz`,
        'health-interval': '200ms',
      },
    })
    await pause(1500)
    ctx.endStatus()
    const totals = await load.stop()
    print(run.log.trim().replace(/^/gm, '  │ '))
    print(`  outputs: ${JSON.stringify(run.outputs)}  exit code ${run.exitCode}`)
    print(
      `  load: ${totals.requests} requests, blue ${totals.bySlot.blue ?? 0}, green ${totals.bySlot.green ?? 0}, non-2xx ${totals.non2xx}, failed ${totals.errors}`,
    )
    print('  job summary:')
    print(run.summary.trim().replace(/^/gm, '  │ '))
    if (run.exitCode !== 0)
      throw new Error(`blue-green-switch failed on ${kind}: ${run.errors.join('; ')}`)
    print()
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))
