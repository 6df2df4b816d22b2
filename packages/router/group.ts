/**
 * Several routers that must act as one (an HA pair, one per zone): all get the same weights and
 * are all read back. Routers that disagree before a change are refused; when one fails, every
 * router is put back where it was and the error says where traffic is on each.
 *
 * A change needs every router to answer, except a move back to the known-good slot
 * (`writeReachable`, used only through packages/traffic/move.ts `moveTowardSafety`): it is made
 * on every router that answers, and names each one that did not with what it held at its last
 * read in this process.
 */
import { silentLog, type Log } from '../action-kit/index.js'
import { formatMatch, sameMatch, type MatchRoute, type MatchRouting } from './match.js'
import { RouterError, type Router } from './router.js'
import { formatWeights, sameWeights, SLOTS, type SlotServers, type Weights } from './weights.js'

/** A router of a list that a move toward safety did not reach, and what it held when last read. */
export interface UnreachedRouter {
  /** The router's describe(). */
  router: string
  /** Why it was not moved: its read or write error. */
  error: string
  /** Its weights at its last successful read in this process; undefined when it never answered. */
  lastRead?: { weights: Weights; at: string }
}

/** One member's answer to a move toward safety: its weights read back, or why not. */
export type MemberOutcome =
  | { router: string; moved: true; weights: Weights }
  | { router: string; moved: false; error: string; lastRead?: { weights: Weights; at: string } }

/** What a move toward safety did on a list: the weights of the routers it moved, and the others. */
export interface PartialWrite {
  after: Weights
  unreached: UnreachedRouter[]
}

/**
 * The decision, pure: a move toward safety stands when at least one router took it and every
 * router that took it reads `target`; the rest are named. No router moved: a RouterError
 * naming each one (nothing to stand on).
 */
export function judgeSafetyWrite(
  target: Weights,
  outcomes: readonly MemberOutcome[],
): PartialWrite {
  const unreached = outcomes.flatMap((o): UnreachedRouter[] =>
    o.moved
      ? []
      : [{ router: o.router, error: o.error, ...(o.lastRead ? { lastRead: o.lastRead } : {}) }],
  )
  const moved = outcomes.filter((o) => o.moved)
  if (moved.length === 0)
    throw new RouterError(
      `no router took ${formatWeights(target)}: ${unreached.map(unreachedText).join('; ')}`,
    )
  const astray = moved.filter((o) => !sameWeights(o.weights, target))
  if (astray.length > 0)
    throw new RouterError(
      `after writing ${formatWeights(target)} ${astray.map((o) => `${o.router} reads ${formatWeights(o.weights)}`).join('; ')}${unreached.length > 0 ? `; not moved: ${unreached.map(unreachedText).join('; ')}` : ''}`,
    )
  return { after: target, unreached }
}

/** "haproxy … (ECONNREFUSED); at its last read (…) it held blue 90% / green 10%", or that it never answered. */
export function unreachedText(u: UnreachedRouter): string {
  const last = u.lastRead
    ? `at its last read (${u.lastRead.at}) it held ${formatWeights(u.lastRead.weights)}`
    : 'it answered no read in this run, so what it holds is unknown'
  return `${u.router} (${u.error}); ${last}`
}

/** A change that failed part-way and was undone: every router reads the weights from before again. */
export class RoutersPutBack extends RouterError {
  override name = 'RoutersPutBack'
  constructor(
    message: string,
    /** The weights every router was put back to (and reads). */
    readonly restored: Weights,
  ) {
    super(message)
  }
}

export class GroupRouter implements Router {
  readonly type = 'group'
  readonly name: string
  private readonly log: Log
  /** Each member's last successful read (or verified write) in this process. */
  private readonly last = new Map<Router, { weights: Weights; at: string }>()

  constructor(
    readonly routers: Router[],
    options: { log?: Log } = {},
  ) {
    if (routers.length === 0) throw new RangeError('a router group needs at least one router')
    this.name = [...new Set(routers.map((r) => r.name))].join(' + ')
    this.log = options.log ?? silentLog
  }

  get notes(): string[] {
    return this.routers.flatMap((r) => r.notes)
  }

