/**
 * The runner side of an action: the only module that imports @actions/core. Actions receive an
 * ActionIO and never touch the runner's files, workflow commands or process.env directly: they
 * read the environment through `io.env` and pass what packages need in as settings (lint keeps
 * process.env out of actions/ and packages/ except this file, log.ts and packages/exec).
 */
import * as core from '@actions/core'
import { ConfigurationError, DeploymentFailed, errorMessage } from './errors.js'
import { Inputs } from './inputs.js'
import { neutraliseCommands, type AnnotationOptions, type Log } from './log.js'

export type OutputValue = string | number | boolean

export interface ActionIO {
  inputs: Inputs
  /**
   * The step's environment (GITHUB_*, RUNNER_TEMP, DOCKER_CONFIG, a build secret's variable...),
   * read-only: set variables with exportVariable.
   */
  env: Readonly<Record<string, string | undefined>>
  log: Log
  /** A collapsible group in the log around `fn`. */
  group<T>(title: string, fn: () => Promise<T>): Promise<T>
  output(values: Record<string, OutputValue>): void
  /** Appends Markdown to the job summary. */
  summary(markdown: string): Promise<void>
  /**
   * Masks a value in every later log line; call before the value is first used. Each line of a
   * multi-line value is masked on its own (the runner matches masks within one line). `name`
   * says in a warning which value could not be masked, without printing it.
   */
  secret(value: string, name?: string): void
  saveState(name: string, value: string): void
  getState(name: string): string
  /** Sets an environment variable for this step and the job's later steps. */
  exportVariable(name: string, value: string): void
}

/**
 * Values shorter than this are not masked: the runner would replace every occurrence of them in
 * the log, so masking "7" would hide every 7 in every number of the job.
 */
export const MIN_SECRET_LENGTH = 4

/** A Log on the runner; every message is neutralised, so packages can log text from outside as is. */
export const runnerLog: Log = {
  info: (message) => core.info(neutraliseCommands(message)),
  warning: (message, options) => core.warning(neutraliseCommands(message), annotation(options)),
  debug: (message) => core.debug(neutraliseCommands(message)),
}

function annotation(options: AnnotationOptions | undefined): core.AnnotationProperties {
  return options?.title ? { title: neutraliseCommands(options.title) } : {}
}

/** Registers the mask for each line of `value` that is long enough; warns about the others. */
export function maskSecret(value: string, name?: string): void {
  const lines = value
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
  const short = lines.filter((line) => line.length < MIN_SECRET_LENGTH)
  for (const line of lines) if (line.length >= MIN_SECRET_LENGTH) core.setSecret(line)
  if (short.length === 0) return
  const what = name ? `the secret ${name}` : 'a secret'
  const subject =
    lines.length === 1
      ? `${what[0]!.toUpperCase()}${what.slice(1)} is`
      : `${short.length} of the ${lines.length} lines of ${what} are`
  core.warning(
    `${subject} shorter than ${MIN_SECRET_LENGTH} characters and not masked in the log: masking so short a value would hide every occurrence of those characters. Use a longer secret.`,
    { title: 'Secret too short to mask' },
  )
}

export function runnerIO(): ActionIO {
  return {
    inputs: new Inputs(
      (name) => core.getInput(name),
      process.env.GITHUB_WORKSPACE || process.cwd(),
    ),
    // The live environment: a variable exported by an earlier call in this step is seen too.
    env: process.env,
    log: runnerLog,
    group: (title, fn) => core.group(neutraliseCommands(title), fn),
    output(values) {
      for (const [name, value] of Object.entries(values)) core.setOutput(name, String(value))
    },
    async summary(markdown) {
      // Outside a runner (a local run of the bundle) there is no summary file: nothing to append to.
      if (!process.env.GITHUB_STEP_SUMMARY) return
      await core.summary.addRaw(markdown, !markdown.endsWith('\n')).write()
    },
    secret: maskSecret,
    saveState: (name, value) => core.saveState(name, value),
    getState: (name) => core.getState(name),
    exportVariable: (name, value) => core.exportVariable(name, value),
  }
}

/**
 * Runs an action's entry and returns: any throw, Error or not, becomes a failed step (an error
 * annotation that says what kind of failure it was, and `process.exitCode` 1). This is the
 * `run()` each action's entry module exports, which @github/local-action calls; it never exits
 * the process, so a host that imports it can read the outputs afterwards.
 */
export async function runEntry(entry: (io: ActionIO) => Promise<void>): Promise<void> {
  try {
    await entry(runnerIO())
  } catch (thrown) {
    fail(thrown)
  }
}

/**
 * Runs an action's entry as the runner's process: runEntry, then the process exits so no stray
 * timer or socket can hold the step open (pipes to the runner are synchronous on Linux, so
 * nothing is lost).
 */
export async function runAction(entry: (io: ActionIO) => Promise<void>): Promise<never> {
  await runEntry(entry)
  return exitWithStatus()
}

/** Ends the process with the step's status: 1 after a failure, else 0. */
export function exitWithStatus(): never {
  process.exit(process.exitCode ?? 0)
}

/** The kind of failure, as the annotation's title and the message's first words. */
export function failureTitle(thrown: unknown): string | undefined {
  if (thrown instanceof ConfigurationError) return 'Configuration error'
  if (thrown instanceof DeploymentFailed) return 'Deployment failed'
  return undefined
}

function fail(thrown: unknown): void {
  const title = failureTitle(thrown)
  const message = errorMessage(thrown)
  if (!title && thrown instanceof Error && thrown.stack)
    core.debug(neutraliseCommands(thrown.stack))
  // core.setFailed takes no annotation properties: the same error command, with a title.
  core.error(neutraliseCommands(title ? `${title}: ${message}` : message), title ? { title } : {})
  // 1 is core.ExitCode.Failure; a literal, because hosts that stand in for @actions/core
  // (@github/local-action) provide its functions but not its enums.
  process.exitCode = 1
}
