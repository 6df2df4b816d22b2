/**
 * decideRollback as a table: router weights + this service's records (newest first) -> where
 * traffic goes, or a refusal that says why. It never guesses.
 */
import type { RecordPayload, Slot, Strategy, Weights } from '../../packages/domain/index.js'
import {
  decideRollback,
  type DeploymentFact,
  type RecordsFacts,
  type RollbackFacts,
} from '../../packages/traffic/index.js'

const BLUE: Weights = { blue: 100, green: 0 }
const GREEN: Weights = { blue: 0, green: 100 }

/** A record: id, strategy, slot, image (or null for none), latest state, payload extras. */
function rec(
  id: number,
  strategy: Strategy,
  slot: Slot,
  image: string | null,
  state: string,
  extra: Partial<RecordPayload> = {},
): DeploymentFact {
  return {
    id,
    sha: `sha${id}`,
    createdAt: `2026-11-25T10:${String(id % 60).padStart(2, '0')}:00Z`,
    state,
    payload: {
      tool: 'cutover',
      schema: 2,
      service: 'orders',
      strategy,
      router: { type: 'haproxy', name: 'haproxy web' },
      slot,
      ...(image === null ? {} : { image }),
      weights: slot === 'blue' ? BLUE : GREEN,
      previous: { slot: slot === 'blue' ? 'green' : 'blue' },
      ...extra,
    },
  }
}

const all = (...records: DeploymentFact[]): RecordsFacts => ({
  readable: true,
  records,
  complete: true,
})

type Row = [
  name: string,
  facts: RollbackFacts,
  expected:
    | { action: 'move'; target: Slot; undone?: number; restored?: number }
    | { action: 'nothing-to-do'; target: Slot; why?: string }
    | { action: 'refuse'; why: string | RegExp }
    | { action: 'need-more' },
]

