/**
 * HAProxy through its runtime API (the `stats socket`, level admin), over TCP or a unix socket.
 * Weight changes apply instantly, with no reload and no dropped connection. A slot may have many
 * servers: its share is spread evenly over those an operator has not put in maintenance or
 * drain; those are reported and left exactly as they are.
 */
import { formatDuration, silentLog, type Log } from '../action-kit/index.js'
import type { HaproxyConfig } from './config.js'
import { describeConfig } from './config.js'
import {
  headerBlockRegex,
  parseHeaderBlockRegex,
  formatMatch,
  sameMatch,
  type MatchRoute,
  type MatchRouting,
} from './match.js'
import { RouterError, type Router } from './router.js'
import {
  assertWritable,
  formatWeights,
  sameWeights,
  SLOTS,
  spreadWeights,
  toPercent,
  type Slot,
  type SlotServers,
  type Weights,
} from './weights.js'

/** srv_admin_state bits that mean "no traffic": forced, inherited, config, resolver and hostname maintenance, drain. */
const ADMIN_MAINT = 0x01 | 0x02 | 0x04 | 0x20 | 0x40
const ADMIN_DRAIN = 0x08 | 0x10
const OP_STOPPED = 0
/** HAProxy's largest server weight. */
export const HAPROXY_MAX_WEIGHT = 256

export interface HaproxyServerState {
  name: string
  /** srv_addr:srv_port as HAProxy reports it (the address only when it reports no port). */
  address: string
  weight: number
  maintenance: boolean
  draining: boolean
  down: boolean
}

export type HaproxySlotState = Record<Slot, HaproxyServerState[]>

/** What a write will do: new weights for the servers it may touch, and what it leaves alone. */
export interface HaproxyPlan {
  /** Server name -> new weight, for every server the write sets. */
  weights: Map<string, number>
  /** Servers an operator put in maintenance or drain: reported, never changed. */
  skipped: { slot: Slot; server: string; why: string; weight: number }[]
  /** Servers DOWN by their health check that get weight all the same (HAProxy skips them while down). */
  down: { slot: Slot; server: string }[]
}

export class HaproxyRouter implements Router {
  readonly type = 'haproxy'
  readonly name: string
  readonly notes: string[] = []
  private readonly log: Log
  /** The header/cookie phase, when the config names the map (`match-map`). */
  readonly match?: MatchRouting

  constructor(
    readonly config: HaproxyConfig,
    options: { log?: Log } = {},
  ) {
    this.name = config.name
    this.log = options.log ?? silentLog
    if (config.match) {
      const { map, backends } = config.match
      this.match = {
        read: () => this.readMatch(map, backends),
        write: (route) => this.writeMatch(map, backends, route),
      }
    }
  }

  /** `show map <file>`: at most one entry, ours; anything else is an error, never a guess. */
  private async readMatch(map: string, backends: Record<Slot, string>): Promise<MatchRoute | null> {
    const reply = await this.command(`show map ${map}`)
    const entries = parseShowMap(reply)
    if (entries === undefined)
      throw new RouterError(
        `HAProxy ${this.describe()}: cannot read map ${map}: "${reply.trim().replace(/\s+/g, ' ').slice(0, 300)}" (is it the file the config's map_reg() names?)`,
      )
    if (entries.length === 0) return null
    const [entry] = entries
    const match = entries.length === 1 && entry ? parseHeaderBlockRegex(entry.key) : undefined
    const slot = SLOTS.find((s) => backends[s] === entry?.value)
    if (!match || !slot)
      throw new RouterError(
        `HAProxy ${this.describe()}: map ${map} holds entries cutover did not write (${entries
          .map((e) => `${e.key} -> ${e.value}`)
          .join('; ')
          .slice(0, 300)}); clear it (clear map ${map}) or fix it by hand`,
      )
    return { ...match, slot }
  }

