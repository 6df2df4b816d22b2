/**
 * The service's decisions as pure functions (no clock, no I/O), tested as tables: whether a
 * delivery is admitted, what an event says, which window a walk's statuses give, how the gate
 * spreads its looks over what is left of that window, and what to do given the run's status, the
 * walk and the gate's verdict. Fail-closed throughout: only a gate that passed approves.
 */
import type { Verdict } from '../../../packages/gate/index.js'
import { walkStop } from '../../../packages/records/index.js'

export const EVENT = 'deployment_protection_rule'

/** How GitHub's webhook headers and this process's memory admit a delivery. */
export interface DeliveryFacts {
  /** The service is shutting down. */
  draining: boolean
  /** X-Hub-Signature-256 against the raw body: checked before anything in the body is read. */
  signature: 'valid' | 'invalid' | 'missing'
  /** X-GitHub-Event */
  event: string | undefined
  /** X-GitHub-Delivery */
  deliveryId: string | undefined
  /** This delivery id was admitted before by this process (a replay). */
  seen: boolean
}

export interface Admission {
  /** The HTTP status the delivery is answered with. */
  status: number
  message: string
  /** Parse the body and judge it. */
  judge: boolean
}

export function admitDelivery(d: DeliveryFacts): Admission {
  if (d.draining)
    return {
      status: 503,
      message: 'shutting down: the delivery is not judged here (a restarted service recovers it)',
      judge: false,
    }
  if (d.signature === 'missing')
    return { status: 401, message: 'no X-Hub-Signature-256 header: refused', judge: false }
  if (d.signature === 'invalid')
    return {
      status: 401,
      message: 'X-Hub-Signature-256 does not match the body and the webhook secret: refused',
      judge: false,
    }
  if (d.event === 'ping') return { status: 200, message: 'pong', judge: false }
  if (d.event !== EVENT)
    return {
      status: 400,
      message: `event ${JSON.stringify(d.event ?? '')} is not handled; allowed: ${EVENT} (and ping)`,
      judge: false,
    }
  if (!d.deliveryId || !/^[A-Za-z0-9-]{1,100}$/.test(d.deliveryId))
    return { status: 400, message: 'no valid X-GitHub-Delivery header: refused', judge: false }
  if (d.seen)
    return {
      status: 409,
      message: `delivery ${d.deliveryId} was received before: a replay is refused`,
      judge: false,
    }
  return { status: 202, message: 'accepted: the gate judges the pause', judge: true }
}

/** What the service needs of a deployment_protection_rule event. */
export interface ProtectionRuleEvent {
  environment: string
  sha: string
  ref: string | undefined
  /** owner/repo */
  repository: string
  owner: string
  repo: string
  runId: number
  installationId: number
  callbackUrl: string
  /**
   * GitHub's deployment for the job that waits (event field deployment.id): each pause of a run
   * is a job of its own with a deployment of its own, while the callback names only the run and
   * the environment. Undefined when the event carries none.
   */
  deploymentId?: number
}

/**
 * Reads a (signature-checked) event body. Throws an Error naming the field, its value and what is
 * allowed. `apiUrl` is GitHub's API base: the callback must be on it (the installation token is
 * sent there and nowhere else).
 */
export function readEvent(body: unknown, apiUrl: string): ProtectionRuleEvent {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>
  const field = (path: string): unknown =>
    path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | null)?.[k], b)
  const fail = (path: string, allowed: string): never => {
    const value = field(path)
    const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 80)) : String(value)
    throw new Error(`event field '${path}' is ${shown}; allowed: ${allowed}`)
  }
  if (b.action !== 'requested') fail('action', '"requested"')
  const environment = field('environment')
  if (typeof environment !== 'string' || environment === '' || environment.length > 255)
    fail('environment', 'an environment name')
  const sha = field('sha')
  if (typeof sha !== 'string' || !/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(sha))
    fail('sha', 'a commit sha (40 hex digits)')
  const installationId = field('installation.id')
  if (
    typeof installationId !== 'number' ||
    !Number.isSafeInteger(installationId) ||
    installationId <= 0
  )
    fail('installation.id', 'a positive integer')
  const repository = field('repository.full_name')
  if (typeof repository !== 'string' || !/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repository))
    fail('repository.full_name', 'owner/repo')
  const callbackUrl = field('deployment_callback_url')
  if (typeof callbackUrl !== 'string') fail('deployment_callback_url', 'a URL')
  const callback = parseCallbackUrl(callbackUrl as string, apiUrl)
  if (!callback)
    fail(
      'deployment_callback_url',
      `${apiUrl.replace(/\/+$/, '')}/repos/{owner}/{repo}/actions/runs/{run_id}/deployment_protection_rule`,
    )
  const { owner, repo, runId } = callback!
  if (`${owner}/${repo}`.toLowerCase() !== (repository as string).toLowerCase())
    fail('deployment_callback_url', `a run of ${repository as string}, the event's repository`)
  const ref = field('ref')
  const deploymentId = field('deployment.id')
  if (
    deploymentId !== undefined &&
    deploymentId !== null &&
    (typeof deploymentId !== 'number' || !Number.isSafeInteger(deploymentId) || deploymentId <= 0)
  )
    fail('deployment.id', 'a positive integer')
  return {
    environment: environment as string,
    sha: sha as string,
    ref: typeof ref === 'string' ? ref : undefined,
    repository: repository as string,
    owner,
    repo,
    runId,
    installationId: installationId as number,
    callbackUrl: callbackUrl as string,
    ...(typeof deploymentId === 'number' ? { deploymentId } : {}),
  }
}

