/**
 * Smoke tests' pure parts as tables: parsing the `smoke` input (every refusal names the check,
 * the key, the value and what is allowed), placeholders, judging an answer, the verdict; and
 * runSmoke against local servers (a redirect is not followed, a dripping body is cut at the
 * deadline, a command gets its placeholders as argv).
 */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { load as loadYaml } from 'js-yaml'
import { ConfigurationError, silentLog, type Log } from '../../packages/action-kit/index.js'
import {
  excerpt,
  fillPlaceholders,
  judgeAnswer,
  parseSmoke,
  rolledBackOnFailure,
  runSmoke,
  SmokeFailed,
  smokeVerdict,
  type SmokeOutcome,
} from '../../packages/traffic/index.js'
import { ROOT } from '../harness.js'

describe('parseSmoke: valid input', () => {
  test.each<[string, unknown, unknown]>([
    ['nothing', undefined, undefined],
    ['empty string', '', undefined],
    [
      'an HTTP check with defaults',
      [{ url: 'http://{{address}}/health' }],
      [
        {
          kind: 'http',
          url: 'http://{{address}}/health',
          status: [200],
          timeoutMs: 10_000,
          retries: 0,
          intervalMs: 1000,
        },
      ],
    ],
    [
      'an HTTP check with every key',
      [
        {
          url: 'https://{{server}}.internal/{{slot}}/v',
          status: [200, '204'],
          body: 'ok',
          timeout: '2s',
          retries: 3,
          interval: '250ms',
        },
      ],
      [
        {
          kind: 'http',
          url: 'https://{{server}}.internal/{{slot}}/v',
          status: [200, 204],
          body: 'ok',
          timeoutMs: 2000,
          retries: 3,
          intervalMs: 250,
        },
      ],
    ],
    [
      'a command check, placeholders with spaces inside the braces',
      [{ command: ['./smoke.sh', '{{ address }}', 8], timeout: '30s' }],
      [{ kind: 'command', argv: ['./smoke.sh', '{{ address }}', '8'], timeoutMs: 30_000 }],
    ],
    [
      'a command check, default timeout',
      [{ command: ['true'] }],
      [{ kind: 'command', argv: ['true'], timeoutMs: 60_000 }],
    ],
  ])('%s', (_, value, expected) => {
    expect(parseSmoke(value)).toEqual(expected)
  })
})

