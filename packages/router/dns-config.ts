/**
 * The `router` mapping for `type: dns`, validated before anything talks to a DNS server: the
 * record must lie inside the zone, the TTL be 1 s to a day, each slot be addresses or one CNAME
 * target, every server an IP address and port (a name would need a resolver to find the server
 * we are meant to check without one), and the credentials of the provider present.
 */
import { parseDuration, quote } from '../action-kit/index.js'
import { describeValue, parseHttpUrl } from '../action-kit/util.js'
import { configFields, type FieldOptions } from './config-fields.js'
import { SLOTS, type Slot } from '../domain/index.js'
import { isIP } from 'node:net'
import { canonicalName, normalAddress, type Endpoint } from './dns-wire.js'

export const DNS_PROVIDERS = ['powerdns', 'rfc2136'] as const
export type DnsProvider = (typeof DNS_PROVIDERS)[number]

export type DnsSlot =
  { kind: 'addresses'; a: string[]; aaaa: string[] } | { kind: 'cname'; target: string }

export interface DnsServer extends Endpoint {
  /** host:port as given (IPv6 in brackets). */
  label: string
}

export interface DnsConfig {
  type: 'dns'
  /** Identity in records; default `dns <record>`. */
  name: string
  provider: DnsProvider
  /** Canonical (lower case, no trailing dot). */
  zone: string
  /** Canonical FQDN inside `zone`. */
  record: string
  /** Seconds, 1 to 86400. */
  ttl: number
  /** Each slot's addresses (normal form) or its one CNAME target, as servers() reports them. */
  slots: Record<Slot, string[]>
  targets: Record<Slot, DnsSlot>
  /** The authoritative servers every answer is read back from. */
  servers: DnsServer[]
  /** powerdns: the HTTP API. `key` is a secret. */
  api?: { url: string; key: string; serverId: string }
  /** rfc2136: where UPDATEs go and the TSIG key that signs them. `secret` is base64, a secret. */
  update?: { server: DnsServer; keyName: string; algorithm: 'hmac-sha256'; secret: string }
  /** Each exchange (one query, one update, one API request), in ms. */
  timeout: number
  /** How long after the update every server may take to answer the new slot, in ms. */
  propagationTimeout: number
  /** Wait one TTL (the longer of the old and new) after every server answers the new slot. */
  waitTtl: boolean
}

export const DNS_KEYS = [
  'type',
  'name',
  'provider',
  'zone',
  'record',
  'ttl',
  'slots',
  'servers',
  'api-url',
  'api-key',
  'api-server-id',
  'server',
  'tsig-key-name',
  'tsig-algorithm',
  'tsig-secret',
  'timeout',
  'propagation-timeout',
  'wait-ttl',
] as const

const PDNS_ONLY = ['api-url', 'api-key', 'api-server-id']
const RFC2136_ONLY = ['server', 'tsig-key-name', 'tsig-algorithm', 'tsig-secret']
export const MAX_DNS_SERVERS = 16
const MAX_ADDRESSES = 64
const LABEL = /^(?!-)[A-Za-z0-9_-]{1,63}(?<!-)$/
const ROUTER_NAME = /^[^\s\p{Cc}][^\p{Cc}]{0,62}[^\s\p{Cc}]$|^[^\s\p{Cc}]$/u

/** A domain name of letters, digits, '-' and '_' labels (trailing dot optional), or undefined. */
export function domainName(value: string): string | undefined {
  const n = canonicalName(value.trim())
  if (n === '' || n.length > 253) return undefined
  return n.split('.').every((l) => LABEL.test(l)) ? n : undefined
}

/** `record` is `zone` itself or a name below it. */
export function inZone(record: string, zone: string): boolean {
  return record === zone || record.endsWith(`.${zone}`)
}

/** host:port with an IP address (IPv6 in brackets); port 53 when left out. */
export function parseDnsServer(value: string): DnsServer | undefined {
  const s = value.trim()
  let host: string
  let port = 53
  const v6 = /^\[([0-9A-Fa-f:.]+)\](?::(\d{1,5}))?$/.exec(s)
  if (v6) {
    host = v6[1] as string
    if (v6[2]) port = Number(v6[2])
  } else if (isIP(s) === 6) {
    host = s
  } else {
    const m = /^([0-9.]+)(?::(\d{1,5}))?$/.exec(s)
    if (!m) return undefined
    host = m[1] as string
    if (m[2]) port = Number(m[2])
  }
  if (!isIP(host) || port < 1 || port > 65535) return undefined
  const normal = normalAddress(host)
  return {
    host: normal,
    port,
    label: isIP(normal) === 6 ? `[${normal}]:${port}` : `${normal}:${port}`,
  }
}

