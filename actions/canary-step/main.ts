import type { ActionIO } from '../../packages/action-kit/action.js'
import { DeploymentFailed } from '../../packages/action-kit/index.js'
import type { Slot } from '../../packages/domain/index.js'
import { liveSlot, otherSlot, weightsFor } from '../../packages/domain/index.js'
import {
  canaryOutcome,
  canaryReport,
  gateFigures,
  recordSelfRollback,
  restoreAfterInterruptedWalk,
  runCanary,
  SmokeFailed,
  smokeReport,
  unreachedMessage,
  walkResumedFrom,
  walkResumedWeight,
} from '../../packages/traffic/index.js'
import { readNotify } from '../common/notify.js'
import { readCanaryPlan, readRollout, readRouter, stopSignal } from '../common/inputs.js'
import { OutcomeOutputs } from '../common/outcome.js'
import { openHistory, Recording, rollbackRecordSettings } from '../common/recording.js'
import { githubContext, readRecordSettings } from '../common/records-inputs.js'
import { ABORT_POLL_MS, openWalkWatch } from '../../packages/records/index.js'

const WALK_STATE = 'walk'
/** How long the automatic rollback waits for the records to name the release stable holds (ms). */
const RECORDS_TIMEOUT_MS = 10_000

export async function main(io: ActionIO): Promise<void> {
  const { inputs } = io
  const router = readRouter(inputs, io.log, io.env, io.secret)
  const plan = readCanaryPlan(inputs, router, io.secret)
  const context = githubContext(io.env)
  const records = readRecordSettings(inputs, io.secret, context)
  const rollout = readRollout(inputs, records.image)
  const notify = readNotify(io, 'canary-step', records, { dryRun: plan.dryRun })
  const waiting = inputs.string('notify-waiting')

  const traffic = router.open()
  const recording = await Recording.open(records, context, traffic, io.log, { claim: true })
  // If the walk puts stable back, it writes the record a rollback writes (a new deployment).
  const rollbackSettings = rollbackRecordSettings(records)
  const rollback =
    records.enabled && records.token && !plan.dryRun
      ? {
          record: await Recording.open(rollbackSettings, context, traffic, io.log),
          history: openHistory(rollbackSettings, context, traffic, io.log),
        }
      : undefined
  const outcome = new OutcomeOutputs(io)
  const resumedFrom = walkResumedFrom(recording.continued)
  // What the earlier job left the router at: the walk checks it still holds that before raising.
  const resumedWeight =
    resumedFrom === undefined ? undefined : walkResumedWeight(recording.continued)
  notify.send('start', {
    summary: `canary walk: steps ${plan.headerPhase ? 'header, ' : ''}${plan.steps.join(', ')}%`,
  })
  const result = await io
    .group(`Canary: steps ${plan.steps.join(' → ')}%`, () =>
      recording.around(
        () =>
          runCanary(
            traffic,
            {
              ...plan,
              ...(rollout ? { rollout } : {}),
              ...(resumedFrom === undefined ? {} : { resumedFrom }),
              ...(resumedWeight === undefined ? {} : { resumedWeight }),
            },
            io.log,
            {
              record: recording,
              phase: outcome.enter,
              signal: stopSignal(io.log, 'stopping the canary walk and restoring the stable slot'),
              // The rollback button: an abort request on the walk's deployment stops it.
              watch: {
                ...openWalkWatch(records, context, {
                  log: io.log,
                  deploymentId: () => recording.deploymentId,
                }),
                everyMs: ABORT_POLL_MS,
              },
              ...(rollback
                ? {
                    rollback: {
                      record: rollback.record,
                      ...('unavailable' in rollback.history ? {} : { history: rollback.history }),
                      recordsTimeoutMs: RECORDS_TIMEOUT_MS,
                    },
                  }
                : {}),
              onStep: notify.step(traffic),
              // What the post step needs if this process dies mid-walk.
              onProgress: (progress) =>
                io.saveState(
                  WALK_STATE,
                  JSON.stringify({ ...progress, deploymentId: recording.deploymentId }),
                ),
            },
          ),
        (r) => (r.dryRun ? undefined : canaryOutcome(r)),
      ),
    )
    .catch(async (e: unknown) => {
      outcome.failed(e)
      notify.failed(e, traffic)
      // A failed smoke test: which server answered what, in the job summary too.
      if (e instanceof SmokeFailed) await io.summary(smokeReport(e.result))
      throw e
    })
  notify.walked(result, traffic, waiting)
  if (result.rolledBack && rollback?.record.deploymentId !== undefined)
    await rollback.record.end({
      outcome: 'success',
      description: `rolled back to ${result.stable}: ${result.reason}`,
    })
  // The figures of the step that decided the walk: the last one judged with measurements.
  const judged = [...result.steps].reverse().find((s) => s.measurements.length > 0)
  outcome.write({
    verdict: result.dryRun ? 'none' : result.verdict,
    // A walk that passed holding in the header phase (steps: header) says header.
    phase:
      result.dryRun || result.verdict === 'pass'
        ? result.phase === 'header'
          ? 'header'
          : 'done'
        : (outcome.phase ?? 'weight'),
    figures: judged ? { step: judged.weight, checks: gateFigures(judged.measurements) } : {},
    rolledBack: result.rolledBack,
    reason: result.reason,
  })
  io.output({
    weight: result.weight,
    canary: result.canary,
    stable: result.stable,
    live: result.live,
    idle: result.idle,
    'idle-servers': JSON.stringify(result.idleServers),
    ...(recording.deploymentId === undefined ? {} : { 'deployment-id': recording.deploymentId }),
  })
  await io.summary(canaryReport(result))
  if (result.unreached.length > 0)
    throw new DeploymentFailed(
      unreachedMessage(
        `${result.reason}; stable ${result.stable} is back at 100%`,
        result.unreached,
        result.after,
      ),
    )
  if (result.verdict !== 'pass') {
    const where = result.rolledBack
      ? `stable ${result.stable} is back at 100%`
      : `traffic held with canary ${result.canary} at ${result.weight}%`
    throw new DeploymentFailed(`${result.reason}; ${where}.`)
  }
}