/** The run and repository of a callback URL on GitHub's API at `apiUrl`; undefined when it is not one. */
export function parseCallbackUrl(
  url: string,
  apiUrl: string,
): { owner: string; repo: string; runId: number } | undefined {
  let u: URL
  let base: URL
  try {
    u = new URL(url)
    base = new URL(apiUrl)
  } catch {
    return undefined
  }
  if (u.origin !== base.origin || u.search !== '' || u.hash !== '') return undefined
  const prefix = base.pathname.replace(/\/+$/, '')
  if (!u.pathname.startsWith(`${prefix}/`)) return undefined
  const m =
    /^\/repos\/([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)\/actions\/runs\/(\d{1,18})\/deployment_protection_rule$/.exec(
      u.pathname.slice(prefix.length),
    )
  if (!m) return undefined
  const runId = Number(m[3])
  if (!Number.isSafeInteger(runId) || runId <= 0) return undefined
  return { owner: m[1]!, repo: m[2]!, runId }
}

/** A deployment status as the walk's record carries it (newest first). */
export interface WalkStatus {
  state: string
  description?: string | null
  created_at: string
}

/** The pause being judged: the walk's step and the window it must hold under the gate. */
export type WalkWindow =
  | { kind: 'window'; weight: number; start: number; end: number; description: string }
  | { kind: 'stop'; reason: string }

const STEP = /^(canary|held at) (\d{1,3})%/

/**
 * The window from the walk's deployment statuses (newest first): the newest step status ("canary
 * N%", or "held at N%" when a step job passed and handed over) was set at `start`, and the step
 * must hold for `pauseMs`. A walk that ended (a failed gate ends it), was asked to abort, or has
 * set no step yet gives no window: the pause is not approved.
 */
export function walkWindow(statuses: readonly WalkStatus[], pauseMs: number): WalkWindow {
  const stop = walkStop(statuses)
  if (stop?.kind === 'ended')
    return {
      kind: 'stop',
      reason: `the walk already ended: its deployment is ${stop.state}${stop.description ? ` ("${stop.description}")` : ''}`,
    }
  if (stop?.kind === 'abort')
    return { kind: 'stop', reason: `the walk was asked to abort ("${stop.description}")` }
  const step = statuses.find((s) => s.state === 'in_progress' && STEP.test(s.description ?? ''))
  if (!step)
    return {
      kind: 'stop',
      reason: `the walk has set no canary step yet (its newest status: ${statuses[0] ? `${statuses[0].state} "${statuses[0].description ?? ''}"` : 'none'})`,
    }
  // "held at N%" (in_progress) is a step job that passed its gate below 100% and handed over to
  // the next job (canaryOutcome in packages/traffic/canary.ts): the pause starts there. A failed
  // gate ends the deployment (failure), caught above.
  const [, , weight] = STEP.exec(step.description ?? '')!
  const start = Date.parse(step.created_at)
  if (!Number.isFinite(start))
    return {
      kind: 'stop',
      reason: `the step status has no valid time (${JSON.stringify(step.created_at)})`,
    }
  return {
    kind: 'window',
    weight: Number(weight),
    start,
    end: start + pauseMs,
    description: step.description ?? '',
  }
}

/** How the gate's looks are spread over what is left of the window. */
export interface LookPlan {
  /** Measurements each check needs (the gate's `count`). */
  count: number
  /** Wait before the first look (ms). */
  initialDelay: number
  /** After this (ms from the start of the analysis) a gate short of evidence ends inconclusive. */
  maxWait: number
  /** Comparisons with stable count from the window's start. */
  since: number
}

/**
 * One look every `interval`, the last one at the window's end, the first within one interval of
 * now (so a failing canary is rejected within one interval). The looks may go on past the
 * window's end by a grace (an interval, or a tenth of the window): each look's queries take time,
 * and a look short of evidence ("not enough data yet") does not count, so one more is taken. A
 * pause still short of its looks after that is inconclusive, never approved. A window already over gets one look now. Comparisons count over the whole window,
 * however late the judgement starts (a restart).
 */
export function planLooks(
  window: { start: number; end: number },
  now: number,
  interval: number,
): LookPlan {
  const remaining = window.end - now
  if (remaining <= 0) return { count: 1, initialDelay: 0, maxWait: 0, since: window.start }
  const count = Math.max(1, Math.ceil(remaining / interval))
  const initialDelay = remaining - (count - 1) * interval
  // Each look takes time (the queries): the looks drift later, by a grace past the window's end.
  const grace = Math.max(interval, Math.round(remaining / 10))
  return { count, initialDelay, maxWait: remaining + grace, since: window.start }
}

/** Where a judgement stands. */
export interface Situation {
  /** The run's status (`waiting` while the job waits on the rule); undefined when it could not be read. */
  run: string | undefined
  /** The walk's window, once read. */
  walk?: WalkWindow
  /** The gate's verdict, once it finished. */
  verdict?: Verdict
  /** The service is shutting down and the analysis was cut short. */
  stopping?: boolean
}

export type Decision =
  | { do: 'measure' }
  | { do: 'approve' }
  | { do: 'reject'; why: string }
  /** Nothing to answer: the run no longer waits on the rule. */
  | { do: 'ignore'; why: string }
  /** Not answered by this process: the run keeps waiting, and a restarted service recovers it. */
  | { do: 'leave'; why: string }

export function decide(s: Situation): Decision {
  if (s.run !== undefined && s.run !== 'waiting')
    return { do: 'ignore', why: `the run is ${s.run}, not waiting on the rule: nothing to answer` }
  if (s.stopping && s.verdict === undefined)
    return { do: 'leave', why: 'shutting down before the gate decided: left for recovery' }
  if (s.run === undefined)
    return { do: 'reject', why: 'the run could not be read, so the pause cannot be judged' }
  if (s.walk?.kind === 'stop') return { do: 'reject', why: s.walk.reason }
  if (s.verdict === undefined) return { do: 'measure' }
  if (s.verdict === 'pass')
    return s.walk?.kind === 'window'
      ? { do: 'approve' }
      : { do: 'reject', why: "the walk's window was never read, so the pass proves nothing" }
  return {
    do: 'reject',
    why:
      s.verdict === 'fail'
        ? 'the gate failed'
        : 'the gate was inconclusive, and inconclusive is not a pass',
  }
}

/** Progress comments: when measuring starts (round -1) and then every `every` looks. */
export function progressDue(round: number, every: number): boolean {
  return round === -1 || (round > 0 && every > 0 && (round + 1) % every === 0)
}

/**
 * One pause, one judgement in this process: the run's pause environment and, when the event
 * names it, GitHub's deployment for the waiting job (pause k and pause k+1 of one run share the
 * run and the environment, not the deployment).
 */
export function judgementKey(
  e: Pick<ProtectionRuleEvent, 'repository' | 'runId' | 'environment' | 'deploymentId'>,
): string {
  return `${pauseKey(e)}#${e.deploymentId ?? ''}`
}

/** What is read again just before an answer or a comment is sent through the callback. */
export interface PendingFacts {
  /** The run's status now; undefined when it could not be read. */
  run: string | undefined
  /** The event's deployment (the waiting job's); undefined when the event named none. */
  eventDeployment?: number
  /**
   * The newest deployment in the pause environment at the event's commit, read now: null when
   * none is listed, undefined when it was not read (the event named no deployment).
   */
  newestDeployment?: number | null
  /** The window the judgement measured (undefined before one was read: an early rejection). */
  judged?: WalkWindow
  /** The walk's window read now (needed when `judged` is given). */
  now?: WalkWindow
  /** What would be sent: a walk that stopped since still lets a rejection through, never the rest. */
  answer: 'approve' | 'reject' | 'comment'
}

/**
 * Whether the pause that was judged is still the one the run waits on. GitHub's callback names
 * only the run and the environment, so an answer for pause k that arrives once pause k+1 waits
 * (late, or from a duplicate delivery) would answer pause k+1 unjudged. Fail-closed: anything not
 * proven current is not answered (nothing is posted; the run keeps waiting).
 */
export function stillPending(f: PendingFacts): { ok: true } | { ok: false; why: string } {
  if (f.run === undefined)
    return {
      ok: false,
      why: 'the run could not be read again, so the pause is not known to be pending',
    }
  if (f.run !== 'waiting')
    return { ok: false, why: `the run is ${f.run} now, not waiting on the rule` }
  if (f.eventDeployment !== undefined) {
    if (f.newestDeployment === undefined || f.newestDeployment === null)
      return {
        ok: false,
        why: `the event's deployment ${f.eventDeployment} is not listed in the environment at its commit`,
      }
    if (f.newestDeployment !== f.eventDeployment)
      return {
        ok: false,
        why: `a newer job waits on the environment (deployment ${f.newestDeployment}, not the event's ${f.eventDeployment}): this event's pause is over`,
      }
  }
  if (f.judged?.kind === 'window') {
    const now = f.now
    if (now?.kind === 'stop' && f.answer === 'reject') return { ok: true }
    if (now?.kind !== 'window')
      return {
        ok: false,
        why: `the walk changed while it was judged: ${now ? now.reason : 'its window was not read again'}`,
      }
    if (now.start !== f.judged.start || now.description !== f.judged.description)
      return {
        ok: false,
        why: `the walk moved on: the judged step "${f.judged.description}" is no longer its newest ("${now.description}")`,
      }
  }
  return { ok: true }
}

/** Which run's pause an event is about: one judgement at a time per key. */
export function pauseKey(
  e: Pick<ProtectionRuleEvent, 'repository' | 'runId' | 'environment'>,
): string {
  return `${e.repository.toLowerCase()}#${e.runId}#${e.environment}`
}

/** A delivery GitHub lists for the App (GET /app/hook/deliveries/{id}), newest first. */
export interface ListedDelivery {
  guid: string
  action: string | undefined
  payload: unknown
}

/**
 * Recovery's choice among the App's recent deliveries (newest first): the newest `requested`
 * event of each run's pause, read like a webhook's (one that is not is named in `skipped`). Whether
 * its run still waits is asked afterwards: a run that does not is never judged.
 */
export function pickRecoveries(
  deliveries: readonly ListedDelivery[],
  apiUrl: string,
): {
  resume: { guid: string; event: ProtectionRuleEvent }[]
  skipped: { guid: string; why: string }[]
} {
  const resume: { guid: string; event: ProtectionRuleEvent }[] = []
  const skipped: { guid: string; why: string }[] = []
  const keys = new Set<string>()
  for (const d of deliveries) {
    if (d.action !== undefined && d.action !== 'requested') continue
    let event: ProtectionRuleEvent
    try {
      event = readEvent(d.payload, apiUrl)
    } catch (e) {
      skipped.push({ guid: d.guid, why: (e as Error).message })
      continue
    }
    const key = pauseKey(event)
    if (keys.has(key)) continue
    keys.add(key)
    resume.push({ guid: d.guid, event })
  }
  return { resume, skipped }
}

/**
 * The looks on a fixed schedule: a wait of `ms` ends `ms` after the previous wait was due to end
 * (not after the look's queries finished), so the looks do not drift; a look that overran its
 * interval is followed at once. Returns how long to wait now and when this wait is due.
 */
export function scheduleWait(
  due: number | undefined,
  ms: number,
  now: number,
): { waitMs: number; due: number } {
  const next = Math.max((due ?? now) + ms, now)
  return { waitMs: next - now, due: next }
}

/** The step in words for comments: "canary 25%", or "header phase (header x-canary=1)". */
export function stepName(window: { weight: number; description: string }): string {
  const match = /\(((?:header|cookie) [^)]*)\)/.exec(window.description)
  return window.weight === 0 && match ? `header phase (${match[1]})` : `canary ${window.weight}%`
}

/** The longest piece of outside text (a status description, an error, a config value) in a comment. */
export const INLINE_LIMIT = 600

/**
 * Text from outside the service (the walk's status descriptions, GitHub's and Prometheus's error
 * messages, values quoted from the repository's file) as it goes into a review comment: one line
 * (control characters and line breaks become spaces, so it cannot start a line of its own, such
 * as a fake "✅ Approved" verdict), Markdown and HTML characters and @mentions escaped, at most
 * `limit` characters.
 */
export function inline(text: string, limit = INLINE_LIMIT): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
  const cut =
    flat.length > limit ? `${Array.from(flat.slice(0, limit)).slice(0, -1).join('')}…` : flat
  return cut.replace(/[\\`*_[\]<>~&@!#]/g, (c) => `\\${c}`)
}
