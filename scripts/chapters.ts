/**
 * What `npm run demo` and `npm run bench` share: a started sandbox and a runner-faithful way to
 * run the bundled actions, handed to each chapter in turn. A chapter is a module in
 * scripts/demo/ or scripts/bench/ whose default export takes a ChapterContext.
 */
import { runAction, startAction } from './harness.js'
import { startSandbox, type Sandbox } from './sandbox/index.js'

export interface ChapterContext {
  /** Apps for both slots, HAProxy and nginx in front of them, Prometheus scraping the apps; all on 127.0.0.1. */
  sandbox: Sandbox
  runAction: typeof runAction
  startAction: typeof startAction
  print(line?: string): void
  /** Rewrites one status line in place on a terminal; prints a line at most once a second elsewhere. */
  status(line: string): void
  /** Ends the status line. */
  endStatus(): void
}

export interface Chapter {
  title: string
  load: () => Promise<{ default: (ctx: ChapterContext) => Promise<void> }>
}

export async function runChapters(name: string, chapters: Chapter[]): Promise<void> {
  const only = process.argv.slice(2).filter((a) => !a.startsWith('-'))
  const selected =
    only.length > 0 ? chapters.filter((c) => only.some((o) => c.title.includes(o))) : chapters
  const sandbox = await startSandbox({ haproxy: true, nginx: true, prometheus: true })
  const stopAll = async () => {
    await sandbox.stop()
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void stopAll().finally(() => process.exit(130)))
  }
  console.log(`${name}: servers run on 127.0.0.1 from ${sandbox.dir}`)
  const tty = process.stdout.isTTY === true
  let lastStatus = 0
  let statusShown = false
  const ctx: ChapterContext = {
    sandbox,
    runAction,
    startAction,
    print: (line = '') => {
      if (statusShown && tty) process.stdout.write('\n')
      statusShown = false
      console.log(line)
    },
    status: (line) => {
      if (tty) {
        process.stdout.write(`\r\x1b[2K${line}`)
        statusShown = true
      } else if (Date.now() - lastStatus >= 1000) {
        lastStatus = Date.now()
        console.log(line)
      }
    },
    endStatus: () => {
      if (statusShown && tty) process.stdout.write('\n')
      statusShown = false
    },
  }
  let failed = false
  try {
    for (const chapter of selected) {
      ctx.print(`\n━━ ${name}: ${chapter.title} ━━`)
      try {
        await (await chapter.load()).default(ctx)
      } catch (e) {
        failed = true
        ctx.endStatus()
        ctx.print(`✗ ${chapter.title} failed: ${(e as Error).stack ?? e}`)
      }
    }
  } finally {
    await stopAll()
  }
  ctx.print(failed ? `\n${name}: some chapters failed.` : `\n${name}: done, every server stopped.`)
  process.exit(failed ? 1 : 0)
}

/** Renders "blue ███████░░░ green" for a share of responses. */
export function shareBar(blue: number, green: number, width = 30): string {
  const total = blue + green
  const b = total === 0 ? 0 : Math.round((blue / total) * width)
  return `blue ${String(blue).padStart(5)} ${'█'.repeat(b)}${'░'.repeat(width - b)} ${String(green).padEnd(5)} green`
}
