/**
 * Several services in one environment: a router's `services:` key (packages/router/config.ts)
 * and the refusal of a step for a service it does not list (actions/common/services.ts).
 */
import { parseRouterConfigs } from '../../packages/router/index.js'
import { checkServiceServed } from '../../actions/common/services.js'

const haproxy = (more: Record<string, unknown> = {}) => ({
  type: 'haproxy',
  address: '127.0.0.1:9999',
  backend: 'orders',
  slots: { blue: 'orders-blue', green: 'orders-green' },
  ...more,
})

describe('router services:', () => {
  test.each([
    [{ services: ['orders', 'orders-api'] }, ['orders', 'orders-api']],
    [{ services: 'orders' }, ['orders']],
    [{}, undefined],
  ])('%j parses to %j', (more, services) => {
    const [config] = parseRouterConfigs(haproxy(more))
    expect(config?.services).toEqual(services)
    expect(config?.type).toBe('haproxy')
  })

  test("a Kubernetes router takes it too (the key is the router list's, not the provider's)", () => {
    const [config] = parseRouterConfigs({
      type: 'kubernetes',
      namespace: 'shop',
      route: { httproute: 'orders' },
      slots: {
        blue: { deployment: 'orders-blue', service: 'orders-blue' },
        green: { deployment: 'orders-green', service: 'orders-green' },
      },
      services: ['orders'],
    })
    expect(config?.services).toEqual(['orders'])
  })

  test.each([
    [
      [],
      "Input 'router': 'services' is an empty list; list the services this router serves, e.g. [orders, payments].",
    ],
    [{ orders: true }, "Input 'router': 'services' is a mapping"],
    [
      ['orders', 'orders'],
      `Input 'router': 'services' names "orders" twice; list each service once.`,
    ],
    [['orders', 'has space'], `Input 'router': 'services[1]' is "has space"`],
    [['orders', 7], "Input 'router': 'services[1]' is number 7"],
  ])('refuses services: %j', (services, message) => {
    expect(() => parseRouterConfigs(haproxy({ services }))).toThrow(message)
  })

  test('in a list, the message names the entry', () => {
    expect(() =>
      parseRouterConfigs([haproxy(), haproxy({ address: '127.0.0.1:9998', services: [''] })]),
    ).toThrow(`Input 'router': 'router[1].services[0]' is ""`)
  })
})

describe('checkServiceServed', () => {
  const configs = (...services: (string[] | undefined)[]) =>
    parseRouterConfigs(
      services.map((s, i) =>
        haproxy({ address: `127.0.0.1:${9000 + i}`, ...(s ? { services: s } : {}) }),
      ),
    )

  test.each([
    ['orders', [['orders', 'payments']]],
    ['payments', [['orders', 'payments'], undefined]],
    ['anything', [undefined]],
  ])('%s is served by %j', (service, services) => {
    expect(() => checkServiceServed(configs(...services), service)).not.toThrow()
  })

  test('a service the router does not list is refused, naming the service, the router and what it serves', () => {
    expect(() => checkServiceServed(configs(['orders']), 'payments')).toThrow(
      `Input 'service' is "payments", but the router does not serve it: haproxy 127.0.0.1:9000 backend orders serves "orders" (its 'services:' key). Nothing was changed. Give this service's own router (e.g. the reusable workflows' router-variable: PAYMENTS_ROUTER), or add "payments" to that router's services.`,
    )
  })

  test('in a list, each router that does not list it is named by its entry', () => {
    expect(() =>
      checkServiceServed(configs(['orders', 'payments'], ['orders'], undefined), 'payments'),
    ).toThrow(`'router[1]' haproxy 127.0.0.1:9001 backend orders serves "orders" (its`)
  })
})
