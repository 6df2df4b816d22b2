/**
 * A flagd feature flag as a router (docs/architecture.md, "A flag is a router kind"): slot blue is
 * the flag's off variant, green its on variant, and the weight of green is the share of targeting
 * keys flagd's `fractional` rule buckets into on. The definitions are flagd's JSON format, in a
 * file (flagd's `file:` source) or one key of a Kubernetes ConfigMap.
 *
 * cutover owns exactly one shape of targeting: `{ "fractional": [[on, w], [off, 100 - w]] }`. A
 * flag with any other targeting is refused before anything changes (nesting our rule into
 * someone's rule would be a guess about what their rule means). Contexts without a targetingKey
 * are not bucketed by flagd: they get the `defaultVariant`, which must be (and is set to) off.
 *
 * A flag someone set DISABLED serves each application's code default; it reads as the weights of
 * its rule (what re-enabling it serves, with a warning). A move to 0 is still written (rule at 0,
 * defaultVariant off, state kept DISABLED, verified on a copy ENABLED), so a rollback never leaves
 * users exposed for when it is re-enabled; a raise is refused.
 *
 * A write is atomic (a temp file in the same directory renamed over the file; a ConfigMap: one
 * JSON patch pinned to the resourceVersion read), read back, and the stored definition evaluated
 * with @openfeature/flagd-core (the flagd evaluation engine, loaded on first use) for 100,000
 * deterministic targeting keys: the share of on must be within 1 percentage point of the target
 * (exact at 0 and 100). A definition that fails is put back as it was.
 */
import { randomBytes } from 'node:crypto'
import { open, readFile, realpath, rename, stat, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { errorMessage, formatDuration, quote, silentLog, type Log } from '../action-kit/index.js'
import { flagServers } from './flag.js'
import { flagdDescribe, flagdWhere, type FlagdConfig } from './flagd-config.js'
import type { ConfigMapObject, KubeconfigSource, KubernetesApi } from './kubernetes-api.js'
import { RouterError, type Router } from './router.js'
import {
  assertWritable,
  formatWeights,
  sameWeights,
  type SlotServers,
  type Weights,
} from './weights.js'

/** Targeting keys evaluated per verification: 1 pp is 6 standard deviations at a 50% split. */
export const FLAGD_CHECK_KEYS = 100_000
/** The most the evaluated share of on may differ from the target, in percentage points. */
export const FLAGD_CHECK_TOLERANCE = 1
/** A definitions file or ConfigMap value larger than this is not one cutover edits. */
const MAX_DEFINITIONS_BYTES = 1024 * 1024

/** The definitions refused before anything changed (the message says why and what is allowed). */
export class FlagdRefusal extends RouterError {
  override name = 'FlagdRefusal'
}

type Json = Record<string, unknown>

/** What one flag's definition says, as cutover reads it. */
export type FlagState =
  { ok: true; weights: Weights; ours: boolean; defaultVariant: string } | { ok: false; why: string }

/** Our rule: on first, then off, whole percentages adding up to 100. */
export function fractionalRule(variants: { off: string; on: string }, target: Weights): Json {
  return {
    fractional: [
      [variants.on, target.green],
      [variants.off, target.blue],
    ],
  }
}

/** The weights of our rule, or undefined when `targeting` is anything else. */
export function ruleWeights(
  targeting: unknown,
  variants: { off: string; on: string },
): Weights | undefined {
  if (!targeting || typeof targeting !== 'object' || Array.isArray(targeting)) return undefined
  const keys = Object.keys(targeting)
  if (keys.length !== 1 || keys[0] !== 'fractional') return undefined
  const buckets = (targeting as Json).fractional
  if (!Array.isArray(buckets) || buckets.length !== 2) return undefined
  const got: Partial<Record<'on' | 'off', number>> = {}
  for (const b of buckets) {
    if (!Array.isArray(b) || b.length !== 2) return undefined
    const [variant, weight] = b as [unknown, unknown]
    if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 0 || weight > 100)
      return undefined
    const state = variant === variants.on ? 'on' : variant === variants.off ? 'off' : undefined
    if (!state || got[state] !== undefined) return undefined
    got[state] = weight
  }
  if (got.on === undefined || got.off === undefined || got.on + got.off !== 100) return undefined
  return { blue: got.off, green: got.on }
}

