/**
 * The repository's .github/cutover.yml and the service's settings: what is accepted, and the
 * clear error (naming key, value and what is allowed) for what is not. Secrets never appear.
 */
import { writeFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readPauseConfig } from '../../apps/protection-rule/src/repo-config.js'
import { settingsFrom } from '../../apps/protection-rule/src/settings.js'

const file = (entry: string) => `protection-rule:\n  production-pause:\n${entry}`
const GOOD = `    service: web
    environment: production
    prometheus: http://prometheus.internal:9090
    pause: 1m
    gate: |
      interval: 10s
      checks:
        - name: errors
          query: sum(rate(http_requests_total{slot="{{canary}}",code="500"}[1m]))
          max: 0.05
`

describe('readPauseConfig', () => {
  it('reads an environment: service, environment, pause and the gate (canary-step YAML)', () => {
    const c = readPauseConfig(file(GOOD), 'production-pause')
    expect([c.service, c.environment, c.pauseMs]).toEqual(['web', 'production', 60_000])
    expect(c.gate.prometheus).toBe('http://prometheus.internal:9090')
    // One look per interval through the pause, like canary-step's gate over a step.
    expect([c.gate.settings.interval, c.gate.settings.count]).toEqual([10_000, 6])
    const bound = c.gate.bind({ canary: 'green', stable: 'blue' })
    expect(bound.checks[0]!.query).toContain('slot="green"')
  })

  it('takes the gate as a mapping too', () => {
    const text = `protection-rule:
  p:
    service: web
    environment: production
    pause: 30s
    gate:
      prometheus: http://p:9090
      interval: 5s
      checks: [{ name: up, query: up, min: 1 }]
`
    expect(readPauseConfig(text, 'p').gate.settings.count).toBe(6)
  })

  it("adds the service's Prometheus credentials as a header, never from the file", () => {
    const origins = ['http://prometheus.internal:9090']
    const c = readPauseConfig(file(GOOD), 'production-pause', { bearerToken: 's3cret', origins })
    expect(c.gate.secrets).toEqual(['Bearer s3cret'])
    const basic = readPauseConfig(file(GOOD), 'production-pause', {
      username: 'u',
      password: 'p',
      origins,
    })
    expect(basic.gate.secrets).toEqual([`Basic ${Buffer.from('u:p').toString('base64')}`])
  })

  it.each<[string, string, string[] | undefined]>([
    [
      'another host (a commit could name its own server)',
      'https://evil.example',
      ['http://prometheus.internal:9090'],
    ],
    ['another port', 'http://prometheus.internal:9091', ['http://prometheus.internal:9090']],
    ['another scheme', 'https://prometheus.internal:9090', ['http://prometheus.internal:9090']],
    ['no allowed origins at all', 'http://prometheus.internal:9090', undefined],
  ])("never sends the service's Prometheus credentials to %s", (_name, url, origins) => {
    const text = file(GOOD.replace('http://prometheus.internal:9090', url))
    let error: Error | undefined
    try {
      readPauseConfig(text, 'production-pause', {
        bearerToken: 's3cret',
        ...(origins ? { origins } : {}),
      })
    } catch (e) {
      error = e as Error
    }
    expect(error?.message).toMatch(
      /protection-rule\.production-pause\.prometheus is .*; allowed: a URL on .*PROMETHEUS_ALLOWED_URLS/,
    )
    expect(error?.message).not.toContain('s3cret')
  })

  it('refuses prometheus-headers that are not a mapping when the service adds its credentials', () => {
    const text = file(
      GOOD.replace('      interval: 10s', '      interval: 10s\n      prometheus-headers: str'),
    )
    expect(() =>
      readPauseConfig(text, 'production-pause', {
        bearerToken: 't',
        origins: ['http://prometheus.internal:9090'],
      }),
    ).toThrow(/prometheus-headers must be a mapping/)
  })

  it.each<[string, string, string, RegExp]>([
    [
      'an environment not in the file',
      file(GOOD),
      'staging-pause',
      /no entry for environment "staging-pause".*it has "production-pause"/,
    ],
    [
      'no protection-rule section',
      'other: 1\n',
      'production-pause',
      /has no 'protection-rule' mapping/,
    ],
    ['not YAML', 'protection-rule: [\n', 'production-pause', /not valid YAML/],
    [
      'an unknown key',
      file(GOOD + '    extra: 1\n'),
      'production-pause',
      /unknown key "extra"; allowed: service, environment, prometheus, gate, pause/,
    ],
    [
      'no service',
      file(GOOD.replace('    service: web\n', '')),
      'production-pause',
      /service is missing; allowed: a name/,
    ],
    [
      'a bad environment',
      file(GOOD.replace('environment: production', 'environment: "a b"')),
      'production-pause',
      /environment is "a b"/,
    ],
    ['no pause', file(GOOD.replace('    pause: 1m\n', '')), 'production-pause', /pause is missing/],
    [
      'a pause too short',
      file(GOOD.replace('pause: 1m', 'pause: 100ms')),
      'production-pause',
      /pause has the value "100ms"; allowed: from 1s/,
    ],
    [
      'no gate',
      file(GOOD.slice(0, GOOD.indexOf('    gate:'))),
      'production-pause',
      /gate is missing.*nothing is approved/,
    ],
    [
      'prometheus twice',
      file(
        GOOD.replace('      interval: 10s', '      interval: 10s\n      prometheus: http://x:9090'),
      ),
      'production-pause',
      /'prometheus' twice/,
    ],
    [
      'a bad gate key',
      file(GOOD.replace('      interval: 10s', '      intervall: 10s')),
      'production-pause',
      /unknown key "intervall"/,
    ],
    [
      'no prometheus at all',
      file(GOOD.replace('    prometheus: http://prometheus.internal:9090\n', '')),
      'production-pause',
      /prometheus' is required/,
    ],
  ])('refuses %s', (_name, text, env, message) => {
    expect(() => readPauseConfig(text, env)).toThrow(message)
  })

  it('refuses an Authorization header in the file when the service has credentials', () => {
    const text = file(
      GOOD.replace(
        '      interval: 10s',
        '      interval: 10s\n      prometheus-headers: { Authorization: x }',
      ),
    )
    expect(() =>
      readPauseConfig(text, 'production-pause', {
        bearerToken: 't',
        origins: ['http://prometheus.internal:9090'],
      }),
    ).toThrow(/sets Authorization/)
  })
})

