/**
 * build-image and push-registry through their bundles, on real buildah (chroot isolation, vfs
 * storage), skopeo and two docker-registry instances with htpasswd auth and TLS from a test CA.
 */
import { mkdtempSync, mkdirSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startRegistries, type RegistryLab } from '../../scripts/sandbox/registry.js'
import { runAction, type ActionRun } from '../harness.js'

let lab: RegistryLab
let workspace: string
beforeAll(async () => {
  lab = await startRegistries(2)
  workspace = mkdtempSync(join(tmpdir(), 'cutover-image-ws-'))
  mkdirSync(join(workspace, 'app'))
  writeFileSync(
    join(workspace, 'app/Dockerfile'),
    `FROM ${lab.baseImage} AS build\nARG GREETING=hello\nRUN echo "$GREETING from cutover" > /greeting.txt\n\nFROM scratch\nCOPY --from=build /greeting.txt /greeting.txt\n`,
  )
  writeFileSync(join(workspace, 'app/Broken.Dockerfile'), `FROM ${lab.baseImage}\nRUN exit 3\n`)
}, 120_000)
afterAll(async () => {
  await lab?.stop()
})

const auth = (i: number) => ({
  registry: lab.registries[i]!.host,
  username: lab.registries[i]!.username,
  password: lab.registries[i]!.password,
})
const build = (inputs: Record<string, string> = {}) =>
  runAction('build-image', {
    workspace,
    env: lab.env,
    inputs: { image: 'localhost/orders', context: 'app', engine: 'buildah', ...inputs },
  })
const push = (inputs: Record<string, unknown>) =>
  runAction('push-registry', {
    workspace,
    env: lab.env,
    inputs: { 'certs-dir': lab.certsDir, retries: '1', ...inputs } as never,
  })
/** Everything a person or a log collector could see of a run, except the runner's own mask command. */
const visible = (run: ActionRun) =>
  [run.stdout.replace(/^::add-mask::.*$/gm, ''), run.stderr, run.summary].join('\n')

let built: ActionRun
test('buildah builds a multi-stage Dockerfile with a RUN step into an OCI archive', async () => {
  built = await build({ 'build-args': 'GREETING=hi', tags: 'sha-0123456\nmain' })
  expect(built.errors).toEqual([])
  expect(built.exitCode).toBe(0)
  expect(built.outputs.digest).toMatch(/^sha256:[a-f0-9]{64}$/)
  expect(existsSync(built.outputs.archive ?? '')).toBe(true)
  expect(built.outputs.tags).toBe('localhost/orders:sha-0123456\nlocalhost/orders:main')
  const metadata = JSON.parse(built.outputs.metadata ?? '{}')
  expect(metadata).toEqual(
    expect.objectContaining({ engine: 'buildah', digest: built.outputs.digest }),
  )
  expect(metadata.labels).toEqual(
    expect.objectContaining({
      'org.opencontainers.image.source': 'https://github.com/acme/orders',
      'org.opencontainers.image.revision': '0123456789abcdef0123456789abcdef01234567',
      'org.opencontainers.image.version': 'sha-0123456',
    }),
  )
  expect(built.log).toMatch(/STEP \d\/\d: RUN echo/)
  expect(built.summary).toContain(built.outputs.digest)
})

test('reproducible: true builds twice to the same digest', async () => {
  const first = await build({ reproducible: 'true', tags: 'r1' })
  const second = await build({ reproducible: 'true', tags: 'r1' })
  expect(first.exitCode).toBe(0)
  expect(second.outputs.digest).toBe(first.outputs.digest)
})

test('push to two TLS registries with auth: same digest everywhere, equal to the archive; a re-push uploads no layer', async () => {
  const [one, two] = lab.registries as [
    NonNullable<RegistryLab['registries'][0]>,
    NonNullable<RegistryLab['registries'][0]>,
  ]
  const destinations = `${one.host}/acme/orders:v1\n${two.host}/mirror/orders:v1`
  const first = await push({
    source: built.outputs.archive!,
    destinations,
    'registry-auth': [auth(0), auth(1)],
  })
  expect(first.errors).toEqual([])
  expect(first.exitCode).toBe(0)
  expect(first.outputs.digest).toBe(built.outputs.digest)
  expect(first.outputs.refs).toBe(
    `${one.host}/acme/orders@${built.outputs.digest}\n${two.host}/mirror/orders@${built.outputs.digest}`,
  )
  expect(first.log).toContain(`${one.host}/acme/orders:v1 holds ${built.outputs.digest} (verified)`)
  // Credentials went through a temporary auth file, removed when the step ended.
  expect(first.stdout).not.toMatch(/--creds|--password/)
  expect(existsSync(first.state['auth-file'] ?? '/nonexistent')).toBe(false)
  for (const i of [0, 1]) expect(visible(first)).not.toContain(auth(i).password)

  const uploadsBefore = await one.uploads()
  const again = await push({
    source: built.outputs.archive!,
    destinations: `${one.host}/acme/orders:v1`,
    'registry-auth': [auth(0)],
  })
  expect(again.exitCode).toBe(0)
  expect(await one.uploads()).toBe(uploadsBefore)
})

