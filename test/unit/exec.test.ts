/**
 * packages/exec on real processes (sh, coreutils): argv only, whole lines as they arrive,
 * capped capture, timeouts that stop the command, and one error that says what happened.
 */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CommandFailed, execute, MAX_LINE, run } from '../../packages/exec/index.js'
import type { Log } from '../../packages/action-kit/index.js'

function recordingLog(): Log & { lines: string[] } {
  const lines: string[] = []
  return {
    lines,
    info: (m: string) => lines.push(m),
    warning: (m: string) => lines.push(`warning: ${m}`),
    debug: () => {},
  }
}

const dir = mkdtempSync(join(tmpdir(), 'cutover-exec-'))

test('an argv is never a shell string: metacharacters reach the command as they are', async () => {
  const marker = join(dir, 'injected')
  const result = await run(['printf', '%s\n', `a; touch ${marker}`, '$(id)', '`id`', '*'], {
    timeoutMs: 10_000,
  })
  expect(result.stdout).toBe(`a; touch ${marker}\n$(id)\n\`id\`\n*\n`)
  expect((await execute(['test', '-e', marker], { timeoutMs: 10_000 })).code).toBe(1)
})

test('lines are logged whole, even when written in pieces across chunks (UTF-8 included), and a last line without newline is kept', async () => {
  const log = recordingLog()
  // Each printf is its own write, with pauses between them, so they arrive as separate chunks;
  // \303\251 is "é" cut between two writes.
  const script = [
    'printf "hel"',
    'sleep 0.2',
    'printf "lo wor"',
    'sleep 0.2',
    'printf "ld\\nsecond caf\\303"',
    'sleep 0.2',
    'printf "\\251 line\\n"',
    'printf "err-" >&2',
    'sleep 0.2',
    'printf "line\\n" >&2',
    'printf "no newline at the end"',
  ].join('; ')
  const result = await run(['sh', '-c', script], { timeoutMs: 20_000, log })
  expect(log.lines).toEqual([
    '  hello world',
    '  second caf\u00e9 line',
    '  err-line',
    '  no newline at the end',
  ])
  expect(result.stdout).toBe('hello world\nsecond caf\u00e9 line\nno newline at the end')
  expect(result.stderr).toBe('err-line\n')
})

test('captured output is capped at maxCapture bytes, keeping the newest; every line is still logged', async () => {
  const log = recordingLog()
  const result = await run(['sh', '-c', 'for i in $(seq 1 2000); do echo "line $i"; done'], {
    timeoutMs: 20_000,
    maxCapture: 1000,
    log,
  })
  expect(Buffer.byteLength(result.stdout)).toBeLessThanOrEqual(1000)
  expect(result.stdout.endsWith('line 1999\nline 2000\n')).toBe(true)
  expect(result.stdout).not.toContain('line 1\n')
  expect(log.lines).toHaveLength(2000)
})

test('output without newlines is logged in bounded pieces, and captured whole', async () => {
  const log = recordingLog()
  const size = 3 * MAX_LINE + 100
  const result = await run(['sh', '-c', `head -c ${size} /dev/zero | tr '\\0' a`], {
    timeoutMs: 20_000,
    log,
  })
  expect(log.lines.map((l) => l.length - 2)).toEqual([MAX_LINE, MAX_LINE, MAX_LINE, 100])
  expect(result.stdout).toBe('a'.repeat(size))
})

test('a command past its timeout is stopped (its children too) and reported as timed out', async () => {
  const pidFile = join(dir, 'child.pid')
  const started = Date.now()
  // Seconds for sh to start the sleep and say so before the timeout: a loaded machine may take
  // more than a second for that.
  const error = await run(['sh', '-c', `sleep 60 & echo $! > ${pidFile}; echo started; wait`], {
    timeoutMs: 3000,
  }).catch((e: unknown) => e)
  expect(Date.now() - started).toBeLessThan(30_000) // not the 60 s of the sleep
  expect(error).toBeInstanceOf(CommandFailed)
  const failed = error as CommandFailed
  expect(failed.timedOut).toBe(true)
  expect(failed.message).toMatch(/^sh -c sleep 60 .*: timed out after 3 s \(stopped\): started$/)
  // The backgrounded sleep was in the command's process group: it is gone too.
  expect(running(Number(readFileSync(pidFile, 'utf8').trim()))).toBe(false)
})

