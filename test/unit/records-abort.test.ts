/**
 * The abort request (the rollback button during a walk) as tables: which walk it is posted on,
 * what a walk makes of its deployment's statuses, the marker's words; then request-abort and the
 * walk's watch on MemoryRecords.
 */
import {
  ABORT_MARKER,
  abortDescription,
  isAbortRequest,
  MemoryRecords,
  walkInProgress,
  walkStop,
  type DeploymentRecord,
  type RecordDraft,
  type WalkStop,
} from '../../packages/records/index.js'
import type { Strategy } from '../../packages/domain/index.js'

const rec = (id: number, strategy: Strategy, state: string, description = ''): DeploymentRecord =>
  ({
    id,
    sha: 'x',
    createdAt: '',
    statusAt: '',
    state,
    statusDescription: description,
    payload: { strategy, slot: 'green', service: 'orders' },
  }) as unknown as DeploymentRecord

test.each<[string, DeploymentRecord[], number | undefined]>([
  ['no record', [], undefined],
  ['only finished records', [rec(3, 'canary', 'failure'), rec(2, 'canary', 'success')], undefined],
  [
    'a blue-green in progress is no walk',
    [rec(3, 'blue-green', 'in_progress', 'blue-green to green')],
    undefined,
  ],
  ['a walk paused between step jobs', [rec(4, 'canary', 'in_progress', 'canary 25%')], 4],
  ['a walk holding on purpose', [rec(4, 'canary', 'in_progress', 'held at 50%')], 4],
  [
    'a walk whose first step job has not moved yet',
    [rec(4, 'canary', 'in_progress', 'canary to green')],
    4,
  ],
  [
    "a newer run's plan that never moved: the walk that moved traffic is the one",
    [
      rec(5, 'canary', 'in_progress', 'canary to green'),
      rec(4, 'canary', 'in_progress', 'canary 5%'),
    ],
    4,
  ],
  [
    'two that moved: the newest',
    [rec(5, 'canary', 'in_progress', 'canary 5%'), rec(4, 'canary', 'in_progress', 'held at 50%')],
    5,
  ],
  [
    'already asked to abort: asked again (the walk has not stopped yet)',
    [rec(4, 'canary', 'in_progress', `${ABORT_MARKER}: v2 drops orders`)],
    4,
  ],
])('request-abort picks: %s', (_name, records, expected) => {
  expect(walkInProgress(records)?.id).toBe(expected)
})

const st = (state: string, description = '') => ({ state, description })
test.each<[string, { state: string; description: string }[], WalkStop | undefined]>([
  ['no status yet', [], undefined],
  ['walking', [st('in_progress', 'canary 25%'), st('in_progress', 'canary 5%')], undefined],
  [
    'an abort request',
    [st('in_progress', `${ABORT_MARKER}: v2 drops orders`), st('in_progress', 'canary 5%')],
    { kind: 'abort', description: `${ABORT_MARKER}: v2 drops orders` },
  ],
  [
    'an abort request with a step written after it (the walk moved meanwhile)',
    [
      st('in_progress', 'canary 25%'),
      st('in_progress', ABORT_MARKER),
      st('in_progress', 'canary 5%'),
    ],
    { kind: 'abort', description: ABORT_MARKER },
  ],
  [
    'rolled back by someone else',
    [st('failure', 'rolled back by deployment 9'), st('in_progress', 'canary 5%')],
    { kind: 'ended', state: 'failure', description: 'rolled back by deployment 9' },
  ],
  [
    'an error',
    [st('error', 'runner lost')],
    { kind: 'ended', state: 'error', description: 'runner lost' },
  ],
  [
    'a step description that merely mentions an abort is not one',
    [st('in_progress', 'canary 5% (abort requested earlier?)')],
    undefined,
  ],
  [
    'the marker on a finished state is not a request',
    [st('failure', ABORT_MARKER)],
    {
      kind: 'ended',
      state: 'failure',
      description: ABORT_MARKER,
    },
  ],
])('a walk reads its statuses: %s', (_name, statuses, expected) => {
  expect(walkStop(statuses)).toEqual(expected)
})

test('the marker: in_progress, starts with "abort requested", names the run, at most 140 characters', () => {
  const runUrl = 'https://github.com/acme/orders/actions/runs/777/attempts/1'
  expect(abortDescription('v2 drops orders', runUrl)).toBe(
    'abort requested: v2 drops orders (rollback run 777)',
  )
  expect(abortDescription('', runUrl)).toBe('abort requested (rollback run 777)')
  const long = abortDescription('x'.repeat(500), runUrl)
  expect(long.length).toBeLessThanOrEqual(140)
  expect(long).toMatch(/^abort requested: x+\.\.\. \(rollback run 777\)$/)
  expect(isAbortRequest({ state: 'in_progress', description: long })).toBe(true)
  expect(isAbortRequest({ state: 'failure', description: long })).toBe(false)
})

const walk: RecordDraft = {
  strategy: 'canary',
  slot: 'green',
  stable: 'blue',
  weights: { blue: 0, green: 100 },
  previous: { slot: 'blue' },
}

test('request-abort posts the marker on the walk in progress; the walk sees it; rollback decisions still see an unfinished canary', async () => {
  const records = new MemoryRecords()
  const live = records.api.seed(records.payload({ slot: 'blue' }), 'production', 'success')
  const w = records.writer()
  const id = (await w.start(walk))!
  await w.progress('canary 5%')
  const watch = records.watch(() => w.deploymentId)
  expect(await watch.check()).toBeUndefined()

  const asked = await new MemoryRecords({ api: records.api }).requestAbort('v2 drops orders')
  expect(asked).toMatchObject({ posted: { id } })
  expect(records.api.states(id)).toEqual(['in_progress', 'in_progress', 'in_progress'])
  expect(records.api.states(live)).toEqual(['success'])
  expect(await watch.check()).toEqual({
    kind: 'abort',
    description: 'abort requested: v2 drops orders (rollback run 1)',
  })
  // A reader deciding from the latest state still sees the walk in progress.
  const fresh = new MemoryRecords({ api: records.api })
  const [newest] = await (async () => {
    const out: DeploymentRecord[] = []
    for await (const r of fresh.history.records()) out.push(r)
    return out
  })()
  expect(newest).toMatchObject({ id, state: 'in_progress' })
})

test('request-abort with no walk in progress posts nothing and says so', async () => {
  const records = new MemoryRecords()
  const live = records.api.seed(records.payload({ slot: 'blue' }), 'production', 'success')
  const asked = await records.requestAbort('')
  expect(asked).toEqual({
    none: 'no canary walk of orders is in progress in production (1 newest record(s) read): there is nothing to abort',
  })
  expect(records.api.states(live)).toEqual(['success'])
})

test('a watch that cannot read GitHub warns once and lets the walk go on', async () => {
  const warnings: string[] = []
  const records = new MemoryRecords({
    log: { info() {}, debug() {}, warning: (m) => warnings.push(m) },
  })
  const id = (await records.writer().start(walk))!
  records.api.failure = new Error('connection reset')
  const watch = records.watch(() => id)
  expect(await watch.check()).toBeUndefined()
  expect(await watch.check()).toBeUndefined()
  expect(warnings).toHaveLength(1)
  expect(warnings[0]).toContain(`could not read the statuses of deployment ${id}`)
})
