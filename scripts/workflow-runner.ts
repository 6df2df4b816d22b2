/**
 * Runs a GitHub Actions workflow file's jobs in order, the way the runner would, with the steps
 * handed to a `StepRunner` (our actions through their bundles, `run:` steps through bash). It
 * reads the workflow itself — jobs, `needs`, `if`, steps, `with`, `env`, outputs — so the demo
 * and the tests run the very file users call, not a copy that can drift.
 *
 * Expressions: the subset our workflows use — contexts (inputs, vars, secrets, github, needs,
 * steps, env, jobs), string/number/boolean literals, `!`, `==`, `!=`, `&&`, `||` (which return
 * an operand, as GitHub's do), parentheses, and format, startsWith, contains, fromJSON, toJSON,
 * success, failure, cancelled, always. Anything else is an error naming the expression.
 *
 * Job-level `concurrency` is modelled when the runs share a `ConcurrencyGroups`: a job waits
 * while another job of the same group runs (groups compare case-insensitively, as GitHub's do);
 * with `queue: max` every waiting job keeps its place in line, without it a newer waiting job
 * cancels the older waiting one, as GitHub does. Two `runWorkflow` calls awaited together are
 * two workflow runs at once. The lock is taken after `beforeJob` (the environment's wait timer or
 * reviewers): a job waiting on its environment holds no group here.
 *
 * Environments: `environment` may be a name, a mapping (name, deployment) or one expression that
 * gives either (e.g. `fromJSON(format(...))`), as GitHub evaluates it. `beforeJob` sees the name
 * and whether GitHub would create a deployment for the job; returning 'fail' fails the job before
 * any step, as GitHub fails a job whose protection rule rejected it (the run's `failure()` jobs,
 * such as a rollback, then run). `customProtectionRule` is such a `beforeJob` for an environment
 * whose rule is a GitHub App: it has the fake GitHub deliver the deployment_protection_rule event
 * to the App and waits for the App's review.
 */

export type Value = string | number | boolean | null | Value[] | { [key: string]: Value }
export type Result = 'success' | 'failure' | 'cancelled' | 'skipped'

export interface StepOutcome {
  ok: boolean
  outputs: Record<string, string>
}

/** Which step is running (for a runner that prints what it runs). */
export interface StepInfo {
  job: string
  id?: string
  name?: string
}

export interface StepRunner {
  /** One of our actions (`<owner>/cutover/actions/<name>@<ref>` or `./actions/<name>`). */
  action(
    name: string,
    inputs: Record<string, string>,
    env: Record<string, string>,
    step: StepInfo,
  ): Promise<StepOutcome>
  /** A `run:` step: the script, with the step's env. */
  shell(script: string, env: Record<string, string>, step: StepInfo): Promise<StepOutcome>
}

/** What a job is about to do, for `beforeJob`: its name and its environment (expressions expanded). */
export interface JobInfo {
  name?: string
  environment?: string
  /** false when the environment says `deployment: false` (GitHub creates no deployment for the job). */
  deployment?: boolean
}

/** The two calls of the fake GitHub (scripts/sandbox/fake-github.ts) a custom protection rule needs. */
export interface ProtectionRuleHost {
  deliverProtectionRule(options: {
    url: string
    environment: string
    runId: number
    sha: string
    ref: string
  }): Promise<{ status: number; deliveryId: string }>
  waitForReview(
    runId: number,
    environment: string,
    timeoutMs: number,
  ): Promise<{ state?: 'approved' | 'rejected'; comment: string }>
}

/** GitHub's annotation on a job its environment's protection rules did not let through. */
export const REJECTED_JOB = "The deployment was rejected or didn't satisfy other protection rules."

/**
 * A `beforeJob` for an environment whose protection rule is a GitHub App: for each job in that
 * environment, the fake GitHub delivers the deployment_protection_rule event to the App at
 * `appUrl` and the job waits (no step runs) for the App's decision: approved, the job runs;
 * rejected, it fails as GitHub fails it. A job with `deployment: false` in that environment fails
 * at once (a custom rule needs the job's deployment). `seen` gets one line per job it judged.
 */
