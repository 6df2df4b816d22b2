/** Building an image into an OCI archive with buildah or docker buildx. */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigurationError, DeploymentFailed, markdown, type Log } from '../action-kit/index.js'
import {
  buildahBuildArgs,
  buildahPushArgs,
  buildxBuildArgs,
  buildxEnv,
  type BuildSpec,
} from './argv.js'
import { exec, tail } from './exec.js'

export type Engine = 'buildah' | 'docker'

export interface BuildResult {
  engine: Engine
  digest: string
  archive: string
  tags: string[]
  labels: Record<string, string>
}

/** `auto`: docker buildx when a Docker daemon answers, else buildah. */
export async function chooseEngine(choice: 'auto' | Engine, log: Log): Promise<Engine> {
  if (choice !== 'auto') return choice
  const docker = await exec(['docker', 'info', '--format', '{{.ServerVersion}}'], {
    timeoutMs: 10_000,
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
  log: Log,
): Promise<BuildResult> {
  const digestFile = `${archive}.digest`
  if (engine === 'buildah') {
    const built = await exec(buildahBuildArgs(spec), { log })
    if (built.code !== 0) {
      const why = /command not found/.test(built.stderr)
        ? 'buildah is not installed on this runner'
        : tail(built)
      throw new DeploymentFailed(`buildah build failed (exit ${built.code}):\n${why}`)
    }
    const pushed = await exec(buildahPushArgs(spec.tags[0] as string, archive, digestFile), { log })
    if (pushed.code !== 0)
      throw new Error(
        `buildah could not write the OCI archive ${archive} (exit ${pushed.code}):\n${tail(pushed)}`,
      )
  } else {
    if (spec.platforms.length > 1)
      log.info('buildx: several platforms go into one OCI archive (an image index)')
    const metadata = join(`${archive}.metadata.json`)
    const built = await exec(buildxBuildArgs(spec, archive, metadata), {
      log,
      env: buildxEnv(spec),
    })
    if (built.code !== 0)
      throw new DeploymentFailed(`docker buildx build failed (exit ${built.code}):\n${tail(built)}`)
    const digest = (JSON.parse(readFileSync(metadata, 'utf8')) as Record<string, string>)[
      'containerimage.digest'
    ]
    if (digest) await import('node:fs/promises').then((fs) => fs.writeFile(digestFile, digest))
  }
  const digest = readFileSync(digestFile, 'utf8').trim()
  if (!/^sha256:[a-f0-9]{64}$/.test(digest))
    throw new Error(`the build wrote no digest (got ${JSON.stringify(digest)})`)
  return { engine, digest, archive, tags: spec.tags, labels: spec.labels }
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
