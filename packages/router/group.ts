/**
 * Several routers that must act as one (an HA pair, one per zone): all get the same weights and
 * are all read back. Routers that disagree before a change are refused; when one fails, every
 * router is put back where it was and the error says where traffic is on each.
 */
import { silentLog, type Log } from '../action-kit/index.js'
import { RouterError, type Router } from './router.js'
import { formatWeights, sameWeights, SLOTS, type SlotServers, type Weights } from './weights.js'

export class GroupRouter implements Router {
  readonly type = 'group'
  readonly name: string
  private readonly log: Log

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
    const where = await this.whereTrafficIs()
    for (const line of where) this.log.warning(`traffic now: ${line}`)
    const said = (f: (typeof failed)[number]) =>
      message(f.error).includes(f.router.describe())
        ? message(f.error)
        : `${f.router.describe()} failed: ${message(f.error)}`
    throw new RouterError(
      `${failed.map(said).join('; ')}; every router was put back to ${formatWeights(before)}. Traffic now: ${where.join('; ')}`,
    )
  }

  /** Every router's servers; a server listed by several routers appears once. */
  async servers(): Promise<SlotServers> {
    const all = await Promise.all(this.routers.map((r) => r.servers()))
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
    const all = await Promise.allSettled(this.routers.map((r) => r.read()))
    return all.map((r, i) => {
      const router = (this.routers[i] as Router).describe()
      return r.status === 'fulfilled'
        ? `${router}: ${formatWeights(r.value)}`
        : `${router}: unknown (${message(r.reason)})`
    })
  }

  private async readAll(): Promise<Weights[]> {
    const all = await Promise.allSettled(this.routers.map((r) => r.read()))
    const failed = all.flatMap((r, i) =>
      r.status === 'rejected'
        ? [`${(this.routers[i] as Router).describe()}: ${message(r.reason)}`]
        : [],
    )
    if (failed.length > 0)
      throw new RouterError(`cannot read every router: ${failed.join('; ')}; nothing was changed`)
    return all.map((r) => (r as PromiseFulfilledResult<Weights>).value)
  }
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

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}
