/**
 * The `router` mapping for `type: flagd`, validated before anything is read or written: the flag
 * definitions live in a file (its absolute path) or in one key of a Kubernetes ConfigMap (reached
 * with the kubeconfig the kubernetes router uses, and its `context`); `flag` names the flag whose
 * `fractional` rule cutover owns, `variants` the flag's off and on variants (the labels the
 * application puts on its metrics). Kept apart from the provider so parsing never loads flagd-core.
 */
import { isAbsolute, normalize } from 'node:path'
import { parseDuration, quote } from '../action-kit/index.js'
import { describeValue } from '../action-kit/util.js'
import { configFields, type FieldOptions } from './config-fields.js'
import { DEFAULT_VARIANTS } from './flag.js'
import { isNamespace, isObjectName } from './kubernetes-config.js'

export type FlagdSource =
  /** A flagd definitions file on this machine (flagd's `--uri file:` / `-f`). */
  | { kind: 'file'; path: string }
  /** One key of a ConfigMap, e.g. mounted into flagd's pod as its definitions file. */
  | { kind: 'configmap'; namespace: string; name: string; key: string; context?: string }

export interface FlagdConfig {
  type: 'flagd'
  /** Identity in records; default `flagd <flag>`. */
  name: string
  /** The flag's key in the definitions' `flags`. */
  flag: string
  /** The flag's variants that are its off (stable, slot blue) and on (slot green) states. */
  variants: { off: string; on: string }
  source: FlagdSource
  /** The slots as every router config has them: each slot's variant label. */
  slots: { blue: string[]; green: string[] }
  /** Each exchange (one file read or write, one Kubernetes API call), in ms. */
  timeout: number
}

export const FLAGD_KEYS = [
  'type',
  'name',
  'flag',
  'variants',
  'file',
  'configmap',
  'context',
  'timeout',
] as const

const CONFIGMAP_KEYS = ['namespace', 'name', 'key'] as const
/** The keys Kubernetes allows in a ConfigMap's data (k8s.io/apimachinery IsConfigMapKey). */
const CONFIGMAP_KEY = /^[-._a-zA-Z0-9]+$/
const ROUTER_NAME = /^[^\s\p{Cc}][^\p{Cc}]{0,62}[^\s\p{Cc}]$|^[^\s\p{Cc}]$/u
/** A flag key or a variant label: printable, no control characters, no surrounding blanks. */
const FLAG_KEY = /^[^\s\p{Cc}](?:[^\p{Cc}]{0,254}[^\s\p{Cc}])?$/u
const VARIANT = /^[^\s\p{Cc}](?:[^\p{Cc}]{0,62}[^\s\p{Cc}])?$/u

export type FlagdParseOptions = FieldOptions

