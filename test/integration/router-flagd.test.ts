/**
 * The flagd router against flagd's own evaluation engine (@openfeature/flagd-core 4.0.1, the
 * in-process engine of flagd's providers): definitions in a file and in a ConfigMap served by the
 * fake Kubernetes API (validated like the API server), and through canary-step's bundle with a
 * real Prometheus judging the gate. "Users" are 10,000 targeting keys evaluated with flagd-core
 * the way an application's OpenFeature provider does.
 */
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import {
  chmod,
  lstat,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { FlagdCore } from '@openfeature/flagd-core'
import { fileStore } from '../../packages/router/flagd.js'
import { KubernetesApi } from '../../packages/router/kubernetes-api.js'
import {
  openRouter,
  parseRouterConfig,
  parseRouterConfigs,
  type Router,
  type Weights,
} from '../../packages/router/index.js'
import { moveTowardSafety } from '../../packages/traffic/move.js'
import { startFakeKubernetes, type FakeKubernetes } from '../../scripts/sandbox/fake-kubernetes.js'
import { startSandbox, type Sandbox } from '../../scripts/sandbox/index.js'
import { ROOT, runAction as run, startAction as start, type RunOptions } from '../harness.js'

const execFileAsync = promisify(execFile)
const FLAG = 'new-checkout'
/** The Role the README shows for a ConfigMap; the fake enforces exactly it. */
const ROLE = readFileSync(join(ROOT, 'scripts/sandbox/kubernetes/flagd-role.yaml'), 'utf8')
const definitions = (flag: object = {}) => ({
  $schema: 'https://flagd.dev/schema/v0/flags.json',
  flags: {
    [FLAG]: {
      state: 'ENABLED',
      variants: { on: true, off: false },
      defaultVariant: 'off',
      ...flag,
    },
    'dark-mode': {
      state: 'ENABLED',
      variants: { dark: 'dark', light: 'light' },
      defaultVariant: 'light',
      targeting: { if: [{ in: [{ var: 'targetingKey' }, ['user-1', 'user-2']] }, 'dark'] },
    },
  },
})

/** Which of 10,000 users see the flag on, as an app's flagd provider evaluates the text. */
function usersOn(text: string, flag = FLAG): Set<number> {
  const core = new FlagdCore()
  core.setConfigurations(text)
  const on = new Set<number>()
  for (let i = 0; i < 10_000; i++) {
    const r = core.resolveBooleanEvaluation(flag, false, { targetingKey: `user-${i}` })
    if (r.errorCode) throw new Error(`user-${i}: ${r.errorCode} ${r.errorMessage}`)
    if (r.value) on.add(i)
  }
  return on
}

let dir: string
let file: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cutover-flagd-'))
  file = join(dir, 'flags.json')
  await writeFile(file, `${JSON.stringify(definitions(), null, 2)}\n`)
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const fileRouter = (extra: object = {}) => ({ type: 'flagd', flag: FLAG, file, ...extra })
const open = (config: object, env?: Record<string, string>): Router =>
  openRouter(parseRouterConfig(config), env ? { env } : {})

describe('a definitions file', () => {
  test('a walk 1 → 5 → 25 → 100: 10,000 users see the flag on within 1 pp of each step, and users once on stay on', async () => {
    const router = open(fileRouter())
    expect(await router.read()).toEqual({ blue: 100, green: 0 })
    let before = new Set<number>()
    for (const green of [1, 5, 25, 100]) {
      const target: Weights = { blue: 100 - green, green }
      await router.write(target)
      expect(await router.read()).toEqual(target)
      const on = usersOn(await readFile(file, 'utf8'))
      expect(Math.abs(on.size / 100 - green)).toBeLessThanOrEqual(1)
      for (const u of before) expect(on.has(u)).toBe(true)
      before = on
    }
    expect(before.size).toBe(10_000)
    // The other flag is untouched.
    const written = JSON.parse(await readFile(file, 'utf8')) as ReturnType<typeof definitions>
    expect(written.flags['dark-mode']).toEqual(definitions().flags['dark-mode'])
    expect(written.flags[FLAG]).toEqual({
      state: 'ENABLED',
      variants: { on: true, off: false },
      defaultVariant: 'off',
      targeting: {
        fractional: [
          ['on', 100],
          ['off', 0],
        ],
      },
    })
    // Rollback: off for everyone.
    await router.write({ blue: 100, green: 0 })
    expect(usersOn(await readFile(file, 'utf8')).size).toBe(0)
  }, 120_000)

  test('the write is atomic: a new file renamed into place, its mode and look kept, a symlink followed and kept, no temp file left', async () => {
    await writeFile(file, JSON.stringify(definitions(), null, 4))
    await chmod(file, 0o640)
    const link = join(dir, 'current.json')
    await symlink(file, link)
    const inode = (await stat(file)).ino
    await open(fileRouter({ file: link })).write({ blue: 90, green: 10 })
    expect((await lstat(link)).isSymbolicLink()).toBe(true)
    const after = await stat(file)
    expect(after.ino).not.toBe(inode)
    expect(after.mode & 0o777).toBe(0o640)
    expect((await readdir(dir)).sort()).toEqual(['current.json', 'flags.json'])
    // Its look is kept: four-space indentation, no newline at the end.
    const text = await readFile(file, 'utf8')
    expect(text.startsWith('{\n    "$schema": ')).toBe(true)
    expect(text.endsWith('}')).toBe(true)
    expect(await open(fileRouter()).read()).toEqual({ blue: 90, green: 10 })
  })

  test('variants other than off/on: the labels name the slots (servers) and the rule', async () => {
    await writeFile(
      file,
      JSON.stringify({
        flags: {
          checkout: {
            state: 'ENABLED',
            variants: { control: false, treatment: true },
            defaultVariant: 'control',
          },
        },
      }),
    )
    const router = open({
      type: 'flagd',
      flag: 'checkout',
      file,
      variants: { off: 'control', on: 'treatment' },
    })
    expect(await router.servers()).toEqual({
      blue: [{ name: 'control', address: file }],
      green: [{ name: 'treatment', address: file }],
    })
    await router.write({ blue: 75, green: 25 })
    const on = usersOn(await readFile(file, 'utf8'), 'checkout')
    expect(Math.abs(on.size / 100 - 25)).toBeLessThanOrEqual(1)
  })

  test.each<[string, object | string, object, Weights, string]>([
    [
      'an unknown flag',
      definitions(),
      { flag: 'new-chekout' },
      { blue: 95, green: 5 },
      'the definitions have no flag "new-chekout"; their flags are: "new-checkout", "dark-mode"',
    ],
    [
      'a variant the flag lacks',
      definitions(),
      { variants: { on: 'enabled' } },
      { blue: 95, green: 5 },
      `has no variant "enabled" (the router's variants.on)`,
    ],
    [
      'targeting cutover did not write',
      definitions({ targeting: { in: [{ var: 'email' }, ['a@example.com']] } }),
      {},
      { blue: 95, green: 5 },
      'has targeting cutover did not write',
    ],
    [
      'a DISABLED flag',
      definitions({ state: 'DISABLED' }),
      {},
      { blue: 95, green: 5 },
      'has state "DISABLED"',
    ],
    [
      'YAML, not JSON',
      'flags:\n  new-checkout:\n    state: ENABLED\n',
      {},
      { blue: 95, green: 5 },
      'is not JSON',
    ],
    [
      'a percentage over 100',
      definitions(),
      {},
      { blue: -1, green: 101 },
      'must be a whole number from 0 to 100, got -1',
    ],
    [
      'a percentage that is not whole',
      definitions(),
      {},
      { blue: 97.5, green: 2.5 },
      'must be a whole number from 0 to 100',
    ],
  ])('%s is refused and the file is unchanged', async (_, content, extra, target, message) => {
    const text = typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`
    await writeFile(file, text)
    const before = await stat(file)
    await expect(open(fileRouter(extra)).write(target)).rejects.toThrow(message)
    expect(await readFile(file, 'utf8')).toBe(text)
    expect((await stat(file)).ino).toBe(before.ino)
    expect((await readdir(dir)).sort()).toEqual(['flags.json'])
  })

  test('a list of two definitions files (two clusters) moves as one: both at 10%, and a second file with foreign targeting stops both before anything is written', async () => {
    const second = join(dir, 'flags-2.json')
    await writeFile(second, `${JSON.stringify(definitions(), null, 2)}\n`)
    const pair = openRouter(parseRouterConfigs([fileRouter(), fileRouter({ file: second })]))
    await pair.write({ blue: 90, green: 10 })
    expect(await open(fileRouter()).read()).toEqual({ blue: 90, green: 10 })
    expect(await open(fileRouter({ file: second })).read()).toEqual({ blue: 90, green: 10 })

    const foreign = `${JSON.stringify(definitions({ targeting: { in: [{ var: 'email' }, ['a@example.com']] } }), null, 2)}\n`
    await writeFile(second, foreign)
    const first = await readFile(file, 'utf8')
    const inode = (await stat(file)).ino
    await expect(pair.write({ blue: 50, green: 50 })).rejects.toThrow(
      'has targeting cutover did not write',
    )
    expect(await readFile(file, 'utf8')).toBe(first)
    expect((await stat(file)).ino).toBe(inode)
    expect(await readFile(second, 'utf8')).toBe(foreign)
  })

  test("someone else's edit between cutover's read and its write: nothing is written, their edit is kept", async () => {
    const store = fileStore(file, 5000)
    const read = await store.load()
    const theirs = `${JSON.stringify(definitions({ metadata: { owner: 'someone' } }), null, 2)}\n`
    await writeFile(file, theirs)
    await expect(store.save('{"flags": {}}\n', read.version)).rejects.toThrow(
      `${file} changed between cutover's read and its write (someone else edited it); nothing was written`,
    )
    expect(await readFile(file, 'utf8')).toBe(theirs)
    expect((await readdir(dir)).sort()).toEqual(['flags.json'])
  })

  test('definitions that cannot be read mid-walk: the error says what the flag holds now is unknown and what it held at its last read', async () => {
    const router = open(fileRouter())
    await router.write({ blue: 95, green: 5 })
    await rm(file)
    const error = (await router.read().catch((e: Error) => e)) as Error
    expect(error.message).toContain(`the definitions file ${file} does not exist`)
    expect(error.message).toMatch(
      /what the flag holds now is unknown \(it held blue 95% \/ green 5% at its last read, \d{4}-/,
    )
  })

  test('flag disabled mid-walk: rollback still writes 0 and keeps it disabled; a raise stays refused', async () => {
    const warnings: string[] = []
    const log = { info() {}, debug() {}, warning: (m: string) => void warnings.push(m) }
    const router = openRouter(parseRouterConfig(fileRouter()), { log })
    await router.write({ blue: 70, green: 30 })
    const exposed = usersOn(await readFile(file, 'utf8'))
    expect(Math.abs(exposed.size / 100 - 30)).toBeLessThanOrEqual(1)
    // Someone disables the flag by hand mid-walk.
    const doc = JSON.parse(await readFile(file, 'utf8')) as ReturnType<typeof definitions>
    doc.flags[FLAG].state = 'DISABLED'
    await writeFile(file, `${JSON.stringify(doc, null, 2)}\n`)
    // A raise is refused with nothing changed.
    const disabledText = await readFile(file, 'utf8')
    await expect(router.write({ blue: 50, green: 50 })).rejects.toThrow(
      'while it is DISABLED cutover writes only a move to 0 (a rollback), never a raise; nothing was changed',
    )
    expect(await readFile(file, 'utf8')).toBe(disabledText)
    // The rollback, as canary-step makes it (write, then read): written at 0, still DISABLED.
    const moved = await moveTowardSafety(router, { blue: 100, green: 0 }, log)
    expect(moved).toEqual({ after: { blue: 100, green: 0 }, unreached: [] })
    const written = JSON.parse(await readFile(file, 'utf8')) as ReturnType<typeof definitions>
    expect(written.flags[FLAG]).toEqual({
      state: 'DISABLED',
      variants: { on: true, off: false },
      defaultVariant: 'off',
      targeting: {
        fractional: [
          ['on', 0],
          ['off', 100],
        ],
      },
    })
    expect(written.flags['dark-mode']).toEqual(definitions().flags['dark-mode'])
    expect(warnings.join('\n')).toContain(`flag ${FLAG} in ${file} is DISABLED`)
    // While DISABLED, flagd serves the code default (reason DISABLED) to everyone...
    const core = new FlagdCore()
    core.setConfigurations(JSON.stringify(written))
    expect(core.resolveBooleanEvaluation(FLAG, false, { targetingKey: 'user-1' })).toMatchObject({
      value: false,
      reason: 'DISABLED',
    })
    // ...and re-enabling it exposes nobody of those the walk had exposed.
    written.flags[FLAG].state = 'ENABLED'
    expect(usersOn(JSON.stringify(written)).size).toBe(0)
  }, 60_000)

  test('a missing file is refused naming it; nothing is created', async () => {
    const missing = join(dir, 'nope.json')
    await expect(open(fileRouter({ file: missing })).read()).rejects.toThrow(
      `the definitions file ${missing} does not exist`,
    )
    await expect(
      open(fileRouter({ file: missing })).write({ blue: 0, green: 100 }),
    ).rejects.toThrow('does not exist')
    expect((await readdir(dir)).sort()).toEqual(['flags.json'])
  })
})

describe('deadlines', () => {
  test('a definitions file nobody answers for (a FIFO without a writer) is cut off at the timeout', async () => {
    const fifo = join(dir, 'fifo.json')
    await execFileAsync('mkfifo', [fifo])
    try {
      await expect(open(fileRouter({ file: fifo, timeout: '1s' })).read()).rejects.toThrow(
        `reading ${fifo}: not done within the router's timeout of 1s`,
      )
    } finally {
      // Unblocks the read still waiting for a writer, so no thread stays stuck.
      await writeFile(fifo, '')
    }
  })
})

describe('a ConfigMap through the Kubernetes API (fake API server)', () => {
  let fake: FakeKubernetes
  const configMap = (data: Record<string, string>, extra: object = {}) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'flags', namespace: 'shop' },
    data,
    ...extra,
  })
  const cmRouter = (extra: object = {}) => ({
    type: 'flagd',
    flag: FLAG,
    configmap: { namespace: 'shop', name: 'flags', key: 'flags.json' },
    ...extra,
  })
  const stored = () =>
    (fake.get('configmaps', 'flags') as unknown as { data: Record<string, string> }).data[
      'flags.json'
    ] as string
  beforeAll(async () => {
    fake = await startFakeKubernetes({ role: ROLE })
  }, 30_000)
  afterAll(async () => {
    await fake?.stop()
  })
  beforeEach(() => {
    fake.put(configMap({ 'flags.json': JSON.stringify(definitions(), null, 2) }) as never)
    fake.requests.length = 0
    fake.beforeRequest = undefined
    fake.hangUp = undefined
  })
  const env = () => ({ KUBECONFIG: fake.kubeconfig })

  test('a walk 5 → 50: one JSON patch pinned to the resourceVersion read, read back, 10,000 users within 1 pp', async () => {
    const router = open(cmRouter(), env())
    expect(await router.read()).toEqual({ blue: 100, green: 0 })
    for (const green of [5, 50]) {
      await router.write({ blue: 100 - green, green })
      const on = usersOn(stored())
      expect(Math.abs(on.size / 100 - green)).toBeLessThanOrEqual(1)
    }
    const patches = fake.requests.filter((r) => r.verb === 'patch')
    expect(patches).toHaveLength(2)
    expect(patches[0]).toMatchObject({
      resource: 'configmaps',
      name: 'flags',
      contentType: 'application/json-patch+json',
      status: 200,
    })
    expect(
      (patches[0]?.body as { op: string; path: string }[]).map((o) => `${o.op} ${o.path}`),
    ).toEqual(['replace /metadata/resourceVersion', 'replace /data/flags.json'])
    expect(fake.violations).toEqual([])
    expect(router.notes.join('\n')).toContain('when the kubelet refreshes the mounted volume')
  })

  test('a kept-alive connection the API server closes as idle just as it is reused: a GET is sent once more, a PATCH never', async () => {
    const router = open(cmRouter(), env())
    expect(await router.read()).toEqual({ blue: 100, green: 0 })
    const hungUp: string[] = []
    const hangUp =
      (verbs: string[], times: number, fresh = false) =>
      (r: { verb: string; reused: boolean }) => {
        if ((!r.reused && !fresh) || !verbs.includes(r.verb) || hungUp.length >= times) return false
        hungUp.push(r.verb)
        return true
      }
    try {
      // The write's first GET goes out on the kept-alive socket, which the server closes.
      fake.hangUp = hangUp(['get'], 1)
      await router.write({ blue: 95, green: 5 })
      expect(hungUp).toEqual(['get'])
      expect(await router.read()).toEqual({ blue: 95, green: 5 })
      // Once only: the GET sent again (on a new connection) closed too is an error naming the server.
      hungUp.length = 0
      fake.hangUp = hangUp(['get'], 2, true)
      await expect(router.read()).rejects.toThrow(
        /get ConfigMap shop\/flags: cannot reach the Kubernetes API server https:\/\/127\.0\.0\.1:\d+: .*(ECONNRESET|socket hang up)/,
      )
      expect(hungUp).toEqual(['get', 'get'])
      // A PATCH is not idempotent: never sent twice; the step says the write failed.
      hungUp.length = 0
      fake.hangUp = hangUp(['patch'], 2)
      const before = stored()
      await expect(router.write({ blue: 50, green: 50 })).rejects.toThrow(
        /writing ConfigMap shop\/flags key flags\.json failed \(patch ConfigMap shop\/flags: cannot reach .*\); the flag now holds blue 95% \/ green 5%/,
      )
      expect(hungUp).toEqual(['patch'])
      expect(stored()).toBe(before)
    } finally {
      fake.hangUp = undefined
    }
  })

  test('an API server that drips its answer is cut off at the timeout; nothing is written', async () => {
    fake.drip = (r) => r.resource === 'configmaps'
    try {
      await expect(
        open(cmRouter({ timeout: '1s' }), env()).write({ blue: 50, green: 50 }),
      ).rejects.toThrow(
        /get ConfigMap shop\/flags: the Kubernetes API server \S+ did not complete the exchange within 1 s/,
      )
    } finally {
      fake.drip = undefined
    }
    expect(fake.requests.filter((r) => r.verb === 'patch')).toEqual([])
  })

  test('the fake API server refuses to change an immutable ConfigMap (422), as Kubernetes does; cutover can still read it', async () => {
    fake.put(
      configMap({ 'flags.json': JSON.stringify(definitions()) }, { immutable: true }) as never,
    )
    const api = await KubernetesApi.open({ namespace: 'shop', timeout: 5000 }, { env: env() })
    const cm = await api.getConfigMap('flags')
    await expect(
      api.patchConfigMap('flags', [
        { op: 'replace', path: '/metadata/resourceVersion', value: cm.metadata.resourceVersion },
        { op: 'replace', path: '/data/flags.json', value: '{"flags": {}}' },
      ]),
    ).rejects.toThrow(
      'patch ConfigMap shop/flags: 422 Invalid: ConfigMap "flags" is invalid: data: Forbidden: field is immutable when `immutable` is set',
    )
    expect(fake.violations).toEqual(['ConfigMap flags: changed while immutable'])
    fake.violations.length = 0
    expect(await open(cmRouter(), env()).read()).toEqual({ blue: 100, green: 0 })
  })

  test('the fake API server validates ConfigMaps like Kubernetes: a value that is not a string, a bad key, more than 1 MiB (422)', async () => {
    const api = await KubernetesApi.open({ namespace: 'shop', timeout: 5000 }, { env: env() })
    for (const [path, value, said] of [
      ['/data/flags.json', 42, 'data/flags.json must be string'],
      ['/data/bad~1key', '{}', 'a valid config key must consist of alphanumeric characters'],
      ['/data/flags.json', 'x'.repeat(1024 * 1024 + 1), 'must have at most 1048576 bytes'],
    ] as const) {
      const cm = await api.getConfigMap('flags')
      await expect(
        api.patchConfigMap('flags', [
          { op: 'replace', path: '/metadata/resourceVersion', value: cm.metadata.resourceVersion },
          { op: path.includes('bad') ? 'add' : 'replace', path, value },
        ]),
      ).rejects.toThrow(said)
    }
    expect(fake.violations).toHaveLength(3)
    fake.violations.length = 0
    expect(await open(cmRouter(), env()).read()).toEqual({ blue: 100, green: 0 })
  })

  test("someone else's edit between cutover's read and its write: 409, nothing overwritten, their edit kept", async () => {
    const router = open(cmRouter(), env())
    fake.beforeRequest = (r) => {
      if (r.verb !== 'patch') return
      fake.beforeRequest = undefined
      fake.edit('configmaps', 'flags', (o) => {
        ;(o as unknown as { data: Record<string, string> }).data['flags.json'] = JSON.stringify(
          definitions({ defaultVariant: 'off', metadata: { owner: 'someone' } }),
        )
      })
    }
    await expect(router.write({ blue: 90, green: 10 })).rejects.toThrow(
      "the ConfigMap changed between cutover's read and its write",
    )
    expect(JSON.parse(stored()).flags[FLAG].metadata).toEqual({ owner: 'someone' })
    expect(await router.read()).toEqual({ blue: 100, green: 0 })
  })

  test.each<[string, () => void, object, string]>([
    [
      'a key the ConfigMap lacks',
      () => {},
      { configmap: { namespace: 'shop', name: 'flags', key: 'flags.yaml' } },
      'the ConfigMap has no key "flags.yaml" in its data; its keys are: "flags.json"',
    ],
    [
      'a ConfigMap that does not exist',
      () => fake.setRole(ROLE.replace('[flags]', '[flags, other]')),
      { configmap: { namespace: 'shop', name: 'other', key: 'flags.json' } },
      'ConfigMap shop/other key flags.json: the ConfigMap does not exist in namespace shop',
    ],
    [
      'an immutable ConfigMap',
      () =>
        fake.put(
          configMap({ 'flags.json': JSON.stringify(definitions()) }, { immutable: true }) as never,
        ),
      {},
      'the ConfigMap is immutable',
    ],
    [
      'a Role without patch',
      () => fake.setRole(ROLE.replace('[get, patch]', '[get]')),
      {},
      'patch ConfigMap shop/flags: 403 Forbidden: configmaps "flags" is forbidden: User "system:serviceaccount:shop:cutover" cannot patch resource "configmaps"',
    ],
  ])('%s is refused; the ConfigMap is unchanged', async (_, arrange, extra, message) => {
    arrange()
    const before = stored()
    await expect(open(cmRouter(extra), env()).write({ blue: 50, green: 50 })).rejects.toThrow(
      message,
    )
    expect(stored()).toBe(before)
    fake.setRole(ROLE)
  })
})

