/**
 * The gate's judges by simulation (issue 13, bench a): false alarms on identical slots and power
 * / time to detect +5 points of errors, at 5% and 1% canary weight with 20 and 200 requests/s in
 * total, 10,000 simulated steps per case, repeated looks included. Both judges run on the same
 * simulated traffic:
 *
 * - statistical: `compare: error-rate` (exact window counts, Fisher / z-test, Bonferroni over the
 *   planned looks, confidence 0.99, min-samples 50) through the real `judgeErrorRate` and
 *   `assess()`;
 * - threshold: today's README query (`rate(5xx[1m]) / rate(all[1m])` of the canary, max 0.05),
 *   where 0/0 is NaN, which the old gate counted as a failure (failure-limit 0).
 *
 * Pure computation: no servers, seeded random numbers, so a run is reproducible.
 *
 * Then (bench b) a few live runs of metrics-gate's bundle for both judges on the sandbox: HAProxy
 * at 1% canary under load, Prometheus scraping the apps' counters.
 */
import {
  alphaPerLook,
  assess,
  count,
  emptyCounts,
  judgeErrorRate,
  type CheckCounts,
} from '../../packages/gate/index.js'
import { openRouter, parseRouterConfig } from '../../packages/router/index.js'
import type { ChapterContext } from '../chapters.js'

const RUNS = 10_000
const LOOK_S = 30 // one look every 30 s
const COUNT = 10 // looks that judge (5 minutes of evidence)
const MAX_LOOKS = 20 // max-wait: 10 minutes
const CONFIDENCE = 0.99
const MIN_SAMPLES = 50
const BASE_ERRORS = 0.005

/** mulberry32: a small seeded PRNG. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function normal(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand())
}

function poisson(rand: () => number, mean: number): number {
  if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(rand)))
  const limit = Math.exp(-mean)
  let k = 0
  for (let p = rand(); p > limit; p *= rand()) k++
  return k
}

function binomial(rand: () => number, n: number, p: number): number {
  if (n * p > 30 && n * (1 - p) > 30)
    return Math.min(n, Math.max(0, Math.round(n * p + Math.sqrt(n * p * (1 - p)) * normal(rand))))
  // Inversion: walk the cdf (fast while n·p is small).
  const u = rand()
  let k = 0
  let pk = (1 - p) ** n
  let cdf = pk
  while (u > cdf && k < n) {
    pk *= ((n - k) / (k + 1)) * (p / (1 - p))
    k++
    cdf += pk
  }
  return k
}

interface Case {
  rps: number
  weight: number
  canaryErrors: number
}

interface Outcome {
  verdict: 'pass' | 'fail' | 'inconclusive'
  /** Seconds from the step's start to a fail verdict. */
  failedAt?: number
}

/** One step: traffic per 30 s interval, and each judge's verdict on it. */
function simulate(c: Case, rand: () => number): { statistical: Outcome; threshold: Outcome } {
  const canaryRps = (c.rps * c.weight) / 100
  const stableRps = c.rps - canaryRps
  const intervals: { cn: number; ce: number; sn: number; se: number }[] = []
  for (let i = 0; i < MAX_LOOKS; i++) {
    const cn = poisson(rand, canaryRps * LOOK_S)
    const sn = poisson(rand, stableRps * LOOK_S)
    intervals.push({
      cn,
      ce: binomial(rand, cn, c.canaryErrors),
      sn,
      se: binomial(rand, sn, BASE_ERRORS),
    })
  }

  // Statistical: cumulative exact counts since the step began, looks through assess().
  let statistical: Outcome | undefined
  let counts: CheckCounts = emptyCounts('errors-vs-stable')
  const totals = { cn: 0, ce: 0, sn: 0, se: 0 }
  const alpha = alphaPerLook(CONFIDENCE, COUNT)
  const limits = { count: COUNT, failureLimit: 0, inconclusiveLimit: 0, consecutiveErrorLimit: 4 }
  for (const [i, iv] of intervals.entries()) {
    totals.cn += iv.cn
    totals.ce += iv.ce
    totals.sn += iv.sn
    totals.se += iv.se
    if (totals.cn < MIN_SAMPLES) counts = count(counts, 'waiting')
    else {
      const j = judgeErrorRate(
        {
          canaryErrors: totals.ce,
          canaryTotal: totals.cn,
          stableErrors: totals.se,
          stableTotal: totals.sn,
        },
        0,
        alpha,
      )
      counts = count(counts, j.worse ? 'fail' : 'pass')
    }
    const decided = assess([counts], limits, i === MAX_LOOKS - 1)
    if (decided) {
      statistical = {
        verdict: decided.verdict,
        ...(decided.verdict === 'fail' ? { failedAt: (i + 1) * LOOK_S } : {}),
      }
      break
    }
  }

  // Threshold: the canary's rate over the last minute (two intervals) at each of COUNT looks.
  let threshold: Outcome = { verdict: 'pass' }
  for (let i = 0; i < COUNT; i++) {
    const window = intervals.slice(Math.max(0, i - 1), i + 1)
    const n = window.reduce((s, w) => s + w.cn, 0)
    const e = window.reduce((s, w) => s + w.ce, 0)
    if (n === 0 || e / n > 0.05) {
      threshold = { verdict: 'fail', failedAt: (i + 1) * LOOK_S }
      break
    }
  }
  return { statistical: statistical ?? { verdict: 'inconclusive' }, threshold }
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b)
  return s.length === 0 ? NaN : (s[Math.floor(s.length / 2)] as number)
}

