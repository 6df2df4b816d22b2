/**
 * An Unleash feature flag as the router (docs/architecture.md, "A flag is a router kind"): slot
 * blue is the flag off, green on, and the weight of green is the rollout percentage of the
 * `flexibleRollout` strategy cutover owns in one environment (its title is `cutover`).
 *
 * - read(): the owned strategy's rollout; the flag disabled in the environment, or no owned
 *   strategy, or the strategy disabled, reads as 0% (nobody is exposed through it).
 * - write(): before anything changes, the project, flag, environment, the constraints' context
 *   fields and the stickiness field must exist (`check()`). Then: create the strategy at rollout
 *   0 when absent (with the configured constraints), PATCH its rollout (a STRING: Unleash answers
 *   400 to a number and accepts "101" without a word, so the range is ours to enforce), read it
 *   back, switch the environment on only when raising (the strategy already written), and poll
 *   the client API until it serves exactly what the admin API holds — that is "done".
 * - Unleash's trap: disabling the only strategy switches the flag off in the environment, and
 *   enabling it again does not switch it back on. cutover never disables a strategy or the
 *   environment: moving to 0 is rollout "0".
 * - Switching a disabled environment on would expose the users of every other enabled strategy
 *   there too: refused, before anything changes.
 */
import { formatDuration, silentLog, type Log } from '../action-kit/index.js'
import { sleep } from '../action-kit/util.js'
import { flagServers } from './flag.js'
import { RouterError, type Router } from './router.js'
import {
  UNLEASH_LIST_OPERATORS,
  describeConstraint,
  unleashDescribe,
  unleashSecrets,
  type UnleashConfig,
  type UnleashConstraint,
} from './unleash-config.js'
import { assertWritable, formatWeights, type SlotServers, type Weights } from './weights.js'

/** The title that marks the flexibleRollout strategy cutover owns. */
export const UNLEASH_STRATEGY_TITLE = 'cutover'
/** Context fields every Unleash has (stickiness `default` and `random` are not fields). */
const STICKINESS_BUILTIN = ['default', 'random', 'userId', 'sessionId']

/** Which token a request carries: the admin token, or the client token (client API). */
type Who = 'admin' | 'client'

/** Refused before anything changed: the message says why and what is allowed. */
export class UnleashRefusal extends RouterError {
  override name = 'UnleashRefusal'
}

/** A strategy as the admin API shows it. */
export interface AdminStrategy {
  id: string
  name: string
  title?: string | null
  disabled?: boolean | null
  constraints?: UnleashConstraint[]
  parameters?: Record<string, unknown>
  sortOrder?: number
}

/** A feature's environment as the admin API shows it. */
export interface AdminEnvironment {
  name: string
  enabled: boolean
  strategies?: AdminStrategy[]
}

/** The flag in our environment, as cutover reads it. */
export interface UnleashFlagState {
  enabled: boolean
  /** The strategy cutover owns, if there is one. */
  ours?: AdminStrategy
  /** Its rollout (0..100), 0 without it. */
  rollout: number
  /** Other strategies that are not disabled (they expose their users whenever the flag is on). */
  others: AdminStrategy[]
  /** What the flag holds for cutover: the share of users exposed through its strategy. */
  weights: Weights
}

/** A rollout parameter as a whole percentage, or undefined when it is not one. */
export function parseRollout(value: unknown): number | undefined {
  const s = typeof value === 'number' ? String(value) : value
  if (typeof s !== 'string' || !/^\d{1,3}$/.test(s.trim())) return undefined
  const n = Number(s)
  return n <= 100 ? n : undefined
}

const isOurs = (s: AdminStrategy) =>
  s.name === 'flexibleRollout' && s.title === UNLEASH_STRATEGY_TITLE

/**
 * The flag's state in `env` for cutover: its owned strategy's rollout, 0 when the environment is
 * off, the strategy absent or disabled. Throws (a RouterError) on what it cannot read honestly:
 * two owned strategies, a rollout that is not a whole percentage.
 */
