/**
 * The one way packages run external commands: @actions/exec with an argv (never a shell
 * string), output streamed to the log line by line, captured output capped, a timeout on every
 * call, and one typed error. @actions/exec has no timeout of its own, so coreutils `timeout`
 * goes in front of the argv: TERM at the deadline, KILL 5 s later.
 */
import { exec as actionsExec } from '@actions/exec'
import type { Log } from '../action-kit/index.js'

export interface ExecOptions {
  /** Required: no command may run unbounded. */
  timeoutMs: number
  /** Each output line goes here (indented), as it arrives. */
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
  ) {
    const why = timedOut
      ? `timed out after ${timeoutMs} ms`
      : code === 127
        ? 'command not found'
        : `exit code ${code}`
    super(`${argv.join(' ')}: ${why}${lastLines.length > 0 ? `: ${lastLines.join(' | ')}` : ''}`)
  }
}

const DEFAULT_CAPTURE = 4 * 1024 * 1024
// coreutils timeout: 124 when the deadline hit (TERM worked), 137 when KILL was needed.
const TIMED_OUT = new Set([124, 137])

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
  const code = await actionsExec('timeout', ['-k', '5', `${seconds}s`, ...argv], {
    silent: true,
    ignoreReturnCode: true,
    ...(options.cwd ? { cwd: options.cwd } : {}),
    env: { ...stringEnv(process.env), ...options.env },
    ...(options.input !== undefined ? { input: Buffer.from(options.input) } : {}),
    listeners: {
      stdout: (chunk: Buffer) => out.add(chunk),
      stderr: (chunk: Buffer) => err.add(chunk),
      stdline: line,
      errline: line,
    },
  })
  return {
    argv,
    code,
    stdout: out.text(),
    stderr: err.text(),
    timedOut: TIMED_OUT.has(code),
  }
}

/** Runs `argv` and throws CommandFailed unless it exits with an ok code. */
export async function run(argv: string[], options: ExecOptions): Promise<ExecResult> {
  const result = await execute(argv, options)
  if (!(options.okCodes ?? [0]).includes(result.code) || result.timedOut)
    throw new CommandFailed(
      argv,
      result.code,
      lastLines(result),
      result.timedOut,
      options.timeoutMs,
    )
  return result
}

/** The last few meaningful lines of a command's output (stderr first), for an error message. */
export function lastLines(result: Pick<ExecResult, 'stdout' | 'stderr'>, count = 8): string[] {
  return `${result.stderr}\n${result.stdout}`
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-count)
    .map((l) => (l.length > 300 ? `${l.slice(0, 300)}…` : l))
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
      this.size -= (this.chunks.shift() as Buffer).length
    }
  }
  text(): string {
    const all = Buffer.concat(this.chunks)
    return all.subarray(Math.max(0, all.length - this.cap)).toString('utf8')
  }
}

function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v
  return out
}
