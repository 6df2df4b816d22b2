/**
 * The recording inputs the traffic actions share (token, record, environment,
 * production-environment, service, image, environment-url, deployment-id) and the run's GitHub
 * coordinates from the runner's environment: the packages get settings, never inputs or env.
 * Every value is validated whether or not records are on.
 */
import {
  ConfigurationError,
  parseInteger,
  quote,
  type Inputs,
} from '../../packages/action-kit/index.js'
import { parseHttpUrl } from '../../packages/action-kit/util.js'
import type { GitHubContext, RecordSettings } from '../../packages/records/index.js'
import { isFlagRouterType } from '../../packages/router/flag.js'

/** Environment names GitHub treats as production unless told otherwise. */
const PRODUCTION_NAMES = ['production', 'prod']

export function readRecordSettings(
  inputs: Inputs,
  secret: (value: string) => void,
  context: GitHubContext,
): RecordSettings {
  const token = inputs.string('token')
  secret(token)
  const enabled = inputs.boolean('record', true)
  const environment = readEnvironment(inputs, enabled)
  const production = inputs.boolean(
    'production-environment',
    PRODUCTION_NAMES.includes(environment.toLowerCase()),
  )
  const service = recordService(readService(inputs, context), flagKeys(inputs.yaml('router')))
  const image = inputs.optional('image')
  if (image !== undefined && (image.length > 500 || /\s/.test(image)))
    throw new ConfigurationError(
      `Input 'image' has the value ${quote(cap(image))}; allowed: an image reference without spaces, at most 500 characters (best by digest: registry/name@sha256:...).`,
    )
  const environmentUrl = inputs.optional('environment-url')
  if (environmentUrl !== undefined) parseHttpUrl('environment-url', environmentUrl)
  const deploymentId = inputs.optional('deployment-id')
  return {
    enabled,
    token,
    environment,
    production,
    service,
    ...(image ? { image } : {}),
    ...(environmentUrl ? { environmentUrl } : {}),
    ...(deploymentId === undefined
      ? {}
      : { deploymentId: parseInteger('deployment-id', deploymentId, 1, Number.MAX_SAFE_INTEGER) }),
  }
}

/** Required when records are on: a forgotten `environment` must not write into production. */
function readEnvironment(inputs: Inputs, enabled: boolean): string {
  const environment = inputs.string('environment')
  if (environment === '' && enabled)
    throw new ConfigurationError(
      `Input 'environment' is required when records are on (record: true) and was not given; allowed: the GitHub environment to record in, e.g. production or staging (or record: false).`,
    )
  // eslint-disable-next-line no-control-regex
  if (environment.length > 255 || /[\u0000-\u001f\u007f]/.test(environment))
    throw new ConfigurationError(
      `Input 'environment' has the value ${quote(cap(environment))}; allowed: an environment name of at most 255 characters on one line.`,
    )
  return environment
}

/** Default: the repository's name. It becomes the deployment's task, `deploy:<service>`. */
function readService(inputs: Inputs, context: GitHubContext): string {
  const given = inputs.optional('service')
  const service = given ?? context.repository.split('/')[1] ?? ''
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(service))
    throw new ConfigurationError(
      given === undefined
        ? `Input 'service' was not given and the repository name ${quote(cap(service))} cannot stand in for it; allowed: 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit.`
        : `Input 'service' has the value ${quote(cap(service))}; allowed: 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit.`,
    )
  return service
}

/**
 * The flags a `router` input walks (its flag routers' `flag` keys), none for a traffic router.
 * Reads the value readRouter has already validated (every action reads the router first).
 */
export function flagKeys(router: unknown): string[] {
  const entries = Array.isArray(router) ? router : [router]
  const keys = entries.flatMap((entry) => {
    if (typeof entry !== 'object' || entry === null) return []
    const { type, flag } = entry as { type?: unknown; flag?: unknown }
    return typeof type === 'string' && isFlagRouterType(type) ? [String(flag)] : []
  })
  return [...new Set(keys)].sort()
}

/**
 * Whose records a step reads and writes: a flag walk's are the service's AND the flag's
 * (`orders/flag:checkout-v2`, task `deploy:orders/flag:checkout-v2`), so a flag walked to 100%
 * is never taken for a release of the service's slots (a rollback of the service's traffic would
 * then read it), and each flag of a service has its own history. A service name cannot hold
 * '/' or ':', so no real service has this identity.
 */
export function recordService(service: string, flags: readonly string[]): string {
  return flags.length === 0 ? service : `${service}/flag:${flags.join(',')}`
}

/** The run on GitHub, from the runner's variables (the action passes io.env). */
export function githubContext(env: Record<string, string | undefined>): GitHubContext {
  const server = env.GITHUB_SERVER_URL || 'https://github.com'
  const repository = env.GITHUB_REPOSITORY || ''
  const attempt = env.GITHUB_RUN_ATTEMPT ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : ''
  return {
    apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
    repository,
    sha: env.GITHUB_SHA || '',
    runUrl: `${server}/${repository}/actions/runs/${env.GITHUB_RUN_ID || ''}${attempt}`,
  }
}

function cap(value: string): string {
  return value.length > 60 ? `${value.slice(0, 60)}...` : value
}
