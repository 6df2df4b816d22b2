/**
 * Installing docker buildx through @actions/tool-cache, against a local HTTP server serving a
 * stand-in plugin (no internet), with the real docker CLI finding plugins in DOCKER_CONFIG.
 * tool-cache reads RUNNER_TOOL_CACHE and RUNNER_TEMP from the environment, and docker reads
 * DOCKER_CONFIG: each test sets them as the runner would.
 */
import { createHash } from 'node:crypto'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigurationError, DeploymentFailed, type Log } from '../../packages/action-kit/index.js'
import {
  BUILDX_PINNED,
  buildxArch,
  buildxReleaseUrl,
  ensureBuildx,
  parseBuildxVersion,
  versionAtLeast,
  type BuildxSettings,
} from '../../packages/image/index.js'
import { buildxStandIn, startFileServer, type FileServer } from '../../scripts/sandbox/registry.js'

const VERSION = BUILDX_PINNED.version
const standIn = buildxStandIn(VERSION)
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')
const ASSET = `/v${VERSION}/buildx-v${VERSION}.linux-amd64`

let server: FileServer
beforeAll(async () => {
  server = await startFileServer({
    [ASSET]: standIn,
    '/old': buildxStandIn('0.9.0'),
    '/not-a-plugin': Buffer.from('#!/bin/sh\necho hello\n'),
  })
})
afterAll(() => server.stop())

interface Runner {
  toolCache: string
  dockerConfig: string
  log: Log & { lines: string[] }
}

/** A fresh runner: empty tool cache, a docker config dir with no plugins. */
function runner(toolCache = mkdtempSync(join(tmpdir(), 'cutover-toolcache-'))): Runner {
  const dockerConfig = mkdtempSync(join(tmpdir(), 'cutover-docker-config-'))
  process.env.RUNNER_TOOL_CACHE = toolCache
  process.env.RUNNER_TEMP = mkdtempSync(join(tmpdir(), 'cutover-runner-temp-'))
  process.env.DOCKER_CONFIG = dockerConfig
  const lines: string[] = []
  return {
    toolCache,
    dockerConfig,
    log: {
      lines,
      info: (m) => lines.push(m),
      warning: (m) => lines.push(`warning: ${m}`),
      debug: () => {},
    },
  }
}

const settings = (r: Runner, change: Partial<BuildxSettings> = {}): BuildxSettings => ({
  version: VERSION,
  url: `${server.url}${ASSET}`,
  sha256: sha(standIn),
  arch: 'amd64',
  pluginsDir: join(r.dockerConfig, 'cli-plugins'),
  log: r.log,
  ...change,
})

const plugin = (r: Runner) => join(r.dockerConfig, 'cli-plugins', 'docker-buildx')
const requestsTo = (path: string) => server.requests.filter((p) => p === path).length

test('first run downloads and verifies; the same runner needs no request; another job on it copies from the tool cache', async () => {
  const first = runner()
  const before = requestsTo(ASSET)
  const installed = await ensureBuildx(settings(first))
  expect(installed).toEqual({ version: VERSION, source: 'download', path: plugin(first) })
  expect(requestsTo(ASSET)).toBe(before + 1)
  expect(statSync(plugin(first)).mode & 0o777).toBe(0o755)
  expect(
    existsSync(join(first.toolCache, 'docker-buildx', VERSION, 'amd64', 'docker-buildx')),
  ).toBe(true)
  expect(first.log.lines).toContain(`docker has no buildx plugin: installing v${VERSION}`)
  expect(first.log.lines.at(-1)).toBe(
    `docker buildx v${VERSION} installed in ${plugin(first)} (sha256 ${sha(standIn)})`,
  )

  // A later step: the plugin is there and current.
  const again = await ensureBuildx(settings(first))
  expect(again.source).toBe('runner')
  expect(requestsTo(ASSET)).toBe(before + 1)

  // A later job on the same runner with a clean docker config: from RUNNER_TOOL_CACHE.
  const later = runner(first.toolCache)
  const cached = await ensureBuildx(settings(later))
  expect(cached.source).toBe('cache')
  expect(requestsTo(ASSET)).toBe(before + 1)
  expect(existsSync(plugin(later))).toBe(true)
})

test('a plugin older than the pinned version is replaced', async () => {
  const r = runner()
  mkdirSync(join(r.dockerConfig, 'cli-plugins'))
  writeFileSync(plugin(r), buildxStandIn('0.10.4'), { mode: 0o755 })
  const installed = await ensureBuildx(settings(r))
  expect(installed.source).toBe('download')
  expect(r.log.lines[0]).toBe(
    `docker buildx v0.10.4 is older than v${VERSION}: installing v${VERSION}`,
  )
  expect(readFileSync(plugin(r))).toEqual(standIn)
})

test('a wrong checksum is a clear error and installs nothing', async () => {
  const r = runner()
  const expected = 'f'.repeat(64)
  const error = await ensureBuildx(settings(r, { sha256: expected })).catch((e: unknown) => e)
  expect(error).toBeInstanceOf(DeploymentFailed)
  expect((error as Error).message).toBe(
    `docker buildx from ${server.url}${ASSET} has sha256 ${sha(standIn)}, not the expected ${expected}: nothing was installed`,
  )
  expect(existsSync(plugin(r))).toBe(false)
  expect(existsSync(join(r.toolCache, 'docker-buildx'))).toBe(false)
  // The download itself is gone too.
  expect(readdirSync(process.env.RUNNER_TEMP as string)).toEqual([])
})

