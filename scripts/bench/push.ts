import { execFile } from 'node:child_process'
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { writeAuthFile } from '../../packages/image/index.js'
import type { ChapterContext } from '../chapters.js'
import { startRegistries, type RegistryLab } from '../sandbox/registry.js'
import { describe, percentile } from './stats.js'

// Asynchronous on purpose: the registry logs to a pipe this process drains.
const run = promisify(execFile)

/** A small service's image, and a typical JVM or Node.js service's, where the upload dominates as it does over a network. */
const SIZES = [
  { megabytes: 40, rounds: 5 },
  { megabytes: 250, rounds: 4 },
]

/**
 * push-registry against bare `skopeo copy` of the same kind of image to the same registry, side
 * by side. Every push is of an image of its own: skopeo remembers which repositories hold a blob
 * and mounts it instead of uploading, so pushing one image twice would time a mount. Random bytes
 * do not compress, so the layer is uploaded in full.
 */
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
    const auth = {
      registry: registry.host,
      username: registry.username,
      password: registry.password,
    }
    const authFile = join(workspace, 'auth.json')
    await writeAuthFile(authFile, [auth])
    const certDir = join(lab.certsDir, registry.host)
    const env = { ...process.env, ...lab.env }
    const push = (source: string, destination: string) =>
      ctx.runAction('push-registry', {
        workspace,
        env: lab.env,
        inputs: {
          source,
          destinations: destination,
          'registry-auth': [auth],
          'certs-dir': lab.certsDir,
        },
      })

    // The first image pushed by push-registry: read back, then pushed again unchanged.
    const firstRef = `${registry.host}/ours-${SIZES[0]!.megabytes}-0/app:1`
    let firstArchive = ''
    for (const { megabytes, rounds } of SIZES) {
      const archives = await buildImages(ctx, lab, workspace, megabytes, 2 * rounds)
      firstArchive ||= archives[1]!
      const bare: number[] = []
      const ours: number[] = []
      for (let round = 0; round < rounds; round++) {
        ctx.status(`${megabytes} MB: round ${round + 1}/${rounds}`)
        const bareCopy = async () => {
          const t0 = performance.now()
          await run(
            'skopeo',
            [
              'copy',
              '--dest-authfile',
              authFile,
              '--dest-cert-dir',
              certDir,
              `oci-archive:${archives[2 * round]}`,
              `docker://${registry.host}/bare-${megabytes}-${round}/app:1`,
            ],
            { env },
          )
          bare.push(performance.now() - t0)
        }
        const ourPush = async () => {
          const t0 = performance.now()
          const pushed = await push(
            archives[2 * round + 1]!,
            `${registry.host}/ours-${megabytes}-${round}/app:1`,
          )
          ours.push(performance.now() - t0)
          if (pushed.exitCode !== 0) throw new Error(pushed.errors.join('; '))
        }
        // Alternate which goes first: the registry may still be writing the previous upload.
        for (const step of round % 2 === 0 ? [bareCopy, ourPush] : [ourPush, bareCopy]) await step()
      }
      ctx.endStatus()
      const [b, o] = [percentile(bare, 50), percentile(ours, 50)]
      // Paired by round, so a slow moment of the machine counts against both sides.
      const ownCost = percentile(
        ours.map((t, i) => t - bare[i]!),
        50,
      )
      ctx.print(
        `push of a ${megabytes} MB image to a TLS registry with auth, ${rounds} rounds, each a new image to a new repository:`,
      )
      ctx.print(`  bare skopeo copy:             ${describe(bare)}`)
      ctx.print(`  push-registry (+ verify):     ${describe(ours)}`)
      ctx.print(
        `  ratio of medians: ${(o / b).toFixed(2)}x (target: at most 1.1x), push-registry's own cost ${ownCost.toFixed(0)} ms (median of the per-round differences)`,
      )
    }

    // What that own cost is made of: a Node.js process, and one read of the pushed manifest.
    const nodeStart: number[] = []
    const manifestRead: number[] = []
    for (let i = 0; i < 5; i++) {
      let t0 = performance.now()
      await run(process.execPath, ['-e', '0'])
      nodeStart.push(performance.now() - t0)
      t0 = performance.now()
      await run(
        'skopeo',
        ['inspect', '--raw', '--authfile', authFile, '--cert-dir', certDir, `docker://${firstRef}`],
        { env },
      )
      manifestRead.push(performance.now() - t0)
    }
    ctx.print(`  of which node -e 0:           ${describe(nodeStart)}`)
    ctx.print(`  and the verification read:    ${describe(manifestRead)} (skopeo inspect --raw)`)

    const repush: number[] = []
    for (let round = 0; round < 5; round++) {
      const t0 = performance.now()
      const pushed = await push(firstArchive, firstRef)
      repush.push(performance.now() - t0)
      if (pushed.exitCode !== 0) throw new Error(pushed.errors.join('; '))
    }
    ctx.print(`unchanged re-push:              ${describe(repush)} (target: under 1 s)`)
  } finally {
    await rm(workspace, { recursive: true, force: true })
    await lab.stop()
  }
}

/** `count` images with a fresh random layer of `megabytes` each, as OCI archives, by build-image. */
async function buildImages(
  ctx: ChapterContext,
  lab: RegistryLab,
  workspace: string,
  megabytes: number,
  count: number,
): Promise<string[]> {
  const context = `app-${megabytes}`
  await mkdir(join(workspace, context))
  await writeFile(
    join(workspace, context, 'Dockerfile'),
    `FROM ${lab.baseImage}\nRUN head -c ${megabytes * 1_000_000} /dev/urandom > /blob\n`,
  )
  const archives: string[] = []
  for (let i = 0; i < count; i++) {
    ctx.status(`${megabytes} MB: building image ${i + 1}/${count}`)
    const built = await ctx.runAction('build-image', {
      workspace,
      env: lab.env,
      inputs: { image: 'localhost/bench', context, engine: 'buildah', tags: `b${megabytes}-${i}` },
    })
    if (built.exitCode !== 0) throw new Error(built.errors.join('; '))
    archives.push(built.outputs.archive!)
  }
  return archives
}
