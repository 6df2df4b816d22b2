import type { ActionIO } from '../../packages/action-kit/action.js'
import {
  ConfigurationError,
  DeploymentFailed,
  parseInteger,
  quote,
} from '../../packages/action-kit/index.js'
import type { Slot } from '../../packages/domain/index.js'
import {
  refusalReport,
  rollback,
  rollbackReport,
  RollbackRefused,
  RollbackStoodDown,
  unreachedMessage,
} from '../../packages/traffic/index.js'
import { requestWalkAbort } from '../../packages/records/index.js'
import { readDryRun, readHealth, readRollbackMode, readRouter } from '../common/inputs.js'
import { readNotify } from '../common/notify.js'
import { OutcomeOutputs } from '../common/outcome.js'
import { openHistory, Recording } from '../common/recording.js'
import { githubContext, readRecordSettings } from '../common/records-inputs.js'

/** How long `to: previous` waits for the records before it gives up and fails. */
const RECORDS_TIMEOUT_MS = 20_000

export async function main(io: ActionIO): Promise<void> {
  const { inputs } = io
  const router = readRouter(inputs, io.log, io.env, io.secret)
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
  const mode = readRollbackMode(inputs, { to, dryRun, settings })
  const aborted = inputs.optional('aborted-deployment-id')
  const abortedId =
    aborted === undefined
      ? undefined
      : parseInteger('aborted-deployment-id', aborted, 1, Number.MAX_SAFE_INTEGER)
  // An abort request moves nothing here: the walk it stops sends its own rollback notification.
  const notify = readNotify(io, 'rollback', settings, { dryRun: dryRun || mode.requestAbort })
  const outcome = new OutcomeOutputs(io)
  // A rollback judges nothing (verdict none): its figures are the facts its decision rests on.
  const nothingMoved = { verdict: 'none', rolledBack: false, reason: '' } as const
  if (mode.requestAbort) {
    // Moves no traffic: the walk in progress stops itself at its next look and restores stable.
    if (reason) io.log.info(`reason: ${reason}`)
    const records = settings
    const traffic = router.open()
    const asked = await requestWalkAbort(records, context, {
      router: { type: traffic.type, name: traffic.name },
      log: io.log,
      reason,
    })
    if ('none' in asked) {
      io.log.info(`request-abort: ${asked.none}; nothing changed.`)
      outcome.write(nothingMoved)
      io.output({ switched: false })
      await io.summary(
        `## Abort requested: no walk in progress\n\n${asked.none}; nothing changed.\n`,
      )
      return
    }
    const walk = asked.posted
    const message = `request-abort: abort requested on deployment ${walk.id} (canary of ${records.service} to ${walk.payload.slot}, last status "${walk.statusDescription}"). The walk puts stable ${walk.payload.stable ?? 'back'} at 100% at its next look (within one gate interval, or 10 s while it holds) and fails; no traffic was moved by this step.`
    io.log.info(message)
    outcome.write({ ...nothingMoved, figures: { 'aborted-deployment-id': walk.id } })
    io.output({ switched: false, 'aborted-deployment-id': walk.id })
    await io.summary(`## Abort requested on deployment ${walk.id}\n\n${message}\n`)
    return
  }
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
  outcome.enter('weight')
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
              scope: mode.scope,
              ...(router.kind === 'flag' ? { flag: true } : {}),
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
      // scope: deployment with nothing of that deployment's to undo: nothing moved, and that is fine.
      if (e instanceof RollbackStoodDown) return e
      outcome.failed(e)
      notify.failed(e, traffic)
      throw e
    })
  if (result instanceof RollbackStoodDown) {
    io.log.info(`scope: deployment: ${result.message}`)
    if (result.facts.length > 0)
      io.log.info(`facts used:\n${result.facts.map((f) => `  - ${f}`).join('\n')}`)
    // This run's record never moved traffic: it is over, not left "in progress".
    if (result.endOwn) await recording.failUndone(result.endOwn.id, result.message)
    outcome.write({ ...nothingMoved, figures: { facts: result.facts } })
    io.output({ switched: false })
    await io.summary(
      `## Rollback: nothing changed (scope: deployment)\n\n${result.message}\n${result.facts.length > 0 ? `\n**Facts used**\n\n${result.facts.map((f) => `- ${f}`).join('\n')}\n` : ''}`,
    )
    return
  }
  // The named release never went live: its record ends as failed (the pipeline aborted it).
  if (result.decision.action === 'nothing-to-do' && undoneId !== undefined)
    await recording.failUndone(undoneId, result.decision.why, history)
  const restored = result.restored
  // Traffic moved before this: the notification never delays a rollback.
  notify.rolledBack(result, traffic, reason)
  // The button's rollback job after an abort request: the walk put stable back itself, and its
  // rollback record (the newest, undoing the aborted deployment) proves it. Anything else, such
  // as a stale walk record whose abort nobody acted on, is not a rollback by this run.
  const byAbortedWalk =
    result.decision.action === 'nothing-to-do' &&
    abortedId !== undefined &&
    result.decision.rolledBackBy?.payload.rolled_back_id === abortedId
      ? result.decision.rolledBackBy
      : undefined
  const rolledBack = (result.switched && !result.dryRun) || byAbortedWalk !== undefined
  outcome.write({
    verdict: 'none',
    figures: {
      decision: result.decision.action,
      facts: result.decision.facts,
      ...(result.health
        ? { health: { url: result.health.url, 'in-a-row': result.health.passedInARow } }
        : {}),
    },
    rolledBack,
    reason: byAbortedWalk
      ? `the canary walk of deployment ${abortedId} stopped on the abort request and put ${result.target} back at 100% (its rollback record: deployment ${byAbortedWalk.id})`
      : `rolled back to ${result.target}: ${reason || result.decision.why}`,
  })
  io.output({
    active: result.active,
    previous: result.previous,
    switched: result.switched,
    ...(restored ? { 'restored-deployment-id': restored.id } : {}),
    ...(recording.deploymentId === undefined ? {} : { 'deployment-id': recording.deploymentId }),
  })
  await io.summary(rollbackReport(result, reason))
  // Traffic is back where routers answered; the ones that did not must page someone.
  if (result.unreached.length > 0)
    throw new DeploymentFailed(
      unreachedMessage(
        rolledBack
          ? `rolled back: ${result.target} carries 100%`
          : `${result.target} carries 100% where the routers answered`,
        result.unreached,
        result.after,
      ),
    )
}
