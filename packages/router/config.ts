/**
 * The `router` input: one YAML mapping, or a list of them (an HA pair, one per zone), validated
 * here, once, before anything talks to a router. Every error names the input, the field
 * (`router[1].slots.blue[0]`), the value and what is allowed.
 */
import { isAbsolute, resolve } from 'node:path'
import { ConfigurationError, parseDuration, parseYamlInput, quote } from '../action-kit/index.js'
import { describeValue } from '../action-kit/util.js'
import {
  kubernetesDescribe,
  parseKubernetesConfig,
  type KubernetesConfig,
} from './kubernetes-config.js'
import { SLOTS, type Slot } from './weights.js'
import { dnsDescribe, dnsKey, dnsSecrets, parseDnsConfig, type DnsConfig } from './dns-config.js'
import { flagdDescribe, flagdKey, parseFlagdConfig, type FlagdConfig } from './flagd-config.js'
import {
  parseUnleashConfig,
  unleashDescribe,
  unleashKey,
  unleashSecrets,
  type UnleashConfig,
} from './unleash-config.js'

export const ROUTER_TYPES = ['haproxy', 'nginx', 'kubernetes', 'dns', 'flagd', 'unleash'] as const
export type RouterType = (typeof ROUTER_TYPES)[number]

export type HaproxyAddress =
  { kind: 'tcp'; host: string; port: number } | { kind: 'unix'; path: string }

interface CommonConfig {
  /** The router's identity in records and logs: the `name` key, default "<type> <backend|upstream>". */
  name: string
  /** Each slot's servers, in the order given; a single name in the config is a list of one. */
  slots: Record<Slot, string[]>
  /** Per router operation (one runtime-API command, one nginx command, the reload wait), in ms. */
  timeout: number
}

export interface HaproxyConfig extends CommonConfig {
  type: 'haproxy'
  address: HaproxyAddress
  backend: string
  /**
   * The header/cookie phase: the map file (its path as HAProxy loaded it) that the documented
   * `use_backend %[req.hdrs,map_reg(<file>)]` rule consults, and the backend holding each slot's
   * servers (default `<backend>-blue`, `<backend>-green`). Absent: this router has no match.
   */
  match?: { map: string; backends: Record<Slot, string> }
}

/** How the nginx router reaches its files and processes: locally, or through argvs (e.g. ssh). */
export type NginxAccess =
  | {
      kind: 'local'
      /** Absolute path of the include file this tool owns and rewrites (symlinks followed). */
      upstreamFile: string
      /** The master's pid file, to find its workers while waiting for a reload. */
      pidFile: string
    }
  | {
      kind: 'command'
      /** Prints the upstream file on stdout. */
      read: string[]
      /** Replaces the upstream file with its stdin. */
      write: string[]
    }

export interface NginxConfig extends CommonConfig {
  type: 'nginx'
  upstream: string
  access: NginxAccess
  /** argv that validates the configuration before a reload; empty to skip. */
  test: string[]
  /** argv that makes nginx load the rewritten file. */
  reload: string[]
  /** argv listing the master's children as `pid args` lines; undefined: `ps` on the local pid file's master. */
  workers?: string[]
  /** The header/cookie phase: the include file we own that defines `$cutover_<upstream>` (local only). */
  matchFile?: string
}

/**
 * A router's config. `services` (the `services:` key, any type): the services this router
 * serves; a step for a service not listed is refused before anything is contacted
 * (actions/common checks it where the router and the service meet). Absent: any service.
 */
export type RouterConfig = (
  HaproxyConfig | NginxConfig | KubernetesConfig | DnsConfig | FlagdConfig | UnleashConfig
) & {
  services?: string[]
}

/** A service's name, as the traffic actions' `service` input allows it. */
export const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/
/** Services one router may list. */
export const MAX_SERVICES = 100

const KEYS: Record<
  Exclude<RouterType, 'kubernetes' | 'dns' | 'flagd' | 'unleash'>,
  readonly string[]
> = {
  haproxy: [
    'type',
    'name',
    'address',
    'backend',
    'slots',
    'timeout',
    'match-map',
    'match-backends',
  ],
  nginx: [
    'type',
    'name',
    'upstream-file',
    'read',
    'write',
    'upstream',
    'slots',
    'test',
    'reload',
    'workers',
    'pid-file',
    'timeout',
    'match-file',
  ],
}

