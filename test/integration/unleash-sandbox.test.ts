/**
 * The Unleash sandbox (scripts/sandbox/unleash.ts) the flag tests, demo and bench use: it starts a
 * real Unleash server on a private PostgreSQL, both tokens work where Unleash takes them, and
 * stop() leaves no process and no temp dir behind.
 */
import { existsSync } from 'node:fs'
import { startUnleash } from '../../scripts/sandbox/unleash.js'

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

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
