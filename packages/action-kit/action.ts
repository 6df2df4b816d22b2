/**
 * The runner side of an action. Actions receive an ActionIO and never touch the runner's files
 * or environment directly; only this module and runner.ts know the runner's protocol.
 */
import * as core from './runner.js'
import { ConfigurationError, DeploymentFailed, errorMessage } from './errors.js'
import { Inputs } from './inputs.js'
import type { Log } from './log.js'

export type OutputValue = string | number | boolean

export interface ActionIO {
  inputs: Inputs
  log: Log
  /** A collapsible group in the log around `fn`. */
  group<T>(title: string, fn: () => Promise<T>): Promise<T>
  output(values: Record<string, OutputValue>): void
  /** Appends Markdown to the job summary. */
  summary(markdown: string): Promise<void>
  /** Masks a value in every later log line. Call before the value is first used. */
  secret(value: string): void
  saveState(name: string, value: string): void
  getState(name: string): string
}

export const runnerLog: Log = {
  info: (message) => core.info(message),
  warning: (message) => core.warning(message),
  debug: (message) => core.debug(message),
}

export function runnerIO(): ActionIO {
  return {
    inputs: new Inputs(
      (name) => core.getInput(name),
      process.env.GITHUB_WORKSPACE || process.cwd(),
    ),
    log: runnerLog,
    group: (title, fn) => core.group(title, fn),
    output(values) {
      for (const [name, value] of Object.entries(values)) core.setOutput(name, String(value))
    },
    async summary(markdown) {
      core.appendSummary(markdown)
    },
    secret: (value) => {
      if (value) core.setSecret(value)
    },
    saveState: (name, value) => core.saveState(name, value),
    getState: (name) => core.getState(name),
  }
}

/**
 * Runs an action's entry. Any throw, Error or not, becomes a failed step with a message that
 * says what kind of failure it was; the process then exits so no stray timer or socket can hold
 * the step open (pipes to the runner are synchronous on Linux, so nothing is lost).
 */
export async function runAction(entry: (io: ActionIO) => Promise<void>): Promise<never> {
  try {
    await entry(runnerIO())
  } catch (thrown) {
    fail(thrown)
  }
  process.exit(process.exitCode ?? 0)
}

function fail(thrown: unknown): void {
  const message = errorMessage(thrown)
  if (thrown instanceof ConfigurationError) {
    core.setFailed(`Configuration error: ${message}`)
  } else if (thrown instanceof DeploymentFailed) {
    core.setFailed(`Deployment failed: ${message}`)
  } else {
    if (thrown instanceof Error && thrown.stack) core.debug(thrown.stack)
    core.setFailed(message)
  }
  process.exitCode = 1
}
