/**
 * The protection-rule App's reaction time (issue 22): from the moment the fake GitHub sends the
 * `deployment_protection_rule` event until the App's callback (approved or rejected), for a pass
 * and for a fail, beside the gate's own time for the same window: metrics-gate's bundle with the
 * same check, the same interval and the same looks (the last one at the window's end).
 *
 * The App (CORE's startService) talks to the fake GitHub (FAKE's App side: JWT, installation
 * token, signed delivery, callback, all checked against GitHub's OpenAPI description); the gate
 * asks the sandbox's real Prometheus, which scrapes the canary app (green) under steady load. The
 * walk's record ("canary 25%" set just now) is stored on the fake directly: this measures the App,
 * not canary-step.
 */
import { randomBytes } from 'node:crypto'
import { startService, type RunningService } from '../../apps/protection-rule/src/service.js'
import { sleep } from '../../packages/action-kit/util.js'
import type { ChapterContext } from '../chapters.js'
import { startFakeGitHub, type FakeGitHub } from '../sandbox/fake-github.js'
import { describe } from './stats.js'

const RUNS = 3
const PAUSE_S = 5
const INTERVAL_S = 1
const PAUSE_ENV = 'production-pause'
const ERROR_RATE = 0.3

type Case = 'pass' | 'fail'