export function parseFlagdConfig(
  map: Record<string, unknown>,
  options: FlagdParseOptions = {},
): FlagdConfig {
  const { fail, named, shown, present } = configFields(
    map,
    'flagd',
    FLAGD_KEYS,
    options,
    ' (and services)',
  )

  if (!present(map, 'flag'))
    fail(`${named('flag')} is required for type flagd: the flag's key in the definitions' "flags".`)
  const flagValue = map.flag
  if (typeof flagValue !== 'string' || !FLAG_KEY.test(flagValue))
    fail(
      `${named('flag')} is ${shown(flagValue)}; allowed: a flag key of 1 to 256 printable characters, as in the definitions' "flags" (e.g. new-checkout).`,
    )
  const flag = flagValue as string

  let variants = { ...DEFAULT_VARIANTS } as { off: string; on: string }
  if (map.variants !== undefined && map.variants !== null) {
    const v = map.variants
    if (typeof v !== 'object' || Array.isArray(v))
      fail(
        `${named('variants')} must be a mapping { off: <variant>, on: <variant> }, got ${describeValue(v)}.`,
      )
    const m = v as Record<string, unknown>
    const extra = Object.keys(m).filter((k) => k !== 'off' && k !== 'on')
    if (extra.length > 0)
      fail(`${named('variants')} has unknown key ${extra.map(quote).join(', ')}; allowed: off, on.`)
    for (const state of ['off', 'on'] as const) {
      if (m[state] === undefined || m[state] === null) continue
      const label = m[state]
      if (typeof label !== 'string' || !VARIANT.test(label))
        fail(
          `${named(`variants.${state}`)} is ${shown(label)}; allowed: the name of one of the flag's variants (1 to 64 printable characters), e.g. ${state}.`,
        )
      variants[state] = label as string
    }
    variants = { off: variants.off, on: variants.on }
  }
  if (variants.off === variants.on)
    fail(
      `${named('variants.off')} and ${named('variants.on')} are both ${quote(variants.off)}; the flag's off and on states need two different variants.`,
    )

  let source: FlagdSource
  const hasFile = present(map, 'file')
  const hasConfigMap = present(map, 'configmap')
  if (hasFile && hasConfigMap)
    fail(
      `${named('file')} and ${named('configmap')} are both given; give one: the definitions file's path, or { namespace, name, key } of a ConfigMap.`,
    )
  if (hasFile) {
    const v = map.file
    if (typeof v !== 'string' || !isAbsolute(v.trim()) || /[\0\n\r]/.test(v))
      fail(
        `${named('file')} is ${shown(v)}; allowed: the absolute path of the flagd definitions file (JSON), e.g. /etc/flagd/flags.json.`,
      )
    if (present(map, 'context'))
      fail(`${named('context')} is for a ConfigMap ('configmap'), not for 'file'.`)
    source = { kind: 'file', path: normalize((v as string).trim()) }
  } else if (hasConfigMap) {
    const v = map.configmap
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      fail(
        `${named('configmap')} must be a mapping { namespace, name, key }, got ${describeValue(v)}.`,
      )
    const m = v as Record<string, unknown>
    const extra = Object.keys(m).filter((k) => !(CONFIGMAP_KEYS as readonly string[]).includes(k))
    if (extra.length > 0)
      fail(
        `${named('configmap')} has unknown key ${extra.map(quote).join(', ')}; allowed: ${CONFIGMAP_KEYS.join(', ')}.`,
      )
    const part = (key: string, valid: (s: string) => boolean, rule: string): string => {
      const p = m[key]
      if (!present(m, key)) return fail(`${named(`configmap.${key}`)} is required: ${rule}.`)
      if (typeof p !== 'string' || !valid(p.trim()))
        return fail(`${named(`configmap.${key}`)} is ${shown(p)}; allowed: ${rule}.`)
      return p.trim()
    }
    const namespace = part(
      'namespace',
      isNamespace,
      'a namespace name (lower-case letters, digits and -, at most 63)',
    )
    const name = part(
      'name',
      isObjectName,
      'a ConfigMap name (lower-case letters, digits, - and ., at most 253)',
    )
    const key = part(
      'key',
      (s) => s.length <= 253 && CONFIGMAP_KEY.test(s),
      "the key in the ConfigMap's data holding the definitions (letters, digits, - _ ., at most 253), e.g. flags.json",
    )
    let context: string | undefined
    if (map.context !== undefined && map.context !== null) {
      const c = map.context
      if (typeof c !== 'string' || c.trim() === '' || /[\n\r]/.test(c))
        fail(
          `${named('context')} must be the name of a kubeconfig context, got ${describeValue(c)}.`,
        )
      context = (c as string).trim()
    }
    source = { kind: 'configmap', namespace, name, key, ...(context ? { context } : {}) }
  } else {
    return fail(
      `${named('file')} or ${named('configmap')} is required for type flagd: the absolute path of the definitions file, or { namespace, name, key } of the ConfigMap holding them.`,
    )
  }

  let timeout = 10_000
  if (map.timeout !== undefined && map.timeout !== null) {
    const v = map.timeout
    let ms = NaN
    try {
      ms = parseDuration(`router.timeout`, String(v))
    } catch {
      ms = NaN
    }
    if (!(ms >= 100 && ms <= 120_000))
      fail(`${named('timeout')} is ${shown(v)}; allowed: a duration from 100ms to 2m, e.g. 10s.`)
    timeout = ms
  }

  let name = `flagd ${flag}`
  if (map.name !== undefined && map.name !== null) {
    const v = map.name
    if (typeof v !== 'string' || !ROUTER_NAME.test(v))
      fail(
        `${named('name')} is ${shown(v)}; allowed: a label of 1 to 64 printable characters, e.g. "checkout flag (eu)".`,
      )
    name = v as string
  }

  return {
    type: 'flagd',
    name,
    flag,
    variants,
    source,
    slots: { blue: [variants.off], green: [variants.on] },
    timeout,
  }
}

/** Where the definitions are, for logs: a path, or the ConfigMap and key. Never a credential. */
export function flagdWhere(source: FlagdSource): string {
  if (source.kind === 'file') return source.path
  return `ConfigMap ${source.namespace}/${source.name} key ${source.key}${source.context ? ` (context ${source.context})` : ''}`
}

/** For logs: the flag and where its definition is. */
export function flagdDescribe(config: FlagdConfig): string {
  const what = `flagd flag ${config.flag} in ${flagdWhere(config.source)}`
  return config.name === `flagd ${config.flag}` ? what : `${config.name} (${what})`
}

/** What makes two flagd configs the same router: the same flag in the same definitions. */
export function flagdKey(config: FlagdConfig): string {
  const s = config.source
  const where =
    s.kind === 'file'
      ? `file ${s.path}`
      : `configmap ${s.context ?? ''} ${s.namespace} ${s.name} ${s.key}`
  return `flagd ${where} ${config.flag}`
}