const rows: Row[] = [
  [
    'the live release is undone; the other slot still holds the last good one',
    {
      to: 'previous',
      weights: GREEN,
      records: all(
        rec(2, 'blue-green', 'green', 'v2', 'success'),
        rec(1, 'blue-green', 'blue', 'v1', 'inactive'),
      ),
    },
    { action: 'move', target: 'blue', undone: 2, restored: 1 },
  ],
  [
    'a failed deploy overwrote the old slot: refuse, naming both releases',
    {
      to: 'previous',
      weights: GREEN,
      records: all(
        rec(3, 'blue-green', 'blue', 'v3', 'failure'),
        rec(2, 'blue-green', 'green', 'v2', 'success'),
        rec(1, 'blue-green', 'blue', 'v1', 'inactive'),
      ),
    },
    {
      action: 'refuse',
      why: 'blue was overwritten since: it held the last good release v1 (deployment 1), then deployment 3 put v3 there',
    },
  ],
  [
    'a redeploy of the same image onto that slot is still the same release',
    {
      to: 'previous',
      weights: GREEN,
      records: all(
        rec(3, 'blue-green', 'blue', 'v1', 'failure'),
        rec(2, 'blue-green', 'green', 'v2', 'success'),
        rec(1, 'blue-green', 'blue', 'v1', 'inactive'),
      ),
    },
    { action: 'move', target: 'blue', undone: 2, restored: 1 },
  ],
  [
    'a canary walked in separate jobs is one record; rollback undoes it (never "nothing to move")',
    {
      to: 'previous',
      weights: GREEN,
      records: all(
        rec(5, 'canary', 'green', 'v2', 'success', { stable: 'blue' }),
        rec(4, 'blue-green', 'blue', 'v1', 'inactive'),
      ),
    },
    { action: 'move', target: 'blue', undone: 5, restored: 4 },
  ],
  [
    'split traffic with an unfinished canary: its stable slot',
    {
      to: 'previous',
      weights: { blue: 75, green: 25 },
      records: all(
        rec(5, 'canary', 'green', 'v2', 'in_progress', { stable: 'blue' }),
        rec(4, 'blue-green', 'blue', 'v1', 'inactive'),
      ),
    },
    { action: 'move', target: 'blue', undone: 5, restored: 4 },
  ],
  [
    'split traffic held at 75% by a canary: still its stable slot, not the bigger share',
    {
      to: 'previous',
      weights: { blue: 25, green: 75 },
      records: all(rec(5, 'canary', 'green', 'v2', 'in_progress', { stable: 'blue' })),
    },
    { action: 'move', target: 'blue', undone: 5 },
  ],
  [
    'split traffic and no canary record: refuse and ask for to:',
    {
      to: 'previous',
      weights: { blue: 40, green: 60 },
      records: all(rec(2, 'blue-green', 'green', 'v2', 'success')),
    },
    {
      action: 'refuse',
      why: /traffic is split \(blue 40% \/ green 60%\) and no unfinished canary record explains it.*`to: blue` or `to: green`/,
    },
  ],
  [
    'the newest successful change is on the other slot: a record is missing, never undone',
    {
      to: 'previous',
      weights: GREEN,
      records: all(
        rec(2, 'blue-green', 'blue', 'v2', 'success'),
        rec(1, 'blue-green', 'green', 'v1', 'inactive'),
      ),
    },
    {
      action: 'refuse',
      why: /the records do not explain the router: the newest successful change, deployment 2 .* put traffic on blue, but green carries 100%/,
    },
  ],
  [
    'a record without an image cannot prove what a slot holds',
    {
      to: 'previous',
      weights: GREEN,
      records: all(
        rec(2, 'blue-green', 'green', 'v2', 'success'),
        rec(1, 'blue-green', 'blue', null, 'inactive'),
      ),
    },
    {
      action: 'refuse',
      why: /recorded without an image, so the records cannot prove that blue still holds it/,
    },
  ],
  [
    'the live release without an image cannot be told apart from earlier ones',
    {
      to: 'previous',
      weights: GREEN,
      records: all(
        rec(2, 'blue-green', 'green', null, 'success'),
        rec(1, 'blue-green', 'blue', 'v1', 'inactive'),
      ),
    },
    { action: 'refuse', why: /deployment 2 .* was recorded without an image/ },
  ],
  [
    'a later deploy without an image onto the old slot: cannot prove it still holds the release',
    {
      to: 'previous',
      weights: GREEN,
      records: all(
        rec(3, 'blue-green', 'blue', null, 'failure'),
        rec(2, 'blue-green', 'green', 'v2', 'success'),
        rec(1, 'blue-green', 'blue', 'v1', 'inactive'),
      ),
    },
    {
      action: 'refuse',
      why: /deployment 3 .* was recorded without an image after the last good release v1/,
    },
  ],
  [
    'records that cannot be read: previous fails naming the cause',
    {
      to: 'previous',
      weights: GREEN,
      records: { readable: false, cause: 'GitHub did not answer within 20 s' },
    },
    { action: 'refuse', why: /could not be read: GitHub did not answer within 20 s/ },
  ],
  [
    'no records at all: refuse, nothing is known',
    { to: 'previous', weights: GREEN, records: all() },
    { action: 'refuse', why: /no deployment records of this service on this router/ },
  ],
  [
    'only one release ever: nothing known to go back to',
    {
      to: 'previous',
      weights: GREEN,
      records: all(rec(1, 'blue-green', 'green', 'v1', 'success')),
    },
    { action: 'refuse', why: /No good release of this service before the live one/ },
  ],
  [
    'failed and rolled-back releases are not good ones',
    {
      to: 'previous',
      weights: GREEN,
      records: all(
        rec(5, 'blue-green', 'green', 'v5', 'success'),
        rec(4, 'blue-green', 'blue', 'v4', 'failure'),
        rec(3, 'rollback', 'blue', 'v2', 'inactive', { rolled_back_id: 2 }),
        rec(2, 'blue-green', 'green', 'v3', 'inactive'),
        rec(1, 'blue-green', 'blue', 'v2', 'inactive'),
      ),
    },
    {
      action: 'refuse',
      why: /blue was overwritten since: it held the last good release v2 \(deployment 1\), then deployment 4 put v4 there/,
    },
  ],
  [
    'a re-run: the newest change is the rollback itself: nothing to roll back',
    {
      to: 'previous',
      weights: BLUE,
      records: all(
        rec(3, 'rollback', 'blue', 'v1', 'success', { rolled_back_id: 2 }),
        rec(2, 'blue-green', 'green', 'v2', 'failure'),
        rec(1, 'blue-green', 'blue', 'v1', 'inactive'),
      ),
    },
    {
      action: 'nothing-to-do',
      target: 'blue',
      why: 'blue already carries 100%: nothing to roll back (deployment 3 already rolled back to it)',
    },
  ],
  [
    'to: green when green already carries 100%',
    { to: 'green', weights: GREEN, records: { readable: false, cause: 'not read' } },
    {
      action: 'nothing-to-do',
      target: 'green',
      why: 'green already carries 100%: nothing to roll back',
    },
  ],
  [
    'to: blue works without records',
    { to: 'blue', weights: GREEN, records: { readable: false, cause: 'no token' } },
    { action: 'move', target: 'blue' },
  ],
  [
    'to: blue while split',
    {
      to: 'blue',
      weights: { blue: 50, green: 50 },
      records: { readable: false, cause: 'no token' },
    },
    { action: 'move', target: 'blue' },
  ],
  [
    "deployment-id: the pipeline's release carries no traffic: nothing to do",
    {
      to: 'previous',
      weights: BLUE,
      undo: 7,
      records: all(rec(7, 'blue-green', 'green', 'v2', 'in_progress')),
    },
    {
      action: 'nothing-to-do',
      target: 'blue',
      why: 'blue already carries 100%: nothing to roll back (green, the slot of deployment 7, carries no traffic now)',
    },
  ],
  [
    'deployment-id: a canary cancelled at 5% goes back to its stable slot',
    {
      to: 'previous',
      weights: { blue: 95, green: 5 },
      undo: 7,
      records: all(rec(7, 'canary', 'green', 'v2', 'in_progress', { stable: 'blue' })),
    },
    { action: 'move', target: 'blue', undone: 7 },
  ],
  [
    'deployment-id: a switched release goes back to where traffic was before it',
    {
      to: 'previous',
      weights: GREEN,
      undo: 7,
      records: all(
        rec(7, 'blue-green', 'green', 'v2', 'success'),
        rec(6, 'blue-green', 'blue', 'v1', 'inactive'),
      ),
    },
    { action: 'move', target: 'blue', undone: 7, restored: 6 },
  ],
  [
    'deployment-id that is not the newest change: refuse',
    {
      to: 'previous',
      weights: GREEN,
      undo: 6,
      records: all(
        rec(7, 'blue-green', 'blue', 'v3', 'in_progress'),
        rec(6, 'blue-green', 'green', 'v2', 'success'),
      ),
    },
    {
      action: 'refuse',
      why: /deployment 6 \(deployment-id\) is not the newest change of this service/,
    },
  ],
  [
    'deployment-id not among the records: refuse',
    {
      to: 'previous',
      weights: GREEN,
      undo: 99,
      records: all(rec(7, 'blue-green', 'green', 'v2', 'success')),
    },
    {
      action: 'refuse',
      why: /deployment 99 \(deployment-id\) is not among this service's records/,
    },
  ],
  [
    'undecided until the last good release is read: more records wanted',
    {
      to: 'previous',
      weights: GREEN,
      records: {
        readable: true,
        records: [rec(2, 'blue-green', 'green', 'v2', 'success')],
        complete: false,
      },
    },
    { action: 'need-more' },
  ],
  [
    'decided as soon as it can be: older records are not needed',
    {
      to: 'previous',
      weights: GREEN,
      records: {
        readable: true,
        records: [
          rec(2, 'blue-green', 'green', 'v2', 'success'),
          rec(1, 'blue-green', 'blue', 'v1', 'inactive'),
        ],
        complete: false,
      },
    },
    { action: 'move', target: 'blue', undone: 2, restored: 1 },
  ],
]

