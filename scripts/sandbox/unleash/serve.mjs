/**
 * The child process scripts/sandbox/unleash.ts starts: a real Unleash server (unleash-server
 * from this folder's node_modules) on 127.0.0.1, configured by one JSON environment variable
 * UNLEASH_SANDBOX = { port, db: { host, port, user, database }, adminToken, clientToken,
 * orphaned: { stop: argv, dir } }. It exits on SIGTERM (the parent's stop() then stops
 * PostgreSQL). When its stdin closes the parent died without stop(): it then stops PostgreSQL
 * itself (`orphaned.stop`, pg_ctl) and removes the temp dir, so nothing is left running.
 */
import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { start } from 'unleash-server'

const settings = JSON.parse(process.env.UNLEASH_SANDBOX ?? '{}')
const quiet = () => {
  const noop = () => {}
  const log =
    (level) =>
    (msg, ...rest) => {
      if (level === 'error' || level === 'warn') console.error(`[unleash ${level}]`, msg, ...rest)
    }
  return { debug: noop, info: noop, warn: log('warn'), error: log('error'), fatal: log('error') }
}

let unleash
const exit = async (code) => {
  const timer = setTimeout(() => process.exit(code), 3000)
  timer.unref()
  try {
    await unleash?.stop()
  } catch {
    // exiting anyway
  }
  process.exit(code)
}
process.on('SIGTERM', () => void exit(0))
process.on('SIGINT', () => void exit(0))
const orphaned = () => {
  const { stop, dir } = settings.orphaned ?? {}
  if (Array.isArray(stop) && stop.length > 0) {
    try {
      execFileSync(stop[0], stop.slice(1), { timeout: 20_000, stdio: 'ignore' })
    } catch {
      // best effort: the parent is gone, nobody else would clean up
    }
  }
  if (typeof dir === 'string' && dir.includes('cutover-unleash-'))
    rmSync(dir, { recursive: true, force: true })
}
process.stdin.on('end', () => {
  void (async () => {
    try {
      await Promise.race([unleash?.stop(), new Promise((resolve) => setTimeout(resolve, 5000))])
    } catch {
      // stopping anyway
    }
    orphaned()
    process.exit(0)
  })()
})
process.stdin.on('error', () => void exit(0))
process.stdin.resume()

try {
  unleash = await start({
    db: { ...settings.db, password: 'unused', ssl: false, pool: { min: 0, max: 4 } },
    server: { host: '127.0.0.1', port: settings.port, gracefulShutdownEnable: false },
    getLogger: () => quiet(),
    versionCheck: { enable: false },
    authentication: {
      initApiTokens: [
        {
          type: 'admin',
          environment: '*',
          projects: ['*'],
          secret: settings.adminToken,
          tokenName: 'cutover-admin',
        },
        {
          type: 'client',
          environment: 'development',
          projects: ['*'],
          secret: settings.clientToken,
          tokenName: 'cutover-client',
        },
      ],
    },
  })
  console.log(`unleash sandbox listening on 127.0.0.1:${settings.port}`)
} catch (e) {
  console.error('unleash sandbox failed to start:', e)
  process.exit(1)
}
