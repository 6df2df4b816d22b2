/**
 * The protection-rule service's decisions as tables: which deliveries are admitted, what an event
 * must carry, which window the walk's statuses give, how the looks fill the rest of the window,
 * and what to do given the run, the walk and the verdict. Only a gate that passed approves.
 */
import {
  admitDelivery,
  decide,
  inline,
  judgementKey,
  parseCallbackUrl,
  pickRecoveries,
  planLooks,
  progressDue,
  scheduleWait,
  stepName,
  readEvent,
  stillPending,
  walkWindow,
  type Decision,
  type DeliveryFacts,
  type PendingFacts,
  type Situation,
  type WalkStatus,
} from '../../apps/protection-rule/src/judge.js'
import { clip, COMMENT_LIMIT } from '../../apps/protection-rule/src/service.js'

const API = 'http://127.0.0.1:4000'
const SHA = '0123456789abcdef0123456789abcdef01234567'

describe('admitDelivery', () => {
  const ok: DeliveryFacts = {
    draining: false,
    signature: 'valid',
    event: 'deployment_protection_rule',
    deliveryId: 'a1b2c3d4-0000-1111-2222-333344445555',
    seen: false,
  }
  it.each<[string, Partial<DeliveryFacts>, number, boolean]>([
    ['a signed protection-rule event', {}, 202, true],
    ['no signature', { signature: 'missing' }, 401, false],
    ['a bad signature', { signature: 'invalid' }, 401, false],
    ['a bad signature, even for ping', { signature: 'invalid', event: 'ping' }, 401, false],
    ['a replay (delivery seen before)', { seen: true }, 409, false],
    ['ping', { event: 'ping' }, 200, false],
    ['an unknown event', { event: 'push' }, 400, false],
    ['no event header', { event: undefined }, 400, false],
    ['no delivery id', { deliveryId: undefined }, 400, false],
    ['a delivery id that is not one', { deliveryId: 'x'.repeat(200) }, 400, false],
    ['while draining', { draining: true }, 503, false],
    ['while draining, even unsigned', { draining: true, signature: 'missing' }, 503, false],
  ])('%s -> %i', (_name, facts, status, judge) => {
    const a = admitDelivery({ ...ok, ...facts })
    expect([a.status, a.judge]).toEqual([status, judge])
  })
})

describe('parseCallbackUrl', () => {
  it.each<[string, string, ReturnType<typeof parseCallbackUrl>]>([
    [
      `${API}/repos/acme/orders/actions/runs/42/deployment_protection_rule`,
      API,
      { owner: 'acme', repo: 'orders', runId: 42 },
    ],
    [
      'https://github.example.com/api/v3/repos/acme/orders/actions/runs/7/deployment_protection_rule',
      'https://github.example.com/api/v3',
      { owner: 'acme', repo: 'orders', runId: 7 },
    ],
    // Another host: the installation token is never sent there.
    [
      'https://evil.example/repos/acme/orders/actions/runs/42/deployment_protection_rule',
      API,
      undefined,
    ],
    [`${API}/repos/acme/orders/actions/runs/42/approve`, API, undefined],
    [`${API}/repos/acme/orders/actions/runs/0/deployment_protection_rule`, API, undefined],
    [`${API}/repos/acme/orders/actions/runs/42/deployment_protection_rule?x=1`, API, undefined],
    [`${API}/repos/a/b/c/actions/runs/42/deployment_protection_rule`, API, undefined],
    ['not a url', API, undefined],
  ])('%s', (url, api, expected) => {
    expect(parseCallbackUrl(url, api)).toEqual(expected)
  })
})

