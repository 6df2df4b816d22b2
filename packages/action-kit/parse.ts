/**
 * Pure parsers for the textual forms inputs take. Each returns the value or throws a
 * ConfigurationError that names the input, quotes the value and says what is allowed.
 */
import { ConfigurationError, quote } from './errors.js'

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }
const DURATION_PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy

/** `200ms`, `30s`, `2m`, `1h`, or compounds such as `1m30s`. A bare number is refused: units are never guessed. */
export function parseDuration(name: string, text: string): number {
  const value = text.trim()
  let total = 0
  let matched = 0
  DURATION_PART.lastIndex = 0
  for (let m = DURATION_PART.exec(value); m; m = DURATION_PART.exec(value)) {
    total += Number(m[1]) * (DURATION_UNITS[m[2] as string] as number)
    matched = DURATION_PART.lastIndex
  }
  if (value === '' || matched !== value.length) {
    throw new ConfigurationError(
      `Input '${name}' has the value ${quote(text)}, which is not a duration: use a number with a unit, e.g. 200ms, 30s, 2m, 1h or 1m30s.`,
    )
  }
  return Math.round(total)
}

/** The one boolean rule: `true` or `false` in any letter case. Anything else is an error, never a guess. */
export function parseBoolean(name: string, text: string): boolean {
  const value = text.trim().toLowerCase()
  if (value === 'true') return true
  if (value === 'false') return false
  throw new ConfigurationError(
    `Input '${name}' has the value ${quote(text)}; allowed: true or false (any letter case).`,
  )
}

/** A whole number within [min, max]. */
export function parseInteger(name: string, text: string, min: number, max: number): number {
  const value = text.trim()
  const n = /^-?\d+$/.test(value) ? Number(value) : NaN
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new ConfigurationError(
      `Input '${name}' has the value ${quote(text)}; allowed: a whole number from ${min} to ${max}.`,
    )
  }
  return n
}

/** A traffic share: a whole number from 0 to 100, with or without a trailing `%`. */
export function parsePercent(name: string, text: string): number {
  const value = text.trim().replace(/%$/, '')
  const n = /^\d+$/.test(value) ? Number(value) : NaN
  if (!Number.isInteger(n) || n < 0 || n > 100) {
    throw new ConfigurationError(
      `Input '${name}' has the value ${quote(text)}; allowed: a whole percentage from 0 to 100.`,
    )
  }
  return n
}

/** One of a fixed set of words (matched exactly, after trimming). */
export function parseEnum<T extends string>(name: string, text: string, allowed: readonly T[]): T {
  const value = text.trim()
  if ((allowed as readonly string[]).includes(value)) return value as T
  throw new ConfigurationError(
    `Input '${name}' has the value ${quote(text)}; allowed: ${allowed.join(', ')}.`,
  )
}
