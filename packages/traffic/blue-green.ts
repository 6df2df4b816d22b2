/** Blue-green: all traffic from the live slot to the other one, after the target proved healthy. */
import { ConfigurationError, markdown, type Log } from '../action-kit/index.js'
import {
  allOn,
  formatWeights,
  liveSlot,
  otherSlot,
  type Router,
  type Slot,
  type Weights,
} from '../router/index.js'
import { requireHealthy, type HealthCheck, type HealthResult } from './health.js'
import { moveTraffic, weightsTable } from './move.js'

export type SwitchTarget = Slot | 'idle'

export interface SwitchPlan {
  to: SwitchTarget
  health?: HealthCheck
  dryRun: boolean
}

export interface SwitchResult {
  router: string
  previous: Slot | 'split'
  active: Slot | 'split'
  switched: boolean
  dryRun: boolean
  before: Weights
  after: Weights
  health?: HealthResult
  elapsedMs: number
}

export interface SwitchHooks {
  /** Called once the switch is decided (not a no-op, not a dry run), before health checks and traffic. */
  onPlan?(plan: { previous: Slot | 'split'; target: Slot; before: Weights }): Promise<void>
}

export async function blueGreenSwitch(
  router: Router,
  plan: SwitchPlan,
  log: Log,
  hooks: SwitchHooks = {},
): Promise<SwitchResult> {
  const started = Date.now()
  const before = await router.read()
  const live = liveSlot(before)
  log.info(`router: ${router.describe()}`)
  log.info(`traffic now: ${formatWeights(before)}${live ? ` (live: ${live})` : ' (split)'}`)

  const target = resolveTarget(plan.to, before)
  const previous: SwitchResult['previous'] = live ?? 'split'
  const done = (after: Weights, switched: boolean, health?: HealthResult): SwitchResult => ({
    router: router.describe(),
    previous,
    active: liveSlot(after) ?? 'split',
    switched,
    dryRun: plan.dryRun,
    before,
    after,
    ...(health ? { health } : {}),
    elapsedMs: Date.now() - started,
  })

  if (live === target) {
    log.info(`${target} already carries 100% of traffic: nothing to switch.`)
    return done(before, false)
  }
  if (!plan.dryRun) await hooks.onPlan?.({ previous, target, before })
  const health = plan.health
    ? await requireHealthy(
        { ...plan.health, url: forSlot(plan.health.url, target) },
        log,
        `traffic stays at ${formatWeights(before)}`,
      )
    : undefined
  if (plan.dryRun) {
    log.info(
      `dry run: would move traffic from ${formatWeights(before)} to ${formatWeights(allOn(target))}; nothing moved.`,
    )
    return done(before, false, health)
  }
  log.info(`switching: ${formatWeights(before)} -> ${formatWeights(allOn(target))}`)
  const after = await moveTraffic(router, allOn(target), log)
  return done(after, true, health)
}

/** `{{slot}}` in a URL becomes the slot's name, so one input serves whichever slot is idle. */
export function forSlot(url: string, slot: Slot): string {
  return url.replace(/\{\{\s*slot\s*\}\}/g, slot)
}

function resolveTarget(to: SwitchTarget, weights: Weights): Slot {
  if (to !== 'idle') return to
  const live = liveSlot(weights)
  if (live) return otherSlot(live)
  throw new ConfigurationError(
    `Input 'to' is "idle", but traffic is split (${formatWeights(weights)}), so no slot is idle. Name the slot to move all traffic to: to: blue or to: green.`,
  )
}

/** The job summary of a switch. */
export function switchReport(result: SwitchResult): string {
  const title = result.dryRun
    ? `Blue-green switch (dry run): ${result.active} stays live`
    : result.switched
      ? `Blue-green switch: ${result.previous} → ${result.active}`
      : `Blue-green switch: ${result.active} was already live, nothing moved`
  return markdown.sections(
    markdown.heading(title),
    weightsTable(result.before, result.after),
    markdown.table(
      ['router', 'health check', 'took'],
      [
        [
          result.router,
          result.health
            ? `${result.health.url}: ${result.health.passedInARow} in a row, last ${result.health.last}`
            : 'none',
          `${result.elapsedMs} ms`,
        ],
      ],
    ),
  )
}