describe('readEvent', () => {
  const body = {
    action: 'requested',
    environment: 'production-pause',
    event: 'push',
    sha: SHA,
    ref: 'refs/heads/main',
    deployment_callback_url: `${API}/repos/acme/orders/actions/runs/42/deployment_protection_rule`,
    repository: { full_name: 'acme/orders' },
    installation: { id: 9 },
  }
  it('reads what the judgement needs', () => {
    expect(readEvent(body, API)).toEqual({
      environment: 'production-pause',
      sha: SHA,
      ref: 'refs/heads/main',
      repository: 'acme/orders',
      owner: 'acme',
      repo: 'orders',
      runId: 42,
      installationId: 9,
      callbackUrl: body.deployment_callback_url,
    })
  })
  it("reads the waiting job's deployment id", () => {
    expect(readEvent({ ...body, deployment: { id: 77 } }, API).deploymentId).toBe(77)
    expect(() => readEvent({ ...body, deployment: { id: 'x' } }, API)).toThrow(
      /'deployment.id' is "x"; allowed: a positive integer/,
    )
  })
  it.each<[string, Record<string, unknown>, RegExp]>([
    ['another action', { action: 'created' }, /'action' is "created"; allowed: "requested"/],
    ['no environment', { environment: '' }, /'environment'/],
    ['a short sha', { sha: 'abc' }, /'sha' is "abc"/],
    ['no installation', { installation: undefined }, /'installation.id' is undefined/],
    ['a bad repository', { repository: { full_name: 'x' } }, /'repository.full_name'/],
    [
      'a callback elsewhere',
      {
        deployment_callback_url:
          'https://evil.example/repos/acme/orders/actions/runs/42/deployment_protection_rule',
      },
      /'deployment_callback_url'.*allowed: http:\/\/127\.0\.0\.1:4000\/repos/,
    ],
    [
      "a callback to another repository's run",
      {
        deployment_callback_url: `${API}/repos/acme/other/actions/runs/42/deployment_protection_rule`,
      },
      /a run of acme\/orders/,
    ],
  ])('refuses %s', (_name, change, message) => {
    expect(() => readEvent({ ...body, ...change }, API)).toThrow(message)
  })
  it('refuses a body that is not an object', () => {
    expect(() => readEvent('x', API)).toThrow(/'action'/)
  })
})

describe('walkWindow', () => {
  const T = Date.parse('2026-12-07T01:00:00Z')
  const at = (s: number) => new Date(T + s * 1000).toISOString()
  const st = (state: string, description: string, s: number): WalkStatus => ({
    state,
    description,
    created_at: at(s),
  })
  const PAUSE = 60_000
  it.each<[string, WalkStatus[], ReturnType<typeof walkWindow>]>([
    [
      'the newest step sets the window',
      [
        st('in_progress', 'canary 25%', 30),
        st('in_progress', 'canary 10%', 0),
        st('in_progress', 'canary to green', -5),
      ],
      { kind: 'window', weight: 25, start: T + 30_000, end: T + 90_000, description: 'canary 25%' },
    ],
    [
      'a later non-step in_progress status does not move it',
      [st('in_progress', 'header phase', 40), st('in_progress', 'canary 10%', 0)],
      { kind: 'window', weight: 10, start: T, end: T + PAUSE, description: 'canary 10%' },
    ],
    [
      'an ended walk',
      [st('failure', 'rolled back', 50), st('in_progress', 'canary 10%', 0)],
      { kind: 'stop', reason: 'the walk already ended: its deployment is failure ("rolled back")' },
    ],
    [
      'a walk that went live',
      [st('success', 'canary 100%', 50)],
      { kind: 'stop', reason: 'the walk already ended: its deployment is success ("canary 100%")' },
    ],
    [
      'an abort request',
      [
        st('in_progress', 'abort requested: bad (rollback run 7)', 50),
        st('in_progress', 'canary 10%', 0),
      ],
      {
        kind: 'stop',
        reason: 'the walk was asked to abort ("abort requested: bad (rollback run 7)")',
      },
    ],
    [
      'a step job that passed and handed over ("held at", canary-step with one weight): the pause starts there',
      [st('in_progress', 'held at 25%', 50), st('in_progress', 'canary 25%', 0)],
      {
        kind: 'window',
        weight: 25,
        start: T + 50_000,
        end: T + 110_000,
        description: 'held at 25%',
      },
    ],
    [
      'a step job whose gate failed ended the walk',
      [st('failure', 'gate failed; held at 25%', 50), st('in_progress', 'canary 25%', 0)],
      {
        kind: 'stop',
        reason: 'the walk already ended: its deployment is failure ("gate failed; held at 25%")',
      },
    ],
    [
      'no step yet',
      [st('in_progress', 'canary to green', 0)],
      {
        kind: 'stop',
        reason:
          'the walk has set no canary step yet (its newest status: in_progress "canary to green")',
      },
    ],
    [
      'no status at all',
      [],
      { kind: 'stop', reason: 'the walk has set no canary step yet (its newest status: none)' },
    ],
  ])('%s', (_name, statuses, expected) => {
    expect(walkWindow(statuses, PAUSE)).toEqual(expected)
  })
})

