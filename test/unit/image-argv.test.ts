import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  buildahBuildArgs,
  buildahPushArgs,
  buildxBuildArgs,
  defaultTags,
  loginFiles,
  mergeLogins,
  parseImageTags,
  parseLogins,
  parseReference,
  parseSecrets,
  readBuildSettings,
  readPushSettings,
  registryKey,
  skopeoCopyArgs,
  skopeoInspectRawArgs,
  BUILDX_PINNED,
  type BuildInputs,
  type BuildSettings,
  type BuildSpec,
  type Logins,
  type PushInputs,
  type PushSettings,
} from '../../packages/image/index.js'

const spec: BuildSpec = {
  context: '/ws/app',
  file: '/ws/app/Dockerfile',
  tags: ['ghcr.io/acme/orders:sha-0123456', 'ghcr.io/acme/orders:main'],
  buildArgs: { GREETING: 'hi there' },
  labels: { 'org.opencontainers.image.revision': 'abc' },
  platforms: [],
  cache: 'none',
}

describe('buildah', () => {
  test.each<[string, Partial<BuildSpec>, string[]]>([
    [
      'plain',
      {},
      [
        'buildah',
        'build',
        '--isolation',
        'chroot',
        '--file',
        '/ws/app/Dockerfile',
        '--tag',
        'ghcr.io/acme/orders:sha-0123456',
        '--tag',
        'ghcr.io/acme/orders:main',
        '--build-arg',
        'GREETING=hi there',
        '--label',
        'org.opencontainers.image.revision=abc',
        '/ws/app',
      ],
    ],
    [
      'target, platforms, reproducible',
      {
        target: 'runtime',
        platforms: ['linux/amd64', 'linux/arm64'],
        timestamp: 1700000000,
        buildArgs: {},
        labels: {},
        tags: ['r/o:1'],
      },
      [
        'buildah',
        'build',
        '--isolation',
        'chroot',
        '--file',
        '/ws/app/Dockerfile',
        '--tag',
        'r/o:1',
        '--target',
        'runtime',
        '--platform',
        'linux/amd64,linux/arm64',
        '--timestamp',
        '1700000000',
        '/ws/app',
      ],
    ],
  ])('%s', (_name, change, argv) => expect(buildahBuildArgs({ ...spec, ...change })).toEqual(argv))

  test('push to an OCI archive', () =>
    expect(buildahPushArgs('r/o:1', '/tmp/a.tar', '/tmp/a.digest')).toEqual([
      'buildah',
      'push',
      '--digestfile',
      '/tmp/a.digest',
      'r/o:1',
      'oci-archive:/tmp/a.tar:r/o:1',
    ]))
})

describe('docker buildx', () => {
  test.each<[string, Partial<BuildSpec>, string[]]>([
    [
      'plain',
      { buildArgs: {}, labels: {}, tags: ['r/o:1'] },
      [
        'docker',
        'buildx',
        'build',
        '--file',
        '/ws/app/Dockerfile',
        '--tag',
        'r/o:1',
        '--output',
        'type=oci,dest=/tmp/a.tar',
        '--metadata-file',
        '/tmp/m.json',
        '/ws/app',
      ],
    ],
    [
      'gha cache, reproducible, platforms',
      {
        buildArgs: {},
        labels: {},
        tags: ['r/o:1'],
        cache: 'gha',
        timestamp: 0,
        platforms: ['linux/arm64'],
      },
      [
        'docker',
        'buildx',
        'build',
        '--file',
        '/ws/app/Dockerfile',
        '--tag',
        'r/o:1',
        '--platform',
        'linux/arm64',
        '--cache-from',
        'type=gha',
        '--cache-to',
        'type=gha,mode=max',
        '--output',
        'type=oci,dest=/tmp/a.tar,rewrite-timestamp=true',
        '--metadata-file',
        '/tmp/m.json',
        '/ws/app',
      ],
    ],
  ])('%s', (_name, change, argv) =>
    expect(buildxBuildArgs({ ...spec, ...change }, '/tmp/a.tar', '/tmp/m.json')).toEqual(argv),
  )
})

