import {
  buildahBuildArgs,
  buildahPushArgs,
  buildxBuildArgs,
  defaultTags,
  parseReference,
  skopeoCopyArgs,
  skopeoInspectRawArgs,
  type BuildSpec,
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
