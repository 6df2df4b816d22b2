/** Job summary pieces for gate results: a table per round and mermaid charts. */
import { markdown } from '../action-kit/index.js'
import { format, type AnalysisResult, type Measurement } from './analysis.js'

const ICON: Record<string, string> = {
  pass: '✅ pass',
  fail: '❌ fail',
  inconclusive: '❔ inconclusive',
  error: '⚠️ error',
  waiting: '⏳ not enough data yet',
}

/** What follows the outcome: why it failed, what is missing, or (comparisons) the numbers in words. */
function outcomeDetail(m: Measurement): string {
  if (!m.message) return ''
  if (m.outcome === 'waiting') return `: ${m.message.replace(/^not enough data yet: /, '')}`
  // A comparison says its counts, rates, test and p-value even when it passes.
  if (m.outcome === 'pass' && !m.stats) return ''
  return `: ${m.message}`
}

export function measurementTable(measurements: Measurement[]): string {
  return markdown.table(
    ['time', 'check', 'value', 'bound', 'outcome'],
    measurements.map((m) => [
      m.at.slice(11, 19),
      m.check,
      m.value === undefined ? '—' : format(m.value),
      m.bound,
      `${ICON[m.outcome] ?? m.outcome}${m.dryRun ? ' (dry-run, not deciding)' : ''}${outcomeDetail(m)}`,
    ]),
  )
}

export function gateReport(result: AnalysisResult, title: string): string {
  return markdown.sections(
    markdown.heading(`${title}: ${ICON[result.verdict] ?? result.verdict}`),
    result.reason,
    measurementTable(result.measurements),
  )
}

/** A mermaid line chart (GitHub renders mermaid in job summaries). */
export function lineChart(
  title: string,
  labels: string[],
  yTitle: string,
  series: number[][],
): string {
  const values = series.flat().filter((v) => Number.isFinite(v))
  const top = values.length > 0 ? Math.max(...values) : 1
  return [
    '```mermaid',
    'xychart-beta',
    `  title "${title.replace(/"/g, "'")}"`,
    `  x-axis [${labels.map((l) => `"${l}"`).join(', ')}]`,
    `  y-axis "${yTitle.replace(/"/g, "'")}" 0 --> ${Number((top * 1.1 || 1).toPrecision(3))}`,
    ...series.map(
      (s) =>
        `  line [${s.map((v) => (Number.isFinite(v) ? Number(v.toPrecision(4)) : 0)).join(', ')}]`,
    ),
    '```',
  ].join('\n')
}