describe('skopeo', () => {
  test.each<
    [
      string,
      string,
      Parameters<typeof skopeoCopyArgs>[2],
      Parameters<typeof skopeoCopyArgs>[3],
      string[],
    ]
  >([
    [
      'archive to a TLS registry with an auth file and a CA',
      'oci-archive:/tmp/a.tar',
      { tlsVerify: true },
      { authFile: '/tmp/auth.json', tlsVerify: true, certDir: '/certs/r.local:5000' },
      [
        'skopeo',
        'copy',
        '--preserve-digests',
        '--digestfile',
        '/tmp/d',
        '--dest-authfile',
        '/tmp/auth.json',
        '--dest-cert-dir',
        '/certs/r.local:5000',
        'oci-archive:/tmp/a.tar',
        'docker://r.local:5000/o:1',
      ],
    ],
    [
      'registry to an insecure registry',
      'docker://a.local/o@sha256:' + 'a'.repeat(64),
      { authFile: '/tmp/auth.json', tlsVerify: false },
      { authFile: '/tmp/auth.json', tlsVerify: false },
      [
        'skopeo',
        'copy',
        '--preserve-digests',
        '--digestfile',
        '/tmp/d',
        '--src-authfile',
        '/tmp/auth.json',
        '--dest-authfile',
        '/tmp/auth.json',
        '--src-tls-verify=false',
        '--dest-tls-verify=false',
        'docker://a.local/o@sha256:' + 'a'.repeat(64),
        'docker://r.local:5000/o:1',
      ],
    ],
  ])('%s', (_name, source, from, to, argv) =>
    expect(skopeoCopyArgs(source, 'docker://r.local:5000/o:1', from, to, '/tmp/d')).toEqual(argv),
  )

  test('inspect the raw manifest', () =>
    expect(
      skopeoInspectRawArgs('docker://r/o:1', {
        authFile: '/a.json',
        tlsVerify: false,
        certDir: '/c',
      }),
    ).toEqual([
      'skopeo',
      'inspect',
      '--raw',
      '--authfile',
      '/a.json',
      '--tls-verify=false',
      '--cert-dir',
      '/c',
      'docker://r/o:1',
    ]))
  test('credentials never appear in argv', () => {
    const argv = skopeoCopyArgs(
      'oci-archive:/a.tar',
      'docker://r/o:1',
      { tlsVerify: true },
      { authFile: '/tmp/auth.json', tlsVerify: true },
      '/d',
    )
    expect(argv.join(' ')).not.toMatch(/--creds|--password|--username/)
  })
})

describe('tags and references', () => {
  test.each([
    [{ sha: '0123456789abcdef', ref: 'refs/heads/main' }, ['sha-0123456', 'main']],
    [
      { sha: '0123456789abcdef', ref: 'refs/heads/Feature/Login' },
      ['sha-0123456', 'feature-login'],
    ],
    [{ sha: '0123456789abcdef', ref: 'refs/tags/v1.2.3' }, ['sha-0123456', '1.2.3']],
    [{ sha: '0123456789abcdef', ref: 'refs/tags/nightly' }, ['sha-0123456', 'nightly']],
    [{ sha: '0123456789abcdef', ref: 'refs/pull/7/merge' }, ['sha-0123456']],
  ])('%j -> %j', (env, tags) => expect(defaultTags(env)).toEqual(tags))

  test.each([
    [
      'ghcr.io/acme/orders:1.2.3',
      { name: 'ghcr.io/acme/orders', registry: 'ghcr.io', tag: '1.2.3' },
    ],
    [
      '127.0.0.1:5000/o@sha256:' + 'b'.repeat(64),
      { name: '127.0.0.1:5000/o', registry: '127.0.0.1:5000', digest: 'sha256:' + 'b'.repeat(64) },
    ],
    ['library/nginx:1', { name: 'library/nginx', registry: 'docker.io', tag: '1' }],
  ])('%s', (text, ref) => expect(parseReference('r', text)).toEqual(ref))
})

