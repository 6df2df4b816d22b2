/**
 * HAProxy through its runtime API (the `stats socket`, level admin), over TCP or a unix socket.
 * Weight changes apply instantly, with no reload and no dropped connection.
 */
import type { HaproxyConfig } from './config.js'
import { describeConfig } from './config.js'
import { RouterError, type Router } from './router.js'
import {
  assertWritable,
  formatWeights,
  sameWeights,
  SLOTS,
  toPercent,
  type Slot,
  type Weights,
} from './weights.js'

/** srv_admin_state bits that mean "no traffic": forced, inherited, config, resolver and hostname maintenance, drain. */
const ADMIN_MAINT = 0x01 | 0x02 | 0x04 | 0x20 | 0x40
const ADMIN_DRAIN = 0x08 | 0x10
const OP_STOPPED = 0

export interface HaproxyServerState {
  name: string
  weight: number
  maintenance: boolean
  draining: boolean
  down: boolean
}

export class HaproxyRouter implements Router {
  constructor(readonly config: HaproxyConfig) {}

  describe(): string {
    return describeConfig(this.config)
  }

  /** Sends one command line (several commands may be joined with `;`) and returns HAProxy's reply. */
  async command(line: string): Promise<string> {
    const { address, timeout } = this.config
    const where = address.kind === 'unix' ? address.path : `${address.host}:${address.port}`
    // Loaded here, not at start-up: an nginx user never pays for node:net.
    const { connect } = await import('node:net')
    return new Promise((resolve, reject) => {
      const socket =
        address.kind === 'unix' ? connect(address.path) : connect(address.port, address.host)
      const chunks: Buffer[] = []
      socket.setTimeout(timeout, () => {
        socket.destroy()
        reject(
          new RouterError(
            `HAProxy runtime API at ${where} did not answer within ${timeout} ms (command: ${line})`,
          ),
        )
      })
      socket.on('connect', () => socket.end(`${line}\n`))
      socket.on('data', (chunk) => chunks.push(chunk))
      socket.on('error', (e: NodeJS.ErrnoException) =>
        reject(
          new RouterError(
            `cannot reach the HAProxy runtime API at ${where}: ${e.code ?? e.message}`,
          ),
        ),
      )
      socket.on('close', (hadError) => {
        if (!hadError) resolve(Buffer.concat(chunks).toString('utf8'))
      })
    })
  }

  /** Both slot servers as HAProxy reports them now. */
  async servers(): Promise<Record<Slot, HaproxyServerState>> {
    const { backend, slots } = this.config
    const reply = await this.command(`show servers state ${backend}`)
    const rows = parseServersState(reply, backend)
    const out = {} as Record<Slot, HaproxyServerState>
    for (const slot of SLOTS) {
      const row = rows.find((r) => r.name === slots[slot])
      if (!row) {
        throw new RouterError(
          `HAProxy backend '${backend}' has no server '${slots[slot]}' (slot ${slot}); its servers are: ${rows.map((r) => r.name).join(', ') || 'none'}`,
        )
      }
      out[slot] = row
    }
    return out
  }

  async read(): Promise<Weights> {
    const s = await this.servers()
    const effective = (slot: Slot) => (s[slot].maintenance || s[slot].draining ? 0 : s[slot].weight)
    return toPercent(effective('blue'), effective('green'))
  }

  async write(target: Weights): Promise<void> {
    assertWritable(target)
    const { backend, slots } = this.config
    const before = await this.servers()
    for (const slot of SLOTS) {
      const s = before[slot]
      if (target[slot] > 0 && (s.maintenance || s.draining || s.down)) {
        const why = s.maintenance
          ? 'in maintenance'
          : s.draining
            ? 'draining'
            : 'DOWN by its health check'
        throw new RouterError(
          `HAProxy server ${backend}/${s.name} (slot ${slot}) is ${why}, so it cannot take ${target[slot]}% of traffic; nothing was changed`,
        )
      }
    }
    // Raise first, then lower: at no instant do both servers weigh 0. One line, so HAProxy
    // applies both commands back to back.
    const order = [...SLOTS].sort(
      (a, b) => target[b] - before[b].weight - (target[a] - before[a].weight),
    )
    const line = order
      .map((slot) => `set server ${backend}/${slots[slot]} weight ${target[slot]}`)
      .join('; ')
    const reply = (await this.command(line)).trim()
    const after = await this.read()
    if (reply !== '' || !sameWeights(after, target)) {
      throw new RouterError(
        `HAProxy did not apply ${formatWeights(target)}${reply ? `: it answered "${reply.replace(/\s+/g, ' ')}"` : ''}; traffic is now ${formatWeights(after)}`,
      )
    }
  }
}

/** Parses `show servers state <backend>`: a version line, a `#` header naming the columns, then a row per server. */
export function parseServersState(reply: string, backend: string): HaproxyServerState[] {
  const lines = reply
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
  const header = lines.find((l) => l.startsWith('# '))
  if (!header) {
    const said = lines.join(' ')
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
  const [name, weight, admin, op] = [
    'srv_name',
    'srv_uweight',
    'srv_admin_state',
    'srv_op_state',
  ].map(col) as [number, number, number, number]
  return lines
    .filter((l) => !l.startsWith('#') && l.includes(' '))
    .map((l) => l.split(/\s+/))
    .map((f) => {
      const adminState = Number(f[admin])
      return {
        name: f[name] ?? '',
        weight: Number(f[weight]),
        maintenance: (adminState & ADMIN_MAINT) !== 0,
        draining: (adminState & ADMIN_DRAIN) !== 0,
        down: Number(f[op]) === OP_STOPPED,
      }
    })
}
