/**
 * The actions under GitHub's own local runner emulator, @github/local-action. Each action's entry
 * module (actions/<name>/index.ts, and post.ts for a post step) exports `run()`: local-action
 * imports it with its stand-ins for @actions/core and @actions/github and reads inputs from a
 * .env file; dist/<name>/index.js runs the same module on the runner, then exits.
 *
 * Every case runs the same inputs twice, through local-action (`npx local-action run
 * actions/<name> index.ts <file>.env`, as CONTRIBUTING.md says) and through the runner-faithful
 * harness (the dist/ bundle, as the runner runs it), on the same real server state, and compares
 * the exit status, the outputs, the error annotations and the job summary.
 */
import { jest } from '@jest/globals'
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import { openRouter, parseRouterConfig, type Weights } from '../../packages/router/index.js'
import { startSandbox, type Sandbox } from '../../scripts/sandbox/index.js'
import { ROOT, runAction, runnerNode, type ActionRun } from '../harness.js'

const LOCAL_ACTION = join(ROOT, 'node_modules/@github/local-action/bin/local-action.js')
/** local-action compiles the TypeScript sources with tsx on each run: seconds, more under load. */
const RUN_DEADLINE_MS = 150_000
jest.setTimeout(2 * RUN_DEADLINE_MS + 60_000)

/** The GitHub context both runs see (the harness sets the same values). */
const CONTEXT = {
  CI: 'true',
  GITHUB_ACTIONS: 'true',
  GITHUB_REPOSITORY: 'acme/orders',
  GITHUB_REPOSITORY_OWNER: 'acme',
  GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
  GITHUB_REF: 'refs/heads/main',
  GITHUB_REF_NAME: 'main',
  GITHUB_RUN_ID: '4242',
  GITHUB_RUN_NUMBER: '7',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_ACTOR: 'octocat',
  GITHUB_WORKFLOW: 'deploy',
  GITHUB_JOB: 'deploy',
  GITHUB_EVENT_NAME: 'push',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_API_URL: 'https://api.github.com',
  RUNNER_OS: 'Linux',
  RUNNER_ARCH: 'X64',
}

interface LocalRun {
  exitCode: number | null
  outputs: Record<string, string>
  errors: string[]
  summary: string
  stdout: string
  stderr: string
}

/** One `KEY='value'` line of a .env file as dotenv reads it (single quotes keep text as is). */
function envLine(name: string, value: string): string {
  if (value.includes("'")) throw new Error(`${name}: a value with ' cannot be written here`)
  return `${name}='${value}'`
}

/**
 * Runs `local-action run actions/<action> index.ts <env file>` from the repository root on the
 * runner's Node (24), with a deadline. The outputs and error annotations are read from what its
 * @actions/core stand-in prints (`::set-output name=...::`, `::error ...::`), the summary from
 * the GITHUB_STEP_SUMMARY file the .env names.
 */