describe('tags input: bare tags and full references of the image', () => {
  test.each<[string, string, string[]]>([
    ['one per line', 'sha-0123456\nmain', ['sha-0123456', 'main']],
    ['comma separated, spaces', ' 1.2.3 , latest ', ['1.2.3', 'latest']],
    ['upper case, as the spec allows', 'V1.2.3-RC1,Main_Branch', ['V1.2.3-RC1', 'Main_Branch']],
    [
      'metadata-action output (full references)',
      'ghcr.io/acme/orders:1.2.3\nghcr.io/acme/orders:1.2\nghcr.io/acme/orders:latest',
      ['1.2.3', '1.2', 'latest'],
    ],
    ['mixed, duplicates dropped', 'ghcr.io/acme/orders:v1,v1,v2', ['v1', 'v2']],
    ['128 characters', 'a'.repeat(128), ['a'.repeat(128)]],
    ['empty', '', []],
  ])('%s', (_case, text, tags) => {
    const parsed = parseImageTags('tags', text, 'ghcr.io/acme/orders')
    expect(parsed.tags).toEqual(tags)
    expect(parsed.references).toEqual(tags.map((t) => `ghcr.io/acme/orders:${t}`))
  })

  test.each([
    ['docker.io/library/nginx:1', 'nginx', ['1']],
    ['nginx:1', 'docker.io/library/nginx', ['1']],
    ['index.docker.io/acme/app:2', 'acme/app', ['2']],
    ['localhost:5000/app:3', 'localhost:5000/app', ['3']],
  ])('%s names the image %s', (text, image, tags) =>
    expect(parseImageTags('tags', text, image).tags).toEqual(tags),
  )

  test.each([
    [
      'docker.io/acme/orders:1.2.3',
      `Input 'tags' has "docker.io/acme/orders:1.2.3", which names the repository "docker.io/acme/orders", not the 'image' "ghcr.io/acme/orders"; allowed: a tag or ghcr.io/acme/orders:<tag>. Push to other repositories with push-registry's destinations.`,
    ],
    [
      'ghcr.io/acme/orders',
      `Input 'tags' has "ghcr.io/acme/orders", which has no tag; allowed: a tag (e.g. 1.2.3) or ghcr.io/acme/orders:<tag>.`,
    ],
    [
      `ghcr.io/acme/orders@sha256:${'a'.repeat(64)}`,
      `which has a digest; allowed: a tag (e.g. 1.2.3) or ghcr.io/acme/orders:<tag>.`,
    ],
    ['.hidden', `Input 'tags' has ".hidden"; a tag may hold letters (either case), digits, _ . -`],
    ['-dash', `Input 'tags' has "-dash"; a tag may hold`],
    ['a'.repeat(129), `; a tag may hold letters (either case), digits, _ . - (at most 128)`],
    ['has space', `Input 'tags' has "has space"; a tag may hold`],
    [
      'ghcr.io/acme/orders:bad+tag',
      `Input 'tags' has "ghcr.io/acme/orders:bad+tag"; a tag may hold`,
    ],
  ])('refuses %j', (text, message) =>
    expect(() => parseImageTags('tags', text, 'ghcr.io/acme/orders')).toThrow(message),
  )
})

describe('secrets input', () => {
  test.each([
    ['id=npm,env=NPM_TOKEN', [{ id: 'npm', env: 'NPM_TOKEN' }]],
    [
      'id=npm, env=NPM_TOKEN\n\nid=ca.pem,src=certs/ca.pem',
      [
        { id: 'npm', env: 'NPM_TOKEN' },
        { id: 'ca.pem', src: 'certs/ca.pem' },
      ],
    ],
    ['env=_X1,id=A-b_c', [{ id: 'A-b_c', env: '_X1' }]],
    ['', []],
  ])('%j', (text, specs) => expect(parseSecrets('secrets', text)).toEqual(specs))

  const allowed = 'allowed: id=NAME,env=VARIABLE or id=NAME,src=PATH, one per line.'
  test.each([
    ['npm', `Input 'secrets' has the line "npm": "npm" is not key=value; ${allowed}`],
    [
      'id=npm',
      `Input 'secrets' has the line "id=npm": it needs exactly one of env= and src=; ${allowed}`,
    ],
    ['id=a,env=A,src=f', `it needs exactly one of env= and src=`],
    ['env=A', `Input 'secrets' has the line "env=A": it has no id; ${allowed}`],
    [
      'id=a,type=env,env=A',
      `Input 'secrets' has the line "id=a,type=env,env=A": unknown key "type"`,
    ],
    ['id=a,id=b,env=A', `repeated key "id"`],
    ['id=a b,env=A', `the id "a b" may hold letters, digits, _ . - (at most 128)`],
    ['id=a,env=1BAD', `"1BAD" is not an environment variable name`],
    ['id=a,env=A-B', `"A-B" is not an environment variable name`],
    ['id=a,src=', `src= is empty`],
    ['id=a,env=A\nid=a,src=f', `the id "a" is given twice`],
  ])('refuses %j', (text, message) => expect(() => parseSecrets('secrets', text)).toThrow(message))

  test('buildah and buildx get names and paths only', () => {
    const secrets = parseSecrets('secrets', 'id=npm,env=NPM_TOKEN\nid=ca,src=/ws/ca.pem')
    const flags = ['--secret', 'id=npm,env=NPM_TOKEN', '--secret', 'id=ca,src=/ws/ca.pem']
    const buildah = buildahBuildArgs({ ...spec, secrets })
    expect(buildah.slice(-1 - flags.length, -1)).toEqual(flags)
    const buildx = buildxBuildArgs({ ...spec, secrets }, '/a.tar', '/m.json')
    expect(buildx.join(' ')).toContain(flags.join(' '))
  })
})

