/**
 * Prometheus over its HTTP API: one instant query, one number, or a clear reason why not.
 * Redirects are never followed (a redirect could carry the headers' credentials elsewhere), and
 * no message ever prints a header's value.
 */
import { elide, fetchFailure } from '../action-kit/index.js'

/** How much of a server's own words a message carries (errors may echo a huge query or page). */
const SERVER_TEXT_LIMIT = 200

/** The query answered, but with nothing to judge: no series. Whether that fails is the gate's `no-data` setting. */
export class NoDataError extends Error {
  override name = 'NoDataError'
}

/** The measurement could not be taken or makes no sense (HTTP error, bad PromQL, NaN, several series). Never a pass. */
export class MeasurementError extends Error {
  override name = 'MeasurementError'
}

/** The query returned NaN (often 0/0: no traffic in the window). A MeasurementError. */
export class NotANumberError extends MeasurementError {
  override name = 'NotANumberError'
}

export interface MetricSource {
  describe(): string
  /** One number for `query` now (or at `time`, ms since the epoch); throws NoDataError or MeasurementError. */
  value(query: string, time?: number): Promise<number>
}

interface ApiAnswer {
  status?: 'success' | 'error'
  errorType?: string
  error?: string
  data?: { resultType: string; result: unknown }
}

export class PrometheusSource implements MetricSource {
  constructor(
    readonly baseUrl: string,
    private readonly headers: Record<string, string> = {},
    private readonly timeoutMs = 10_000,
  ) {}

  describe(): string {
    return `prometheus ${this.baseUrl}`
  }

  async value(query: string, time?: number): Promise<number> {
    const url = `${this.baseUrl.replace(/\/+$/, '')}/api/v1/query`
    let response: Response
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { ...this.headers, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(
          time === undefined ? { query } : { query, time: (time / 1000).toFixed(3) },
        ).toString(),
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'manual',
      })
    } catch (e) {
      throw new MeasurementError(
        `cannot reach Prometheus at ${this.baseUrl}: ${fetchFailure(e, this.timeoutMs)}`,
      )
    }
    if (response.status >= 300 && response.status < 400) {
      void response.body?.cancel()
      throw new MeasurementError(
        `Prometheus at ${this.baseUrl} answered HTTP ${response.status}, a redirect${redirectTarget(response)}; redirects are not followed (they could take the request headers elsewhere): give the final URL in 'prometheus'`,
      )
    }
    let text: string
    try {
      text = await response.text()
    } catch (e) {
      throw new MeasurementError(
        `Prometheus at ${this.baseUrl} did not finish its answer: ${fetchFailure(e, this.timeoutMs)}`,
      )
    }
    let answer: ApiAnswer
    try {
      answer = JSON.parse(text) as ApiAnswer
    } catch {
      throw new MeasurementError(
        `Prometheus at ${this.baseUrl} answered HTTP ${response.status} without JSON: ${this.serverText(text)}`,
      )
    }
    if (!response.ok || answer.status !== 'success' || !answer.data) {
      throw new MeasurementError(
        `Prometheus answered HTTP ${response.status}${answer.errorType ? ` ${this.serverText(String(answer.errorType), 40)}` : ''}: ${this.serverText(typeof answer.error === 'string' ? answer.error : text)}`,
      )
    }
    return singleValue(answer.data)
  }

  /**
   * A server's own words for a message: capped, and without our header values (a proxy or a
   * Prometheus may echo the request's Authorization back; messages reach logs and deployment
   * statuses, which no runner mask covers).
   */
  private serverText(text: string, limit = SERVER_TEXT_LIMIT): string {
    let clean = text
    for (const secret of credentials(this.headers)) clean = clean.split(secret).join('***')
    return elide(clean, limit)
  }
}

/** Each header value, and the credential after a scheme ("Bearer abc" -> "abc"), longest first. */
function credentials(headers: Record<string, string>): string[] {
  const values = Object.values(headers).flatMap((v) => {
    const credential = /^\S+\s+(\S.*)$/.exec(v.trim())?.[1]
    return credential && credential.length >= 4 ? [v, credential] : [v]
  })
  return [...new Set(values.filter((v) => v.length >= 4))].sort((a, b) => b.length - a.length)
}

/** Where a redirect points, without any user name, password or query string. */
function redirectTarget(response: Response): string {
  const location = response.headers.get('location')
  if (!location) return ''
  try {
    const url = new URL(location, response.url || 'http://prometheus/')
    return ` to ${url.protocol}//${url.host}${url.pathname.slice(0, 100)}`
  } catch {
    return ''
  }
}

/** The one number in an instant query's result, or why there is none. */
export function singleValue(data: { resultType: string; result: unknown }): number {
  let sample: unknown
  if (data.resultType === 'scalar') {
    sample = data.result
  } else if (data.resultType === 'vector') {
    const series = data.result as { metric: Record<string, string>; value: unknown }[]
    if (series.length === 0) throw new NoDataError('the query returned no series (no data)')
    if (series.length > 1) {
      const labels = series.slice(0, 3).map((s) => JSON.stringify(s.metric))
      throw new MeasurementError(
        `the query returned ${series.length} series (${labels.join(', ')}${series.length > 3 ? ', ...' : ''}); it must return one: aggregate with sum(), avg() or max(), or filter by label`,
      )
    }
    sample = series[0]?.value
  } else {
    throw new MeasurementError(
      `the query returned a ${data.resultType}; use an instant vector or scalar expression`,
    )
  }
  const raw = Array.isArray(sample) ? String(sample[1]) : ''
  // Prometheus writes infinities as "+Inf" and "-Inf", which Number() does not read.
  if (/^[+-]Inf$/.test(raw)) throw new MeasurementError(`the query returned ${raw}`)
  const value = Number(raw)
  if (raw === 'NaN' || Number.isNaN(value)) {
    throw new NotANumberError('the query returned NaN (often 0/0: no traffic in the window)')
  }
  return value
}
