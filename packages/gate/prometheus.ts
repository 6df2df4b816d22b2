/**
 * Prometheus over its HTTP API: one instant query, one number, or a clear reason why not.
 * Redirects are never followed (a redirect could carry the headers' credentials elsewhere), and
 * no message ever prints a header's value.
 */
import { elide, fetchFailure, formatDuration } from '../action-kit/index.js'

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

/**
 * Prometheus answered, but not in the shape of its API (a value that is null, missing, an empty
 * string or an object; a series without a value; a timestamp that is not a number). Never read
 * as a number: an error for that look.
 */
export class MalformedAnswerError extends MeasurementError {
  override name = 'MalformedAnswerError'
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
  data?: { resultType: string; result: unknown; isPartial?: unknown }
  /** Prometheus: warnings about the answer (e.g. a partial result, a doubtful histogram). */
  warnings?: unknown
  /** Thanos, VictoriaMetrics and others: the answer is missing some of the data. */
  isPartial?: unknown
}

/** How far an answer's evaluation time may be from the time asked for (clock skew, latency). */
export const MAX_ANSWER_SKEW_MS = 30_000

/** The most of an answer read: an instant query for one number answers in a few hundred bytes. */
export const MAX_ANSWER_BYTES = 4 * 1024 * 1024

export interface PrometheusOptions {
  /** See MAX_ANSWER_SKEW_MS. */
  maxSkewMs?: number
  /** The clock (ms), for tests. */
  now?: () => number
}

export class PrometheusSource implements MetricSource {
  constructor(
    readonly baseUrl: string,
    private readonly headers: Record<string, string> = {},
    /** The deadline of each exchange as a whole: connect, request and every byte of the answer. */
    private readonly timeoutMs = 10_000,
    private readonly options: PrometheusOptions = {},
  ) {}

  describe(): string {
    return `prometheus ${this.baseUrl}`
  }

  async value(query: string, time?: number): Promise<number> {
    const now = this.options.now ?? Date.now
    const url = `${this.baseUrl.replace(/\/+$/, '')}/api/v1/query`
    // One deadline for the whole exchange, not an idle timeout: a server that answers one byte
    // at a time is cut off at the deadline like one that never answers.
    const deadline = new AbortController()
    const timer = setTimeout(() => deadline.abort(), this.timeoutMs)
    const late = () =>
      new MeasurementError(
        `Prometheus at ${this.baseUrl} gave no complete answer within the ${formatDuration(this.timeoutMs)} deadline (prometheus-timeout; it bounds the whole exchange, not the wait between bytes)`,
      )
    const askedAt = time ?? now()
    let response: Response
    let text: string
    try {
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { ...this.headers, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(
            time === undefined ? { query } : { query, time: (time / 1000).toFixed(3) },
          ).toString(),
          signal: deadline.signal,
          redirect: 'manual',
        })
      } catch (e) {
        if (deadline.signal.aborted) throw late()
        throw new MeasurementError(
          `cannot reach Prometheus at ${this.baseUrl}: ${fetchFailure(e, this.timeoutMs)}`,
        )
      }
      if (response.status >= 300 && response.status < 400) {
        void response.body?.cancel().catch(() => {})
        throw new MeasurementError(
          `Prometheus at ${this.baseUrl} answered HTTP ${response.status}, a redirect${redirectTarget(response)}; redirects are not followed (they could take the request headers elsewhere): give the final URL in 'prometheus'`,
        )
      }
      try {
        text = await readCapped(response, MAX_ANSWER_BYTES)
      } catch (e) {
        if (deadline.signal.aborted) throw late()
        if (e instanceof MeasurementError) throw e
        throw new MeasurementError(
          `Prometheus at ${this.baseUrl} did not finish its answer: ${fetchFailure(e, this.timeoutMs)}`,
        )
      }
    } finally {
      clearTimeout(timer)
    }
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      throw new MeasurementError(
        `Prometheus at ${this.baseUrl} answered HTTP ${response.status} without JSON: ${this.serverText(text)}`,
      )
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new MalformedAnswerError(
        `Prometheus at ${this.baseUrl} answered HTTP ${response.status} with JSON that is not an API answer (${describeJson(parsed)}): ${this.serverText(text)}`,
      )
    const answer = parsed as ApiAnswer
    if (!response.ok || answer.status !== 'success' || !answer.data) {
      throw new MeasurementError(
        `Prometheus answered HTTP ${response.status}${answer.errorType ? ` ${this.serverText(String(answer.errorType), 40)}` : ''}: ${this.serverText(typeof answer.error === 'string' ? answer.error : text)}`,
      )
    }
    // A partial answer (a shard or a store did not answer, a query that hit a limit) may lack the
    // very series that would fail the check: never judged.
    const warnings = Array.isArray(answer.warnings) ? answer.warnings : []
    if (warnings.length > 0 || answer.isPartial === true || answer.data.isPartial === true)
      throw new MeasurementError(
        `Prometheus flagged its answer as partial or doubtful${warnings.length > 0 ? ` (warnings: ${this.serverText(warnings.map(String).join('; '))})` : ' (isPartial)'}; a partial answer is never judged`,
      )
    return singleValue(answer.data, { askedAt, maxSkewMs: this.options.maxSkewMs })
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

