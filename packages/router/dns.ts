/**
 * A DNS record as the router: each slot is a set of addresses (A/AAAA) or one CNAME target, and
 * moving traffic means changing what the authoritative servers answer for `record`.
 *
 * - PowerDNS Authoritative through its HTTP API: an RRset REPLACE for blue-green; a canary is a
 *   LUA record `A "pickwrandom({{w,'addr'},...})"` (weight first; every query a fresh weighted
 *   draw, LUA answers are not cached by pdns).
 * - RFC 2136 UPDATE signed with TSIG hmac-sha256 (BIND 9, Knot, pdns with dnsupdate): blue-green
 *   only; a split is refused before anything moves (`canSplit` false).
 *
 * "Done" is read back: after the change every listed authoritative server is asked directly
 * (UDP, TCP when truncated, a deadline per exchange) until each serves the new slot, or the
 * change is put back and the error says what each server answers. The record's TTL is reported,
 * and with `wait-ttl` one TTL (the longer of the old and new) is waited so caches expired.
 */
import { formatDuration, silentLog, type Log } from '../action-kit/index.js'
import { sleep } from '../action-kit/util.js'
import { dnsDescribe, type DnsConfig, type DnsServer, type DnsSlot } from './dns-config.js'
import {
  decodeResponse,
  encodeUpdate,
  ExchangeError,
  normalAddress,
  query,
  randomId,
  rcodeName,
  signTsig,
  tcpExchange,
  TYPE,
  verifyTsig,
  type RecordType,
  type UpdateRecord,
} from './dns-wire.js'
import { RouterError, type Router } from './router.js'
import {
  allOn,
  assertWritable,
  formatWeights,
  liveSlot,
  sameWeights,
  SLOTS,
  spreadWeights,
  toPercent,
  type Slot,
  type SlotServers,
  type Weights,
} from './weights.js'

/** What one server answers for the record now. */
export interface Observed {
  rcode: string
  cname?: string
  a: string[]
  aaaa: string[]
  /** The smallest TTL among the answers (undefined without answers). */
  ttl?: number
}

/** The records a state needs: plain A/AAAA/CNAME, or (pdns, a split) LUA records. */
export interface RecordSet {
  A: string[]
  AAAA: string[]
  CNAME: string[]
  /** LUA record contents, e.g. `A "pickwrandom({{90,'192.0.2.1'},{10,'192.0.2.2'}})"`. */
  LUA: string[]
}

const RRSET_TYPES = ['A', 'AAAA', 'CNAME', 'LUA'] as const
type RRsetType = (typeof RRSET_TYPES)[number]

/** Answers counted per server after a split, for the log's observed canary share. */
export const CANARY_SAMPLE = 200
/** pickwrandom weights: per-address weights up to this, spread exactly where possible. */
const LUA_MAX_WEIGHT = 10_000

/** The records that put `target` in place (a split only for address slots with the same families). */
export function desiredRecords(targets: Record<Slot, DnsSlot>, target: Weights): RecordSet {
  const out: RecordSet = { A: [], AAAA: [], CNAME: [], LUA: [] }
  const live = liveSlot(target)
  if (live) {
    const t = targets[live]
    if (t.kind === 'cname') out.CNAME = [`${t.target}.`]
    else {
      out.A = [...t.a]
      out.AAAA = [...t.aaaa]
    }
    return out
  }
  const reason = splitRefusal(targets)
  if (reason) throw new RangeError(reason)
  for (const [type, key] of [
    ['A', 'a'],
    ['AAAA', 'aaaa'],
  ] as const) {
    const b = (targets.blue as { a: string[]; aaaa: string[] })[key]
    const g = (targets.green as { a: string[]; aaaa: string[] })[key]
    if (b.length === 0) continue
    const w = spreadWeights(target, { blue: b.length, green: g.length }, LUA_MAX_WEIGHT)
    const pairs = [...b.map((x) => `{${w.blue},'${x}'}`), ...g.map((x) => `{${w.green},'${x}'}`)]
    out.LUA.push(`${type} "pickwrandom({${pairs.join(',')}})"`)
  }
  return out
}