/** Whether a process runs (a zombie nobody reaped does not: PID 1 here may not reap). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3))
  } catch {
    return false
  }
}

test('a command that ignores TERM is killed after the grace period', async () => {
  // Seconds for sh to set its trap before the TERM comes (else TERM kills it: 143, not 137).
  const result = await execute(['sh', '-c', 'trap "" TERM; sleep 30'], { timeoutMs: 3000 })
  expect(result.timedOut).toBe(true)
  expect(result.code).toBe(137)
})

// The deadline is for the whole command: output arriving now and then (ssh to a far host that
// drips) does not keep it alive. The 30 s the loop would take is far beyond jest's bound here.
test('a command that prints a byte every 300 ms is stopped at its deadline all the same', async () => {
  const error = (await run(
    ['sh', '-c', 'i=0; while [ $i -lt 100 ]; do printf x; sleep 0.3; i=$((i+1)); done'],
    { timeoutMs: 1000 },
  ).catch((e: unknown) => e)) as CommandFailed
  expect(error).toBeInstanceOf(CommandFailed)
  expect(error.timedOut).toBe(true)
  expect(error.message).toMatch(/: timed out after 1 s \(stopped\): x+$/)
}, 15_000)

// A process that escaped the command's process group (an ssh ControlPersist master does) and
// inherited its stdout would hold @actions/exec's default 10 s after the command exited.
test('a process left behind holding stdout does not hold the call once the command exited', async () => {
  const pidFile = join(dir, 'left-behind.pid')
  try {
    const result = await run(['sh', '-c', `setsid sleep 600 & echo $! > ${pidFile}; echo done`], {
      timeoutMs: 30_000,
    })
    expect(result.stdout).toBe('done\n')
    expect(result.timedOut).toBe(false)
  } finally {
    const pid = Number(readFileSync(pidFile, 'utf8').trim())
    if (pid > 0) process.kill(pid, 'SIGKILL')
  }
}, 8_000)

test('a command exiting 124 on its own, quickly, is a failure, not a timeout', async () => {
  const error = (await run(['sh', '-c', 'exit 124'], { timeoutMs: 30_000 }).catch(
    (e: unknown) => e,
  )) as CommandFailed
  expect(error.timedOut).toBe(false)
  expect(error.message).toBe('sh -c exit 124: exit code 124')
})

test('CommandFailed carries the argv, the exit code and the last lines of output', async () => {
  const error = (await run(
    [
      'sh',
      '-c',
      'for i in 1 2 3 4 5 6 7 8 9 10; do echo "out $i"; done; echo "bad thing" >&2; exit 3',
    ],
    { timeoutMs: 10_000 },
  ).catch((e: unknown) => e)) as CommandFailed
  expect(error).toBeInstanceOf(CommandFailed)
  expect(error.argv[0]).toBe('sh')
  expect(error.code).toBe(3)
  expect(error.timedOut).toBe(false)
  expect(error.lastLines).toEqual([
    'out 4',
    'out 5',
    'out 6',
    'out 7',
    'out 8',
    'out 9',
    'out 10',
    'bad thing',
  ])
  expect(error.message).toContain(': exit code 3: out 4 | out 5 |')
  expect(error.message.endsWith('out 10 | bad thing')).toBe(true)
})

test('okCodes: an expected non-zero exit is not a failure', async () => {
  const result = await run(['sh', '-c', 'exit 1'], { timeoutMs: 10_000, okCodes: [0, 1] })
  expect(result.code).toBe(1)
})

test.each([
  ['not on PATH', ['cutover-no-such-command', '--version']],
  ['not executable', [join(dir, 'not-executable')]],
])('a command %s: a clear "command not found"', async (_case, argv) => {
  writeFileSync(join(dir, 'not-executable'), '#!/bin/sh\n')
  chmodSync(join(dir, 'not-executable'), 0o644)
  const error = (await run(argv as string[], { timeoutMs: 10_000 }).catch(
    (e: unknown) => e,
  )) as CommandFailed
  expect(error).toBeInstanceOf(CommandFailed)
  expect(error.notFound).toBe(true)
  expect(error.message).toBe(
    `${argv.join(' ')}: command not found: ${JSON.stringify(argv[0])} is not installed or not on PATH`,
  )
})

test('stdin, env and cwd reach the command', async () => {
  const result = await run(['sh', '-c', 'cat; echo "$CUTOVER_X"; pwd'], {
    timeoutMs: 10_000,
    input: 'from stdin\n',
    env: { CUTOVER_X: 'from env' },
    cwd: dir,
  })
  expect(result.stdout).toBe(`from stdin\nfrom env\n${dir}\n`)
})

test.each([
  [[], { timeoutMs: 1000 }, 'exec: empty argv'],
  [['true'], { timeoutMs: 0 }, 'exec: a positive timeoutMs is required'],
  [['true'], {}, 'exec: a positive timeoutMs is required'],
])('refused before running: %j %j', async (argv, options, message) => {
  await expect(execute(argv, options as never)).rejects.toThrow(message)
})
