/**
 * The process: settings from the environment (secrets from files or variables, never logged),
 * startService, and a graceful stop on SIGTERM/SIGINT (in-flight judgements answered or left for
 * the next start's recovery).
 */
import { errorMessage } from '../../../packages/action-kit/index.js'
import { createLogger } from './log.js'
import { startService, type ServiceOptions } from './service.js'
import { settingsFrom } from './settings.js'

async function main(): Promise<void> {
  const log = createLogger()
  let settings: ServiceOptions
  try {
    settings = settingsFrom(process.env)
  } catch (e) {
    log('error', `settings: ${errorMessage(e)}`)
    process.exitCode = 2
    return
  }
  const service = await startService(settings)
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    log('info', `${signal}: stopping`)
    service.close().then(
      () => process.exit(0),
      (e: unknown) => {
        log('error', 'stop failed', { error: errorMessage(e) })
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
}

main().catch((e: unknown) => {
  createLogger()('error', 'the service could not start', { error: errorMessage(e) })
  process.exit(1)
})