export function customProtectionRule(options: {
  github: ProtectionRuleHost
  appUrl: string
  environment: string
  runId: number
  sha: string
  ref: string
  /** How long a job may wait for the App's decision before the test gives up. */
  timeoutMs: number
  seen?: string[]
}): (id: string, job: JobInfo) => Promise<'fail' | void> {
  return async (id, job) => {
    if (job.environment !== options.environment) return
    if (job.deployment === false) {
      options.seen?.push(`${id}: failed, deployment: false in ${options.environment}`)
      return 'fail'
    }
    const { runId, sha, ref, environment } = options
    await options.github.deliverProtectionRule({
      url: options.appUrl,
      environment,
      runId,
      sha,
      ref,
    })
    const review = await options.github.waitForReview(runId, environment, options.timeoutMs)
    options.seen?.push(`${id}: ${review.state ?? 'no decision'}`)
    return review.state === 'approved' ? undefined : 'fail'
  }
}

export interface JobRun {
  result: Result
  outputs: Record<string, string>
}

export interface WorkflowRunOptions {
  inputs?: Record<string, Value>
  vars?: Record<string, string>
  secrets?: Record<string, string>
  github?: Record<string, Value>
  runner: StepRunner
  /**
   * Before a job starts (after its `if` passed): return 'cancel' to cancel the run there, as a
   * user would, or 'fail' to fail the job before any step, as a rejecting protection rule does.
   */
  beforeJob?: (
    id: string,
    job: JobInfo,
  ) => 'cancel' | 'fail' | void | Promise<'cancel' | 'fail' | void>
  /** After each job, skipped ones included. */
  afterJob?: (id: string, run: JobRun) => void
  /** Shared by the runs that may run at once: job-level concurrency groups. Without it, groups are ignored. */
  concurrency?: ConcurrencyGroups
  /** A name for this run in the groups' event log (default: the workflow's name). */
  label?: string
}

/**
 * Job-level concurrency groups shared by workflow runs in one test: `acquire` resolves when the
 * job may run (or with null when a newer waiting job of a group without `queue: max` replaced
 * it). `events` lists, in order, `<run>/<job> waits for|holds|releases <group>` and
 * `<run>/<job> cancelled while waiting for <group>`.
 */
export class ConcurrencyGroups {
  readonly events: string[] = []
  private readonly groups = new Map<string, { running: boolean; waiting: Waiter[] }>()

  async acquire(group: string, who: string, queueMax: boolean): Promise<(() => void) | null> {
    const key = group.toLowerCase()
    let state = this.groups.get(key)
    if (!state) this.groups.set(key, (state = { running: false, waiting: [] }))
    const release = () => {
      this.events.push(`${who} releases ${group}`)
      const current = this.groups.get(key)!
      const next = current.waiting.shift()
      if (next) next.start()
      else current.running = false
    }
    if (!state.running) {
      state.running = true
      this.events.push(`${who} holds ${group}`)
      return release
    }
    this.events.push(`${who} waits for ${group}`)
    if (!queueMax)
      for (const older of state.waiting.splice(0)) {
        this.events.push(`${older.who} cancelled while waiting for ${group}`)
        older.cancel()
      }
    return new Promise((resolve) => {
      state.waiting.push({
        who,
        start: () => {
          this.events.push(`${who} holds ${group}`)
          resolve(release)
        },
        cancel: () => resolve(null),
      })
    })
  }
}

interface Waiter {
  who: string
  start(): void
  cancel(): void
}

interface StepSpec {
  id?: string
  name?: string
  uses?: string
  run?: string
  if?: string | boolean
  with?: Record<string, unknown>
  env?: Record<string, unknown>
}

interface JobSpec {
  name?: string
  needs?: string | string[]
  if?: string | boolean
  environment?: string | { name?: string; deployment?: boolean }
  concurrency?: string | { group: string; 'cancel-in-progress'?: boolean | string; queue?: string }
  outputs?: Record<string, string>
  steps?: StepSpec[]
}

