import { execFileSync } from 'node:child_process'
import { isAbsolute, join, resolve } from 'node:path'
import type { ActionIO } from '../../packages/action-kit/action.js'
import { ConfigurationError, quote, type Inputs } from '../../packages/action-kit/index.js'
import {
  buildImage,
  buildReport,
  checkContext,
  chooseEngine,
  defaultTags,
  parseImageName,
  sanitizeTag,
} from '../../packages/image/index.js'

export async function main(io: ActionIO): Promise<void> {
  const { inputs } = io
  const image = parseImageName('image', inputs.string('image', { required: true }))
  const context = resolve(inputs.workspace, inputs.string('context') || '.')
  const file = inputs.optional('file')
  const dockerfile =
    file === undefined
      ? join(context, 'Dockerfile')
      : isAbsolute(file)
        ? file
        : resolve(inputs.workspace, file)
  const env = process.env
  const tagList = list(inputs.string('tags'))
  for (const tag of tagList) {
    if (sanitizeTag(tag) !== tag || tag.length === 0) {
      throw new ConfigurationError(
        `Input 'tags' has ${quote(tag)}; allowed: lower-case letters, digits, _ . - (at most 128), not starting with . or -.`,
      )
    }
  }
  const tags = (
    tagList.length > 0
      ? tagList
      : defaultTags({ sha: env.GITHUB_SHA ?? 'local00', ref: env.GITHUB_REF ?? '' })
  ).map((t) => `${image}:${t}`)
  const buildArgs = keyValues(inputs, 'build-args')
  const userLabels = keyValues(inputs, 'labels')
  const target = inputs.optional('target')
  const platforms = list(inputs.string('platforms'))
  for (const p of platforms) {
    if (!/^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/.test(p))
      throw new ConfigurationError(
        `Input 'platforms' has ${quote(p)}; allowed: os/arch[/variant], e.g. linux/amd64.`,
      )
  }
  const engineChoice = inputs.enum('engine', ['auto', 'docker', 'buildah'], 'auto')
  const cache = inputs.enum('cache', ['gha', 'none'], 'none')
  const reproducible = inputs.boolean('reproducible', false)
  if (cache === 'gha' && engineChoice === 'buildah')
    throw new ConfigurationError(
      `Input 'cache' is "gha", which only docker buildx supports; with engine: buildah use cache: none.`,
    )
  checkContext(context, dockerfile)

  const engine = await chooseEngine(engineChoice, io.log)
  if (cache === 'gha' && engine === 'buildah')
    throw new ConfigurationError(
      `Input 'cache' is "gha", but no Docker daemon answers here, so buildah builds; use cache: none.`,
    )
  const timestamp = reproducible ? commitTime(context) : undefined
  const created = new Date((timestamp ?? Math.floor(Date.now() / 1000)) * 1000).toISOString()
  const version =
    tags.map((t) => t.slice(image.length + 1)).find((t) => /^\d+\.\d+\.\d+/.test(t)) ??
    tags[0]?.slice(image.length + 1) ??
    ''
  const labels = {
    'org.opencontainers.image.source': `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY ?? ''}`,
    'org.opencontainers.image.revision': env.GITHUB_SHA ?? '',
    'org.opencontainers.image.created': created,
    'org.opencontainers.image.version': version,
    ...userLabels,
  }
  const archive = join(env.RUNNER_TEMP || '/tmp', `cutover-image-${process.pid}-${Date.now()}.tar`)
  const result = await io.group(`Build ${image} with ${engine}`, () =>
    buildImage(
      engine,
      {
        context,
        file: dockerfile,
        tags,
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

function list(value: string): string[] {
  return value
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean)
}

function keyValues(inputs: Inputs, name: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of inputs
    .string(name)
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)) {
    const eq = line.indexOf('=')
    if (eq <= 0)
      throw new ConfigurationError(
        `Input '${name}' has the line ${quote(line)}; allowed: KEY=VALUE, one per line.`,
      )
    out[line.slice(0, eq)] = line.slice(eq + 1)
  }
  return out
}

/** The commit time of HEAD in the context, or 0 outside git: the same source gives the same digest. */
function commitTime(context: string): number {
  try {
    return (
      Number(
        execFileSync('git', ['-C', context, 'log', '-1', '--format=%ct'], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        }).trim(),
      ) || 0
    )
  } catch {
    return 0
  }
}
