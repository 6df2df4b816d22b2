import type { ActionIO } from '../../packages/action-kit/action.js'
import { DeploymentFailed } from '../../packages/action-kit/index.js'
import {
  gateReport,
  parseGateConfig,
  PrometheusSource,
  runAnalysis,
  type GateKey,
} from '../../packages/gate/index.js'

const YAML_INPUTS: GateKey[] = ['prometheus-headers', 'checks', 'vars']

export async function main(io: ActionIO): Promise<void> {
  const config = parseGateConfig(
    (key) => (YAML_INPUTS.includes(key) ? io.inputs.yaml(key) : io.inputs.string(key)),
    (key) => key,
  )
  for (const value of Object.values(config.headers)) io.secret(value)

  const source = new PrometheusSource(config.prometheus, config.headers)
  const { count, interval } = config.settings
  const result = await io.group(
    `Metrics gate: ${config.checks.length} check(s), ${count} measurement(s) ${interval} ms apart`,
    () => runAnalysis(source, config.checks, config.settings, io.log),
  )
  io.output({
    verdict: result.verdict,
    report: JSON.stringify({
      verdict: result.verdict,
      reason: result.reason,
      measurements: result.measurements,
    }),
  })
  await io.summary(gateReport(result, 'Metrics gate'))
  io.log.info(`verdict: ${result.verdict}: ${result.reason}`)
  if (result.verdict !== 'pass')
    throw new DeploymentFailed(`metrics gate verdict is ${result.verdict}: ${result.reason}`)
}
