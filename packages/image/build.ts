/** Building an image into an OCI archive with buildah or docker buildx. */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  ConfigurationError,
  DeploymentFailed,
  markdown,
  quote,
  type Log,
} from '../action-kit/index.js'
import { CommandFailed, execute, failure, run } from '../exec/index.js'
import {
  buildahBuildArgs,
  buildahPushArgs,
  buildxBuildArgs,
  buildxEnv,
  type BuildSpec,
} from './argv.js'
import { ensureBuildx } from './buildx.js'
import { commitTime, ociLabels } from './metadata.js'
import type { SecretSpec } from './secrets.js'
import type { BuildSecret, BuildSettings, Engine } from './settings.js'

/** Whether a Docker daemon answers: it does at once or not at all. */
const DOCKER_INFO_TIMEOUT_MS = 10_000
/** Writing the built image into the archive: a local copy of the layers. */
const ARCHIVE_TIMEOUT_MS = 10 * 60_000

export interface BuildResult {
  engine: Engine
  digest: string
  archive: string
  tags: string[]
  labels: Record<string, string>
}

export interface BuildOptions {
  log: Log
  /** The whole build (the `build-timeout` input). */
  timeoutMs: number
  /** Values the build needs in its environment: the env= build secrets, nothing else. */
  secretEnv?: Record<string, string>
}

/** `auto`: docker buildx when a Docker daemon answers, else buildah. */
export async function chooseEngine(choice: 'auto' | Engine, log: Log): Promise<Engine> {
  if (choice !== 'auto') return choice
  const docker = await execute(['docker', 'info', '--format', '{{.ServerVersion}}'], {
    timeoutMs: DOCKER_INFO_TIMEOUT_MS,
  })
  if (docker.code === 0) return 'docker'
  log.info('engine: no Docker daemon answers, so buildah builds this image')
  return 'buildah'
}

export function checkContext(context: string, file: string): void {
  if (!existsSync(context) || !statSync(context).isDirectory()) {
    throw new ConfigurationError(
      `Input 'context' is ${JSON.stringify(context)}, which is not a directory.`,
    )
  }
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new ConfigurationError(
      `Input 'file' is ${JSON.stringify(file)}, which does not exist: give the Dockerfile's path (default: <context>/Dockerfile).`,
    )
  }
}

export async function buildImage(
  engine: Engine,
  spec: BuildSpec,
  archive: string,
  options: BuildOptions,
): Promise<BuildResult> {
  const { log, timeoutMs } = options
  const digestFile = `${archive}.digest`
  const env = options.secretEnv ?? {}
  if (engine === 'buildah') {
    const built = await execute(buildahBuildArgs(spec), { log, timeoutMs, env })
    if (built.code !== 0 || built.timedOut)
      throw new DeploymentFailed(
        `buildah build failed: ${
          built.notFound
            ? 'buildah is not installed on this runner'
            : failure(built, timeoutMs).message
        }`,
      )
    try {
      await run(buildahPushArgs(spec.tags[0] as string, archive, digestFile), {
        log,
        timeoutMs: ARCHIVE_TIMEOUT_MS,
      })
    } catch (e) {
      if (!(e instanceof CommandFailed)) throw e
      throw new Error(`buildah could not write the OCI archive ${archive}: ${e.message}`)
    }
  } else {
    if (spec.platforms.length > 1)
      log.info('buildx: several platforms go into one OCI archive (an image index)')
    const metadata = `${archive}.metadata.json`
    const built = await execute(buildxBuildArgs(spec, archive, metadata), {
      log,
      timeoutMs,
      env: { ...env, ...buildxEnv(spec) },
    })
    if (built.code !== 0 || built.timedOut)
      throw new DeploymentFailed(`docker buildx build failed: ${failure(built, timeoutMs).message}`)
    const digest = (JSON.parse(readFileSync(metadata, 'utf8')) as Record<string, string>)[
      'containerimage.digest'
    ]
    if (digest) await writeFile(digestFile, digest)
  }
  const digest = readFileSync(digestFile, 'utf8').trim()
  if (!/^sha256:[a-f0-9]{64}$/.test(digest))
    throw new Error(`the build wrote no digest (got ${JSON.stringify(digest)})`)
  return { engine, digest, archive, tags: spec.tags, labels: spec.labels }
}

