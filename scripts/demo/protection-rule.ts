/**
 * The protection-rule App judging a canary's pauses (issue 22): the App (CORE's startService) runs
 * beside the fake GitHub (FAKE's App side: JWTs, installation tokens, signed deliveries, the review
 * callback, all checked against GitHub's OpenAPI description). Each step job is canary-step's
 * bundle on the real HAProxy, recording the walk on the fake; each pause between two steps is a
 * job waiting on the `production-pause` environment, whose protection rule is the App: the fake
 * delivers `deployment_protection_rule`, the App runs the gate over the pause window against the
 * real Prometheus and answers through the callback. One release is approved step by step to 100%;
 * the next goes bad during a pause, is rejected, and the rollback job puts stable back.
 */
import { randomBytes } from 'node:crypto'
import { startService, type RunningService } from '../../apps/protection-rule/src/service.js'
import { sleep } from '../../packages/action-kit/util.js'
import { openRouter, parseRouterConfig } from '../../packages/router/index.js'
import { shareBar, type ChapterContext } from '../chapters.js'
import { startFakeGitHub, type FakeGitHub } from '../sandbox/fake-github.js'

const PAUSE_ENV = 'production-pause'
const PAUSE = '6s'

export default async function protectionRule(ctx: ChapterContext): Promise<void> {
  const { sandbox, print } = ctx
  const haproxy = sandbox.haproxy!
  const prometheus = sandbox.prometheus!
  // Independent of the chapters before it: no header match, green (v2) live.
  const router = openRouter(parseRouterConfig(haproxy.router))
  await router.match?.write(null)
  await router.write({ blue: 0, green: 100 })
  await sandbox.apps.green.control({ version: 'v2', errorRate: 0, latencyMs: 0 })

  const fake: FakeGitHub = await startFakeGitHub({ clock: 'real' })
  let app: RunningService | undefined
  const appLog: Record<string, unknown>[] = []
  const load = await sandbox.load(haproxy.url, {
    concurrency: 4,
    progressMs: 500,
    onProgress: (p) =>
      ctx.status(`  responses/500ms  ${shareBar(p.blue, p.green)}  5xx ${p.non2xx}`),
  })
  try {
    app = await startService({
      port: 0,
      host: '127.0.0.1',
      appId: fake.app.id,
      privateKey: fake.app.privateKey,
      webhookSecret: fake.app.webhookSecret,
      githubUrl: fake.url,
      log: (entry) => appLog.push(entry), // printed when the App gives no answer; GitHub shows its reviews
      recover: false,
      watchMs: 1000,
      progressEvery: 3,
      timeouts: { githubMs: 5000, prometheusMs: 5000 },
    })
    print(`the App listens at ${app.url}/webhook; GitHub is a local fake at ${fake.url}`)
    print(
      `green (v2) is stable on HAProxy; each release goes to the idle slot in steps 10 → 50 → 100, with a ${PAUSE} pause between steps`,
    )
    print(`judged by the App on the environment ${PAUSE_ENV} (no runner waits, no wait timer)`)

    let runId = 50_000
    const walk = async (version: string, canary: 'blue' | 'green', breakAfterStep?: number) => {
      const sha = randomBytes(20).toString('hex')
      const series = `slot="{{canary}}",version="${version}"`
      fake.files(
        'acme/orders',
        sha,
        '.github/cutover.yml',
        [
          'protection-rule:',
          `  ${PAUSE_ENV}:`,
          '    service: orders',
          '    environment: production',
          `    prometheus: ${prometheus.url}`,
          `    pause: ${PAUSE}`,
          '    gate: |',
          '      interval: 1s',
          '      checks:',
          '        - name: error-rate',
          `          query: sum(rate(http_requests_total{${series},code="500"}[3s])) / sum(rate(http_requests_total{${series}}[3s]))`,
          `          samples: sum(increase(http_requests_total{${series}}[3s]))`,
          '          min-samples: 10',
          '          max: 0.05',
          '',
        ].join('\n'),
      )
      await sandbox.apps[canary].control({ version, errorRate: 0, latencyMs: 0 })
      const run = ++runId
      print(`\n${version} at ${sha.slice(0, 7)} (workflow run ${run}):`)
      let deploymentId = ''
      for (const [i, weight] of ['10', '50', '100'].entries()) {
        const step = await ctx.runAction('canary-step', {
          inputs: {
            router: haproxy.router,
            canary,
            weight,
            interval: '5s',
            gate: {
              prometheus: prometheus.url,
              interval: '1s',
              // The canary's first requests need two scrapes before a rate has a value.
              'initial-delay': '3s',
              checks: [
                {
                  name: 'error-rate',
                  query: `sum(rate(http_requests_total{slot="{{canary}}",code="500"}[3s])) / sum(rate(http_requests_total{slot="{{canary}}"}[3s]))`,
                  max: 0.05,
                },
              ],
            },
            environment: 'production',
            service: 'orders',
            image: `registry.example/orders:${version}`,
            ...(deploymentId ? { 'deployment-id': deploymentId } : {}),
          },
          token: fake.token,
          env: { GITHUB_API_URL: fake.url, GITHUB_SHA: sha },
        })
        ctx.endStatus()
        deploymentId ||= step.outputs['deployment-id'] ?? ''
        print(
          `  step job ${i + 1}: canary-step set ${canary} to ${step.outputs.weight}% (verdict ${step.outputs.verdict}, exit ${step.exitCode})`,
        )
        if (step.exitCode !== 0) throw new Error(`step ${i + 1} failed: ${step.errors.join('; ')}`)
        if (weight === '100') return { verdict: 'approved' as const, deploymentId }

        if (breakAfterStep === i + 1) {
          await sandbox.apps[canary].control({ errorRate: 0.3 })
          print(`  …${version} starts answering 30% of its requests with 500 during the pause`)
        }
        const started = Date.now()
        const sent = await fake.deliverProtectionRule({
          url: `${app!.url}/webhook`,
          environment: PAUSE_ENV,
          runId: run,
          sha,
          ref: 'refs/heads/main',
        })
        print(
          `  pause: the next job waits on ${PAUSE_ENV}; GitHub delivers deployment_protection_rule → the App answers ${sent.status}`,
        )
        const review = await fake.waitForReview(run, PAUSE_ENV, 60_000).catch((e: unknown) => {
          const lines = appLog.filter((l) => l.run === run).map((l) => JSON.stringify(l))
          throw new Error(
            `${(e as Error).message}; the App's log of run ${run}:\n${lines.join('\n')}`,
          )
        })
        ctx.endStatus()
        const seconds = ((Date.parse(review.at) - started) / 1000).toFixed(1)
        for (const r of fake.reviews.filter((r) => r.runId === run && r !== review && !r.state))
          if (Date.parse(r.at) >= started) print(`    comment: ${r.comment.split('\n')[0]}`)
        print(`    ${review.state!.toUpperCase()} after ${seconds} s:`)
        print(
          review.comment
            .split('\n')
            .filter(Boolean)
            .slice(0, 6)
            .map((l) => `    │ ${l}`)
            .join('\n'),
        )
        if (review.state !== 'approved') return { verdict: 'rejected' as const, deploymentId }
      }
      throw new Error('unreachable')
    }

    const good = await walk('v5', 'blue')
    if (good.verdict !== 'approved') throw new Error(`v5 should have been approved to 100%`)
    print(`  v5 on blue carries 100%: ${JSON.stringify(await router.read())}`)
    // v5 is stable on blue now; the next release goes to the idle slot, green.
    const bad = await walk('v6', 'green', 1)
    if (bad.verdict !== 'rejected') throw new Error('v6 should have been rejected')
    print('  the step job after the pause fails as GitHub fails it; the rollback job runs:')
    const rollback = await ctx.runAction('rollback', {
      inputs: {
        router: haproxy.router,
        to: 'previous',
        scope: 'deployment',
        'nothing-to-do': 'succeed',
        environment: 'production',
        service: 'orders',
        'deployment-id': bad.deploymentId,
        reason: 'the protection rule rejected the pause',
      },
      token: fake.token,
      env: { GITHUB_API_URL: fake.url },
    })
    ctx.endStatus()
    print(
      rollback.log
        .trim()
        .split('\n')
        .slice(-4)
        .map((l) => `  │ ${l}`)
        .join('\n'),
    )
    const weights = await router.read()
    print(`  traffic now: ${JSON.stringify(weights)} (exit ${rollback.exitCode})`)
    if (weights.green !== 0)
      throw new Error(`stable (blue, v5) should carry 100% again: ${JSON.stringify(weights)}`)
    if (fake.violations.length > 0)
      throw new Error(`requests GitHub would refuse: ${fake.violations.join('; ')}`)
    print('  every request the App and the actions made matched GitHub’s OpenAPI description')
  } finally {
    ctx.endStatus()
    await load.stop()
    await sandbox.apps.blue.control({ errorRate: 0 })
    await sandbox.apps.green.control({ errorRate: 0 })
    await app?.close()
    await fake.stop()
    await sleep(0)
  }
}