/** The flags of a definitions document, or why it is not one. */
function flagsOf(doc: unknown): Json | string {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    return 'is not a JSON object with "flags"'
  const flags = (doc as Json).flags
  if (!flags || typeof flags !== 'object' || Array.isArray(flags))
    return 'has no "flags" object (flagd\'s format: { "flags": { "<key>": { state, variants, defaultVariant, targeting } } })'
  return flags as Json
}

/**
 * Pure: what the definitions say about `flag` (weights, and whether the targeting is our rule), or
 * why cutover cannot name one weight for it.
 */
export function flagState(
  doc: unknown,
  flag: string,
  variants: { off: string; on: string },
): FlagState {
  const flags = flagsOf(doc)
  if (typeof flags === 'string') return { ok: false, why: `the definitions ${flags}` }
  const def = flags[flag]
  if (def === undefined) {
    const keys = Object.keys(flags)
    return {
      ok: false,
      why: `the definitions have no flag ${quote(flag)}; their flags are: ${
        keys.length
          ? keys
              .slice(0, 20)
              .map((k) => quote(k))
              .join(', ') + (keys.length > 20 ? `, … (${keys.length})` : '')
          : 'none'
      }`,
    }
  }
  if (!def || typeof def !== 'object' || Array.isArray(def))
    return { ok: false, why: `flag ${quote(flag)} is not an object` }
  const f = def as Json
  if (f.state !== 'ENABLED')
    return {
      ok: false,
      why: `flag ${quote(flag)} has state ${JSON.stringify(f.state)}: a DISABLED flag evaluates to each application's code default, which cutover cannot know; set "state": "ENABLED" with "defaultVariant": ${JSON.stringify(variants.off)} first`,
    }
  const declared = f.variants
  if (!declared || typeof declared !== 'object' || Array.isArray(declared))
    return { ok: false, why: `flag ${quote(flag)} has no "variants" object` }
  const missing = (['off', 'on'] as const).filter((s) => !(variants[s] in (declared as Json)))
  if (missing.length > 0)
    return {
      ok: false,
      why: `flag ${quote(flag)} has no variant ${missing.map((s) => `${quote(variants[s])} (the router's variants.${s})`).join(' nor ')}; its variants are: ${
        Object.keys(declared)
          .map((k) => quote(k))
          .join(', ') || 'none'
      }`,
    }
  const defaultVariant = f.defaultVariant
  if (defaultVariant !== variants.off && defaultVariant !== variants.on)
    return {
      ok: false,
      why: `flag ${quote(flag)} has defaultVariant ${JSON.stringify(defaultVariant ?? null)}, neither the off variant ${quote(variants.off)} nor the on variant ${quote(variants.on)}; contexts without a targetingKey get it, so cutover cannot name one weight: set "defaultVariant": ${JSON.stringify(variants.off)}`,
    }
  const targeting = f.targeting
  const none =
    targeting === undefined ||
    targeting === null ||
    (typeof targeting === 'object' &&
      !Array.isArray(targeting) &&
      Object.keys(targeting).length === 0)
  if (none)
    return {
      ok: true,
      weights: defaultVariant === variants.on ? { blue: 0, green: 100 } : { blue: 100, green: 0 },
      ours: false,
      defaultVariant,
    }
  const weights = ruleWeights(targeting, variants)
  if (!weights)
    return {
      ok: false,
      why: `flag ${quote(flag)} has targeting cutover did not write (${capJson(targeting)}); cutover owns only { "fractional": [[${JSON.stringify(variants.on)}, w], [${JSON.stringify(variants.off)}, 100 - w]] } and does not nest it into other rules: remove the flag's targeting (or walk another flag)`,
    }
  if (defaultVariant !== variants.off)
    return {
      ok: false,
      why: `flag ${quote(flag)} splits ${formatWeights(weights)} but its defaultVariant is the on variant ${quote(variants.on)}, which contexts without a targetingKey get; cutover cannot name one weight: set "defaultVariant": ${JSON.stringify(variants.off)}`,
    }
  return { ok: true, weights, ours: true, defaultVariant }
}

