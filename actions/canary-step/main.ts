import type { ActionIO } from '../../packages/action-kit/action.js'
import { DeploymentFailed } from '../../packages/action-kit/index.js'
import type { Slot } from '../../packages/domain/index.js'
import {
  canaryOutcome,
  canaryReport,
  restoreAfterInterruptedWalk,
  runCanary,
  walkResumedFrom,
} from '../../packages/traffic/index.js'
import { readCanaryPlan, readRollout, readRouter, stopSignal } from '../common/inputs.js'
import { Recording } from '../common/recording.js'
import { githubContext, readRecordSettings } from '../common/records-inputs.js'

const WALK_STATE = 'walk'

export async function main(io: ActionIO): Promise<void> {
  const { inputs } = io
  const router = readRouter(inputs, io.log, io.env)
  const plan = readCanaryPlan(inputs, router, io.secret)
  const context = githubContext(io.env)
  const records = readRecordSettings(inputs, io.secret, context)
  const rollout = readRollout(inputs, records.image)

  const traffic = router.open()
  const recording = await Recording.open(records, context, traffic, io.log)
  const resumedFrom = walkResumedFrom(recording.continued)
  const result = await io.group(`Canary: steps ${plan.steps.join(' → ')}%`, () =>
    recording.around(
      () =>
        runCanary(
          traffic,
          {
            ...plan,
            ...(rollout ? { rollout } : {}),
            ...(resumedFrom === undefined ? {} : { resumedFrom }),
          },
          io.log,
          {
            record: recording,
            signal: stopSignal(io.log, 'stopping the canary walk and restoring the stable slot'),
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
  io.output({
    weight: result.weight,
    canary: result.canary,
    stable: result.stable,
    ...(result.dryRun ? {} : { verdict: result.verdict }),
    live: result.live,
    idle: result.idle,
    'idle-servers': JSON.stringify(result.idleServers),
    ...(recording.deploymentId === undefined ? {} : { 'deployment-id': recording.deploymentId }),
  })
  await io.summary(canaryReport(result))
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
  const router = readRouter(io.inputs, io.log, io.env).open()
  await restoreAfterInterruptedWalk(router, walk.stable, io.log)
  if (walk.deploymentId === undefined) return
  // The walk was aborted: its record ends as a failure, never left "in progress" at a weight.
  const context = githubContext(io.env)
  const settings = readRecordSettings(io.inputs, io.secret, context)
  const recording = await Recording.open(
    { ...settings, deploymentId: walk.deploymentId },
    context,
    router,
    io.log,
  )
  await recording.end({
    outcome: 'failure',
    description: `walk interrupted; stable ${walk.stable} restored by the post step`,
  })
}
