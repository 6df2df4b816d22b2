/**
 * The Unleash sandbox (scripts/sandbox/unleash.ts) the flag tests, demo and bench use: it starts a
 * real Unleash server on a private PostgreSQL, both tokens work where Unleash takes them, and
 * stop() leaves no process and no temp dir behind.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startUnleash } from '../../scripts/sandbox/unleash.js'
import { ROOT } from '../harness.js'

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Does anything accept a connection on 127.0.0.1:port? */
const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })

test('startUnleash serves the admin and client APIs with its tokens; stop() ends both servers', async () => {
  const unleash = await startUnleash()
  let stopped = false
  try {
    expect(unleash.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const projects = await fetch(`${unleash.url}/api/admin/projects`, {
      headers: { Authorization: unleash.adminToken },
      signal: AbortSignal.timeout(10_000),
    })
    expect(projects.status).toBe(200)
    expect(JSON.stringify(await projects.json())).toContain('"id":"default"')
    const client = await fetch(`${unleash.url}/api/client/features`, {
      headers: { Authorization: unleash.clientToken },
      signal: AbortSignal.timeout(10_000),
    })
    expect(client.status).toBe(200)
    expect(await client.json()).toMatchObject({ query: { environment: unleash.environment } })
    const wrong = await fetch(`${unleash.url}/api/admin/projects`, {
      headers: { Authorization: '*:*.not-a-token' },
      signal: AbortSignal.timeout(10_000),
    })
    expect(wrong.status).toBe(401)
    expect(alive(unleash.pids.unleash) && alive(unleash.pids.postgres)).toBe(true)
    await unleash.stop()
    stopped = true
    expect(alive(unleash.pids.unleash)).toBe(false)
    expect(alive(unleash.pids.postgres)).toBe(false)
    await expect(
      fetch(`${unleash.url}/health`, { signal: AbortSignal.timeout(5000) }),
    ).rejects.toThrow()
    expect(existsSync(unleash.dir)).toBe(false)
  } finally {
    if (!stopped) await unleash.stop()
  }
}, 180_000)

test('a caller killed without stop() leaves nothing behind: the Unleash child stops PostgreSQL and removes the temp dir', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-orphan-'))
  const script = join(dir, 'start.mts')
  writeFileSync(
    script,
    `import { startUnleash } from ${JSON.stringify(join(ROOT, 'scripts/sandbox/unleash.ts'))}
const u = await startUnleash()
console.log(JSON.stringify({ dir: u.dir, port: Number(new URL(u.url).port), postgresPort: u.postgresPort }))
setInterval(() => {}, 1000)
`,
  )
  // One process (node --import tsx), so SIGKILL kills the very process that holds the sandbox.
  const caller = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  try {
    let out = ''
    const started = await new Promise<{ dir: string; port: number; postgresPort: number }>(
      (resolve, reject) => {
        caller.stdout.on('data', (b: Buffer) => {
          out += b.toString()
          const line = out.split('\n').find((l) => l.startsWith('{'))
          if (line) resolve(JSON.parse(line))
        })
        caller.stderr.on('data', (b: Buffer) => (out += b.toString()))
        caller.once('exit', (code) => reject(new Error(`the caller exited (${code}): ${out}`)))
      },
    )
    expect(await listening(started.port)).toBe(true)
    expect(await listening(started.postgresPort)).toBe(true)
    caller.kill('SIGKILL')
    // Several seconds allowed: PostgreSQL's fast shutdown on a loaded machine.
    const deadline = Date.now() + 60_000
    for (;;) {
      const left = [
        ...((await listening(started.port)) ? ['unleash'] : []),
        ...((await listening(started.postgresPort)) ? ['postgres'] : []),
        ...(existsSync(started.dir) ? ['the temp dir'] : []),
      ]
      if (left.length === 0) break
      if (Date.now() > deadline) throw new Error(`still there a minute later: ${left.join(', ')}`)
      await new Promise((r) => setTimeout(r, 250))
    }
  } finally {
    if (caller.exitCode === null && caller.signalCode === null) caller.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  }
}, 180_000)
