import type { ActionIO } from '../../packages/action-kit/action.js'
import { ConfigurationError, quote } from '../../packages/action-kit/index.js'
import { readRecordSettings, Recorder, routerSummary } from '../../packages/records/index.js'
import { allOn, openRouter, parseRouterConfig } from '../../packages/router/index.js'
import {
  blueGreenSwitch,
  forSlot,
  switchReport,
  type HealthCheck,
} from '../../packages/traffic/index.js'

export async function main(io: ActionIO): Promise<void> {
  const { inputs } = io
  const config = parseRouterConfig(inputs.yaml('router', { required: true }), {
    workspace: inputs.workspace,
  })
  const to = inputs.enum('to', ['blue', 'green', 'idle'], 'idle')
  const healthUrl = inputs.optional('health-url')
  const health: HealthCheck | undefined =
    healthUrl === undefined
      ? undefined
      : {
          url: parseUrl('health-url', healthUrl),
          checks: inputs.integer('health-checks', 3, 1, 100),
          interval: inputs.duration('health-interval', 1000, { min: 100, max: 600_000 }),
          timeout: inputs.duration('health-timeout', 30_000, { min: 100, max: 3_600_000 }),
        }
  const dryRun = inputs.boolean('dry-run', false)
  const records = readRecordSettings(inputs, io.secret)

  const recorder = await Recorder.open(records, io.log)
  const result = await io.group('Blue-green switch', () =>
    recorder.around(
      () =>
        blueGreenSwitch(openRouter(config), { to, dryRun, ...(health ? { health } : {}) }, io.log, {
          onPlan: ({ previous, target }) =>
            recorder.start({
              strategy: 'blue-green',
              slot: target,
              weights: allOn(target),
              previous: { slot: previous },
              router: routerSummary(config),
            }),
        }),
      (r) => ({ outcome: 'success', description: `${r.previous} -> ${r.active}` }),
    ),
  )
  io.output({
    active: result.active,
    previous: result.previous,
    switched: result.switched,
    ...(recorder.deploymentId === undefined ? {} : { 'deployment-id': recorder.deploymentId }),
  })
  await io.summary(switchReport(result))
}

/** An http(s) URL; `{{slot}}` may stand for the target slot's name. */
function parseUrl(name: string, value: string): string {
  let url: URL | undefined
  try {
    url = new URL(forSlot(value, 'blue'))
  } catch {
    url = undefined
  }
  if (!url || !['http:', 'https:'].includes(url.protocol)) {
    throw new ConfigurationError(
      `Input '${name}' has the value ${quote(value)}; allowed: an http:// or https:// URL, where {{slot}} stands for the target slot's name.`,
    )
  }
  return value
}