export default async function protectionRuleBench(ctx: ChapterContext): Promise<void> {
  const { sandbox, print } = ctx
  const prometheus = sandbox.prometheus!
  const canary = sandbox.apps.green
  const fake: FakeGitHub = await startFakeGitHub({ clock: 'real' })
  let app: RunningService | undefined
  const load = await sandbox.load(canary.url, { concurrency: 2 })
  let nextId = 700_000
  let runId = 80_000
  const figures: Record<
    Case,
    { ack: number[]; callback: number[]; late: number[]; gate: number[] }
  > = {
    pass: { ack: [], callback: [], late: [], gate: [] },
    fail: { ack: [], callback: [], late: [], gate: [] },
  }
  try {
    app = await startService({
      port: 0,
      host: '127.0.0.1',
      appId: fake.app.id,
      privateKey: fake.app.privateKey,
      webhookSecret: fake.app.webhookSecret,
      githubUrl: fake.url,
      log: () => {},
      recover: false,
      timeouts: { githubMs: 5000, prometheusMs: 5000 },
    })
    print(
      `the App at ${app.url}, GitHub a local fake; pause ${PAUSE_S} s, one look every ${INTERVAL_S} s; the fail case answers ${ERROR_RATE * 100}% 500s from before the event`,
    )
    const check = (series: string) => ({
      name: 'error-rate',
      query: `sum(rate(http_requests_total{${series},code="500"}[3s])) / sum(rate(http_requests_total{${series}}[3s]))`,
      samples: `sum(increase(http_requests_total{${series}}[3s]))`,
      'min-samples': 10,
      max: 0.05,
    })
    for (let i = 0; i < RUNS; i++)
      for (const kase of ['pass', 'fail'] as Case[]) {
        const sha = randomBytes(20).toString('hex')
        const version = `b-${sha.slice(0, 8)}`
        const c = check(`slot="{{canary}}",version="${version}"`)
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
            `    pause: ${PAUSE_S}s`,
            '    gate: |',
            `      interval: ${INTERVAL_S}s`,
            '      checks:',
            `        - name: ${c.name}`,
            `          query: ${c.query}`,
            `          samples: ${c.samples}`,
            `          min-samples: ${c['min-samples']}`,
            `          max: ${c.max}`,
            '',
          ].join('\n'),
        )
        await canary.control({ version, errorRate: kase === 'fail' ? ERROR_RATE : 0 })
        // The new version's series exist in Prometheus before the step (a rate needs two scrapes).
        await prometheus.waitForData(
          `sum(increase(http_requests_total{slot="green",version="${version}"}[3s])) > 10`,
        )
        const run = ++runId
        const stepAt = storeWalk(fake, sha, nextId)
        nextId += 10
        const sent = Date.now()
        const answer = await fake.deliverProtectionRule({
          url: `${app.url}/webhook`,
          environment: PAUSE_ENV,
          runId: run,
          sha,
          ref: 'refs/heads/main',
        })
        const acked = Date.now()
        if (answer.status !== 202)
          throw new Error(`the App answered ${answer.status}: ${answer.body}`)
        const review = await fake.waitForReview(run, PAUSE_ENV, 60_000)
        const expected = kase === 'pass' ? 'approved' : 'rejected'
        if (review.state !== expected)
          throw new Error(`expected ${expected}, the App said ${review.state}: ${review.comment}`)
        figures[kase].ack.push(acked - sent)
        figures[kase].callback.push(Date.parse(review.at) - sent)
        figures[kase].late.push(Date.parse(review.at) - (stepAt + PAUSE_S * 1000))

        // The gate alone over the same window: the same check on the same series, the looks
        // 1 s apart with the last one at the window's end.
        const started = performance.now()
        const gate = await ctx.runAction('metrics-gate', {
          inputs: {
            prometheus: prometheus.url,
            checks: [check(`slot="green",version="${version}"`)],
            interval: `${INTERVAL_S}s`,
            count: String(PAUSE_S / INTERVAL_S),
            'initial-delay': `${INTERVAL_S}s`,
          },
        })
        figures[kase].gate.push(performance.now() - started)
        if (gate.outputs.verdict !== kase)
          throw new Error(`metrics-gate said ${gate.outputs.verdict} for the ${kase} case`)
        ctx.status(
          `  run ${i + 1}/${RUNS} ${kase}: ${review.state} after ${figures[kase].callback.at(-1)} ms`,
        )
      }
    ctx.endStatus()
    for (const kase of ['pass', 'fail'] as Case[]) {
      const f = figures[kase]
      print(
        `${kase} (${kase === 'pass' ? 'approved at the window’s end' : 'rejected at the first failing look'}):`,
      )
      print(`  event → the App's 202:          ${describe(f.ack)}`)
      print(`  event → the App's callback:     ${describe(f.callback)}`)
      if (kase === 'pass') print(`  callback after the window's end: ${describe(f.late)}`)
      print(
        `  metrics-gate alone, same window: ${describe(f.gate)} (a process of its own, Node start included)`,
      )
    }
    print(
      `the App's part besides the gate: an installation token, the config at the commit, the walk's records, the run's status and the callback (${fake.violations.length === 0 ? 'every request matched GitHub’s description' : `${fake.violations.length} requests GitHub would refuse`})`,
    )
  } finally {
    ctx.endStatus()
    await load.stop()
    await canary.control({ errorRate: 0 })
    await app?.close()
    await fake.stop()
    await sleep(0)
  }
}

/** The walk's record as canary-step writes it: orders to green, its step "canary 25%" set now. */
function storeWalk(fake: FakeGitHub, sha: string, id: number): number {
  const at = Date.now()
  const now = new Date(at).toISOString()
  const status = (n: number, description: string) => ({
    id: id + n,
    state: 'in_progress',
    description,
    environment: 'production',
    log_url: 'https://github.com/acme/orders/actions/runs/1',
    environment_url: '',
    created_at: now,
  })
  fake.deployments.push({
    id,
    sha,
    ref: 'main',
    task: 'deploy:orders',
    payload: {
      tool: 'cutover',
      schema: 2,
      service: 'orders',
      strategy: 'canary',
      router: { type: 'haproxy', name: 'web' },
      slot: 'green',
      stable: 'blue',
      weights: { blue: 75, green: 25 },
      previous: { slot: 'blue' },
    },
    environment: 'production',
    description: 'canary of orders to green',
    production_environment: true,
    transient_environment: false,
    created_at: now,
    statuses: [status(2, 'canary 25%'), status(1, 'canary to green')],
  })
  return at
}