  /** Replaces the map's content in one command line (clear, add), then reads it back. */
  private async writeMatch(
    map: string,
    backends: Record<Slot, string>,
    route: MatchRoute | null,
  ): Promise<void> {
    // The runtime API unescapes backslashes: the regex's \xHH go over as \\xHH.
    const line =
      route === null
        ? `clear map ${map}`
        : `clear map ${map}; add map ${map} ${headerBlockRegex(route).replace(/\\/g, '\\\\')} ${backends[route.slot]}`
    const reply = (await this.command(line)).trim()
    const what = route === null ? 'clearing the match' : `${formatMatch(route)} -> ${route.slot}`
    if (reply !== '')
      throw new RouterError(
        `HAProxy ${this.describe()} did not take ${what} in map ${map}: it answered "${reply.replace(/\s+/g, ' ').slice(0, 300)}"`,
      )
    const now = await this.readMatch(map, backends)
    if (!sameMatch(now, route))
      throw new RouterError(
        `HAProxy ${this.describe()}: map ${map} reads ${now ? `${formatMatch(now)} -> ${now.slot}` : 'no match'} after ${what}`,
      )
  }

  describe(): string {
    return describeConfig(this.config)
  }

  /**
   * Sends one command line (several commands may be joined with `;`) and returns HAProxy's reply.
   * The router's `timeout` is a deadline for the whole exchange (connect, write, read to the
   * end), not for the gap between bytes: a peer that answers a byte at a time is cut off at the
   * deadline like one that never answers.
   */
  async command(line: string): Promise<string> {
    const { address, timeout } = this.config
    const where = address.kind === 'unix' ? address.path : `${address.host}:${address.port}`
    // Loaded here, not at start-up: an nginx user never pays for node:net.
    const { connect } = await import('node:net')
    return new Promise((resolve, reject) => {
      const socket =
        address.kind === 'unix' ? connect(address.path) : connect(address.port, address.host)
      const chunks: Buffer[] = []
      let received = 0
      let settled = false
      const settle = (done: () => void) => {
        if (settled) return
        settled = true
        clearTimeout(deadline)
        done()
      }
      const deadline = setTimeout(() => {
        socket.destroy()
        const got =
          received === 0
            ? 'no answer'
            : `an unfinished answer (${received} byte${received === 1 ? '' : 's'} so far)`
        settle(() =>
          reject(
            new RouterError(
              `router ${this.name}: the HAProxy runtime API at ${where} gave ${got} within the router's timeout of ${formatDuration(timeout)} (a deadline for the whole exchange; command: ${line})`,
            ),
          ),
        )
      }, timeout)
      socket.on('connect', () => socket.end(`${line}\n`))
      socket.on('data', (chunk) => {
        received += chunk.length
        chunks.push(chunk)
      })
      socket.on('error', (e: NodeJS.ErrnoException) =>
        settle(() =>
          reject(
            new RouterError(
              `router ${this.name}: cannot reach the HAProxy runtime API at ${where}: ${e.code ?? e.message}`,
            ),
          ),
        ),
      )
      socket.on('close', (hadError) => {
        if (!hadError) settle(() => resolve(Buffer.concat(chunks).toString('utf8')))
      })
    })
  }

  /** Every slot server as HAProxy reports it now, in the config's order. */
  async state(): Promise<HaproxySlotState> {
    const { backend } = this.config
    const rows = parseServersState(await this.command(`show servers state ${backend}`), backend)
    return slotState(rows, this.config)
  }

  async servers(): Promise<SlotServers> {
    const state = await this.state()
    const out = {} as SlotServers
    for (const slot of SLOTS)
      out[slot] = state[slot].map((s) => ({ name: s.name, address: s.address }))
    return out
  }

  async read(): Promise<Weights> {
    return haproxyWeights(await this.state())
  }

