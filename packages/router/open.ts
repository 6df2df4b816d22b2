import type { RouterConfig } from './config.js'
import { HaproxyRouter } from './haproxy.js'
import { NginxRouter } from './nginx.js'
import type { Router } from './router.js'

/** The one place that maps a router type to its provider. */
export function openRouter(config: RouterConfig): Router {
  switch (config.type) {
    case 'haproxy':
      return new HaproxyRouter(config)
    case 'nginx':
      return new NginxRouter(config)
  }
}