/** A slot's value: addresses (one or a list, A and AAAA) or one CNAME target; never both. */
export function parseDnsSlot(
  value: unknown,
): { slot: DnsSlot; values: string[] } | { error: string; index?: number } {
  const list = Array.isArray(value) ? value : [value]
  if (list.length === 0 || value === undefined || value === null || value === '')
    return { error: 'is required' }
  if (list.length > MAX_ADDRESSES)
    return { error: `lists ${list.length} addresses; allowed: at most ${MAX_ADDRESSES}` }
  const a: string[] = []
  const aaaa: string[] = []
  const names: string[] = []
  for (const [i, item] of list.entries()) {
    if (typeof item !== 'string') return { error: `is ${describeValue(item)}`, index: i }
    const s = item.trim()
    const family = isIP(s)
    if (family === 4) a.push(s)
    else if (family === 6) aaaa.push(normalAddress(s))
    else if (/^[0-9.]+$/.test(s)) return { error: `is ${quote(s)}, not an IPv4 address`, index: i }
    else if (s.includes(':')) return { error: `is ${quote(s)}, not an IPv6 address`, index: i }
    else {
      const n = domainName(s)
      if (!n) return { error: `is ${quote(s)}, neither an address nor a host name`, index: i }
      names.push(n)
    }
  }
  if (names.length > 0 && (a.length > 0 || aaaa.length > 0 || names.length > 1))
    return {
      error: `mixes ${names.length > 1 ? 'several CNAME targets' : 'a CNAME target with addresses'} (${list.join(', ')}); a name holds either one CNAME or A/AAAA records, never both`,
    }
  if (names.length === 1)
    return { slot: { kind: 'cname', target: names[0] as string }, values: names }
  const values = [...a, ...aaaa]
  if (new Set(values).size !== values.length)
    return { error: `lists an address twice (${values.join(', ')})` }
  return { slot: { kind: 'addresses', a, aaaa }, values }
}

export type DnsParseOptions = FieldOptions

