/**
 * Issue 20, the whole release process, on real HAProxy and Prometheus: a release named by digest
 * is deployed to the idle slot, smoke-tested on each of its servers, shown first to requests
 * carrying `x-canary: 1` (the header phase), then walked 1/5/10/25/50/100% with the gate judging
 * each step; the next release is bad: blue-green-switch switches to it, the bake (the gate after
 * the switch) catches its errors and puts the old slot back. Every notification is printed as
 * the local Slack-, Teams- and webhook-shaped receivers get it (each checks the payload, the
 * webhook one the HMAC signature).
 */
import { createHash } from 'node:crypto'
import { openRouter, parseRouterConfigs } from '../../packages/router/index.js'
import { formatWeights } from '../../packages/domain/index.js'
import { sleep } from '../../packages/action-kit/util.js'
import { shareBar, type ChapterContext } from '../chapters.js'
import { startReceiver, type Received, type Receiver } from '../sandbox/receivers.js'

const digest = (name: string) =>
  `registry.local/orders@sha256:${createHash('sha256').update(name).digest('hex')}`

/** One line per notification, as the receiver got it. */
function describe(kind: string, r: Received): string {
  if (r.problem) return `${kind} refused it (${r.status}): ${r.problem}`
  const body = r.body as Record<string, unknown>
  if (kind === 'slack') return `slack    ${String(body.text)}`
  if (kind === 'teams') {
    const card = (body.attachments as { content: { body: { text?: string }[] } }[])[0]!.content
    const text = `${card.body[0]?.text ?? ''} | ${card.body[1]?.text ?? ''}`
    return `teams    [Adaptive Card] ${text.replace(/\s*\n+\s*/g, ' ')}`
  }
  const traffic = (body.traffic as { router: string; blue: number; green: number }[])
    .map((t) => `${t.router}: blue ${t.blue}% / green ${t.green}%`)
    .join('; ')
  const figures = (body.figures as { check: string; value?: number }[])
    .map((f) => `${f.check}=${f.value === undefined ? '?' : Number(f.value.toPrecision(4))}`)
    .join(', ')
  return `webhook  ${String(body.event)} (signature ${r.verified ? 'verified' : 'BAD'}): ${String(body.summary)}; traffic ${traffic || 'not read yet'}${figures ? `; figures ${figures}` : ''}`
}