export default async function run(ctx: ChapterContext): Promise<void> {
  ctx.print(
    `simulated canary steps, ${RUNS} per case: ${COUNT} looks ${LOOK_S} s apart (up to ${MAX_LOOKS} while short of evidence), stable 0.5% errors`,
  )
  ctx.print(
    `statistical: compare error-rate, confidence ${CONFIDENCE} split over ${COUNT} looks, min-samples ${MIN_SAMPLES}; threshold: canary rate over 1 min <= 5%, 0/0 counted as a failure (the old gate)`,
  )
  const header = `${'case'.padEnd(34)} ${'judge'.padEnd(12)} ${'pass'.padStart(7)} ${'fail'.padStart(7)} ${'inconcl.'.padStart(9)}  median time to fail`
  ctx.print(header)
  const pct = (n: number) => `${((100 * n) / RUNS).toFixed(2)}%`.padStart(7)
  let seed = 1
  for (const rps of [20, 200])
    for (const weight of [5, 1])
      for (const canaryErrors of [BASE_ERRORS, BASE_ERRORS + 0.05]) {
        const rand = random(seed++)
        const tally = {
          statistical: { pass: 0, fail: 0, inconclusive: 0, times: [] as number[] },
          threshold: { pass: 0, fail: 0, inconclusive: 0, times: [] as number[] },
        }
        for (let r = 0; r < RUNS; r++) {
          const outcome = simulate({ rps, weight, canaryErrors }, rand)
          for (const judge of ['statistical', 'threshold'] as const) {
            const o = outcome[judge]
            tally[judge][o.verdict] += 1
            if (o.failedAt !== undefined) tally[judge].times.push(o.failedAt)
          }
        }
        const what = `${rps} req/s, canary ${weight}%, ${canaryErrors === BASE_ERRORS ? 'identical' : '+5 points'}`
        for (const judge of ['statistical', 'threshold'] as const) {
          const t = tally[judge]
          const time = t.times.length > 0 ? `${median(t.times)} s` : '—'
          ctx.print(
            `${what.padEnd(34)} ${judge.padEnd(12)} ${pct(t.pass)} ${pct(t.fail)} ${pct(t.inconclusive).padStart(9)}  ${time}`,
          )
        }
      }
  ctx.print(
    'identical slots: "fail" is the false-alarm rate (goal: at most 1%); +5 points: "fail" is the power.',
  )
  await live(ctx)
}

const LIVE_RUNS = 5

/** Bench b: both judges through metrics-gate's bundle on the sandbox, canary at 1% under load. */
async function live(ctx: ChapterContext): Promise<void> {
  const { sandbox } = ctx
  if (!sandbox.haproxy || !sandbox.prometheus) return
  const router = openRouter(parseRouterConfig(sandbox.haproxy.router))
  const instance = (slot: 'blue' | 'green') => `127.0.0.1:${sandbox.apps[slot].port}`
  const servers = { canary: [instance('green')], stable: [instance('blue')] }
  const rate = (code: string) =>
    `sum(rate(http_requests_total{instance=~"{{canary-servers}}"${code}}[10s]))`
  const judges: Record<string, object> = {
    statistical: {
      name: 'errors-vs-stable',
      compare: 'error-rate',
      requests: 'sum(http_requests_total{instance=~"{{servers}}"})',
      errors: 'sum(http_requests_total{instance=~"{{servers}}",code="500"})',
      'min-samples': 100,
    },
    threshold: { name: 'error-rate', query: `${rate(',code="500"')} / ${rate('')}`, max: 0.05 },
  }
  await router.write({ blue: 99, green: 1 })
  const load = await sandbox.load(sandbox.haproxy.url, { concurrency: 2, keepalive: true })
  try {
    await sandbox.prometheus.waitForData('sum(rate(http_requests_total[5s])) > 100')
    ctx.print('')
    ctx.print(
      `live: ${LIVE_RUNS} metrics-gate runs per judge and case, HAProxy blue 99% / green 1% under load, 5 looks 2 s apart`,
    )
    ctx.print(`${'case'.padEnd(24)} ${'judge'.padEnd(12)} pass  fail  inconclusive`)
    for (const [what, green] of [
      ['identical, 0.5% errors', 0.005],
      ['canary +30 points', 0.305],
    ] as const) {
      await sandbox.apps.blue.control({ errorRate: 0.005 })
      await sandbox.apps.green.control({ errorRate: green })
      for (const [judge, check] of Object.entries(judges)) {
        const tally = { pass: 0, fail: 0, inconclusive: 0 } as Record<string, number>
        for (let i = 0; i < LIVE_RUNS; i++) {
          const run = await ctx.runAction('metrics-gate', {
            inputs: {
              prometheus: sandbox.prometheus.url,
              servers,
              checks: [check],
              interval: '2s',
              count: '5',
              'max-wait': '40s',
            },
          })
          const verdict = run.outputs.verdict ?? 'error'
          tally[verdict] = (tally[verdict] ?? 0) + 1
          ctx.status(`  ${what}, ${judge}: run ${i + 1}/${LIVE_RUNS}: ${verdict}`)
        }
        ctx.endStatus()
        ctx.print(
          `${what.padEnd(24)} ${judge.padEnd(12)} ${String(tally.pass).padStart(4)} ${String(tally.fail).padStart(5)} ${String(tally.inconclusive).padStart(13)}`,
        )
      }
    }
  } finally {
    await load.stop()
    await sandbox.apps.blue.control({ errorRate: 0 })
    await sandbox.apps.green.control({ errorRate: 0 })
    await router.write({ blue: 100, green: 0 })
  }
}
