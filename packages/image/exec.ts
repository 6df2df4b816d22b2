/** Runs a tool as an argv array, streaming its output to the log line by line. */
import { spawn } from 'node:child_process'
import type { Log } from '../action-kit/index.js'

export interface ExecResult {
  code: number
  stdout: string
  stderr: string
}

export function exec(
  argv: string[],
  options: { log?: Log; env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
): Promise<ExecResult> {
  const [command, ...args] = argv as [string, ...string[]]
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
    })
    let stdout = ''
    let stderr = ''
    const stream = (chunk: Buffer, into: 'out' | 'err') => {
      const text = chunk.toString('utf8')
      if (into === 'out') stdout += text
      else stderr += text
      if (options.log)
        for (const line of text.split('\n')) if (line.trim()) options.log.info(`  ${line}`)
    }
    child.stdout.on('data', (c: Buffer) => stream(c, 'out'))
    child.stderr.on('data', (c: Buffer) => stream(c, 'err'))
    child.on('error', (e: NodeJS.ErrnoException) =>
      resolve({
        code: 127,
        stdout,
        stderr: stderr + (e.code === 'ENOENT' ? `${command}: command not found` : e.message),
      }),
    )
    child.on('close', (code, signal) =>
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }),
    )
  })
}

/** The last few meaningful lines of a tool's output, for an error message. */
export function tail(result: ExecResult, lines = 8): string {
  return `${result.stderr}\n${result.stdout}`
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-lines)
    .join('\n')
}
