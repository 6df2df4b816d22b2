/**
 * Smoke tests: checks run against EACH server of the target slot before any traffic moves
 * (blue-green-switch after its health check, canary-step before its first weight). A check is
 * an HTTP request (status, a substring of the body, a deadline per attempt, retries) or a user
 * command (an argv run through packages/exec under a timeout). `{{slot}}`, `{{server}}` and
 * `{{address}}` in a URL or an argument become the slot's name, the server's name and its
 * address as the router gives them (`router.servers()`).
 *
 * Parsing and judging are pure (`parseSmoke`, `fillPlaceholders`, `judgeAnswer`,
 * `smokeVerdict`); `runSmoke` does the I/O. Like the health check (health.ts), every HTTP
 * attempt has one deadline for the whole exchange (connect, head, body), and redirects are
 * never followed: a 302 is a 302, which passes only when `status` asks for it.
 */
import {
  ConfigurationError,
  DeploymentFailed,
  errorMessage,
  fetchFailure,
  formatDuration,
  neutraliseCommands,
  parseDuration,
  quote,
  QUOTE_LIMIT,
  markdown,
  type Log,
} from '../action-kit/index.js'
import { describeValue, parseHttpUrl, sleep } from '../action-kit/util.js'
import type { Server, Slot } from '../domain/index.js'
import { execute, lastLines } from '../exec/index.js'

export const SMOKE_HTTP_KEYS = ['url', 'status', 'body', 'timeout', 'retries', 'interval'] as const
export const SMOKE_COMMAND_KEYS = ['command', 'timeout'] as const
export const SMOKE_PLACEHOLDERS = ['slot', 'server', 'address'] as const
export type SmokePlaceholder = (typeof SMOKE_PLACEHOLDERS)[number]

/** The limits the `smoke` input is validated against (ms where a duration). */
export const SMOKE_LIMITS = {
  maxChecks: 20,
  http: { timeout: { min: 100, max: 300_000, fallback: 10_000 } },
  command: { timeout: { min: 100, max: 1_800_000, fallback: 60_000 } },
  retries: { min: 0, max: 20, fallback: 0 },
  interval: { min: 100, max: 600_000, fallback: 1000 },
  status: { min: 100, max: 599, fallback: [200] },
} as const

/** Bytes of a body read to match `body` against; the rest is not awaited. */
export const SMOKE_BODY_BYTES = 1024 * 1024
/** Characters of a body quoted in the log and the summary: action-kit's QUOTE_LIMIT. */
export const SMOKE_EXCERPT = QUOTE_LIMIT

export interface SmokeHttpCheck {
  kind: 'http'
  url: string
  /** Statuses that pass (default [200]). */
  status: number[]
  /** A substring the body must contain (exact, case-sensitive; not a regular expression). */
  body?: string
  /** ms for each attempt, the whole exchange. */
  timeoutMs: number
  /** Attempts after the first that fails. */
  retries: number
  /** ms between attempts. */
  intervalMs: number
}

export interface SmokeCommandCheck {
  kind: 'command'
  argv: string[]
  timeoutMs: number
}

export type SmokeCheck = SmokeHttpCheck | SmokeCommandCheck

const SAMPLES: Record<SmokePlaceholder, string> = {
  slot: 'blue',
  server: 'server-1',
  address: '127.0.0.1:8080',
}
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g

/**
 * The `smoke` input (already parsed from YAML), validated whole: every check, key and value,
 * before anything is contacted. Undefined when no smoke test was given.
 */