/**
 * Pure: the document with `flag` at `target` (our rule, defaultVariant off), every other byte of
 * meaning kept; a refusal message when the flag cannot be walked. A DISABLED flag takes only a
 * move to 0 (`disabled: true`; its state is kept), never a raise.
 */
export function withWeights(
  doc: unknown,
  flag: string,
  variants: { off: string; on: string },
  target: Weights,
): { doc: Json; disabled?: true } | { why: string } {
  const state = flagState(doc, flag, variants)
  // A defaultVariant of on with no targeting is "on for everyone": allowed as a start.
  if (!state.ok) {
    if (!isDisabled(doc, flag)) return { why: state.why }
    // A DISABLED flag serves each application's code default, but its rule is what re-enabling
    // it serves: a move to 0 is always written (state kept DISABLED), a raise never.
    if (target.green !== 0)
      return {
        why: `${state.why}; while it is DISABLED cutover writes only a move to 0 (a rollback), never a raise`,
      }
    // As flagd will see it once re-enabled, with the defaultVariant this write sets.
    const rule = flagState(asEnabled(doc, flag, variants.off), flag, variants)
    if (!rule.ok) return { why: `${rule.why} (the flag is DISABLED)` }
  }
  const copy = JSON.parse(JSON.stringify(doc)) as Json
  const f = (copy.flags as Json)[flag] as Json
  f.defaultVariant = variants.off
  f.targeting = fractionalRule(variants, target)
  return state.ok ? { doc: copy } : { doc: copy, disabled: true }
}

/** Whether the definitions hold `flag` with state DISABLED. */
export function isDisabled(doc: unknown, flag: string): boolean {
  const flags = flagsOf(doc)
  if (typeof flags === 'string') return false
  const f = flags[flag]
  return !!f && typeof f === 'object' && (f as Json).state === 'DISABLED'
}

/**
 * A copy of the definitions with `flag` ENABLED (and its defaultVariant set, when given): how
 * flagd will evaluate a DISABLED flag once someone re-enables it.
 */
export function asEnabled(doc: unknown, flag: string, defaultVariant?: string): Json {
  const copy = JSON.parse(JSON.stringify(doc)) as Json
  const f = (copy.flags as Json)[flag] as Json
  f.state = 'ENABLED'
  if (defaultVariant !== undefined) f.defaultVariant = defaultVariant
  return copy
}

/**
 * Pure: what a DISABLED flag's rule says (the weights re-enabling it would serve), or undefined
 * when the flag is not DISABLED.
 */
export function disabledState(
  doc: unknown,
  flag: string,
  variants: { off: string; on: string },
): FlagState | undefined {
  return isDisabled(doc, flag) ? flagState(asEnabled(doc, flag), flag, variants) : undefined
}

/** The indentation a JSON text uses (two spaces when it has none), so a rewrite keeps its look. */
export function indentOf(text: string): string {
  return /\n([ \t]+)"/.exec(text)?.[1] ?? '  '
}

function capJson(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v)
  return s.length > 120 ? `${s.slice(0, 117)}...` : s
}

/** Where the definitions are and how they are read and replaced. */
export interface Store {
  where: string
  /**
   * The text and a version token (a file's own text, a ConfigMap's resourceVersion), and why it
   * cannot be replaced when it can be read but not written (an immutable ConfigMap).
   */
  load(): Promise<{ text: string; version: string; readOnly?: string }>
  /** Replaces the text if it is still at `version`; a ConcurrentChange if not. */
  save(text: string, version: string): Promise<void>
}

/** Someone else changed the definitions between our read and our write: nothing was written. */
export class ConcurrentChange extends FlagdRefusal {
  override name = 'ConcurrentChange'
}

/** Bounds a local file operation (a hung network file system must not hang the step). */
async function deadline<T>(what: string, ms: number, work: (signal: AbortSignal) => Promise<T>) {
  const controller = new AbortController()
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([
      work(controller.signal),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort()
          reject(
            new RouterError(
              `${what}: not done within the router's timeout of ${formatDuration(ms)}`,
            ),
          )
        }, ms)
      }),
    ])
  } finally {
    clearTimeout(timer)
  }
}

