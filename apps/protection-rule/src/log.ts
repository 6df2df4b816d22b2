/**
 * Structured logs: one JSON object per entry (time, level, msg and fields). Callers pass only
 * what is safe to print: never a token, a key, the webhook secret or Prometheus credentials.
 */
import type { Log } from '../../../packages/action-kit/index.js'

export type LogSink = (entry: Record<string, unknown>) => void
export type Level = 'debug' | 'info' | 'warn' | 'error'

/** The default sink: one JSON line per entry on stdout. */
export const stdoutSink: LogSink = (entry) => {
  process.stdout.write(`${JSON.stringify(entry)}\n`)
}

export interface Logger {
  (level: Level, msg: string, fields?: Record<string, unknown>): void
  /** A logger that adds `fields` to every entry (e.g. the delivery and the run). */
  with(fields: Record<string, unknown>): Logger
  /** The packages' Log surface (the gate's analysis loop logs through it). */
  asLog(): Log
}

export function createLogger(
  sink: LogSink = stdoutSink,
  base: Record<string, unknown> = {},
): Logger {
  const logger = ((level: Level, msg: string, fields: Record<string, unknown> = {}) => {
    try {
      sink({ time: new Date().toISOString(), level, msg, ...base, ...fields })
    } catch {
      // A broken sink never breaks a judgement.
    }
  }) as Logger
  logger.with = (fields) => createLogger(sink, { ...base, ...fields })
  logger.asLog = () => ({
    info: (message) => logger('info', message),
    warning: (message, options) =>
      logger('warn', message, options?.title ? { title: options.title } : {}),
    debug: (message) => logger('debug', message),
  })
  return logger
}