/** Why these slots cannot carry a split (undefined: they can). */
export function splitRefusal(targets: Record<Slot, DnsSlot>): string | undefined {
  const { blue, green } = targets
  if (blue.kind === 'cname' || green.kind === 'cname')
    return 'a CNAME slot cannot be split by weight (pickwrandom picks addresses); give addresses for both slots, or use blue-green'
  if (blue.a.length > 0 !== green.a.length > 0 || blue.aaaa.length > 0 !== green.aaaa.length > 0)
    return 'the slots have different address families (one has IPv4 or IPv6 addresses the other lacks), so a client of that family could not be split; give both slots the same families'
  return undefined
}

/** Weights from a LUA RRset we wrote: the sum of each slot's pickwrandom weights. */
export function luaWeights(
  contents: string[],
  targets: Record<Slot, DnsSlot>,
): Weights | undefined {
  const totals: Record<Slot, number> = { blue: 0, green: 0 }
  let seen = 0
  for (const content of contents) {
    const m = /^(A|AAAA)\s+"pickwrandom\(\{(.*)\}\)"$/.exec(content.trim())
    if (!m) return undefined
    const body = m[2] as string
    for (const p of body.matchAll(/\{\s*(\d+)\s*,\s*'([^']+)'\s*\}/g)) {
      const slot = slotOf(targets, normalAddress(p[2] as string))
      if (!slot) return undefined
      totals[slot] += Number(p[1])
      seen++
    }
  }
  if (seen === 0) return undefined
  return toPercent(totals.blue, totals.green)
}

function slotOf(targets: Record<Slot, DnsSlot>, address: string): Slot | undefined {
  return SLOTS.find((s) => {
    const t = targets[s]
    return t.kind === 'addresses' && (t.a.includes(address) || t.aaaa.includes(address))
  })
}

const sameSet = (x: string[], y: string[]) =>
  x.length === y.length && [...x].sort().join(',') === [...y].sort().join(',')

/** The slot a server's answer is exactly (all of its addresses, or its CNAME), or undefined. */
export function slotAnswered(observed: Observed, targets: Record<Slot, DnsSlot>): Slot | undefined {
  if (observed.rcode !== 'NOERROR') return undefined
  return SLOTS.find((s) => {
    const t = targets[s]
    if (t.kind === 'cname') return observed.cname === t.target
    return !observed.cname && sameSet(observed.a, t.a) && sameSet(observed.aaaa, t.aaaa)
  })
}

/** An answer a split (pickwrandom) could give: one address per family, each from a slot. */
export function splitAnswer(
  observed: Observed,
  targets: Record<Slot, DnsSlot>,
): Slot[] | undefined {
  if (observed.rcode !== 'NOERROR' || observed.cname) return undefined
  const all = [...observed.a, ...observed.aaaa]
  if (observed.a.length > 1 || observed.aaaa.length > 1 || all.length === 0) return undefined
  const slots = all.map((x) => slotOf(targets, x))
  return slots.every((s): s is Slot => s !== undefined) ? slots : undefined
}

/** For messages: "green (192.0.2.2)", "SERVFAIL", "nothing (NOERROR, no records)". */
export function formatObserved(o: Observed, targets?: Record<Slot, DnsSlot>): string {
  if (o.rcode !== 'NOERROR') return o.rcode
  const values = o.cname ? [`CNAME ${o.cname}`] : [...o.a, ...o.aaaa]
  if (values.length === 0) return 'no records (NOERROR)'
  const slot = targets ? slotAnswered(o, targets) : undefined
  return slot ? `${slot} (${values.join(', ')})` : values.join(', ')
}

export class DnsRouter implements Router {
  readonly type = 'dns'
  readonly name: string
  readonly notes: string[] = []
  /** false for RFC 2136 (and CNAME slots): a canary is refused before anything moves. */
  readonly canSplit: boolean
  private readonly log: Log