test.each([
  ['another version', '/old', 'is v0.9.0, not v' + VERSION],
  ['not a plugin', '/not-a-plugin', 'is not a docker CLI plugin, not v' + VERSION],
])('a URL serving %s (with its own checksum) installs nothing', async (_case, path, what) => {
  const r = runner()
  const body = path === '/old' ? buildxStandIn('0.9.0') : Buffer.from('#!/bin/sh\necho hello\n')
  const error = await ensureBuildx(
    settings(r, { url: `${server.url}${path}`, sha256: sha(body) }),
  ).catch((e: unknown) => e)
  expect((error as Error).message).toBe(
    `docker buildx from ${server.url}${path} ${what}: nothing was installed`,
  )
  expect(existsSync(plugin(r))).toBe(false)
  expect(existsSync(join(r.toolCache, 'docker-buildx'))).toBe(false)
})

test('a URL that answers 404: a clear error naming it', async () => {
  const r = runner()
  const error = await ensureBuildx(settings(r, { url: `${server.url}/missing` })).catch(
    (e: unknown) => e,
  )
  expect((error as Error).message).toBe(
    `cannot download docker buildx v${VERSION} from ${server.url}/missing: Unexpected HTTP response: 404`,
  )
})

test('a server that never answers: the download gives up at its timeout', async () => {
  const { createServer } = await import('node:net')
  const sockets: import('node:net').Socket[] = []
  const silent = createServer((socket) => sockets.push(socket))
  // tool-cache's own test hooks: its retries (after our timeout gave up) wait 0 s, not 10-20 s.
  Object.assign(globalThis, {
    TEST_DOWNLOAD_TOOL_RETRY_MIN_SECONDS: 0,
    TEST_DOWNLOAD_TOOL_RETRY_MAX_SECONDS: 0,
  })
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
  const port = (silent.address() as { port: number }).port
  try {
    const r = runner()
    const error = await ensureBuildx(
      settings(r, { url: `http://127.0.0.1:${port}/buildx`, downloadTimeoutMs: 1000 }),
    ).catch((e: unknown) => e)
    expect((error as Error).message).toBe(
      `cannot download docker buildx v${VERSION} from http://127.0.0.1:${port}/buildx: no complete download within 1 s`,
    )
    expect(existsSync(plugin(r))).toBe(false)
  } finally {
    for (const socket of sockets) socket.destroy()
    silent.close()
  }
})

test('no checksum pinned for the architecture: a configuration error before any download', async () => {
  const r = runner()
  const before = server.requests.length
  const error = await ensureBuildx(settings(r, { arch: 'riscv64', sha256: undefined })).catch(
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ConfigurationError)
  expect((error as Error).message).toBe(
    `No docker buildx is pinned for linux/riscv64 (only amd64, arm64); give 'buildx-url' and 'buildx-sha256' for a v${VERSION} binary, or use engine: buildah.`,
  )
  expect(server.requests.length).toBe(before)
})

test('engine docker without the docker CLI: a configuration error saying so', async () => {
  const r = runner()
  const path = process.env.PATH
  // A PATH with coreutils (timeout) and no docker.
  const bin = mkdtempSync(join(tmpdir(), 'cutover-bin-'))
  const { symlinkSync } = await import('node:fs')
  symlinkSync('/usr/bin/timeout', join(bin, 'timeout'))
  process.env.PATH = bin
  try {
    const error = await ensureBuildx(settings(r)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigurationError)
    expect((error as Error).message).toBe(
      `Input 'engine' is docker, but the docker CLI is not installed on this runner; use engine: buildah or install docker.`,
    )
  } finally {
    process.env.PATH = path
  }
})

describe('pure parts', () => {
  test.each([
    ['github.com/docker/buildx v0.17.1 257815a', '0.17.1'],
    ['github.com/docker/buildx 0.12.0-rc1 abc', '0.12.0'],
    ['v0.36.1', '0.36.1'],
    ['docker: unknown command: docker buildx', undefined],
  ])('version of %j is %j', (text, version) => expect(parseBuildxVersion(text)).toBe(version))

  test.each([
    ['0.36.1', '0.36.1', true],
    ['0.36.2', '0.36.1', true],
    ['0.40.0', '0.36.1', true],
    ['1.0.0', '0.36.1', true],
    ['0.36.0', '0.36.1', false],
    ['0.9.9', '0.36.1', false],
  ])('%s at least %s: %s', (a, b, yes) => expect(versionAtLeast(a, b)).toBe(yes))

  test.each([
    ['x64', 'amd64'],
    ['arm64', 'arm64'],
    ['riscv64', undefined],
  ])('node arch %s is buildx %s', (node, arch) => expect(buildxArch(node)).toBe(arch))

  test('the pinned release: a real version, a sha256 per architecture, the GitHub asset URL', () => {
    expect(BUILDX_PINNED.version).toMatch(/^\d+\.\d+\.\d+$/)
    for (const arch of ['amd64', 'arm64'])
      expect(BUILDX_PINNED.sha256[arch]).toMatch(/^[a-f0-9]{64}$/)
    expect(buildxReleaseUrl('0.36.1', 'arm64')).toBe(
      'https://github.com/docker/buildx/releases/download/v0.36.1/buildx-v0.36.1.linux-arm64',
    )
  })
})
