import { mkdtemp, rm, writeFile, copyFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ChapterContext } from '../chapters.js'
import { APP_SCRIPT } from '../sandbox/index.js'
import { startRegistries } from '../sandbox/registry.js'

/** Build the demo app's image with buildah and push it, by digest, to a local TLS registry with auth. */
export default async function image(ctx: ChapterContext): Promise<void> {
  const { print } = ctx
  let lab
  try {
    lab = await startRegistries(1)
  } catch (e) {
    print(
      `notice: skipped: buildah or the registry cannot run on this machine (${(e as Error).message.split('\n')[0]}).`,
    )
    return
  }
  const workspace = await mkdtemp(join(tmpdir(), 'cutover-demo-ws-'))
  try {
    await mkdir(join(workspace, 'app'))
    await copyFile(APP_SCRIPT, join(workspace, 'app/app.mjs'))
    await writeFile(
      join(workspace, 'app/Dockerfile'),
      `FROM ${lab.baseImage} AS build\nCOPY app.mjs /src/app.mjs\nRUN wc -c /src/app.mjs > /src/SIZE\nRUN --mount=type=secret,id=npm wc -c < /run/secrets/npm > /src/NPM_TOKEN_BYTES\n\nFROM scratch\nCOPY --from=build /src /app\n`,
    )
    const registry = lab.registries[0]!
    print(`a registry with TLS (a CA made just now) and a password runs at ${registry.host}`)
    const image = `${registry.host}/acme/orders`
    const npmToken = `npm_${Math.random().toString(36).slice(2)}demo`
    // Tags as docker/metadata-action outputs them: full references, upper case allowed.
    const tags = [`${image}:1.4.0`, `${image}:1.4`, `${image}:Main`].join('\n')
    const built = await ctx.runAction('build-image', {
      workspace,
      env: { ...lab.env, NPM_TOKEN: npmToken },
      inputs: {
        image,
        context: 'app',
        engine: 'buildah',
        reproducible: 'true',
        tags,
        secrets: 'id=npm,env=NPM_TOKEN',
      },
    })
    if (built.exitCode !== 0) throw new Error(`build-image failed: ${built.errors.join('; ')}`)
    print(`  build-image: ${built.outputs.digest} -> ${built.outputs.archive}`)
    print(
      `  tags (given as metadata-action's full references): ${built.outputs.tags?.split('\n').join(', ')}`,
    )
    const masked = built.stdout.includes(`::add-mask::${npmToken}`)
    const leaked = built.log.includes(npmToken)
    print(
      `  build secret npm (env NPM_TOKEN): read by RUN --mount=type=secret, ${masked ? 'masked before the build' : 'NOT MASKED'}, ${leaked ? 'PRINTED IN THE LOG' : 'never printed'}`,
    )
    const pushed = await ctx.runAction('push-registry', {
      workspace,
      env: lab.env,
      inputs: {
        source: built.outputs.archive!,
        destinations: built.outputs.tags!,
        'registry-auth': [
          { registry: registry.host, username: registry.username, password: registry.password },
        ],
        'certs-dir': lab.certsDir,
      },
    })
    if (pushed.exitCode !== 0) throw new Error(`push-registry failed: ${pushed.errors.join('; ')}`)
    print(
      pushed.log
        .trim()
        .split('\n')
        .filter((l) => /holds|^source /.test(l.trim()))
        .map((l) => `  │ ${l.trim()}`)
        .join('\n'),
    )
    print(
      `  push-registry: every destination holds ${pushed.outputs.digest} (the archive's digest, read back from the registry)`,
    )
  } finally {
    await rm(workspace, { recursive: true, force: true })
    await lab.stop()
  }
}