  constructor(
    readonly config: DnsConfig,
    options: { log?: Log } = {},
  ) {
    this.name = config.name
    this.log = options.log ?? silentLog
    this.canSplit = config.provider === 'powerdns' && splitRefusal(config.targets) === undefined
  }

  describe(): string {
    return dnsDescribe(this.config)
  }

  async servers(): Promise<SlotServers> {
    const out = {} as SlotServers
    for (const slot of SLOTS)
      out[slot] = this.config.slots[slot].map((v) => ({ name: v, address: v }))
    return out
  }

  /** What one authoritative server answers for the record (A, and AAAA when a slot has IPv6). */
  async observe(server: DnsServer): Promise<Observed> {
    const types: number[] = [TYPE.A]
    if (
      SLOTS.some((s) => {
        const t = this.config.targets[s]
        return t.kind === 'addresses' && t.aaaa.length > 0
      })
    )
      types.push(TYPE.AAAA)
    const out: Observed = { rcode: 'NOERROR', a: [], aaaa: [] }
    for (const type of types) {
      let r
      try {
        r = await this.ask(server, this.config.record, type)
      } catch (e) {
        throw new RouterError(`${server.label}: ${(e as Error).message}`)
      }
      if (r.rcode !== 0) return { rcode: rcodeName(r.rcode), a: [], aaaa: [] }
      if (!r.authoritative) return { rcode: 'not authoritative (AA clear)', a: [], aaaa: [] }
      for (const ans of r.answers) {
        if (ans.name !== this.config.record) continue
        out.ttl = out.ttl === undefined ? ans.ttl : Math.min(out.ttl, ans.ttl)
        if (ans.type === TYPE.CNAME) out.cname = ans.data
        else if (ans.type === TYPE.A && !out.a.includes(ans.data)) out.a.push(ans.data)
        else if (ans.type === TYPE.AAAA && !out.aaaa.includes(ans.data)) out.aaaa.push(ans.data)
      }
      if (out.cname) break
    }
    return out
  }

  /**
   * One question to one server. A UDP query that got no answer within the deadline is asked once
   * more (a lost datagram, as every DNS client does); each attempt has the whole deadline.
   */
  private async ask(server: DnsServer, name: string, type: number) {
    try {
      return await query(server, name, type, this.config.timeout)
    } catch (e) {
      if (!(e instanceof ExchangeError) || !e.message.startsWith('no answer over UDP')) throw e
      return query(server, name, type, this.config.timeout)
    }
  }

  /** Every server's answer (or why it gave none), in the config's order. */
  private async observeAll(): Promise<
    { server: DnsServer; observed?: Observed; error?: string }[]
  > {
    return Promise.all(
      this.config.servers.map((server) =>
        this.observe(server).then(
          (observed) => ({ server, observed }),
          (e: Error) => ({ server, error: e.message.replace(`${server.label}: `, '') }),
        ),
      ),
    )
  }

  /** For messages: each server and what it answers now. */
  private async whereAnswersStand(): Promise<string> {
    const all = await this.observeAll()
    return all
      .map(
        (x) =>
          `${x.server.label} answers ${x.observed ? formatObserved(x.observed, this.config.targets) : `nothing (${x.error})`}`,
      )
      .join('; ')
  }

  /**
   * The weights every server's answer shows; all must agree. A split (pdns LUA) is read from the
   * API's record content, and each server's answer must be one a split gives.
   */
  async read(): Promise<Weights> {
    const lua =
      this.config.provider === 'powerdns'
        ? luaWeights((await this.pdnsRead()).LUA, this.config.targets)
        : undefined
    const all = await this.observeAll()
    const per = all.map((x) => {
      if (!x.observed) return { ...x, weights: undefined, said: `nothing (${x.error})` }
      // With a LUA record in place a one-address answer is one draw of the split.
      if (lua && splitAnswer(x.observed, this.config.targets))
        return {
          ...x,
          weights: lua,
          said: `${formatObserved(x.observed)} (one draw of the split ${formatWeights(lua)})`,
        }
      const slot = slotAnswered(x.observed, this.config.targets)
      if (slot)
        return { ...x, weights: allOn(slot), said: formatObserved(x.observed, this.config.targets) }
      return {
        ...x,
        weights: undefined,
        said: `${formatObserved(x.observed)}, which is neither slot`,
      }
    })
    const first = per[0]?.weights
    if (first && per.every((p) => p.weights && sameWeights(p.weights, first))) return first
    throw new RouterError(
      `router ${this.name}: the authoritative servers of ${this.config.record} do not agree on one slot: ${per.map((p) => `${p.server.label} answers ${p.said}`).join('; ')}`,
    )
  }

