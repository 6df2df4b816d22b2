import type { ActionIO } from '../../packages/action-kit/action.js'
import { ConfigurationError, quote } from '../../packages/action-kit/index.js'
import { readRecordSettings, Recorder, routerSummary } from '../../packages/records/index.js'
import { allOn, openRouter, parseRouterConfig, type Slot } from '../../packages/router/index.js'
import { rollback, rollbackReport } from '../../packages/traffic/index.js'

export async function main(io: ActionIO): Promise<void> {
  const { inputs } = io
  const config = parseRouterConfig(inputs.yaml('router', { required: true }), {
    workspace: inputs.workspace,
  })
  const to = inputs.enum<'previous' | Slot>('to', ['previous', 'blue', 'green'], 'previous')
  const reason = inputs.string('reason')
  if (reason.length > 1000) {
    throw new ConfigurationError(
      `Input 'reason' is ${reason.length} characters long; allowed: at most 1000 (it was ${quote(reason.slice(0, 40) + '...')}).`,
    )
  }
  const dryRun = inputs.boolean('dry-run', false)
  const settings = readRecordSettings(inputs, io.secret)

  if (reason) io.log.info(`reason: ${reason}`)
  // Records are read to find "previous" even with record: false; only writing is switched off.
  const reader = await Recorder.open({ ...settings, enabled: true }, io.log)
  const recorder = settings.enabled ? reader : await Recorder.open(settings, io.log)
  const result = await io.group('Rollback', () =>
    recorder.around(
      () =>
        rollback(openRouter(config), { to, dryRun }, reader, io.log, {
          onMoved: (decision, before) =>
            recorder.start(
              {
                strategy: 'rollback',
                slot: decision.target,
                weights: allOn(decision.target),
                previous: {
                  slot: before.blue === 100 ? 'blue' : before.green === 100 ? 'green' : 'split',
                },
                router: routerSummary(config),
                ...(decision.rolledBack ? { rolled_back_id: decision.rolledBack.id } : {}),
                ...(decision.restored ? { restored_deployment_id: decision.restored.id } : {}),
                ...(decision.restored?.payload.image
                  ? { image: decision.restored.payload.image }
                  : {}),
                ...(reason ? { reason } : {}),
              },
              { afterTraffic: true },
            ),
        }),
      (r) => ({
        outcome: 'success',
        description: `rolled back to ${r.decision.target}${reason ? `: ${reason}` : ''}`,
      }),
    ),
  )
  io.output({
    active: result.active,
    ...(result.decision.restored ? { 'restored-deployment-id': result.decision.restored.id } : {}),
    ...(recorder.deploymentId === undefined ? {} : { 'deployment-id': recorder.deploymentId }),
  })
  await io.summary(rollbackReport(result, reason))
}