describe('registry logins: merged, registry-auth winning', () => {
  test.each([
    ['https://index.docker.io/v1/', 'docker.io'],
    ['registry-1.docker.io', 'docker.io'],
    ['https://ghcr.io', 'ghcr.io'],
    ['ghcr.io/', 'ghcr.io'],
    ['http://127.0.0.1:5000/v2/', '127.0.0.1:5000'],
    [
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
    ],
    ['quay.io/acme', 'quay.io/acme'],
  ])('key %s -> %s', (key, normal) => expect(registryKey(key)).toBe(normal))

  test.each([
    [
      'all set',
      { home: '/h', dockerConfig: '/d', xdgRuntimeDir: '/run/user/1', registryAuthFile: '/a.json' },
      [
        '/d/config.json',
        '/h/.config/containers/auth.json',
        '/run/user/1/containers/auth.json',
        '/a.json',
      ],
    ],
    ['home only', { home: '/h' }, ['/h/.docker/config.json', '/h/.config/containers/auth.json']],
    ['nothing', {}, []],
  ])('where the logins are, lowest precedence first: %s', (_case, where, paths) =>
    expect(loginFiles(where).map((f) => f.path)).toEqual(paths),
  )

  const docker = { path: '/h/.docker/config.json', kind: 'docker' as const }
  test('docker config.json: auths (URL keys), credHelpers, credsStore; empty entries dropped', () =>
    expect(
      parseLogins(
        JSON.stringify({
          auths: {
            'https://index.docker.io/v1/': { auth: 'dTpw' },
            '1.dkr.ecr.eu-west-1.amazonaws.com': { auth: 'QVdTOng=' },
            'quay.io': {},
          },
          credHelpers: { 'gcr.io': 'gcloud' },
          credsStore: 'desktop',
          HttpHeaders: { 'User-Agent': 'x' },
        }),
        docker,
      ),
    ).toEqual({
      auths: {
        'docker.io': { auth: 'dTpw' },
        '1.dkr.ecr.eu-west-1.amazonaws.com': { auth: 'QVdTOng=' },
      },
      credHelpers: { 'gcr.io': 'gcloud' },
      credsStore: 'desktop',
    }))

  test.each([
    ['{not json', '/h/.docker/config.json is not valid JSON'],
    ['[1]', '/h/.docker/config.json is not a JSON object'],
  ])('a broken file %j: named, its content never quoted', (text, message) => {
    expect(() => parseLogins(text, docker)).toThrow(message)
    expect(() => parseLogins(text, docker)).not.toThrow(text)
  })

  test('registry-auth over the runner: new registries added, same registry replaced, its helper dropped', () => {
    const existing: Logins = {
      auths: { 'ecr.example': { auth: 'ZWNy' }, 'ghcr.io': { auth: 'b2xk' } },
      credHelpers: { 'ghcr.io': 'gh', 'gcr.io': 'gcloud' },
    }
    expect(
      mergeLogins(existing, [
        { registry: 'https://ghcr.io', username: 'u', password: 'p' },
        { registry: 'r.local:5000', username: 'a', password: 'b' },
      ]),
    ).toEqual({
      auths: {
        'ecr.example': { auth: 'ZWNy' },
        'ghcr.io': { auth: Buffer.from('u:p').toString('base64') },
        'r.local:5000': { auth: Buffer.from('a:b').toString('base64') },
      },
      credHelpers: { 'gcr.io': 'gcloud' },
    })
  })
})

