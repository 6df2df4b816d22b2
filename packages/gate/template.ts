/**
 * Query templates: `{{name}}` placeholders in PromQL, checked once when the gate is parsed and
 * filled in later (`bind`). A placeholder may stand only inside a double-quoted PromQL string
 * literal, where the value it gets is escaped and can never end the string: anywhere else a
 * value could rewrite the query (`x"}[5m])) * 0 or vector(0) #` turns a bound into a pass).
 */
import { ConfigurationError, quote } from '../action-kit/index.js'

export type Segment = { text: string } | { placeholder: string }

export interface QueryTemplate {
  /** The query as written (for messages). */
  source: string
  segments: Segment[]
  /** The placeholder names it uses, once each, in order of first use. */
  placeholders: string[]
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}/y

/**
 * Splits `query` into text and placeholders. `label` names the field in errors
 * ("Input 'checks'[0] (error-rate): 'query'"); every placeholder must be in `known`.
 */
export function parseQueryTemplate(
  query: string,
  label: string,
  known: readonly string[],
): QueryTemplate {
  const fail = (why: string): never => {
    throw new ConfigurationError(`${label} ${why}`)
  }
  const segments: Segment[] = []
  const placeholders: string[] = []
  let text = ''
  // State of the PromQL lexer: outside any literal, in a string (", ' or `), or in a # comment.
  let inside: 'code' | '"' | "'" | '`' | '#' = 'code'
  const where = () =>
    inside === 'code'
      ? 'outside any string literal'
      : inside === '#'
        ? 'in a comment'
        : inside === "'"
          ? 'inside a single-quoted string'
          : 'inside a backquoted raw string'
  for (let i = 0; i < query.length;) {
    const ch = query[i] as string
    if (query.startsWith('{{', i)) {
      PLACEHOLDER.lastIndex = i
      const match = PLACEHOLDER.exec(query)
      const end = query.indexOf('}}', i + 2)
      const shown = match?.[0] ?? query.slice(i, end < 0 || end > i + 40 ? i + 20 : end + 2)
      if (inside !== '"')
        fail(
          `uses ${quote(shown)} ${where()}; placeholders are allowed only inside double-quoted PromQL strings, e.g. {slot="{{canary}}"} or {server=~"{{canary-servers}}"}.`,
        )
      if (!match)
        fail(
          `has ${quote(shown)}, which is not a placeholder: write {{name}} with letters, digits, _ and -.`,
        )
      const name = (match as RegExpExecArray)[1] as string
      if (!known.includes(name))
        fail(
          `uses {{${name}}}, which is not defined; defined: ${known.length > 0 ? known.join(', ') : 'none'}.`,
        )
      if (text) segments.push({ text })
      text = ''
      segments.push({ placeholder: name })
      if (!placeholders.includes(name)) placeholders.push(name)
      i += (match as RegExpExecArray)[0].length
      continue
    }
    text += ch
    i += 1
    if (inside === 'code') {
      if (ch === '"' || ch === "'" || ch === '`') inside = ch
      else if (ch === '#') inside = '#'
    } else if (inside === '#') {
      if (ch === '\n') inside = 'code'
    } else if (ch === '\\' && inside !== '`' && i < query.length) {
      text += query[i] // an escaped character never ends the string
      i += 1
    } else if (ch === inside) {
      inside = 'code'
    }
  }
  if (inside === '"' || inside === "'" || inside === '`')
    fail(`has a string literal that is never closed (a ${inside} is missing).`)
  if (text) segments.push({ text })
  return { source: query, segments, placeholders }
}

/** The query with every placeholder replaced by its value, escaped for a double-quoted string. */
export function fillTemplate(template: QueryTemplate, values: Record<string, string>): string {
  return template.segments
    .map((s) => {
      if ('text' in s) return s.text
      const value = values[s.placeholder]
      if (value === undefined) throw new Error(`no value bound for {{${s.placeholder}}}`)
      return escapePromqlString(value)
    })
    .join('')
}

/** Escapes text for a PromQL double-quoted string (Go's escapes): it can never end the literal. */
export function escapePromqlString(value: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what this looks for
  return value.replace(/[\\"\u0000-\u001f\u007f]/g, (c) => {
    if (c === '\\') return '\\\\'
    if (c === '"') return '\\"'
    if (c === '\n') return '\\n'
    if (c === '\r') return '\\r'
    if (c === '\t') return '\\t'
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`
  })
}

/** Escapes text for a RE2 regular expression (PromQL's =~), so it matches only itself. */
export function escapePromqlRegex(value: string): string {
  return value.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&')
}

/**
 * Server names as a regex alternation for `=~"{{canary-servers}}"`: each name escaped, joined
 * with `|`. (The string escaping is applied when the template is filled.) An empty list is
 * refused: `=~""` would match every series without the label.
 */
export function serverAlternation(names: readonly string[]): string {
  if (names.length === 0) throw new Error('a slot without servers cannot fill {{...-servers}}')
  return names.map(escapePromqlRegex).join('|')
}