export function flagState(env: AdminEnvironment, routerName: string): UnleashFlagState {
  const strategies = env.strategies ?? []
  const owned = strategies.filter(isOurs)
  if (owned.length > 1)
    throw new RouterError(
      `router ${routerName}: environment ${env.name} has ${owned.length} flexibleRollout strategies titled "${UNLEASH_STRATEGY_TITLE}" (${owned.map((s) => s.id).join(', ')}); cutover owns one: delete the extra ones in Unleash`,
    )
  const ours = owned[0]
  const others = strategies.filter((s) => !isOurs(s) && !s.disabled)
  let rollout = 0
  if (ours) {
    const r = parseRollout(ours.parameters?.rollout)
    if (r === undefined)
      throw new RouterError(
        `router ${routerName}: the "${UNLEASH_STRATEGY_TITLE}" strategy ${ours.id} in ${env.name} holds rollout ${JSON.stringify(ours.parameters?.rollout)}, which is not a whole percentage from 0 to 100`,
      )
    rollout = r
  }
  const exposed = env.enabled && ours && !ours.disabled ? rollout : 0
  return {
    enabled: env.enabled,
    ...(ours ? { ours } : {}),
    rollout,
    others,
    weights: { blue: 100 - exposed, green: exposed },
  }
}

/** One JSON-patch operation on a strategy. */
export interface PatchOp {
  op: 'replace'
  path: string
  value: unknown
}

/** What a write does, in order: create the strategy, patch it, switch the environment on. */
export interface UnleashPlan {
  create: boolean
  patch: PatchOp[]
  enable: boolean
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null)

/** The constraint as we compare it with what Unleash stores (it adds the defaults). */
export function normalConstraint(c: UnleashConstraint): UnleashConstraint {
  // A list operator uses `values`, the others `value`; Unleash may store the unused one empty.
  const list = (UNLEASH_LIST_OPERATORS as readonly string[]).includes(c.operator)
  return {
    contextName: c.contextName,
    operator: c.operator,
    ...(list ? { values: [...(c.values ?? [])] } : { value: c.value ?? '' }),
    inverted: c.inverted ?? false,
    caseInsensitive: c.caseInsensitive ?? false,
  }
}

/**
 * The plan that takes the flag from `state` to `target` (a pure decision, tested as a table), or
 * the reason it is refused. A move to 0 only lowers the rollout: it never disables anything.
 */
