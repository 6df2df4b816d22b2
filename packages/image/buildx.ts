/**
 * docker buildx for `engine: docker`: the runner's plugin when it is at least the pinned version,
 * else the pinned release from the tool cache (RUNNER_TOOL_CACHE; later steps and jobs on the
 * same runner find it there) or downloaded once, its sha256 checked before anything is
 * installed, then placed in the docker CLI plugins directory.
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { chmod, copyFile, mkdir, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import {
  ConfigurationError,
  DeploymentFailed,
  errorMessage,
  type Log,
} from '../action-kit/index.js'
import { execute, failure } from '../exec/index.js'

/**
 * The pinned release. Checksums of the release assets buildx-v0.36.1.linux-{amd64,arm64}, as
 * docker-library/docker pins them (29/cli/Dockerfile at 3289af88086d67e6f0bfebfa0617541a0f574d96).
 */
export const BUILDX_PINNED = {
  version: '0.36.1',
  sha256: {
    amd64: '48af8a397ebd60178778bf63611dbcebe5f5e7a9be90eb9147b24b9587455778',
    arm64: '5d0cafd9d16afe1a0f0d9529885344ace2cc99efdd531b6c783c5455a6001569',
  } as Record<string, string>,
} as const

/** The tool-cache name; the cached file is the plugin binary itself. */
export const BUILDX_TOOL = 'docker-buildx'
/** `docker buildx version` starts a plugin and prints one line. */
const VERSION_TIMEOUT_MS = 30_000
/** Downloading the ~60 MB binary; @actions/tool-cache has no timeout of its own. */
export const BUILDX_DOWNLOAD_TIMEOUT_MS = 5 * 60_000

export function buildxReleaseUrl(version: string, arch: string): string {
  return `https://github.com/docker/buildx/releases/download/v${version}/buildx-v${version}.linux-${arch}`
}

/** Node's process.arch as buildx names its assets (undefined: no asset pinned here). */
export function buildxArch(nodeArch: string): string | undefined {
  return { x64: 'amd64', arm64: 'arm64' }[nodeArch]
}

/** The parts of @actions/tool-cache used here; tests may pass their own. */
export interface ToolCache {
  find(tool: string, version: string, arch?: string): string
  downloadTool(url: string): Promise<string>
  cacheFile(
    source: string,
    target: string,
    tool: string,
    version: string,
    arch?: string,
  ): Promise<string>
}

export interface BuildxSettings {
  /** The version required (at least) and installed. */
  version: string
  /** Where the binary is downloaded from (the release asset, or a mirror's copy). */
  url: string
  /** Its expected sha256, lower-case hex; undefined when none is pinned for this arch. */
  sha256: string | undefined
  /** buildx's arch name (amd64, arm64); the tool-cache key uses it too. */
  arch: string
  /** The docker CLI plugins directory: $DOCKER_CONFIG/cli-plugins or ~/.docker/cli-plugins. */
  pluginsDir: string
  log: Log
  downloadTimeoutMs?: number
  toolCache?: ToolCache
}

export interface BuildxInstall {
  version: string
  /** runner: the plugin already there; cache: copied from the tool cache; download: fetched now. */
  source: 'runner' | 'cache' | 'download'
  path?: string
}

/** `github.com/docker/buildx v0.17.1 257815a` -> 0.17.1 */
export function parseBuildxVersion(output: string): string | undefined {
  return /\bv?(\d+\.\d+\.\d+)\b/.exec(output)?.[1]
}

/** Whether version `a` is at least `b` (plain x.y.z). */
export function versionAtLeast(a: string, b: string): boolean {
  const pa = a.split('.').map(Number)
  const pb = b.split('.').map(Number)
  for (let i = 0; i < 3; i++) {
    if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) > (pb[i] ?? 0)
  }
  return true
}

/** The version `docker buildx version` reports, or undefined when docker has no buildx plugin. */
export async function installedBuildx(): Promise<string | undefined> {
  const result = await execute(['docker', 'buildx', 'version'], { timeoutMs: VERSION_TIMEOUT_MS })
  if (result.notFound)
    throw new ConfigurationError(
      `Input 'engine' is docker, but the docker CLI is not installed on this runner; use engine: buildah or install docker.`,
    )
  if (result.timedOut) throw new Error(failure(result, VERSION_TIMEOUT_MS).message)
  return result.code === 0 ? parseBuildxVersion(result.stdout) : undefined
}