describe('planLooks', () => {
  const W = { start: 100_000, end: 160_000 }
  it.each<[string, number, number, ReturnType<typeof planLooks>]>([
    // From the start of the window: one look per interval, the last at its end.
    [
      'at the start',
      100_000,
      10_000,
      { count: 6, initialDelay: 10_000, maxWait: 70_000, since: 100_000 },
    ],
    // Late (a restart): the first look within one interval, the last at the end.
    [
      'half-way',
      135_000,
      10_000,
      { count: 3, initialDelay: 5_000, maxWait: 35_000, since: 100_000 },
    ],
    [
      'just before the end',
      159_000,
      10_000,
      { count: 1, initialDelay: 1_000, maxWait: 11_000, since: 100_000 },
    ],
    [
      'an interval longer than the window',
      100_000,
      90_000,
      { count: 1, initialDelay: 60_000, maxWait: 150_000, since: 100_000 },
    ],
    [
      'after the end: one look now',
      170_000,
      10_000,
      { count: 1, initialDelay: 0, maxWait: 0, since: 100_000 },
    ],
  ])('%s', (_name, now, interval, expected) => {
    const plan = planLooks(W, now, interval)
    expect(plan).toEqual(expected)
    // The first look is never more than one interval away.
    expect(plan.initialDelay).toBeLessThanOrEqual(interval)
  })
  it('gives a long window a tenth of it as grace for the looks to drift', () => {
    expect(planLooks({ start: 0, end: 600_000 }, 0, 10_000)).toEqual({
      count: 60,
      initialDelay: 10_000,
      maxWait: 660_000,
      since: 0,
    })
  })
})

describe('decide', () => {
  const window = {
    kind: 'window' as const,
    weight: 25,
    start: 0,
    end: 1,
    description: 'canary 25%',
  }
  const stop = { kind: 'stop' as const, reason: 'the walk was asked to abort ("abort requested")' }
  it.each<[string, Situation, Decision]>([
    ['waiting, nothing read yet', { run: 'waiting' }, { do: 'measure' }],
    ['waiting, the window known', { run: 'waiting', walk: window }, { do: 'measure' }],
    ['the gate passed', { run: 'waiting', walk: window, verdict: 'pass' }, { do: 'approve' }],
    [
      'the gate failed',
      { run: 'waiting', walk: window, verdict: 'fail' },
      { do: 'reject', why: 'the gate failed' },
    ],
    [
      'inconclusive (no data, no traffic)',
      { run: 'waiting', walk: window, verdict: 'inconclusive' },
      { do: 'reject', why: 'the gate was inconclusive, and inconclusive is not a pass' },
    ],
    ['the walk stopped', { run: 'waiting', walk: stop }, { do: 'reject', why: stop.reason }],
    [
      'the walk stopped, even after a pass',
      { run: 'waiting', walk: stop, verdict: 'pass' },
      { do: 'reject', why: stop.reason },
    ],
    [
      'the run could not be read',
      { run: undefined },
      { do: 'reject', why: 'the run could not be read, so the pause cannot be judged' },
    ],
    [
      'the run no longer waits',
      { run: 'in_progress', walk: window, verdict: 'pass' },
      { do: 'ignore', why: 'the run is in_progress, not waiting on the rule: nothing to answer' },
    ],
    [
      'a completed run is never judged',
      { run: 'completed' },
      { do: 'ignore', why: 'the run is completed, not waiting on the rule: nothing to answer' },
    ],
    [
      'shutting down before a verdict',
      { run: 'waiting', walk: window, stopping: true },
      { do: 'leave', why: 'shutting down before the gate decided: left for recovery' },
    ],
    [
      'shutting down after a failure: answered',
      { run: 'waiting', walk: window, verdict: 'fail', stopping: true },
      { do: 'reject', why: 'the gate failed' },
    ],
    [
      'shutting down after a pass: answered',
      { run: 'waiting', walk: window, verdict: 'pass', stopping: true },
      { do: 'approve' },
    ],
  ])('%s', (_name, situation, expected) => {
    expect(decide(situation)).toEqual(expected)
  })
  it('approves only on a pass', () => {
    const verdicts = ['pass', 'fail', 'inconclusive', undefined] as const
    const runs = ['waiting', 'in_progress', 'completed', 'queued', undefined]
    const walks = [window, stop, undefined]
    for (const verdict of verdicts)
      for (const run of runs)
        for (const walk of walks)
          for (const stopping of [true, false]) {
            const d = decide({ run, walk, verdict, stopping })
            if (d.do === 'approve')
              expect([verdict, run, walk]).toEqual(['pass', 'waiting', window])
          }
  })
})

