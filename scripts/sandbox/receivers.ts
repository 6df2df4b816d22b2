/**
 * Local notification receivers for tests and the demo, on 127.0.0.1: a Slack-shaped incoming
 * webhook, a Teams-workflow-shaped webhook and a generic signed-JSON webhook. Each CHECKS what it
 * gets the way the real service would (Slack answers 400 `invalid_payload`/`no_text`, a Teams
 * workflow 400 when the message carries no Adaptive Card; the generic receiver verifies the
 * HMAC-SHA256 signature over the raw body, the timestamp and the delivery id, as the README's
 * recipe says) and records every request, accepted or not. A receiver can be told to answer 500
 * or to hang (never answer), to show that a notification never holds a traffic step.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export type ReceiverKind = 'slack' | 'teams' | 'webhook'
export type ReceiverMode = 'ok' | 'fail' | 'hang'

export interface Received {
  path: string
  headers: Record<string, string>
  raw: string
  body: unknown
  /** The status this receiver answered (undefined while hanging). */
  status?: number
  /** Why it was refused, when it was. */
  problem?: string
  /** The generic receiver: whether the signature verified. */
  verified?: boolean
}

export interface Receiver {
  kind: ReceiverKind
  /** The URL to post to (a secret-looking path, as the real services give). */
  url: string
  /** The generic webhook's signing key. */
  secret?: string
  received: Received[]
  /** Accepted requests only. */
  accepted(): Received[]
  mode: ReceiverMode
  /** Called for each request once it was checked (the demo prints them). */
  onReceive?: (r: Received) => void
  stop(): Promise<void>
}

/** How old a delivery may be before the generic receiver refuses it as a replay (s). */
const MAX_AGE_S = 300

