/**
 * Notifications through the bundles, on real HAProxy and Prometheus, received by local Slack-,
 * Teams- and webhook-shaped receivers that check each payload (and the signature) as the real
 * services would. A receiver that answers 500 or never answers costs a warning, never the step;
 * a rollback moves traffic before it notifies; URLs and keys never appear in what a step writes.
 */
import { openRouter, parseRouterConfig, type Weights } from '../../packages/router/index.js'
import { startSandbox, type Sandbox } from '../../scripts/sandbox/index.js'
import { startReceiver, type Receiver, type ReceiverMode } from '../../scripts/sandbox/receivers.js'
import { expectNoSecret, runAction as runActionAs, startAction } from '../harness.js'

const RELEASE = `registry.example/acme/orders@sha256:${'a'.repeat(64)}`
const RUN_URL = 'https://github.com/acme/orders/actions/runs/4242/attempts/1'

/** Records off: notifications are about traffic (records are tested with the fake GitHub). */
const base = { record: 'false', environment: 'production', service: 'orders', image: RELEASE }
const runAction = (action: string, inputs: Record<string, unknown>) =>
  runActionAs(action, { inputs: { ...base, ...inputs } as never })

let sandbox: Sandbox
const receivers: Receiver[] = []
beforeAll(async () => {
  sandbox = await startSandbox({ haproxy: true, prometheus: true })
})
afterAll(async () => {
  for (const r of receivers) await r.stop()
  await sandbox?.stop()
})

const router = () => sandbox.haproxy!.router
const haproxy = () => openRouter(parseRouterConfig(router()))
const readWeights = (): Promise<Weights> => haproxy().read()
beforeEach(async () => {
  await haproxy().write({ blue: 100, green: 0 })
})

async function receiver(kind: 'slack' | 'teams' | 'webhook', mode: ReceiverMode = 'ok') {
  const r = await startReceiver(kind, { mode })
  receivers.push(r)
  return r
}

/** All three kinds, and the `notify` YAML that names them. */
async function threeReceivers(mode: ReceiverMode = 'ok') {
  const slack = await receiver('slack', mode)
  const teams = await receiver('teams', mode)
  const webhook = await receiver('webhook', mode)
  const notify = `- slack: ${slack.url}\n- teams: ${teams.url}\n- webhook: ${webhook.url}\n  secret: ${webhook.secret}\n`
  return { slack, teams, webhook, notify, all: [slack, teams, webhook] }
}

interface Body {
  event: string
  action: string
  service: string
  environment: string
  release: string
  summary: string
  verdict?: string
  reason?: string
  figures: { check: string; value?: number; outcome?: string }[]
  traffic: { router: string; blue: number | null; green: number | null }[]
  run: string
}
const bodies = (r: Receiver): Body[] => r.accepted().map((x) => x.body as Body)
const events = (r: Receiver): string[] => bodies(r).map((b) => b.event)
const slackText = (r: Receiver): string[] =>
  r.accepted().map((x) => JSON.stringify((x.body as { blocks: unknown }).blocks))
const teamsCard = (r: Receiver): string[] =>
  r.accepted().map((x) => JSON.stringify((x.body as { attachments: unknown }).attachments))

function expectSecretsHidden(run: Parameters<typeof expectNoSecret>[0], rs: Receiver[]) {
  for (const r of rs) {
    expectNoSecret(run, r.url)
    expectNoSecret(run, new URL(r.url).pathname)
    if (r.secret) expectNoSecret(run, r.secret)
  }
}

const gate = (value: number) => ({
  prometheus: sandbox.prometheus!.url,
  interval: '1s',
  count: 1,
  checks: [{ name: 'error-rate', query: `vector(${value})`, max: 0.05 }],
})

test('blue-green-switch: start and pass reach Slack, Teams and the signed webhook with every fact', async () => {
  const r = await threeReceivers()
  const run = await runAction('blue-green-switch', { router: router(), notify: r.notify })
  expect(run.exitCode).toBe(0)
  expect(await readWeights()).toEqual({ blue: 0, green: 100 })
  for (const x of r.all) {
    // Each receiver checked the shape (and the signature): nothing was refused.
    expect(x.received.map((e) => e.problem)).toEqual([undefined, undefined])
  }
  expect(events(r.webhook).sort()).toEqual(['pass', 'start'])
  expect(r.webhook.accepted().every((x) => x.verified)).toBe(true)
  const pass = bodies(r.webhook).find((b) => b.event === 'pass')!
  expect(pass).toMatchObject({
    action: 'blue-green-switch',
    service: 'orders',
    environment: 'production',
    release: RELEASE,
    summary: 'switched blue → green',
    run: RUN_URL,
    traffic: [{ router: expect.stringContaining('haproxy'), blue: 0, green: 100 }],
  })
  expect(slackText(r.slack).join()).toContain('orders in production: passed')
  expect(slackText(r.slack).join()).toContain(RELEASE)
  expect(teamsCard(r.teams).join()).toContain('blue 0% / green 100%')
  expect(teamsCard(r.teams).join()).toContain(RUN_URL)
  expect(run.warnings.join('\n')).not.toContain('notify')
  expectSecretsHidden(run, r.all)
})

