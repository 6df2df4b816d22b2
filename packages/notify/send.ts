/**
 * Sending: every target in parallel, each exchange under one deadline (connect, send, read the
 * answer), never a throw. A target that fails, answers non-2xx or hangs is a warning that names
 * the target by kind and position, never its URL or key: traffic decisions never wait on it
 * beyond the deadline and never fail because of it.
 */
import { randomUUID } from 'node:crypto'
import { fetchFailure, type Log } from '../action-kit/index.js'
import type { NotifyTarget } from './config.js'
import {
  DELIVERY_HEADER,
  EVENT_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  sign,
  slackPayload,
  teamsPayload,
  webhookBody,
  type NotifyEvent,
} from './payload.js'

/** The whole exchange with one target: connect, send, read the answer. */
export const NOTIFY_DEADLINE_MS = 5_000
/** How much of an answer is read (for the warning); the rest is dropped. */
const ANSWER_LIMIT = 300

export interface Delivery {
  target: string
  ok: boolean
  /** The HTTP status, when one came. */
  status?: number
  /** Why it failed (scrubbed of the URL and the key). */
  error?: string
}

export interface SendOptions {
  deadlineMs?: number
  /** For tests: the delivery id and clock. */
  id?: () => string
  now?: () => number
}

/** The request one target gets for one event: pure. */
export function requestFor(
  target: NotifyTarget,
  event: NotifyEvent,
  delivery: { id: string; timestamp: number },
): { headers: Record<string, string>; body: string } {
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'user-agent': 'cutover-notify/1',
  }
  if (target.kind === 'slack') return { headers, body: JSON.stringify(slackPayload(event)) }
  if (target.kind === 'teams') return { headers, body: JSON.stringify(teamsPayload(event)) }
  const body = webhookBody(event, delivery)
  return {
    headers: {
      ...headers,
      [EVENT_HEADER]: event.kind,
      [DELIVERY_HEADER]: delivery.id,
      [TIMESTAMP_HEADER]: String(delivery.timestamp),
      [SIGNATURE_HEADER]: sign(target.secret ?? '', body),
    },
    body,
  }
}

/** "slack target 1": how logs name a target (its URL is a secret). */
export function targetName(target: NotifyTarget, index: number): string {
  return `${target.kind} target ${index + 1}`
}

/** Removes the URL (whole, and its path and query) and the key from a text. */
export function scrub(text: string, target: NotifyTarget): string {
  const secrets = [target.url, target.secret ?? '']
  try {
    const url = new URL(target.url)
    secrets.push(url.pathname + url.search, url.search.slice(1))
    if (url.pathname.length > 1) secrets.push(url.pathname.slice(1))
  } catch {
    // parseNotify made it a URL
  }
  let out = text
  for (const s of secrets.filter((s) => s.length >= 4).sort((a, b) => b.length - a.length))
    out = out.split(s).join('***')
  return out
}

async function deliver(
  target: NotifyTarget,
  index: number,
  event: NotifyEvent,
  options: SendOptions,
): Promise<Delivery> {
  const name = targetName(target, index)
  const deadlineMs = options.deadlineMs ?? NOTIFY_DEADLINE_MS
  const signal = AbortSignal.timeout(deadlineMs)
  const request = requestFor(target, event, {
    id: options.id?.() ?? randomUUID(),
    timestamp: Math.floor((options.now?.() ?? Date.now()) / 1000),
  })
  try {
    const res = await fetch(target.url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      signal,
      // A redirect would send the body (and its signature) somewhere the user did not name.
      redirect: 'manual',
    })
    // The answer is read inside the same deadline: a receiver that drips is cut off too.
    const answer = (await res.text()).slice(0, ANSWER_LIMIT).replace(/\s+/g, ' ').trim()
    if (res.status >= 200 && res.status < 300) return { target: name, ok: true, status: res.status }
    return {
      target: name,
      ok: false,
      status: res.status,
      error: scrub(`HTTP ${res.status}${answer ? `: ${answer}` : ''}`, target),
    }
  } catch (e) {
    return {
      target: name,
      ok: false,
      error: scrub(
        signal.aborted ? `no complete answer within ${deadlineMs} ms` : fetchFailure(e),
        target,
      ),
    }
  }
}

/**
 * Sends `event` to every target that wants it, in parallel; resolves when each has answered or
 * hit its deadline (never rejects). Failures are warnings; successes a debug line.
 */
export async function sendNotification(
  targets: readonly NotifyTarget[],
  event: NotifyEvent,
  log: Log,
  options: SendOptions = {},
): Promise<Delivery[]> {
  const chosen = targets.flatMap((t, i) => (t.events.includes(event.kind) ? [{ t, i }] : []))
  const deliveries = await Promise.all(chosen.map(({ t, i }) => deliver(t, i, event, options)))
  for (const d of deliveries) {
    if (d.ok) log.info(`notify: ${event.kind} sent to ${d.target} (HTTP ${d.status})`)
    else
      log.warning(
        `notify: the ${event.kind} notification to ${d.target} was not delivered (${d.error}); traffic is not affected.`,
        { title: 'Notification not delivered' },
      )
  }
  return deliveries
}

/**
 * The notifications of one action run: `send` starts a delivery and returns at once (a traffic
 * move never waits for it); `settle` waits for every delivery started, each bounded by its
 * deadline, so the step ends after them.
 */
export class Notifier {
  private readonly pending = new Set<Promise<unknown>>()
  readonly deliveries: Delivery[] = []

  constructor(
    readonly targets: readonly NotifyTarget[],
    private readonly log: Log,
    private readonly options: SendOptions = {},
  ) {}

  get enabled(): boolean {
    return this.targets.length > 0
  }

  send(event: NotifyEvent): void {
    if (!this.enabled) return
    const p = sendNotification(this.targets, event, this.log, this.options).then(
      (d) => void this.deliveries.push(...d),
      () => undefined,
    )
    this.pending.add(p)
    void p.finally(() => this.pending.delete(p))
  }

  /** Like send, for an event whose facts are still being gathered (e.g. a read of the router). */
  sendLater(event: Promise<NotifyEvent>): void {
    if (!this.enabled) return
    const p = event.then(
      (e) => this.send(e),
      () => undefined,
    )
    this.pending.add(p)
    void p.finally(() => this.pending.delete(p))
  }

  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending])
  }
}