export function parseSmoke(
  value: unknown,
  options: { input?: string; file?: string } = {},
): SmokeCheck[] | undefined {
  if (value === undefined || value === null || value === '') return undefined
  const input = options.input ?? 'smoke'
  // Values read from a file are never echoed: errors name the check and the key, not the value.
  const file = options.file
  const show: Show = file
    ? {
        hidden: true,
        value: () => `a value not shown here (it comes from the file ${quote(file)})`,
        kind: (v) =>
          Array.isArray(v)
            ? 'a list'
            : v === null
              ? 'nothing'
              : `a ${typeof v === 'object' ? 'mapping' : typeof v}`,
      }
    : { hidden: false, value: (v) => `the value ${quote(v)}`, kind: describeValue }
  const source = file ? `Input '${input}' (the file ${quote(file)})` : `Input '${input}'`
  const shape = `a YAML list of checks, each { url, status, body, timeout, retries, interval } or { command: [argv...], timeout }`
  if (!Array.isArray(value))
    throw new ConfigurationError(`${source} is ${show.kind(value)}; allowed: ${shape}.`)
  if (value.length === 0)
    throw new ConfigurationError(
      `${source} is an empty list; allowed: ${shape} (leave the input out for no smoke test).`,
    )
  if (value.length > SMOKE_LIMITS.maxChecks)
    throw new ConfigurationError(
      `${source} has ${value.length} checks; allowed: at most ${SMOKE_LIMITS.maxChecks} (each runs against every server of the slot).`,
    )
  return value.map((item, i) => parseCheck(item, `${source}, check ${i + 1}`, shape, show))
}

/** How a refused value is shown: quoted, or (from a file) not at all. */
interface Show {
  /** True when values come from a file and are never shown. */
  hidden: boolean
  value(v: unknown): string
  kind(v: unknown): string
}

function parseCheck(item: unknown, where: string, shape: string, show: Show): SmokeCheck {
  if (item === null || typeof item !== 'object' || Array.isArray(item))
    throw new ConfigurationError(`${where} is ${show.kind(item)}; allowed: ${shape}.`)
  const map = item as Record<string, unknown>
  const isCommand = 'command' in map
  if (isCommand && 'url' in map)
    throw new ConfigurationError(
      `${where} has both 'url' and 'command'; a check is either an HTTP check (url) or a command (command).`,
    )
  if (!isCommand && !('url' in map))
    throw new ConfigurationError(`${where} has neither 'url' nor 'command'; allowed: ${shape}.`)
  const keys: readonly string[] = isCommand ? SMOKE_COMMAND_KEYS : SMOKE_HTTP_KEYS
  const unknown = Object.keys(map).filter((k) => !keys.includes(k))
  if (unknown.length > 0)
    throw new ConfigurationError(
      `${where} has unknown key ${unknown.map((k) => quote(k)).join(', ')}; allowed for ${isCommand ? 'a command check' : 'an HTTP check'}: ${keys.join(', ')}.`,
    )
  const at = (key: string) => `${where}, key '${key}'`
  if (isCommand) {
    const argv = map.command
    if (
      !Array.isArray(argv) ||
      argv.length === 0 ||
      !argv.every((a) => typeof a === 'string' || typeof a === 'number') ||
      String(argv[0]).trim() === ''
    )
      throw new ConfigurationError(
        `${at('command')} is ${Array.isArray(argv) ? (argv.length === 0 ? 'an empty list' : 'a list with a value that is not a string, or an empty program') : show.kind(argv)}; allowed: an argv list, e.g. [./smoke.sh, '{{address}}'] (never a shell string: the program and each argument apart).`,
      )
    const strings = argv.map(String)
    strings.forEach((a) => checkPlaceholders(a, at('command'), show))
    return {
      kind: 'command',
      argv: strings,
      timeoutMs: duration(map.timeout, at('timeout'), SMOKE_LIMITS.command.timeout, show),
    }
  }
  if (typeof map.url !== 'string' || map.url.trim() === '')
    throw new ConfigurationError(
      `${at('url')} is ${show.kind(map.url)}; allowed: an http:// or https:// URL.`,
    )
  const url = map.url.trim()
  checkPlaceholders(url, at('url'), show)
  try {
    parseHttpUrl('smoke', url, {
      placeholders: SAMPLES,
      hint: 'where {{slot}}, {{server}} and {{address}} stand for the slot, each server and its address',
    })
  } catch (e) {
    if (!(e instanceof ConfigurationError)) throw e
    const credentials = /user name or password/.test(e.message)
    if (show.hidden)
      throw new ConfigurationError(
        credentials
          ? `${at('url')} has a URL with a user name or password in it (not shown: it comes from a file); allowed: an http:// or https:// URL without credentials.`
          : `${at('url')} has ${show.value(url)}; allowed: an http:// or https:// URL.`,
      )
    // Smoke checks take no headers: say what to do instead of parseHttpUrl's header advice.
    throw new ConfigurationError(
      e.message
        .replace(/^Input 'smoke'/, at('url'))
        // The credentials message shows the host as parsed: the template's, not the samples'.
        .replace(`@${SAMPLES.address})`, '@{{address}})')
        .replace(`@${SAMPLES.server})`, '@{{server}})')
        .replace(
          / Pass credentials as a header instead\.$/,
          ' A smoke check sends no credentials: check an endpoint that needs none, or use a command check that reads them from its environment.',
        ),
    )
  }
  const check: SmokeHttpCheck = {
    kind: 'http',
    url,
    status: parseStatus(map.status, at('status'), show),
    timeoutMs: duration(map.timeout, at('timeout'), SMOKE_LIMITS.http.timeout, show),
    retries: whole(map.retries, at('retries'), SMOKE_LIMITS.retries, show),
    intervalMs: duration(map.interval, at('interval'), SMOKE_LIMITS.interval, show),
  }
  if (map.body !== undefined) {
    if (typeof map.body !== 'string' && typeof map.body !== 'number')
      throw new ConfigurationError(
        `${at('body')} is ${show.kind(map.body)}; allowed: a text the body must contain (a substring, case-sensitive).`,
      )
    const body = String(map.body)
    if (body === '')
      throw new ConfigurationError(
        `${at('body')} is empty; allowed: a text the body must contain (a substring, case-sensitive), or leave 'body' out.`,
      )
    check.body = body
  }
  return check
}

