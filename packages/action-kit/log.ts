/** The logging surface packages use; action-kit backs it with @actions/core, scripts with the console. */
export interface Log {
  info(message: string): void
  warning(message: string): void
  debug(message: string): void
}

/** A Log for code running outside a runner (demo, bench, CLI). */
export const consoleLog: Log = {
  info: (message) => console.log(message),
  warning: (message) => console.log(`warning: ${message}`),
  debug: (message) => {
    if (process.env.CUTOVER_DEBUG) console.log(`debug: ${message}`)
  },
}

/** A Log that keeps nothing, for tests and quiet callers. */
export const silentLog: Log = { info() {}, warning() {}, debug() {} }