interface WorkflowSpec {
  name?: string
  on?: {
    workflow_call?: {
      inputs?: Record<string, { default?: Value; required?: boolean }>
      outputs?: Record<string, { value: string }>
    }
  }
  jobs: Record<string, JobSpec>
}

const OUR_ACTION = /^(?:[\w.-]+\/cutover\/|\.\/)actions\/([\w-]+)(?:@|$)/
const STATUS_FUNCTION = /\b(success|failure|cancelled|always)\s*\(/

/** Runs the workflow's jobs in `needs` order; returns every job's result and outputs and the workflow's outputs. */
export async function runWorkflow(
  workflow: WorkflowSpec,
  options: WorkflowRunOptions,
): Promise<{ jobs: Record<string, JobRun>; outputs: Record<string, string> }> {
  const defaults: Record<string, Value> = {}
  for (const [key, spec] of Object.entries(workflow.on?.workflow_call?.inputs ?? {}))
    if (spec.default !== undefined) defaults[key] = spec.default
  const inputs = { ...defaults, ...options.inputs }
  // GitHub refuses the call before any job runs (e.g. runs-on, which has no default).
  for (const [key, spec] of Object.entries(workflow.on?.workflow_call?.inputs ?? {}))
    if (spec.required && spec.default === undefined && inputs[key] === undefined)
      throw new Error(`Input ${key} is required, but not provided while calling.`)
  const jobs: Record<string, JobRun> = {}
  let cancelled = false
  const needsOf = (job: JobSpec) =>
    job.needs === undefined ? [] : ([] as string[]).concat(job.needs)
  const ancestors = (id: string, seen = new Set<string>()): Set<string> => {
    for (const need of needsOf(workflow.jobs[id] ?? {}))
      if (!seen.has(need)) {
        seen.add(need)
        ancestors(need, seen)
      }
    return seen
  }

  for (const id of order(workflow.jobs, needsOf)) {
    const job = workflow.jobs[id] as JobSpec
    const above = [...ancestors(id)].map((a) => jobs[a]?.result)
    const status = {
      success: () =>
        !cancelled &&
        above.every((r) => r === 'success' || r === 'skipped') &&
        needsOf(job).every((n) => jobs[n]?.result === 'success'),
      failure: () => above.some((r) => r === 'failure'),
      cancelled: () => cancelled,
      always: () => true,
    }
    const context: Context = {
      inputs,
      vars: options.vars ?? {},
      secrets: options.secrets ?? {},
      github: options.github ?? {},
      needs: Object.fromEntries(
        needsOf(job).map((n) => [
          n,
          { result: jobs[n]?.result ?? 'skipped', outputs: jobs[n]?.outputs ?? {} },
        ]),
      ),
      steps: {},
      env: {},
      status,
    }
    if (!condition(job.if, context)) {
      jobs[id] = { result: 'skipped', outputs: {} }
      options.afterJob?.(id, jobs[id])
      continue
    }
    const info: JobInfo = {
      ...(job.name === undefined ? {} : { name: interpolate(job.name, context) }),
      ...environmentOf(job, context),
    }
    const before = await options.beforeJob?.(id, info)
    if (before === 'cancel') {
      cancelled = true
      jobs[id] = { result: 'cancelled', outputs: {} }
      options.afterJob?.(id, jobs[id])
      continue
    }
    if (before === 'fail') {
      jobs[id] = { result: 'failure', outputs: mapValues(job.outputs, context) }
      options.afterJob?.(id, jobs[id])
      continue
    }
    const release = await lock(job, id, context, options, workflow.name)
    if (release === null) {
      // A newer waiting job of its group (no queue: max) replaced it: GitHub cancels it.
      cancelled = true
      jobs[id] = { result: 'cancelled', outputs: {} }
      options.afterJob?.(id, jobs[id])
      continue
    }
    let failed = false
    const steps: Record<string, { outcome: Result; outputs: Record<string, string> }> = {}
    try {
      for (const step of job.steps ?? []) {
        const stepContext: Context = {
          ...context,
          steps,
          // Inside a job, success() is about this job's earlier steps: a job that runs because
          // of cancelled() (the rollback) runs its steps.
          status: { ...status, success: () => !failed, failure: () => failed },
        }
        if (!condition(step.if, stepContext)) continue
        const env = mapValues(step.env, stepContext)
        let outcome: StepOutcome
        const action = step.uses?.match(OUR_ACTION)?.[1]
        const about: StepInfo = {
          job: id,
          ...(step.id === undefined ? {} : { id: step.id }),
          ...(step.name === undefined ? {} : { name: step.name }),
        }
        if (action)
          outcome = await options.runner.action(
            action,
            mapValues(step.with, stepContext),
            env,
            about,
          )
        else if (step.uses?.startsWith('actions/checkout@')) outcome = { ok: true, outputs: {} }
        else if (step.run !== undefined) outcome = await options.runner.shell(step.run, env, about)
        else throw new Error(`job ${id}: cannot run step ${step.name ?? step.uses ?? '?'}`)
        if (step.id)
          steps[step.id] = { outcome: outcome.ok ? 'success' : 'failure', outputs: outcome.outputs }
        if (!outcome.ok) failed = true
      }
    } finally {
      release?.()
    }
    const outputs = mapValues(job.outputs, { ...context, steps })
    jobs[id] = { result: failed ? 'failure' : 'success', outputs }
    options.afterJob?.(id, jobs[id])
  }
  const outputs: Record<string, string> = {}
  for (const [key, spec] of Object.entries(workflow.on?.workflow_call?.outputs ?? {}))
    outputs[key] = interpolate(spec.value, {
      inputs,
      vars: {},
      secrets: {},
      github: {},
      needs: {},
      steps: {},
      env: {},
      jobs: Object.fromEntries(
        Object.entries(jobs).map(([j, r]) => [j, { result: r.result, outputs: r.outputs }]),
      ),
      status: {
        success: () => true,
        failure: () => false,
        cancelled: () => cancelled,
        always: () => true,
      },
    })
  return { jobs, outputs }
}

/** The job's environment name and deployment flag: a name, a mapping, or one expression giving either. */
function environmentOf(
  job: JobSpec,
  context: Context,
): Pick<JobInfo, 'environment' | 'deployment'> {
  let spec: Value | undefined = job.environment as Value | undefined
  if (typeof spec === 'string') {
    const whole = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(spec)
    spec =
      whole && !whole[1]!.includes('}}') ? evaluate(whole[1]!, context) : interpolate(spec, context)
  }
  if (spec === undefined || spec === null || spec === '') return {}
  if (typeof spec !== 'object' || Array.isArray(spec)) return { environment: toText(spec) }
  const name = spec.name
  const deployment = spec.deployment
  if (deployment !== undefined && typeof deployment !== 'boolean')
    throw new Error(`environment.deployment must be a boolean, got ${JSON.stringify(deployment)}`)
  return {
    ...(name === undefined || name === null
      ? {}
      : { environment: typeof name === 'string' ? interpolate(name, context) : toText(name) }),
    ...(deployment === undefined ? {} : { deployment }),
  }
}

/** Waits for the job's concurrency group; undefined when it has none (or the runs share no groups). */
async function lock(
  job: JobSpec,
  id: string,
  context: Context,
  options: WorkflowRunOptions,
  name: string | undefined,
): Promise<(() => void) | null | undefined> {
  if (job.concurrency === undefined || !options.concurrency) return undefined
  const spec = typeof job.concurrency === 'string' ? { group: job.concurrency } : job.concurrency
  const cancelInProgress = spec['cancel-in-progress']
  if (cancelInProgress !== undefined && cancelInProgress !== false && cancelInProgress !== 'false')
    throw new Error(`job ${id}: cancel-in-progress is not modelled here`)
  const group = interpolate(spec.group, context)
  return options.concurrency.acquire(
    group,
    `${options.label ?? name ?? 'run'}/${id}`,
    spec.queue === 'max',
  )
}

/** Jobs in an order that respects `needs`, otherwise as written. */
function order(jobs: Record<string, JobSpec>, needsOf: (job: JobSpec) => string[]): string[] {
  const done: string[] = []
  const visit = (id: string, path: string[]) => {
    if (done.includes(id)) return
    if (path.includes(id)) throw new Error(`jobs need each other: ${[...path, id].join(' -> ')}`)
    const job = jobs[id]
    if (!job) throw new Error(`job ${path.at(-1)} needs ${id}, which does not exist`)
    for (const need of needsOf(job)) visit(need, [...path, id])
    done.push(id)
  }
  for (const id of Object.keys(jobs)) visit(id, [])
  return done
}

// ---------------------------------------------------------------------------------------------
// Expressions

export interface Context {
  inputs: Record<string, Value>
  vars: Record<string, string>
  secrets: Record<string, string>
  github: Record<string, Value>
  needs: Record<string, Value>
  steps: Record<string, { outcome: Result; outputs: Record<string, string> }>
  env: Record<string, string>
  jobs?: Record<string, Value>
  status: { success(): boolean; failure(): boolean; cancelled(): boolean; always(): boolean }
}

function mapValues(
  map: Record<string, unknown> | undefined,
  context: Context,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(map ?? {}).map(([k, v]) => [k, interpolate(String(v), context)]),
  )
}

