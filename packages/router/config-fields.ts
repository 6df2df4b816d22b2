/**
 * What every router kind's parser starts with (dns, unleash, flagd): how it fails, how it names a
 * field, how it shows a value, whether a key is given, and the refusal of keys the kind does not
 * take — so every kind words these errors the same way.
 */
import { ConfigurationError, quote } from '../action-kit/index.js'
import { describeValue } from '../action-kit/util.js'

export interface FieldOptions {
  /** How an error is thrown (config.ts says which router of a list). */
  fail?: (message: string) => never
  /** A key as errors name it (e.g. "router[1].flag"). */
  field?: (key: string) => string
}

export interface Fields {
  fail: (message: string) => never
  /** The key as errors name it, quoted. */
  named: (key: string) => string
  /** A value for an error: a string quoted and cut at 80 characters, anything else described. */
  shown: (value: unknown) => string
  /** Whether `key` is given in `m` (null and '' are not). */
  present: (m: Record<string, unknown>, key: string) => boolean
}

/** The helpers, after refusing any key of `map` that `keys` does not list. */
export function configFields(
  map: Record<string, unknown>,
  type: string,
  keys: readonly string[],
  options: FieldOptions,
  /** Appended to the list of allowed keys, e.g. " (and services)". */
  alsoAllowed = '',
): Fields {
  const fail =
    options.fail ??
    ((message: string): never => {
      throw new ConfigurationError(`Input 'router': ${message}`)
    })
  const named = (key: string) => `'${(options.field ?? ((k: string) => k))(key)}'`
  const shown = (v: unknown) =>
    typeof v === 'string' ? quote(v.length > 80 ? `${v.slice(0, 80)}…` : v) : describeValue(v)
  const present = (m: Record<string, unknown>, key: string) =>
    m[key] !== undefined && m[key] !== null && m[key] !== ''
  const unknown = Object.keys(map).filter((k) => !keys.includes(k))
  if (unknown.length > 0)
    fail(
      `unknown key ${unknown.map(quote).join(', ')} for type ${type}; allowed: ${keys.join(', ')}${alsoAllowed}.`,
    )
  return { fail, named, shown, present }
}
