import type { Log } from '../action-kit/index.js'
import type { RouterConfig } from './config.js'
import { DnsRouter } from './dns.js'
import { FlagdRouter } from './flagd.js'
import { UnleashRouter } from './unleash.js'
import { GroupRouter } from './group.js'
import { HaproxyRouter } from './haproxy.js'
import { KubernetesRouter } from './kubernetes.js'
import { NginxRouter } from './nginx.js'
import type { Router } from './router.js'

/** The one place that maps a router type to its provider; a list of routers becomes one group. */
export function openRouter(
  config: RouterConfig | RouterConfig[],
  options: { log?: Log; env?: Readonly<Record<string, string | undefined>> } = {},
): Router {
  if (Array.isArray(config)) {
    if (config.length === 1) return openRouter(config[0] as RouterConfig, options)
    return new GroupRouter(
      config.map((c) => openRouter(c, options)),
      options,
    )
  }
  switch (config.type) {
    case 'haproxy':
      return new HaproxyRouter(config, options)
    case 'nginx':
      return new NginxRouter(config, options)
    case 'kubernetes':
      return new KubernetesRouter(config, options)
    case 'dns':
      return new DnsRouter(config, options)
    case 'flagd':
      return new FlagdRouter(config, options)
    case 'unleash':
      return new UnleashRouter(config, options)
  }
}