describe("through canary-step's bundle, judged on a real Prometheus", () => {
  let sandbox: Sandbox
  beforeAll(async () => {
    sandbox = await startSandbox({ prometheus: true })
  }, 120_000)
  afterAll(async () => {
    await sandbox?.stop()
  })
  const runAction = (options: RunOptions) =>
    run('canary-step', { ...options, inputs: { record: 'false', ...options.inputs } })
  // The gate's query: a constant, so the verdict does not depend on an app here.
  const gate = (value: number) => ({
    prometheus: sandbox.prometheus!.url,
    interval: '1s',
    checks: [{ name: 'error-rate', query: `vector(${value})`, max: 0.05 }],
  })

  test('a failing gate at 5%: the flag goes back to 0 for every user, the step fails with rolled-back=true', async () => {
    const r = await runAction({
      inputs: { router: fileRouter(), steps: '5,25,100', interval: '1s', gate: gate(0.5) },
    })
    expect(r.exitCode).toBe(1)
    expect(r.outputs['rolled-back']).toBe('true')
    expect(r.outputs.verdict).toBe('fail')
    expect(r.log).toContain('flagd-core (the flagd evaluation engine) puts')
    expect(await open(fileRouter()).read()).toEqual({ blue: 100, green: 0 })
    expect(usersOn(await readFile(file, 'utf8')).size).toBe(0)
  }, 120_000)

  test('a passing gate walks 10 → 100: every user sees the flag on', async () => {
    const r = await runAction({
      inputs: { router: fileRouter(), steps: '10,100', interval: '1s', gate: gate(0) },
    })
    expect(r.errors).toEqual([])
    expect(r.exitCode).toBe(0)
    expect(r.outputs).toMatchObject({ weight: '100', canary: 'green', 'rolled-back': 'false' })
    expect(usersOn(await readFile(file, 'utf8')).size).toBe(10_000)
  }, 120_000)

  test('a walk killed mid-step: the post step turns the flag off for every user', async () => {
    const running = await start('canary-step', {
      inputs: { router: fileRouter(), steps: '10,50,100', interval: '60s', record: 'false' },
    })
    await running.waitForLog('step 1/3: canary green at 10%')
    running.child.kill('SIGKILL')
    const main = await running.done
    expect(main.signal).toBe('SIGKILL')
    expect(await open(fileRouter()).read()).toEqual({ blue: 90, green: 10 })
    const post = await runAction({
      phase: 'post',
      state: main.state,
      inputs: { router: fileRouter(), steps: '10,50,100' },
    })
    expect(post.exitCode).toBe(0)
    expect(post.log).toContain('restoring stable blue to 100%')
    expect(usersOn(await readFile(file, 'utf8')).size).toBe(0)
  }, 120_000)

  test('flagd-core is a chunk of the bundle of its own, loaded only by a flagd router', async () => {
    const shared = join(ROOT, 'dist', 'shared')
    const chunks = (await readdir(shared)).filter((f) => f.endsWith('.js'))
    const MARK = 'invalid flagd flag configuration'
    const holding = []
    for (const f of chunks)
      if ((await readFile(join(shared, f), 'utf8')).includes(MARK)) holding.push(f)
    expect(holding).toHaveLength(1)
    expect(holding).not.toContain('index.js')
  })

  test('a weight outside 0–100 is refused before anything changes', async () => {
    const text = await readFile(file, 'utf8')
    const r = await runAction({ inputs: { router: fileRouter(), weight: 101 } })
    expect(r.exitCode).toBe(1)
    expect(r.errors.join('\n')).toMatch(/weight/)
    expect(await readFile(file, 'utf8')).toBe(text)
  })
})
