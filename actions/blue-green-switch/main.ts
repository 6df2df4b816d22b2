import type { ActionIO } from '../../packages/action-kit/action.js'
import {
  blueGreenSwitch,
  rolledBackOnFailure,
  rolledBackOutputs,
  switchReport,
} from '../../packages/traffic/index.js'
import { readDryRun, readHealth, readRollout, readRouter } from '../common/inputs.js'
import { Recording } from '../common/recording.js'
import { githubContext, readRecordSettings } from '../common/records-inputs.js'

export async function main(io: ActionIO): Promise<void> {
  const { inputs } = io
  const router = readRouter(inputs, io.log, io.env)
  const to = inputs.enum('to', ['blue', 'green', 'idle'], 'idle')
  const health = readHealth(inputs)
  const dryRun = readDryRun(inputs)
  const context = githubContext(io.env)
  const records = readRecordSettings(inputs, io.secret, context)
  const rollout = readRollout(inputs, records.image)

  const traffic = router.open()
  const recording = await Recording.open(records, context, traffic, io.log)
  const result = await io
    .group('Blue-green switch', () =>
      recording.around(
        () =>
          blueGreenSwitch(
            traffic,
            { to, dryRun, ...(health ? { health } : {}), ...(rollout ? { rollout } : {}) },
            io.log,
            { record: recording },
          ),
        // A dry run (a pipeline's plan) leaves the record it opened in progress for the next steps.
        (r) =>
          r.dryRun || !r.switched
            ? undefined
            : { outcome: 'success', description: `${r.previous} -> ${r.active}` },
      ),
    )
    .catch((e: unknown) => {
      // A router list that took part of the switch and was put back: rolled-back=true.
      io.output(rolledBackOnFailure(e))
      throw e
    })
  io.output({
    ...rolledBackOutputs(false, ''),
    active: result.active,
    previous: result.previous,
    switched: result.switched,
    live: result.live,
    idle: result.idle,
    'idle-servers': JSON.stringify(result.idleServers),
    ...(recording.deploymentId === undefined ? {} : { 'deployment-id': recording.deploymentId }),
  })
  await io.summary(switchReport(result))
}