const SERVER_NAME = /^[A-Za-z0-9_.:-]+$/
const HOST_PORT = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/
const ROUTER_NAME = /^[^\s\p{Cc}][^\p{Cc}]{0,62}[^\s\p{Cc}]$|^[^\s\p{Cc}]$/u
/** More servers than this per slot is a configuration mistake, not a topology. */
export const MAX_SERVERS_PER_SLOT = 64
/** Routers in one `router` list. */
export const MAX_ROUTERS = 16

/** A value for an error message: quoted and capped, never a whole blob. */
function shown(value: unknown): string {
  if (typeof value === 'string') return quote(value.length > 80 ? `${value.slice(0, 80)}…` : value)
  return describeValue(value)
}

interface ParseOptions {
  /** The input's name in messages (default `router`). */
  input?: string
  /** Relative `upstream-file` paths are resolved against it (default: the working directory). */
  workspace?: string
}

/**
 * The `router` input: one mapping or a list of mappings, every entry validated before any is
 * used. A list of one is the same as the mapping.
 */
export function parseRouterConfigs(value: unknown, options: ParseOptions = {}): RouterConfig[] {
  const input = options.input ?? 'router'
  if (!Array.isArray(value)) return [parseOne(value, options, '')]
  if (value.length === 0)
    throw new ConfigurationError(
      `Input '${input}': is an empty list; give one router mapping, or a list of them.`,
    )
  if (value.length > MAX_ROUTERS)
    throw new ConfigurationError(
      `Input '${input}': lists ${value.length} routers; allowed: at most ${MAX_ROUTERS}.`,
    )
  const configs = value.map((entry, i) => parseOne(entry, options, `${input}[${i}].`))
  const seen = new Map<string, number>()
  configs.forEach((config, i) => {
    const key = routerKey(config)
    const first = seen.get(key)
    if (first !== undefined)
      throw new ConfigurationError(
        `Input '${input}': '${input}[${i}]' is the same router as '${input}[${first}]' (${describeConfig(config)}); list each router once.`,
      )
    seen.set(key, i)
  })
  const types = new Set(configs.map((c) => c.type))
  if (types.size > 1)
    throw new ConfigurationError(
      `Input '${input}': mixes router types (${[...types].join(', ')}); all routers of a list must be of one type, since they carry the same servers.`,
    )
  return configs
}

/** One router mapping (a list is refused: use parseRouterConfigs for the `router` input). */
export function parseRouterConfig(value: unknown, options: ParseOptions = {}): RouterConfig {
  if (Array.isArray(value)) {
    const configs = parseRouterConfigs(value, options)
    if (configs.length === 1) return configs[0] as RouterConfig
    throw new ConfigurationError(
      `Input '${options.input ?? 'router'}': lists ${configs.length} routers, but this step takes one router mapping.`,
    )
  }
  return parseOne(value, options, '')
}

/** One router mapping: its `services:` (any type) here, the rest by its type. */
function parseOne(value: unknown, options: ParseOptions, prefix: string): RouterConfig {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !('services' in value))
    return parseRouter(value, options, prefix)
  const { services, ...rest } = value as Record<string, unknown>
  const config = parseRouter(rest, options, prefix)
  return { ...config, services: parseServices(services, options.input ?? 'router', prefix) }
}

/** `services: [orders, ...]` (one name alone is a list of one): service names, each once. */
function parseServices(value: unknown, input: string, prefix: string): string[] {
  const fail = (message: string, at = ''): never => {
    throw new ConfigurationError(`Input '${input}': '${prefix}services${at}' ${message}`)
  }
  const list = typeof value === 'string' ? [value] : value
  if (Array.isArray(list) && list.length === 0)
    fail('is an empty list; list the services this router serves, e.g. [orders, payments].')
  if (!Array.isArray(list))
    fail(
      `is ${shown(value)}; allowed: a list of the services this router serves, e.g. [orders, payments].`,
    )
  const names = list as unknown[]
  if (names.length > MAX_SERVICES)
    fail(`lists ${names.length} services; allowed: at most ${MAX_SERVICES}.`)
  const seen = new Set<string>()
  names.forEach((name, i) => {
    if (typeof name !== 'string' || !SERVICE_NAME.test(name))
      fail(
        `is ${shown(name)}; allowed: a service name of 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit.`,
        `[${i}]`,
      )
    if (seen.has(name as string)) fail(`names ${shown(name)} twice; list each service once.`)
    seen.add(name as string)
  })
  return names as string[]
}

