/**
 * Text from outside cannot issue workflow commands through a shipped bundle: an input (rollback's
 * `reason`) and a server's answer (a runtime API that replies with commands) go into the log, the
 * annotations and the failure message as text. The harness parses commands as the runner does.
 * (Checked: with neutraliseCommands an identity, the rollback run registers the mask "x" and an
 * "injected" error annotation.)
 */
import { createServer, type Server } from 'node:net'
import { startSandbox, type Sandbox } from '../../scripts/sandbox/index.js'
import { runAction, type ActionRun } from '../harness.js'

const HOSTILE = [
  '::add-mask::x',
  '::error::injected',
  '  ::stop-commands::pwned',
  '##[error]legacy',
  'tail ##[add-mask]0',
]
const visible = (text: string) => text.replace(/\u200b/g, '')

/** Nothing the hostile text says was taken as a command: no mask, no stop, no injected annotation. */
function expectNoInjection(run: ActionRun): void {
  expect(run.masks).toEqual([])
  for (const annotation of run.annotations)
    expect(visible(annotation.message)).not.toMatch(/^(injected|legacy|0)$/)
  expect(run.errors).not.toContain('injected')
  expect(run.errors).not.toContain('legacy')
  // Commands still work after the text: nothing stopped them.
  expect(run.stdout).toMatch(/^::endgroup::$/m)
}

let sandbox: Sandbox
beforeAll(async () => {
  sandbox = await startSandbox({ haproxy: true })
})
afterAll(async () => {
  await sandbox?.stop()
})

test("rollback's reason input is logged as text", async () => {
  const reason = ['bad release', ...HOSTILE].join('\n')
  const run = await runAction('rollback', {
    inputs: { router: sandbox.haproxy!.router, to: 'green', reason, record: 'false', token: '' },
  })
  expect({ exitCode: run.exitCode, errors: run.errors }).toEqual({ exitCode: 0, errors: [] })
  expectNoInjection(run)
  // A person still reads every line of the reason.
  for (const line of HOSTILE) expect(visible(run.log)).toContain(line)
})

describe('a server whose answer holds workflow commands', () => {
  let server: Server
  let address: string
  beforeAll(async () => {
    // Stands in for HAProxy's runtime API: every command gets the hostile text as its answer.
    server = createServer((socket) =>
      socket.once('data', () => socket.end(`${HOSTILE.join('\n')}\n`)),
    )
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as { port: number }).port
    address = `127.0.0.1:${port}`
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  test('fails the step with the answer as text', async () => {
    const router = { ...sandbox.haproxy!.router, address }
    const run = await runAction('blue-green-switch', {
      inputs: { router, to: 'green', record: 'false' },
    })
    expect(run.exitCode).toBe(1)
    expect(run.errors).toHaveLength(1)
    expectNoInjection(run)
    // The failure quotes what the server said, neutralised.
    expect(visible(run.errors[0] ?? '')).toMatch(/injected|legacy|add-mask/)
  })
})