  async write(target: Weights): Promise<void> {
    assertWritable(target)
    const { config } = this
    if (!liveSlot(target) && !this.canSplit)
      throw new RouterError(
        `router ${this.name}: cannot carry ${formatWeights(target)}: ${config.provider === 'rfc2136' ? 'RFC 2136 has no weighted answers (only PowerDNS LUA records split by weight); use blue-green-switch with this router' : splitRefusal(config.targets)}; nothing was changed`,
      )
    const desired = desiredRecords(config.targets, target)
    // Before any change: every listed server is authoritative for the zone.
    await this.checkServers()
    const before = await this.currentRecords()
    const oldTtl = before.ttl
    const started = Date.now()
    this.log.info(
      `${this.name}: writing ${describeRecords(desired)} for ${config.record} (TTL ${config.ttl} s) through ${config.provider === 'powerdns' ? `the PowerDNS API ${config.api?.url}` : `RFC 2136 to ${config.update?.server.label}`}`,
    )
    try {
      await this.apply(desired, before.records)
    } catch (e) {
      const why = (e as Error).message
      const now = () => this.whereAnswersStand().catch((x: Error) => `unknown (${x.message})`)
      // A refusal changed nothing (a PATCH and an UPDATE apply whole or not at all).
      if (e instanceof Refused)
        throw new RouterError(
          `router ${this.name}: the update was refused, nothing changed: ${why}; answers now: ${await now()}`,
        )
      // No answer: it may have been applied. Put the previous records back to be sure.
      let back: string
      try {
        await this.apply(before.records, desired)
        back = `put the previous records back (${describeRecords(before.records)})`
      } catch (x) {
        back = `putting the previous records back failed too (${(x as Error).message})`
      }
      throw new RouterError(
        `router ${this.name}: the update's outcome is unknown (${why}); ${back}; answers now: ${await now()}`,
      )
    }
    const failed = await this.awaitServers(target, desired)
    if (failed) {
      let back: string
      try {
        await this.apply(before.records, desired)
        back = `put the previous records back (${describeRecords(before.records)})`
      } catch (e) {
        back = `and putting the previous records back failed (${(e as Error).message})`
      }
      throw new RouterError(
        `router ${this.name}: not every authoritative server served ${formatWeights(target)} within ${formatDuration(config.propagationTimeout)} (${failed}); ${back}; answers now: ${await this.whereAnswersStand().catch((x: Error) => `unknown (${x.message})`)}`,
      )
    }
    const elapsed = Date.now() - started
    this.log.info(
      `${this.name}: every authoritative server (${config.servers.map((s) => s.label).join(', ')}) answers ${formatWeights(target)} ${elapsed} ms after the update; the record's TTL is ${config.ttl} s`,
    )
    if (!liveSlot(target)) await this.countSplit(target)
    const wait = Math.max(config.ttl, oldTtl ?? 0)
    if (config.waitTtl) {
      this.log.info(
        `${this.name}: waiting one TTL (${wait} s${oldTtl !== undefined && oldTtl !== config.ttl ? `, the longer of the old ${oldTtl} s and the new ${config.ttl} s` : ''}) so resolvers' cached answers expired`,
      )
      await sleep(wait * 1000)
    } else {
      const note = `${this.name}: resolvers may serve the previous answer for up to ${wait} s (its TTL) after each move; set wait-ttl: true to wait that out before the step returns`
      this.log.info(note)
      if (!this.notes.includes(note)) this.notes.push(note)
    }
  }