function checkPlaceholders(text: string, where: string, show: Show): void {
  for (const m of text.matchAll(PLACEHOLDER)) {
    const name = m[1] as string
    if (!(SMOKE_PLACEHOLDERS as readonly string[]).includes(name))
      throw new ConfigurationError(
        `${where} has ${show.hidden ? 'an unknown placeholder (not shown: it comes from a file)' : `the placeholder ${quote(`{{${name}}}`)}`}; allowed: ${SMOKE_PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}.`,
      )
  }
}

function parseStatus(value: unknown, where: string, show: Show): number[] {
  const { min, max, fallback } = SMOKE_LIMITS.status
  if (value === undefined || value === null) return [...fallback]
  const items = Array.isArray(value) ? value : [value]
  const ok = (v: unknown) =>
    (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) ||
    (typeof v === 'string' && /^\d{3}$/.test(v.trim()) && +v >= min && +v <= max)
  if (items.length === 0 || !items.every(ok))
    throw new ConfigurationError(
      `${where} has ${show.value(value)}; allowed: an HTTP status from ${min} to ${max}, or a list of them (e.g. [200, 204]).`,
    )
  return items.map(Number)
}

function duration(
  value: unknown,
  where: string,
  limits: { min: number; max: number; fallback: number },
  show: Show,
): number {
  if (value === undefined || value === null) return limits.fallback
  const allowed = `a duration from ${formatDuration(limits.min)} to ${formatDuration(limits.max)} with its unit, e.g. 5s or 500ms`
  if (typeof value !== 'string')
    throw new ConfigurationError(`${where} has ${show.value(value)}; allowed: ${allowed}.`)
  let ms: number
  try {
    ms = parseDuration('smoke', value)
  } catch {
    throw new ConfigurationError(`${where} has ${show.value(value)}; allowed: ${allowed}.`)
  }
  if (ms < limits.min || ms > limits.max)
    throw new ConfigurationError(`${where} has ${show.value(value)}; allowed: ${allowed}.`)
  return ms
}

function whole(
  value: unknown,
  where: string,
  limits: { min: number; max: number; fallback: number },
  show: Show,
) {
  if (value === undefined || value === null) return limits.fallback
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value
  if (typeof n !== 'number' || !Number.isInteger(n) || n < limits.min || n > limits.max)
    throw new ConfigurationError(
      `${where} has ${show.value(value)}; allowed: a whole number from ${limits.min} to ${limits.max}.`,
    )
  return n
}

/** `{{slot}}`, `{{server}}`, `{{address}}` in `text` filled in for one server. */
export function fillPlaceholders(
  text: string,
  values: Readonly<Record<SmokePlaceholder, string>>,
): string {
  return text.replace(PLACEHOLDER, (whole, name: string) =>
    name in values ? values[name as SmokePlaceholder] : whole,
  )
}