async function localAction(
  action: string,
  inputs: Record<string, string | object>,
  options: { post?: boolean } = {},
): Promise<LocalRun> {
  const temp = await mkdtemp(join(tmpdir(), `cutover-local-action-${action}-`))
  try {
    const summaryFile = join(temp, 'summary.md')
    await writeFile(summaryFile, '')
    const lines = [
      ...Object.entries({
        ...CONTEXT,
        GITHUB_WORKSPACE: temp,
        RUNNER_TEMP: temp,
        GITHUB_STEP_SUMMARY: summaryFile,
      }).map(([k, v]) => envLine(k, v)),
      ...Object.entries(inputs).map(([name, value]) =>
        envLine(
          `INPUT_${name.toUpperCase()}`,
          typeof value === 'string' ? value : JSON.stringify(value),
        ),
      ),
    ]
    const envFile = join(temp, 'inputs.env')
    await writeFile(envFile, lines.join('\n') + '\n')

    const node = runnerNode('node24')
    const args = [LOCAL_ACTION, 'run', `actions/${action}`, 'index.ts', envFile]
    // local-action reads --post before the action's path, so a relative post path would be
    // taken from the working directory: an absolute one means the same either way.
    if (options.post) args.push('--post', join(ROOT, 'actions', action, 'post.ts'))
    const child = spawn(node, args, {
      cwd: ROOT,
      // A clean environment: no INPUT_* or GITHUB_* of this process; the runner's Node first on
      // PATH, so the `npm exec tsx` local-action starts runs on it too; no colours to parse.
      env: {
        PATH: `${dirname(node)}${delimiter}${process.env.PATH ?? '/usr/bin:/bin'}`,
        HOME: process.env.HOME ?? '/root',
        FORCE_COLOR: '0',
        // `npm exec` and `npm ls` run inside: no update check over the network.
        NPM_CONFIG_UPDATE_NOTIFIER: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    const deadline = setTimeout(() => child.kill('SIGKILL'), RUN_DEADLINE_MS)
    const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((r) =>
      child.once('close', (code, sig) => r([code, sig])),
    ).finally(() => clearTimeout(deadline))
    if (signal) throw new Error(`local-action ended by ${signal}:\n${stdout}\n${stderr}`)
    // local-action prints the outputs once run() has returned: without them the run crashed
    // (e.g. an @actions/core export its stand-in lacks), whatever the exit status.
    if (!stdout.includes('Action Outputs'))
      throw new Error(`local-action did not finish the run:\n${stdout}\n${stderr}`)

    const outputs: Record<string, string> = {}
    const errors: string[] = []
    for (const line of stdout.split('\n')) {
      const output = /^::set-output name=([^:]+)::(.*)$/.exec(line)
      if (output) outputs[output[1]!] = output[2]!
      const error = /^::error(?: [^:]*)?::(.*)$/.exec(line)
      if (error) errors.push(error[1]!)
    }
    return {
      exitCode,
      outputs,
      errors,
      summary: await readFile(summaryFile, 'utf8'),
      stdout,
      stderr,
    }
  } finally {
    await rm(temp, { recursive: true, force: true })
  }
}

/** What both runs must agree on. Multi-line outputs would not survive local-action's log lines. */
function comparable(run: ActionRun | LocalRun) {
  for (const [name, value] of Object.entries(run.outputs))
    if (value.includes('\n')) throw new Error(`output ${name} spans lines: pick a single-line case`)
  return { exitCode: run.exitCode, outputs: run.outputs, errors: run.errors }
}

/** A summary with its durations ("12 ms") and clock times blanked: the rest must be the same. */
const untimed = (summary: string) =>
  summary
    .replace(/\b\d+(?:\.\d+)? ?(?:ms|s)\b/g, '<duration>')
    .replace(/\b\d\d:\d\d:\d\d\b/g, '<time>')

let sandbox: Sandbox
beforeAll(async () => {
  sandbox = await startSandbox({ haproxy: true, prometheus: true })
}, 60_000)
afterAll(async () => {
  await sandbox?.stop()
})

describe('traffic actions on a real HAProxy', () => {
  const router = () => sandbox.haproxy!.router
  const haproxy = () => openRouter(parseRouterConfig(router()))
  const weights = (): Promise<Weights> => haproxy().read()

  test('blue-green-switch to: green: same outputs, exit 0 and weights through local-action and the bundle', async () => {
    const inputs = { router: router(), to: 'green', record: 'false' }

    await haproxy().write({ blue: 100, green: 0 })
    const bundle = await runAction('blue-green-switch', { inputs })
    expect(await weights()).toEqual({ blue: 0, green: 100 })

    await haproxy().write({ blue: 100, green: 0 })
    const local = await localAction('blue-green-switch', inputs)
    expect(await weights()).toEqual({ blue: 0, green: 100 })

    expect(bundle.exitCode).toBe(0)
    expect(bundle.outputs).toMatchObject({ active: 'green', previous: 'blue', switched: 'true' })
    expect(comparable(local)).toEqual(comparable(bundle))
    expect(untimed(local.summary)).toBe(untimed(bundle.summary))
  })

  test('rollback to: blue: same outputs, exit 0 and weights through local-action and the bundle', async () => {
    const inputs = { router: router(), to: 'blue', record: 'false', reason: 'local-action test' }

    await haproxy().write({ blue: 0, green: 100 })
    const bundle = await runAction('rollback', { inputs })
    expect(await weights()).toEqual({ blue: 100, green: 0 })

    await haproxy().write({ blue: 0, green: 100 })
    const local = await localAction('rollback', inputs)
    expect(await weights()).toEqual({ blue: 100, green: 0 })

    expect(bundle.exitCode).toBe(0)
    expect(bundle.outputs).toMatchObject({ active: 'blue', previous: 'green', switched: 'true' })
    expect(comparable(local)).toEqual(comparable(bundle))
    expect(untimed(local.summary)).toBe(untimed(bundle.summary))
  })

  test('canary-step with a bad weight: the same configuration error and exit 1, weights untouched', async () => {
    const inputs = { router: router(), weight: '150', record: 'false' }
    await haproxy().write({ blue: 100, green: 0 })
    const bundle = await runAction('canary-step', { inputs })
    const local = await localAction('canary-step', inputs, { post: true })
    expect(await weights()).toEqual({ blue: 100, green: 0 })

    expect(bundle.exitCode).toBe(1)
    expect(bundle.errors[0]).toMatch(/^Configuration error: Input 'weight'/)
    expect(comparable(local)).toEqual(comparable(bundle))
    // local-action ran the post step after main (as the runner does, post-if: always()): with
    // no walk started it restores nothing, as the bundle's post step says with main's state.
    const post = await runAction('canary-step', { inputs, phase: 'post', state: bundle.state })
    const nothing = 'canary-step post: no walk was started; nothing to restore.'
    expect(post.exitCode).toBe(0)
    expect(post.log).toContain(nothing)
    expect(local.stdout).toContain(nothing)
  })
})

describe('metrics-gate against a real Prometheus', () => {
  const gate = (check: object) => ({
    prometheus: sandbox.prometheus!.url,
    checks: [check],
    count: '1',
    interval: '200ms',
  })
  /** The report's measurements carry the time they were taken (`at`): the rest must agree. */
  const withoutTimes = (run: ActionRun | LocalRun) => {
    const { report, ...rest } = comparable(run).outputs
    const parsed = JSON.parse(report ?? 'null') as { measurements?: object[] } | null
    const strip = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(strip)
        : value && typeof value === 'object'
          ? Object.fromEntries(
              Object.entries(value)
                .filter(([k]) => k !== 'at')
                .map(([k, v]) => [k, strip(v)]),
            )
          : value
    return { exitCode: run.exitCode, errors: run.errors, outputs: rest, report: strip(parsed) }
  }

  test('a passing gate: verdict pass, exit 0, the same report', async () => {
    const inputs = gate({ name: 'constant', query: 'vector(1)', max: 2 })
    const bundle = await runAction('metrics-gate', { inputs })
    const local = await localAction('metrics-gate', inputs)
    expect(bundle.exitCode).toBe(0)
    expect(bundle.outputs.verdict).toBe('pass')
    expect(JSON.parse(bundle.outputs.report!).measurements).toMatchObject([{ value: 1 }])
    expect(withoutTimes(local)).toEqual(withoutTimes(bundle))
    expect(untimed(local.summary)).toBe(untimed(bundle.summary))
  })

  test('a failing gate: verdict fail, exit 1, the same error annotation', async () => {
    const inputs = gate({ name: 'constant', query: 'vector(1)', min: 2 })
    const bundle = await runAction('metrics-gate', { inputs })
    const local = await localAction('metrics-gate', inputs)
    expect(bundle.exitCode).toBe(1)
    expect(bundle.outputs.verdict).toBe('fail')
    expect(bundle.errors[0]).toMatch(/^Deployment failed: metrics gate verdict is fail/)
    expect(withoutTimes(local)).toEqual(withoutTimes(bundle))
  })
})

describe('image actions with bad input', () => {
  test('build-image with an unknown engine: the same configuration error and exit 1', async () => {
    const inputs = { image: 'registry.example/app', engine: 'podman9' }
    const bundle = await runAction('build-image', { inputs })
    const local = await localAction('build-image', inputs)
    expect(bundle.exitCode).toBe(1)
    expect(bundle.errors).toEqual([
      `Configuration error: Input 'engine' has the value "podman9"; allowed: auto, docker, buildah.`,
    ])
    expect(comparable(local)).toEqual(comparable(bundle))
  })

  test('push-registry with a destination that is no image reference: the same error and exit 1', async () => {
    const inputs = {
      source: 'oci-archive:/nonexistent/image.tar',
      destinations: 'not a reference!',
    }
    const bundle = await runAction('push-registry', { inputs })
    const local = await localAction('push-registry', inputs)
    expect(bundle.exitCode).toBe(1)
    expect(bundle.errors[0]).toMatch(/^Configuration error: /)
    expect(comparable(local)).toEqual(comparable(bundle))
  })
})