/** Makes sure `docker buildx` is at least `settings.version`; installs the pinned one if not. */
export async function ensureBuildx(settings: BuildxSettings): Promise<BuildxInstall> {
  const { log, version } = settings
  const current = await installedBuildx()
  if (current && versionAtLeast(current, version)) {
    log.info(`docker buildx v${current} is on the runner (at least v${version})`)
    return { version: current, source: 'runner' }
  }
  log.info(
    current
      ? `docker buildx v${current} is older than v${version}: installing v${version}`
      : `docker has no buildx plugin: installing v${version}`,
  )
  if (!settings.sha256)
    throw new ConfigurationError(
      `No docker buildx is pinned for linux/${settings.arch} (only ${Object.keys(BUILDX_PINNED.sha256).join(', ')}); give 'buildx-url' and 'buildx-sha256' for a v${version} binary, or use engine: buildah.`,
    )
  const pinned = { ...settings, sha256: settings.sha256 }
  const tc = settings.toolCache ?? (await import('@actions/tool-cache'))
  let source: BuildxInstall['source'] = 'cache'
  let binary = cachedBinary(tc, pinned)
  if (binary && (await sha256File(binary)) !== pinned.sha256) {
    log.warning(
      `the tool cache's docker buildx v${version} (${binary}) does not have the expected sha256; downloading it again`,
    )
    binary = undefined
  }
  if (!binary) {
    source = 'download'
    binary = await download(tc, pinned)
  } else log.info(`docker buildx v${version} found in the tool cache: ${binary}`)

  const plugin = join(settings.pluginsDir, 'docker-buildx')
  await mkdir(settings.pluginsDir, { recursive: true })
  // Copied beside the target, then renamed: docker never sees a half-written plugin.
  const partial = `${plugin}.cutover-${process.pid}`
  await copyFile(binary, partial)
  await chmod(partial, 0o755)
  await rename(partial, plugin)
  const now = await installedBuildx()
  if (now !== version)
    throw new DeploymentFailed(
      `docker buildx v${version} was installed as ${plugin}, but \`docker buildx version\` reports ${now ? `v${now}` : 'no buildx'}: docker does not read that plugins directory (is DOCKER_CONFIG set for this step and the build alike?)`,
    )
  log.info(`docker buildx v${version} installed in ${plugin} (sha256 ${settings.sha256})`)
  return { version, source, path: plugin }
}

function cachedBinary(tc: ToolCache, settings: BuildxSettings): string | undefined {
  const dir = tc.find(BUILDX_TOOL, settings.version, settings.arch)
  return dir ? join(dir, BUILDX_TOOL) : undefined
}

/** Downloads, checks the sha256, and only then puts the binary in the tool cache. */
async function download(
  tc: ToolCache,
  settings: BuildxSettings & { sha256: string },
): Promise<string> {
  const timeoutMs = settings.downloadTimeoutMs ?? BUILDX_DOWNLOAD_TIMEOUT_MS
  settings.log.info(`downloading docker buildx v${settings.version} from ${settings.url}`)
  let timer: NodeJS.Timeout | undefined
  let file: string
  try {
    file = await Promise.race([
      tc.downloadTool(settings.url),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no complete download within ${timeoutMs / 1000} s`)),
          timeoutMs,
        )
      }),
    ])
  } catch (e) {
    throw new DeploymentFailed(
      `cannot download docker buildx v${settings.version} from ${settings.url}: ${errorMessage(e)}`,
    )
  } finally {
    clearTimeout(timer)
  }
  try {
    const actual = await sha256File(file)
    if (actual !== settings.sha256)
      throw new DeploymentFailed(
        `docker buildx from ${settings.url} has sha256 ${actual}, not the expected ${settings.sha256}: nothing was installed`,
      )
    // Every CLI plugin answers this without docker: check the version before caching anything.
    await chmod(file, 0o755)
    const served = await pluginVersion(file)
    if (served !== settings.version)
      throw new DeploymentFailed(
        `docker buildx from ${settings.url} is ${served ? `v${served}` : 'not a docker CLI plugin'}, not v${settings.version}: nothing was installed`,
      )
    const dir = await tc.cacheFile(file, BUILDX_TOOL, BUILDX_TOOL, settings.version, settings.arch)
    return join(dir, BUILDX_TOOL)
  } finally {
    await rm(file, { force: true })
  }
}

/** The version a plugin binary declares (`docker-cli-plugin-metadata`), if it runs at all. */
async function pluginVersion(binary: string): Promise<string | undefined> {
  const result = await execute([binary, 'docker-cli-plugin-metadata'], {
    timeoutMs: VERSION_TIMEOUT_MS,
  })
  try {
    const version = (JSON.parse(result.stdout) as { Version?: unknown }).Version
    return typeof version === 'string' ? parseBuildxVersion(version) : undefined
  } catch {
    return undefined
  }
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256')
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')))
  })
}