/** What a server answered, as far as a check is concerned. */
export interface HttpAnswer {
  status: number
  /** The first SMOKE_BODY_BYTES of the body, decoded as UTF-8. */
  body: string
  /** The redirect target (query and credentials left out), when the answer was a redirect. */
  location?: string
}

/** The decision, pure: does this answer pass the check, and if not, why (in a few words). */
export function judgeAnswer(
  check: Pick<SmokeHttpCheck, 'status' | 'body'>,
  answer: HttpAnswer,
): { passed: boolean; why: string } {
  const wanted = check.status.join(' or ')
  if (!check.status.includes(answer.status)) {
    const redirect =
      answer.status >= 300 && answer.status < 400
        ? ` redirect${answer.location ? ` to ${answer.location}` : ''} (redirects are not followed)`
        : ''
    return { passed: false, why: `HTTP ${answer.status}${redirect}, expected ${wanted}` }
  }
  if (check.body !== undefined && !answer.body.includes(check.body))
    return {
      passed: false,
      why: `HTTP ${answer.status}, but the body does not contain ${quote(check.body)}`,
    }
  return {
    passed: true,
    why: `HTTP ${answer.status}${check.body !== undefined ? `, body contains ${quote(check.body)}` : ''}`,
  }
}

/** A body (or a command's output) as the log and the summary may show it: one line, capped, inert. */
export function excerpt(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim()
  // quote() caps at QUOTE_LIMIT characters (never cutting a character in half) and says how many more.
  return oneLine === '' ? '(empty)' : neutraliseCommands(quote(oneLine))
}

/** One check against one server. */
export interface SmokeOutcome {
  server: string
  address: string
  /** The check as a person reads it: `GET http://.../health` or `./smoke.sh 10.0.0.5:8080`. */
  check: string
  passed: boolean
  attempts: number
  /** What the server (or the command) answered, in a line: status and why; never a header value. */
  answer: string
  /** For a failure: `body "..."` or `output "..."`, capped and neutralised. */
  excerpt?: string
  elapsedMs: number
}

export interface SmokeResult {
  slot: Slot
  passed: boolean
  outcomes: SmokeOutcome[]
  /** Servers of the slot, by name, whose checks did not all pass. */
  failedServers: string[]
  /** One line naming the failing server(s) and what each answered; '' when passed. */
  reason: string
  elapsedMs: number
}

/** The decision, pure: the slot passes when every check passed on every server. */
export function smokeVerdict(
  slot: Slot,
  outcomes: readonly SmokeOutcome[],
): { passed: boolean; failedServers: string[]; reason: string } {
  const failed = outcomes.filter((o) => !o.passed)
  const failedServers = [...new Set(failed.map((o) => o.server))]
  if (failed.length === 0) return { passed: true, failedServers, reason: '' }
  const first = failed[0] as SmokeOutcome
  const more =
    failedServers.length > 1
      ? ` (and ${failedServers.length - 1} more server${failedServers.length > 2 ? 's' : ''}: ${failedServers.slice(1).join(', ')})`
      : ''
  return {
    passed: false,
    failedServers,
    reason: `smoke test failed on server ${first.server} (${first.address}) of slot ${slot}: ${first.check} answered ${first.answer}${first.excerpt ? `; ${first.excerpt}` : ''}${more}`,
  }
}

/** A smoke test that did not pass: nothing moved. Carries the result for the summary. */
export class SmokeFailed extends DeploymentFailed {
  override name = 'SmokeFailed'
  constructor(
    message: string,
    readonly result: SmokeResult,
  ) {
    super(message)
  }
}

/** Outputs of a step that failed its smoke test: phase smoke, nothing rolled back (nothing moved). */
export function smokeFailureOutputs(
  e: unknown,
): { phase: 'smoke'; 'rolled-back': 'false'; reason: string } | Record<string, never> {
  return e instanceof SmokeFailed
    ? { phase: 'smoke', 'rolled-back': 'false', reason: e.result.reason }
    : {}
}