test('packages/image starts no process itself: every command goes through packages/exec', async () => {
  const { readdirSync, readFileSync } = await import('node:fs')
  const dir = new URL('../../packages/image/', import.meta.url)
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(new URL(file, dir), 'utf8')
    expect({ file, spawns: /child_process|@actions\/exec/.test(source) }).toEqual({
      file,
      spawns: false,
    })
  }
})

test('the merged auth file: mode 600, never written over a file (or symlink) already there', async () => {
  const { mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } =
    await import('node:fs')
  const { tmpdir } = await import('node:os')
  const { join } = await import('node:path')
  const { writeAuthFile } = await import('../../packages/image/index.js')
  const dir = mkdtempSync(join(tmpdir(), 'cutover-auth-'))
  const path = join(dir, 'auth.json')
  await writeAuthFile(path, [{ registry: 'ghcr.io', username: 'u', password: 'p' }], {
    auths: { 'ecr.example': { auth: 'ZWNy' } },
    credHelpers: { 'gcr.io': 'gcloud' },
  })
  expect(statSync(path).mode & 0o777).toBe(0o600)
  expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({
    auths: { 'ecr.example': { auth: 'ZWNy' }, 'ghcr.io': { auth: 'dTpw' } },
    credHelpers: { 'gcr.io': 'gcloud' },
  })
  const target = join(dir, 'elsewhere')
  writeFileSync(target, 'untouched')
  symlinkSync(target, join(dir, 'planted.json'))
  await expect(
    writeAuthFile(join(dir, 'planted.json'), [{ registry: 'r', username: 'u', password: 'p' }]),
  ).rejects.toThrow(/EEXIST/)
  expect(readFileSync(target, 'utf8')).toBe('untouched')
})