  /**
   * The header/cookie phase when every router can do it (else absent: the step refuses before
   * anything moves). Setting a match is all or nothing: the routers must agree first, and when
   * one fails every router is put back. Clearing it (toward safety) goes ahead on every router
   * that answers and names the others.
   */
  get match(): MatchRouting | undefined {
    const members = this.routers.map((r) => r.match)
    if (members.some((m) => m === undefined)) return undefined
    const all = members as MatchRouting[]
    const show = (m: MatchRoute | null) => (m ? `${formatMatch(m)} -> ${m.slot}` : 'no match')
    const readAll = async (): Promise<MatchRoute | null> => {
      const reads = await Promise.all(all.map((m) => m.read()))
      const first = reads[0] ?? null
      if (reads.some((r) => !sameMatch(r, first)))
        throw new RouterError(
          `the routers disagree on the header/cookie match: ${this.routers.map((r, i) => `${r.describe()}: ${show(reads[i] ?? null)}`).join('; ')}`,
        )
      return first
    }
    return {
      read: readAll,
      write: async (route) => {
        if (route === null) {
          const results = await Promise.allSettled(all.map((m) => m.write(null)))
          const failed = results.flatMap((r, i) =>
            r.status === 'rejected'
              ? [`${(this.routers[i] as Router).describe()} (${message(r.reason)})`]
              : [],
          )
          if (failed.length > 0)
            throw new RouterError(
              `the header/cookie match was cleared on ${results.length - failed.length} of ${results.length} routers; not on: ${failed.join('; ')}`,
            )
          return
        }
        const before = await readAll()
        const results = await Promise.allSettled(all.map((m) => m.write(route)))
        const failed = results.flatMap((r, i) =>
          r.status === 'rejected'
            ? [`${(this.routers[i] as Router).describe()}: ${message(r.reason)}`]
            : [],
        )
        if (failed.length === 0) return
        await Promise.allSettled(all.map((m) => m.write(before)))
        throw new RouterError(`${failed.join('; ')}; every router was put back to ${show(before)}`)
      },
    }
  }

  describe(): string {
    return `${this.routers.length} routers: ${this.routers.map((r) => r.describe()).join('; ')}`
  }

  /** The one state all routers share; refused when they disagree. */
  async read(): Promise<Weights> {
    const all = await this.readAll()
    return agreed(this.routers, all)
  }

  async write(target: Weights): Promise<void> {
    const before = agreed(this.routers, await this.readAll(), 'nothing was changed')
    // Every member's own pre-write check first: a refusal then changes no router at all.
    const checks = await Promise.allSettled(this.routers.map((r) => r.check?.(target)))
    const refused = checks.flatMap((r, i) =>
      r.status === 'rejected'
        ? [`${(this.routers[i] as Router).describe()}: ${message(r.reason)}`]
        : [],
    )
    if (refused.length > 0)
      throw new RouterError(`${refused.join('; ')}; nothing was changed (${formatWeights(before)})`)
    const results = await Promise.allSettled(this.routers.map((r) => r.write(target)))
    const failed = results.flatMap((r, i) =>
      r.status === 'rejected' ? [{ router: this.routers[i] as Router, error: r.reason }] : [],
    )
    if (failed.length === 0) {
      // Each router verified itself; read all back once more so a group never reports half a change.
      agreed(this.routers, await this.readAll(), `after writing ${formatWeights(target)}`)
      return
    }
    for (const f of failed)
      this.log.warning(
        `${f.router.describe()} refused ${formatWeights(target)}: ${message(f.error)}`,
      )
    this.log.warning(`putting every router back to ${formatWeights(before)}`)
    await Promise.allSettled(this.routers.map((r) => r.write(before)))
    const states = await Promise.allSettled(this.routers.map((r) => this.readOne(r)))
    const where = states.map((r, i) => whereText(this.routers[i] as Router, r))
    for (const line of where) this.log.warning(`traffic now: ${line}`)
    const said = (f: (typeof failed)[number]) =>
      message(f.error).includes(f.router.describe())
        ? message(f.error)
        : `${f.router.describe()} failed: ${message(f.error)}`
    const text = `${failed.map(said).join('; ')}; every router was put back to ${formatWeights(before)}. Traffic now: ${where.join('; ')}`
    // Some router had taken the change and every one reads `before` again: the change was undone.
    const undone =
      failed.length < this.routers.length &&
      states.every((r) => r.status === 'fulfilled' && sameWeights(r.value, before))
    throw undone ? new RoutersPutBack(text, before) : new RouterError(text)
  }

  /**
   * A move toward the known-good slot: `target` is written to every router that answers and read
   * back; the routers that did not answer (or refused) are returned with their last read, and
   * nobody is put back. Throws only when no router took it.
   */
  async writeReachable(target: Weights): Promise<PartialWrite> {
    const outcomes = await Promise.all(
      this.routers.map(async (r): Promise<MemberOutcome> => {
        try {
          await r.write(target)
          return { router: r.describe(), moved: true, weights: await this.readOne(r) }
        } catch (e) {
          const lastRead = this.last.get(r)
          return {
            router: r.describe(),
            moved: false,
            error: message(e),
            ...(lastRead ? { lastRead } : {}),
          }
        }
      }),
    )
    return judgeSafetyWrite(target, outcomes)
  }