export function planUnleashWrite(
  state: UnleashFlagState,
  target: Weights,
  config: Pick<UnleashConfig, 'constraints' | 'stickiness' | 'groupId' | 'environment'>,
): UnleashPlan | { refused: string } {
  const want = target.green
  if (want === 0) {
    // Rollout "0" even where nobody is exposed through it now (the environment off, the strategy
    // disabled): switching either back on by hand must not expose the walk's users again.
    if (!state.ours || state.rollout === 0) return { create: false, patch: [], enable: false }
    return {
      create: false,
      patch: [{ op: 'replace', path: '/parameters/rollout', value: '0' }],
      enable: false,
    }
  }
  if (!state.enabled && state.others.length > 0)
    return {
      refused: `the flag is off in environment ${config.environment} and has ${state.others.length} other enabled ${state.others.length === 1 ? 'strategy' : 'strategies'} (${state.others.map((s) => `${s.name}${s.title ? ` "${s.title}"` : ''}`).join(', ')}); switching it on would expose their users too. Disable those strategies, or switch the flag on yourself, then walk it`,
    }
  // Switched off in Unleash while our strategy holds users (a kill switch, or its only strategy
  // disabled — Unleash's trap): a raise must not switch it back on behind someone's back.
  if (state.ours && state.rollout > 0 && (!state.enabled || state.ours.disabled))
    return {
      refused: `${state.enabled ? `the "${UNLEASH_STRATEGY_TITLE}" strategy is disabled in environment ${config.environment} while it holds` : `the flag is off in environment ${config.environment} while the "${UNLEASH_STRATEGY_TITLE}" strategy holds`} rollout ${state.rollout}%: someone switched it off in Unleash since cutover wrote it; cutover does not switch it back on. Roll the walk back (rollout 0) and walk again, or switch it on in Unleash yourself`,
    }
  const patch: PatchOp[] = []
  const params = state.ours?.parameters ?? {}
  const current = state.ours ? state.rollout : 0
  if (!state.ours || current !== want || String(params.rollout) !== String(want))
    patch.push({ op: 'replace', path: '/parameters/rollout', value: String(want) })
  if (state.ours) {
    if (params.stickiness !== config.stickiness)
      patch.push({ op: 'replace', path: '/parameters/stickiness', value: config.stickiness })
    if (params.groupId !== config.groupId)
      patch.push({ op: 'replace', path: '/parameters/groupId', value: config.groupId })
    const wanted = config.constraints.map(normalConstraint)
    const held = (state.ours.constraints ?? []).map(normalConstraint)
    if (!sameJson(wanted, held)) patch.push({ op: 'replace', path: '/constraints', value: wanted })
    if (state.ours.disabled) patch.push({ op: 'replace', path: '/disabled', value: false })
    // Mid-walk (users exposed through it), an edit made in Unleash is not undone silently: a
    // changed stickiness or group id reshuffles who is exposed, changed constraints who may be.
    const edited = patch.filter((p) => p.path !== '/parameters/rollout' && p.path !== '/disabled')
    if (state.rollout > 0 && edited.length > 0)
      return {
        refused: `the "${UNLEASH_STRATEGY_TITLE}" strategy in ${config.environment} holds rollout ${state.rollout}% with ${edited
          .map((p) =>
            p.path === '/constraints'
              ? `constraints [${(state.ours?.constraints ?? []).map(describeConstraint).join('; ')}]`
              : p.path === '/parameters/groupId'
                ? `group id ${String(params.groupId)}`
                : `stickiness ${String(params.stickiness)}`,
          )
          .join(
            ', ',
          )}, not as configured: changed in Unleash (or in the router config) mid-walk; writing would overwrite it and change who is exposed. Roll the walk back (rollout 0) and walk again, or make the router config match Unleash`,
      }
  }
  return { create: !state.ours, patch, enable: !state.enabled }
}

/** A feature as the client API serves it. */
export interface ClientFeature {
  name: string
  enabled: boolean
  strategies?: { name: string; parameters?: Record<string, unknown> }[]
}

/**
 * What SDKs are served, reduced to what cutover checks: enabled, and the rollouts of the
 * flexibleRollout strategies with our group id, in order. The admin side is reduced the same way
 * (disabled strategies are not served).
 */
export function servedShape(
  enabled: boolean,
  strategies: { name: string; parameters?: Record<string, unknown>; disabled?: boolean | null }[],
  groupId: string,
): string {
  const rollouts = strategies
    .filter((s) => !s.disabled && s.name === 'flexibleRollout' && s.parameters?.groupId === groupId)
    .map((s) => String(s.parameters?.rollout))
  return enabled ? `on, rollout ${rollouts.join('/') || 'none'}` : 'off'
}

export class UnleashRouter implements Router {
  readonly type = 'unleash'
  readonly name: string
  readonly notes: string[] = []
  /** Any whole percentage: the rollout carries it. */
  readonly canSplit = true
  private readonly log: Log
  private checked?: Promise<void>
  /** The flag's weights at the last successful read in this run, for "unknown" messages. */
  private lastRead?: { weights: Weights; at: Date }
  private readonly secrets: string[]

  constructor(
    readonly config: UnleashConfig,
    options: { log?: Log } = {},
  ) {
    this.name = config.name
    this.log = options.log ?? silentLog
    this.secrets = unleashSecrets(config)
    if (!config.clientToken)
      this.notes.push(
        `${config.name}: without 'client-token' a change is confirmed through the admin API only (Unleash does not take an admin token on its client API); give a client token of environment ${config.environment} to confirm what SDKs are served.`,
      )
  }

  describe(): string {
    return unleashDescribe(this.config)
  }