describe('build-image settings: inputs and the environment, checked before anything runs', () => {
  const raw: BuildInputs = {
    image: 'ghcr.io/acme/orders',
    context: 'app',
    tags: '',
    buildArgs: '',
    labels: '',
    platforms: '',
    engine: 'auto',
    cache: 'none',
    reproducible: false,
    timeoutMs: 3_600_000,
    secrets: '',
  }
  const runner = {
    GITHUB_SHA: '0123456789abcdef',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_REPOSITORY: 'acme/orders',
    RUNNER_TEMP: '/runner/tmp',
    DOCKER_CONFIG: '/runner/docker',
    NPM_TOKEN: 'npm-secret-value',
  }
  const amd64 = BUILDX_PINNED.sha256.amd64
  const base: BuildSettings = {
    image: 'ghcr.io/acme/orders',
    context: '/ws/app',
    file: '/ws/app/Dockerfile',
    tags: ['sha-0123456', 'main'],
    buildArgs: {},
    labels: {},
    platforms: [],
    engine: 'auto',
    cache: 'none',
    reproducible: false,
    timeoutMs: 3_600_000,
    secrets: [],
    buildx: {
      version: BUILDX_PINNED.version,
      url: `https://github.com/docker/buildx/releases/download/v${BUILDX_PINNED.version}/buildx-v${BUILDX_PINNED.version}.linux-amd64`,
      sha256: amd64,
      arch: 'amd64',
      pluginsDir: '/runner/docker/cli-plugins',
    },
    origin: {
      serverUrl: 'https://github.example',
      repository: 'acme/orders',
      sha: '0123456789abcdef',
    },
    tempDir: '/runner/tmp',
  }
  const sha = 'AB'.repeat(32)

  test.each<[string, Partial<BuildInputs>, Record<string, string>, string, Partial<BuildSettings>]>(
    [
      ['defaults from the runner', {}, runner, 'x64', {}],
      [
        'outside a runner',
        {},
        { HOME: '/home/me' },
        'x64',
        {
          tags: ['sha-local00'],
          buildx: { ...base.buildx, pluginsDir: '/home/me/.docker/cli-plugins' },
          origin: { serverUrl: 'https://github.com', repository: '', sha: '' },
          tempDir: '/tmp',
        },
      ],
      [
        'given tags, args, labels, platforms, target; the file relative to the workspace',
        {
          tags: 'ghcr.io/acme/orders:1.2.3, latest',
          buildArgs: 'A=1\nB=x=y',
          labels: 'team=shop',
          platforms: 'linux/amd64,linux/arm64',
          target: 'runtime',
          file: 'docker/Prod.Dockerfile',
          context: '',
        },
        runner,
        'x64',
        {
          context: '/ws',
          file: '/ws/docker/Prod.Dockerfile',
          tags: ['1.2.3', 'latest'],
          buildArgs: { A: '1', B: 'x=y' },
          labels: { team: 'shop' },
          platforms: ['linux/amd64', 'linux/arm64'],
          target: 'runtime',
        },
      ],
      [
        "secrets: a variable's value (checked when the build starts), a file in the workspace",
        {
          secrets:
            'id=npm,env=NPM_TOKEN\nid=gone,env=NOT_SET\nid=ca,src=certs/ca.pem\nid=key,src=/etc/k',
        },
        runner,
        'x64',
        {
          secrets: [
            { id: 'npm', env: 'NPM_TOKEN', value: 'npm-secret-value' },
            { id: 'gone', env: 'NOT_SET', value: undefined },
            { id: 'ca', src: 'certs/ca.pem', path: '/ws/certs/ca.pem' },
            { id: 'key', src: '/etc/k', path: '/etc/k' },
          ],
        },
      ],
      [
        'arm64 runner: its pinned asset',
        {},
        runner,
        'arm64',
        {
          buildx: {
            ...base.buildx,
            url: base.buildx.url.replace('amd64', 'arm64'),
            sha256: BUILDX_PINNED.sha256.arm64,
            arch: 'arm64',
          },
        },
      ],
      [
        'an arch with no pinned asset: no checksum (ensureBuildx says so if docker builds)',
        {},
        runner,
        's390x',
        {
          buildx: {
            ...base.buildx,
            url: base.buildx.url.replace('amd64', 's390x'),
            sha256: undefined,
            arch: 's390x',
          },
        },
      ],
      [
        'a mirror: its URL and checksum (lower-cased)',
        { engine: 'docker', buildxUrl: 'https://mirror.local/buildx', buildxSha256: sha },
        runner,
        'x64',
        {
          engine: 'docker',
          buildx: { ...base.buildx, url: 'https://mirror.local/buildx', sha256: sha.toLowerCase() },
        },
      ],
    ],
  )('%s', (_case, inputs, env, arch, settings) =>
    expect(readBuildSettings({ ...raw, ...inputs }, { workspace: '/ws', env, arch })).toEqual({
      ...base,
      ...settings,
    }),
  )

  test.each<[Partial<BuildInputs>, string]>([
    [{ image: 'ghcr.io/acme/Orders' }, `Input 'image' has the value "ghcr.io/acme/Orders"`],
    [{ tags: 'other/repo:1' }, `Input 'tags' has "other/repo:1", which names the repository`],
    [{ buildArgs: 'NOEQUALS' }, `Input 'build-args' has the line "NOEQUALS"`],
    [{ labels: '=x' }, `Input 'labels' has the line "=x"`],
    [{ platforms: 'amd64' }, `Input 'platforms' has "amd64"`],
    [{ secrets: 'id=a' }, `Input 'secrets' has the line "id=a"`],
    [{ buildxUrl: 'ftp://m/b' }, `Input 'buildx-url' has the value "ftp://m/b"`],
    [
      { buildxUrl: 'https://m/b', buildxSha256: 'abc' },
      `Input 'buildx-sha256' has the value "abc"; allowed: a sha256 of 64 hex digits.`,
    ],
    [{ buildxSha256: 'a'.repeat(64) }, `Input 'buildx-sha256' is set without 'buildx-url'`],
    [
      { buildxUrl: 'https://m/b', engine: 'buildah' },
      `Input 'buildx-url' is set, but 'engine' is buildah`,
    ],
    [
      { cache: 'gha', engine: 'buildah' },
      `Input 'cache' is "gha", which only docker buildx supports; with engine: buildah use cache: none.`,
    ],
  ])('refuses %j', (inputs, message) =>
    expect(() =>
      readBuildSettings({ ...raw, ...inputs }, { workspace: '/ws', env: runner }),
    ).toThrow(message),
  )
})

