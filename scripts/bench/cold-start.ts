import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import type { ChapterContext } from '../chapters.js'
import { ROOT } from '../../test/harness.js'
import { describe, percentile } from './stats.js'

/** The bundle's start-up: the blue-green-switch entry up to its first input error, against `node -e 0`. */
export default async function coldStart(ctx: ChapterContext): Promise<void> {
  const runs = 20
  const time = (args: string[]) => {
    const times: number[] = []
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now()
      try {
        execFileSync(process.execPath, args, {
          stdio: 'ignore',
          env: { PATH: process.env.PATH ?? '' },
        })
      } catch {
        // the entry fails on the missing `router` input, after loading everything
      }
      times.push(performance.now() - t0)
    }
    return times
  }
  const bare = time(['-e', '0'])
  const bundle = time([join(ROOT, 'dist/blue-green-switch/index.js')])
  ctx.print(`node -e 0:                          ${describe(bare)}`)
  ctx.print(`dist/blue-green-switch/index.js:    ${describe(bundle)}`)
  ctx.print(
    `ratio of medians: ${(percentile(bundle, 50) / percentile(bare, 50)).toFixed(2)}x (target: at most 1.5x)`,
  )
  const size = execFileSync('du', ['-sb', join(ROOT, 'dist')], { encoding: 'utf8' }).split('\t')[0]
  ctx.print(
    `dist/ size: ${(Number(size) / 1024 / 1024).toFixed(2)} MB for all actions (target: under 3 MB)`,
  )
}
