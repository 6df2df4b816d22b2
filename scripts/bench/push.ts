import { execFileSync } from 'node:child_process'
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeAuthFile } from '../../packages/image/index.js'
import type { ChapterContext } from '../chapters.js'
import { startRegistries } from '../sandbox/registry.js'
import { describe, percentile } from './stats.js'

const ROUNDS = 5

/** push-registry against bare `skopeo copy` of the same archive to the same registry, side by side. */
export default async function pushBench(ctx: ChapterContext): Promise<void> {
  let lab
  try {
    lab = await startRegistries(1)
  } catch (e) {
    ctx.print(
      `notice: skipped: buildah or the registry cannot run here (${(e as Error).message.split('\n')[0]})`,
    )
    return
  }
  const workspace = await mkdtemp(join(tmpdir(), 'cutover-bench-ws-'))
  try {
    const registry = lab.registries[0]!
    await mkdir(join(workspace, 'app'))
    // A 40 MB layer, a small service's size,, so the copy itself is measured and not only process start-up.
    await writeFile(
      join(workspace, 'app/Dockerfile'),
      `FROM ${lab.baseImage}\nRUN head -c 40000000 /dev/urandom > /blob\n`,
    )
    const built = await ctx.runAction('build-image', {
      workspace,
      env: lab.env,
      inputs: { image: 'localhost/bench', context: 'app', engine: 'buildah', tags: 'b' },
    })
    if (built.exitCode !== 0) throw new Error(built.errors.join('; '))
    const auth = {
      registry: registry.host,
      username: registry.username,
      password: registry.password,
    }
    const authFile = join(workspace, 'auth.json')
    await writeAuthFile(authFile, [auth])
    const bare: number[] = []
    const ours: number[] = []
    for (let round = 0; round < ROUNDS; round++) {
      let t0 = performance.now()
      execFileSync(
        'skopeo',
        [
          'copy',
          '--dest-authfile',
          authFile,
          '--dest-cert-dir',
          join(lab.certsDir, registry.host),
          `oci-archive:${built.outputs.archive}`,
          `docker://${registry.host}/bare${round}/app:1`,
        ],
        { stdio: 'ignore', env: { ...process.env, ...lab.env } },
      )
      bare.push(performance.now() - t0)
      t0 = performance.now()
      const run = await ctx.runAction('push-registry', {
        workspace,
        env: lab.env,
        inputs: {
          source: built.outputs.archive!,
          destinations: `${registry.host}/ours${round}/app:1`,
          'registry-auth': [auth],
          'certs-dir': lab.certsDir,
        },
      })
      ours.push(performance.now() - t0)
      if (run.exitCode !== 0) throw new Error(run.errors.join('; '))
    }
    const repush: number[] = []
    for (let round = 0; round < ROUNDS; round++) {
      const t0 = performance.now()
      await ctx.runAction('push-registry', {
        workspace,
        env: lab.env,
        inputs: {
          source: built.outputs.archive!,
          destinations: `${registry.host}/ours0/app:1`,
          'registry-auth': [auth],
          'certs-dir': lab.certsDir,
        },
      })
      repush.push(performance.now() - t0)
    }
    ctx.print(
      `push of a ~40 MB image to a TLS registry with auth, ${ROUNDS} rounds, each to a fresh repository:`,
    )
    ctx.print(`  bare skopeo copy:             ${describe(bare)}`)
    ctx.print(`  push-registry (+ verify):     ${describe(ours)}`)
    ctx.print(
      `  ratio of medians: ${(percentile(ours, 50) / percentile(bare, 50)).toFixed(2)}x (target: at most 1.1x)`,
    )
    ctx.print(`  unchanged re-push:            ${describe(repush)} (target: under 1 s)`)
  } finally {
    await rm(workspace, { recursive: true, force: true })
    await lab.stop()
  }
}
