/**
 * What a notification says, and how each target wants it, as pure functions: the generic JSON
 * body (schema `cutover.notification/1`), Slack's incoming-webhook message (`text` plus Block
 * Kit `blocks`), and the Teams workflow webhook's message with one Adaptive Card attachment.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import type { Weights } from '../domain/index.js'
import type { NotifyEventKind } from './config.js'

/** One measured figure that decided (or was part of) a verdict: a gate check's look. */
export interface Figure {
  check: string
  value?: number
  baseline?: number
  samples?: number
  bound?: string
  outcome?: string
}

/** Where traffic is on one router now; `weights` absent when the router could not be read. */
export interface RouterTraffic {
  router: string
  weights?: Weights
  /** Why the weights are unknown (or a note, e.g. "at its last read"). */
  note?: string
}

/** What happened, from an action: the facts, before any target's format. */
export interface NotifyEvent {
  kind: NotifyEventKind
  /** The action that sent it: blue-green-switch, canary-step, rollback. */
  action: string
  service: string
  environment: string
  /** The release (image, best by digest); empty when not given. */
  release: string
  /** One line: what happened. */
  summary: string
  /** The verdict when one decided it: pass, fail, inconclusive, cancelled. */
  verdict?: string
  /** The reason, when traffic went back or a step failed. */
  reason?: string
  figures: Figure[]
  traffic: RouterTraffic[]
  /** The run on GitHub. */
  runUrl: string
}

export const SCHEMA = 'cutover.notification/1'
export const SIGNATURE_HEADER = 'X-Cutover-Signature-256'
export const TIMESTAMP_HEADER = 'X-Cutover-Timestamp'
export const DELIVERY_HEADER = 'X-Cutover-Delivery'
export const EVENT_HEADER = 'X-Cutover-Event'

const TITLES: Record<NotifyEventKind, string> = {
  start: 'started',
  step: 'step passed',
  pass: 'passed',
  fail: 'failed',
  rollback: 'rolled back',
  waiting: 'waiting for approval',
}
const ICONS: Record<NotifyEventKind, string> = {
  start: '🚀',
  step: '➡️',
  pass: '✅',
  fail: '❌',
  rollback: '⏪',
  waiting: '⏸️',
}

/** "orders in production: rolled back" */
export function title(event: NotifyEvent): string {
  return `${ICONS[event.kind]} ${event.service}${event.environment ? ` in ${event.environment}` : ''}: ${TITLES[event.kind]}`
}

/** "blue 100% / green 0%", or why it is unknown. */
export function trafficText(t: RouterTraffic): string {
  const where = t.weights ? `blue ${t.weights.blue}% / green ${t.weights.green}%` : 'unknown'
  return `${t.router}: ${where}${t.note ? ` (${t.note})` : ''}`
}

export function figureText(f: Figure): string {
  const value = f.value === undefined ? 'no value' : formatNumber(f.value)
  const parts = [
    `${f.check} ${value}`,
    ...(f.bound ? [`bound ${f.bound}`] : []),
    ...(f.baseline === undefined ? [] : [`stable ${formatNumber(f.baseline)}`]),
    ...(f.samples === undefined ? [] : [`${f.samples} samples`]),
  ]
  return `${parts.join(', ')}${f.outcome ? `: ${f.outcome}` : ''}`
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(4)))
}

/** The generic webhook's JSON document: every fact, machine-readable. `id`/`timestamp` are signed with it. */
export function webhookBody(
  event: NotifyEvent,
  delivery: { id: string; timestamp: number },
): string {
  return JSON.stringify({
    schema: SCHEMA,
    id: delivery.id,
    timestamp: delivery.timestamp,
    event: event.kind,
    action: event.action,
    service: event.service,
    environment: event.environment,
    release: event.release,
    summary: event.summary,
    ...(event.verdict ? { verdict: event.verdict } : {}),
    ...(event.reason ? { reason: event.reason } : {}),
    figures: event.figures,
    traffic: event.traffic.map((t) => ({
      router: t.router,
      blue: t.weights?.blue ?? null,
      green: t.weights?.green ?? null,
      ...(t.note ? { note: t.note } : {}),
    })),
    run: event.runUrl,
  })
}

