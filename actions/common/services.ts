/**
 * Where the router and the service meet: a router whose YAML says `services: [...]` serves only
 * those services, so a step for another service (a forgotten `router:` that fell back to another
 * service's ROUTER variable) is refused before anything is contacted.
 */
import { ConfigurationError, quote } from '../../packages/action-kit/index.js'
import { describeConfig, type RouterConfig } from '../../packages/router/index.js'

/**
 * Throws a ConfigurationError naming the service, each router that does not list it and what it
 * serves; routers without `services:` serve any service. `service` is what the step records
 * under (its `service` input, default the repository's name).
 */
export function checkServiceServed(
  configs: readonly RouterConfig[],
  service: string,
  input = 'router',
): void {
  const refusing = configs
    .map((config, i) => ({ config, i }))
    .filter(({ config }) => config.services !== undefined && !config.services.includes(service))
  if (refusing.length === 0) return
  const where = refusing
    .map(
      ({ config, i }) =>
        `${configs.length > 1 ? `'${input}[${i}]' ` : ''}${describeConfig(config)} serves ${(config.services ?? []).map((s) => quote(s)).join(', ')}`,
    )
    .join('; ')
  throw new ConfigurationError(
    `Input 'service' is ${quote(service)}, but the router does not serve it: ${where} (its 'services:' key). Nothing was changed. Give this service's own router (e.g. the reusable workflows' router-variable: ${service.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_ROUTER), or add ${quote(service)} to that router's services.`,
  )
}