export async function startReceiver(
  kind: ReceiverKind,
  options: { mode?: ReceiverMode; secret?: string; onReceive?: (r: Received) => void } = {},
): Promise<Receiver> {
  const token = `${kind}-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`
  const path =
    kind === 'slack'
      ? `/services/T000/B000/${token}`
      : kind === 'teams'
        ? `/workflows/${token}/triggers/manual/paths/invoke`
        : `/hooks/${token}`
  const secret = kind === 'webhook' ? (options.secret ?? `key-${token}`) : undefined
  const seen = new Set<string>()
  const hanging = new Set<ServerResponse>()
  const receiver: Receiver = {
    kind,
    url: '',
    ...(secret ? { secret } : {}),
    received: [],
    accepted: () => receiver.received.filter((r) => r.status !== undefined && r.status < 300),
    mode: options.mode ?? 'ok',
    ...(options.onReceive ? { onReceive: options.onReceive } : {}),
    stop: async () => {
      for (const res of hanging) res.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const raw = Buffer.concat(chunks)
      const entry: Received = {
        path: req.url ?? '',
        headers: headersOf(req),
        raw: raw.toString('utf8'),
        body: undefined,
      }
      receiver.received.push(entry)
      if (receiver.mode === 'hang') {
        hanging.add(res)
        return
      }
      const answer = (status: number, text: string, problem?: string) => {
        entry.status = status
        if (problem) entry.problem = problem
        receiver.onReceive?.(entry)
        res.writeHead(status, { 'content-type': 'text/plain' }).end(text)
      }
      if (req.method !== 'POST') return answer(405, 'method not allowed', 'not a POST')
      if (req.url !== path) return answer(404, 'no such hook', 'unknown path')
      if (receiver.mode === 'fail') return answer(500, 'internal error')
      try {
        entry.body = JSON.parse(entry.raw)
      } catch {
        return answer(400, 'invalid_payload', 'not JSON')
      }
      const problem =
        kind === 'slack'
          ? checkSlack(entry.body)
          : kind === 'teams'
            ? checkTeams(entry.body)
            : checkWebhook(entry, raw, secret ?? '', seen)
      if (problem) return answer(400, kind === 'slack' ? 'invalid_payload' : problem, problem)
      // Slack answers 200 "ok"; a Teams workflow 202 (accepted, runs later); ours 204.
      if (kind === 'slack') return answer(200, 'ok')
      if (kind === 'teams') return answer(202, '')
      return answer(204, '')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`
  return receiver
}

function headersOf(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(req.headers))
    out[k] = Array.isArray(v) ? v.join(',') : String(v)
  return out
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * Slack's incoming webhook: `text` (required: it is the notification's fallback) and, if given,
 * `blocks` of known types within their limits. Answers as Slack does: 400 invalid_payload.
 */
export function checkSlack(body: unknown): string | undefined {
  if (!isObject(body)) return 'the payload is not a JSON object'
  if (typeof body.text !== 'string' || body.text.trim() === '') return 'no_text'
  if (body.blocks === undefined) return undefined
  if (!Array.isArray(body.blocks) || body.blocks.length > 50) return 'invalid_blocks'
  for (const block of body.blocks) {
    if (!isObject(block)) return 'invalid_blocks: not an object'
    const text = block.text as { type?: string; text?: string } | undefined
    switch (block.type) {
      case 'header':
        if (text?.type !== 'plain_text' || !text.text || text.text.length > 150)
          return 'invalid_blocks: header needs plain_text of at most 150 characters'
        break
      case 'section': {
        const fields = block.fields as { type?: string; text?: string }[] | undefined
        if (!text && !fields) return 'invalid_blocks: section needs text or fields'
        if (
          text &&
          (!['mrkdwn', 'plain_text'].includes(text.type ?? '') ||
            !text.text ||
            text.text.length > 3000)
        )
          return 'invalid_blocks: section text'
        if (fields && (fields.length > 10 || fields.some((f) => !f.text || f.text.length > 2000)))
          return 'invalid_blocks: section fields'
        break
      }
      case 'context':
        if (
          !Array.isArray(block.elements) ||
          block.elements.length === 0 ||
          block.elements.length > 10
        )
          return 'invalid_blocks: context elements'
        break
      default:
        return `invalid_blocks: unknown block type ${String(block.type)}`
    }
  }
  return undefined
}

/**
 * A Teams workflow webhook ("Send webhook alerts to a channel"): a `message` whose attachments
 * hold an Adaptive Card (contentType application/vnd.microsoft.card.adaptive, content.type
 * AdaptiveCard, a version, a body).
 */
export function checkTeams(body: unknown): string | undefined {
  if (!isObject(body)) return 'the payload is not a JSON object'
  if (body.type !== 'message') return 'type must be "message"'
  if (!Array.isArray(body.attachments) || body.attachments.length === 0)
    return 'attachments must be a non-empty list'
  for (const a of body.attachments) {
    if (!isObject(a) || a.contentType !== 'application/vnd.microsoft.card.adaptive')
      return 'an attachment is not an Adaptive Card'
    const card = a.content
    if (!isObject(card) || card.type !== 'AdaptiveCard') return 'content.type must be AdaptiveCard'
    if (typeof card.version !== 'string') return 'the card has no version'
    if (!Array.isArray(card.body) || card.body.length === 0) return 'the card has no body'
    for (const element of card.body)
      if (!isObject(element) || typeof element.type !== 'string')
        return 'a card element has no type'
  }
  return undefined
}

/**
 * The generic webhook, verified as the README tells a receiver to: the HMAC-SHA256 of the raw
 * body under the key, compared in constant time with X-Cutover-Signature-256; the timestamp
 * header equal to the body's and at most 5 minutes old; a delivery id never seen before.
 */
export function checkWebhook(
  entry: Received,
  raw: Buffer,
  secret: string,
  seen: Set<string>,
): string | undefined {
  const header = entry.headers['x-cutover-signature-256'] ?? ''
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`)
  const given = Buffer.from(header)
  entry.verified = expected.length === given.length && timingSafeEqual(expected, given)
  if (!entry.verified) return 'bad signature'
  const body = entry.body as Record<string, unknown>
  const timestamp = Number(entry.headers['x-cutover-timestamp'])
  if (!Number.isInteger(timestamp) || body.timestamp !== timestamp)
    return 'timestamp header missing or not the body timestamp'
  if (Math.abs(Date.now() / 1000 - timestamp) > MAX_AGE_S) return 'too old (replay?)'
  const id = entry.headers['x-cutover-delivery'] ?? ''
  if (!id || body.id !== id) return 'delivery id missing or not the body id'
  if (seen.has(id)) return 'delivery id seen before (replay)'
  seen.add(id)
  if (body.schema !== 'cutover.notification/1') return 'unknown schema'
  for (const field of ['event', 'service', 'environment', 'release', 'summary', 'run'])
    if (typeof body[field] !== 'string') return `missing ${field}`
  if (!Array.isArray(body.figures) || !Array.isArray(body.traffic)) return 'missing figures/traffic'
  return undefined
}