  /**
   * The weights the routers that answer agree on, and the ones that did not answer (with their
   * last read): what a move toward safety starts from. Routers that answer but disagree read as
   * a split (splitOf). Throws when none answers.
   */
  async readReachable(): Promise<PartialWrite> {
    const all = await Promise.allSettled(this.routers.map((r) => this.readOne(r)))
    const answered = all.flatMap((r, i) =>
      r.status === 'fulfilled' ? [{ router: this.routers[i] as Router, weights: r.value }] : [],
    )
    const unreached = all.flatMap((r, i): UnreachedRouter[] => {
      if (r.status === 'fulfilled') return []
      const router = this.routers[i] as Router
      const lastRead = this.last.get(router)
      return [
        { router: router.describe(), error: message(r.reason), ...(lastRead ? { lastRead } : {}) },
      ]
    })
    if (answered.length === 0)
      throw new RouterError(`no router could be read: ${unreached.map(unreachedText).join('; ')}`)
    const weights = answered.map((a) => a.weights)
    const first = weights[0] as Weights
    if (weights.every((w) => sameWeights(w, first))) return { after: first, unreached }
    // A move back to safety never waits for the routers to agree: an earlier one that reached
    // only some of them leaves exactly this. Their shared state is a split, so the move writes
    // the safe slot to every router that answers.
    this.log.warning(
      `the routers disagree: ${answered.map((a) => `${a.router.describe()}: ${formatWeights(a.weights)}`).join('; ')}; moving back to safety goes ahead on every router that answers`,
    )
    return { after: splitOf(weights), unreached }
  }

  /**
   * Every router's servers; a server listed by several routers appears once. A router that does
   * not answer is left out (they front the same servers); none answering is an error.
   */
  async servers(): Promise<SlotServers> {
    const settled = await Promise.allSettled(this.routers.map((r) => r.servers()))
    const all = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
    if (all.length === 0) throw (settled[0] as PromiseRejectedResult).reason
    const out = {} as SlotServers
    for (const slot of SLOTS) {
      const seen = new Set<string>()
      out[slot] = all
        .flatMap((s) => s[slot])
        .filter((s) => {
          const key = `${s.name}\n${s.address}`
          if (seen.has(key)) return false
          seen.add(key)
          return true
        })
    }
    return out
  }

  /** One line per router: its weights, or why they could not be read. */
  async whereTrafficIs(): Promise<string[]> {
    const all = await Promise.allSettled(this.routers.map((r) => this.readOne(r)))
    return all.map((r, i) => whereText(this.routers[i] as Router, r))
  }

  /** One member's read, remembered as its last read. */
  private async readOne(router: Router): Promise<Weights> {
    const weights = await router.read()
    this.last.set(router, { weights, at: new Date().toISOString() })
    return weights
  }

  private async readAll(): Promise<Weights[]> {
    const all = await Promise.allSettled(this.routers.map((r) => this.readOne(r)))
    const failed = all.flatMap((r, i) =>
      r.status === 'rejected'
        ? [`${(this.routers[i] as Router).describe()}: ${message(r.reason)}`]
        : [],
    )
    if (failed.length > 0)
      throw new RouterError(
        `cannot read every router: ${failed.join('; ')}; nothing was changed (only a move back to the known-good slot, such as rollback, goes ahead without every router)`,
      )
    return all.map((r) => (r as PromiseFulfilledResult<Weights>).value)
  }
}

/**
 * What routers that disagree hold together: the mean weights, never 100% on one slot (some
 * router is not there), so a move to either slot still writes every router. Pure.
 */
export function splitOf(weights: readonly Weights[]): Weights {
  const blue = Math.round(weights.reduce((sum, w) => sum + w.blue, 0) / weights.length)
  const clamped = Math.min(99, Math.max(1, blue))
  return { blue: clamped, green: 100 - clamped }
}

/** The weights all routers agree on, or a RouterError showing each one's. */
export function agreed(
  routers: Pick<Router, 'describe'>[],
  weights: Weights[],
  when?: string,
): Weights {
  const first = weights[0] as Weights
  if (weights.every((w) => sameWeights(w, first))) return first
  throw new RouterError(
    `the routers disagree${when && when.startsWith('after') ? ` ${when}` : ''}: ${routers.map((r, i) => `${r.describe()}: ${formatWeights(weights[i] as Weights)}`).join('; ')}${when && !when.startsWith('after') ? `; ${when}` : ''}. Bring them to the same weights first (e.g. with to: blue|green on each)`,
  )
}

function whereText(router: Router, read: PromiseSettledResult<Weights>): string {
  return read.status === 'fulfilled'
    ? `${router.describe()}: ${formatWeights(read.value)}`
    : `${router.describe()}: unknown (${message(read.reason)})`
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}