export default async function release(ctx: ChapterContext): Promise<void> {
  const { sandbox, print } = ctx
  const haproxy = sandbox.haproxy!
  const prometheus = sandbox.prometheus!
  const router = { ...haproxy.router, name: 'lb-1', 'match-map': haproxy.matchMap }
  const lb = openRouter(parseRouterConfigs(router))
  // Independent of the chapters before it: blue runs v1 and is live; green is idle.
  await lb.match!.write(null)
  await lb.write({ blue: 100, green: 0 })
  await sandbox.apps.blue.control({ version: 'v1', errorRate: 0, latencyMs: 0, healthy: true })
  await sandbox.apps.green.control({ version: 'v0', errorRate: 0, latencyMs: 0, healthy: true })

  const receivers: Receiver[] = []
  const received: string[] = []
  for (const kind of ['slack', 'teams', 'webhook'] as const)
    receivers.push(
      await startReceiver(kind, {
        onReceive: (r) => {
          received.push(`${kind} ${r.status}`)
          print(`  📨 ${describe(kind, r)}`)
        },
      }),
    )
  const [slack, teams, webhook] = receivers as [Receiver, Receiver, Receiver]
  const notify = `- slack: ${slack.url}\n- teams: ${teams.url}\n- webhook: ${webhook.url}\n  secret: ${webhook.secret}\n`
  print('notifications go to three local receivers that check them as the services would:')
  print('  a Slack incoming webhook, a Teams workflow webhook (Adaptive Card), a signed webhook.')

  // A 5xx rate the gate reads from Prometheus; `or vector(0)`: no errors yet is zero, not "no data".
  const errors = (version: string) =>
    `sum(rate(http_requests_total{slot="{{canary}}",version="${version}",code=~"5.."}[5s])) or vector(0)`
  const gate = (version: string) => ({
    prometheus: prometheus.url,
    interval: '1s',
    checks: [{ name: '5xx-per-second', query: errors(version), max: 0.5 }],
  })
  const smoke = [{ url: 'http://{{address}}/healthz', status: 200, body: '"healthy":true' }]
  const common = { router, record: false, environment: 'production', service: 'orders', notify }

  const load = await sandbox.load(haproxy.url, {
    concurrency: 4,
    progressMs: 250,
    onProgress: (p) =>
      ctx.status(`  responses/250ms  ${shareBar(p.blue, p.green)}  5xx ${p.non2xx}`),
  })
  // Internal users: their requests carry x-canary: 1 (set by the edge from a cookie or the VPN).
  let internal = true
  const insiders: Record<string, number> = {}
  const insiderLoop = (async () => {
    while (internal) {
      try {
        const res = await fetch(haproxy.url, {
          headers: { 'x-canary': '1', connection: 'close' },
          signal: AbortSignal.timeout(5000),
        })
        const slot = ((await res.json()) as { slot: string }).slot
        insiders[slot] = (insiders[slot] ?? 0) + 1
      } catch {
        insiders.error = (insiders.error ?? 0) + 1
      }
      await sleep(20)
    }
  })()

  try {
    // 1. The release: built and pushed by build-image/push-registry (the image chapter shows it).
    const v2 = digest('orders v2')
    print(`\n1. release ${v2} (build-image + push-registry give the digest)`)
    // 2. Deploy to the idle slot: the plan says which one and its servers.
    const plan = await ctx.runAction('blue-green-switch', {
      inputs: { ...common, notify: '', 'dry-run': true },
    })
    const idle = plan.outputs.idle as 'blue' | 'green'
    print(`2. deploy: the idle slot is ${idle}, servers ${plan.outputs['idle-servers']}`)
    await sandbox.apps[idle].control({ version: 'v2' })
    print(`   the deploy command puts v2 on ${idle} (the sandbox app switches its version)`)
    // 3-5. Smoke on each server, the header phase, then 1/5/10/25/50/100, each judged.
    print(
      `3. canary-step: smoke each server of ${idle}, then steps header,1,5,10,25,50,100 (the gate judges each)`,
    )
    const walk = await ctx.runAction('canary-step', {
      inputs: {
        ...common,
        image: v2,
        canary: idle,
        smoke,
        match: 'header: x-canary=1',
        steps: 'header,1,5,10,25,50,100',
        interval: '2s',
        gate: gate('v2'),
      },
    })
    ctx.endStatus()
    print(
      walk.log
        .split('\n')
        .filter((l) => /smoke|header phase|step \d|passed/.test(l))
        .join('\n')
        .replace(/^/gm, '  │ '),
    )
    print(
      `  outputs: verdict ${walk.outputs.verdict}, phase ${walk.outputs.phase}, weight ${walk.outputs.weight}  exit code ${walk.exitCode}`,
    )
    print(
      `  requests with x-canary: 1 during the walk: ${JSON.stringify(insiders)} (all on ${idle} from the header phase on)`,
    )
    if (walk.exitCode !== 0 || walk.outputs.weight !== '100')
      throw new Error(`expected v2 to reach 100%, got ${JSON.stringify(walk.outputs)}`)

    // 6. The next release is bad: blue-green with a bake, which catches it after the switch.
    const v3 = digest('orders v3')
    const target = idle === 'blue' ? 'green' : 'blue'
    print(`\n4. release ${v3}: deployed to ${target}; it answers 40% of requests with 500`)
    await sandbox.apps[target].control({ version: 'v3', errorRate: 0.4 })
    print('5. blue-green-switch: smoke each server, switch, then bake (the gate after the switch)')
    const bad = await ctx.runAction('blue-green-switch', {
      inputs: {
        ...common,
        image: v3,
        to: target,
        smoke,
        bake: { ...gate('v3'), interval: '2s', count: 4 },
      },
    })
    ctx.endStatus()
    print(
      bad.log
        .split('\n')
        .filter((l) => /smoke|switching|bake|back|traffic now/.test(l))
        .join('\n')
        .replace(/^/gm, '  │ '),
    )
    print(
      `  outputs: verdict ${bad.outputs.verdict}, phase ${bad.outputs.phase}, rolled-back ${bad.outputs['rolled-back']}  exit code ${bad.exitCode} (the step fails, as it should)`,
    )
    const now = await lb.read()
    print(`  traffic at the end (read back from HAProxy): ${formatWeights(now)}`)
    if (bad.outputs['rolled-back'] !== 'true' || now[idle] !== 100)
      throw new Error(
        `expected the bad release to be rolled back, got ${JSON.stringify(bad.outputs)}`,
      )
  } finally {
    internal = false
    await insiderLoop
    const totals = await load.stop()
    ctx.endStatus()
    print(
      `  load: ${totals.requests} requests, blue ${totals.bySlot.blue ?? 0}, green ${totals.bySlot.green ?? 0}, 5xx ${totals.non2xx}`,
    )
    for (const r of receivers) await r.stop()
  }
  const refused = receivers.flatMap((r) => r.received.filter((x) => x.problem))
  print(
    `notifications: slack ${slack.accepted().length}, teams ${teams.accepted().length}, webhook ${webhook.accepted().length} accepted; ${refused.length} refused`,
  )
  if (refused.length > 0 || webhook.accepted().length === 0)
    throw new Error(`the receivers refused notifications: ${received.join(', ')}`)
}