/**
 * Runs every check against every server of `slot`, server after server; a server's checks stop
 * at its first failure, and every server is tried (so the log names each one that fails).
 */
export async function runSmoke(
  checks: readonly SmokeCheck[],
  slot: Slot,
  servers: readonly Server[],
  log: Log,
): Promise<SmokeResult> {
  const started = Date.now()
  const outcomes: SmokeOutcome[] = []
  log.info(
    `smoke: ${checks.length} check${checks.length === 1 ? '' : 's'} on each of ${servers.length} server${servers.length === 1 ? '' : 's'} of ${slot}`,
  )
  if (servers.length === 0) {
    const reason = `smoke test cannot run: the router lists no server in slot ${slot}`
    return { slot, passed: false, outcomes, failedServers: [], reason, elapsedMs: 0 }
  }
  for (const server of servers) {
    const values = { slot, server: server.name, address: server.address }
    for (const check of checks) {
      const outcome =
        check.kind === 'http'
          ? await httpCheck(check, server, values, log)
          : await commandCheck(check, server, values, log)
      outcomes.push(outcome)
      log.info(
        `smoke ${server.name} (${server.address}): ${outcome.check}: ${outcome.passed ? 'passed' : 'FAILED'}: ${outcome.answer}${!outcome.passed && outcome.excerpt ? `; ${outcome.excerpt}` : ''}${outcome.attempts > 1 ? ` (${outcome.attempts} attempts)` : ''}`,
      )
      if (!outcome.passed) break
    }
  }
  const verdict = smokeVerdict(slot, outcomes)
  return { slot, ...verdict, outcomes, elapsedMs: Date.now() - started }
}

/** Runs the smoke test and throws SmokeFailed unless it passes; `where` says where traffic stays. */
export async function requireSmoke(
  checks: readonly SmokeCheck[],
  slot: Slot,
  servers: readonly Server[],
  log: Log,
  where: string,
): Promise<SmokeResult> {
  const result = await runSmoke(checks, slot, servers, log)
  if (!result.passed)
    throw new SmokeFailed(`${result.reason}. No traffic was moved: ${where}.`, result)
  log.info(`smoke: passed on every server of ${slot} (${result.elapsedMs} ms)`)
  return result
}

async function httpCheck(
  check: SmokeHttpCheck,
  server: Server,
  values: Record<SmokePlaceholder, string>,
  log: Log,
): Promise<SmokeOutcome> {
  const url = fillPlaceholders(check.url, values)
  const shown = `GET ${url}`
  const t0 = Date.now()
  let last: { passed: boolean; answer: string; excerpt?: string } = {
    passed: false,
    answer: 'not tried',
  }
  let attempts = 0
  for (let attempt = 0; attempt <= check.retries; attempt++) {
    if (attempt > 0) {
      log.info(
        `smoke ${server.name}: ${shown}: ${last.answer}; retrying in ${formatDuration(check.intervalMs)}`,
      )
      await sleep(check.intervalMs)
    }
    attempts += 1
    last = await httpAttempt(check, url)
    if (last.passed) break
  }
  return {
    server: server.name,
    address: server.address,
    check: shown,
    attempts,
    ...last,
    elapsedMs: Date.now() - t0,
  }
}

async function httpAttempt(
  check: SmokeHttpCheck,
  url: string,
): Promise<{ passed: boolean; answer: string; excerpt?: string }> {
  let parsed: URL
  try {
    parsed = parseHttpUrl('smoke', url)
  } catch {
    return {
      passed: false,
      answer: `no request: ${quote(url)} is not an http(s) URL once filled in`,
    }
  }
  const t0 = Date.now()
  // One deadline for the whole exchange: connect, head and the body read below.
  const signal = AbortSignal.timeout(check.timeoutMs)
  try {
    const response = await fetch(parsed, {
      signal,
      redirect: 'manual',
      headers: { 'user-agent': 'cutover-smoke-test' },
    })
    const body = await readCapped(
      response,
      check.body !== undefined || !check.status.includes(response.status),
    )
    const location = response.headers.get('location')
    const answer: HttpAnswer = {
      status: response.status,
      body,
      ...(location ? { location: safeLocation(location, parsed) } : {}),
    }
    const judged = judgeAnswer(check, answer)
    return {
      passed: judged.passed,
      answer: `${judged.why} in ${Date.now() - t0} ms`,
      ...(judged.passed ? {} : { excerpt: `body ${excerpt(body)}` }),
    }
  } catch (e) {
    const timedOut = (e as Error).name === 'TimeoutError' || signal.aborted
    return {
      passed: false,
      answer: timedOut
        ? `no complete answer within ${formatDuration(check.timeoutMs)} (the deadline covers connect, headers and body)`
        : `request failed: ${fetchFailure(e)}`,
    }
  }
}

