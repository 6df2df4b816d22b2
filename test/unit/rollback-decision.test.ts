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
    | { action: 'stand-down'; why: string | RegExp; owner?: number; endOwn?: number }
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
    { action: 'refuse', why: /no deployment records of this service in this environment/ },
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
    "a flag's first walk to 100%: previous is the flag's state before it (off), from the walk's own record",
    {
      to: 'previous',
      weights: GREEN,
      flag: true,
      records: all(rec(1, 'canary', 'green', 'v1', 'success', { stable: 'blue' })),
    },
    { action: 'move', target: 'blue', undone: 1 },
  ],
  [
    "a flag's first walk, records not all read yet: an earlier walk may exist, read on",
    {
      to: 'previous',
      weights: GREEN,
      flag: true,
      records: {
        readable: true,
        records: [rec(1, 'canary', 'green', 'v1', 'success', { stable: 'blue' })],
        complete: false,
      },
    },
    { action: 'need-more' },
  ],
  [
    'a flag whose walk started from a split: its state before is not one slot, refuse',
    {
      to: 'previous',
      weights: GREEN,
      flag: true,
      records: all(rec(1, 'canary', 'green', 'v1', 'success', { previous: { slot: 'split' } })),
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
    'the button after a first canary put stable back by itself: nothing to roll back, though no record says what blue holds',
    {
      to: 'previous',
      weights: BLUE,
      records: all(
        rec(2, 'rollback', 'blue', null, 'success', { rolled_back_id: 1 }),
        rec(1, 'canary', 'green', 'v2', 'failure'),
      ),
    },
    {
      action: 'nothing-to-do',
      target: 'blue',
      why: 'blue already carries 100%: nothing to roll back (deployment 2 already rolled back to it)',
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

/** The same record with its latest status's description, as history gives it. */
const said = (r: DeploymentFact, statusDescription: string): DeploymentFact => ({
  ...r,
  statusDescription,
})
const own = (facts: Omit<RollbackFacts, 'to' | 'scope'>): RollbackFacts => ({
  to: 'previous',
  scope: 'deployment',
  ...facts,
})
const SPLIT: Weights = { blue: 95, green: 5 }

rows.push(
  [
    'records written through a pair count when rolling back through one router: the router is not a key',
    {
      to: 'previous',
      weights: GREEN,
      records: all(
        rec(2, 'blue-green', 'green', 'v2', 'success', {
          router: { type: 'group', name: 'lb a + lb b' },
        }),
        rec(1, 'blue-green', 'blue', 'v1', 'inactive', {
          router: { type: 'haproxy', name: 'unknown' },
        }),
      ),
    },
    { action: 'move', target: 'blue', undone: 2, restored: 1 },
  ],
  [
    'scope deployment without an id: the run recorded no release, nothing changes (records not even needed)',
    own({ weights: SPLIT, records: { readable: false, cause: 'not read' } }),
    {
      action: 'stand-down',
      why: 'this run recorded no release (no deployment id): nothing to undo; nothing changed',
    },
  ],
  [
    "scope deployment: another run's walk holds the split and this run opened no record (the issue's case)",
    own({
      weights: SPLIT,
      records: all(said(rec(7, 'canary', 'green', 'v2', 'in_progress'), 'canary 5%')),
    }),
    {
      action: 'stand-down',
      why: 'this run recorded no release (no deployment id): nothing to undo; nothing changed',
    },
  ],
  [
    "scope deployment: this run's canary already rolled itself back (its rollback record is newer): nothing left to undo, not another run's traffic",
    own({
      weights: BLUE,
      undo: 6,
      records: all(
        rec(7, 'rollback', 'blue', 'v1', 'success', { rolled_back_id: 6 }),
        said(rec(6, 'canary', 'green', 'v2', 'failure'), 'step 1 (canary 50%) fail'),
        rec(5, 'blue-green', 'blue', 'v1', 'success'),
      ),
    }),
    {
      action: 'stand-down',
      why: 'deployment 6 (deployment-id) was already rolled back by deployment 7 (blue carries 100%): nothing left to undo; nothing changed',
      owner: 7,
    },
  ],
  [
    'scope deployment: a newer deployment of the service is in progress: it owns the traffic',
    own({
      weights: SPLIT,
      undo: 6,
      records: all(
        said(rec(7, 'canary', 'green', 'v3', 'in_progress'), 'canary 5%'),
        said(rec(6, 'blue-green', 'blue', 'v2', 'success'), 'blue-green to blue'),
      ),
    }),
    {
      action: 'stand-down',
      why: "deployment 7 (canary to green, in_progress) came after deployment 6 (deployment-id) and is in progress: the traffic is deployment 7's, not this run's; nothing changed",
      owner: 7,
    },
  ],
  [
    "scope deployment: this run's plan opened first and never moved; a newer run's walk holds the split: its, and this run's record ends",
    own({
      weights: SPLIT,
      undo: 6,
      records: all(
        said(rec(7, 'canary', 'green', 'v3', 'in_progress'), 'held at 5%'),
        said(rec(6, 'canary', 'green', 'v2', 'in_progress'), 'canary to green'),
      ),
    }),
    { action: 'stand-down', why: /the traffic is deployment 7's/, owner: 7, endOwn: 6 },
  ],
  [
    'scope deployment: a newer release is live: it owns the traffic',
    own({
      weights: GREEN,
      undo: 6,
      records: all(
        rec(7, 'blue-green', 'green', 'v3', 'success'),
        rec(6, 'blue-green', 'blue', 'v2', 'inactive'),
      ),
    }),
    {
      action: 'stand-down',
      why: /deployment 7 .* is live: the traffic is deployment 7's/,
      owner: 7,
    },
  ],
  [
    'scope deployment: a newer rollback already put traffic back: nothing changed, naming it',
    own({
      weights: BLUE,
      undo: 6,
      records: all(
        rec(8, 'rollback', 'blue', 'v1', 'success', { rolled_back_id: 6 }),
        rec(6, 'canary', 'green', 'v2', 'failure'),
      ),
    }),
    { action: 'stand-down', why: /already rolled back by deployment 8/, owner: 8 },
  ],
  [
    "scope deployment: this run's canary never moved traffic while an older walk holds the split: that walk's, and this run's record ends",
    own({
      weights: SPLIT,
      undo: 8,
      records: all(
        said(rec(8, 'canary', 'green', 'v3', 'in_progress'), 'canary to green'),
        said(rec(7, 'canary', 'green', 'v2', 'in_progress'), 'canary 5%'),
      ),
    }),
    {
      action: 'stand-down',
      why: `deployment 8 (deployment-id) never moved traffic (its last status: "canary to green"); the walk in progress is deployment 7 (canary to green, "canary 5%"): the traffic is deployment 7's, not this run's; nothing changed`,
      owner: 7,
      endOwn: 8,
    },
  ],
  [
    "scope deployment: this run's canary never moved and only its record is read yet: the records before it are wanted (an older walk may hold the split)",
    own({
      weights: SPLIT,
      undo: 8,
      records: {
        readable: true,
        records: [said(rec(8, 'canary', 'green', 'v3', 'in_progress'), 'canary to green')],
        complete: false,
      },
    }),
    { action: 'need-more' },
  ],
  [
    "scope deployment: this run's canary never moved, and no walk is newer than the live release: its own work is undone as usual",
    own({
      weights: SPLIT,
      undo: 8,
      records: {
        readable: true,
        records: [
          said(
            rec(8, 'canary', 'green', 'v3', 'in_progress', { stable: 'blue' }),
            'canary to green',
          ),
          said(rec(6, 'blue-green', 'blue', 'v1', 'success'), 'x'),
        ],
        complete: false,
      },
    }),
    { action: 'move', target: 'blue', undone: 8, restored: 6 },
  ],
  [
    "scope deployment: this run's own walk at 5% goes back to its stable slot",
    own({
      weights: SPLIT,
      undo: 7,
      records: all(
        said(rec(7, 'canary', 'green', 'v2', 'in_progress', { stable: 'blue' }), 'canary 5%'),
        said(rec(6, 'blue-green', 'blue', 'v1', 'success'), 'x'),
      ),
    }),
    { action: 'move', target: 'blue', undone: 7, restored: 6 },
  ],
  [
    "scope deployment: this run's walk held on purpose (steps 5,25,50), then the next push's run opened nothing: its own rollback still undoes it",
    own({
      weights: { blue: 50, green: 50 },
      undo: 7,
      records: all(
        said(rec(7, 'canary', 'green', 'v2', 'in_progress', { stable: 'blue' }), 'held at 50%'),
      ),
    }),
    { action: 'move', target: 'blue', undone: 7 },
  ],
  [
    "scope deployment: a newer run's record that ended without going live is not in the way",
    own({
      weights: SPLIT,
      undo: 7,
      records: all(
        said(rec(8, 'canary', 'green', 'v3', 'failure'), 'Input canary ...'),
        said(rec(7, 'canary', 'green', 'v2', 'in_progress', { stable: 'blue' }), 'canary 5%'),
      ),
    }),
    { action: 'move', target: 'blue', undone: 7 },
  ],
  [
    "scope deployment: this run's canary already rolled itself back: nothing to do (its slot carries nothing)",
    own({
      weights: BLUE,
      undo: 7,
      records: all(said(rec(7, 'canary', 'green', 'v2', 'failure'), 'step 1 (canary 5%) fail')),
    }),
    { action: 'nothing-to-do', target: 'blue' },
  ],
  [
    'scope deployment: an id that is not among the records: refuse, nothing guessed',
    own({ weights: SPLIT, undo: 99, records: all(rec(7, 'canary', 'green', 'v2', 'in_progress')) }),
    {
      action: 'refuse',
      why: /deployment 99 \(deployment-id\) is not among this service's records/,
    },
  ],
  [
    'scope deployment: records that cannot be read: refuse, nothing moves',
    own({ weights: SPLIT, undo: 7, records: { readable: false, cause: 'GitHub gave no answer' } }),
    { action: 'refuse', why: /could not be read: GitHub gave no answer/ },
  ],
  [
    'an abort request on the walk is still an unfinished canary: rollback puts stable back',
    {
      to: 'previous',
      weights: SPLIT,
      records: all(
        said(
          rec(7, 'canary', 'green', 'v2', 'in_progress', { stable: 'blue' }),
          'abort requested: v2 drops orders (rollback run 9)',
        ),
        rec(6, 'blue-green', 'blue', 'v1', 'success'),
      ),
    },
    { action: 'move', target: 'blue', undone: 7, restored: 6 },
  ],
)

test.each(rows)('%s', (_name, facts, expected) => {
  const decision = decideRollback(facts)
  expect(decision.action).toBe(expected.action)
  if (expected.action === 'stand-down' && decision.action === 'stand-down') {
    if (typeof expected.why === 'string') expect(decision.why).toBe(expected.why)
    else expect(decision.why).toMatch(expected.why)
    expect(decision.owner?.id).toBe(expected.owner)
    expect(decision.endOwn?.id).toBe(expected.endOwn)
  }
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
