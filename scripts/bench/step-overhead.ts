import { readdirSync, readFileSync, statSync } from 'node:fs'
import { execFileSync, spawn } from 'node:child_process'
import { connect, createServer, type Server } from 'node:net'
import { join } from 'node:path'
import type { ChapterContext } from '../chapters.js'
import { ROOT, runnerNode } from '../harness.js'
import { describe, percentile } from './stats.js'

const RUNS = 20
/** The target: a step costs at most this much more than starting Node itself. */
const TARGET_OVER_NODE_MS = 100

/**
 * A step's own overhead: from spawning blue-green-switch's bundle (with the runner's Node) to
 * the first command HAProxy's runtime API receives, Node start-up included, beside `node -e 0`
 * measured in the same rounds. The action talks to the real HAProxy of the sandbox through a
 * relay that notes when the first command arrives.
 */
export default async function stepOverhead(ctx: ChapterContext): Promise<void> {
  const haproxy = ctx.sandbox.haproxy!
  const node = runnerNode()
  const relay = await startRelay(haproxy.address)
  const router = { ...haproxy.router, address: relay.address }
  const bare: number[] = []
  const firstCommand: number[] = []
  const whole: number[] = []
  let failed = 0
  try {
    for (let i = 0; i < RUNS; i++) {
      // Alternate which goes first, so neither always runs on a warmer machine.
      const measureBare = async () => bare.push(await timeExit(node, ['-e', '0']))
      const measureStep = async () => {
        relay.firstCommandAt = undefined
        const running = await ctx.startAction('blue-green-switch', {
          inputs: { router, to: i % 2 === 0 ? 'green' : 'blue', record: 'false' },
        })
        const exitedAt = new Promise<number>((r) =>
          running.child.once('exit', () => r(performance.now())),
        )
        const run = await running.done
        if (run.exitCode !== 0 || relay.firstCommandAt === undefined) {
          failed++
          ctx.print(`  run ${i + 1} failed: ${run.errors.join('; ') || `exit ${run.exitCode}`}`)
          return
        }
        firstCommand.push(relay.firstCommandAt - running.startedAt)
        whole.push((await exitedAt) - running.startedAt)
      }
      if (i % 2 === 0) {
        await measureBare()
        await measureStep()
      } else {
        await measureStep()
        await measureBare()
      }
      ctx.status(`  round ${i + 1}/${RUNS}`)
    }
  } finally {
    ctx.endStatus()
    await new Promise<void>((r) => relay.server.close(() => r()))
  }
  const version = execFileSync(node, ['-p', 'process.version'], { encoding: 'utf8' }).trim()
  ctx.print(`node -e 0 (${version}), spawn to exit:          ${describe(bare)}`)
  if (firstCommand.length > 0) {
    ctx.print(`blue-green-switch, spawn to first HAProxy command: ${describe(firstCommand)}`)
    ctx.print(`blue-green-switch, spawn to exit (switch done):    ${describe(whole)}`)
    const limit = percentile(bare, 95) + TARGET_OVER_NODE_MS
    const p95 = percentile(firstCommand, 95)
    ctx.print(
      `step overhead p95 ${p95.toFixed(0)} ms; target: at most node -e 0 p95 + ${TARGET_OVER_NODE_MS} ms = ${limit.toFixed(0)} ms: ${p95 <= limit ? 'met' : 'MISSED'}`,
    )
  }
  if (failed > 0) ctx.print(`failed runs: ${failed} of ${RUNS}`)
  // The Kubernetes client is a chunk of its own that only its router loads; the 3 MB budget is
  // for everything else (the Kubernetes chapter prints the chunk's own cost).
  const files = readdirSync(join(ROOT, 'dist'), { recursive: true, withFileTypes: true })
    .filter((f) => f.isFile())
    .map((f) => join(f.parentPath, f.name))
  const bytes = (list: string[]) => list.reduce((sum, f) => sum + statSync(f).size, 0)
  const client = files.filter((f) =>
    readFileSync(f, 'utf8').includes('No command was specified for exec authProvider'),
  )
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MB`
  ctx.print(
    `dist/: ${mb(bytes(files))} in all; ${mb(bytes(files) - bytes(client))} without the Kubernetes client chunk (target: under 3 MB)`,
  )
}

/** Milliseconds from spawning `node args` to its exit. */
function timeExit(node: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(node, args, { stdio: 'ignore', env: { PATH: process.env.PATH ?? '' } })
    child.once('error', reject)
    child.once('exit', () => resolve(performance.now() - started))
  })
}

interface Relay {
  server: Server
  address: string
  /** performance.now() when the first bytes of a command arrived since it was last reset. */
  firstCommandAt: number | undefined
}

/** A TCP relay to HAProxy's runtime API that notes when the first command arrives. */
async function startRelay(target: string): Promise<Relay> {
  const [host, port] = target.split(':') as [string, string]
  // Half-open both ways: a client may send its command and end its side before the answer comes.
  const server = createServer({ allowHalfOpen: true })
  const relay: Relay = { server, address: '', firstCommandAt: undefined }
  server.on('connection', (client) => {
    const upstream = connect({ port: Number(port), host, allowHalfOpen: true })
    client.on('data', (chunk) => {
      relay.firstCommandAt ??= performance.now()
      upstream.write(chunk)
    })
    upstream.on('data', (chunk) => client.write(chunk))
    client.on('end', () => upstream.end())
    upstream.on('end', () => client.end())
    client.on('error', () => upstream.destroy())
    upstream.on('error', () => client.destroy())
  })
  await new Promise<void>((r) => relay.server.listen(0, '127.0.0.1', r))
  relay.address = `127.0.0.1:${(relay.server.address() as { port: number }).port}`
  return relay
}
