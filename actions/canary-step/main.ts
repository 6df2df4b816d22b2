import type { ActionIO } from '../../packages/action-kit/action.js'
import {
  ConfigurationError,
  DeploymentFailed,
  parsePercent,
  quote,
  type Inputs,
} from '../../packages/action-kit/index.js'
import {
  GATE_KEYS,
  parseGateConfig,
  PrometheusSource,
  type GateConfig,
  type GateKey,
} from '../../packages/gate/index.js'
import {
  openRouter,
  parseRouterConfig,
  type RouterConfig,
  type Slot,
} from '../../packages/router/index.js'
import { readRecordSettings, Recorder, routerSummary } from '../../packages/records/index.js'
import {
  canaryReport,
  restoreAfterInterruptedWalk,
  runCanary,
  type CanaryPlan,
} from '../../packages/traffic/index.js'

const WALK_STATE = 'walk'

export async function main(io: ActionIO): Promise<void> {
  const { inputs } = io
  const router = readRouter(inputs)
  const steps = readSteps(inputs)
  const holdMs = inputs.duration('interval', 60_000, { min: 100, max: 6 * 3_600_000 })
  const canaryInput = inputs.optional('canary')
  const canary =
    canaryInput === undefined ? undefined : inputs.enum<Slot>('canary', ['blue', 'green'], 'blue')
  const onFailure = inputs.enum('on-failure', ['rollback', 'hold'], 'rollback')
  const gate = readGate(inputs, holdMs)
  // Validate the gate now, with stand-in slot names: unknown {{vars}} fail before anything moves.
  const headers = gate?.({ canary: 'green', stable: 'blue' }).headers ?? {}
  for (const value of Object.values(headers)) io.secret(value)
  const records = readRecordSettings(inputs, io.secret)
  const last = steps[steps.length - 1] as number

  const recorder = await Recorder.open(records, io.log)
  const stop = new AbortController()
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      io.log.info(`received ${signal}: stopping the canary walk and restoring the stable slot`)
      stop.abort()
    })
  }
  const plan: CanaryPlan = { steps, holdMs, onFailure, ...(canary ? { canary } : {}) }
  if (gate) {
    plan.gate = (slots) => {
      const config = gate(slots)
      return {
        source: new PrometheusSource(config.prometheus, config.headers),
        checks: config.checks,
        settings: config.settings,
      }
    }
  }
  const walk = () =>
    runCanary(openRouter(router), plan, io.log, {
      signal: stop.signal,
      onProgress: (progress) => io.saveState(WALK_STATE, JSON.stringify(progress)),
      onStart: ({ canary, stable, before }) =>
        recorder.start({
          strategy: 'canary',
          slot: canary,
          stable,
          weights: {
            blue: canary === 'blue' ? last : 100 - last,
            green: canary === 'green' ? last : 100 - last,
          },
          previous: { slot: before[stable] === 100 ? stable : 'split' },
          router: routerSummary(router),
        }),
    })
  const result = await io.group(`Canary: steps ${steps.join(' → ')}%`, () =>
    recorder.around(walk, (r) => ({
      outcome: r.verdict === 'pass' ? 'success' : 'failure',
      description: r.reason,
    })),
  )
  io.output({
    weight: result.weight,
    canary: result.canary,
    stable: result.stable,
    verdict: result.verdict,
    ...(recorder.deploymentId === undefined ? {} : { 'deployment-id': recorder.deploymentId }),
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
  const walk = JSON.parse(saved) as { stable: Slot; finished: boolean }
  if (walk.finished) {
    io.log.info('canary-step post: the walk finished in the main step; nothing to restore.')
    return
  }
  await restoreAfterInterruptedWalk(openRouter(readRouter(io.inputs)), walk.stable, io.log)
}

function readRouter(inputs: Inputs): RouterConfig {
  return parseRouterConfig(inputs.yaml('router', { required: true }), {
    workspace: inputs.workspace,
  })
}

function readSteps(inputs: Inputs): number[] {
  const weight = inputs.optional('weight')
  const steps = inputs.optional('steps')
  if ((weight === undefined) === (steps === undefined)) {
    throw new ConfigurationError(
      weight === undefined
        ? `Give either input 'weight' (one step, 0 to 100) or input 'steps' (e.g. 5,25,50,100).`
        : `Inputs 'weight' and 'steps' were both given; give one of them.`,
    )
  }
  if (weight !== undefined) return [parsePercent('weight', weight)]
  const items = (steps as string).split(/[\s,]+/).filter(Boolean)
  const values = items.map((item) => {
    try {
      return parsePercent('steps', item)
    } catch {
      throw new ConfigurationError(
        `Input 'steps' has the value ${quote(steps)}: ${quote(item)} is not a whole percentage from 0 to 100.`,
      )
    }
  })
  values.forEach((v, i) => {
    if (i > 0 && v <= (values[i - 1] as number)) {
      throw new ConfigurationError(
        `Input 'steps' has the value ${quote(steps)}; steps must go up: ${values[i - 1]} is followed by ${v}.`,
      )
    }
  })
  return values
}

type GateFactory = (slots: { canary: Slot; stable: Slot }) => GateConfig

function readGate(inputs: Inputs, holdMs: number): GateFactory | undefined {
  const value = inputs.yaml('gate')
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigurationError(
      `Input 'gate' must be a YAML mapping (prometheus, checks, ...), got ${Array.isArray(value) ? 'a list' : quote(value)}.`,
    )
  }
  const map = value as Record<string, unknown>
  const unknown = Object.keys(map).filter((k) => !(GATE_KEYS as readonly string[]).includes(k))
  if (unknown.length > 0)
    throw new ConfigurationError(
      `Input 'gate' has unknown key ${unknown.map(quote).join(', ')}; allowed: ${GATE_KEYS.join(', ')}.`,
    )
  const build: GateFactory = ({ canary, stable }) => {
    const config = parseGateConfig(
      (key) => map[key],
      (key: GateKey) => `gate.${key}`,
      { canary, stable },
    )
    // Without an explicit count, the gate measures through the whole step: one interval in, then every interval.
    const count =
      map.count === undefined
        ? Math.max(1, Math.floor(holdMs / config.settings.interval))
        : config.settings.count
    const initialDelay =
      map['initial-delay'] === undefined ? config.settings.interval : config.settings.initialDelay
    return { ...config, settings: { ...config.settings, count, initialDelay } }
  }
  return build
}
