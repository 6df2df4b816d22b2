import { InMemStorageProvider, Unleash } from 'unleash-client'
import { sleep } from '../../packages/action-kit/util.js'
import type { ChapterContext } from '../chapters.js'
import { startFakeGitHub } from '../sandbox/fake-github.js'
import { startFlagApp, startFlagPrometheus } from '../sandbox/flag-app.js'
import { startUnleash } from '../sandbox/unleash.js'

const FLAG = 'checkout-v2'
const USERS = 10_000
const VARIANTS = { off: 'off', on: 'on' }

/**
 * A feature flag walked like a canary on a real Unleash: an app whose 10,000 simulated users get
 * the flag from the official SDK, metrics by variant in Prometheus, canary-step walking the
 * flag's rollout 5 → 25 → 100 with the gate comparing the users who have it on with those who
 * have it off. The first walk meets a broken feature and turns it off for everyone by itself;
 * the fixed release walks it to 100%.
 */
export default async function flags(ctx: ChapterContext): Promise<void> {
  const { print } = ctx
  const started = performance.now()
  const [unleash, github] = await Promise.all([startUnleash(), startFakeGitHub()])
  let sdk: Unleash | undefined
  const stops: (() => Promise<void>)[] = [() => unleash.stop(), () => github.stop()]
  try {
    print(
      `Unleash 8.2 on PostgreSQL 15 at ${unleash.url}, ready in ${((performance.now() - started) / 1000).toFixed(1)} s; GitHub's API is the local fake.`,
    )
    const admin = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${unleash.url}${path}`, {
        method,
        headers: { Authorization: unleash.adminToken, 'Content-Type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(10_000),
      })
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
    }
    await admin('POST', '/api/admin/projects/default/features', { name: FLAG, type: 'release' })
    print(`  flag ${FLAG} created in project default, off in ${unleash.environment}.`)

    const client = new Unleash({
      url: `${unleash.url}/api`,
      appName: 'orders',
      customHeaders: { Authorization: unleash.clientToken },
      refreshInterval: 100,
      disableMetrics: true,
      storageProvider: new InMemStorageProvider(),
    })
    sdk = client
    await new Promise<void>((resolve, reject) => {
      client.once('synchronized', () => resolve())
      client.once('error', reject)
    })
    const app = await startFlagApp((userId) => client.isEnabled(FLAG, { userId }), {
      flag: FLAG,
      variants: VARIANTS,
    })
    stops.unshift(() => app.stop())
    const prometheus = await startFlagPrometheus(app.port)
    stops.unshift(() => prometheus.stop())
    await prometheus.waitForData(`http_requests_total{feature_flag_variant="${VARIANTS.off}"}`)
    print(
      `  the app: ${USERS} users, 1,000 requests/s, each asking the Unleash SDK (unleash-client) for ${FLAG}; Prometheus counts http_requests_total by feature_flag_variant.`,
    )
    const usersOn = () => {
      let on = 0
      for (let i = 0; i < USERS; i++) if (client.isEnabled(FLAG, { userId: `user-${i}` })) on++
      return on
    }
    /** What the SDK serves once it caught up (it refreshes every 100 ms). */
    const settled = async (want: number) => {
      const deadline = Date.now() + 10_000
      let on = usersOn()
      while (on !== want && Date.now() < deadline) {
        await sleep(100)
        on = usersOn()
      }
      return on
    }

    const router = {
      type: 'unleash',
      url: unleash.url,
      token: unleash.adminToken,
      'client-token': unleash.clientToken,
      environment: unleash.environment,
      flag: FLAG,
    }
    const gate = {
      prometheus: prometheus.url,
      interval: '1s',
      'max-wait': '40s',
      checks: [
        {
          name: 'errors-on-vs-off',
          compare: 'error-rate',
          requests: `sum(http_requests_total{feature_flag_key="${FLAG}",feature_flag_variant="{{slot}}"})`,
          errors: `sum(http_requests_total{feature_flag_key="${FLAG}",feature_flag_variant="{{slot}}",code="500"})`,
          margin: 0.01,
          max: 0.05,
        },
      ],
    }
    print('  router:  ' + JSON.stringify({ ...router, token: '***', 'client-token': '***' }))
    print(`  gate:    {{slot}} is each variant label in turn: ${gate.checks[0]!.errors}`)
    const walk = (image: string) =>
      ctx.runAction('canary-step', {
        inputs: {
          router,
          steps: '5,25,100',
          interval: '4s',
          gate,
          environment: 'production',
          service: 'orders',
          image,
        },
        token: github.token,
        env: { GITHUB_API_URL: github.url },
      })

    print()
    print('Walk 1: release v8 carries checkout-v2, and checkout-v2 fails 1 request in 4.')
    app.fail(VARIANTS.on, 0.25)
    const bad = await walk('registry.local/orders:v8')
    print(bad.log.trim().replace(/^/gm, '  │ '))
    for (const warning of bad.warnings) print(`  warning: ${warning}`)
    print(`  outputs: ${JSON.stringify(bad.outputs)}  exit code ${bad.exitCode}`)
    const offAfter = await settled(0)
    print(`  the SDK now turns ${FLAG} on for ${offAfter} of ${USERS} users.`)
    if (bad.outputs.verdict !== 'fail' || bad.outputs['rolled-back'] !== 'true' || offAfter !== 0)
      throw new Error(`the broken flag should be off for everyone: ${JSON.stringify(bad.outputs)}`)

    print()
    print('Walk 2: v9 fixes checkout-v2; the same walk goes to 100%.')
    app.fail(VARIANTS.on, 0)
    const good = await walk('registry.local/orders:v9')
    print(good.log.trim().replace(/^/gm, '  │ '))
    for (const warning of good.warnings) print(`  warning: ${warning}`)
    print(`  outputs: ${JSON.stringify(good.outputs)}  exit code ${good.exitCode}`)
    const onAfter = await settled(USERS)
    print(`  the SDK now turns ${FLAG} on for ${onAfter} of ${USERS} users.`)
    if (good.outputs.verdict !== 'pass' || onAfter !== USERS)
      throw new Error(`the fixed flag should be on for everyone: ${JSON.stringify(good.outputs)}`)
    const counts = app.counts()
    print(
      `  requests: on ${counts[VARIANTS.on]!.requests} (${counts[VARIANTS.on]!.errors} errors), off ${counts[VARIANTS.off]!.requests} (${counts[VARIANTS.off]!.errors} errors)`,
    )
    print('  records (the service and the flag: never read as a release of the servers):')
    for (const d of github.deployments)
      print(
        `  │ ${String(d.id).padEnd(5)} ${d.task.padEnd(30)} ${String(d.payload.slot ?? '').padEnd(6)} ${String(d.payload.image ?? '').padEnd(26)} ${d.statuses.map((s) => s.state).join(' → ')}`,
      )
  } finally {
    sdk?.destroy()
    for (const stop of stops) await stop().catch(() => undefined)
  }
}
