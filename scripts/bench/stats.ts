/** Small helpers for printing bench figures. */

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number
}

export function describe(values: number[], unit = 'ms'): string {
  const f = (v: number) => `${v.toFixed(0)} ${unit}`
  return `median ${f(percentile(values, 50))}, p95 ${f(percentile(values, 95))}, max ${f(Math.max(...values))} (n=${values.length})`
}

export interface LoadEvent {
  sentAt: number
  slot: string
  status: number
}

export function parseEvents(text: string): LoadEvent[] {
  return text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [sentAt, slot, status] = line.split(',')
      return { sentAt: Number(sentAt), slot: slot as string, status: Number(status) }
    })
}

/**
 * Time from `start` until every response comes from `to`: the send time of the last request
 * in [start, end) still answered by another slot (or failing), minus start.
 */
export function visibleAfter(
  events: LoadEvent[],
  start: number,
  end: number,
  to: string,
): { ms: number; errors: number; non2xx: number } {
  let last = start
  let errors = 0
  let non2xx = 0
  for (const e of events) {
    if (e.sentAt < start || e.sentAt >= end) continue
    if (e.slot === 'error') errors += 1
    else if (e.status < 200 || e.status >= 300) non2xx += 1
    if (e.slot !== to) last = Math.max(last, e.sentAt)
  }
  return { ms: last - start, errors, non2xx }
}
