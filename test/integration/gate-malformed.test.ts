/**
 * metrics-gate through its bundle against a Prometheus stand-in (a local HTTP server) that
 * answers each malformed, partial, stale or non-finite answer of issue 18 item 7, and one that
 * drips its answer a byte at a time (item 6). Each is an error for that look, counted toward
 * consecutive-error-limit: never read as 0, never a pass.
 */
import { createServer, type Server, type ServerResponse } from 'node:http'
import { runAction } from '../harness.js'

let server: Server
let url = ''
/** What the stand-in does with the next request. */
let respond: (res: ServerResponse) => void = (res) => res.end()
let asked = 0

beforeAll(async () => {
  server = createServer((req, res) => {
    asked += 1
    req.resume()
    req.on('end', () => respond(res))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`
})
afterAll(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))))
beforeEach(() => (asked = 0))

const now = () => Date.now() / 1000
/** A successful instant-query answer with one series whose sample is `sample()`. */
const vector =
  (series: () => unknown, extra: Record<string, unknown> = {}) =>
  () =>
    JSON.stringify({
      status: 'success',
      data: { resultType: 'vector', result: [series()] },
      ...extra,
    })
const withValue = (value: unknown, stamp = now) =>
  vector(() => ({ metric: {}, value: [stamp(), value] }))
const zero = () => ({ metric: {}, value: [now(), '0'] })

const gate = (check: Record<string, unknown>, inputs: Record<string, string> = {}) =>
  runAction('metrics-gate', {
    inputs: {
      prometheus: url,
      checks: [{ name: 'c', query: 'sum(rate(errors_total[1m]))', ...check }],
      interval: '100ms',
      count: '1',
      'consecutive-error-limit': '0',
      ...inputs,
    },
  })

describe('each malformed answer is an error for that look, never a pass', () => {
  type Row = [string, () => string, Record<string, unknown>, string]
  test.each<Row>([
    ['a value that is null', withValue(null), { max: 1 }, 'a sample whose value is null'],
    [
      'a missing value',
      vector(() => ({ metric: {}, value: [now()] })),
      { max: 1 },
      'a sample that is a list of 1',
    ],
    ['an empty string', withValue(''), { max: 1 }, 'a sample whose value is an empty string'],
    ['an object', withValue({ value: '0' }), { max: 1 }, 'a sample whose value is an object'],
    [
      'a series without a value',
      vector(() => ({ metric: {} })),
      { max: 1 },
      'a series without a value',
    ],
    [
      'a sample that is null',
      vector(() => ({ metric: {}, value: null })),
      { max: 1 },
      'a sample that is null',
    ],
    [
      'warnings (partial)',
      vector(zero, { warnings: ['store eu-1 unreachable'] }),
      { max: 1 },
      'flagged its answer as partial or doubtful (warnings: store eu-1 unreachable)',
    ],
    [
      'isPartial',
      vector(zero, { isPartial: true }),
      { max: 1 },
      'flagged its answer as partial or doubtful (isPartial)',
    ],
    [
      'a sample an hour old',
      withValue('0', () => now() - 3600),
      { max: 1 },
      'before the time asked for',
    ],
    ['+Inf against min', withValue('+Inf'), { min: 0 }, 'the query returned +Inf'],
    ['-Inf against max', withValue('-Inf'), { max: 1 }, 'the query returned -Inf'],
    ['NaN against max', withValue('NaN'), { max: 1 }, 'the query returned NaN'],
    [
      '1e999 against min',
      withValue('1e999'),
      { min: 0 },
      'the query returned 1e999, beyond the range of a number',
    ],
  ])('%s', async (_name, answer, check, message) => {
    respond = (res) => res.writeHead(200, { 'content-type': 'application/json' }).end(answer())
    const run = await gate(check)
    expect(asked).toBe(1)
    expect(run.exitCode).toBe(1)
    expect(run.outputs.verdict).toBe('fail')
    expect(run.errors[0]).toContain(
      'c could not be measured 1 time(s) in a row, more than consecutive-error-limit 0',
    )
    expect(run.errors[0]).toContain(message)
    const report = JSON.parse(run.outputs.report ?? '{}') as {
      measurements: { outcome: string; value?: number }[]
    }
    expect(report.measurements).toEqual([expect.objectContaining({ outcome: 'error' })])
    expect(report.measurements[0]!.value).toBeUndefined()
  })

  test('the same answer, well formed, passes: the stand-in is not failing everything', async () => {
    respond = (res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(withValue('0')())
    const run = await gate({ max: 1 })
    expect(run.errors).toEqual([])
    expect(run.outputs.verdict).toBe('pass')
  })

  test('with the default consecutive-error-limit, a count: 1 gate on a null value ends inconclusive', async () => {
    respond = (res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(withValue(null)())
    const run = await gate({ max: 1 }, { 'consecutive-error-limit': '4' })
    expect(run.exitCode).toBe(1)
    expect(run.outputs.verdict).toBe('inconclusive')
    expect(run.errors[0]).toContain('c never produced a value (1 error(s))')
  })
})

describe('a Prometheus that drips its answer is cut off at the deadline', () => {
  /** Writes `text` one byte every 200 ms, and never ends on its own. */
  function drip(res: ServerResponse, text: string) {
    let i = 0
    const timer = setInterval(() => {
      if (res.destroyed) return clearInterval(timer)
      res.write(text[i % text.length]!)
      i += 1
    }, 200)
    res.on('close', () => clearInterval(timer))
  }

  test('headers sent, then the body one byte at a time: the look errors and the gate ends', async () => {
    respond = (res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.flushHeaders()
      drip(res, ' ')
    }
    const run = await gate({ max: 1 }, { 'prometheus-timeout': '1s' })
    expect(run.exitCode).toBe(1)
    expect(run.outputs.verdict).toBe('fail')
    expect(run.errors[0]).toContain(
      'gave no complete answer within the 1s deadline (prometheus-timeout; it bounds the whole exchange, not the wait between bytes)',
    )
  }, 30_000)

  test('the status line itself one byte at a time: cut off the same way', async () => {
    respond = (res) => {
      // Bypass the HTTP writer: the raw socket gets the status line byte by byte.
      const socket = res.socket!
      let i = 0
      const line = 'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n'
      const timer = setInterval(() => {
        if (socket.destroyed) return clearInterval(timer)
        socket.write(line[i % line.length]!)
        i += 1
      }, 200)
      socket.on('close', () => clearInterval(timer))
    }
    const run = await gate({ max: 1 }, { 'prometheus-timeout': '1s' })
    expect(run.exitCode).toBe(1)
    expect(run.outputs.verdict).toBe('fail')
    expect(run.errors[0]).toContain('gave no complete answer within the 1s deadline')
  }, 30_000)

  test('a prometheus-timeout outside 1s to 5m is refused before any query', async () => {
    const run = await gate({ max: 1 }, { 'prometheus-timeout': '10m' })
    expect(run.exitCode).toBe(1)
    expect(asked).toBe(0)
    expect(run.errors[0]).toBe(
      `Configuration error: Input 'prometheus-timeout' has the value "10m"; allowed: from 1s to 5m (the deadline of each exchange with Prometheus).`,
    )
  })
})
