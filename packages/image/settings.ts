/**
 * build-image's and push-registry's settings from their raw input values and the runner's
 * environment (both passed in by the action: this package reads neither). Every value is checked
 * here, used or not, before anything runs; errors name the input, the value and what is allowed.
 */
import { existsSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { isAbsolute, join, resolve } from 'node:path'
import { ConfigurationError, quote } from '../action-kit/index.js'
import { parseHttpUrl, parseList } from '../action-kit/util.js'
import type { RegistryAuth, LoginFile } from './auth.js'
import { loginFiles } from './auth.js'
import { BUILDX_PINNED, buildxArch, buildxReleaseUrl, type BuildxSettings } from './buildx.js'
import { parseKeyValues, parsePlatforms } from './metadata.js'
import {
  defaultTags,
  parseImageName,
  parseImageTags,
  parseReference,
  type ImageRef,
} from './refs.js'
import { parseSecrets } from './secrets.js'

/** What builds the image: buildah, or docker buildx (build.ts runs it). */
export type Engine = 'buildah' | 'docker'

/** The runner's environment as the action hands it over. */
export type Environment = Readonly<Record<string, string | undefined>>

/** Where the settings are read: the workspace for relative paths, the runner's environment. */
export interface Surroundings {
  workspace: string
  env: Environment
  /** Node's process.arch of the runner (the buildx asset to install); default: this process's. */
  arch?: string
}

/** build-image's inputs as given (typed readers already applied to enums, booleans, durations). */
export interface BuildInputs {
  image: string
  /** '' for the workspace itself. */
  context: string
  file?: string | undefined
  tags: string
  buildArgs: string
  labels: string
  target?: string | undefined
  platforms: string
  engine: 'auto' | Engine
  cache: 'gha' | 'none'
  reproducible: boolean
  timeoutMs: number
  secrets: string
  buildxUrl?: string | undefined
  buildxSha256?: string | undefined
}

/** A build secret with what it reads: a variable's value (unchecked yet) or a workspace file. */
export type BuildSecret =
  { id: string; env: string; value: string | undefined } | { id: string; src: string; path: string }

export interface BuildSettings {
  image: string
  context: string
  /** The Dockerfile's path. */
  file: string
  /** Bare tags of `image`: the given ones, else sha-<short> and the branch or version tag. */
  tags: string[]
  buildArgs: Record<string, string>
  /** The user's labels; they win over the OCI labels the build adds. */
  labels: Record<string, string>
  target?: string
  platforms: string[]
  engine: 'auto' | Engine
  cache: 'gha' | 'none'
  reproducible: boolean
  timeoutMs: number
  secrets: BuildSecret[]
  /** The buildx install for engine docker (used only when docker builds). */
  buildx: Omit<BuildxSettings, 'log' | 'downloadTimeoutMs' | 'toolCache'>
  /** Where the source comes from, for the OCI labels. */
  origin: { serverUrl: string; repository: string; sha: string }
  /** Where the OCI archive is written (RUNNER_TEMP). */
  tempDir: string
}

export function readBuildSettings(inputs: BuildInputs, where: Surroundings): BuildSettings {
  const { workspace, env } = where
  const image = parseImageName('image', inputs.image)
  const context = resolve(workspace, inputs.context || '.')
  const file =
    inputs.file === undefined
      ? join(context, 'Dockerfile')
      : isAbsolute(inputs.file)
        ? inputs.file
        : resolve(workspace, inputs.file)
  const given = parseImageTags('tags', inputs.tags, image)
  const tags =
    given.tags.length > 0
      ? given.tags
      : defaultTags({ sha: env.GITHUB_SHA ?? 'local00', ref: env.GITHUB_REF ?? '' })
  const buildArgs = parseKeyValues('build-args', inputs.buildArgs)
  const labels = parseKeyValues('labels', inputs.labels)
  const platforms = parsePlatforms('platforms', inputs.platforms)
  const specs = parseSecrets('secrets', inputs.secrets)
  const { buildxUrl, buildxSha256: buildxSha, engine, cache } = inputs
  if (buildxUrl !== undefined) parseHttpUrl('buildx-url', buildxUrl)
  if (buildxSha !== undefined && !/^[a-fA-F0-9]{64}$/.test(buildxSha))
    throw new ConfigurationError(
      `Input 'buildx-sha256' has the value ${quote(buildxSha)}; allowed: a sha256 of 64 hex digits.`,
    )
  if (buildxSha !== undefined && buildxUrl === undefined)
    throw new ConfigurationError(
      `Input 'buildx-sha256' is set without 'buildx-url'; it is the checksum of the file buildx-url serves (the pinned release has its own).`,
    )
  if (buildxUrl !== undefined && engine === 'buildah')
    throw new ConfigurationError(
      `Input 'buildx-url' is set, but 'engine' is buildah, which does not use docker buildx; drop buildx-url or use engine: docker.`,
    )
  if (cache === 'gha' && engine === 'buildah')
    throw new ConfigurationError(
      `Input 'cache' is "gha", which only docker buildx supports; with engine: buildah use cache: none.`,
    )
  const nodeArch = where.arch ?? process.arch
  const arch = buildxArch(nodeArch) ?? nodeArch
  return {
    image,
    context,
    file,
    tags,
    buildArgs,
    labels,
    ...(inputs.target ? { target: inputs.target } : {}),
    platforms,
    engine,
    cache,
    reproducible: inputs.reproducible,
    timeoutMs: inputs.timeoutMs,
    secrets: specs.map((spec) =>
      spec.env !== undefined
        ? { id: spec.id, env: spec.env, value: env[spec.env] }
        : {
            id: spec.id,
            src: spec.src as string,
            path: isAbsolute(spec.src as string)
              ? (spec.src as string)
              : resolve(workspace, spec.src as string),
          },
    ),
    buildx: {
      version: BUILDX_PINNED.version,
      url: buildxUrl ?? buildxReleaseUrl(BUILDX_PINNED.version, arch),
      sha256: buildxSha?.toLowerCase() ?? BUILDX_PINNED.sha256[arch],
      arch,
      pluginsDir: join(env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker'), 'cli-plugins'),
    },
    origin: {
      serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
      repository: env.GITHUB_REPOSITORY ?? '',
      sha: env.GITHUB_SHA ?? '',
    },
    tempDir: env.RUNNER_TEMP || '/tmp',
  }
}

/** push-registry's inputs as given; `auths` already parsed (and masked by the action). */
export interface PushInputs {
  auths: RegistryAuth[]
  source: string
  destinations: string
  retries: number
  timeoutMs: number
  tlsVerify: boolean
  insecureRegistries: string
  certsDir?: string | undefined
}

export interface PushSettings {
  /** oci-archive:<path> or docker://<registry/repo@sha256:...> */
  source: string
  sourceRegistry?: string
  destinations: ImageRef[]
  auths: RegistryAuth[]
  /** The runner's earlier logins (lowest precedence first), carried into the auth file. */
  loginFiles: LoginFile[]
  retries: number
  timeoutMs: number
  insecure: string[]
  certsDir?: string
  /** Where the temporary auth file and digest files go (RUNNER_TEMP). */
  tempDir: string
}

/** Reads no file, but looks whether `source` names one in the workspace. */
export function readPushSettings(inputs: PushInputs, where: Surroundings): PushSettings {
  const { workspace, env } = where
  const destinations = inputs.destinations
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((d) => parseReference('destinations', d))
  const insecure = parseList(inputs.insecureRegistries)
  if (!inputs.tlsVerify && insecure.length === 0) {
    throw new ConfigurationError(
      `Input 'tls-verify' is false, but 'insecure-registries' names no registry; name the registries to reach without TLS verification.`,
    )
  }
  if (inputs.tlsVerify && insecure.length > 0)
    throw new ConfigurationError(
      `Input 'insecure-registries' is set, but 'tls-verify' is true; set tls-verify: false to use it.`,
    )
  const source = readSource(inputs.source, workspace)
  return {
    ...source,
    destinations,
    auths: inputs.auths,
    // skopeo reads only the file given: the runner's earlier logins are carried into it.
    loginFiles: loginFiles({
      home: env.HOME || homedir(),
      dockerConfig: env.DOCKER_CONFIG,
      xdgRuntimeDir: env.XDG_RUNTIME_DIR,
      registryAuthFile: env.REGISTRY_AUTH_FILE,
    }),
    retries: inputs.retries,
    timeoutMs: inputs.timeoutMs,
    insecure,
    ...(inputs.certsDir ? { certsDir: resolve(workspace, inputs.certsDir) } : {}),
    tempDir: env.RUNNER_TEMP || '/tmp',
  }
}

/** An OCI archive in the workspace, or an image in a registry by digest. */
function readSource(given: string, workspace: string): { source: string; sourceRegistry?: string } {
  if (
    given.includes('@') ||
    (/^[a-z0-9.-]+(:\d+)?\//.test(given) && !existsSync(resolve(workspace, given)))
  ) {
    const ref = parseReference('source', given, { requireDigest: true })
    return { source: `docker://${ref.name}@${ref.digest}`, sourceRegistry: ref.registry }
  }
  const path = isAbsolute(given) ? given : resolve(workspace, given)
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new ConfigurationError(
      `Input 'source' is ${quote(given)}, which is neither an existing OCI archive nor registry/repo@sha256:...`,
    )
  }
  return { source: `oci-archive:${path}` }
}
