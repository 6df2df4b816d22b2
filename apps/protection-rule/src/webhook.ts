/**
 * The HTTP side: reads a delivery's raw body (bounded in size and time), checks its
 * X-Hub-Signature-256 with octokit's webhooks before anything in it is read, and only then parses it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'

/** GitHub caps payloads at 25 MB; a protection-rule event is a few KB. */
export const MAX_BODY_BYTES = 1024 * 1024
export const BODY_TIMEOUT_MS = 10_000

export class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

/** The raw body, refused past `limit` bytes or `timeoutMs`. */
export function readBody(
  req: IncomingMessage,
  limit = MAX_BODY_BYTES,
  timeoutMs = BODY_TIMEOUT_MS,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const timer = setTimeout(() => {
      reject(new BodyError(408, `the body did not arrive within ${timeoutMs / 1000} s`))
      req.destroy()
    }, timeoutMs)
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        clearTimeout(timer)
        reject(new BodyError(413, `the body is larger than ${limit} bytes`))
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => {
      clearTimeout(timer)
      resolve(Buffer.concat(chunks))
    })
    req.on('error', (e) => {
      clearTimeout(timer)
      reject(e)
    })
  })
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()]
  return Array.isArray(v) ? v[0] : v
}

export function sendJson(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  })
  res.end(text)
}