/** A definitions file as the router reads and replaces it (exported for tests). */
export function fileStore(path: string, timeout: number): Store {
  const read = async (target: string, signal: AbortSignal) => {
    const text = await readFile(target, { encoding: 'utf8', signal })
    if (Buffer.byteLength(text) > MAX_DEFINITIONS_BYTES)
      throw new FlagdRefusal(
        `${path} holds more than ${MAX_DEFINITIONS_BYTES} bytes; not a definitions file cutover edits`,
      )
    return text
  }
  const fail = (e: unknown, what: string): never => {
    if (e instanceof RouterError) throw e
    const code = (e as NodeJS.ErrnoException).code
    throw new RouterError(`${what} ${path}: ${code ?? errorMessage(e)}`)
  }
  return {
    where: path,
    load: () =>
      deadline(`reading ${path}`, timeout, async (signal) => {
        try {
          const text = await read(path, signal)
          return { text, version: text }
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOENT')
            throw new FlagdRefusal(
              `the definitions file ${path} does not exist; give the path flagd reads (its --uri file:… or -f)`,
            )
          return fail(e, 'cannot read')
        }
      }),
    save: (text, version) =>
      deadline(`writing ${path}`, timeout, async (signal) => {
        // Follow a symlink (a ConfigMap mount, /etc/alternatives): replace the file, not the link.
        let target: string
        let owner: { mode: number; uid: number; gid: number }
        try {
          target = await realpath(path)
          const st = await stat(target)
          owner = { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid }
        } catch (e) {
          return fail(e, 'cannot stat')
        }
        const temp = join(
          dirname(target),
          `.${basename(target)}.cutover-${process.pid}-${randomBytes(4).toString('hex')}.tmp`,
        )
        try {
          const handle = await open(temp, 'wx', owner.mode)
          try {
            // The file keeps its owner where we may set it (as root); otherwise it becomes ours.
            if (process.getuid?.() === 0) await handle.chown(owner.uid, owner.gid)
            await handle.chmod(owner.mode)
            await handle.writeFile(text, { encoding: 'utf8', signal })
            await handle.sync()
          } finally {
            await handle.close()
          }
          // The last moment to notice someone else's edit: compare just before the rename.
          if ((await read(target, signal)) !== version)
            throw new ConcurrentChange(
              `${path} changed between cutover's read and its write (someone else edited it); nothing was written: run the step again`,
            )
          await rename(temp, target)
        } catch (e) {
          await unlink(temp).catch(() => undefined)
          return fail(e, 'cannot write')
        }
      }),
  }
}

function configMapStore(config: FlagdConfig, connect: () => Promise<KubernetesApi>): Store {
  const s = config.source as Extract<FlagdConfig['source'], { kind: 'configmap' }>
  const where = flagdWhere(s)
  const pointer = `/data/${s.key.replace(/~/g, '~0').replace(/\//g, '~1')}`
  return {
    where,
    async load() {
      const api = await connect()
      let cm: ConfigMapObject
      try {
        cm = await api.getConfigMap(s.name)
      } catch (e) {
        if ((e as { code?: number }).code === 404)
          throw new FlagdRefusal(
            `${where}: the ConfigMap does not exist in namespace ${s.namespace} (${(e as Error).message})`,
          )
        throw e
      }
      const text = cm.data?.[s.key]
      if (typeof text !== 'string')
        throw new FlagdRefusal(
          `${where}: the ConfigMap has no key ${quote(s.key)} in its data${cm.binaryData?.[s.key] !== undefined ? ' (it is in binaryData, which cutover does not edit)' : ''}; its keys are: ${
            Object.keys(cm.data ?? {})
              .map((k) => quote(k))
              .join(', ') || 'none'
          }`,
        )
      return {
        text,
        version: cm.metadata.resourceVersion ?? '',
        ...(cm.immutable
          ? {
              readOnly: `the ConfigMap is immutable ("immutable": true), so its data cannot change; make a mutable one for the flags`,
            }
          : {}),
      }
    },
    async save(text, version) {
      const api = await connect()
      try {
        await api.patchConfigMap(s.name, [
          { op: 'replace', path: '/metadata/resourceVersion', value: version },
          { op: 'replace', path: pointer, value: text },
        ])
      } catch (e) {
        if ((e as { code?: number }).code === 409)
          throw new ConcurrentChange(
            `${where}: the ConfigMap changed between cutover's read and its write (resourceVersion ${version} is no longer current; someone else edited it); nothing was written: run the step again`,
          )
        throw e
      }
    },
  }
}

