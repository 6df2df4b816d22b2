/**
 * The `router` input: a YAML mapping validated here, once, before anything talks to a router.
 * Every error names the input, the field, the value and what is allowed.
 */
import { isAbsolute, resolve } from 'node:path'
import { ConfigurationError, parseDuration, quote } from '../action-kit/index.js'
import { SLOTS, type Slot } from './weights.js'

export const ROUTER_TYPES = ['haproxy', 'nginx'] as const
export type RouterType = (typeof ROUTER_TYPES)[number]

export type HaproxyAddress =
  { kind: 'tcp'; host: string; port: number } | { kind: 'unix'; path: string }

export interface HaproxyConfig {
  type: 'haproxy'
  address: HaproxyAddress
  backend: string
  /** HAProxy server names in the backend. */
  slots: Record<Slot, string>
  /** Per runtime-API command, in ms. */
  timeout: number
}

export interface NginxConfig {
  type: 'nginx'
  /** Absolute path of the include file this tool owns and rewrites. */
  upstreamFile: string
  upstream: string
  /** host:port of each slot, as written in the upstream's `server` lines. */
  slots: Record<Slot, string>
  /** argv that validates the configuration before a reload; empty to skip. */
  test: string[]
  /** argv that makes nginx load the rewritten file. */
  reload: string[]
  timeout: number
}

export type RouterConfig = HaproxyConfig | NginxConfig

const KEYS: Record<RouterType, readonly string[]> = {
  haproxy: ['type', 'address', 'backend', 'slots', 'timeout'],
  nginx: ['type', 'upstream-file', 'upstream', 'slots', 'test', 'reload', 'timeout'],
}

const NAME = /^[A-Za-z0-9_.:-]+$/
const HOST_PORT = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/

export function parseRouterConfig(
  value: unknown,
  options: { input?: string; workspace?: string } = {},
): RouterConfig {
  const input = options.input ?? 'router'
  const fail = (message: string): never => {
    throw new ConfigurationError(`Input '${input}': ${message}`)
  }
  if (value === undefined || value === null)
    fail('is required: a YAML mapping with at least `type`.')
  if (typeof value !== 'object' || Array.isArray(value)) {
    fail(`must be a YAML mapping (type, address, ...), got ${describeYaml(value)}.`)
  }
  const map = value as Record<string, unknown>
  const type = map.type
  if (!ROUTER_TYPES.includes(type as RouterType)) {
    fail(`'type' is ${quote(type)}; allowed: ${ROUTER_TYPES.join(', ')}.`)
  }
  const routerType = type as RouterType
  const unknown = Object.keys(map).filter((k) => !KEYS[routerType].includes(k))
  if (unknown.length > 0) {
    fail(
      `unknown key ${unknown.map(quote).join(', ')} for type ${routerType}; allowed: ${KEYS[routerType].join(', ')}.`,
    )
  }

  const text = (key: string, pattern?: RegExp, what?: string): string => {
    const v = map[key]
    if (v === undefined || v === null || v === '')
      fail(`'${key}' is required for type ${routerType}.`)
    if (typeof v !== 'string' && typeof v !== 'number')
      fail(`'${key}' must be a string, got ${describeYaml(v)}.`)
    const s = String(v).trim()
    if (pattern && !pattern.test(s)) fail(`'${key}' is ${quote(s)}; allowed: ${what}.`)
    return s
  }

  const slots = (pattern: RegExp, what: string): Record<Slot, string> => {
    const v = map.slots
    if (v === undefined || v === null)
      fail(`'slots' is required: { blue: ..., green: ... } with ${what}.`)
    if (typeof v !== 'object' || Array.isArray(v))
      fail(`'slots' must be a mapping { blue: ..., green: ... }, got ${describeYaml(v)}.`)
    const m = v as Record<string, unknown>
    const extra = Object.keys(m).filter((k) => !SLOTS.includes(k as Slot))
    if (extra.length > 0)
      fail(`'slots' has unknown key ${extra.map(quote).join(', ')}; allowed: blue, green.`)
    const out = {} as Record<Slot, string>
    for (const slot of SLOTS) {
      const s = m[slot]
      if (s === undefined || s === null || s === '') fail(`'slots.${slot}' is required: ${what}.`)
      if (typeof s !== 'string' || !pattern.test(s.trim()))
        fail(`'slots.${slot}' is ${quote(s)}; allowed: ${what}.`)
      out[slot] = (s as string).trim()
    }
    if (out.blue === out.green)
      fail(`'slots.blue' and 'slots.green' are both ${quote(out.blue)}; the two slots must differ.`)
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
      return fail(`'timeout' is ${quote(v)}; allowed: a duration from 100ms to 2m, e.g. 5s.`)
    }
  }

  const argv = (key: string, fallback: string[]): string[] => {
    const v = map[key]
    if (v === undefined || v === null) return fallback
    if (
      !Array.isArray(v) ||
      v.some((a) => typeof a !== 'string' && typeof a !== 'number') ||
      (key === 'reload' && (v.length === 0 || String(v[0]).trim() === ''))
    ) {
      fail(
        `'${key}' must be a command as a YAML list of arguments, e.g. [nginx, -s, reload]${key === 'test' ? ' ([] to skip the test)' : ''}; got ${describeYaml(v)}.`,
      )
    }
    return (v as unknown[]).map(String)
  }

  if (routerType === 'haproxy') {
    const address = text('address')
    return {
      type: 'haproxy',
      address: parseHaproxyAddress(address, fail),
      backend: text('backend', NAME, 'a backend name (letters, digits, _ . : -)'),
      slots: slots(NAME, 'server names in that backend'),
      timeout: timeout(),
    }
  }
  const file = text('upstream-file')
  return {
    type: 'nginx',
    upstreamFile: isAbsolute(file) ? file : resolve(options.workspace ?? process.cwd(), file),
    upstream: text(
      'upstream',
      /^[A-Za-z0-9_.-]+$/,
      'an upstream block name (letters, digits, _ . -)',
    ),
    slots: slots(HOST_PORT, 'host:port of the slot, as in the upstream'),
    test: argv('test', ['nginx', '-t']),
    reload: argv('reload', ['nginx', '-s', 'reload']),
    timeout: timeout(),
  }
}

function parseHaproxyAddress(address: string, fail: (m: string) => never): HaproxyAddress {
  if (address.startsWith('/')) return { kind: 'unix', path: address }
  const m = HOST_PORT.exec(address)
  const port = m ? Number(m[1]) : NaN
  if (!m || port < 1 || port > 65535) {
    return fail(
      `'address' is ${quote(address)}; allowed: host:port of the HAProxy runtime API (stats socket), or the absolute path of its unix socket.`,
    )
  }
  const host = address.slice(0, address.lastIndexOf(':')).replace(/^\[|\]$/g, '')
  return { kind: 'tcp', host, port }
}

function describeYaml(v: unknown): string {
  if (Array.isArray(v)) return 'a list'
  if (v === null) return 'null'
  if (typeof v === 'object') return 'a mapping'
  return `${typeof v} ${quote(v)}`
}

export function describeConfig(config: RouterConfig): string {
  if (config.type === 'haproxy') {
    const where =
      config.address.kind === 'unix'
        ? config.address.path
        : `${config.address.host}:${config.address.port}`
    return `haproxy ${where} backend ${config.backend}`
  }
  return `nginx upstream ${config.upstream} in ${config.upstreamFile}`
}