  async write(target: Weights): Promise<void> {
    assertWritable(target)
    const { backend } = this.config
    const before = await this.state()
    const plan = planHaproxyWrite(before, target, backend)
    for (const s of plan.skipped) {
      const note = `${this.name}: server ${backend}/${s.server} (slot ${s.slot}) is ${s.why}; left as it is (weight ${s.weight}), its slot's share went to the slot's other servers`
      this.log.warning(note)
      if (!this.notes.includes(note)) this.notes.push(note)
    }
    for (const s of plan.down) {
      const note = `${this.name}: server ${backend}/${s.server} (slot ${s.slot}) is DOWN by its health check; HAProxy sends its share to the other servers until it is back`
      this.log.warning(note)
      if (!this.notes.includes(note)) this.notes.push(note)
    }
    const weightOf = new Map(SLOTS.flatMap((slot) => before[slot].map((s) => [s.name, s.weight])))
    // Raise first, then lower: at no instant does a slot that should carry traffic weigh 0.
    const changes = [...plan.weights]
      .filter(([server, weight]) => weightOf.get(server) !== weight)
      .sort(([a, wa], [b, wb]) => wb - (weightOf.get(b) ?? 0) - (wa - (weightOf.get(a) ?? 0)))
    if (changes.length > 0) {
      const line = changes
        .map(([server, weight]) => `set server ${backend}/${server} weight ${weight}`)
        .join('; ')
      const reply = (await this.command(line)).trim()
      if (reply !== '') {
        const where = await this.putBack(
          changes.map(([server]) => server),
          weightOf,
        )
        throw new RouterError(
          `HAProxy ${this.describe()} did not apply ${formatWeights(target)}: it answered "${reply.replace(/\s+/g, ' ').slice(0, 300)}"; ${where}`,
        )
      }
    }
    const after = await this.state()
    const wrong = SLOTS.flatMap((slot) => after[slot]).filter(
      (s) => plan.weights.has(s.name) && plan.weights.get(s.name) !== s.weight,
    )
    const now = haproxyWeights(after)
    if (wrong.length > 0 || !sameWeights(now, target)) {
      throw new RouterError(
        `HAProxy ${this.describe()} reads ${formatWeights(now)} after writing ${formatWeights(target)}${wrong.length ? ` (${wrong.map((s) => `${s.name} weight ${s.weight}, expected ${plan.weights.get(s.name)}`).join(', ')})` : ''}; traffic is now ${formatWeights(now)}`,
      )
    }
  }

  /** After a refused change: every server we touched gets its weight from before, then says where traffic is. */
  private async putBack(servers: string[], weightOf: Map<string, number>): Promise<string> {
    try {
      const line = servers
        .map((s) => `set server ${this.config.backend}/${s} weight ${weightOf.get(s)}`)
        .join('; ')
      const reply = (await this.command(line)).trim()
      const now = formatWeights(await this.read())
      return reply === ''
        ? `put back as it was: traffic is ${now}`
        : `putting it back was refused too ("${reply.replace(/\s+/g, ' ').slice(0, 200)}"): traffic is now ${now}`
    } catch (e) {
      return `and putting it back failed (${(e as Error).message}): traffic is unknown, check ${this.describe()}`
    }
  }
}

/**
 * Parses `show map <file>`: one `<ref> <key> <value>` line per entry; undefined when the answer
 * is not a map's content (an unknown map, an error).
 */
export function parseShowMap(reply: string): { key: string; value: string }[] | undefined {
  const lines = reply.split('\n').filter((l) => l.trim() !== '')
  const out: { key: string; value: string }[] = []
  for (const line of lines) {
    const m = /^0x[0-9a-f]+ (\S+) (\S+)$/.exec(line.trim())
    if (!m) return undefined
    out.push({ key: m[1] as string, value: m[2] as string })
  }
  return out
}

/** Each slot's servers, in the config's order; a configured server the backend lacks is an error. */
export function slotState(rows: HaproxyServerState[], config: HaproxyConfig): HaproxySlotState {
  const out = {} as HaproxySlotState
  for (const slot of SLOTS) {
    out[slot] = config.slots[slot].map((name) => {
      const row = rows.find((r) => r.name === name)
      if (!row) {
        throw new RouterError(
          `HAProxy backend '${config.backend}' has no server '${name}' (slot ${slot}); its servers are: ${rows.map((r) => r.name).join(', ') || 'none'}`,
        )
      }
      return row
    })
  }
  return out
}

/** A slot's traffic: the sum of its servers' weights, except those in maintenance or drain. */
export function haproxyWeights(state: HaproxySlotState): Weights {
  const total = (slot: Slot) =>
    state[slot].filter((s) => !s.maintenance && !s.draining).reduce((sum, s) => sum + s.weight, 0)
  return toPercent(total('blue'), total('green'))
}

