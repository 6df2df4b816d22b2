/**
 * build-image and push-registry through their bundles, on real buildah (chroot isolation, vfs
 * storage), skopeo and two docker-registry instances with htpasswd auth and TLS from a test CA.
 */
import { createHash } from 'node:crypto'
import { mkdtempSync, mkdirSync, writeFileSync, existsSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { BUILDX_PINNED } from '../../packages/image/index.js'
import {
  buildxStandIn,
  startFileServer,
  startRegistries,
  type FileServer,
  type RegistryLab,
} from '../../scripts/sandbox/registry.js'
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
  // One stage, so the RUN step's layer is in the archive the test searches for the secrets.
  writeFileSync(
    join(workspace, 'app/Secret.Dockerfile'),
    `FROM ${lab.baseImage}\nRUN --mount=type=secret,id=token --mount=type=secret,id=cert sha256sum /run/secrets/token /run/secrets/cert > /hashes\n`,
  )
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

test('tags: full references (as docker/metadata-action outputs) and upper-case tags', async () => {
  const run = await build({
    tags: 'localhost/orders:V1.2.3-RC1\nlocalhost/orders:latest, Main_Branch',
  })
  expect(run.errors).toEqual([])
  expect(run.outputs.tags).toBe(
    'localhost/orders:V1.2.3-RC1\nlocalhost/orders:latest\nlocalhost/orders:Main_Branch',
  )
  expect(run.log).toContain('localhost/orders:V1.2.3-RC1')
})

/** Every file of a tar (an OCI archive, or a layer), by name. */
function tarFiles(tar: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>()
  for (let offset = 0; offset + 512 <= tar.length;) {
    const header = tar.subarray(offset, offset + 512)
    if (header.every((b) => b === 0)) break
    const name = header.toString('utf8', 0, 100).replace(/\0.*$/s, '')
    const size = parseInt(header.toString('utf8', 124, 136).replace(/\0.*$/s, '').trim() || '0', 8)
    files.set(name.replace(/^\.\//, ''), tar.subarray(offset + 512, offset + 512 + size))
    offset += 512 + Math.ceil(size / 512) * 512
  }
  return files
}

test('build secrets: a RUN --mount=type=secret reads them; their values reach neither the log nor the archive', async () => {
  const token = `tok-${Math.random().toString(36).slice(2)}-never-in-the-image`
  const cert = `cert-${Math.random().toString(36).slice(2)}-never-in-the-image`
  writeFileSync(join(workspace, 'cert.txt'), cert)
  const run = await runAction('build-image', {
    workspace,
    env: { ...lab.env, CUTOVER_TEST_TOKEN: token },
    inputs: {
      image: 'localhost/orders',
      context: 'app',
      file: 'app/Secret.Dockerfile',
      engine: 'buildah',
      tags: 'secrets',
      secrets: 'id=token,env=CUTOVER_TEST_TOKEN\nid=cert,src=cert.txt',
    },
  })
  expect(run.errors).toEqual([])
  expect(run.log).toContain('RUN --mount=type=secret,id=token')
  // Masked before the build ran, and not printed anyway.
  expect(run.stdout).toContain(`::add-mask::${token}`)
  expect(run.stdout).toContain(`::add-mask::${cert}`)
  for (const value of [token, cert]) expect(visible(run)).not.toContain(value)

  const archive = readFileSync(run.outputs.archive!)
  const blobs = [...tarFiles(archive).entries()]
  const layers = blobs.map(([, b]) => (b[0] === 0x1f && b[1] === 0x8b ? gunzipSync(b) : b))
  for (const bytes of [archive, ...layers])
    for (const value of [token, cert]) expect(bytes.includes(value)).toBe(false)
  // The RUN step did read both: its layer holds their hashes.
  const hashes = layers
    .map((layer) => tarFiles(layer).get('hashes'))
    .find((file) => file !== undefined)
    ?.toString('utf8')
  const sha = (text: string) => createHash('sha256').update(text).digest('hex')
  expect(hashes).toBe(`${sha(token)}  /run/secrets/token\n${sha(cert)}  /run/secrets/cert\n`)
})

describe('push-registry merges registry-auth with the logins already on the runner', () => {
  test.each([
    ['containers auth.json (~/.config/containers)', 'containers'],
    ['docker config.json ($DOCKER_CONFIG, URL keys)', 'docker'],
  ])(
    'one registry logged in beforehand in %s, one in registry-auth: both pushes succeed',
    async (_case, kind) => {
      const [one, two] = lab.registries as [
        NonNullable<RegistryLab['registries'][0]>,
        NonNullable<RegistryLab['registries'][0]>,
      ]
      const home = mkdtempSync(join(tmpdir(), 'cutover-home-'))
      const login = { auth: Buffer.from(`${one.username}:${one.password}`).toString('base64') }
      const env: Record<string, string> = { ...lab.env, HOME: home }
      let file: string
      if (kind === 'containers') {
        mkdirSync(join(home, '.config/containers'), { recursive: true })
        file = join(home, '.config/containers/auth.json')
        writeFileSync(file, JSON.stringify({ auths: { [one.host]: login } }), { mode: 0o600 })
      } else {
        const dockerConfig = join(home, 'docker-config')
        mkdirSync(dockerConfig)
        file = join(dockerConfig, 'config.json')
        writeFileSync(file, JSON.stringify({ auths: { [`https://${one.host}`]: login } }))
        env.DOCKER_CONFIG = dockerConfig
      }
      const before = readFileSync(file, 'utf8')
      const run = await runAction('push-registry', {
        workspace,
        env,
        inputs: {
          source: built.outputs.archive!,
          destinations: `${one.host}/merged-${kind}/orders:v1\n${two.host}/merged-${kind}/orders:v1`,
          'registry-auth': [auth(1)],
          'certs-dir': lab.certsDir,
          retries: '0',
        },
      })
      expect(run.errors).toEqual([])
      expect(run.exitCode).toBe(0)
      expect(run.log).toContain(
        `registry-auth is merged over the logins already on the runner (${one.host}) from ${file}`,
      )
      expect(run.log).toContain(
        `${one.host}/merged-${kind}/orders:v1 holds ${built.outputs.digest} (verified)`,
      )
      expect(run.log).toContain(
        `${two.host}/merged-${kind}/orders:v1 holds ${built.outputs.digest} (verified)`,
      )
      // The runner's own file is left as it was; the merged one is gone.
      expect(readFileSync(file, 'utf8')).toBe(before)
      expect(existsSync(run.state['auth-file'] ?? '/nonexistent')).toBe(false)
      for (const value of [one.password, two.password]) expect(visible(run)).not.toContain(value)
    },
  )
})

describe('engine docker: the pinned buildx through the tool cache, from a local mirror', () => {
  let mirror: FileServer
  const standIn = buildxStandIn(BUILDX_PINNED.version)
  const standInSha = createHash('sha256').update(standIn).digest('hex')
  const toolCache = mkdtempSync(join(tmpdir(), 'cutover-toolcache-'))
  beforeAll(async () => {
    mirror = await startFileServer({ '/buildx': standIn })
  })
  afterAll(() => mirror?.stop())
  const dockerBuild = (inputs: Record<string, string>) => {
    const dockerConfig = mkdtempSync(join(tmpdir(), 'cutover-docker-config-'))
    return runAction('build-image', {
      workspace,
      env: {
        ...lab.env,
        DOCKER_CONFIG: dockerConfig,
        RUNNER_TOOL_CACHE: toolCache,
        // What the stand-in's `buildx build` hands out as the built image.
        CUTOVER_STANDIN_ARCHIVE: built.outputs.archive!,
        CUTOVER_STANDIN_DIGEST: built.outputs.digest!,
      },
      inputs: {
        image: 'localhost/orders',
        context: 'app',
        engine: 'docker',
        tags: 'bx',
        ...inputs,
      },
    }).then((run) => ({ run, plugin: join(dockerConfig, 'cli-plugins/docker-buildx') }))
  }

  test('a wrong buildx-sha256: a clear error, nothing installed or cached', async () => {
    const wrong = 'e'.repeat(64)
    const { run, plugin } = await dockerBuild({
      'buildx-url': `${mirror.url}/buildx`,
      'buildx-sha256': wrong,
    })
    expect(run.exitCode).toBe(1)
    expect(run.errors[0]).toContain(
      `docker buildx from ${mirror.url}/buildx has sha256 ${standInSha}, not the expected ${wrong}: nothing was installed`,
    )
    expect(existsSync(plugin)).toBe(false)
    expect(existsSync(join(toolCache, 'docker-buildx'))).toBe(false)
    expect(run.outputs).toEqual({})
  })

  test('first run downloads and verifies it, then builds with it; a later job finds it in RUNNER_TOOL_CACHE', async () => {
    const before = mirror.requests.length
    const first = await dockerBuild({
      'buildx-url': `${mirror.url}/buildx`,
      'buildx-sha256': standInSha,
    })
    expect(first.run.errors).toEqual([])
    expect(first.run.log).toContain(
      `downloading docker buildx v${BUILDX_PINNED.version} from ${mirror.url}/buildx`,
    )
    expect(first.run.log).toContain(
      `docker buildx v${BUILDX_PINNED.version} installed in ${first.plugin} (sha256 ${standInSha})`,
    )
    expect(first.run.log).toContain('stand-in buildx: wrote')
    expect(mirror.requests.length).toBe(before + 1)
    expect(first.run.outputs.digest).toBe(built.outputs.digest)
    expect(JSON.parse(first.run.outputs.metadata ?? '{}').engine).toBe('docker')

    const later = await dockerBuild({
      'buildx-url': `${mirror.url}/buildx`,
      'buildx-sha256': standInSha,
    })
    expect(later.run.errors).toEqual([])
    expect(later.run.log).toContain(
      `docker buildx v${BUILDX_PINNED.version} found in the tool cache`,
    )
    expect(mirror.requests.length).toBe(before + 1)
    expect(existsSync(later.plugin)).toBe(true)
  })
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
    [
      'build-image',
      { tags: 'ghcr.io/acme/orders:1.0' },
      `Input 'tags' has "ghcr.io/acme/orders:1.0", which names the repository "ghcr.io/acme/orders", not the 'image' "localhost/orders"`,
    ],
    [
      'build-image',
      { tags: 'localhost/orders' },
      `Input 'tags' has "localhost/orders", which has no tag`,
    ],
    [
      'build-image',
      { tags: '.hidden' },
      `Input 'tags' has ".hidden"; a tag may hold letters (either case)`,
    ],
    [
      'build-image',
      { secrets: 'id=token' },
      `Input 'secrets' has the line "id=token": it needs exactly one of env= and src=`,
    ],
    [
      'build-image',
      { secrets: 'id=token,env=CUTOVER_UNSET_VARIABLE' },
      `Input 'secrets': id=token reads the environment variable CUTOVER_UNSET_VARIABLE, which is not set`,
    ],
    [
      'build-image',
      { secrets: 'id=token,src=missing-secret.txt' },
      `Input 'secrets': id=token reads the file "missing-secret.txt", which cannot be read (ENOENT).`,
    ],
    [
      'build-image',
      { 'build-timeout': '10s' },
      `Input 'build-timeout' has the value "10s"; allowed: a duration from 1m to 6h.`,
    ],
    [
      'build-image',
      { 'build-timeout': 'soon' },
      `Input 'build-timeout' has the value "soon", which is not a duration`,
    ],
    [
      'build-image',
      { 'buildx-url': 'ftp://mirror.local/buildx' },
      `Input 'buildx-url' has the value "ftp://mirror.local/buildx"; allowed: an http:// or https:// URL.`,
    ],
    [
      'build-image',
      { 'buildx-url': 'https://user:pw-in-url@mirror.local/buildx' },
      `Input 'buildx-url' has a URL with a user name or password in it`,
    ],
    [
      'build-image',
      { 'buildx-url': 'https://mirror.local/buildx', 'buildx-sha256': 'abc' },
      `Input 'buildx-sha256' has the value "abc"; allowed: a sha256 of 64 hex digits.`,
    ],
    [
      'build-image',
      { 'buildx-sha256': 'a'.repeat(64) },
      `Input 'buildx-sha256' is set without 'buildx-url'`,
    ],
    [
      'build-image',
      { 'buildx-url': 'https://mirror.local/buildx' },
      `Input 'buildx-url' is set, but 'engine' is buildah`,
    ],
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
      { source: '__archive__', destinations: 'r.local/a:1', 'push-timeout': '5s' },
      `Input 'push-timeout' has the value "5s"; allowed: a duration from 10s to 6h.`,
    ],
    [
      'push-registry',
      { source: '__archive__', destinations: 'r.local/a:1', 'push-timeout': 'forever' },
      `Input 'push-timeout' has the value "forever", which is not a duration`,
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
