/**
 * rollback refuses bad input before anything moves: the error names the input, the value and
 * what is allowed, whether or not the input would have been used.
 */
import { openRouter, parseRouterConfig } from '../../packages/router/index.js'
import { startSandbox, type Sandbox } from '../../scripts/sandbox/index.js'
import { runAction } from '../harness.js'

let sandbox: Sandbox
beforeAll(async () => {
  sandbox = await startSandbox({ haproxy: true })
})
afterAll(async () => {
  await sandbox?.stop()
})

const router = () => sandbox.haproxy!.router as Record<string, unknown>
const routerOf = () => openRouter(parseRouterConfig(router()))

type Case = [name: string, inputs: () => Record<string, unknown>, error: string | RegExp]

const cases: Case[] = [
  [
    'to: purple',
    () => ({ to: 'purple' }),
    `Input 'to' has the value "purple"; allowed: previous, blue, green.`,
  ],
  [
    'nothing-to-do: ignore',
    () => ({ 'nothing-to-do': 'ignore' }),
    `Input 'nothing-to-do' has the value "ignore"; allowed: fail, succeed.`,
  ],
  [
    'reason too long',
    () => ({ reason: 'x'.repeat(1001) }),
    `Input 'reason' is 1001 characters long; allowed: at most 1000`,
  ],
  [
    'health-checks without health-url is still validated',
    () => ({ 'health-checks': '0' }),
    `Input 'health-checks' has the value "0"; allowed: a whole number from 1 to 100.`,
  ],
  [
    'health-interval without a unit',
    () => ({ 'health-interval': '5' }),
    /Input 'health-interval' has the value "5", which is not a duration/,
  ],
  [
    'health-url not http',
    () => ({ 'health-url': 'file:///etc/passwd' }),
    `Input 'health-url' has the value "file:///etc/passwd"; allowed: an http:// or https:// URL, where {{slot}} stands for the target slot's name.`,
  ],
  [
    'dry-run 1',
    () => ({ 'dry-run': '1' }),
    `Input 'dry-run' has the value "1"; allowed: true or false (any letter case).`,
  ],
  [
    'deployment-id not a number',
    () => ({ 'deployment-id': 'last' }),
    /Input 'deployment-id' has the value "last"; allowed: a whole number/,
  ],
  [
    'service with spaces',
    () => ({ service: 'order service' }),
    `Input 'service' has the value "order service"; allowed: 1 to 100 letters, digits`,
  ],
  [
    'production-environment yes',
    () => ({ 'production-environment': 'yes' }),
    `Input 'production-environment' has the value "yes"; allowed: true or false`,
  ],
  [
    'records on without environment',
    () => ({ to: 'blue', record: 'true', environment: '' }),
    `Input 'environment' is required when records are on (record: true) and was not given`,
  ],
  [
    'previous without environment, even with record: false',
    () => ({ to: 'previous', record: 'false', environment: '' }),
    `Input 'environment' is required with to: previous: its deployment records say where "previous" is.`,
  ],
  [
    'scope: everything',
    () => ({ scope: 'everything' }),
    `Input 'scope' has the value "everything"; allowed: service, deployment.`,
  ],
  [
    'scope: deployment with to: blue',
    () => ({ scope: 'deployment', 'deployment-id': '7' }),
    `Input 'scope' is deployment and input 'to' is blue; scope: deployment undoes only deployment-id's work, as the records show it, so it takes to: previous`,
  ],
  [
    'request-abort: yes',
    () => ({ 'request-abort': 'yes' }),
    `Input 'request-abort' has the value "yes"; allowed: true or false`,
  ],
  [
    'request-abort without a token',
    () => ({ 'request-abort': 'true' }),
    `Input 'request-abort' is true, but input 'token' is empty; request-abort posts the abort request as a status on the walk's deployment`,
  ],
  [
    'request-abort with record: false',
    () => ({ 'request-abort': 'true', record: 'false' }),
    `Input 'request-abort' is true, but input 'record' is false`,
  ],
  [
    'request-abort with scope: deployment',
    () => ({ 'request-abort': 'true', scope: 'deployment', to: 'previous' }),
    `Input 'request-abort' is true and input 'scope' is deployment`,
  ],
  [
    'request-abort with dry-run',
    () => ({ 'request-abort': 'true', 'dry-run': 'true' }),
    `Input 'request-abort' is true and input 'dry-run' is true`,
  ],
  [
    'router list with a bad second router',
    () => ({ router: [router(), { ...router(), address: 'lb' }] }),
    /Input 'router': 'router\[1\]\.address' is "lb"/,
  ],
  [
    'router slots with an unknown slot',
    () => ({
      router: { ...router(), slots: { blue: ['web-blue'], green: ['web-green'], red: ['x'] } },
    }),
    `'slots' has unknown key "red"; allowed: blue, green.`,
  ],
]

describe('rollback refuses bad input; traffic stays on green', () => {
  beforeAll(async () => {
    await routerOf().write({ blue: 0, green: 100 })
  })

  test.each(cases)('%s', async (_name, inputs, error) => {
    const run = await runAction('rollback', {
      inputs: { router: router(), to: 'blue', environment: 'production', ...inputs() } as never,
      token: '',
    })
    expect(run.exitCode).toBe(1)
    expect(run.errors).toHaveLength(1)
    if (typeof error === 'string') expect(run.errors[0]).toContain(error)
    else expect(run.errors[0]).toMatch(error)
    expect(run.outputs).toEqual({})
    expect(await routerOf().read()).toEqual({ blue: 0, green: 100 })
  })
})
