/**
 * Runs an action the way the GitHub runner does: the file its action.yml names in runs.main
 * (or runs.post) as a child process, with INPUT_* for the given inputs and for action.yml's
 * defaults, the runner's file commands (GITHUB_OUTPUT, GITHUB_STATE, GITHUB_ENV,
 * GITHUB_STEP_SUMMARY), STATE_* from a previous phase, and the usual GITHUB_* context.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')

export interface ActionMetadata {
  name: string
  inputs?: Record<string, { description?: string; required?: boolean; default?: string }>
  outputs?: Record<string, { description?: string }>
  runs: { using: string; main: string; post?: string; 'post-if'?: string }
}

export function actionMetadata(action: string, actionsDir = join(ROOT, 'actions')): ActionMetadata {
  return parse(readFileSync(join(actionsDir, action, 'action.yml'), 'utf8')) as ActionMetadata
}

export interface RunOptions {
  inputs?: Record<string, string | number | boolean | object>
  phase?: 'main' | 'post'
  /** STATE_* for a post phase: usually the `state` of the main run. */
  state?: Record<string, string>
  env?: Record<string, string>
  workspace?: string
  /** What `${{ github.token }}` expands to in input defaults. */
  token?: string
  /** Where the action folders are (default: the repo's actions/); for the harness's own tests. */
  actionsDir?: string
  /** Extra node arguments before the entry (e.g. a loader for a TypeScript fixture). */
  nodeArgs?: string[]
}

export interface ActionRun {
  exitCode: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  state: Record<string, string>
  env: Record<string, string>
  summary: string
  /** Messages of ::error:: and ::warning:: commands. */
  errors: string[]
  warnings: string[]
  /** stdout with workflow commands removed: what a person reads in the log. */
  log: string
}

export interface RunningAction {
  child: ChildProcess
  /** Resolves once the process has exited and its files are read. */
  done: Promise<ActionRun>
  /** Resolves once stdout has contained `text`. */
  waitForLog(text: string | RegExp): Promise<void>
}

export async function runAction(action: string, options: RunOptions = {}): Promise<ActionRun> {
  return (await startAction(action, options)).done
}

export async function startAction(
  action: string,
  options: RunOptions = {},
): Promise<RunningAction> {
  const actionsDir = options.actionsDir ?? join(ROOT, 'actions')
  const meta = actionMetadata(action, actionsDir)
  const phase = options.phase ?? 'main'
  const entryPath = meta.runs[phase]
  if (!entryPath) throw new Error(`${action}/action.yml has no runs.${phase}`)
  const entry = resolve(actionsDir, action, entryPath)

  const temp = await mkdtemp(join(tmpdir(), `cutover-run-${action}-`))
  const files = {
    GITHUB_OUTPUT: join(temp, 'output'),
    GITHUB_STATE: join(temp, 'state'),
    GITHUB_ENV: join(temp, 'env'),
    GITHUB_PATH: join(temp, 'path'),
    GITHUB_STEP_SUMMARY: join(temp, 'summary'),
    GITHUB_EVENT_PATH: join(temp, 'event.json'),
  }
  for (const file of Object.values(files)) await writeFile(file, '')
  await writeFile(files.GITHUB_EVENT_PATH, '{}')
  const workspace = options.workspace ?? temp

  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/root',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: 'acme/orders',
    GITHUB_REPOSITORY_OWNER: 'acme',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_NUMBER: '7',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_ACTOR: 'octocat',
    GITHUB_WORKFLOW: 'deploy',
    GITHUB_JOB: 'deploy',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_ACTION: action.replace(/-/g, '_'),
    GITHUB_ACTION_PATH: join(actionsDir, action),
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.com',
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_TEMP: temp,
    ...files,
    ...options.env,
  }
  // The runner sets INPUT_<NAME> (upper-cased, spaces to underscores, hyphens kept) for every
  // input given and for every default in action.yml, expressions expanded.
  const given = Object.fromEntries(
    Object.entries(options.inputs ?? {}).map(([k, v]) => [k, inputText(v)]),
  )
  for (const [name, spec] of Object.entries(meta.inputs ?? {})) {
    const value =
      given[name] ??
      (spec.default === undefined ? undefined : expand(spec.default, options.token ?? ''))
    if (value !== undefined) env[inputVariable(name)] = value
  }
  for (const [name, value] of Object.entries(given)) env[inputVariable(name)] = value
  for (const [name, value] of Object.entries(options.state ?? {})) env[`STATE_${name}`] = value

  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), entry], {
    cwd: workspace,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  const watchers: { pattern: string | RegExp; resolve: () => void }[] = []
  child.stdout!.on('data', (d) => {
    stdout += d
    for (const w of watchers.splice(0)) {
      if (typeof w.pattern === 'string' ? stdout.includes(w.pattern) : w.pattern.test(stdout))
        w.resolve()
      else watchers.push(w)
    }
  })
  child.stderr!.on('data', (d) => (stderr += d))
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((r) =>
    child.once('close', (code, signal) => r([code, signal])),
  )

  const done = exited.then(async ([exitCode, signal]) => {
    const read = (file: string) => readFile(file, 'utf8')
    const commands = (name: string) =>
      [...stdout.matchAll(new RegExp(`^::${name}(?: [^:]*)?::(.*)$`, 'gm'))].map((m) =>
        unescapeData(m[1] ?? ''),
      )
    return {
      exitCode,
      signal,
      stdout,
      stderr,
      outputs: parseFileCommands(await read(files.GITHUB_OUTPUT)),
      state: parseFileCommands(await read(files.GITHUB_STATE)),
      env: parseFileCommands(await read(files.GITHUB_ENV)),
      summary: await read(files.GITHUB_STEP_SUMMARY),
      errors: commands('error'),
      warnings: commands('warning'),
      log: stdout
        .split('\n')
        .filter((l) => !/^::[a-z-]+( [^:]*)?::/.test(l))
        .join('\n'),
    }
  })
  return {
    child,
    done,
    waitForLog: (pattern) =>
      new Promise<void>((resolvePromise, reject) => {
        if (typeof pattern === 'string' ? stdout.includes(pattern) : pattern.test(stdout))
          return resolvePromise()
        watchers.push({ pattern, resolve: resolvePromise })
        void exited.then(() =>
          reject(
            new Error(`action exited before its log showed ${pattern}:\n${stdout}\n${stderr}`),
          ),
        )
      }),
  }
}

export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`
}

function inputText(value: string | number | boolean | object): string {
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

function expand(value: string, token: string): string {
  return value.replace(/\$\{\{\s*github\.token\s*\}\}/g, token)
}

function unescapeData(s: string): string {
  return s.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%')
}

/** Parses a runner file: `key<<DELIMITER` / lines / `DELIMITER` entries, or `key=value` lines. */
export function parseFileCommands(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string
    if (line === '') continue
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    if (heredoc) {
      const [, key, delimiter] = heredoc as unknown as [string, string, string]
      const end = lines.indexOf(delimiter, i + 1)
      if (end < 0) throw new Error(`runner file: no closing ${delimiter} for ${key}`)
      out[key] = lines.slice(i + 1, end).join('\n')
      i = end
      continue
    }
    const eq = line.indexOf('=')
    if (eq < 0) throw new Error(`runner file: malformed line ${JSON.stringify(line)}`)
    out[line.slice(0, eq)] = line.slice(eq + 1)
  }
  return out
}