/**
 * The pure decision behind a write: spread each slot's share evenly over its servers that an
 * operator left in service; refuse (nothing changed) when a slot that should carry traffic has
 * none left.
 */
export function planHaproxyWrite(
  state: HaproxySlotState,
  target: Weights,
  backend: string,
): HaproxyPlan {
  const skipped: HaproxyPlan['skipped'] = []
  const usable = {} as Record<Slot, HaproxyServerState[]>
  for (const slot of SLOTS) {
    usable[slot] = []
    for (const s of state[slot]) {
      if (s.maintenance || s.draining)
        skipped.push({
          slot,
          server: s.name,
          why: s.maintenance ? 'in maintenance' : 'draining',
          weight: s.weight,
        })
      else usable[slot].push(s)
    }
    const up = usable[slot].filter((s) => !s.down)
    if (target[slot] > 0 && up.length === 0) {
      const only = state[slot].length === 1 ? state[slot][0] : undefined
      if (only) {
        const why = only.maintenance
          ? 'in maintenance'
          : only.draining
            ? 'draining'
            : 'DOWN by its health check'
        throw new RouterError(
          `HAProxy server ${backend}/${only.name} (slot ${slot}) is ${why}, so it cannot take ${target[slot]}% of traffic; nothing was changed`,
        )
      }
      const why = state[slot]
        .map(
          (s) =>
            `${s.name} ${s.maintenance ? 'in maintenance' : s.draining ? 'draining' : 'DOWN by its health check'}`,
        )
        .join(', ')
      throw new RouterError(
        `HAProxy backend ${backend}: no server of slot ${slot} can take ${target[slot]}% of traffic (${why}); nothing was changed`,
      )
    }
  }
  const perServer = spreadWeights(
    target,
    { blue: usable.blue.length, green: usable.green.length },
    HAPROXY_MAX_WEIGHT,
  )
  const weights = new Map<string, number>()
  const down: HaproxyPlan['down'] = []
  for (const slot of SLOTS) {
    for (const s of usable[slot]) {
      weights.set(s.name, perServer[slot])
      if (s.down && target[slot] > 0) down.push({ slot, server: s.name })
    }
  }
  return { weights, skipped, down }
}

/** Parses `show servers state <backend>`: a version line, a `#` header naming the columns, then a row per server. */
export function parseServersState(reply: string, backend: string): HaproxyServerState[] {
  const lines = reply
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
  const header = lines.find((l) => l.startsWith('# '))
  if (!header) {
    const said = lines.join(' ').slice(0, 300)
    if (/can't find backend|no such backend/i.test(said))
      throw new RouterError(`HAProxy has no backend '${backend}'`)
    throw new RouterError(
      `unexpected answer from HAProxy to 'show servers state ${backend}': ${said || '(empty)'}`,
    )
  }
  const columns = header.slice(2).split(/\s+/)
  const col = (name: string) => {
    const i = columns.indexOf(name)
    if (i < 0) throw new RouterError(`HAProxy's servers state has no column ${name}`)
    return i
  }
  const [name, addr, weight, admin, op] = [
    'srv_name',
    'srv_addr',
    'srv_uweight',
    'srv_admin_state',
    'srv_op_state',
  ].map(col) as [number, number, number, number, number]
  const port = columns.indexOf('srv_port')
  return lines
    .filter((l) => !l.startsWith('#') && l.includes(' '))
    .map((l) => l.split(/\s+/))
    .map((f) => {
      const adminState = Number(f[admin])
      const host = f[addr] ?? ''
      const p = port >= 0 ? f[port] : undefined
      return {
        name: f[name] ?? '',
        address:
          p && p !== '0' && p !== '-' ? `${host.includes(':') ? `[${host}]` : host}:${p}` : host,
        weight: Number(f[weight]),
        maintenance: (adminState & ADMIN_MAINT) !== 0,
        draining: (adminState & ADMIN_DRAIN) !== 0,
        down: Number(f[op]) === OP_STOPPED,
      }
    })
}
