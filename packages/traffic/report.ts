/** The job summaries of the three traffic actions, in one place so they read alike. */
import { markdown } from '../action-kit/index.js'
import { formatWeights, type Weights } from '../domain/index.js'
import { lineChart, measurementTable } from '../gate/index.js'
import { unreachedText, type UnreachedRouter } from '../router/index.js'
import type { SwitchResult } from './blue-green.js'
import type { CanaryResult } from './canary.js'
import type { HealthResult } from './health.js'
import { smokeSection } from './smoke.js'
import type { RollbackRefused, RollbackResult } from './rollback.js'
import type { SlotView } from './slots.js'

/** The before/after weights table every traffic summary starts with. */
export function weightsTable(before: Weights, after: Weights): string {
  return markdown.table(
    ['', 'blue', 'green'],
    [
      ['before', `${before.blue}%`, `${before.green}%`],
      ['after', `${after.blue}%`, `${after.green}%`],
    ],
  )
}

function healthText(health: HealthResult | undefined, skipped: string | undefined): string {
  if (health) return `${health.url}: ${health.passedInARow} in a row, last ${health.last}`
  return skipped ? `⚠️ none: ${skipped}` : 'none'
}

function slotsLine(view: SlotView): string {
  const servers = view.idleServers.map((s) => `${s.name} (${s.address})`).join(', ')
  return `Live: ${view.live}; idle: ${view.idle}${servers ? ` (servers: ${servers})` : ''}.`
}

/** The routers of a list a move back to stable did not reach, as a list (or nothing). */
function unreachedSection(unreached: readonly UnreachedRouter[]): string {
  return unreached.length === 0
    ? ''
    : `**Routers not moved** (traffic is back on every other router)\n\n${unreached.map((u) => `- ❗ ${unreachedText(u)}`).join('\n')}`
}

/** What the router asked an operator to know, as a list (or nothing). */
function notesSection(notes: readonly string[]): string {
  return notes.length === 0 ? '' : `**Router notes**\n\n${notes.map((n) => `- ⚠️ ${n}`).join('\n')}`
}

export function switchReport(result: SwitchResult): string {
  const title = result.dryRun
    ? `Blue-green switch (dry run): would move traffic to ${result.target}`
    : result.bake?.rolledBack
      ? `Blue-green switch: ${result.target} failed its bake (${result.bake.verdict}), ${result.active} is back at 100%`
      : result.switched
        ? `Blue-green switch: ${result.previous} → ${result.active}`
        : `Blue-green switch: ${result.active} was already live, nothing moved`
  const bake = result.bake
  return markdown.sections(
    markdown.heading(title),
    weightsTable(result.before, result.after),
    markdown.table(
      ['router', 'health check', 'took'],
      [[result.router, healthText(result.health, result.healthSkipped), `${result.elapsedMs} ms`]],
    ),
    result.smoke && smokeSection(result.smoke),
    bake
      ? `**Bake** (the gate after the switch): ${bake.verdict}: ${bake.reason}\n\n${bake.measurements.length > 0 ? measurementTable(bake.measurements) : ''}`
      : '',
    bake ? unreachedSection(bake.unreached) : '',
    slotsLine(result),
    notesSection(result.notes),
  )
}

/** A table per step and charts of weight and the first check. */
export function canaryReport(result: CanaryResult): string {
  if (result.dryRun)
    return markdown.sections(
      markdown.heading(`Canary ${result.canary} (dry run): nothing moved`),
      `Traffic: ${formatWeights(result.before)}. Router: ${result.router}.`,
      result.smoke && smokeSection(result.smoke),
      slotsLine(result),
      notesSection(result.notes),
    )
  const icon = result.verdict === 'pass' ? '✅' : result.verdict === 'cancelled' ? '⏹️' : '❌'
  const title =
    result.verdict === 'pass'
      ? result.weight === 100
        ? `Canary ${result.canary}: pass, canary at 100%`
        : `Canary ${result.canary}: pass, held at ${result.weight}%`
      : `Canary ${result.canary}: ${result.verdict}${result.rolledBack ? `, rolled back to stable ${result.stable}` : `, held at ${result.weight}%`}`
  const overview = markdown.table(
    ['step', 'canary weight', 'verdict', 'reason'],
    result.steps.map((s, i) => [i + 1, `${s.weight}%`, s.verdict, s.reason]),
  )
  const perStep = result.steps
    .map((s, i) => ({ s, i }))
    .filter(({ s }) => s.measurements.length > 0)
    .map(
      ({ s, i }) =>
        `**Step ${i + 1}: canary at ${s.weight}%**\n\n${measurementTable(s.measurements)}`,
    )
  const points = result.steps.flatMap((s) => s.measurements.map((m) => ({ weight: s.weight, m })))
  const first = points[0]?.m.check
  const series = points.filter((p) => p.m.check === first)
  const charts =
    series.length > 1
      ? [
          lineChart(
            `Canary ${result.canary} weight (%)`,
            series.map((p) => p.m.at.slice(11, 19)),
            'weight %',
            [series.map((p) => p.weight)],
          ),
          lineChart(
            `${first} (value)`,
            series.map((p) => p.m.at.slice(11, 19)),
            first ?? '',
            [series.map((p) => p.m.value ?? NaN)],
          ),
        ]
      : []
  return markdown.sections(
    markdown.heading(`${icon} ${title}`),
    `${result.reason}. Router: ${result.router}. Traffic before: ${formatWeights(result.before)}; after: ${formatWeights(result.after)}.`,
    result.smoke && smokeSection(result.smoke),
    overview,
    unreachedSection(result.unreached),
    ...perStep,
    ...charts,
    notesSection(result.notes),
  )
}

export function rollbackReport(result: RollbackResult, reason: string): string {
  const { decision } = result
  const title =
    decision.action === 'nothing-to-do'
      ? `Rollback: ${decision.target} already carries 100%, nothing moved`
      : result.dryRun
        ? `Rollback (dry run): would go back to ${result.target}`
        : `Rollback: ${result.previous} → ${result.active}`
  return markdown.sections(
    markdown.heading(title),
    weightsTable(result.before, result.after),
    markdown.table(
      ['router', 'why this slot', 'health check', 'reason given'],
      [
        [
          result.router,
          decision.why,
          healthText(result.health, result.healthSkipped),
          reason || '—',
        ],
      ],
    ),
    unreachedSection(result.unreached),
    `**Facts used**\n\n${decision.facts.map((f) => `- ${f}`).join('\n')}`,
    notesSection(result.notes),
  )
}

/** A refused rollback: why, and the facts it rests on (nothing moved). */
export function refusalReport(refusal: RollbackRefused): string {
  return markdown.sections(
    markdown.heading('Rollback refused: nothing moved'),
    refusal.message,
    refusal.router ? `Router: ${refusal.router}.` : '',
    refusal.facts.length > 0
      ? `**Facts used**\n\n${refusal.facts.map((f) => `- ${f}`).join('\n')}`
      : '',
  )
}
