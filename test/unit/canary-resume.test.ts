/** A canary walk continued in a later job: when its last step was set, read from its record. */
import { walkResumedFrom } from '../../packages/traffic/index.js'

const at = '2026-11-25T22:00:00Z'

test.each<
  [string, { statusDescription: string; statusAt: string } | undefined, number | undefined]
>([
  ['a step of the walk', { statusDescription: 'canary 25%', statusAt: at }, Date.parse(at)],
  ['a walk held at a weight', { statusDescription: 'held at 50%', statusAt: at }, Date.parse(at)],
  ['a record a plan opened', { statusDescription: 'plan: green', statusAt: at }, undefined],
  ['a step without a weight', { statusDescription: 'canary', statusAt: at }, undefined],
  ['a status time that is no time', { statusDescription: 'canary 5%', statusAt: 'x' }, undefined],
  ['no record continued', undefined, undefined],
])('%s', (_case, record, resumedFrom) => expect(walkResumedFrom(record)).toBe(resumedFrom))
