import { isAbsolute, join, resolve } from 'node:path'
import type { ActionIO } from '../../packages/action-kit/action.js'
import { ConfigurationError } from '../../packages/action-kit/index.js'
import {
  buildImage,
  buildReport,
  checkContext,
  chooseEngine,
  commitTime,
  defaultTags,
  ociLabels,
  parseImageName,
  parseKeyValues,
  parsePlatforms,
  parseTags,
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
  const given = parseTags('tags', inputs.string('tags'))
  const tags =
    given.length > 0
      ? given
      : defaultTags({ sha: env.GITHUB_SHA ?? 'local00', ref: env.GITHUB_REF ?? '' })
  const buildArgs = parseKeyValues('build-args', inputs.string('build-args'))
  const userLabels = parseKeyValues('labels', inputs.string('labels'))
  const target = inputs.optional('target')
  const platforms = parsePlatforms('platforms', inputs.string('platforms'))
  const engineChoice = inputs.enum('engine', ['auto', 'docker', 'buildah'], 'auto')
  const cache = inputs.enum('cache', ['gha', 'none'], 'none')
  const reproducible = inputs.boolean('reproducible', false)
  if (cache === 'gha' && engineChoice === 'buildah') {
    throw new ConfigurationError(
      `Input 'cache' is "gha", which only docker buildx supports; with engine: buildah use cache: none.`,
    )
  }
  checkContext(context, dockerfile)

  const engine = await chooseEngine(engineChoice, io.log)
  if (cache === 'gha' && engine === 'buildah') {
    throw new ConfigurationError(
      `Input 'cache' is "gha", but no Docker daemon answers here, so buildah builds; use cache: none.`,
    )
  }
  const timestamp = reproducible ? commitTime(context) : undefined
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
      },
      archive,
      io.log,
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