test.each(rows)('%s', (_name, facts, expected) => {
  const decision = decideRollback(facts)
  expect(decision.action).toBe(expected.action)
  if (expected.action === 'refuse') {
    const why = (decision as { why: string }).why
    if (typeof expected.why === 'string') expect(why).toContain(expected.why)
    else expect(why).toMatch(expected.why)
  }
  if (expected.action === 'nothing-to-do') {
    expect(decision).toMatchObject({ target: expected.target })
    if (expected.why) expect(decision).toMatchObject({ why: expected.why })
  }
  if (expected.action === 'move' && decision.action === 'move') {
    expect(decision.target).toBe(expected.target)
    expect(decision.undone?.id).toBe(expected.undone)
    expect(decision.restored?.id).toBe(expected.restored)
  }
})

test('the decision lists the facts it used', () => {
  const decision = decideRollback({
    to: 'previous',
    weights: GREEN,
    records: all(
      rec(2, 'blue-green', 'green', 'v2', 'success'),
      rec(1, 'blue-green', 'blue', 'v1', 'inactive'),
    ),
  })
  expect(decision.action === 'move' && decision.facts).toEqual([
    'router: blue 0% / green 100% (live: green)',
    'green (live) holds deployment 2 (blue-green to green, v2, success)',
    'last good release before it: deployment 1 (blue-green to blue, v1, inactive)',
    'blue still holds v1',
  ])
})
