import type { ActionIO } from '../../packages/action-kit/action.js'
import { build, buildOutputs, buildReport, readBuildSettings } from '../../packages/image/index.js'

export async function main(io: ActionIO): Promise<void> {
  const { inputs } = io
  const settings = readBuildSettings(
    {
      image: inputs.string('image', { required: true }),
      context: inputs.string('context'),
      file: inputs.optional('file'),
      tags: inputs.string('tags'),
      buildArgs: inputs.string('build-args'),
      labels: inputs.string('labels'),
      target: inputs.optional('target'),
      platforms: inputs.string('platforms'),
      engine: inputs.enum('engine', ['auto', 'docker', 'buildah'], 'auto'),
      cache: inputs.enum('cache', ['gha', 'none'], 'none'),
      reproducible: inputs.boolean('reproducible', false),
      timeoutMs: inputs.duration('build-timeout', 60 * 60_000, { min: 60_000, max: 6 * 3_600_000 }),
      secrets: inputs.string('secrets'),
      buildxUrl: inputs.optional('buildx-url'),
      buildxSha256: inputs.optional('buildx-sha256'),
    },
    { workspace: inputs.workspace, env: io.env },
  )

  const built = await build(settings, io)
  io.output(buildOutputs(built))
  await io.summary(buildReport(built))
}