describe('parseSmoke: refusals name the check, key, value and what is allowed', () => {
  const url = 'http://{{address}}/'
  test.each<[string, unknown, RegExp]>([
    [
      'a mapping, not a list',
      { url },
      /^Input 'smoke' is a mapping; allowed: a YAML list of checks/,
    ],
    [
      'a string',
      'curl http://x',
      /^Input 'smoke' is string "curl http:\/\/x"; allowed: a YAML list/,
    ],
    ['an empty list', [], /^Input 'smoke' is an empty list; allowed:/],
    [
      'too many checks',
      Array.from({ length: 21 }, () => ({ url })),
      /^Input 'smoke' has 21 checks; allowed: at most 20/,
    ],
    [
      'a check that is a string',
      ['http://x/'],
      /^Input 'smoke', check 1 is string "http:\/\/x\/"; allowed:/,
    ],
    ['neither url nor command', [{ status: 200 }], /check 1 has neither 'url' nor 'command'/],
    ['both url and command', [{ url, command: ['true'] }], /check 1 has both 'url' and 'command'/],
    [
      'an unknown key on an HTTP check',
      [{ url }, { url, header: 'x' }],
      /^Input 'smoke', check 2 has unknown key "header"; allowed for an HTTP check: url, status, body, timeout, retries, interval\.$/,
    ],
    [
      'an HTTP key on a command check',
      [{ command: ['true'], retries: 2 }],
      /check 1 has unknown key "retries"; allowed for a command check: command, timeout\./,
    ],
    [
      'an ftp URL',
      [{ url: 'ftp://{{address}}/x' }],
      /^Input 'smoke', check 1, key 'url' has the value "ftp:\/\/\{\{address\}\}\/x"; allowed: an http:\/\/ or https:\/\/ URL/,
    ],
    ['a URL that is a number', [{ url: 5 }], /check 1, key 'url' is number 5; allowed: an http/],
    [
      'an unknown placeholder',
      [{ url: 'http://{{host}}/' }],
      /check 1, key 'url' has the placeholder "\{\{host\}\}"; allowed: \{\{slot\}\}, \{\{server\}\}, \{\{address\}\}\./,
    ],
    [
      'an unknown placeholder in argv',
      [{ command: ['./s.sh', '{{port}}'] }],
      /check 1, key 'command' has the placeholder "\{\{port\}\}"/,
    ],
    [
      'status 700',
      [{ url, status: 700 }],
      /key 'status' has the value 700; allowed: an HTTP status from 100 to 599, or a list/,
    ],
    [
      'status 2xx',
      [{ url, status: '2xx' }],
      /key 'status' has the value "2xx"; allowed: an HTTP status/,
    ],
    ['status an empty list', [{ url, status: [] }], /key 'status' has the value \[\]; allowed/],
    [
      'timeout without a unit',
      [{ url, timeout: 5 }],
      /key 'timeout' has the value 5; allowed: a duration from 100ms to 5m/,
    ],
    [
      'timeout too long',
      [{ url, timeout: '10m' }],
      /key 'timeout' has the value "10m"; allowed: a duration from 100ms to 5m/,
    ],
    ['timeout too short', [{ url, timeout: '10ms' }], /key 'timeout' has the value "10ms"/],
    [
      'command timeout too long',
      [{ command: ['true'], timeout: '2h' }],
      /key 'timeout' has the value "2h"; allowed: a duration from 100ms to 30m/,
    ],
    [
      'retries -1',
      [{ url, retries: -1 }],
      /key 'retries' has the value -1; allowed: a whole number from 0 to 20/,
    ],
    ['retries 1.5', [{ url, retries: 1.5 }], /key 'retries' has the value 1.5/],
    [
      'interval words',
      [{ url, interval: 'soon' }],
      /key 'interval' has the value "soon"; allowed: a duration/,
    ],
    ['an empty body', [{ url, body: '' }], /key 'body' is empty/],
    [
      'a body that is a list',
      [{ url, body: ['a'] }],
      /key 'body' is a list; allowed: a text the body must contain \(a substring/,
    ],
    [
      'a command that is a shell string',
      [{ command: 'curl -f http://x' }],
      /key 'command' is string "curl -f http:\/\/x"; allowed: an argv list/,
    ],
    [
      'an empty command',
      [{ command: [] }],
      /key 'command' is an empty list; allowed: an argv list/,
    ],
    [
      'a command with a mapping in it',
      [{ command: ['a', { b: 1 }] }],
      /key 'command' is a list with a value that is not a string/,
    ],
  ])('%s', (_, value, message) => {
    expect(() => parseSmoke(value)).toThrow(ConfigurationError)
    expect(() => parseSmoke(value)).toThrow(message)
  })

  test('a URL with credentials is refused without echoing them', () => {
    const value = [{ url: 'https://deploy:hunter2-secret@{{address}}/health' }]
    expect(() => parseSmoke(value)).toThrow(
      /check 1, key 'url' has a URL with a user name or password in it/,
    )
    try {
      parseSmoke(value)
    } catch (e) {
      expect((e as Error).message).not.toContain('hunter2')
    }
  })
})

describe('parseSmoke: from a file, refusals name the file, the check and the key, never a value', () => {
  test.each<[string, unknown, string]>([
    [
      'a mapping',
      { url: 'http://tok-SECRET/' },
      `Input 'smoke' (the file "ci/smoke.yml") is a mapping; allowed: a YAML list of checks`,
    ],
    [
      'a string check',
      ['http://tok-SECRET/'],
      `Input 'smoke' (the file "ci/smoke.yml"), check 1 is a string; allowed:`,
    ],
    [
      'a bad status',
      [{ url: 'http://{{address}}/', status: 'tok-SECRET' }],
      `check 1, key 'status' has a value not shown here (it comes from the file "ci/smoke.yml"); allowed: an HTTP status`,
    ],
    [
      'a bad timeout',
      [{ url: 'http://{{address}}/', timeout: 'tok-SECRET' }],
      `key 'timeout' has a value not shown here`,
    ],
    [
      'a bad retries',
      [{ url: 'http://{{address}}/', retries: 'tok-SECRET' }],
      `key 'retries' has a value not shown here`,
    ],
    [
      'an ftp URL',
      [{ url: 'ftp://tok-SECRET/' }],
      `check 1, key 'url' has a value not shown here (it comes from the file "ci/smoke.yml"); allowed: an http:// or https:// URL.`,
    ],
    [
      'a URL with credentials',
      [{ url: 'https://u:tok-SECRET@h/' }],
      `key 'url' has a URL with a user name or password in it (not shown: it comes from a file)`,
    ],
    [
      'an unknown placeholder',
      [{ url: 'http://{{tok-SECRET}}/' }],
      `key 'url' has an unknown placeholder (not shown: it comes from a file); allowed: {{slot}}`,
    ],
    [
      'a shell string',
      [{ command: 'tok-SECRET --x' }],
      `key 'command' is a string; allowed: an argv list`,
    ],
  ])('%s', (_, value, message) => {
    let thrown: unknown
    try {
      parseSmoke(value, { file: 'ci/smoke.yml' })
    } catch (e) {
      thrown = e
    }
    expect(thrown).toBeInstanceOf(ConfigurationError)
    expect((thrown as Error).message).toContain(message)
    expect((thrown as Error).message).not.toContain('SECRET')
  })
})

test.each<[string, string]>([
  ['http://{{address}}/healthz/{{slot}}', 'http://10.0.0.5:8080/healthz/green'],
  ['{{ server }}:{{server}}', 'web-green-2:web-green-2'],
  ['{{other}} stays', '{{other}} stays'],
])('fillPlaceholders %s', (text, expected) => {
  expect(
    fillPlaceholders(text, { slot: 'green', server: 'web-green-2', address: '10.0.0.5:8080' }),
  ).toEqual(expected)
})

describe('judgeAnswer', () => {
  test.each<
    [
      string,
      { status: number[]; body?: string },
      { status: number; body: string; location?: string },
      boolean,
      RegExp,
    ]
  >([
    ['200 wanted, 200', { status: [200] }, { status: 200, body: '' }, true, /^HTTP 200$/],
    [
      '200 wanted, 500',
      { status: [200] },
      { status: 500, body: 'boom' },
      false,
      /^HTTP 500, expected 200$/,
    ],
    ['a list', { status: [200, 204] }, { status: 204, body: '' }, true, /^HTTP 204$/],
    [
      'a redirect is not the status asked for',
      { status: [200] },
      { status: 302, body: '', location: '"http://x/login"' },
      false,
      /^HTTP 302 redirect to "http:\/\/x\/login" \(redirects are not followed\), expected 200$/,
    ],
    ['a redirect asked for', { status: [301, 302] }, { status: 302, body: '' }, true, /^HTTP 302$/],
    [
      'body substring found',
      { status: [200], body: '"version":"v2"' },
      { status: 200, body: '{"slot":"green","version":"v2"}' },
      true,
      /body contains/,
    ],
    [
      'body substring missing',
      { status: [200], body: '"version":"v2"' },
      { status: 200, body: '{"version":"v1"}' },
      false,
      /^HTTP 200, but the body does not contain "\\"version\\":\\"v2\\""$/,
    ],
    [
      'body is not a regex',
      { status: [200], body: 'v.' },
      { status: 200, body: 'v2' },
      false,
      /does not contain/,
    ],
    [
      'body match is case-sensitive',
      { status: [200], body: 'OK' },
      { status: 200, body: 'ok' },
      false,
      /does not contain/,
    ],
  ])('%s', (_, check, answer, passed, why) => {
    const judged = judgeAnswer(check, answer)
    expect(judged.passed).toBe(passed)
    expect(judged.why).toMatch(why)
  })
})

describe('excerpt', () => {
  test.each<[string, string, string]>([
    ['one line, quoted', 'line one\nline two', '"line one line two"'],
    ['empty', '  \n', '(empty)'],
    ['a workflow command cannot start a line', '::add-mask::x', '"::add-mask::x"'],
    ['legacy ##[ is broken', '##[error]x', '"##\u200B[error]x"'],
  ])('%s', (_, text, expected) => {
    expect(excerpt(text)).toBe(expected)
  })
  test('a long body is capped and says how much more there was', () => {
    const shown = excerpt('a'.repeat(5000))
    expect(shown.length).toBeLessThan(260)
    expect(shown).toMatch(/…\(4800 more characters\)$/)
  })
})

describe('smokeVerdict', () => {
  const o = (server: string, passed: boolean, answer = 'HTTP 200'): SmokeOutcome => ({
    server,
    address: `${server}:80`,
    check: 'GET http://x/',
    passed,
    attempts: 1,
    answer,
    elapsedMs: 1,
  })
  test.each<[string, SmokeOutcome[], boolean, string[], RegExp]>([
    ['every server passed', [o('a', true), o('b', true)], true, [], /^$/],
    [
      'one of three failed',
      [o('a', true), o('b', false, 'HTTP 500, expected 200'), o('c', true)],
      false,
      ['b'],
      /^smoke test failed on server b \(b:80\) of slot green: GET http:\/\/x\/ answered HTTP 500, expected 200$/,
    ],
    [
      'two failed: the first named, the other counted',
      [o('a', false, 'HTTP 500'), o('b', true), o('c', false, 'HTTP 404')],
      false,
      ['a', 'c'],
      /^smoke test failed on server a .*\(and 1 more server: c\)$/,
    ],
  ])('%s', (_, outcomes, passed, failed, reason) => {
    const verdict = smokeVerdict('green', outcomes)
    expect(verdict.passed).toBe(passed)
    expect(verdict.failedServers).toEqual(failed)
    expect(verdict.reason).toMatch(reason)
  })
})

describe('runSmoke against local servers', () => {
  let server: Server
  let address: string
  const lines: string[] = []
  const log: Log = { ...silentLog, info: (m) => lines.push(m) }
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/ok') return void res.end('{"version":"v2"}')
      if (req.url === '/redirect') {
        res.writeHead(302, { location: '/ok?token=secret-in-query' })
        return void res.end()
      }
      if (req.url === '/drip') {
        res.writeHead(200)
        const timer = setInterval(() => res.write('x'), 100)
        res.on('close', () => clearInterval(timer))
        return
      }
      res.writeHead(500)
      res.end('::error::broken\nsecond line')
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    address = `127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise((r) => server.close(r))
  })
  beforeEach(() => {
    lines.length = 0
  })
  const one = () => [{ name: 'web-1', address }]

  test('passes; the log says each server and check', async () => {
    const checks = parseSmoke([{ url: 'http://{{address}}/ok', body: '"version":"v2"' }])!
    const result = await runSmoke(checks, 'green', one(), log)
    expect(result.passed).toBe(true)
    expect(lines.join('\n')).toContain(`smoke web-1 (${address}): GET http://${address}/ok: passed`)
  })

  test('a redirect is not followed and its query is never shown', async () => {
    const checks = parseSmoke([{ url: 'http://{{address}}/redirect' }])!
    const result = await runSmoke(checks, 'green', one(), log)
    expect(result.passed).toBe(false)
    expect(result.reason).toMatch(
      /HTTP 302 redirect to "http:\/\/127\.0\.0\.1:\d+\/ok" \(redirects are not followed\), expected 200/,
    )
    expect(JSON.stringify(result)).not.toContain('secret-in-query')
  })

  test('a failing answer: status and a neutralised body excerpt, retried', async () => {
    const checks = parseSmoke([{ url: 'http://{{address}}/fail', retries: 1, interval: '100ms' }])!
    const result = await runSmoke(checks, 'green', one(), log)
    expect(result.passed).toBe(false)
    expect(result.outcomes[0]?.attempts).toBe(2)
    expect(result.reason).toMatch(
      /answered HTTP 500, expected 200 in \d+ ms; body "::error::broken second line"/,
    )
    expect(lines.some((l) => /retrying in 100ms/.test(l))).toBe(true)
  })

  test('a body that drips is cut off at the deadline (it covers the whole exchange)', async () => {
    const checks = parseSmoke([
      { url: 'http://{{address}}/drip', body: 'never', timeout: '500ms' },
    ])!
    const result = await runSmoke(checks, 'green', one(), log)
    expect(result.passed).toBe(false)
    expect(result.reason).toMatch(
      /no complete answer within 500ms \(the deadline covers connect, headers and body\)/,
    )
  })

  test('a refused connection names the server', async () => {
    const closed = createServer()
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r))
    const port = (closed.address() as AddressInfo).port
    await new Promise((r) => closed.close(r))
    const checks = parseSmoke([{ url: 'http://{{address}}/ok', timeout: '5s' }])!
    const gone = { name: 'gone', address: `127.0.0.1:${port}` }
    const result = await runSmoke(checks, 'blue', [gone], log)
    expect(result.reason).toMatch(
      /^smoke test failed on server gone \(127\.0\.0\.1:\d+\) of slot blue: .*request failed: ECONNREFUSED/,
    )
  })

  test('a command gets the placeholders as argv and in its environment', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smoke-unit-'))
    const script = join(dir, 'check.sh')
    writeFileSync(
      script,
      '#!/bin/sh\n[ "$1" = "$CUTOVER_ADDRESS" ] && [ "$2" = "green" ] && [ "$CUTOVER_SERVER" = "web-1" ] || { echo "got $1 $2"; exit 3; }\n',
    )
    chmodSync(script, 0o755)
    const ok = await runSmoke(
      parseSmoke([{ command: [script, '{{address}}', '{{slot}}'], timeout: '10s' }])!,
      'green',
      one(),
      log,
    )
    expect(ok.passed).toBe(true)
    const bad = await runSmoke(
      parseSmoke([{ command: [script, 'nope', '{{slot}}'], timeout: '10s' }])!,
      'green',
      one(),
      log,
    )
    expect(bad.passed).toBe(false)
    expect(bad.reason).toMatch(/answered exit code 3 in \d+ ms; output "got nope green"/)
  })

  test('a slot with no server fails', async () => {
    const result = await runSmoke(parseSmoke([{ url: 'http://{{address}}/' }])!, 'blue', [], log)
    expect(result.passed).toBe(false)
    expect(result.reason).toMatch(/lists no server in slot blue/)
  })

  test('a SmokeFailed sets phase smoke, rolled-back false and the reason', async () => {
    const result = await runSmoke(
      parseSmoke([{ url: 'http://{{address}}/fail' }])!,
      'green',
      one(),
      log,
    )
    expect(rolledBackOnFailure(new SmokeFailed('x', result))).toEqual({
      phase: 'smoke',
      'rolled-back': 'false',
      reason: result.reason,
    })
  })
})

describe('the reusable workflows pass smoke to the step that first moves traffic, and only there', () => {
  const jobsOf = (file: string) =>
    (
      loadYaml(readFileSync(join(ROOT, '.github/workflows', file), 'utf8')) as {
        jobs: Record<string, { steps?: { with?: Record<string, string> }[] }>
      }
    ).jobs
  const withSmoke = (file: string) =>
    Object.entries(jobsOf(file))
      .filter(([, job]) => (job.steps ?? []).some((s) => s.with?.smoke !== undefined))
      .map(([name, job]) => [name, job.steps?.find((s) => s.with?.smoke)?.with?.smoke])

  test.each<[string, string[][]]>([
    ['deploy-blue-green.yml', [['switch', '${{ inputs.smoke }}']]],
    [
      'deploy-canary.yml',
      [
        ['canary', '${{ inputs.smoke }}'],
        ['step-1', '${{ inputs.smoke }}'],
      ],
    ],
  ])('%s', (file, expected) => {
    expect(withSmoke(file)).toEqual(expected)
  })
})
