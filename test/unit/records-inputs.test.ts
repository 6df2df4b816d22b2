/** The recording inputs the traffic actions share: every value validated, used or not. */
import { Inputs } from '../../packages/action-kit/index.js'
import { githubContext, readRecordSettings } from '../../actions/common/records-inputs.js'

const context = githubContext({
  GITHUB_REPOSITORY: 'acme/orders',
  GITHUB_SHA: 'abc',
  GITHUB_RUN_ID: '42',
  GITHUB_RUN_ATTEMPT: '2',
})
const read = (given: Record<string, string>) => {
  const secrets: string[] = []
  const settings = readRecordSettings(
    new Inputs((name) => given[name] ?? ''),
    (s) => secrets.push(s),
    context,
  )
  return { settings, secrets }
}

test('the run on GitHub from the runner variables', () => {
  expect(context).toEqual({
    apiUrl: 'https://api.github.com',
    repository: 'acme/orders',
    sha: 'abc',
    runUrl: 'https://github.com/acme/orders/actions/runs/42/attempts/2',
  })
})

test.each<[string, Record<string, string>, object]>([
  [
    'defaults: service is the repository name; production is a production environment',
    { environment: 'production', token: 't0ken' },
    { enabled: true, environment: 'production', production: true, service: 'orders' },
  ],
  ['prod counts as production', { environment: 'Prod' }, { production: true }],
  ['staging is not production', { environment: 'staging' }, { production: false }],
  [
    'production-environment overrides',
    { environment: 'live', 'production-environment': 'true' },
    { production: true },
  ],
  [
    'service given',
    { environment: 'production', service: 'billing-api' },
    { service: 'billing-api' },
  ],
  ['deployment-id', { environment: 'production', 'deployment-id': '1234' }, { deploymentId: 1234 }],
  ['records off: no environment needed', { record: 'false' }, { enabled: false, environment: '' }],
])('%s', (_name, given, expected) => {
  expect(read(given).settings).toEqual(expect.objectContaining(expected))
})

test('the token is masked before use', () => {
  expect(read({ environment: 'production', token: 't0ken' }).secrets).toEqual(['t0ken'])
})

test.each<[string, Record<string, string>, string]>([
  [
    'environment missing with records on',
    {},
    "Input 'environment' is required when records are on (record: true) and was not given",
  ],
  [
    'environment over two lines',
    { environment: 'prod\nuction' },
    `Input 'environment' has the value "prod\\nuction"; allowed: an environment name`,
  ],
  [
    'environment invalid even with records off',
    { record: 'false', environment: 'x'.repeat(300) },
    "Input 'environment' has the value",
  ],
  [
    'production-environment not a boolean',
    { environment: 'production', 'production-environment': 'yes' },
    'Input \'production-environment\' has the value "yes"',
  ],
  [
    'service with a slash',
    { environment: 'production', service: 'orders/api' },
    `Input 'service' has the value "orders/api"; allowed: 1 to 100 letters, digits`,
  ],
  [
    'deployment-id not a number',
    { environment: 'production', 'deployment-id': 'latest' },
    'Input \'deployment-id\' has the value "latest"',
  ],
  [
    'deployment-id zero',
    { environment: 'production', 'deployment-id': '0' },
    'Input \'deployment-id\' has the value "0"',
  ],
  [
    'image with a space',
    { environment: 'production', image: 'a b' },
    `Input 'image' has the value "a b"`,
  ],
  [
    'environment-url with credentials',
    { environment: 'production', 'environment-url': 'https://u:p@x.example' },
    "Input 'environment-url' has a URL with a user name or password in it",
  ],
  [
    'record not a boolean',
    { environment: 'production', record: '1' },
    'Input \'record\' has the value "1"',
  ],
])('refuses %s', (_name, given, message) => {
  expect(() => read(given)).toThrow(message)
})
