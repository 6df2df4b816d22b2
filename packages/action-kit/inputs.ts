/**
 * Typed input readers. They read raw strings through a function (core.getInput in an action,
 * a plain map in tests and scripts), so this module stays free of @actions/core.
 */
import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  readFileSync,
  realpathSync,
  statSync,
} from 'node:fs'
import { isAbsolute, resolve, sep } from 'node:path'
// js-yaml rather than yaml: a third of the start-up cost, and every action parses YAML inputs.
import { load as parseYaml } from 'js-yaml'
import { ConfigurationError, elide, errorMessage, quote } from './errors.js'
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
   * A file must resolve (symlinks followed) inside the workspace, hold at most 1 MiB and parse
   * to a mapping or a list; errors about it name the path, never its content.
   */
  yaml(name: string, options: { required?: boolean } = {}): unknown {
    const value = this.string(name, options)
    if (value === '') return undefined
    if (!value.includes('\n') && looksLikePath(value, this.workspace)) {
      const text = readWorkspaceFile(name, value, this.workspace)
      const source = `the file ${quote(value)}`
      const parsed = parseYamlInput(name, text, source, { fromFile: true })
      if (parsed === null || typeof parsed !== 'object') {
        throw new ConfigurationError(
          `Input '${name}': ${source} holds ${parsed === null || parsed === undefined ? 'no YAML value' : `a single ${typeof parsed}`}, not a YAML mapping or list; allowed: a YAML file with a mapping or a list, or YAML inline.`,
        )
      }
      return parsed
    }
    return parseYamlInput(name, value, 'the value')
  }
}

/** The largest YAML text an input or file may hold: configs are a few kB. */
export const MAX_YAML_BYTES = 1024 * 1024
/** Aliases (`*name`) a YAML input may use, and values it may expand to through them. */
export const MAX_YAML_ALIASES = 100
export const MAX_YAML_VALUES = 100_000

/** Reads `value` as a file inside `workspace` (symlinks resolved), or says why it cannot. */
function readWorkspaceFile(name: string, value: string, workspace: string): string {
  const given = `Input '${name}' names the file ${quote(value)}`
  const failure = (e: unknown) => (e as NodeJS.ErrnoException).code ?? errorMessage(e)
  let root: string
  let real: string
  try {
    root = realpathSync(workspace)
  } catch (e) {
    throw new ConfigurationError(
      `${given}, but the workspace ${quote(workspace)} cannot be resolved (${failure(e)}).`,
    )
  }
  try {
    real = realpathSync(isAbsolute(value) ? value : resolve(workspace, value))
  } catch (e) {
    throw new ConfigurationError(
      `${given}, which cannot be read (${failure(e)}). Give YAML inline or a readable file path relative to the workspace.`,
    )
  }
  if (real !== root && !real.startsWith(root + sep)) {
    throw new ConfigurationError(
      `${given}, which resolves to ${quote(real)}, outside the workspace ${quote(root)}; allowed: a file inside the workspace (symbolic links are followed).`,
    )
  }
  let fd: number | undefined
  try {
    // O_NOFOLLOW: the resolved path is read, not a link swapped in since it was resolved.
    fd = openSync(real, constants.O_RDONLY | constants.O_NOFOLLOW)
    const stat = fstatSync(fd)
    if (!stat.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'not a file' })
    if (stat.size > MAX_YAML_BYTES) {
      throw new ConfigurationError(
        `${given}, which is ${stat.size} bytes long; allowed: at most ${MAX_YAML_BYTES} bytes (1 MiB).`,
      )
    }
    return readFileSync(fd, 'utf8')
  } catch (e) {
    if (e instanceof ConfigurationError) throw e
    throw new ConfigurationError(
      `${given}, which cannot be read (${failure(e)}). Give YAML inline or a readable file path relative to the workspace.`,
    )
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

/**
 * Parses YAML from an input or a file, refusing texts that would expand: js-yaml shares an
 * aliased value instead of copying it, so a "billion laughs" parses quickly and small, and then
 * explodes in whatever walks or prints it. Errors about a file never quote its text.
 */
export function parseYamlInput(
  name: string,
  text: string,
  source: string,
  options: { fromFile?: boolean } = {},
): unknown {
  if (text.length > MAX_YAML_BYTES) {
    throw new ConfigurationError(
      `Input '${name}': ${source} is ${text.length} characters long; allowed: at most ${MAX_YAML_BYTES} (1 MiB) of YAML.`,
    )
  }
  let parsed: unknown
  try {
    parsed = parseYaml(text)
  } catch (e) {
    throw new ConfigurationError(
      `Input '${name}': ${source} is not valid YAML: ${yamlError(e, options.fromFile === true)}`,
    )
  }
  checkYamlSize(name, source, parsed)
  return parsed
}

function yamlError(e: unknown, fromFile: boolean): string {
  const error = e as { reason?: string; mark?: { line: number; column: number }; message?: string }
  if (!fromFile) return elide(String(error.message).split('\n')[0] as string)
  // js-yaml's reasons quote tags and alias names from the text: leave them out for a file.
  const reason = (error.reason ?? 'unreadable').replace(/!<[^>]*>|"[^"]*"/g, '…')
  return error.mark
    ? `${reason} at line ${error.mark.line + 1}, column ${error.mark.column + 1}`
    : reason
}

/** Refuses a parsed value that uses too many aliases, expands too far through them, or contains itself. */
function checkYamlSize(name: string, source: string, root: unknown): void {
  const sizes = new Map<object, number>()
  const open = new Set<object>()
  let aliases = 0
  const refuse = (what: string) => {
    throw new ConfigurationError(
      `Input '${name}': ${source} ${what}; allowed: at most ${MAX_YAML_ALIASES} aliases and ${MAX_YAML_VALUES} values once aliases are expanded (a YAML "alias bomb" is refused before it expands).`,
    )
  }
  const size = (value: unknown): number => {
    if (value === null || typeof value !== 'object') return 1
    // Dates and binary data are single values, not collections.
    const proto = Object.getPrototypeOf(value)
    if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return 1
    const known = sizes.get(value)
    if (known !== undefined) {
      if (++aliases > MAX_YAML_ALIASES) refuse(`uses more than ${MAX_YAML_ALIASES} aliases`)
      return known
    }
    if (open.has(value)) refuse('has an alias inside the value it refers to')
    open.add(value)
    let total = 1
    for (const child of Array.isArray(value) ? value : Object.values(value)) {
      total += size(child)
      if (total > MAX_YAML_VALUES) refuse(`expands to more than ${MAX_YAML_VALUES} values`)
    }
    open.delete(value)
    sizes.set(value, total)
    return total
  }
  size(root)
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