describe('push-registry settings: source, destinations, TLS and the runner logins', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'cutover-push-settings-'))
  writeFileSync(join(workspace, 'image.tar'), '')
  const digest = 'sha256:' + 'c'.repeat(64)
  const raw: PushInputs = {
    auths: [],
    source: 'image.tar',
    destinations: 'ghcr.io/acme/orders:1\n\n  r.local:5000/o:1  ',
    retries: 3,
    timeoutMs: 600_000,
    tlsVerify: true,
    insecureRegistries: '',
  }
  const base: PushSettings = {
    source: `oci-archive:${join(workspace, 'image.tar')}`,
    destinations: [
      { name: 'ghcr.io/acme/orders', registry: 'ghcr.io', tag: '1' },
      { name: 'r.local:5000/o', registry: 'r.local:5000', tag: '1' },
    ],
    auths: [],
    loginFiles: [
      { path: '/h/.docker/config.json', kind: 'docker' },
      { path: '/h/.config/containers/auth.json', kind: 'containers' },
    ],
    retries: 3,
    timeoutMs: 600_000,
    insecure: [],
    tempDir: '/runner/tmp',
  }
  const env = { HOME: '/h', RUNNER_TEMP: '/runner/tmp' }

  test.each<[string, Partial<PushInputs>, Record<string, string>, Partial<PushSettings>]>([
    ['an archive in the workspace', {}, env, {}],
    [
      'an image by digest in a registry; insecure registries, certs-dir',
      {
        source: `r.local:5000/o@${digest}`,
        tlsVerify: false,
        insecureRegistries: 'r.local:5000, other.local',
        certsDir: 'certs',
      },
      env,
      {
        source: `docker://r.local:5000/o@${digest}`,
        sourceRegistry: 'r.local:5000',
        insecure: ['r.local:5000', 'other.local'],
        certsDir: join(workspace, 'certs'),
      },
    ],
    [
      'every login file the runner has; RUNNER_TEMP unset',
      { auths: [{ registry: 'ghcr.io', username: 'u', password: 'p' }] },
      {
        HOME: '/h',
        DOCKER_CONFIG: '/d',
        XDG_RUNTIME_DIR: '/run/user/1',
        REGISTRY_AUTH_FILE: '/a.json',
      },
      {
        auths: [{ registry: 'ghcr.io', username: 'u', password: 'p' }],
        loginFiles: [
          { path: '/d/config.json', kind: 'docker' },
          { path: '/h/.config/containers/auth.json', kind: 'containers' },
          { path: '/run/user/1/containers/auth.json', kind: 'containers' },
          { path: '/a.json', kind: 'containers' },
        ],
        tempDir: '/tmp',
      },
    ],
  ])('%s', (_case, inputs, env, settings) =>
    expect(readPushSettings({ ...raw, ...inputs }, { workspace, env })).toEqual({
      ...base,
      ...settings,
    }),
  )

  test.each<[Partial<PushInputs>, string]>([
    [
      { source: 'missing.tar' },
      `Input 'source' is "missing.tar", which is neither an existing OCI archive nor registry/repo@sha256:...`,
    ],
    [{ source: 'r.local/a:1' }, `Input 'source' has the value "r.local/a:1"`],
    [{ destinations: 'r.local/acme' }, `it needs a :tag or an @sha256: digest`],
    [
      { tlsVerify: false },
      `Input 'tls-verify' is false, but 'insecure-registries' names no registry`,
    ],
    [
      { insecureRegistries: 'r.local' },
      `Input 'insecure-registries' is set, but 'tls-verify' is true; set tls-verify: false to use it.`,
    ],
  ])('refuses %j', (inputs, message) =>
    expect(() => readPushSettings({ ...raw, ...inputs }, { workspace, env })).toThrow(message),
  )
})