  /** Each server answers an SOA query for the zone with AA set, before anything changes. */
  private async checkServers(): Promise<void> {
    const bad: string[] = []
    await Promise.all(
      this.config.servers.map(async (server) => {
        try {
          const r = await this.ask(server, this.config.zone, TYPE.SOA)
          if (r.rcode !== 0) bad.push(`${server.label} answered ${rcodeName(r.rcode)}`)
          else if (!r.authoritative)
            bad.push(`${server.label} is not authoritative for it (AA clear)`)
        } catch (e) {
          bad.push(`${server.label}: ${(e as Error).message}`)
        }
      }),
    )
    if (bad.length > 0)
      throw new RouterError(
        `router ${this.name}: not every listed server serves zone ${this.config.zone} authoritatively (${bad.join('; ')}); nothing was changed`,
      )
  }

  /** The records now: through the API (pdns), or as the update server answers them (RFC 2136). */
  private async currentRecords(): Promise<{ records: RecordSet; ttl?: number }> {
    if (this.config.provider === 'powerdns') {
      const records = await this.pdnsRead()
      return { records, ...(records.ttl !== undefined ? { ttl: records.ttl } : {}) }
    }
    const server = this.config.update!.server
    const records: RecordSet = { A: [], AAAA: [], CNAME: [], LUA: [] }
    let ttl: number | undefined
    for (const type of [TYPE.A, TYPE.AAAA, TYPE.CNAME]) {
      let r
      try {
        r = await this.ask(server, this.config.record, type)
      } catch (e) {
        throw new RouterError(
          `router ${this.name}: cannot read ${this.config.record} from ${server.label}: ${(e as Error).message}; nothing was changed`,
        )
      }
      if (r.rcode !== 0 && r.rcode !== 3)
        throw new RouterError(
          `router ${this.name}: ${server.label} answered ${rcodeName(r.rcode)} for ${this.config.record}; nothing was changed`,
        )
      for (const a of r.answers) {
        if (a.name !== this.config.record || a.type !== type) continue
        ttl = ttl === undefined ? a.ttl : Math.max(ttl, a.ttl)
        if (type === TYPE.A) records.A.push(a.data)
        else if (type === TYPE.AAAA) records.AAAA.push(a.data)
        else records.CNAME.push(`${a.data}.`)
      }
    }
    return { records, ...(ttl !== undefined ? { ttl } : {}) }
  }

  private async apply(records: RecordSet, previous: RecordSet): Promise<void> {
    if (this.config.provider === 'powerdns') return this.pdnsPatch(records, previous)
    if (records.LUA.length > 0) throw new Error('RFC 2136 cannot write LUA records')
    return this.rfc2136Update(records)
  }

  /**
   * Polls every server until each answers `target`, within propagation-timeout. Returns why not
   * (each server that did not), or undefined when all do.
   */
  private async awaitServers(target: Weights, desired: RecordSet): Promise<string | undefined> {
    const deadline = Date.now() + this.config.propagationTimeout
    const live = liveSlot(target)
    if (this.config.provider === 'powerdns') {
      // The record content as the API stores it: a LUA record's weights are checked this way
      // (a query shows one draw).
      const stored = await this.pdnsRead().catch((e: Error) => e)
      if (stored instanceof Error)
        return `reading the record back through the API: ${stored.message}`
      const differs = RRSET_TYPES.filter((t) => !sameSet(stored[t], desired[t]))
      if (differs.length > 0)
        return `the API holds ${describeRecords(stored)}, not ${describeRecords(desired)}`
    }
    const last = new Map<string, string>()
    const serves = async (server: DnsServer): Promise<boolean> => {
      for (let delay = 20; ; delay = Math.min(delay * 2, 500)) {
        try {
          if (live) {
            const o = await this.observe(server)
            last.set(server.label, formatObserved(o, this.config.targets))
            if (slotAnswered(o, this.config.targets) === live) return true
          } else if (await this.servesSplit(server, deadline)) return true
          else last.set(server.label, 'no answer from one of the slots yet')
        } catch (e) {
          last.set(server.label, (e as Error).message.replace(`${server.label}: `, ''))
        }
        if (Date.now() + delay > deadline) return false
        await sleep(delay)
      }
    }
    const results = await Promise.all(
      this.config.servers.map(async (s) => ({ s, ok: await serves(s) })),
    )
    const failed = results.filter((r) => !r.ok)
    if (failed.length === 0) return undefined
    return failed
      .map((r) => `${r.s.label} last answered ${last.get(r.s.label) ?? 'nothing'}`)
      .join('; ')
  }