describe('settingsFrom', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pr-settings-'))
  const KEY = '-----BEGIN RSA PRIVATE KEY-----\nMIIB...\n-----END RSA PRIVATE KEY-----\n'
  const keyFile = join(dir, 'key.pem')
  writeFileSync(keyFile, KEY)
  const base = {
    CUTOVER_APP_ID: '123',
    CUTOVER_APP_PRIVATE_KEY_FILE: keyFile,
    CUTOVER_WEBHOOK_SECRET: 'whsec',
  }

  it('reads the settings, secrets from files or variables', () => {
    const s = settingsFrom({
      ...base,
      PORT: '8080',
      PROMETHEUS_BEARER_TOKEN: 'tok',
      PROMETHEUS_ALLOWED_URLS: 'https://prom.internal:9090/, http://10.0.0.5:9090',
    })
    expect(s).toMatchObject({ appId: '123', port: 8080, host: '0.0.0.0', webhookSecret: 'whsec' })
    expect(s.privateKey).toBe(KEY.trimEnd())
    expect(s.prometheusAuth).toEqual({
      bearerToken: 'tok',
      origins: ['https://prom.internal:9090', 'http://10.0.0.5:9090'],
    })
    expect(settingsFrom(base).port).toBe(3000)
  })

  it.each<[string, Record<string, string | undefined>, RegExp]>([
    ['no app id', { CUTOVER_APP_ID: undefined }, /CUTOVER_APP_ID is missing/],
    [
      'a bad app id',
      { CUTOVER_APP_ID: 'abc' },
      /CUTOVER_APP_ID is "abc"; allowed: the App's numeric id/,
    ],
    [
      'no key',
      { CUTOVER_APP_PRIVATE_KEY_FILE: undefined },
      /CUTOVER_APP_PRIVATE_KEY \(or CUTOVER_APP_PRIVATE_KEY_FILE\) is required/,
    ],
    [
      'a key that is not PEM',
      { CUTOVER_APP_PRIVATE_KEY_FILE: undefined, CUTOVER_APP_PRIVATE_KEY: 'hunter2' },
      /not a PEM private key.*value not shown/,
    ],
    ['both a key and a key file', { CUTOVER_APP_PRIVATE_KEY: KEY }, /both set/],
    ['a missing key file', { CUTOVER_APP_PRIVATE_KEY_FILE: join(dir, 'nope') }, /cannot be read/],
    [
      'no webhook secret',
      { CUTOVER_WEBHOOK_SECRET: undefined },
      /CUTOVER_WEBHOOK_SECRET \(or CUTOVER_WEBHOOK_SECRET_FILE\) is required/,
    ],
    ['a bad port', { PORT: '99999' }, /PORT is "99999"/],
    [
      'a GitHub URL with credentials',
      { CUTOVER_GITHUB_URL: 'https://u:p@github.example' },
      /CUTOVER_GITHUB_URL is not an http\(s\) URL without credentials/,
    ],
    ['a user without a password', { PROMETHEUS_USERNAME: 'u' }, /go together/],
    [
      'Prometheus credentials without the URLs they may go to',
      { PROMETHEUS_BEARER_TOKEN: 'hunter2' },
      /PROMETHEUS_ALLOWED_URLS is required with Prometheus credentials/,
    ],
    [
      'an allowed URL with credentials in it',
      { PROMETHEUS_BEARER_TOKEN: 't', PROMETHEUS_ALLOWED_URLS: 'http://u:hunter2@p:9090' },
      /PROMETHEUS_ALLOWED_URLS has .*allowed: http\(s\) URLs without credentials/,
    ],
    [
      'a token and a user',
      { PROMETHEUS_BEARER_TOKEN: 't', PROMETHEUS_USERNAME: 'u', PROMETHEUS_PASSWORD: 'p' },
      /both set/,
    ],
  ])('refuses %s', (_name, change, message) => {
    let error: Error | undefined
    try {
      settingsFrom({ ...base, ...change })
    } catch (e) {
      error = e as Error
    }
    expect(error?.message).toMatch(message)
    // No secret is ever quoted back.
    expect(error?.message).not.toMatch(/hunter2|whsec|MIIB/)
  })
})
