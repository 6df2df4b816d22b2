/**
 * Typed input readers. They read raw strings through a function (core.getInput in an action,
 * a plain map in tests and scripts), so this module stays free of @actions/core.
 */
import { readFileSync, statSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
// js-yaml rather than yaml: a third of the start-up cost, and every action parses YAML inputs.
import { load as parseYaml } from 'js-yaml'
import { ConfigurationError, quote } from './errors.js'
import { parseBoolean, parseDuration, parseEnum, parseInteger, parsePercent } from './parse.js'

export type RawInput = (name: string) => string

export class Inputs {
  constructor(
    private readonly raw: RawInput,
    /** Relative file paths in inputs are resolved here (GITHUB_WORKSPACE in a runner). */
    readonly workspace: string = process.cwd(),
  ) {}

  /** The trimmed value; '' when not given and not required. */
  string(name: string, options: { required?: boolean } = {}): string {
    const value = this.raw(name).trim()
    if (options.required && value === '') {
      throw new ConfigurationError(`Input '${name}' is required and was not given.`)
    }
    return value
  }

  /** The value, or undefined when it was not given. */
  optional(name: string): string | undefined {
    const value = this.string(name)
    return value === '' ? undefined : value
  }

  enum<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.string(name)
    return value === '' ? fallback : parseEnum(name, value, allowed)
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.string(name)
    return value === '' ? fallback : parseBoolean(name, value)
  }

  /** Milliseconds. */
  duration(name: string, fallback: number, options: { min?: number; max?: number } = {}): number {
    const value = this.string(name)
    if (value === '') return fallback
    const ms = parseDuration(name, value)
    const { min = 0, max = Number.MAX_SAFE_INTEGER } = options
    if (ms < min || ms > max) {
      throw new ConfigurationError(
        `Input '${name}' has the value ${quote(value)}; allowed: a duration from ${formatDuration(min)} to ${formatDuration(max)}.`,
      )
    }
    return ms
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.string(name)
    return value === '' ? fallback : parseInteger(name, value, min, max)
  }

  percent(name: string): number | undefined {
    const value = this.string(name)
    return value === '' ? undefined : parsePercent(name, value)
  }

  /**
   * A YAML document given inline, or the path of a YAML file in the workspace. A single line
   * that names an existing file, or ends in .yml/.yaml, is read as a file; anything else is YAML.
   */
  yaml(name: string, options: { required?: boolean } = {}): unknown {
    const value = this.string(name, options)
    if (value === '') return undefined
    let text = value
    let source = `input '${name}'`
    if (!value.includes('\n') && looksLikePath(value, this.workspace)) {
      const path = isAbsolute(value) ? value : resolve(this.workspace, value)
      try {
        text = readFileSync(path, 'utf8')
      } catch (e) {
        throw new ConfigurationError(
          `Input '${name}' names the file ${quote(value)}, which cannot be read (${(e as NodeJS.ErrnoException).code ?? e}). Give YAML inline or a readable file path relative to the workspace.`,
        )
      }
      source = `file ${quote(value)} (input '${name}')`
    }
    try {
      // YAML 1.2 core schema (no yes/no booleans); a duplicated key is an error, not a silent override.
      return parseYaml(text)
    } catch (e) {
      const detail = String((e as Error).message).split('\n')[0]
      throw new ConfigurationError(`Input '${name}': ${source} is not valid YAML: ${detail}`)
    }
  }
}

function looksLikePath(value: string, workspace: string): boolean {
  if (/\.ya?ml$/i.test(value)) return true
  if (/[:{}[\]]/.test(value)) return false
  try {
    return statSync(isAbsolute(value) ? value : resolve(workspace, value)).isFile()
  } catch {
    return false
  }
}

export function formatDuration(ms: number): string {
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`
  if (ms >= 1000 && ms % 1000 === 0) return `${ms / 1000}s`
  return `${ms}ms`
}