/** The first SMOKE_BODY_BYTES of a body (when `wanted`), under the request's deadline; the rest is dropped. */
async function readCapped(response: Response, wanted: boolean): Promise<string> {
  if (!response.body) return ''
  if (!wanted) {
    await response.body.cancel()
    return ''
  }
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  try {
    while (size < SMOKE_BODY_BYTES) {
      const { done, value } = await reader.read()
      if (done) break
      chunks.push(value)
      size += value.length
    }
  } finally {
    await reader.cancel().catch(() => {})
  }
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, SMOKE_BODY_BYTES))
}

/** A redirect's target for the log: origin and path, never its query or credentials. */
function safeLocation(location: string, base: URL): string {
  try {
    const target = new URL(location, base)
    return quote(`${target.origin}${target.pathname}`)
  } catch {
    return 'an unreadable location'
  }
}

async function commandCheck(
  check: SmokeCommandCheck,
  server: Server,
  values: Record<SmokePlaceholder, string>,
  log: Log,
): Promise<SmokeOutcome> {
  const argv = check.argv.map((a) => fillPlaceholders(a, values))
  const shown = argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : quote(a))).join(' ')
  const t0 = Date.now()
  const base = { server: server.name, address: server.address, check: shown, attempts: 1 }
  try {
    const result = await execute(argv, {
      timeoutMs: check.timeoutMs,
      log,
      maxCapture: 64 * 1024,
      env: {
        CUTOVER_SLOT: values.slot,
        CUTOVER_SERVER: values.server,
        CUTOVER_ADDRESS: values.address,
      },
    })
    const elapsedMs = Date.now() - t0
    if (result.timedOut)
      return {
        ...base,
        passed: false,
        answer: `timed out after ${formatDuration(check.timeoutMs)} (stopped)`,
        elapsedMs,
      }
    if (result.notFound)
      return {
        ...base,
        passed: false,
        answer: `command not found: ${quote(argv[0])} is not installed, not on PATH or not executable`,
        elapsedMs,
      }
    const output = lastLines(result, 3).join(' | ')
    return {
      ...base,
      passed: result.code === 0,
      answer: `exit code ${result.code} in ${elapsedMs} ms`,
      ...(result.code === 0 || output === '' ? {} : { excerpt: `output ${excerpt(output)}` }),
      elapsedMs,
    }
  } catch (e) {
    return {
      ...base,
      passed: false,
      answer: `could not run: ${errorMessage(e)}`,
      elapsedMs: Date.now() - t0,
    }
  }
}

/** The job summary's smoke section: a heading and one row per check and server. */
export function smokeSection(result: SmokeResult): string {
  const title = result.passed
    ? `Smoke test of ${result.slot}: passed on every server (${result.elapsedMs} ms)`
    : `Smoke test of ${result.slot}: failed on ${result.failedServers.join(', ') || 'no server'}; nothing moved`
  return markdown.sections(
    markdown.heading(title, 4),
    result.outcomes.length > 0
      ? markdown
          .table(
            ['server', 'address', 'check', 'result', 'answer'],
            result.outcomes.map((o) => [
              o.server,
              o.address,
              o.check,
              o.passed ? '✅ passed' : '❌ failed',
              `${o.answer}${!o.passed && o.excerpt ? `; ${o.excerpt}` : ''}`,
            ]),
          )
          .replace(/</g, '&lt;')
      : result.reason,
  )
}

/** The summary of a step that failed its smoke test. */
export function smokeReport(result: SmokeResult): string {
  return markdown.sections(
    markdown.heading(`Smoke test failed: no traffic moved`),
    smokeSection(result),
  )
}