export function parseDnsConfig(
  map: Record<string, unknown>,
  options: DnsParseOptions = {},
): DnsConfig {
  const fields = configFields(map, 'dns', DNS_KEYS, options)
  const { fail, named, shown } = fields
  const present = (key: string) => fields.present(map, key)

  const text = (key: string, rule: string): string => {
    const v = map[key]
    if (!present(key)) return fail(`${named(key)} is required for type dns: ${rule}.`)
    if (typeof v !== 'string' && typeof v !== 'number')
      return fail(`${named(key)} must be ${rule}, got ${describeValue(v)}.`)
    return String(v).trim()
  }
  /** A secret: its value never appears in a message. */
  const secret = (key: string, rule: string): string => {
    const v = map[key]
    if (!present(key)) return fail(`${named(key)} is required for provider ${provider}: ${rule}.`)
    if (typeof v !== 'string')
      return fail(`${named(key)} must be ${rule} (a string; its value is not shown).`)
    return v.trim()
  }

  const provider = text('provider', DNS_PROVIDERS.join(' or ')) as DnsProvider
  if (!DNS_PROVIDERS.includes(provider))
    fail(`${named('provider')} is ${shown(provider)}; allowed: ${DNS_PROVIDERS.join(', ')}.`)
  const foreign = (provider === 'powerdns' ? RFC2136_ONLY : PDNS_ONLY).filter(present)
  if (foreign.length > 0)
    fail(
      `${foreign.map(named).join(', ')} ${foreign.length === 1 ? 'is' : 'are'} for provider ${provider === 'powerdns' ? 'rfc2136' : 'powerdns'}, not ${provider}; allowed for ${provider}: ${(provider === 'powerdns' ? PDNS_ONLY : RFC2136_ONLY).join(', ')}.`,
    )

  const zoneText = text('zone', 'the zone the record is in, e.g. example.com')
  const zone = domainName(zoneText)
  if (!zone)
    fail(`${named('zone')} is ${shown(zoneText)}; allowed: a domain name such as example.com.`)
  const recordText = text('record', 'the name to switch, inside the zone, e.g. app.example.com')
  const record = domainName(recordText)
  if (!record)
    fail(
      `${named('record')} is ${shown(recordText)}; allowed: a fully qualified name such as app.example.com.`,
    )
  if (!inZone(record as string, zone as string))
    fail(
      `${named('record')} is ${shown(recordText)}, outside zone ${quote(zone as string)}; allowed: ${zone} or a name ending in .${zone}.`,
    )

  let ttl = 60
  if (present('ttl')) {
    const v = map.ttl
    const n =
      typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN
    if (!Number.isInteger(n) || n < 1 || n > 86_400)
      fail(`${named('ttl')} is ${shown(v)}; allowed: whole seconds from 1 to 86400 (a day).`)
    ttl = n
  }

  const slotsValue = map.slots
  if (slotsValue === undefined || slotsValue === null)
    fail(`${named('slots')} is required: { blue: <addresses or a CNAME target>, green: ... }.`)
  if (typeof slotsValue !== 'object' || Array.isArray(slotsValue))
    fail(
      `${named('slots')} must be a mapping { blue: ..., green: ... }, got ${describeValue(slotsValue)}.`,
    )
  const slotsMap = slotsValue as Record<string, unknown>
  const extra = Object.keys(slotsMap).filter((k) => !SLOTS.includes(k as Slot))
  if (extra.length > 0)
    fail(`${named('slots')} has unknown key ${extra.map(quote).join(', ')}; allowed: blue, green.`)
  const targets = {} as Record<Slot, DnsSlot>
  const slots = {} as Record<Slot, string[]>
  for (const slot of SLOTS) {
    const parsed = parseDnsSlot(slotsMap[slot])
    if ('error' in parsed)
      return fail(
        `${named(`slots.${slot}${parsed.index !== undefined && Array.isArray(slotsMap[slot]) ? `[${parsed.index}]` : ''}`)} ${parsed.error}; allowed: IPv4/IPv6 addresses (one or a list) or one CNAME target name.`,
      )
    targets[slot] = parsed.slot
    slots[slot] = parsed.values
  }
  const shared = slots.blue.filter((v) => slots.green.includes(v))
  if (shared.length > 0)
    fail(
      `${named('slots.blue')} and ${named('slots.green')} both hold ${shared.join(', ')}; the two slots must differ.`,
    )
  for (const slot of SLOTS) {
    const t = targets[slot]
    if (t.kind === 'cname' && record === zone)
      fail(
        `${named(`slots.${slot}`)} is a CNAME target, but ${named('record')} is the zone apex ${quote(zone)}, which cannot hold a CNAME (it has SOA and NS); give addresses.`,
      )
    if (t.kind === 'cname' && t.target === record)
      fail(
        `${named(`slots.${slot}`)} is the record itself (${record}); a CNAME to itself is a loop.`,
      )
  }

  const serversValue = map.servers
  const serverList = typeof serversValue === 'string' ? [serversValue] : serversValue
  if (!Array.isArray(serverList) || serverList.length === 0)
    fail(
      `${named('servers')} is required: the authoritative servers to read the answer back from, as a list of IP:port (e.g. [192.0.2.53:53, "[2001:db8::53]:53"]).`,
    )
  if ((serverList as unknown[]).length > MAX_DNS_SERVERS)
    fail(
      `${named('servers')} lists ${(serverList as unknown[]).length} servers; allowed: at most ${MAX_DNS_SERVERS}.`,
    )
  const servers = (serverList as unknown[]).map((v, i) => {
    const s = typeof v === 'string' ? parseDnsServer(v) : undefined
    if (!s)
      return fail(
        `${named(`servers[${i}]`)} is ${shown(v)}; allowed: an authoritative server's IP address and port, e.g. 192.0.2.53:53 or [2001:db8::53]:53 (a name would need a resolver; the check must not use one).`,
      )
    return s
  })
  const labels = servers.map((s) => s.label)
  const twice = labels.find((l, i) => labels.indexOf(l) !== i)
  if (twice) fail(`${named('servers')} lists ${twice} twice; list each server once.`)

  let api: DnsConfig['api']
  let update: DnsConfig['update']
  if (provider === 'powerdns') {
    const url = text('api-url', 'the PowerDNS HTTP API base, e.g. http://127.0.0.1:8081')
    try {
      parseHttpUrl('router.api-url', url)
    } catch {
      fail(
        `${named('api-url')} is ${shown(url)}; allowed: an http(s) URL such as http://127.0.0.1:8081 (the webserver of pdns).`,
      )
    }
    const key = secret(
      'api-key',
      "the API key of pdns ('api-key' in pdns.conf), e.g. ${{ secrets.PDNS_API_KEY }}",
    )
    const serverId = present('api-server-id') ? text('api-server-id', 'a server id') : 'localhost'
    if (!/^[A-Za-z0-9_.-]+$/.test(serverId))
      fail(
        `${named('api-server-id')} is ${shown(serverId)}; allowed: the API's server id (letters, digits, _ . -), default localhost.`,
      )
    api = { url: url.replace(/\/+$/, ''), key, serverId }
  } else {
    let server = servers[0] as DnsServer
    if (present('server')) {
      const v = map.server
      const s = typeof v === 'string' ? parseDnsServer(v) : undefined
      if (!s)
        fail(
          `${named('server')} is ${shown(v)}; allowed: the primary's IP address and port that takes UPDATEs, e.g. 192.0.2.53:53.`,
        )
      server = s as DnsServer
    }
    const keyText = text('tsig-key-name', 'the TSIG key name the server knows, e.g. cutover-key')
    const keyName = domainName(keyText)
    if (!keyName)
      fail(
        `${named('tsig-key-name')} is ${shown(keyText)}; allowed: a key name such as cutover-key.`,
      )
    const algorithm = present('tsig-algorithm')
      ? text('tsig-algorithm', 'hmac-sha256').toLowerCase()
      : 'hmac-sha256'
    if (algorithm !== 'hmac-sha256')
      fail(
        `${named('tsig-algorithm')} is ${shown(algorithm)}; allowed: hmac-sha256 (tsig-keygen's and keymgr's default).`,
      )
    const secretText = secret(
      'tsig-secret',
      'the base64 secret of the TSIG key, e.g. ${{ secrets.DNS_TSIG_SECRET }}',
    )
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(secretText) || Buffer.from(secretText, 'base64').length < 16)
      fail(
        `${named('tsig-secret')} is not a base64 secret of at least 16 bytes (its value is not shown); allowed: the secret line of tsig-keygen's output.`,
      )
    update = { server, keyName: keyName as string, algorithm: 'hmac-sha256', secret: secretText }
  }

  const duration = (
    key: string,
    fallback: number,
    min: number,
    max: number,
    rule: string,
  ): number => {
    if (!present(key)) return fallback
    const v = map[key]
    try {
      const ms = parseDuration(`router.${key}`, String(v))
      if (ms < min || ms > max) throw new Error()
      return ms
    } catch {
      return fail(`${named(key)} is ${shown(v)}; allowed: ${rule}.`)
    }
  }
  const timeout = duration('timeout', 5000, 100, 120_000, 'a duration from 100ms to 2m, e.g. 5s')
  const propagationTimeout = duration(
    'propagation-timeout',
    30_000,
    1000,
    600_000,
    'a duration from 1s to 10m, e.g. 30s (how long every server may take to answer the new slot)',
  )

  let waitTtl = false
  if (present('wait-ttl')) {
    const v = map['wait-ttl']
    if (v === true || v === 'true') waitTtl = true
    else if (v === false || v === 'false') waitTtl = false
    else fail(`${named('wait-ttl')} is ${shown(v)}; allowed: true or false.`)
  }

  let name = `dns ${record}`
  if (present('name')) {
    const v = map.name
    if (typeof v !== 'string' || !ROUTER_NAME.test(v))
      fail(
        `${named('name')} is ${shown(v)}; allowed: a label of 1 to 64 printable characters, e.g. "dns app (pdns)".`,
      )
    name = v as string
  }

  return {
    type: 'dns',
    name,
    provider,
    zone: zone as string,
    record: record as string,
    ttl,
    slots,
    targets,
    servers,
    ...(api ? { api } : {}),
    ...(update ? { update } : {}),
    timeout,
    propagationTimeout,
    waitTtl,
  }
}

/** The values to mask before anything is logged: the API key or the TSIG secret. */
export function dnsSecrets(config: DnsConfig): string[] {
  return [config.api?.key, config.update?.secret].filter((s): s is string => !!s)
}

/** For logs: provider, where it is written and what record. Never a credential. */
export function dnsDescribe(config: DnsConfig): string {
  const where =
    config.provider === 'powerdns'
      ? `powerdns ${config.api?.url}`
      : `rfc2136 ${config.update?.server.label} key ${config.update?.keyName}`
  const what = `dns ${config.record} (${where}; checked on ${config.servers.map((s) => s.label).join(', ')})`
  return config.name === `dns ${config.record}` ? what : `${config.name} (${what})`
}

/** What makes two dns configs the same router: where it writes and what record. */
export function dnsKey(config: DnsConfig): string {
  const where = config.provider === 'powerdns' ? config.api?.url : config.update?.server.label
  return `dns ${config.provider} ${where} ${config.record}`
}