/** A job's or step's `if`: without a status function it means `success() && (if)`. */
export function condition(when: string | boolean | undefined, context: Context): boolean {
  if (when === undefined) return context.status.success()
  const text = String(when)
    .trim()
    .replace(/^\$\{\{([\s\S]*)\}\}$/, '$1')
  const value = truthy(evaluate(text, context))
  return STATUS_FUNCTION.test(text) ? value : context.status.success() && value
}

/** A string with `${{ }}` in it, as the runner expands it. */
export function interpolate(text: string, context: Context): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expr: string) => toText(evaluate(expr, context)))
}

function toText(value: Value | undefined): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

function truthy(value: Value | undefined): boolean {
  return !(value === null || value === undefined || value === false || value === '' || value === 0)
}

type Token = { kind: 'str' | 'num' | 'id' | 'op'; text: string }

function tokenize(expr: string): Token[] {
  const tokens: Token[] = []
  const re = /\s*(?:'((?:[^']|'')*)'|(\d+(?:\.\d+)?)|([A-Za-z_][\w-]*)|(==|!=|&&|\|\||[!().,[\]]))/y
  let at = 0
  while (at < expr.length) {
    if (/^\s*$/.test(expr.slice(at))) break
    re.lastIndex = at
    const m = re.exec(expr)
    if (!m) throw new Error(`expression "${expr.trim()}": cannot read "${expr.slice(at).trim()}"`)
    at = re.lastIndex
    if (m[1] !== undefined) tokens.push({ kind: 'str', text: m[1].replace(/''/g, "'") })
    else if (m[2] !== undefined) tokens.push({ kind: 'num', text: m[2] })
    else if (m[3] !== undefined) tokens.push({ kind: 'id', text: m[3] })
    else tokens.push({ kind: 'op', text: m[4] as string })
  }
  return tokens
}