/** The flagd evaluation engine, loaded on first use (other routers never pay for it). */
type FlagdCoreModule = typeof import('@openfeature/flagd-core')
let engine: Promise<FlagdCoreModule> | undefined
function loadEngine(): Promise<FlagdCoreModule> {
  engine ??= import('@openfeature/flagd-core')
  return engine
}

const quiet = { error() {}, warn() {}, info() {}, debug() {} }

/**
 * Evaluates `flag` in the definitions `text` with flagd-core for FLAGD_CHECK_KEYS targeting keys:
 * the share of on, and why the definition does not carry `target` (undefined when it does).
 */
export async function evaluateSplit(
  text: string,
  flag: string,
  variants: { off: string; on: string },
  target: Weights,
  options: { keys?: number; split?: boolean } = {},
): Promise<{ on: number; total: number; problem?: string }> {
  const keys = options.keys ?? FLAGD_CHECK_KEYS
  const { FlagdCore, MemoryStorage } = await loadEngine()
  const storage = new MemoryStorage(quiet)
  try {
    storage.setConfigurations(text, true)
  } catch (e) {
    const cause = (e as { cause?: unknown }).cause
    return {
      on: 0,
      total: 0,
      problem: `flagd-core refuses the definitions: ${errorMessage(e).replace(/\s+/g, ' ').slice(0, 300)}${cause ? ` (${errorMessage(cause).slice(0, 200)})` : ''}`,
    }
  }
  const core = new FlagdCore(storage, quiet)
  const kind = typeof storage.getFlag(flag)?.variants.get(variants.on)
  const type = kind === 'boolean' || kind === 'number' || kind === 'string' ? kind : 'object'
  const fallback = { boolean: false, number: 0, string: '', object: {} }[type]
  const resolve = (context: Record<string, string>) =>
    core.resolve(type, flag, fallback as never, context)
  // A context without a targetingKey gets the defaultVariant: off.
  const anonymous = resolve({})
  if (anonymous.variant !== variants.off)
    return {
      on: 0,
      total: 0,
      problem: `a context without a targetingKey evaluates to ${anonymous.variant === undefined ? `no variant (${anonymous.reason}${anonymous.errorMessage ? `: ${anonymous.errorMessage}` : ''})` : quote(String(anonymous.variant))}, not the off variant ${quote(variants.off)}`,
    }
  let on = 0
  for (let i = 0; i < keys; i++) {
    const r = resolve({ targetingKey: `cutover-check-${i}` })
    if (r.variant === variants.on) on++
    else if (r.variant !== variants.off)
      return {
        on,
        total: i + 1,
        problem: `targetingKey cutover-check-${i} evaluates to ${r.variant === undefined ? `no variant (${r.reason}${r.errorMessage ? `: ${r.errorMessage}` : ''})` : quote(String(r.variant))}, neither off nor on`,
      }
  }
  if (options.split === false) return { on, total: keys }
  const share = (on * 100) / keys
  const exact = target.green === 0 || target.green === 100
  const off = exact
    ? share !== target.green
    : Math.abs(share - target.green) > FLAGD_CHECK_TOLERANCE
  return {
    on,
    total: keys,
    ...(off
      ? {
          problem: `flagd-core puts ${share.toFixed(2)}% of ${keys} targeting keys on, not ${target.green}%${exact ? '' : ` ± ${FLAGD_CHECK_TOLERANCE} pp`}`,
        }
      : {}),
  }
}

export class FlagdRouter implements Router {
  readonly type = 'flagd'
  readonly name: string
  readonly notes: string[] = []
  /** Any whole percentage: the fractional rule carries it. */
  readonly canSplit = true
  private readonly log: Log
  private readonly store: Store
  private api?: Promise<KubernetesApi>
  /** The flag's weights at the last successful read in this run, for "unknown" messages. */
  private lastRead?: { weights: Weights; at: Date }

