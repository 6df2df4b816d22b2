import { readFileSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { isAbsolute, join, resolve } from 'node:path'
import type { ActionIO } from '../../packages/action-kit/action.js'
import { ConfigurationError, quote } from '../../packages/action-kit/index.js'
import { parseHttpUrl } from '../../packages/action-kit/util.js'
import {
  BUILDX_PINNED,
  buildImage,
  buildReport,
  buildxArch,
  buildxReleaseUrl,
  checkContext,
  chooseEngine,
  commitTime,
  defaultTags,
  ensureBuildx,
  ociLabels,
  parseImageName,
  parseImageTags,
  parseKeyValues,
  parsePlatforms,
  parseSecrets,
  type SecretSpec,
} from '../../packages/image/index.js'

export async function main(io: ActionIO): Promise<void> {
  const { inputs } = io
  const env = process.env
  const image = parseImageName('image', inputs.string('image', { required: true }))
  const context = resolve(inputs.workspace, inputs.string('context') || '.')
  const file = inputs.optional('file')
  const dockerfile =
    file === undefined
      ? join(context, 'Dockerfile')
      : isAbsolute(file)
        ? file
        : resolve(inputs.workspace, file)
  const given = parseImageTags('tags', inputs.string('tags'), image)
  const tags =
    given.tags.length > 0
      ? given.tags
      : defaultTags({ sha: env.GITHUB_SHA ?? 'local00', ref: env.GITHUB_REF ?? '' })
  const buildArgs = parseKeyValues('build-args', inputs.string('build-args'))
  const userLabels = parseKeyValues('labels', inputs.string('labels'))
  const target = inputs.optional('target')
  const platforms = parsePlatforms('platforms', inputs.string('platforms'))
  const engineChoice = inputs.enum('engine', ['auto', 'docker', 'buildah'], 'auto')
  const cache = inputs.enum('cache', ['gha', 'none'], 'none')
  const reproducible = inputs.boolean('reproducible', false)
  const timeoutMs = inputs.duration('build-timeout', 60 * 60_000, {
    min: 60_000,
    max: 6 * 3_600_000,
  })
  const secretSpecs = parseSecrets('secrets', inputs.string('secrets'))
  const buildxUrl = inputs.optional('buildx-url')
  if (buildxUrl !== undefined) parseHttpUrl('buildx-url', buildxUrl)
  const buildxSha = inputs.optional('buildx-sha256')
  if (buildxSha !== undefined && !/^[a-fA-F0-9]{64}$/.test(buildxSha))
    throw new ConfigurationError(
      `Input 'buildx-sha256' has the value ${quote(buildxSha)}; allowed: a sha256 of 64 hex digits.`,
    )
  if (buildxSha !== undefined && buildxUrl === undefined)
    throw new ConfigurationError(
      `Input 'buildx-sha256' is set without 'buildx-url'; it is the checksum of the file buildx-url serves (the pinned release has its own).`,
    )
  if (buildxUrl !== undefined && engineChoice === 'buildah')
    throw new ConfigurationError(
      `Input 'buildx-url' is set, but 'engine' is buildah, which does not use docker buildx; drop buildx-url or use engine: docker.`,
    )
  if (cache === 'gha' && engineChoice === 'buildah') {
    throw new ConfigurationError(
      `Input 'cache' is "gha", which only docker buildx supports; with engine: buildah use cache: none.`,
    )
  }
  checkContext(context, dockerfile)
  const { secrets, secretEnv } = readSecrets(io, secretSpecs)

  const engine = await chooseEngine(engineChoice, io.log)
  if (cache === 'gha' && engine === 'buildah') {
    throw new ConfigurationError(
      `Input 'cache' is "gha", but no Docker daemon answers here, so buildah builds; use cache: none.`,
    )
  }
  if (engine === 'docker') {
    const arch = buildxArch(process.arch) ?? process.arch
    const sha256 = buildxSha?.toLowerCase() ?? BUILDX_PINNED.sha256[arch]
    await io.group('docker buildx', () =>
      ensureBuildx({
        version: BUILDX_PINNED.version,
        url: buildxUrl ?? buildxReleaseUrl(BUILDX_PINNED.version, arch),
        sha256,
        arch,
        pluginsDir: join(env.DOCKER_CONFIG || join(homedir(), '.docker'), 'cli-plugins'),
        log: io.log,
      }),
    )
  }
  const timestamp = reproducible ? await commitTime(context) : undefined
  const labels = {
    ...ociLabels({
      serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
      repository: env.GITHUB_REPOSITORY ?? '',
      sha: env.GITHUB_SHA ?? '',
      createdSeconds: timestamp ?? Math.floor(Date.now() / 1000),
      tags,
    }),
    ...userLabels,
  }
  const archive = join(env.RUNNER_TEMP || '/tmp', `cutover-image-${process.pid}-${Date.now()}.tar`)
  const result = await io.group(`Build ${image} with ${engine}`, () =>
    buildImage(
      engine,
      {
        context,
        file: dockerfile,
        tags: tags.map((t) => `${image}:${t}`),
        buildArgs,
        labels,
        ...(target ? { target } : {}),
        platforms,
        ...(timestamp !== undefined ? { timestamp } : {}),
        cache,
        secrets,
      },
      archive,
      { log: io.log, timeoutMs, secretEnv },
    ),
  )
  io.output({
    digest: result.digest,
    archive: result.archive,
    tags: result.tags.join('\n'),
    metadata: JSON.stringify({
      image,
      engine,
      digest: result.digest,
      archive: result.archive,
      tags: result.tags,
      labels,
    }),
  })
  await io.summary(buildReport(result))
}

/**
 * Each build secret's value, masked before anything runs; checked here so a missing variable or
 * file fails before the build. Errors name the variable or path, never a value or file content.
 */
function readSecrets(
  io: ActionIO,
  specs: SecretSpec[],
): { secrets: SecretSpec[]; secretEnv: Record<string, string> } {
  const secretEnv: Record<string, string> = {}
  const secrets = specs.map((spec) => {
    if (spec.env !== undefined) {
      const value = process.env[spec.env]
      if (!value)
        throw new ConfigurationError(
          `Input 'secrets': id=${spec.id} reads the environment variable ${spec.env}, which is ${value === undefined ? 'not set' : 'empty'}; set it in the step's env (e.g. ${spec.env}: \${{ secrets.${spec.env} }}).`,
        )
      io.secret(value, `'secrets' id=${spec.id}`)
      secretEnv[spec.env] = value
      return spec
    }
    const path = isAbsolute(spec.src as string)
      ? (spec.src as string)
      : resolve(io.inputs.workspace, spec.src as string)
    let content: string
    try {
      if (!statSync(path).isFile()) throw Object.assign(new Error(), { code: 'not a file' })
      content = readFileSync(path, 'utf8')
    } catch (e) {
      throw new ConfigurationError(
        `Input 'secrets': id=${spec.id} reads the file ${quote(spec.src)}, which cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}).`,
      )
    }
    io.secret(content, `'secrets' id=${spec.id}`)
    return { id: spec.id, src: path }
  })
  return { secrets, secretEnv }
}