/** Evaluates one expression (the inside of `${{ }}`). */
export function evaluate(expr: string, context: Context): Value {
  const tokens = tokenize(expr)
  let i = 0
  const peek = () => tokens[i]
  const take = (text?: string) => {
    const t = tokens[i]
    if (!t || (text !== undefined && t.text !== text))
      throw new Error(`expression "${expr.trim()}": expected ${text ?? 'more'} at token ${i + 1}`)
    i++
    return t
  }
  // Each parse function returns a thunk, so && and || evaluate their right side only when needed.
  type Thunk = () => Value
  const or = (): Thunk => {
    let left = and()
    while (peek()?.text === '||') {
      take()
      const [l, r] = [left, and()]
      left = () => {
        const v = l()
        return truthy(v) ? v : r()
      }
    }
    return left
  }
  const and = (): Thunk => {
    let left = equality()
    while (peek()?.text === '&&') {
      take()
      const [l, r] = [left, equality()]
      left = () => {
        const v = l()
        return truthy(v) ? r() : v
      }
    }
    return left
  }
  const equality = (): Thunk => {
    let left = unary()
    while (peek()?.text === '==' || peek()?.text === '!=') {
      const op = take().text
      const [l, r] = [left, unary()]
      left = () => (equal(l(), r()) ? op === '==' : op !== '==')
    }
    return left
  }
  const unary = (): Thunk => {
    if (peek()?.text === '!') {
      take()
      const operand = unary()
      return () => !truthy(operand())
    }
    return postfix()
  }
  const postfix = (): Thunk => {
    let value = primary()
    for (;;) {
      if (peek()?.text === '.') {
        take()
        const [base, key] = [value, take().text]
        value = () => member(base(), key)
      } else if (peek()?.text === '[') {
        take()
        const [base, key] = [value, or()]
        take(']')
        value = () => member(base(), toText(key()))
      } else return value
    }
  }
  const primary = (): Thunk => {
    const t = take()
    if (t.text === '(' && t.kind === 'op') {
      const inner = or()
      take(')')
      return inner
    }
    if (t.kind === 'str') return () => t.text
    if (t.kind === 'num') return () => Number(t.text)
    if (t.kind !== 'id') throw new Error(`expression "${expr.trim()}": unexpected ${t.text}`)
    if (t.text === 'true' || t.text === 'false') return () => t.text === 'true'
    if (t.text === 'null') return () => null
    if (peek()?.text === '(') {
      take()
      const args: Thunk[] = []
      while (peek()?.text !== ')') {
        args.push(or())
        if (peek()?.text === ',') take()
      }
      take(')')
      return () =>
        call(
          t.text,
          args.map((a) => a()),
        )
    }
    const root: Record<string, unknown> = {
      inputs: context.inputs,
      vars: context.vars,
      secrets: context.secrets,
      github: context.github,
      needs: context.needs,
      steps: context.steps,
      env: context.env,
      jobs: context.jobs ?? {},
    }
    if (!(t.text in root)) throw new Error(`expression "${expr.trim()}": unknown context ${t.text}`)
    return () => root[t.text] as Value
  }
  const call = (name: string, args: Value[]): Value => {
    const text = args.map(toText)
    switch (name) {
      case 'format':
        // {{ and }} are literal braces, as in GitHub's format.
        return (text[0] ?? '').replace(/\{\{|\}\}|\{(\d+)\}/g, (all, n: string | undefined) =>
          n === undefined ? all[0]! : (text[Number(n) + 1] ?? ''),
        )
      case 'startsWith':
        return (text[0] ?? '').toLowerCase().startsWith((text[1] ?? '').toLowerCase())
      case 'contains':
        return (text[0] ?? '').toLowerCase().includes((text[1] ?? '').toLowerCase())
      case 'fromJSON':
        return JSON.parse(text[0] ?? 'null') as Value
      case 'toJSON':
        return JSON.stringify(args[0] ?? null)
      case 'success':
      case 'failure':
      case 'cancelled':
      case 'always':
        return context.status[name]()
      default:
        throw new Error(`expression "${expr.trim()}": function ${name} is not supported here`)
    }
  }
  const value = or()
  if (i !== tokens.length)
    throw new Error(`expression "${expr.trim()}": unexpected ${tokens[i]?.text}`)
  return value()
}

function member(value: Value, key: string): Value {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null
  return (value as Record<string, Value>)[key] ?? null
}

function equal(a: Value, b: Value): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase()
  if (typeof a === typeof b) return a === b
  return Number(a) === Number(b)
}
