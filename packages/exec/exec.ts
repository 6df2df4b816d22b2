/**
 * The one way packages run external commands: @actions/exec with an argv (never a shell
 * string), output streamed to the log line by line, captured output capped, a timeout on every
 * call, and one typed error. @actions/exec has no timeout of its own, so coreutils `timeout`
 * goes in front of the argv: TERM to the command's process group at the deadline, KILL 5 s later.
 * The deadline is wall-clock time for the whole command, never the gap between bytes: a command
 * (ssh to a far host, say) that prints a byte now and then is stopped at the deadline all the
 * same. Once the command has exited, its output streams get STDIO_GRACE_MS to close: a process
 * it left behind in another session (an ssh ControlPersist master) may hold them open for good.
 */
import { StringDecoder } from 'node:string_decoder'
import { exec as actionsExec } from '@actions/exec'
import type { Log } from '../action-kit/index.js'

export interface ExecOptions {
  /** Required: no command may run unbounded. */
  timeoutMs: number
  /** Each output line goes here (indented), whole, as it arrives. */
  log?: Log
  env?: Record<string, string>
  cwd?: string
  /** Bytes written to the command's stdin. */
  input?: string | Buffer
  /** Bytes of stdout and of stderr kept (the newest); default 4 MiB each. */
  maxCapture?: number
  /** Exit codes that are not a failure (default: only 0). */
  okCodes?: number[]
}

export interface ExecResult {
  argv: string[]
  code: number
  stdout: string
  stderr: string
  timedOut: boolean
  /** True when the command did not exist (or could not be executed). */
  notFound: boolean
}

/** A command that did not succeed: its argv, exit code and last lines, nothing else. */
export class CommandFailed extends Error {
  override name = 'CommandFailed'
  constructor(
    readonly argv: string[],
    readonly code: number,
    readonly lastLines: string[],
    readonly timedOut: boolean,
    timeoutMs: number,
    readonly notFound = false,
  ) {
    const why = timedOut
      ? `timed out after ${formatMs(timeoutMs)} (stopped)`
      : notFound
        ? `command not found: ${JSON.stringify(argv[0])} is not installed or not on PATH`
        : `exit code ${code}`
    const shown = notFound ? [] : lastLines
    super(`${argv.join(' ')}: ${why}${shown.length > 0 ? `: ${shown.join(' | ')}` : ''}`)
  }
}

const DEFAULT_CAPTURE = 4 * 1024 * 1024
/** Seconds between TERM and KILL when a command outlives its timeout. */
const KILL_AFTER_SECONDS = 5
/**
 * How long, after the command exited, to wait for its stdout and stderr to close (@actions/exec
 * waits 10 s by default). Its own output is already in the pipes by then; only a process that
 * escaped its process group and inherited them keeps them open.
 */
const STDIO_GRACE_MS = 1000
// coreutils timeout: 124 when the deadline hit (TERM worked), 137 when KILL was needed;
// 127 when the command was not found, 126 when it could not be executed.
const TIMED_OUT = new Set([124, 137])
const NOT_RUN = /timeout: failed to run command/