test('canary-step: start, each step with its gate figures, pass and "waiting for approval"', async () => {
  const r = await threeReceivers()
  const run = await runAction('canary-step', {
    router: router(),
    steps: '10,50',
    gate: gate(0.01),
    notify: r.notify,
    'notify-waiting': 'step 3 (100%) in production-pause',
  })
  expect(run.exitCode).toBe(0)
  expect(await readWeights()).toEqual({ blue: 50, green: 50 })
  for (const x of [r.slack, r.teams, r.webhook])
    expect(x.received.filter((e) => e.problem !== undefined)).toEqual([])
  // Steps are sent as they pass, in parallel with the walk: order within a kind is not promised.
  expect(events(r.webhook).sort()).toEqual(['pass', 'start', 'step', 'step', 'waiting'])
  const steps = bodies(r.webhook).filter((b) => b.event === 'step')
  expect(steps.map((s) => s.traffic[0]!.green).sort((a, b) => a! - b!)).toEqual([10, 50])
  for (const s of steps) {
    expect(s.verdict).toBe('pass')
    expect(s.figures).toEqual([
      expect.objectContaining({ check: 'error-rate', value: 0.01, outcome: 'pass' }),
    ])
  }
  const waiting = bodies(r.webhook).find((b) => b.event === 'waiting')!
  expect(waiting.summary).toBe('waiting for approval before step 3 (100%) in production-pause')
  expect(slackText(r.slack).join()).toContain('waiting for approval')
  expect(teamsCard(r.teams).join()).toContain('error-rate')
  expectSecretsHidden(run, r.all)
})

test('canary-step: a failing gate rolls back and notifies rollback with the figure that decided it', async () => {
  const r = await threeReceivers()
  const run = await runAction('canary-step', {
    router: router(),
    steps: '20,100',
    gate: gate(0.3),
    notify: r.notify,
  })
  expect(run.exitCode).toBe(1)
  expect(await readWeights()).toEqual({ blue: 100, green: 0 })
  expect(events(r.webhook).sort()).toEqual(['rollback', 'start'])
  const rollback = bodies(r.webhook).find((b) => b.event === 'rollback')!
  expect(rollback.verdict).toBe('fail')
  expect(rollback.reason).toContain('error-rate')
  expect(rollback.figures).toEqual([
    expect.objectContaining({ check: 'error-rate', value: 0.3, outcome: 'fail' }),
  ])
  expect(rollback.traffic).toEqual([expect.objectContaining({ blue: 100, green: 0 })])
  expect(slackText(r.slack).join()).toContain('rolled back')
  expectSecretsHidden(run, r.all)
})

test('rollback: a receiver that never answers holds nothing: traffic moves first, the step succeeds with a warning', async () => {
  await haproxy().write({ blue: 0, green: 100 })
  const hang = await receiver('webhook', 'hang')
  const fail = await receiver('slack', 'fail')
  const ok = await receiver('teams')
  const notify = `- webhook: ${hang.url}\n  secret: ${hang.secret}\n- slack: ${fail.url}\n- teams: ${ok.url}\n`
  const running = await startAction('rollback', {
    inputs: { ...base, router: router(), to: 'blue', notify } as never,
  })
  // The hanging receiver has the rollback notification: by then traffic is already back.
  for (let i = 0; i < 200 && hang.received.length === 0; i++)
    await new Promise((resolve) => setTimeout(resolve, 50))
  expect(hang.received).toHaveLength(1)
  expect(await readWeights()).toEqual({ blue: 100, green: 0 })
  const run = await running.done
  expect(run.exitCode).toBe(0)
  expect(run.outputs).toMatchObject({ 'rolled-back': 'true', active: 'blue' })
  const warnings = run.warnings.join('\n')
  expect(warnings).toContain(
    'the rollback notification to webhook target 1 was not delivered (no complete answer within 5000 ms)',
  )
  expect(warnings).toContain(
    'the rollback notification to slack target 2 was not delivered (HTTP 500: internal error)',
  )
  expect(warnings).not.toContain('teams target 3')
  expect(teamsCard(ok).join()).toContain('rolled back to blue')
  expectSecretsHidden(run, [hang, fail, ok])
})