/** Runs even when the job was cancelled: if main died mid-walk, the stable slot gets 100% back. */
export async function post(io: ActionIO): Promise<void> {
  const saved = io.getState(WALK_STATE)
  if (!saved) {
    io.log.info('canary-step post: no walk was started; nothing to restore.')
    return
  }
  const walk = JSON.parse(saved) as { stable: Slot; finished: boolean; deploymentId?: number }
  if (walk.finished) {
    io.log.info('canary-step post: the walk finished in the main step; nothing to restore.')
    return
  }
  const router = readRouter(io.inputs, io.log, io.env, io.secret).open()
  const restore = await restoreAfterInterruptedWalk(router, walk.stable, io.log)
  const reason = `walk interrupted; stable ${walk.stable} restored by the post step`
  // After the move, never before: the main step validated these inputs already.
  if (restore.restored)
    readNotify(
      io,
      'canary-step',
      readRecordSettings(io.inputs, io.secret, githubContext(io.env)),
    ).send('rollback', {
      summary: reason,
      reason,
      traffic: {
        router,
        after: weightsFor(otherSlot(walk.stable), 0),
        unreached: restore.unreached,
      },
    })
  if (walk.deploymentId !== undefined) {
    // The walk was aborted: its record ends as a failure, never left "in progress" at a weight.
    const context = githubContext(io.env)
    const settings = readRecordSettings(io.inputs, io.secret, context)
    const recording = await Recording.open(
      { ...settings, deploymentId: walk.deploymentId },
      context,
      router,
      io.log,
    )
    await recording.end({ outcome: 'failure', description: reason })
    if (restore.restored && settings.enabled && settings.token) {
      // The same record a rollback writes: stable back, the walk's record undone.
      const rollbackSettings = rollbackRecordSettings(settings)
      const record = await Recording.open(rollbackSettings, context, router, io.log)
      const history = openHistory(rollbackSettings, context, router, io.log)
      await recordSelfRollback(
        {
          record,
          ...('unavailable' in history ? {} : { history }),
          recordsTimeoutMs: RECORDS_TIMEOUT_MS,
        },
        walk.deploymentId,
        {
          target: walk.stable,
          previous: liveSlot(restore.from) ?? 'split',
          unreached: restore.unreached,
          reason,
        },
        io.log,
      )
      if (record.deploymentId !== undefined)
        await record.end({
          outcome: 'success',
          description: `rolled back to ${walk.stable}: ${reason}`,
        })
    }
  }
  if (restore.unreached.length > 0)
    throw new DeploymentFailed(
      unreachedMessage(
        `stable ${walk.stable} restored by the post step`,
        restore.unreached,
        weightsFor(otherSlot(walk.stable), 0),
      ),
    )
}