  /** A split is served when answers are single draws from the slots and both slots come up. */
  private async servesSplit(server: DnsServer, deadline: number): Promise<boolean> {
    const seen = new Set<Slot>()
    while (Date.now() < deadline) {
      const o = await this.observe(server)
      const slots = splitAnswer(o, this.config.targets)
      if (!slots)
        throw new RouterError(
          `${server.label}: ${formatObserved(o, this.config.targets)}, not a weighted draw`,
        )
      slots.forEach((s) => seen.add(s))
      if (seen.size === 2) return true
    }
    return false
  }

  /** Counts answers per slot on each server and logs the observed share beside the target. */
  private async countSplit(target: Weights): Promise<void> {
    for (const server of this.config.servers) {
      const counts: Record<Slot, number> = { blue: 0, green: 0 }
      for (let i = 0; i < CANARY_SAMPLE; i++) {
        // A figure for the log only: traffic has moved and been verified, so a query that
        // fails here is counted, never thrown.
        const o = await this.observe(server).catch(() => undefined)
        const slots = o && splitAnswer(o, this.config.targets)
        if (slots?.[0]) counts[slots[0]]++
      }
      const other = CANARY_SAMPLE - counts.blue - counts.green
      this.log.info(
        `${this.name}: ${server.label} answered blue ${counts.blue} and green ${counts.green} of ${CANARY_SAMPLE} queries${other ? ` (${other} without a draw)` : ''} (target ${formatWeights(target)}; each query is a weighted draw)`,
      )
    }
  }

  // ---- PowerDNS HTTP API ----

