import {
  HaproxyRouter,
  parseRouterConfig,
  type HaproxyConfig,
} from '../../packages/router/index.js'
import { shareBar, type ChapterContext } from '../chapters.js'
import { startSandbox } from '../sandbox/index.js'
import { sleep } from '../../packages/action-kit/util.js'

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
    await sleep(1200)
    ctx.endStatus()
    print(
      `  running actions/blue-green-switch (dist bundle, as the runner runs it) with health-url ${sandbox.apps.green.url}/healthz`,
    )
    const run = await ctx.runAction('blue-green-switch', {
      inputs: {
        router: router.router,
        record: false,
        'health-url': `${sandbox.apps.green.url}/healthz`,
        'health-interval': '200ms',
      },
    })
    await sleep(1500)
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
  await pairOfRouters(ctx)
}

/** Two servers per slot behind two HAProxies (an HA pair): one `router` list, one switch. */
async function pairOfRouters(ctx: ChapterContext): Promise<void> {
  const { print } = ctx
  const sandbox = await startSandbox({ haproxy: true, serversPerSlot: 2 })
  try {
    const second = await sandbox.addHaproxy()
    const router = [
      { ...sandbox.haproxy!.router, name: 'lb a' },
      { ...second.router, name: 'lb b' },
    ]
    print('a pair of HAProxies, two servers per slot; `router` is a YAML list:')
    print(JSON.stringify(router, null, 1).replace(/\n\s*/g, ' ').replace(/^/gm, '  '))
    // An operator took one green server out on lb a: the switch leaves it alone and says so.
    const lbA = new HaproxyRouter(parseRouterConfig(router[0]) as HaproxyConfig)
    await lbA.command('set server web/web-green-2 state maint')
    print('  the operator put web-green-2 in maintenance on lb a; switching to green:')
    const run = await ctx.runAction('blue-green-switch', {
      inputs: { router, to: 'green', record: false },
    })
    print(run.log.trim().replace(/^/gm, '  │ '))
    print(`  outputs: ${JSON.stringify(run.outputs)}  exit code ${run.exitCode}`)
    print('  job summary:')
    print(run.summary.trim().replace(/^/gm, '  │ '))
    for (const [name, url] of [
      ['lb a', sandbox.haproxy!.url],
      ['lb b', second.url],
    ] as const) {
      const load = await sandbox.load(url, { concurrency: 2, keepalive: false, requests: 200 })
      const totals = await load.finished()
      print(
        `  ${name}: 200 requests: blue ${totals.bySlot.blue ?? 0}, green ${totals.bySlot.green ?? 0}`,
      )
    }
    const state = await lbA.state()
    print(
      `  lb a green servers: ${state.green.map((s) => `${s.name} weight ${s.weight}${s.maintenance ? ' (maintenance, left as it was)' : ''}`).join(', ')}`,
    )
    if (run.exitCode !== 0)
      throw new Error(`blue-green-switch failed on the pair: ${run.errors.join('; ')}`)
  } finally {
    await sandbox.stop()
  }
  print()
}