  constructor(
    readonly config: FlagdConfig,
    private readonly options: KubeconfigSource & { log?: Log } = {},
  ) {
    this.name = config.name
    this.log = options.log ?? silentLog
    this.store =
      config.source.kind === 'file'
        ? fileStore(config.source.path, config.timeout)
        : configMapStore(config, () => this.connect())
    if (config.source.kind === 'configmap')
      this.notes.push(
        `${config.name}: flagd sees a ConfigMap change when the kubelet refreshes the mounted volume (up to about a minute, its sync period plus cache TTL; a subPath mount never refreshes). cutover verifies the ConfigMap, not each flagd pod.`,
      )
  }

  private connect(): Promise<KubernetesApi> {
    const s = this.config.source as Extract<FlagdConfig['source'], { kind: 'configmap' }>
    this.api ??= import('./kubernetes-api.js').then(({ KubernetesApi }) =>
      KubernetesApi.open(
        {
          namespace: s.namespace,
          timeout: this.config.timeout,
          ...(s.context ? { context: s.context } : {}),
        },
        this.options,
      ),
    )
    // A failed connection is tried again next time, not remembered.
    this.api.catch(() => (this.api = undefined))
    return this.api
  }

  describe(): string {
    return flagdDescribe(this.config)
  }

  async servers(): Promise<SlotServers> {
    return flagServers(this.config.variants, flagdWhere(this.config.source))
  }

  private parse(text: string): unknown {
    try {
      return JSON.parse(text)
    } catch (e) {
      throw new FlagdRefusal(
        `router ${this.name}: ${this.store.where} is not JSON (${errorMessage(e).slice(0, 120)}); cutover edits flagd's JSON definitions (not YAML)`,
      )
    }
  }

  /**
   * What the flag holds now. When that cannot be read, the error says it is unknown and what the
   * flag held at this router's last read in this run (a single router has no group to say it).
   */
  async read(): Promise<Weights> {
    let weights: Weights
    try {
      const { text } = await this.store.load()
      const doc = this.parse(text)
      const state = flagState(doc, this.config.flag, this.config.variants)
      // A DISABLED flag reads as the weights of its rule: what re-enabling it serves, and what a
      // move toward off (always written) starts from.
      const rule = state.ok ? undefined : disabledState(doc, this.config.flag, this.config.variants)
      if (!state.ok && !rule?.ok)
        throw new FlagdRefusal(
          `router ${this.name}: ${this.store.where}: ${rule && !rule.ok ? `${rule.why} (the flag is DISABLED)` : state.why}`,
        )
      weights = state.ok ? state.weights : (rule as { weights: Weights }).weights
      if (rule) this.warnDisabled(weights)
    } catch (e) {
      const last = this.lastRead
      if (!last) throw e
      const message = `${errorMessage(e)}; what the flag holds now is unknown (it held ${formatWeights(last.weights)} at its last read, ${last.at.toISOString()})`
      throw e instanceof FlagdRefusal ? new FlagdRefusal(message) : new RouterError(message)
    }
    this.lastRead = { weights, at: new Date() }
    return weights
  }

