import type { ActionIO } from '../../packages/action-kit/action.js'
import { ConfigurationError, quote } from '../../packages/action-kit/index.js'
import type { Slot } from '../../packages/domain/index.js'
import {
  refusalReport,
  rollback,
  rollbackReport,
  RollbackRefused,
} from '../../packages/traffic/index.js'
import { readDryRun, readHealth, readRouter } from '../common/inputs.js'
import { openHistory, Recording } from '../common/recording.js'
import { githubContext, readRecordSettings } from '../common/records-inputs.js'

/** How long `to: previous` waits for the records before it gives up and fails. */
const RECORDS_TIMEOUT_MS = 20_000

export async function main(io: ActionIO): Promise<void> {
  const { inputs } = io
  const router = readRouter(inputs, io.log, io.env)
  const to = inputs.enum<'previous' | Slot>('to', ['previous', 'blue', 'green'], 'previous')
  const reason = inputs.string('reason')
  if (reason.length > 1000) {
    throw new ConfigurationError(
      `Input 'reason' is ${reason.length} characters long; allowed: at most 1000 (it was ${quote(reason.slice(0, 40) + '...')}).`,
    )
  }
  const nothingToDo = inputs.enum('nothing-to-do', ['fail', 'succeed'], 'fail')
  const health = readHealth(inputs)
  const dryRun = readDryRun(inputs)
  const context = githubContext(io.env)
  const settings = readRecordSettings(inputs, io.secret, context)
  if (to === 'previous' && settings.environment === '')
    throw new ConfigurationError(
      `Input 'environment' is required with to: previous: its deployment records say where "previous" is. Give the environment, or name the slot with to: blue or to: green.`,
    )
  // deployment-id names the release this rollback undoes (e.g. a pipeline's plan record).
  const { deploymentId: undoneId, ...records } = settings

  if (reason) io.log.info(`reason: ${reason}`)
  const traffic = router.open()
  const recording = await Recording.open(records, context, traffic, io.log, {
    ...(reason ? { reason } : {}),
    ...(undoneId === undefined ? {} : { undoneId }),
  })
  const history = openHistory(records, context, traffic, io.log)
  const result = await io
    .group('Rollback', () =>
      recording.around(
        () =>
          rollback(
            traffic,
            {
              to,
              dryRun,
              nothingToDo,
              recordsTimeoutMs: RECORDS_TIMEOUT_MS,
              ...(undoneId === undefined ? {} : { undo: undoneId }),
              ...(health ? { health } : {}),
            },
            history,
            io.log,
            // Without records to write, nothing needs reading once traffic moved.
            records.enabled && records.token ? { record: recording } : {},
          ),
        (r) =>
          r.switched
            ? {
                outcome: 'success',
                description: `rolled back to ${r.target}${reason ? `: ${reason}` : ''}`,
              }
            : undefined,
      ),
    )
    .catch(async (e: unknown) => {
      // A refusal moved nothing; the summary says why and on which facts.
      if (e instanceof RollbackRefused) await io.summary(refusalReport(e))
      throw e
    })
  // The named release never went live: its record ends as failed (the pipeline aborted it).
  if (result.decision.action === 'nothing-to-do' && undoneId !== undefined)
    await recording.failUndone(undoneId, result.decision.why)
  const restored = result.restored
  io.output({
    active: result.active,
    previous: result.previous,
    switched: result.switched,
    ...(restored ? { 'restored-deployment-id': restored.id } : {}),
    ...(recording.deploymentId === undefined ? {} : { 'deployment-id': recording.deploymentId }),
  })
  await io.summary(rollbackReport(result, reason))
}
