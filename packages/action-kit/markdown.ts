/** Pure Markdown builders for job summaries (GitHub renders tables and mermaid there). */

export function table(headers: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const cell = (v: unknown) =>
    String(v ?? '')
      .replace(/\|/g, '\\|')
      .replace(/\n/g, ' ')
  return [
    `| ${headers.map(cell).join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n')
}

export function heading(text: string, level = 3): string {
  return `${'#'.repeat(level)} ${text}`
}

export function codeBlock(text: string, language = ''): string {
  return '```' + language + '\n' + text + '\n```'
}

/** Joins summary sections with blank lines, dropping empty ones. */
export function sections(...parts: (string | undefined | false)[]): string {
  return parts.filter((p): p is string => typeof p === 'string' && p !== '').join('\n\n') + '\n'
}