function parseRouter(value: unknown, options: ParseOptions, prefix: string): RouterConfig {
  const input = options.input ?? 'router'
  const fail = (message: string): never => {
    throw new ConfigurationError(`Input '${input}': ${message}`)
  }
  /** A field's name as the user wrote it: `slots.blue` alone, `router[1].slots.blue` in a list. */
  const field = (path: string) => `'${prefix}${path}'`
  /** This list entry, quoted (`'router[1]'`), or nothing for a single mapping. */
  const entry = prefix === '' ? '' : `'${prefix.slice(0, -1)}' `
  if (value === undefined || value === null || value === '')
    fail(`${entry}is required: a YAML mapping with at least \`type\`.`)
  if (typeof value !== 'object' || Array.isArray(value)) {
    fail(
      prefix === ''
        ? `must be a YAML mapping (type, address, ...) or a list of them, got ${describeValue(value)}.`
        : `${entry}must be a YAML mapping (type, address, ...), got ${describeValue(value)}.`,
    )
  }
  const map = value as Record<string, unknown>
  const type = map.type
  if (!ROUTER_TYPES.includes(type as RouterType)) {
    fail(`${field('type')} is ${shown(type)}; allowed: ${ROUTER_TYPES.join(', ')}.`)
  }
  // Kubernetes validates its own keys (packages/router/kubernetes-config.ts).
  if (type === 'kubernetes')
    return parseKubernetesConfig(map, { fail, field: (key) => `${prefix}${key}` })
  // DNS too (packages/router/dns-config.ts).
  if (type === 'dns') return parseDnsConfig(map, { fail, field: (key) => `${prefix}${key}` })
  // A flagd flag too (packages/router/flagd-config.ts).
  if (type === 'flagd') return parseFlagdConfig(map, { fail, field: (key) => `${prefix}${key}` })
  // An Unleash flag too (packages/router/unleash-config.ts).
  if (type === 'unleash')
    return parseUnleashConfig(map, { fail, field: (key) => `${prefix}${key}` })
  const routerType = type as Exclude<RouterType, 'kubernetes' | 'dns' | 'flagd' | 'unleash'>
  const unknown = Object.keys(map).filter((k) => !KEYS[routerType].includes(k))
  if (unknown.length > 0) {
    fail(
      `unknown key ${unknown.map((k) => shown(k)).join(', ')}${prefix ? ` in ${prefix.slice(0, -1)}` : ''} for type ${routerType}; allowed: ${KEYS[routerType].join(', ')}.`,
    )
  }

  const present = (key: string) => map[key] !== undefined && map[key] !== null
  const text = (key: string, pattern?: RegExp, what?: string): string => {
    const v = map[key]
    if (v === undefined || v === null || v === '')
      fail(`${field(key)} is required for type ${routerType}.`)
    if (typeof v !== 'string' && typeof v !== 'number')
      fail(`${field(key)} must be a string, got ${describeValue(v)}.`)
    const s = String(v).trim()
    if (pattern && !pattern.test(s)) fail(`${field(key)} is ${shown(s)}; allowed: ${what}.`)
    return s
  }

  const slots = (pattern: RegExp, what: string): Record<Slot, string[]> => {
    const v = map.slots
    if (v === undefined || v === null)
      fail(`${field('slots')} is required: { blue: ..., green: ... } with ${what}.`)
    if (typeof v !== 'object' || Array.isArray(v))
      fail(
        `${field('slots')} must be a mapping { blue: ..., green: ... }, got ${describeValue(v)}.`,
      )
    const m = v as Record<string, unknown>
    const extra = Object.keys(m).filter((k) => !SLOTS.includes(k as Slot))
    if (extra.length > 0)
      fail(
        `${field('slots')} has unknown key ${extra.map((k) => shown(k)).join(', ')}; allowed: blue, green.`,
      )
    const out = {} as Record<Slot, string[]>
    const owner = new Map<string, string>()
    for (const slot of SLOTS) {
      const s = m[slot]
      if (s === undefined || s === null || s === '' || (Array.isArray(s) && s.length === 0))
        fail(`${field(`slots.${slot}`)} is required: ${what}.`)
      const list = Array.isArray(s) ? s : [s]
      if (list.length > MAX_SERVERS_PER_SLOT)
        fail(
          `${field(`slots.${slot}`)} lists ${list.length} servers; allowed: at most ${MAX_SERVERS_PER_SLOT}.`,
        )
      out[slot] = list.map((server, i) => {
        const path = Array.isArray(s) ? `slots.${slot}[${i}]` : `slots.${slot}`
        if (typeof server !== 'string' && typeof server !== 'number')
          fail(`${field(path)} is ${describeValue(server)}; allowed: ${what}.`)
        const name = String(server).trim()
        if (!pattern.test(name)) fail(`${field(path)} is ${shown(server)}; allowed: ${what}.`)
        const first = owner.get(name)
        if (first !== undefined)
          fail(
            first.startsWith(`slots.${slot}`)
              ? `${field(path)} is ${shown(name)} again (already ${field(first)}); each server once.`
              : `${field(first)} and ${field(path)} are both ${shown(name)}; the two slots must differ.`,
          )
        owner.set(name, path)
        return name
      })
    }
    return out
  }

  const timeout = (): number => {
    const v = map.timeout
    if (v === undefined || v === null) return 5000
    try {
      const ms = parseDuration(`${input}.timeout`, String(v))
      if (ms < 100 || ms > 120_000) throw new Error()
      return ms
    } catch {
      return fail(
        `${field('timeout')} is ${shown(v)}; allowed: a duration from 100ms to 2m, e.g. 5s.`,
      )
    }
  }

  const argv = (key: string, example: string, options: { allowEmpty?: boolean } = {}) => {
    const v = map[key]
    if (
      !Array.isArray(v) ||
      v.some((a) => typeof a !== 'string' && typeof a !== 'number') ||
      (!options.allowEmpty && (v.length === 0 || String(v[0]).trim() === ''))
    ) {
      return fail(
        `${field(key)} must be a command as a YAML list of arguments, e.g. ${example}${options.allowEmpty ? ' ([] to skip it)' : ''}; got ${shown(Array.isArray(v) ? v.join(' ') : v)}.`,
      )
    }
    return (v as unknown[]).map(String)
  }

  const haproxyMatch = (backend: string): { map: string; backends: Record<Slot, string> } => {
    const file = text('match-map')
    if (!file.startsWith('/') || /[\s;\\#]/.test(file))
      fail(
        `${field('match-map')} is ${shown(file)}; allowed: the absolute path of the map file, as the HAProxy config's map_reg() names it (no spaces, ';', '#' or '\\').`,
      )
    const v = map['match-backends']
    const backends = { blue: `${backend}-blue`, green: `${backend}-green` }
    if (v !== undefined && v !== null) {
      if (typeof v !== 'object' || Array.isArray(v))
        fail(
          `${field('match-backends')} must be a mapping { blue: <backend>, green: <backend> }, got ${describeValue(v)}.`,
        )
      const m = v as Record<string, unknown>
      const extra = Object.keys(m).filter((k) => !SLOTS.includes(k as Slot))
      if (extra.length > 0)
        fail(
          `${field('match-backends')} has unknown key ${extra.map((k) => shown(k)).join(', ')}; allowed: blue, green.`,
        )
      for (const slot of SLOTS) {
        const b = m[slot]
        if (b === undefined) continue
        if (typeof b !== 'string' || !SERVER_NAME.test(b))
          fail(
            `${field(`match-backends.${slot}`)} is ${shown(b)}; allowed: a backend name (letters, digits, _ . : -).`,
          )
        backends[slot] = b as string
      }
    }
    return { map: file, backends }
  }

  const name = (fallback: string): string => {
    if (!present('name')) return fallback
    const v = map.name
    if (typeof v !== 'string' || !ROUTER_NAME.test(v))
      fail(
        `${field('name')} is ${shown(v)}; allowed: a label of 1 to 64 printable characters, e.g. "haproxy web (zone a)".`,
      )
    return v as string
  }

  if (routerType === 'haproxy') {
    const address = text('address')
    const backend = text('backend', SERVER_NAME, 'a backend name (letters, digits, _ . : -)')
    return {
      type: 'haproxy',
      name: name(`haproxy ${backend}`),
      address: parseHaproxyAddress(address, (m) => fail(`${field('address')} ${m}`)),
      backend,
      slots: slots(SERVER_NAME, 'server names in that backend'),
      timeout: timeout(),
      ...(present('match-map') ? { match: haproxyMatch(backend) } : {}),
    }
  }

  const upstream = text(
    'upstream',
    /^[A-Za-z0-9_.-]+$/,
    'an upstream block name (letters, digits, _ . -)',
  )
  let access: NginxAccess
  if (present('upstream-file')) {
    if (present('read') || present('write'))
      fail(
        `${field('upstream-file')} and ${field(present('read') ? 'read' : 'write')} are both given; use 'upstream-file' for a local nginx, or 'read' and 'write' commands for a remote one.`,
      )
    const file = text('upstream-file')
    const pidFile = present('pid-file') ? text('pid-file') : '/run/nginx.pid'
    const absolute = (p: string) => (isAbsolute(p) ? p : resolve(options.workspace ?? '.', p))
    access = { kind: 'local', upstreamFile: absolute(file), pidFile: absolute(pidFile) }
  } else if (present('read') || present('write')) {
    if (!present('read') || !present('write'))
      fail(
        `${field(present('read') ? 'write' : 'read')} is required with ${field(present('read') ? 'read' : 'write')}: a remote nginx needs both commands.`,
      )
    if (present('pid-file'))
      fail(
        `${field('pid-file')} is for a local nginx ('upstream-file'); with 'read'/'write' commands give 'workers'.`,
      )
    if (!present('workers'))
      fail(
        `${field('workers')} is required with 'read'/'write' commands: a command that lists the nginx master's children as "pid args" lines, so the reload can be awaited (e.g. [ssh, lb1, 'ps -o pid=,args= --ppid "$(cat /run/nginx.pid)"']).`,
      )
    // Their defaults (nginx -t, nginx -s reload) run on the runner, not where read/write reach.
    const local = (['test', 'reload'] as const).filter((key) => !present(key))
    if (local.length > 0)
      fail(
        `${local.map(field).join(' and ')} ${local.length === 1 ? 'is' : 'are'} required with 'read'/'write' commands: the default${local.length === 1 ? '' : 's'} (${local.map((key) => (key === 'test' ? 'nginx -t' : 'nginx -s reload')).join(', ')}) would run on the runner, not on the nginx that 'read' and 'write' reach. Give commands that run there, e.g. test: [ssh, lb1, nginx, -t] ([] to skip the test) and reload: [ssh, lb1, nginx, -s, reload].`,
      )
    access = {
      kind: 'command',
      read: argv('read', '[ssh, lb1, cat, /etc/nginx/conf.d/upstream.conf]'),
      write: argv(
        'write',
        "[ssh, lb1, 'cat > /etc/nginx/conf.d/upstream.conf.new && mv /etc/nginx/conf.d/upstream.conf.new /etc/nginx/conf.d/upstream.conf']",
      ),
    }
  } else {
    return fail(
      `${field('upstream-file')} is required for type nginx (or 'read' and 'write' commands for a remote nginx).`,
    )
  }
  let matchFile: string | undefined
  if (present('match-file')) {
    if (access.kind !== 'local')
      fail(
        `${field('match-file')} needs a local nginx ('upstream-file'); with 'read'/'write' commands there is no header/cookie phase.`,
      )
    const file = text('match-file')
    matchFile = isAbsolute(file) ? file : resolve(options.workspace ?? '.', file)
  }
  return {
    type: 'nginx',
    name: name(`nginx ${upstream}`),
    upstream,
    access,
    slots: slots(HOST_PORT, 'host:port of the slot, as in the upstream'),
    test: present('test') ? argv('test', '[nginx, -t]', { allowEmpty: true }) : ['nginx', '-t'],
    reload: present('reload') ? argv('reload', '[nginx, -s, reload]') : ['nginx', '-s', 'reload'],
    ...(present('workers')
      ? { workers: argv('workers', '[ps, -o, "pid=,args=", --ppid, "1234"]') }
      : {}),
    ...(matchFile === undefined ? {} : { matchFile }),
    timeout: timeout(),
  }
}

function parseHaproxyAddress(address: string, fail: (m: string) => never): HaproxyAddress {
  if (address.startsWith('/')) return { kind: 'unix', path: address }
  const m = HOST_PORT.exec(address)
  const port = m ? Number(m[1]) : NaN
  if (!m || port < 1 || port > 65535) {
    return fail(
      `is ${shown(address)}; allowed: host:port of the HAProxy runtime API (stats socket), or the absolute path of its unix socket.`,
    )
  }
  const host = address.slice(0, address.lastIndexOf(':')).replace(/^\[|\]$/g, '')
  return { kind: 'tcp', host, port }
}

/** What makes two configs the same router: where it is and what it changes. */
function routerKey(config: RouterConfig): string {
  if (config.type === 'haproxy') {
    const a = config.address
    return `haproxy ${a.kind === 'unix' ? a.path : `${a.host}:${a.port}`} ${config.backend}`
  }
  if (config.type === 'nginx') {
    const a = config.access
    const where = a.kind === 'local' ? a.upstreamFile : JSON.stringify([a.read, a.write])
    return `nginx ${where} ${config.upstream}`
  }
  if (config.type === 'dns') return dnsKey(config)
  if (config.type === 'flagd') return flagdKey(config)
  if (config.type === 'unleash') return unleashKey(config)
  return `kubernetes ${config.context ?? ''} ${config.namespace} ${JSON.stringify(config.route)}`
}

/** For logs: where the router is, and its name when it is not the default. Never in records. */
export function describeConfig(config: RouterConfig): string {
  if (config.type === 'kubernetes') return kubernetesDescribe(config)
  if (config.type === 'dns') return dnsDescribe(config)
  if (config.type === 'flagd') return flagdDescribe(config)
  if (config.type === 'unleash') return unleashDescribe(config)
  let where: string
  let fallback: string
  if (config.type === 'haproxy') {
    const a = config.address
    where = `haproxy ${a.kind === 'unix' ? a.path : `${a.host}:${a.port}`} backend ${config.backend}`
    fallback = `haproxy ${config.backend}`
  } else {
    const file =
      config.access.kind === 'local'
        ? config.access.upstreamFile
        : `the file read by \`${config.access.read.join(' ')}\``
    where = `nginx upstream ${config.upstream} in ${file}`
    fallback = `nginx ${config.upstream}`
  }
  return config.name === fallback ? where : `${config.name} (${where})`
}

/** Credentials inside router configs (a DNS API key or TSIG secret, Unleash tokens), to mask before anything is logged. */
export function routerSecrets(configs: RouterConfig[]): string[] {
  return configs.flatMap((c) =>
    c.type === 'dns' ? dnsSecrets(c) : c.type === 'unleash' ? unleashSecrets(c) : [],
  )
}

/** The input that carries a router's secrets apart from its YAML (a GitHub secret). */
export const CREDENTIALS_INPUT = 'router-credentials'

/** The keys each router type takes as secrets, which `router-credentials` may carry. */
export const CREDENTIAL_KEYS: Readonly<Partial<Record<RouterType, readonly string[]>>> = {
  unleash: ['token', 'client-token'],
  dns: ['api-key', 'tsig-secret'],
}

const ALL_CREDENTIAL_KEYS = Object.values(CREDENTIAL_KEYS).flat()

const CREDENTIALS_SHAPE =
  "a YAML mapping of the router's secret keys, e.g. `token: …` and `client-token: …` (unleash), `api-key: …` (dns, powerdns) or `tsig-secret: …` (dns, rfc2136)"

/** Whether a router mapping (unparsed) takes `key` as a secret: by type, and for dns by provider. */
function takesCredential(map: Record<string, unknown>, key: string): boolean {
  if (map.type === 'dns') {
    if (map.provider === 'powerdns') return key === 'api-key'
    if (map.provider === 'rfc2136') return key === 'tsig-secret'
    // An unknown provider is refused by the dns parser, with its own message.
    return CREDENTIAL_KEYS.dns?.includes(key) ?? false
  }
  return (
    typeof map.type === 'string' && (CREDENTIAL_KEYS[map.type as RouterType] ?? []).includes(key)
  )
}

/**
 * `router-credentials` (the raw input text): a mapping of secret keys to their values. `mask` is
 * called with every line and every value BEFORE the text is parsed or checked, so no error
 * (a YAML one included) can print a value; messages name keys, never values. Empty: undefined.
 */
export function parseRouterCredentials(
  raw: string,
  mask: (value: string) => void,
  input = CREDENTIALS_INPUT,
): Record<string, string> | undefined {
  if (raw.trim() === '') return undefined
  for (const line of raw.split(/\r\n|\r|\n/)) {
    const text = line.trim()
    if (text === '') continue
    mask(text)
    const value = /^[^:]*:\s*(.+)$/.exec(text)?.[1]?.trim()
    if (value) mask(value.replace(/^(['"])(.*)\1$/, '$2'))
  }
  // fromFile: true keeps js-yaml's message from quoting the text (it is all secret).
  let parsed: unknown
  try {
    parsed = parseYamlInput(input, raw, 'the value', { fromFile: true })
  } catch (e) {
    // Unleash's tokens start with '*', which YAML reads as an alias unless quoted.
    throw new ConfigurationError(
      `${(e as Error).message}. Quote a value that starts with *, &, !, %, @ or a quote, e.g. token: '*:production.…' (Unleash's tokens start with *).`,
    )
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new ConfigurationError(
      `Input '${input}' is ${Array.isArray(parsed) ? 'a list' : parsed === null || parsed === undefined ? 'empty' : `a single ${typeof parsed}`}; allowed: ${CREDENTIALS_SHAPE}. (Values are secrets and are not shown.)`,
    )
  const entries = Object.entries(parsed as Record<string, unknown>)
  for (const [, value] of entries) if (typeof value === 'string' && value.trim()) mask(value.trim())
  const credentials: Record<string, string> = {}
  for (const [key, value] of entries) {
    if (!ALL_CREDENTIAL_KEYS.includes(key))
      throw new ConfigurationError(
        `Input '${input}' has the key ${shown(key)}, which no router type takes as a secret; allowed: ${Object.entries(
          CREDENTIAL_KEYS,
        )
          .map(([type, keys]) => `${keys.join(', ')} (${type})`)
          .join('; ')}.`,
      )
    if (typeof value !== 'string' || value.trim() === '')
      throw new ConfigurationError(
        `Input '${input}': ${quote(key)} is ${typeof value === 'string' || value === null ? 'empty' : `not a string (a ${Array.isArray(value) ? 'list' : typeof value})`}; allowed: the secret as one string (its value is not shown).`,
      )
    credentials[key] = value.trim()
  }
  return credentials
}

/**
 * The `router` value (one mapping or a list, unparsed) with `credentials` merged into every
 * router that takes each key as a secret, before it is parsed. Pure: `raw` is not changed. A key
 * that no router of the value takes, or one the router YAML sets as well, is a ConfigurationError
 * naming the input and the key, never a value. A value that is not a mapping or a list of
 * mappings is returned as it is: the router parser refuses it with its own message.
 */
export function withCredentials(
  raw: unknown,
  credentials: Readonly<Record<string, string>> | undefined,
  options: { input?: string; credentialsInput?: string } = {},
): unknown {
  const input = options.input ?? 'router'
  const from = options.credentialsInput ?? CREDENTIALS_INPUT
  const keys = Object.keys(credentials ?? {})
  if (!credentials || keys.length === 0) return raw
  const list = Array.isArray(raw) ? raw : [raw]
  const isMap = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
  if (list.length === 0 || !list.every(isMap)) return raw
  const merged = list.map((entry) => ({ ...entry }))
  const at = (i: number, key: string): string =>
    Array.isArray(raw) ? `${input}[${i}].${key}` : `${input}.${key}`
  for (const key of keys) {
    const targets = merged.flatMap((entry, i) => (takesCredential(entry, key) ? [i] : []))
    if (targets.length === 0) {
      const types = [...new Set(merged.map((e) => (typeof e.type === 'string' ? e.type : '?')))]
      const allowed = [
        ...new Set(merged.flatMap((e) => ALL_CREDENTIAL_KEYS.filter((k) => takesCredential(e, k)))),
      ]
      throw new ConfigurationError(
        `Input '${from}' has the key ${quote(key)}, which ${Array.isArray(raw) ? 'no router of' : 'the router of'} input '${input}' (type ${types.join(', ')}) takes as a secret; allowed: ${allowed.length ? allowed.join(', ') : `nothing (only ${Object.keys(CREDENTIAL_KEYS).join(' and ')} routers take secrets)`}. (Its value is not shown.)`,
      )
    }
    for (const i of targets) {
      const entry = merged[i] as Record<string, unknown>
      if (key in entry)
        throw new ConfigurationError(
          `Input '${from}' has the key ${quote(key)}, which input '${input}' sets too ('${at(i, key)}'); give each secret in one place: in '${from}', and not in the router YAML. (Neither value is shown.)`,
        )
      entry[key] = credentials[key]
    }
  }
  return Array.isArray(raw) ? merged : merged[0]
}
