import { sleep } from '../../packages/action-kit/util.js'
import type { ChapterContext } from '../chapters.js'
import { startUnleash, type UnleashInstance } from '../sandbox/unleash.js'
import { describe } from './stats.js'

const ROUNDS = 8
const FLAG = 'bench-flag'

interface ClientFeature {
  name: string
  enabled: boolean
  strategies?: { name: string; parameters?: { rollout?: string } }[]
}

/**
 * Resolves with the ms from `start` until Unleash's client API (what SDKs poll) serves the flag
 * enabled with a flexibleRollout at `rollout` (polled every 5 ms, one 2 s deadline per request),
 * or rejects after 30 s.
 */
async function servedAfter(
  unleash: UnleashInstance,
  rollout: number,
  start: number,
): Promise<number> {
  while (performance.now() - start < 30_000) {
    const res = await fetch(`${unleash.url}/api/client/features?namePrefix=${FLAG}`, {
      headers: { Authorization: unleash.clientToken },
      signal: AbortSignal.timeout(2000),
    }).catch(() => undefined)
    if (res?.ok) {
      const { features } = (await res.json()) as { features: ClientFeature[] }
      const flag = features.find((f) => f.name === FLAG)
      const rollouts = (flag?.strategies ?? [])
        .filter((s) => s.name === 'flexibleRollout')
        .map((s) => s.parameters?.rollout)
      if (flag?.enabled && rollouts.includes(String(rollout))) return performance.now() - start
    }
    await sleep(5)
  }
  throw new Error(`Unleash's client API never served ${FLAG} at rollout ${rollout}`)
}

/**
 * Unleash: the time from a canary-step's start (Node start-up, the checks of project, flag,
 * environment and context fields, the PATCH, the read-back and its own wait included) until the
 * client API serves the new percentage, beside a bare admin-API PATCH of the same strategy and
 * the same poll. Unleash refreshes what its client API serves about once a second, which both
 * pay.
 */
export default async function flagBench(ctx: ChapterContext): Promise<void> {
  let started = performance.now()
  const unleash = await startUnleash()
  try {
    ctx.print(
      `Unleash 8.2 on PostgreSQL 15 ready in ${((performance.now() - started) / 1000).toFixed(1)} s (cold start, migrations included).`,
    )
    const admin = async (method: string, path: string, body?: unknown): Promise<unknown> => {
      const res = await fetch(`${unleash.url}${path}`, {
        method,
        headers: { Authorization: unleash.adminToken, 'Content-Type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(10_000),
      })
      const text = await res.text()
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`)
      return text ? JSON.parse(text) : undefined
    }
    await admin('POST', '/api/admin/projects/default/features', { name: FLAG, type: 'release' })
    const router = {
      type: 'unleash',
      url: unleash.url,
      token: unleash.adminToken,
      'client-token': unleash.clientToken,
      environment: unleash.environment,
      flag: FLAG,
    }
    const strategies = `/api/admin/projects/default/features/${FLAG}/environments/${unleash.environment}/strategies`
    let strategyId: string | undefined
    const viaStep: number[] = []
    const stepExit: number[] = []
    const viaPatch: number[] = []
    let failed = 0
    for (let i = 0; i < ROUNDS; i++) {
      // Each round raises the rollout twice: canary-step to 5 + 10i, then a bare PATCH 5 more.
      const stepTo = 5 + 10 * i
      started = performance.now()
      const seen = servedAfter(unleash, stepTo, started)
      const run = await ctx.runAction('canary-step', {
        inputs: { router, weight: stepTo, canary: 'green', interval: '100ms', record: false },
      })
      stepExit.push(performance.now() - started)
      if (run.exitCode !== 0) {
        failed++
        ctx.print(`  canary-step to ${stepTo}% failed: ${run.errors.join('; ')}`)
      }
      viaStep.push(await seen)

      strategyId ??= (
        (await admin('GET', strategies)) as { id: string; parameters: { rollout?: string } }[]
      ).find((s) => s.parameters.rollout === String(stepTo))?.id
      if (!strategyId) throw new Error('no strategy at the rollout canary-step wrote')
      started = performance.now()
      const seenPatch = servedAfter(unleash, stepTo + 5, started)
      await admin('PATCH', `${strategies}/${strategyId}`, [
        { op: 'replace', path: '/parameters/rollout', value: String(stepTo + 5) },
      ])
      viaPatch.push(await seenPatch)
      ctx.status(`  round ${i + 1}/${ROUNDS}: ${stepTo}% by canary-step, ${stepTo + 5}% by PATCH`)
    }
    ctx.endStatus()
    ctx.print("Until Unleash's client API serves the new rollout (what an SDK's next poll gets):")
    ctx.print(`  canary-step (bundle, Node start-up included): ${describe(viaStep)}`)
    ctx.print(`  bare admin-API PATCH, then the same poll:      ${describe(viaPatch)}`)
    ctx.print(`  canary-step until it exits (100 ms hold):     ${describe(stepExit)}`)
    ctx.print(
      `  failed steps: ${failed} of ${ROUNDS}; SDKs add their own refresh interval (unleash-client: 15 s by default)`,
    )
  } finally {
    await unleash.stop()
  }
}
