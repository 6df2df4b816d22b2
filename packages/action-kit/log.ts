/** The logging surface packages use; action-kit backs it with @actions/core, scripts with the console. */
export interface Log {
  info(message: string): void
  /** On a runner: a warning annotation, headed by `title` when one is given. */
  warning(message: string, options?: AnnotationOptions): void
  debug(message: string): void
}

export interface AnnotationOptions {
  /** A short heading for the annotation, e.g. "Traffic left split". */
  title?: string
}

/** A Log for code running outside a runner (demo, bench, CLI). */
export const consoleLog: Log = {
  info: (message) => console.log(message),
  warning: (message, options) =>
    console.log(`warning: ${options?.title ? `${options.title}: ` : ''}${message}`),
  debug: (message) => {
    if (process.env.CUTOVER_DEBUG) console.log(`debug: ${message}`)
  },
}

/** A Log that keeps nothing, for tests and quiet callers. */
export const silentLog: Log = { info() {}, warning() {}, debug() {} }

// The runner reads a step's output line by line (a line ends at \r or \n) and takes a line as a
// workflow command when, after leading whitespace (.NET's, which also counts U+0085), it starts
// with `::`, or when it holds the legacy `##[` anywhere. A zero-width space breaks both patterns
// without changing what a person reads.
const ZERO_WIDTH_SPACE = '\u200B'
const LINE_BREAKS = /(\r\n|\r|\n)/
const LEADING_COMMAND = /^([\s\u0085]*):(?=:)/
const LEGACY_COMMAND = /##\[/g

/**
 * Text from outside (an input, a server's answer, a tool's output) made unable to issue workflow
 * commands such as `::add-mask::`, `::stop-commands::` or `##[error]`, in every line.
 */
export function neutraliseCommands(text: string): string {
  return text
    .split(LINE_BREAKS)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part
            .replace(LEADING_COMMAND, `$1:${ZERO_WIDTH_SPACE}`)
            .replace(LEGACY_COMMAND, `##${ZERO_WIDTH_SPACE}[`),
    )
    .join('')
}
