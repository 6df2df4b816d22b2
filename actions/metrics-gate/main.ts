import type { ActionIO } from '../../packages/action-kit/action.js'
import { DeploymentFailed } from '../../packages/action-kit/index.js'
import {
  gateReport,
  parseGate,
  parseServerLists,
  runAnalysis,
  type GateKey,
} from '../../packages/gate/index.js'

const YAML_INPUTS: GateKey[] = ['prometheus-headers', 'checks', 'vars', 'preset']

export async function main(io: ActionIO): Promise<void> {
  const servers = parseServerLists(io.inputs.yaml('servers'), `Input 'servers'`)
  const gate = parseGate(
    (key) => (YAML_INPUTS.includes(key) ? io.inputs.yaml(key) : io.inputs.string(key)),
    (key) => key,
    { provided: servers ? ['canary-servers', 'stable-servers'] : [] },
  )
  for (const value of gate.secrets) io.secret(value)
  const { source, checks, settings } = gate.bind(
    servers ? { canaryServers: servers.canary, stableServers: servers.stable } : {},
  )

  const result = await io.group(
    `Metrics gate: ${checks.length} check(s), ${settings.count} measurement(s) ${settings.interval} ms apart`,
    () => runAnalysis(source, checks, settings, io.log),
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