test('promote by digest from one registry to another, without the archive', async () => {
  const [one, two] = lab.registries as [
    NonNullable<RegistryLab['registries'][0]>,
    NonNullable<RegistryLab['registries'][0]>,
  ]
  const run = await push({
    source: `${one.host}/acme/orders@${built.outputs.digest}`,
    destinations: `${two.host}/prod/orders:v1`,
    'registry-auth': [auth(0), auth(1)],
  })
  expect(run.errors).toEqual([])
  expect(run.outputs.digest).toBe(built.outputs.digest)
})

test('a wrong password: a clear auth error, and the password appears nowhere', async () => {
  const wrong = { ...auth(0), password: 'not-the-password-9f8e7d' }
  const run = await push({
    source: built.outputs.archive!,
    destinations: `${lab.registries[0]!.host}/acme/orders:v2`,
    'registry-auth': [wrong],
  })
  expect(run.exitCode).toBe(1)
  expect(run.errors[0]).toContain(
    `registry ${lab.registries[0]!.host} refused the credentials for ${lab.registries[0]!.host}/acme/orders:v2 (unauthorized)`,
  )
  expect(run.stdout).toContain('::add-mask::not-the-password-9f8e7d')
  expect(visible(run)).not.toContain('not-the-password-9f8e7d')
})

test('a registry that is down: retried, then a clear error', async () => {
  const run = await push({
    source: built.outputs.archive!,
    destinations: '127.0.0.1:1/acme/orders:v1',
    retries: '2',
  })
  expect(run.exitCode).toBe(1)
  expect(run.log).toContain('copying to 127.0.0.1:1/acme/orders:v1 (attempt 3/3)')
  expect(run.errors[0]).toContain('could not push to 127.0.0.1:1/acme/orders:v1 after 3 attempts')
})

describe('bad input is refused before anything runs', () => {
  test.each([
    [
      'build-image',
      { image: 'localhost/Orders' },
      `Input 'image' has the value "localhost/Orders"; allowed: an image name in lower case`,
    ],
    [
      'build-image',
      { image: 'localhost/orders:1.0' },
      `Input 'image' has the value "localhost/orders:1.0"; allowed: an image name without tag or digest`,
    ],
    ['build-image', { image: '' }, `Input 'image' is required and was not given.`],
    ['build-image', { context: 'missing-dir' }, `Input 'context' is`],
    ['build-image', { file: 'app/Nope.Dockerfile' }, `Input 'file' is`],
    [
      'build-image',
      { engine: 'podman' },
      `Input 'engine' has the value "podman"; allowed: auto, docker, buildah.`,
    ],
    ['build-image', { cache: 'gha' }, `Input 'cache' is "gha", which only docker buildx supports`],
    ['build-image', { tags: 'Latest' }, `Input 'tags' has "Latest"`],
    [
      'build-image',
      { 'build-args': 'NOEQUALS' },
      `Input 'build-args' has the line "NOEQUALS"; allowed: KEY=VALUE, one per line.`,
    ],
    [
      'build-image',
      { platforms: 'amd64' },
      `Input 'platforms' has "amd64"; allowed: os/arch[/variant]`,
    ],
    [
      'build-image',
      { reproducible: 'yes' },
      `Input 'reproducible' has the value "yes"; allowed: true or false`,
    ],
    [
      'build-image',
      { file: 'app/Broken.Dockerfile' },
      `building at STEP "RUN exit 3": exit status 3`,
    ],
    [
      'push-registry',
      { source: 'missing.tar', destinations: 'r.local/a:1' },
      `Input 'source' is "missing.tar", which is neither an existing OCI archive nor registry/repo@sha256:...`,
    ],
    [
      'push-registry',
      { source: 'r.local/a@sha256:abc', destinations: 'r.local/a:1' },
      `Input 'source' has the value "r.local/a@sha256:abc": the digest must be sha256: and 64 hex digits`,
    ],
    [
      'push-registry',
      { source: '__archive__', destinations: 'r.local/Acme:1' },
      `Input 'destinations' has the value "r.local/Acme:1": the name must be lower case`,
    ],
    [
      'push-registry',
      { source: '__archive__', destinations: 'r.local/acme' },
      `Input 'destinations' has the value "r.local/acme": it needs a :tag or an @sha256: digest`,
    ],
    [
      'push-registry',
      { source: '__archive__', destinations: '' },
      `Input 'destinations' is required and was not given.`,
    ],
    [
      'push-registry',
      {
        source: '__archive__',
        destinations: 'r.local/a:1',
        'registry-auth': '- registry: r.local\n  username: u',
      },
      `Input 'registry-auth'[0] needs a non-empty 'password'`,
    ],
    [
      'push-registry',
      { source: '__archive__', destinations: 'r.local/a:1', 'tls-verify': 'false' },
      `Input 'tls-verify' is false, but 'insecure-registries' names no registry`,
    ],
    [
      'push-registry',
      { source: '__archive__', destinations: 'r.local/a:1', retries: '-1' },
      `Input 'retries' has the value "-1"; allowed: a whole number from 0 to 10.`,
    ],
  ])('%s %j', async (action, inputs, error) => {
    const given = Object.fromEntries(
      Object.entries(inputs).map(([k, v]) => [k, v === '__archive__' ? built.outputs.archive! : v]),
    )
    const run = action === 'build-image' ? await build(given) : await push(given)
    expect(run.exitCode).toBe(1)
    expect(run.errors[0]).toContain(error)
    expect(run.outputs).toEqual({})
  })
})