  private async pdns(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; text: string }> {
    const api = this.config.api!
    const url = `${api.url}/api/v1/servers/${encodeURIComponent(api.serverId)}${path}`
    const shown = `${method} ${url.replace(/\?.*/, '')}`
    try {
      const res = await fetch(url, {
        method,
        headers: { 'X-API-Key': api.key, ...(body ? { 'Content-Type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(this.config.timeout),
      })
      // The signal covers the body too: the deadline is for the whole exchange.
      return { status: res.status, text: await res.text() }
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } }
      const why =
        err.name === 'TimeoutError' || err.name === 'AbortError'
          ? `no whole answer within the router's timeout of ${formatDuration(this.config.timeout)} (a deadline for the whole exchange)`
          : (err.cause?.code ?? err.message)
      throw new RouterError(`${shown}: ${why}`)
    }
  }

  private zonePath(): string {
    return `/zones/${encodeURIComponent(`${this.config.zone}.`)}`
  }

  private async pdnsRead(): Promise<RecordSet & { ttl?: number }> {
    const { status, text } = await this.pdns(
      'GET',
      `${this.zonePath()}?rrset_name=${encodeURIComponent(`${this.config.record}.`)}`,
    )
    if (status === 404)
      throw new RouterError(
        `router ${this.name}: the PowerDNS API (server ${this.config.api!.serverId}) has no zone ${this.config.zone} (404 ${apiError(text)}); nothing was changed`,
      )
    if (status !== 200)
      throw new RouterError(
        `router ${this.name}: the PowerDNS API answered ${status} reading zone ${this.config.zone}: ${apiError(text)}`,
      )
    const zone = JSON.parse(text) as {
      rrsets?: {
        name: string
        type: string
        ttl: number
        records: { content: string; disabled?: boolean }[]
      }[]
    }
    const out: RecordSet & { ttl?: number } = { A: [], AAAA: [], CNAME: [], LUA: [] }
    for (const rr of zone.rrsets ?? []) {
      if (
        rr.name.toLowerCase() !== `${this.config.record}.` ||
        !(RRSET_TYPES as readonly string[]).includes(rr.type)
      )
        continue
      out[rr.type as RRsetType] = rr.records.filter((r) => !r.disabled).map((r) => r.content)
      out.ttl = Math.max(out.ttl ?? 0, rr.ttl)
    }
    return out
  }

  /** One PATCH: REPLACE each type the new state has, DELETE each the old had and the new lacks. */
  private async pdnsPatch(records: RecordSet, previous: RecordSet): Promise<void> {
    const name = `${this.config.record}.`
    const rrsets = RRSET_TYPES.flatMap((type) => {
      if (records[type].length > 0)
        return [
          {
            name,
            type,
            ttl: this.config.ttl,
            changetype: 'REPLACE',
            records: records[type].map((content) => ({ content, disabled: false })),
          },
        ]
      if (previous[type].length > 0) return [{ name, type, changetype: 'DELETE' }]
      return []
    })
    const { status, text } = await this.pdns('PATCH', this.zonePath(), { rrsets })
    if (status !== 204 && status !== 200)
      throw new Refused(`the PowerDNS API answered ${status}: ${apiError(text)}`)
  }

  // ---- RFC 2136 ----

  private async rfc2136Update(records: RecordSet): Promise<void> {
    const u = this.config.update!
    const add: UpdateRecord[] = [
      ...records.A.map((value) => ({ type: 'A' as RecordType, value })),
      ...records.AAAA.map((value) => ({ type: 'AAAA' as RecordType, value })),
      ...records.CNAME.map((value) => ({ type: 'CNAME' as RecordType, value })),
    ]
    const message = encodeUpdate(
      randomId(),
      this.config.zone,
      this.config.record,
      ['A', 'AAAA', 'CNAME'],
      add,
      this.config.ttl,
    )
    const key = { name: u.keyName, algorithm: u.algorithm, secret: Buffer.from(u.secret, 'base64') }
    const { signed, mac } = signTsig(message, key)
    let raw: Buffer
    try {
      raw = await tcpExchange(u.server, signed, this.config.timeout)
    } catch (e) {
      throw new Error(`UPDATE to ${u.server.label}: ${(e as Error).message}`)
    }
    const r = decodeResponse(raw)
    if (r.rcode !== 0 || (r.tsig && r.tsig.error !== 0)) {
      const tsigError = r.tsig && r.tsig.error !== 0 ? `(${rcodeName(r.tsig.error)})` : ''
      throw new Refused(
        `${u.server.label} answered ${rcodeName(r.rcode)}${tsigError} to the UPDATE signed with key ${u.keyName}${r.rcode === 9 ? ' (the key or its secret is not the one the server has)' : ''}`,
      )
    }
    if (!verifyTsig(raw, r, key, mac))
      this.log.warning(
        `${this.name}: ${u.server.label} accepted the UPDATE but its answer is not signed with key ${u.keyName}; the read-back decides`,
      )
  }
}

/** The server answered no: nothing was applied. */
class Refused extends Error {}

function apiError(text: string): string {
  try {
    const e = (JSON.parse(text) as { error?: string }).error
    if (e) return e.slice(0, 300)
  } catch {
    // plain text
  }
  return text.trim().replace(/\s+/g, ' ').slice(0, 300) || '(no body)'
}

export function describeRecords(r: RecordSet): string {
  const parts = [
    ...r.A.map((x) => `A ${x}`),
    ...r.AAAA.map((x) => `AAAA ${x}`),
    ...r.CNAME.map((x) => `CNAME ${x}`),
    ...r.LUA.map((x) => `LUA ${x}`),
  ]
  return parts.length ? parts.join(', ') : 'no records'
}