/** The body as text, refusing more than `limit` bytes (read as it arrives, never all at once). */
async function readCapped(response: Response, limit: number): Promise<string> {
  if (!response.body) return ''
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      void reader.cancel().catch(() => {})
      throw new MeasurementError(
        `Prometheus answered more than ${limit} bytes for one instant query; not read further`,
      )
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** A JSON value in a few words, for messages about malformed answers. */
function describeJson(value: unknown): string {
  if (value === undefined) return 'missing'
  if (value === null) return 'null'
  if (Array.isArray(value)) return `a list of ${value.length}`
  if (typeof value === 'object') return 'an object'
  if (value === '') return 'an empty string'
  return `${typeof value} ${elide(JSON.stringify(value), 40)}`
}

/** A float as Prometheus writes one in a sample ("0.25", "1e-05", "-3"); NaN and infinities apart. */
const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/

export interface SampleExpectations {
  /** The time the query was asked for (ms since the epoch): the answer must be evaluated then. */
  askedAt?: number
  /** How far the answer's timestamp may be from `askedAt` (default MAX_ANSWER_SKEW_MS). */
  maxSkewMs?: number | undefined
}

/**
 * The one number in an instant query's result, or why there is none. Everything not in the
 * shape of Prometheus's API is an error, never a 0: a sample is `[<unix seconds>, "<float>"]`.
 * NaN is a NotANumberError; +Inf, -Inf and values beyond a double (1e999) are errors too.
 * With `askedAt`, a sample stamped more than `maxSkewMs` away from it is an error: Prometheus
 * stamps an instant query's answer with the time it evaluated it, so another stamp means an
 * answer from a cache in between, or clocks that disagree, not this look.
 */
export function singleValue(
  data: { resultType: string; result: unknown },
  expect: SampleExpectations = {},
): number {
  let sample: unknown
  if (data.resultType === 'scalar') {
    sample = data.result
  } else if (data.resultType === 'vector') {
    if (!Array.isArray(data.result))
      throw new MalformedAnswerError(
        `Prometheus answered a vector whose result is ${describeJson(data.result)}, not a list of series: a malformed answer is never read as a number`,
      )
    const series = data.result as unknown[]
    if (series.length === 0) throw new NoDataError('the query returned no series (no data)')
    if (series.length > 1) {
      const labels = series
        .slice(0, 3)
        .map((s) => elide(JSON.stringify((s as { metric?: unknown })?.metric ?? {}), 100))
      throw new MeasurementError(
        `the query returned ${series.length} series (${labels.join(', ')}${series.length > 3 ? ', ...' : ''}); it must return one: aggregate with sum(), avg() or max(), or filter by label`,
      )
    }
    const one = series[0]
    if (typeof one !== 'object' || one === null || Array.isArray(one))
      throw new MalformedAnswerError(
        `Prometheus answered a series that is ${describeJson(one)}, not an object with a value: a malformed answer is never read as a number`,
      )
    if (!('value' in one) || (one as { value?: unknown }).value === undefined)
      throw new MalformedAnswerError(
        `Prometheus answered a series without a value${'histogram' in one ? ' (a native histogram: query a float, e.g. with histogram_quantile())' : ''}: a malformed answer is never read as a number`,
      )
    sample = (one as { value: unknown }).value
  } else {
    throw new MeasurementError(
      `the query returned a ${elide(String(data.resultType), 40)}; use an instant vector or scalar expression`,
    )
  }
  if (!Array.isArray(sample) || sample.length !== 2)
    throw new MalformedAnswerError(
      `Prometheus answered a sample that is ${describeJson(sample)}, not [timestamp, "value"]: a malformed answer is never read as a number`,
    )
  const [stamp, raw] = sample as [unknown, unknown]
  if (typeof raw !== 'string' || raw === '')
    throw new MalformedAnswerError(
      `Prometheus answered a sample whose value is ${describeJson(raw)}, not a number in a string: a malformed answer is never read as a number`,
    )
  if (typeof stamp !== 'number' || !Number.isFinite(stamp))
    throw new MalformedAnswerError(
      `Prometheus answered a sample whose timestamp is ${describeJson(stamp)}, not a time in seconds: a malformed answer is never judged`,
    )
  if (expect.askedAt !== undefined) {
    const skew = expect.maxSkewMs ?? MAX_ANSWER_SKEW_MS
    const off = stamp * 1000 - expect.askedAt
    if (Math.abs(off) > skew)
      throw new MeasurementError(
        `Prometheus answered a sample evaluated at ${isoTime(stamp * 1000)}, ${formatDuration(Math.round(Math.abs(off) / 1000) * 1000 || Math.round(Math.abs(off)))} ${off < 0 ? 'before' : 'after'} the time asked for (${isoTime(expect.askedAt)}); more than ${formatDuration(skew)} off, it describes another moment (a cache in between, or clocks that disagree): never judged`,
      )
  }
  if (raw === 'NaN')
    throw new NotANumberError('the query returned NaN (often 0/0: no traffic in the window)')
  if (/^[+-]?inf(inity)?$/i.test(raw))
    throw new MeasurementError(
      `the query returned ${elide(raw, 20)}; an infinite value is never judged (often a division by 0)`,
    )
  const value = FLOAT.test(raw) ? Number(raw) : NaN
  if (Number.isNaN(value))
    throw new MalformedAnswerError(
      `Prometheus answered a sample whose value ${elide(JSON.stringify(raw), 40)} is not a number: a malformed answer is never read as a number`,
    )
  if (!Number.isFinite(value))
    throw new MeasurementError(
      `the query returned ${elide(raw, 40)}, beyond the range of a number (infinite); never judged`,
    )
  return value
}

function isoTime(ms: number): string {
  const d = new Date(ms)
  return Number.isNaN(d.getTime()) ? `${ms} ms` : d.toISOString()
}