  async write(target: Weights): Promise<void> {
    assertWritable(target)
    const { flag, variants } = this.config
    const where = this.store.where
    const before = await this.store.load()
    if (before.readOnly)
      throw new FlagdRefusal(
        `router ${this.name}: ${where}: ${before.readOnly}; nothing was changed`,
      )
    const next = withWeights(this.parse(before.text), flag, variants, target)
    if ('why' in next)
      throw new FlagdRefusal(`router ${this.name}: ${where}: ${next.why}; nothing was changed`)
    const text = `${JSON.stringify(next.doc, null, indentOf(before.text))}${before.text.endsWith('\n') ? '\n' : ''}`
    // A DISABLED flag keeps its state: flagd-core resolves it to the caller's default with reason
    // DISABLED and no variant, so its rule is checked on a copy ENABLED, as re-enabling serves it.
    const disabled = next.disabled === true
    const asFlagd = (t: string) =>
      disabled ? JSON.stringify(asEnabled(JSON.parse(t) as unknown, flag)) : t
    // Before it is written, the new definition must load in flagd-core and give every context a
    // variant (a rule flagd would refuse never lands); the split is measured on what is stored.
    const planned = await evaluateSplit(asFlagd(text), flag, variants, target, {
      keys: 1000,
      split: false,
    })
    if (planned.problem)
      throw new FlagdRefusal(
        `router ${this.name}: ${where}: the new definition of ${flag} would not carry ${formatWeights(target)}: ${planned.problem}; nothing was changed`,
      )
    const beforeDoc = this.parse(before.text)
    const old = disabled
      ? (disabledState(beforeDoc, flag, variants) as FlagState)
      : flagState(beforeDoc, flag, variants)
    if (disabled && old.ok) this.warnDisabled(old.weights)
    this.log.info(
      `${this.name}: writing flag ${flag} at ${formatWeights(target)} (fractional [[${JSON.stringify(variants.on)}, ${target.green}], [${JSON.stringify(variants.off)}, ${target.blue}]]) to ${where}${old.ok ? `; it was ${formatWeights(old.weights)}${old.ours ? '' : ` (no targeting, defaultVariant ${quote(old.defaultVariant)})`}` : ''}`,
    )
    const started = Date.now()
    try {
      await this.store.save(text, before.version)
    } catch (e) {
      if (e instanceof FlagdRefusal)
        throw new RouterError(`router ${this.name}: ${(e as Error).message}`)
      const now = await this.where()
      throw new RouterError(
        `router ${this.name}: writing ${where} failed (${errorMessage(e)}); ${now}`,
      )
    }
    // Read back what is stored and evaluate it as flagd will.
    let problem: string | undefined
    let stored: { text: string; version: string } | undefined
    try {
      stored = await this.store.load()
      const storedDoc = this.parse(stored.text)
      const state = flagState(disabled ? asEnabled(storedDoc, flag) : storedDoc, flag, variants)
      if (disabled && !isDisabled(storedDoc, flag))
        problem = 'it reads back no longer DISABLED (someone changed its state)'
      else if (!state.ok) problem = state.why
      else if (!sameWeights(state.weights, target) || !state.ours)
        problem = `it reads back as ${formatWeights(state.weights)}`
      else {
        const check = await evaluateSplit(asFlagd(stored.text), flag, variants, target)
        problem = check.problem
        if (!problem)
          this.log.info(
            `${this.name}: ${where} reads back ${formatWeights(target)}${disabled ? ' with the flag still DISABLED' : ''}; flagd-core${disabled ? ', evaluating it as if re-enabled,' : ''} (the flagd evaluation engine) puts ${check.on} of ${check.total} targeting keys on (${((check.on * 100) / check.total).toFixed(2)}%) ${Date.now() - started} ms after the write`,
          )
      }
    } catch (e) {
      problem = `reading it back failed: ${errorMessage(e)}`
    }
    if (!problem) {
      this.lastRead = { weights: target, at: new Date() }
      return
    }
    let back: string
    try {
      const current = stored ?? (await this.store.load())
      await this.store.save(before.text, current.version)
      back = `put the previous definition back (${old.ok ? formatWeights(old.weights) : 'as it was'})`
    } catch (e) {
      back = `putting the previous definition back failed too (${errorMessage(e)})`
    }
    throw new RouterError(
      `router ${this.name}: the written definition of ${flag} in ${where} does not carry ${formatWeights(target)} (${problem}); ${back}; ${await this.where()}`,
    )
  }

  private warnedDisabled = false
  /** Once per run: a DISABLED flag serves code defaults, not the weights cutover reads and writes. */
  private warnDisabled(weights: Weights): void {
    if (this.warnedDisabled) return
    this.warnedDisabled = true
    const { flag } = this.config
    this.log.warning(
      `${this.name}: flag ${flag} in ${this.store.where} is DISABLED (someone set "state": "DISABLED"): flagd serves each application's code default, not the fractional rule; the rule holds ${formatWeights(weights)}, which is what re-enabling the flag serves. cutover still writes a move to 0 (a rollback; the flag stays DISABLED) but no raise.`,
    )
  }

  /** For messages: what the flag holds now, or why that is unknown. */
  private async where(): Promise<string> {
    try {
      return `the flag now holds ${formatWeights(await this.read())}`
    } catch (e) {
      return `what the flag holds now is unknown (${errorMessage(e).slice(0, 200)})`
    }
  }
}