test('blue-green-switch: receivers that fail or hang cost a warning, not the switch', async () => {
  const r = await threeReceivers('fail')
  const hang = await receiver('slack', 'hang')
  const run = await runAction('blue-green-switch', {
    router: router(),
    notify: `${r.notify}- slack: ${hang.url}\n`,
  })
  expect(run.exitCode).toBe(0)
  expect(await readWeights()).toEqual({ blue: 0, green: 100 })
  expect(run.outputs).toMatchObject({ switched: 'true', active: 'green' })
  expect(run.warnings.filter((w) => w.includes('not delivered'))).toHaveLength(8)
  expectSecretsHidden(run, [...r.all, hang])
})

describe('bad notify input is refused before anything moves, without echoing it', () => {
  const cases: [string, (url: string) => string, string][] = [
    [
      'plain http to a remote host',
      () => '- slack: http://hooks.example.com/services/T1/B2/very-secret-token\n',
      "Input 'notify', target 1 (slack) has a http URL to a host that is not local",
    ],
    [
      'an unknown key',
      (url) => `- teams: ${url}\n  channel: very-secret-token\n`,
      "Input 'notify', target 1 (teams) has the unknown key(s) channel; allowed: teams, events.",
    ],
    [
      'a webhook without its signing key',
      (url) => `- webhook: ${url}\n`,
      "Input 'notify', target 1 (webhook) has no `secret`",
    ],
    [
      'a short signing key',
      (url) => `- webhook: ${url}\n  secret: very-secret\n`,
      'has a `secret` that is 11 characters long; allowed: a signing key of at least 16 characters',
    ],
    [
      'an unknown event',
      (url) => `- slack: ${url}\n  events: [deploy]\n`,
      'has `events` with 1 unknown value(s) (deploy); allowed: start, step, pass, fail, rollback, waiting.',
    ],
    ['not a list', (url) => `slack: ${url}\n`, "Input 'notify' is a mapping; allowed: a YAML list"],
  ]
  test.each(cases)('%s', async (_name, notify, message) => {
    const r = await receiver('slack')
    const text = notify(r.url)
    for (const action of ['blue-green-switch', 'canary-step', 'rollback']) {
      const run = await runAction(action, {
        router: router(),
        notify: text,
        ...(action === 'canary-step' ? { weight: 10 } : {}),
        ...(action === 'rollback' ? { to: 'green' } : {}),
      })
      expect(run.exitCode).toBe(1)
      expect(run.errors[0]).toContain(message)
      expect(await readWeights()).toEqual({ blue: 100, green: 0 })
      expectNoSecret(run, r.url)
      expectNoSecret(run, 'very-secret-token')
      if (text.includes('very-secret\n')) expectNoSecret(run, 'very-secret')
    }
    expect(r.received).toEqual([])
  })
})

test("canary-step's post step: a walk cut off mid-way is restored, then the rollback is notified", async () => {
  await haproxy().write({ blue: 70, green: 30 })
  const hook = await receiver('webhook')
  const run = await runActionAs('canary-step', {
    phase: 'post',
    state: {
      walk: JSON.stringify({ canary: 'green', stable: 'blue', weight: 30, finished: false }),
    },
    inputs: {
      ...base,
      router: router(),
      weight: 30,
      notify: `- webhook: ${hook.url}\n  secret: ${hook.secret}\n`,
    } as never,
  })
  expect(run.exitCode).toBe(0)
  expect(await readWeights()).toEqual({ blue: 100, green: 0 })
  expect(bodies(hook)).toEqual([
    expect.objectContaining({
      event: 'rollback',
      summary: 'walk interrupted; stable blue restored by the post step',
      traffic: [expect.objectContaining({ blue: 100, green: 0 })],
    }),
  ])
  expectSecretsHidden(run, [hook])
})

test('canary-step: the header phase is notified as a step of its own', async () => {
  const hook = await receiver('webhook')
  const run = await runAction('canary-step', {
    router: { ...router(), 'match-map': sandbox.haproxy!.matchMap },
    steps: 'header,100',
    match: 'header: x-canary=1',
    interval: '1s',
    notify: `- webhook: ${hook.url}\n  secret: ${hook.secret}\n`,
  })
  expect(run.exitCode).toBe(0)
  const steps = bodies(hook).filter((b) => b.event === 'step')
  expect(steps.map((s) => s.summary.replace(/ \(.*/, '')).sort()).toEqual([
    'header phase passed: matched requests go to the canary, the rest by weight',
    'step 1/1: canary at 100% passed',
  ])
  expect(steps.find((s) => s.summary.startsWith('header'))!.traffic).toEqual([
    expect.objectContaining({ blue: 100, green: 0 }),
  ])
  // The walk reached 100%: the match is cleared and green carries everything.
  expect(await readWeights()).toEqual({ blue: 0, green: 100 })
})