describe('progressDue', () => {
  it.each<[number, number, boolean]>([
    [-1, 6, true],
    [0, 6, false],
    [4, 6, false],
    [5, 6, true],
    [11, 6, true],
    [12, 6, false],
    [5, 0, false],
  ])('round %i every %i -> %s', (round, every, due) => {
    expect(progressDue(round, every)).toBe(due)
  })
})

describe('pickRecoveries', () => {
  const event = (runId: number, environment = 'production-pause', repo = 'acme/orders') => ({
    action: 'requested',
    environment,
    sha: SHA,
    deployment_callback_url: `${API}/repos/${repo}/actions/runs/${runId}/deployment_protection_rule`,
    repository: { full_name: repo },
    installation: { id: 9 },
  })
  const d = (guid: string, payload: unknown, action: string | undefined = 'requested') => ({
    guid,
    action,
    payload,
  })
  it.each<[string, ReturnType<typeof d>[], string[], string[]]>([
    ['one waiting pause', [d('g1', event(1))], ['g1'], []],
    // Newest first: a redelivery or an earlier pause of the same run and environment is not judged twice.
    [
      'the newest delivery of a run and environment',
      [d('g2', event(1)), d('g1', event(1))],
      ['g2'],
      [],
    ],
    [
      'each run and environment once',
      [d('g3', event(2)), d('g2', event(1, 'other-pause')), d('g1', event(1))],
      ['g3', 'g2', 'g1'],
      [],
    ],
    [
      'the same run number in another repository',
      [d('g2', event(1, 'p', 'acme/b')), d('g1', event(1, 'p'))],
      ['g2', 'g1'],
      [],
    ],
    ['not a requested event', [d('g1', event(1), 'created')], [], []],
    ['an event it cannot read', [d('g1', { ...event(1), sha: 'x' })], [], ['g1']],
    [
      'a callback on another host',
      [
        d('g1', {
          ...event(1),
          deployment_callback_url:
            'https://evil.example/repos/acme/orders/actions/runs/1/deployment_protection_rule',
        }),
      ],
      [],
      ['g1'],
    ],
  ])('%s', (_name, deliveries, resumed, skipped) => {
    const picked = pickRecoveries(deliveries, API)
    expect(picked.resume.map((r) => r.guid)).toEqual(resumed)
    expect(picked.skipped.map((s) => s.guid)).toEqual(skipped)
  })
})

describe('scheduleWait', () => {
  // A look every 1000 ms after an initial delay of 500, each look's queries taking some time.
  it.each<[string, number | undefined, number, number, { waitMs: number; due: number }]>([
    ['the first wait (initial delay)', undefined, 500, 0, { waitMs: 500, due: 500 }],
    ['after a look that took 200 ms: 800 ms more', 500, 1000, 700, { waitMs: 800, due: 1500 }],
    ['after a look that took 0 ms', 1500, 1000, 1500, { waitMs: 1000, due: 2500 }],
    ['after a look that overran the interval: at once', 2500, 1000, 3700, { waitMs: 0, due: 3700 }],
    ['then on the new beat', 3700, 1000, 3750, { waitMs: 950, due: 4700 }],
  ])('%s', (_name, due, ms, now, expected) => {
    expect(scheduleWait(due, ms, now)).toEqual(expected)
  })
})

describe('stepName', () => {
  it.each<[number, string, string]>([
    [25, 'held at 25%', 'canary 25%'],
    [25, 'canary 25%', 'canary 25%'],
    [0, 'held at 0% (header x-canary=1)', 'header phase (header x-canary=1)'],
    [0, 'held at 0% (cookie canary=always)', 'header phase (cookie canary=always)'],
    [10, 'held at 10% (header x-canary=1)', 'canary 10%'],
  ])('%i%% "%s" -> %s', (weight, description, name) => {
    expect(stepName({ weight, description })).toBe(name)
  })
})

