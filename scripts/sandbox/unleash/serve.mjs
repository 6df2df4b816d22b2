/**
 * The child process scripts/sandbox/unleash.ts starts: a real Unleash server (unleash-server
 * from this folder's node_modules) on 127.0.0.1, configured by one JSON environment variable
 * UNLEASH_SANDBOX = { port, db: { host, port, user, database }, adminToken, clientToken }.
 * It exits when its stdin closes (the parent died) or on SIGTERM.
 */
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
process.stdin.on('end', () => void exit(0))
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