/** What build-image needs of the runner: a log, masking and log groups. */
export interface BuildIO {
  log: Log
  /** Masks a value in every later log line. */
  secret(value: string, name?: string): void
  group<T>(title: string, fn: () => Promise<T>): Promise<T>
}

export interface BuiltImage extends BuildResult {
  image: string
}

/**
 * build-image: checks the context and the secrets (masked before anything runs), picks the
 * engine, installs buildx when docker builds and the runner's is missing or old, then builds.
 */
export async function build(settings: BuildSettings, io: BuildIO): Promise<BuiltImage> {
  const { image, context, cache, tags } = settings
  checkContext(context, settings.file)
  const { secrets, secretEnv } = readSecrets(settings.secrets, io)

  const engine = await chooseEngine(settings.engine, io.log)
  if (cache === 'gha' && engine === 'buildah') {
    throw new ConfigurationError(
      `Input 'cache' is "gha", but no Docker daemon answers here, so buildah builds; use cache: none.`,
    )
  }
  if (engine === 'docker')
    await io.group('docker buildx', () => ensureBuildx({ ...settings.buildx, log: io.log }))
  const timestamp = settings.reproducible ? await commitTime(context) : undefined
  const labels = {
    ...ociLabels({
      ...settings.origin,
      createdSeconds: timestamp ?? Math.floor(Date.now() / 1000),
      tags,
    }),
    ...settings.labels,
  }
  const archive = join(settings.tempDir, `cutover-image-${process.pid}-${Date.now()}.tar`)
  const result = await io.group(`Build ${image} with ${engine}`, () =>
    buildImage(
      engine,
      {
        context,
        file: settings.file,
        tags: tags.map((t) => `${image}:${t}`),
        buildArgs: settings.buildArgs,
        labels,
        ...(settings.target ? { target: settings.target } : {}),
        platforms: settings.platforms,
        ...(timestamp !== undefined ? { timestamp } : {}),
        cache,
        secrets,
      },
      archive,
      { log: io.log, timeoutMs: settings.timeoutMs, secretEnv },
    ),
  )
  return { ...result, image }
}

/** build-image's outputs. */
export function buildOutputs(built: BuiltImage): Record<string, string> {
  return {
    digest: built.digest,
    archive: built.archive,
    tags: built.tags.join('\n'),
    metadata: JSON.stringify({
      image: built.image,
      engine: built.engine,
      digest: built.digest,
      archive: built.archive,
      tags: built.tags,
      labels: built.labels,
    }),
  }
}

/**
 * Each build secret's value, masked before anything runs; checked here so a missing variable or
 * file fails before the build. Errors name the variable or path, never a value or file content.
 */
function readSecrets(
  given: BuildSecret[],
  io: Pick<BuildIO, 'secret'>,
): { secrets: SecretSpec[]; secretEnv: Record<string, string> } {
  const secretEnv: Record<string, string> = {}
  const secrets = given.map((secret): SecretSpec => {
    if ('env' in secret) {
      const { id, env, value } = secret
      if (!value)
        throw new ConfigurationError(
          `Input 'secrets': id=${id} reads the environment variable ${env}, which is ${value === undefined ? 'not set' : 'empty'}; set it in the step's env (e.g. ${env}: \${{ secrets.${env} }}).`,
        )
      io.secret(value, `'secrets' id=${id}`)
      secretEnv[env] = value
      return { id, env }
    }
    let content: string
    try {
      if (!statSync(secret.path).isFile()) throw Object.assign(new Error(), { code: 'not a file' })
      content = readFileSync(secret.path, 'utf8')
    } catch (e) {
      throw new ConfigurationError(
        `Input 'secrets': id=${secret.id} reads the file ${quote(secret.src)}, which cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}).`,
      )
    }
    io.secret(content, `'secrets' id=${secret.id}`)
    return { id: secret.id, src: secret.path }
  })
  return { secrets, secretEnv }
}

export function buildReport(result: BuildResult): string {
  return markdown.sections(
    markdown.heading(`Image built with ${result.engine}: ${result.digest.slice(0, 19)}…`),
    markdown.table(
      ['', ''],
      [
        ['digest', `\`${result.digest}\``],
        ['archive', `\`${result.archive}\``],
        ...result.tags.map((t) => ['tag', `\`${t}\``]),
      ],
    ),
  )
}
