import type { ActionIO } from '../../packages/action-kit/action.js'
import { DeploymentFailed } from '../../packages/action-kit/index.js'
import {
  blueGreenSwitch,
  gateFigures,
  SmokeFailed,
  smokeReport,
  switchReport,
  unreachedMessage,
} from '../../packages/traffic/index.js'
import {
  readBake,
  readDryRun,
  readHealth,
  readRollout,
  readRouter,
  readSmoke,
  stopSignal,
} from '../common/inputs.js'
import { readNotify } from '../common/notify.js'
import { OutcomeOutputs } from '../common/outcome.js'
import { openHistory, Recording, rollbackRecordSettings } from '../common/recording.js'
import { githubContext, readRecordSettings } from '../common/records-inputs.js'

/** How long a bake's rollback waits for the records to name the release the old slot holds (ms). */
const RECORDS_TIMEOUT_MS = 10_000

export async function main(io: ActionIO): Promise<void> {
  const { inputs } = io
  const router = readRouter(inputs, io.log, io.env, io.secret)
  const to = inputs.enum('to', ['blue', 'green', 'idle'], 'idle')
  const health = readHealth(inputs)
  const smoke = readSmoke(inputs)
  const dryRun = readDryRun(inputs)
  const context = githubContext(io.env)
  const records = readRecordSettings(inputs, io.secret, context)
  const rollout = readRollout(inputs, records.image)
  const bake = readBake(inputs, router, io.secret)
  const notify = readNotify(io, 'blue-green-switch', records, { dryRun })

  const traffic = router.open()
  const outcome = new OutcomeOutputs(io)
  // If the bake puts the old slot back, it writes the record a rollback writes (a new deployment).
  const rollbackSettings = rollbackRecordSettings(records)
  const rollback =
    bake && records.enabled && records.token && !dryRun
      ? {
          record: await Recording.open(rollbackSettings, context, traffic, io.log),
          history: openHistory(rollbackSettings, context, traffic, io.log),
        }
      : undefined
  const recording = await Recording.open(records, context, traffic, io.log, { claim: true })
  notify.send('start', { summary: `blue-green switch to ${to === 'idle' ? 'the idle slot' : to}` })
  const result = await io
    .group('Blue-green switch', () =>
      recording.around(
        () =>
          blueGreenSwitch(
            traffic,
            {
              to,
              dryRun,
              ...(health ? { health } : {}),
              ...(smoke ? { smoke } : {}),
              ...(rollout ? { rollout } : {}),
              ...(bake ? { bake } : {}),
            },
            io.log,
            {
              record: recording,
              phase: outcome.enter,
              ...(bake
                ? {
                    signal: stopSignal(
                      io.log,
                      'stopping the bake and putting the old slot back at 100%',
                    ),
                  }
                : {}),
              ...(rollback
                ? {
                    rollback: {
                      record: rollback.record,
                      ...('unavailable' in rollback.history ? {} : { history: rollback.history }),
                      recordsTimeoutMs: RECORDS_TIMEOUT_MS,
                    },
                  }
                : {}),
            },
          ),
        // A dry run (a pipeline's plan) leaves the record it opened in progress for the next steps.
        (r) =>
          r.dryRun || !r.switched
            ? undefined
            : r.bake?.rolledBack
              ? {
                  outcome: 'failure',
                  description: `${r.bake.reason}; ${r.previous === 'split' ? 'the old slot' : r.previous} back at 100%`,
                }
              : {
                  outcome: 'success',
                  description: `${r.previous} -> ${r.active}${r.bake ? '; bake passed' : ''}`,
                },
      ),
    )
    .catch(async (e: unknown) => {
      // A router list that took part of the switch and was put back: rolled-back=true.
      outcome.failed(e)
      notify.failed(e, traffic)
      // A failed smoke test: which server answered what, in the job summary too.
      if (e instanceof SmokeFailed) await io.summary(smokeReport(e.result))
      throw e
    })
  const baked = result.bake
  notify.switched(result, traffic)
  if (baked?.rolledBack && rollback?.record.deploymentId !== undefined)
    await rollback.record.end({
      outcome: 'success',
      description: `rolled back to ${result.active}: ${baked.reason}`,
    })
  outcome.write({
    verdict: baked ? baked.verdict : 'none',
    ...(baked?.rolledBack ? { phase: 'bake' } : {}),
    figures: baked ? { checks: gateFigures(baked.measurements) } : {},
    rolledBack: baked?.rolledBack ?? false,
    reason: baked?.rolledBack ? `${baked.reason}; the old slot is back at 100%` : '',
  })
  io.output({
    active: result.active,
    previous: result.previous,
    switched: result.switched,
    live: result.live,
    idle: result.idle,
    'idle-servers': JSON.stringify(result.idleServers),
    ...(recording.deploymentId === undefined ? {} : { 'deployment-id': recording.deploymentId }),
  })
  await io.summary(switchReport(result))
  if (baked && baked.unreached.length > 0)
    throw new DeploymentFailed(
      unreachedMessage(
        `${baked.reason}; the old slot is back at 100%`,
        baked.unreached,
        baked.after,
      ),
    )
  if (baked?.rolledBack)
    throw new DeploymentFailed(
      `${baked.reason}; traffic is back on the old slot (${result.active} carries 100%).`,
    )
}