describe('stillPending: the pause judged is still the one the run waits on (else nothing is posted)', () => {
  const at25 = {
    kind: 'window' as const,
    weight: 25,
    start: 1000,
    end: 4000,
    description: 'held at 25%',
  }
  const at50 = {
    kind: 'window' as const,
    weight: 50,
    start: 9000,
    end: 12000,
    description: 'held at 50%',
  }
  const aborted = { kind: 'stop' as const, reason: 'the walk was asked to abort ("bad")' }
  const base: PendingFacts = {
    run: 'waiting',
    eventDeployment: 7,
    newestDeployment: 7,
    judged: at25,
    now: at25,
    answer: 'approve',
  }
  it.each<[string, Partial<PendingFacts>, string | true]>([
    ['the same job waits, the walk is where it was judged', {}, true],
    ['a progress comment, same facts', { answer: 'comment' }, true],
    [
      'an early rejection (no window read yet)',
      { judged: undefined, now: undefined, answer: 'reject' },
      true,
    ],
    [
      'an event without a deployment (checked on the walk alone)',
      { eventDeployment: undefined, newestDeployment: undefined },
      true,
    ],
    ['the run no longer waits', { run: 'in_progress' }, 'the run is in_progress now'],
    ['the run could not be read', { run: undefined }, 'could not be read again'],
    [
      'a newer job waits (pause k+1): a late or duplicate answer for k',
      { newestDeployment: 8 },
      'a newer job waits on the environment (deployment 8',
    ],
    ['...even a rejection', { newestDeployment: 8, answer: 'reject' }, 'a newer job waits'],
    ["the event's deployment is not listed", { newestDeployment: null }, 'is not listed'],
    [
      'the walk moved on to the next step',
      { now: at50 },
      'the walk moved on: the judged step "held at 25%" is no longer its newest ("held at 50%")',
    ],
    [
      'the walk moved on, even for a rejection',
      { now: at50, answer: 'reject' },
      'the walk moved on',
    ],
    [
      'the same step set again later (a new window)',
      { now: { ...at25, start: 5000, end: 8000 } },
      'the walk moved on',
    ],
    [
      'the walk stopped: an approval is not posted',
      { now: aborted },
      'the walk changed while it was judged: the walk was asked to abort',
    ],
    ['the walk stopped: nor a comment', { now: aborted, answer: 'comment' }, 'the walk changed'],
    ['the walk stopped: its rejection is posted', { now: aborted, answer: 'reject' }, true],
    ['the window was not read again', { now: undefined }, 'its window was not read again'],
  ])('%s', (_name, facts, expected) => {
    const result = stillPending({ ...base, ...facts })
    if (expected === true) expect(result).toEqual({ ok: true })
    else {
      expect(result.ok).toBe(false)
      expect(result.ok ? '' : result.why).toContain(expected)
    }
  })
})

describe('judgementKey', () => {
  const e = { repository: 'Acme/Orders', runId: 42, environment: 'production-pause' }
  it('tells two pauses of one run apart by their job deployments', () => {
    expect(judgementKey({ ...e, deploymentId: 7 })).not.toBe(
      judgementKey({ ...e, deploymentId: 8 }),
    )
    expect(judgementKey({ ...e, deploymentId: 7 })).toBe(
      judgementKey({ ...e, repository: 'acme/orders', deploymentId: 7 }),
    )
  })
})

describe('inline: outside text in a review comment cannot pass for the verdict, Markdown, HTML or a mention', () => {
  it.each<[string, string, string]>([
    [
      'plain text stays',
      'the walk was asked to abort ("bad release")',
      'the walk was asked to abort ("bad release")',
    ],
    [
      'a line break cannot start a verdict line',
      'x\n\n✅ Approved: the gate passed',
      'x ✅ Approved: the gate passed',
    ],
    [
      'Markdown and HTML are escaped',
      '**ok** [link](http://e) <img src=x> `c` |t| ~s~',
      '\\*\\*ok\\*\\* \\[link\\](http://e) \\<img src=x\\> \\`c\\` |t| \\~s\\~',
    ],
    ['a mention is not a mention', 'ping @acme/oncall', 'ping \\@acme/oncall'],
    ['control characters go', 'a\u0007b\rc', 'a b c'],
  ])('%s', (_name, text, expected) => {
    expect(inline(text)).toBe(expected)
  })
  it('cuts long text, never inside a surrogate pair', () => {
    const out = inline('😀'.repeat(400), 601)
    expect(out.endsWith('…')).toBe(true)
    expect(out).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/)
    expect(out.length).toBeLessThanOrEqual(602)
  })
})

describe('clip: a comment within the limit GitHub takes', () => {
  it('keeps a short comment, cuts a long one (never inside a surrogate pair) and says so', () => {
    expect(clip('short')).toBe('short')
    const long = clip(`${'x'.repeat(COMMENT_LIMIT - 21)}${'😀'.repeat(20)}`)
    expect(long.length).toBeLessThanOrEqual(COMMENT_LIMIT)
    expect(long.endsWith('… (cut short)')).toBe(true)
    expect(long).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/)
  })
})