/** `sha256=<hex>`: HMAC-SHA256 of the raw body bytes under the key, as GitHub signs its webhooks. */
export function sign(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`
}

/** The receiver's side: constant-time comparison of a `sha256=<hex>` header with the body's HMAC. */
export function verifySignature(secret: string, body: string | Buffer, header: string): boolean {
  const expected = Buffer.from(sign(secret, body))
  const given = Buffer.from(header)
  return expected.length === given.length && timingSafeEqual(expected, given)
}

/** Slack escapes: `&`, `<` and `>` are markup (`<!channel>` would ping everyone). */
function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

function cut(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`
}

/**
 * Slack's incoming-webhook message: `text` (the notification fallback, required when blocks are
 * given) and Block Kit blocks: a header, a section with the summary, a section of fields, the
 * figures, and a link to the run. Limits kept: header 150, section text 3000, field 2000, at most
 * 10 fields.
 */
export function slackPayload(event: NotifyEvent): Record<string, unknown> {
  const head = title(event)
  const fields = [
    `*Service*\n${event.service}`,
    `*Environment*\n${event.environment || '(none)'}`,
    `*Release*\n${event.release ? `\`${event.release}\`` : '(not given)'}`,
    ...(event.verdict ? [`*Verdict*\n${event.verdict}`] : []),
    `*Traffic now*\n${event.traffic.length > 0 ? event.traffic.map(trafficText).join('\n') : 'not read yet'}`,
  ].map((text) => ({ type: 'mrkdwn', text: cut(slackEscape(text), 2000) }))
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: cut(head, 150), emoji: true } },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: cut(
          slackEscape(`${event.summary}${event.reason ? `\nreason: ${event.reason}` : ''}`),
          3000,
        ),
      },
    },
    { type: 'section', fields: fields.slice(0, 10) },
  ]
  if (event.figures.length > 0)
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: cut(
          `*Measured*\n${event.figures.map((f) => `• ${slackEscape(figureText(f))}`).join('\n')}`,
          3000,
        ),
      },
    })
  if (event.runUrl)
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: cut(`<${event.runUrl}|${slackEscape(event.action)} run on GitHub>`, 2000),
        },
      ],
    })
  return { text: cut(slackEscape(`${head}: ${event.summary}`), 3000), blocks }
}

/**
 * The Teams workflow webhook ("Send webhook alerts to a channel", Power Automate): a `message`
 * with one attachment of contentType application/vnd.microsoft.card.adaptive whose `content`
 * is an Adaptive Card (1.4: what Teams renders), with a FactSet and an Action.OpenUrl to the run.
 */
export function teamsPayload(event: NotifyEvent): Record<string, unknown> {
  const facts = [
    { title: 'Service', value: event.service },
    { title: 'Environment', value: event.environment || '(none)' },
    { title: 'Release', value: event.release || '(not given)' },
    ...(event.verdict ? [{ title: 'Verdict', value: event.verdict }] : []),
    ...event.traffic.map((t) => ({
      title: `Traffic: ${t.router}`,
      value: trafficText({ ...t, router: '' }).replace(/^: /, ''),
    })),
    ...event.figures.map((f) => ({
      title: f.check,
      value: figureText({ ...f, check: '' }).trim(),
    })),
  ]
  const body: Record<string, unknown>[] = [
    { type: 'TextBlock', text: title(event), weight: 'Bolder', size: 'Medium', wrap: true },
    {
      type: 'TextBlock',
      text: `${event.summary}${event.reason ? `\n\nreason: ${event.reason}` : ''}`,
      wrap: true,
    },
    { type: 'FactSet', facts },
  ]
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body,
          ...(event.runUrl
            ? { actions: [{ type: 'Action.OpenUrl', title: 'Open the run', url: event.runUrl }] }
            : {}),
        },
      },
    ],
  }
}