  async servers(): Promise<SlotServers> {
    const c = this.config
    return flagServers(c.variants, `${c.url} ${c.project}/${c.environment}/${c.flag}`)
  }

  // ---- HTTP ----

  /** One exchange with Unleash: one deadline for the request and its whole answer. */
  private async call(
    method: string,
    path: string,
    body?: unknown,
    who: Who = 'admin',
  ): Promise<{ status: number; text: string }> {
    const token = who === 'admin' ? this.config.token : (this.config.clientToken ?? '')
    const url = `${this.config.url}${path}`
    const shown = `${method} ${url.replace(/\?.*/, '')}`
    try {
      const res = await fetch(url, {
        method,
        headers: {
          Authorization: token,
          Accept: 'application/json',
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        redirect: 'error',
        signal: AbortSignal.timeout(this.config.timeout),
      })
      return { status: res.status, text: await res.text() }
    } catch (e) {
      const err = e as Error & { cause?: { code?: string; message?: string } }
      const why =
        err.name === 'TimeoutError' || err.name === 'AbortError'
          ? `no whole answer within the router's timeout of ${formatDuration(this.config.timeout)} (a deadline for the whole exchange)`
          : (err.cause?.code ?? err.cause?.message ?? err.message)
      throw new RouterError(`router ${this.name}: ${shown}: ${this.redact(why)}`)
    }
  }

  /** Unleash's error message from a body, with any token masked. */
  private answer(status: number, text: string): string {
    let message = text.trim().replace(/\s+/g, ' ')
    try {
      const j = JSON.parse(text) as { message?: string; details?: { message?: string }[] }
      const details = (j.details ?? []).map((d) => d.message).filter((m) => m && m !== j.message)
      if (j.message) message = [j.message, ...details].join('; ')
    } catch {
      // plain text
    }
    return `${status} ${this.redact(message).slice(0, 400) || '(no body)'}`
  }

  private redact(text: string): string {
    let out = text
    for (const s of this.secrets) out = out.split(s).join('***')
    return out
  }

  /** A JSON answer with an expected status; a refused token or anything else is a RouterError. */
  private async json<T>(
    method: string,
    path: string,
    body?: unknown,
    ok: number[] = [200],
    who: Who = 'admin',
  ): Promise<T> {
    const { status, text } = await this.call(method, path, body, who)
    if (!ok.includes(status)) this.refuse(method, path, status, text, who)
    if (text.trim() === '') return undefined as T
    try {
      return JSON.parse(text) as T
    } catch {
      throw new RouterError(
        `router ${this.name}: Unleash answered ${method} ${path} with ${status} but not JSON: ${this.redact(text).slice(0, 200)}`,
      )
    }
  }

  /** The error for an answer we did not expect: a refused token, or what Unleash said. */
  private refuse(
    method: string,
    path: string,
    status: number,
    text: string,
    who: Who = 'admin',
  ): never {
    const where = `${method} ${path.replace(/\?.*/, '')}`
    if (status === 401 || status === 403) {
      const admin = who === 'admin'
      throw new UnleashRefusal(
        `router ${this.name}: Unleash refused ${admin ? "'token'" : "'client-token'"} (${this.answer(status, text)}) on ${where}; give ${admin ? 'an admin API token' : `a client (backend) token of environment ${this.config.environment}`} (its value is not shown)`,
      )
    }
    throw new RouterError(
      `router ${this.name}: Unleash answered ${where} with ${this.answer(status, text)}`,
    )
  }

  private featurePath(): string {
    const c = this.config
    return `/api/admin/projects/${encodeURIComponent(c.project)}/features/${encodeURIComponent(c.flag)}`
  }

  private strategiesPath(): string {
    return `${this.featurePath()}/environments/${encodeURIComponent(this.config.environment)}/strategies`
  }

  // ---- reading ----

  /** The flag's environment as the admin API holds it now. */
  private async environment(): Promise<AdminEnvironment> {
    const c = this.config
    const { status, text } = await this.call('GET', this.featurePath())
    if (status === 404) {
      const projects = await this.projects().catch(() => undefined)
      if (projects && !projects.includes(c.project))
        throw new UnleashRefusal(
          `router ${this.name}: Unleash has no project ${JSON.stringify(c.project)} (projects: ${projects.join(', ')}); nothing was changed`,
        )
      throw new UnleashRefusal(
        `router ${this.name}: Unleash has no flag ${JSON.stringify(c.flag)} in project ${c.project} (${this.answer(status, text)}); create the flag first (cutover walks a flag, it does not create one); nothing was changed`,
      )
    }
    if (status !== 200) this.refuse('GET', this.featurePath(), status, text)
    let feature: { environments?: AdminEnvironment[]; archived?: boolean }
    try {
      feature = JSON.parse(text) as typeof feature
    } catch {
      throw new RouterError(`router ${this.name}: Unleash's answer for the flag is not JSON`)
    }
    const env = (feature.environments ?? []).find((e) => e.name === c.environment)
    if (!env) {
      const names = (feature.environments ?? []).map((e) => e.name)
      throw new UnleashRefusal(
        `router ${this.name}: environment ${JSON.stringify(c.environment)} is not one of flag ${c.flag}'s environments in project ${c.project} (${names.join(', ') || 'none'}); allowed: an environment that exists and is enabled for the project; nothing was changed`,
      )
    }
    return env
  }

  private async projects(): Promise<string[]> {
    const r = await this.json<{ projects?: { id: string }[] }>('GET', '/api/admin/projects')
    return (r.projects ?? []).map((p) => p.id)
  }

  /**
   * What the flag holds for cutover now. When Unleash cannot be read the error says so and what
   * the flag held at this router's last read in this run (never a guess at what it holds now).
   */
  async read(): Promise<Weights> {
    let weights: Weights
    try {
      weights = flagState(await this.environment(), this.name).weights
    } catch (e) {
      const last = this.lastRead
      // Refused before this run read anything: a configuration error, said as it is. Refused
      // after (a token revoked or expired, the flag archived mid-walk): still the last read.
      if (e instanceof UnleashRefusal && !last) throw e
      const Err = e instanceof UnleashRefusal ? UnleashRefusal : RouterError
      throw new Err(
        `${(e as Error).message}; what the flag holds now is unknown (${last ? `it held ${formatWeights(last.weights)} at its last read, ${last.at.toISOString()}` : 'not read before in this run'})`,
      )
    }
    this.lastRead = { weights, at: new Date() }
    return weights
  }

  // ---- checking before any change ----

  /**
   * What only the server knows, checked once before the first write: the project, flag and
   * environment exist (read), every constraint's context field and the stickiness field exist,
   * and the client token serves this environment.
   */
  check(target?: Weights): Promise<void> {
    // A move to 0 is never held up by a check (a rollback must not be refused).
    if (target?.green === 0) return Promise.resolve()
    this.checked ??= this.runCheck()
    this.checked.catch(() => (this.checked = undefined))
    return this.checked
  }

  private async runCheck(): Promise<void> {
    const c = this.config
    await this.environment()
    const fields = (await this.json<{ name: string }[]>('GET', '/api/admin/context')).map(
      (f) => f.name,
    )
    const unknown = [
      ...new Set(c.constraints.map((x) => x.contextName).filter((n) => !fields.includes(n))),
    ]
    if (unknown.length > 0)
      throw new UnleashRefusal(
        `router ${this.name}: Unleash has no context field ${unknown.map((n) => JSON.stringify(n)).join(', ')} (used in 'constraints'); allowed: ${fields.join(', ')}; create the field in Unleash (Configure → Context fields) first — Unleash itself would accept the constraint and never match it; nothing was changed`,
      )
    if (!STICKINESS_BUILTIN.includes(c.stickiness) && !fields.includes(c.stickiness))
      throw new UnleashRefusal(
        `router ${this.name}: 'stickiness' is ${JSON.stringify(c.stickiness)}, which is not a context field of this Unleash; allowed: ${[...new Set([...STICKINESS_BUILTIN, ...fields])].join(', ')}; nothing was changed`,
      )
    if (c.clientToken) {
      const served = await this.json<{ query?: { environment?: string } }>(
        'GET',
        `/api/client/features?namePrefix=${encodeURIComponent(c.flag)}`,
        undefined,
        [200],
        'client',
      )
      const env = served.query?.environment
      if (env !== undefined && env !== c.environment)
        throw new UnleashRefusal(
          `router ${this.name}: 'client-token' is a token of environment ${JSON.stringify(env)}, not ${JSON.stringify(c.environment)}; it would confirm the wrong environment; give a client token of ${c.environment}; nothing was changed`,
        )
    }
  }

  // ---- writing ----

  async write(target: Weights): Promise<void> {
    assertWritable(target)
    const c = this.config
    // A move to 0 only lowers the rollout: it needs the flag, not the context fields or the client
    // token (one deleted or revoked mid-walk must not keep the walk's users exposed).
    if (target.green > 0) await this.check()
    const env = await this.environment()
    const before = flagState(env, this.name)
    const plan = planUnleashWrite(before, target, c)
    if ('refused' in plan)
      throw new UnleashRefusal(`router ${this.name}: ${plan.refused}; nothing was changed`)
    // Users another strategy exposes are not cutover's to move: never let "0%" read as "off".
    if (before.enabled && before.others.length > 0) {
      const n = before.others.length
      this.log.warning(
        `${this.name}: ${n} other enabled ${n === 1 ? 'strategy' : 'strategies'} in ${c.environment} (${before.others.map((s) => `${s.name}${s.title ? ` "${s.title}"` : ''}`).join(', ')}) ${n === 1 ? 'exposes its' : 'expose their'} users whatever cutover's rollout is: ${target.green === 0 ? 'rollout 0 does not switch the flag off for them' : 'the flag is on for them too'}`,
      )
    }
    const started = Date.now()
    let ours = before.ours
    if (plan.create) {
      const body = {
        name: 'flexibleRollout',
        title: UNLEASH_STRATEGY_TITLE,
        constraints: c.constraints.map(normalConstraint),
        parameters: { rollout: '0', stickiness: c.stickiness, groupId: c.groupId },
      }
      ours = await this.json<AdminStrategy>('POST', this.strategiesPath(), body, [200, 201])
      this.log.info(
        `${this.name}: created the flexibleRollout strategy "${UNLEASH_STRATEGY_TITLE}" (${ours.id}) at rollout 0 in ${c.environment}, stickiness ${c.stickiness}, group ${c.groupId}${c.constraints.length ? `, constraints ${c.constraints.map(describeConstraint).join('; ')}` : ''}`,
      )
    }
    if (plan.patch.length > 0 && ours) {
      this.log.info(
        `${this.name}: setting the rollout of "${UNLEASH_STRATEGY_TITLE}" in ${c.environment} to ${target.green}% (from ${before.weights.green}% exposed)${
          plan.patch.length > 1
            ? `; also ${plan.patch
                .filter((p) => p.path !== '/parameters/rollout')
                .map((p) => p.path.replace(/^\/(parameters\/)?/, ''))
                .join(', ')} as configured`
            : ''
        }`,
      )
      try {
        await this.json(
          'PATCH',
          `${this.strategiesPath()}/${encodeURIComponent(ours.id)}`,
          plan.patch,
        )
      } catch (e) {
        throw new RouterError(`${(e as Error).message}; the flag now: ${await this.where()}`)
      }
    }
    // Read back: the strategy holds what we wrote.
    if (ours) {
      const held = await this.json<AdminStrategy>(
        'GET',
        `${this.strategiesPath()}/${encodeURIComponent(ours.id)}`,
      )
      if (
        parseRollout(held.parameters?.rollout) !== target.green &&
        !(target.green === 0 && plan.patch.length === 0)
      )
        throw new RouterError(
          `router ${this.name}: wrote rollout ${target.green} but Unleash holds ${JSON.stringify(held.parameters?.rollout)} for strategy ${ours.id}; the flag now: ${await this.where()}`,
        )
    }
    if (plan.enable) {
      // The strategy is written: switching the environment on exposes exactly its rollout.
      try {
        await this.json(
          'POST',
          `${this.featurePath()}/environments/${encodeURIComponent(c.environment)}/on`,
          undefined,
          [200, 204],
        )
      } catch (e) {
        throw new RouterError(`${(e as Error).message}; the flag now: ${await this.where()}`)
      }
      this.log.info(`${this.name}: switched flag ${c.flag} on in ${c.environment}`)
    }
    const envAfter = await this.environment()
    const after = flagState(envAfter, this.name)
    this.lastRead = { weights: after.weights, at: new Date() }
    if (after.weights.green !== target.green)
      throw new RouterError(
        `router ${this.name}: after the write Unleash's admin API shows ${formatWeights(after.weights)}, not ${formatWeights(target)} (${describeState(after)})`,
      )
    const expected = servedShape(envAfter.enabled, envAfter.strategies ?? [], c.groupId)
    if (!c.clientToken) {
      this.log.warning(
        `${this.name}: the admin API holds ${formatWeights(target)} (${describeState(after)}); not confirmed through the client API, what SDKs read (no 'client-token')`,
      )
      return
    }
    const served = await this.awaitClient(expected)
    if (served !== expected) {
      throw new RouterError(
        `router ${this.name}: Unleash's client API did not serve ${expected} within ${formatDuration(c.propagationTimeout)} (it serves ${served}); the admin API holds ${formatWeights(after.weights)}`,
      )
    }
    this.log.info(
      `${this.name}: Unleash's client API serves ${formatWeights(target)} (${expected}) ${Date.now() - started} ms after the write started; SDKs see it at their next refresh (unleash-client's default: 15 s)`,
    )
  }

  /** Polls the client API until it serves `expected`; returns what it served last. */
  private async awaitClient(expected: string): Promise<string> {
    const c = this.config
    const deadline = Date.now() + c.propagationTimeout
    let last = 'nothing yet'
    for (let delay = 100; ; delay = Math.min(delay * 2, 1000)) {
      try {
        last = await this.served()
        if (last === expected) return last
      } catch (e) {
        last = `an error (${(e as Error).message})`
        // A refused client token will not be accepted on the next poll either.
        if (e instanceof UnleashRefusal) return last
      }
      if (Date.now() + delay > deadline) return last
      await sleep(delay)
    }
  }

  /** What the client API serves for the flag now, reduced as servedShape does. */
  async served(): Promise<string> {
    const c = this.config
    const r = await this.json<{ features?: ClientFeature[]; query?: { environment?: string } }>(
      'GET',
      `/api/client/features?namePrefix=${encodeURIComponent(c.flag)}`,
      undefined,
      [200],
      'client',
    )
    // A move to 0 skips check(): a client token of another environment must not confirm it.
    const env = r.query?.environment
    if (env !== undefined && env !== c.environment)
      return `environment ${env}'s flag ('client-token' is not a token of ${c.environment})`
    const f = (r.features ?? []).find((x) => x.name === c.flag)
    if (!f) return 'no such flag'
    return servedShape(f.enabled, f.strategies ?? [], c.groupId)
  }

  /** For messages: the flag's state now, or why it cannot be read. */
  private async where(): Promise<string> {
    try {
      return describeState(flagState(await this.environment(), this.name))
    } catch (e) {
      return `unknown (${(e as Error).message})`
    }
  }
}

/** For logs: "on in the environment, rollout 25% (strategy 01H…)". */
export function describeState(s: UnleashFlagState): string {
  const strategy = s.ours
    ? `"${UNLEASH_STRATEGY_TITLE}" rollout ${s.rollout}%${s.ours.disabled ? ' (strategy disabled)' : ''}`
    : `no "${UNLEASH_STRATEGY_TITLE}" strategy`
  return `${s.enabled ? 'on' : 'off'} in the environment, ${strategy}, ${s.weights.green}% exposed through it${s.others.length ? `; ${s.others.length} other enabled strategies` : ''}`
}