/** Runs `argv`; resolves with the result whatever the exit code (see `run` for the throwing form). */
export async function execute(argv: string[], options: ExecOptions): Promise<ExecResult> {
  if (argv.length === 0 || !argv[0]) throw new RangeError('exec: empty argv')
  if (!(options.timeoutMs > 0)) throw new RangeError('exec: a positive timeoutMs is required')
  const seconds = Math.max(0.001, options.timeoutMs / 1000)
  const cap = options.maxCapture ?? DEFAULT_CAPTURE
  const out = new Capture(cap)
  const err = new Capture(cap)
  const line = (text: string) => {
    if (options.log && text.trim()) options.log.info(`  ${text}`)
  }
  // Our own line splitting: @actions/exec decodes each chunk on its own (a UTF-8 character cut
  // between chunks is mangled) and drops a last line that has no newline.
  const outLines = new Lines(line)
  const errLines = new Lines(line)
  const started = Date.now()
  const exitCode: number | null = await actionsExec(
    'timeout',
    ['-k', `${KILL_AFTER_SECONDS}s`, `${seconds}s`, ...argv],
    {
      silent: true,
      ignoreReturnCode: true,
      delay: STDIO_GRACE_MS,
      ...(options.cwd ? { cwd: options.cwd } : {}),
      env: { ...stringEnv(process.env), ...options.env },
      ...(options.input !== undefined ? { input: Buffer.from(options.input) } : {}),
      listeners: {
        stdout: (chunk: Buffer) => {
          out.add(chunk)
          outLines.add(chunk)
        },
        stderr: (chunk: Buffer) => {
          err.add(chunk)
          errLines.add(chunk)
        },
      },
    },
  )
  outLines.end()
  errLines.end()
  // When KILL was needed, timeout signals its whole process group, itself included: no code.
  const code = exitCode ?? 137
  const stderr = err.text()
  // A command can exit 124 on its own: only a run that lasted the whole timeout timed out.
  const timedOut = TIMED_OUT.has(code) && Date.now() - started >= options.timeoutMs - 50
  return {
    argv,
    code,
    stdout: out.text(),
    stderr,
    timedOut,
    notFound: (code === 127 || code === 126) && NOT_RUN.test(stderr),
  }
}

/** Runs `argv` and throws CommandFailed unless it exits with an ok code in time. */
export async function run(argv: string[], options: ExecOptions): Promise<ExecResult> {
  const result = await execute(argv, options)
  if (result.timedOut || !(options.okCodes ?? [0]).includes(result.code))
    throw failure(result, options.timeoutMs)
  return result
}

/** The CommandFailed for a result, for callers of `execute` that decide themselves. */
export function failure(result: ExecResult, timeoutMs: number): CommandFailed {
  return new CommandFailed(
    result.argv,
    result.code,
    lastLines(result),
    result.timedOut,
    timeoutMs,
    result.notFound,
  )
}

/** The last few meaningful lines of a command's output (stderr last: errors go there), for an error message. */
export function lastLines(
  result: Pick<ExecResult, 'stdout' | 'stderr'>,
  count = 8,
  maxLength = 300,
): string[] {
  return `${result.stdout}\n${result.stderr}`
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-count)
    .map((l) => (l.length > maxLength ? `${l.slice(0, maxLength)}…` : l))
}

/** Keeps the newest `cap` bytes of a stream. */
class Capture {
  private chunks: Buffer[] = []
  private size = 0
  constructor(private readonly cap: number) {}
  add(chunk: Buffer) {
    this.chunks.push(chunk)
    this.size += chunk.length
    while (this.size > this.cap && this.chunks.length > 1) {
      const first = this.chunks[0] as Buffer
      if (this.size - first.length < this.cap) break
      this.size -= first.length
      this.chunks.shift()
    }
  }
  text(): string {
    const all = Buffer.concat(this.chunks)
    return all.subarray(Math.max(0, all.length - this.cap)).toString('utf8')
  }
}

/** A line longer than this is logged in pieces of this size: output without newlines stays bounded. */
export const MAX_LINE = 64 * 1024

/** Whole lines out of a byte stream: characters and lines cut between chunks are joined first. */
class Lines {
  private readonly decoder = new StringDecoder('utf8')
  private pending = ''
  constructor(private readonly onLine: (line: string) => void) {}
  add(chunk: Buffer) {
    const parts = (this.pending + this.decoder.write(chunk)).split(/\r?\n/)
    this.pending = parts.pop() ?? ''
    for (const part of parts) this.onLine(part)
    while (this.pending.length >= MAX_LINE) {
      this.onLine(this.pending.slice(0, MAX_LINE))
      this.pending = this.pending.slice(MAX_LINE)
    }
  }
  end() {
    const rest = this.pending + this.decoder.end()
    this.pending = ''
    if (rest !== '') this.onLine(rest)
  }
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`
}

function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v
  return out
}
