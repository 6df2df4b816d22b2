import { openRouter, parseRouterConfig } from '../../packages/router/index.js'
import { shareBar, type ChapterContext } from '../chapters.js'
import { sleep } from '../../packages/action-kit/util.js'

/** green (v2) is live on HAProxy after the blue-green chapter; blue gets v3, which goes bad. */
export default async function canary(ctx: ChapterContext): Promise<void> {
  const { sandbox, print } = ctx
  const haproxy = sandbox.haproxy!
  // Independent of the chapters before it: green runs v2 and is live, blue gets v3.
  await openRouter(parseRouterConfig(haproxy.router)).write({ blue: 0, green: 100 })
  await sandbox.apps.green.control({ version: 'v2', errorRate: 0, latencyMs: 0 })
  await sandbox.apps.blue.control({ version: 'v3', errorRate: 0, latencyMs: 0 })
  // The gate judges v3 from its first measurement, so wait until Prometheus has scraped it twice.
  await sandbox.prometheus!.waitForData(
    'rate(http_requests_total{slot="blue",version="v3",code="200"}[5s])',
  )
  print(
    `canary of v3 on blue behind HAProxy; green (v2) is stable. Prometheus at ${sandbox.prometheus!.url} scrapes both every second.`,
  )
  print('v3 will start answering 30% of requests with 500 while it takes traffic.')
  const load = await sandbox.load(haproxy.url, {
    concurrency: 4,
    progressMs: 250,
    onProgress: (p) =>
      ctx.status(`  responses/250ms  ${shareBar(p.blue, p.green)}  5xx ${p.non2xx}`),
  })
  const errorRate = (slot: string) =>
    `sum(rate(http_requests_total{slot="${slot}",version="v3",code=~"5.."}[5s])) / sum(rate(http_requests_total{slot="${slot}",version="v3"}[5s]))`
  const running = await ctx.startAction('canary-step', {
    inputs: {
      router: haproxy.router,
      record: false, // records have their own chapter; with records on, environment is required
      canary: 'blue',
      steps: '10,50,100',
      interval: '6s',
      gate: {
        prometheus: sandbox.prometheus!.url,
        interval: '1s',
        checks: [{ name: 'error-rate', query: errorRate('{{canary}}'), max: 0.05 }],
      },
    },
  })
  await running.waitForLog('step 1/3')
  await sleep(2500)
  await sandbox.apps.blue.control({ errorRate: 0.3 })
  const run = await running.done
  await sleep(1500)
  ctx.endStatus()
  const totals = await load.stop()
  print(run.log.trim().replace(/^/gm, '  │ '))
  print(
    `  outputs: ${JSON.stringify(run.outputs)}  exit code ${run.exitCode} (the step fails, as it should)`,
  )
  print(
    `  load: ${totals.requests} requests, blue ${totals.bySlot.blue ?? 0}, green ${totals.bySlot.green ?? 0}, 5xx ${totals.non2xx}`,
  )
  print('  job summary (markdown; GitHub renders the tables and mermaid charts):')
  print(run.summary.trim().replace(/^/gm, '  │ '))
  if (run.outputs.verdict !== 'fail' || run.outputs.weight !== '0') {
    throw new Error(`expected the bad canary to be rolled back, got ${JSON.stringify(run.outputs)}`)
  }
}
