/**
 * nginx through an upstream include file that this tool owns: rewritten atomically, checked
 * with `nginx -t`, loaded with a graceful reload, and awaited until no worker of the old
 * generation still accepts connections. Any failure restores the previous file, so what is on
 * disk always matches what nginx serves. Every operation is a command run through packages/exec
 * (or, for a local file, a careful file replace), so nginx may live on another host.
 */
import { randomBytes } from 'node:crypto'
import { open, readFile, realpath, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { silentLog, type Log } from '../action-kit/index.js'
import { sleep } from '../action-kit/util.js'
import { CommandFailed, run } from '../exec/index.js'
import type { NginxConfig } from './config.js'
import { describeConfig } from './config.js'
import {
  formatMatch,
  nginxVariable,
  regexLiteral,
  sameMatch,
  type MatchRoute,
  type MatchRouting,
} from './match.js'
import { RouterError, type Router } from './router.js'
import {
  assertWritable,
  formatWeights,
  sameWeights,
  SLOTS,
  spreadWeights,
  toPercent,
  type Slot,
  type SlotServers,
  type Weights,
} from './weights.js'

/** nginx has no upper bound on `weight=`; this keeps the numbers readable. */
const NGINX_MAX_WEIGHT = 10_000
/** How often the reload wait looks at the workers. */
const WORKER_POLL_MS = 10

interface UpstreamServer {
  address: string
  weight: number
  down: boolean
}

/** The upstream file as read: its text, and for a local file what identifies this version of it. */
export interface FileSnapshot {
  text: string
  /** Local only: the real path (symlinks resolved) and the stat fields a rewrite must keep or compare. */
  local?: {
    path: string
    ino: number
    mtimeMs: number
    size: number
    mode: number
    uid: number
    gid: number
  }
}

/** One child of the nginx master, from `ps -o pid=,args=`. */
export interface NginxProcess {
  pid: number
  args: string
}

export interface NginxRouterOptions {
  log?: Log
  /** Tests only: runs after the new file is written beside the old one, just before the rename. */
  beforeReplace?: () => Promise<void>
}

export class NginxRouter implements Router {
  readonly type = 'nginx'
  readonly name: string
  readonly notes: string[] = []
  private readonly log: Log
  /** The header/cookie phase, when the config names the include file (`match-file`). */
  readonly match?: MatchRouting

  constructor(
    readonly config: NginxConfig,
    private readonly options: NginxRouterOptions = {},
  ) {
    this.name = config.name
    this.log = options.log ?? silentLog
    const file = config.matchFile
    if (file)
      this.match = {
        read: async () => (await this.readMatchFile(file)).route,
        write: (route) => this.writeMatch(file, route),
      }
  }

  private async readMatchFile(
    file: string,
  ): Promise<{ route: MatchRoute | null; snapshot: FileSnapshot }> {
    let snapshot: FileSnapshot
    try {
      snapshot = await readSnapshot(file)
    } catch (e) {
      throw new RouterError(
        `cannot read the nginx match file ${file}: ${(e as NodeJS.ErrnoException).code ?? e}. It must exist (cutover writes it; start from: ${JSON.stringify(renderMatchFile(this.config, null))})`,
      )
    }
    const route = parseMatchFile(snapshot.text, this.config)
    if (route === undefined)
      throw new RouterError(
        `the nginx match file ${file} was not written by cutover (or was edited by hand); it must hold exactly what cutover renders, e.g. ${JSON.stringify(renderMatchFile(this.config, null))}`,
      )
    return { route, snapshot }
  }

  /**
   * Written like the upstream file: an exclusive temp file renamed over it, `nginx -t`, reload,
   * and the reload awaited; any failure puts the previous file back (and reloads onto it).
   */
  private async writeMatch(file: string, route: MatchRoute | null): Promise<void> {
    const what = route === null ? 'no match' : `${formatMatch(route)} -> ${route.slot}`
    if (route) {
      const variable = nginxVariable(route)
      if (typeof variable !== 'string') throw new RouterError(`${this.name}: ${variable.problem}`)
    }
    const { route: before, snapshot } = await this.readMatchFile(file)
    if (sameMatch(before, route)) return
    const oldWorkers = await this.workerPids('before the change; nothing was changed')
    const written = await (async () => {
      await replaceFile(snapshot, renderMatchFile(this.config, route))
      return readSnapshot(file)
    })()
    const putBack = async (why: string): Promise<never> => {
      const restored = await replaceFile(written, snapshot.text)
        .then(() => this.command(this.config.reload, 'reload'))
        .then(
          () =>
            `restored ${file} and reloaded: new connections get ${before ? `${formatMatch(before)} -> ${before.slot}` : 'no match'}`,
          (r: Error) => `restoring ${file} failed too (${r.message}): check ${this.describe()}`,
        )
      throw new RouterError(`nginx did not take ${what} (${why}); ${restored}`)
    }
    try {
      if (this.config.test.length > 0) await this.command(this.config.test, 'configuration test')
      await this.command(this.config.reload, 'reload')
    } catch (e) {
      return putBack((e as Error).message)
    }
    const deadline = Date.now() + this.config.timeout
    for (;;) {
      if (reloadFinished(oldWorkers, await this.processes())) break
      if (Date.now() >= deadline)
        return putBack(`the reload did not finish within ${this.config.timeout} ms`)
      await sleep(WORKER_POLL_MS)
    }
    const after = (await this.readMatchFile(file)).route
    if (!sameMatch(after, route))
      throw new RouterError(
        `${file} reads ${after ? `${formatMatch(after)} -> ${after.slot}` : 'no match'} after writing ${what}`,
      )
  }

  describe(): string {
    return describeConfig(this.config)
  }

  async read(): Promise<Weights> {
    return weightsOf(parseUpstream((await this.readFile()).text, this.config))
  }

  async servers(): Promise<SlotServers> {
    parseUpstream((await this.readFile()).text, this.config) // every configured server is there
    const out = {} as SlotServers
    for (const slot of SLOTS)
      out[slot] = this.config.slots[slot].map((address) => ({ name: address, address }))
    return out
  }

  async write(target: Weights): Promise<void> {
    assertWritable(target)
    const snapshot = await this.readFile()
    const previous = weightsOf(parseUpstream(snapshot.text, this.config)) // refuse a file we do not understand
    const next = renderUpstream(snapshot.text, this.config, target)
    // The old generation of workers, listed before anything changes: a router that cannot be
    // awaited is refused here, with nothing changed.
    const oldWorkers = await this.workerPids('before the change; nothing was changed')
    let written: FileSnapshot
    try {
      written = await this.replace(next, snapshot)
    } catch (e) {
      // A write command stopped at its deadline may have replaced the file all the same: put the
      // previous text back. nginx was not reloaded either way, so it serves the previous weights.
      if (!(e instanceof WriteFailed) || !e.timedOut) throw e
      const restored = await this.writeCommand(snapshot.text).then(
        () => `wrote the previous file back`,
        (r: Error) =>
          `writing the previous file back failed too (${r.message}): the file may say ${formatWeights(target)} or ${formatWeights(previous)}; fix it before nginx's next reload`,
      )
      throw new RouterError(
        `${e.message}; ${restored}; nginx was not reloaded, traffic stays at ${formatWeights(previous)}`,
      )
    }
    try {
      if (this.config.test.length > 0) await this.command(this.config.test, 'configuration test')
      await this.command(this.config.reload, 'reload')
    } catch (e) {
      const restored = await this.replace(snapshot.text, written).then(
        () => `restored ${this.fileName()}`,
        (r: Error) =>
          `restoring ${this.fileName()} failed too (${r.message}): it says ${formatWeights(target)} until fixed`,
      )
      // A reload stopped at its deadline may have reached nginx: reload once more, onto the
      // restored file, rather than claim where traffic is.
      if (e instanceof CommandTimedOut && e.what === 'reload') {
        const again = await this.command(this.config.reload, 'reload').then(
          () =>
            `reloaded again: new connections get ${formatWeights(previous)} once nginx takes that reload`,
          (r: Error) =>
            `reloading again failed too (${r.message}): traffic is unknown, nginx serves ${formatWeights(target)} or ${formatWeights(previous)}; check ${this.describe()}`,
        )
        throw new RouterError(
          `${e.message} (nginx may have taken the reload); ${restored}, ${again}`,
        )
      }
      // nginx did not load the new file, so it still serves the previous weights.
      throw new RouterError(
        `${(e as Error).message}; ${restored}, traffic stays at ${formatWeights(previous)}`,
      )
    }
    await this.awaitReload(oldWorkers, target, previous, snapshot.text)
    const after = await this.read()
    if (!sameWeights(after, target)) {
      throw new RouterError(
        `${this.fileName()} reads ${formatWeights(after)} after writing ${formatWeights(target)}`,
      )
    }
  }

  private fileName(): string {
    const a = this.config.access
    return a.kind === 'local' ? a.upstreamFile : `the upstream file (${a.read.join(' ')})`
  }

  private async readFile(): Promise<FileSnapshot> {
    const access = this.config.access
    if (access.kind === 'command') {
      try {
        const { stdout } = await run(access.read, { timeoutMs: this.config.timeout })
        return { text: stdout }
      } catch (e) {
        throw new RouterError(
          `cannot read the nginx upstream file: ${commandFailure(e, 'read', this.config.timeout)}`,
        )
      }
    }
    try {
      return await readSnapshot(access.upstreamFile)
    } catch (e) {
      throw new RouterError(
        `cannot read the nginx upstream file ${access.upstreamFile}: ${(e as NodeJS.ErrnoException).code ?? e}. It must exist and hold 'upstream ${this.config.upstream} { ... }' with a server line per slot server`,
      )
    }
  }

  /** Replaces the file with `content` unless someone changed it since `expected` was read; returns what is there now. */
  private async replace(content: string, expected: FileSnapshot): Promise<FileSnapshot> {
    const access = this.config.access
    if (access.kind === 'local') {
      await replaceFile(expected, content, this.options.beforeReplace)
      return readSnapshot(access.upstreamFile)
    }
    await this.options.beforeReplace?.()
    const now = await this.readFile()
    if (now.text !== expected.text) throw changedMeanwhile(this.fileName())
    await this.writeCommand(content)
    return { text: content }
  }

  /** Runs the `write` command with `content` on its stdin. */
  private async writeCommand(content: string): Promise<void> {
    const access = this.config.access
    if (access.kind !== 'command') throw new RangeError('writeCommand needs command access')
    try {
      await run(access.write, { timeoutMs: this.config.timeout, input: content })
    } catch (e) {
      throw new WriteFailed(
        `cannot rewrite the nginx upstream file: ${commandFailure(e, 'write', this.config.timeout)}`,
        e instanceof CommandFailed && e.timedOut,
      )
    }
  }

  private async command(argv: string[], what: string): Promise<void> {
    try {
      await run(argv, { timeoutMs: this.config.timeout, log: this.log })
    } catch (e) {
      const message = `nginx ${commandFailure(e, what, this.config.timeout)}`
      if (e instanceof CommandFailed && e.timedOut) throw new CommandTimedOut(message, what)
      throw new RouterError(message)
    }
  }

  /** The master's children now, as `pid args` lines. */
  private async processes(): Promise<NginxProcess[]> {
    const access = this.config.access
    let argv = this.config.workers
    if (!argv) {
      if (access.kind !== 'local') throw new RouterError('no `workers` command') // parse refuses this
      let pid: string
      try {
        pid = (await readFile(access.pidFile, 'utf8')).trim()
      } catch (e) {
        throw new RouterError(
          `cannot read nginx's pid file ${access.pidFile} (${(e as NodeJS.ErrnoException).code ?? e}), needed to await the reload; set the router's \`pid-file\` (nginx's \`pid\` directive) or \`workers\``,
        )
      }
      if (!/^\d+$/.test(pid))
        throw new RouterError(`nginx's pid file ${access.pidFile} does not hold a process id`)
      argv = ['ps', '-o', 'pid=,args=', '--ppid', pid]
    }
    try {
      // ps exits 1 when the master has no children: an empty list, not a failure.
      const { stdout } = await run(argv, { timeoutMs: this.config.timeout, okCodes: [0, 1] })
      return parseProcesses(stdout)
    } catch (e) {
      throw new RouterError(
        `cannot list nginx's workers: ${commandFailure(e, 'workers', this.config.timeout)}`,
      )
    }
  }

  private async workerPids(when: string): Promise<Set<number>> {
    let list: NginxProcess[]
    try {
      list = await this.processes()
    } catch (e) {
      throw new RouterError(`${(e as Error).message} (${when})`)
    }
    const accepting = list.filter(isAcceptingWorker)
    if (accepting.length === 0)
      throw new RouterError(
        `nginx has no worker process to await a reload with (${when}); is it running, and does \`pid-file\`/\`workers\` point at its master?`,
      )
    return new Set(accepting.map((p) => p.pid))
  }

  /**
   * nginx applies a reload asynchronously: the master starts new workers, then tells the old
   * ones to stop accepting. Done when every accepting worker is of the new generation; bounded
   * by the router's timeout, after which the previous file is put back and reloaded.
   */
  private async awaitReload(
    oldWorkers: Set<number>,
    target: Weights,
    previous: Weights,
    previousText: string,
  ): Promise<void> {
    const deadline = Date.now() + this.config.timeout
    let last: NginxProcess[] = []
    for (;;) {
      last = await this.processes()
      if (reloadFinished(oldWorkers, last)) return
      if (Date.now() >= deadline) break
      await sleep(WORKER_POLL_MS)
    }
    const stale = last
      .filter((p) => oldWorkers.has(p.pid) && isAcceptingWorker(p))
      .map((p) => p.pid)
    let restored: string
    try {
      await this.replace(previousText, await this.readFile())
      await this.command(this.config.reload, 'reload')
      restored = `restored ${this.fileName()} and reloaded again: new connections get ${formatWeights(previous)} once nginx takes that reload`
    } catch (e) {
      restored = `restoring the previous file failed too (${(e as Error).message}); check nginx: the file may say ${formatWeights(target)}`
    }
    throw new RouterError(
      `nginx did not finish the reload within ${this.config.timeout} ms: old worker${stale.length === 1 ? '' : 's'} ${stale.join(', ') || '(none)'} still accepting, ${last.filter((p) => !oldWorkers.has(p.pid) && isAcceptingWorker(p)).length} new; see nginx's error log; ${restored}`,
    )
  }
}

/** The variable the documented `proxy_pass http://$cutover_<upstream>;` reads. */
export function matchVariable(config: Pick<NginxConfig, 'upstream'>): string {
  return `cutover_${config.upstream.replace(/[^A-Za-z0-9_]/g, '_')}`
}

/**
 * The match include file: a `map` that sets `$cutover_<upstream>` to the weighted upstream, or
 * for requests carrying the header/cookie value (exact, case-sensitive) to an upstream of the
 * slot's servers. Its first line says what it holds, so it is read back without guessing.
 */
export function renderMatchFile(
  config: Pick<NginxConfig, 'upstream' | 'slots'>,
  route: MatchRoute | null,
): string {
  const variable = matchVariable(config)
  const head = `# cutover match: ${JSON.stringify(route)} (written by cutover; nginx: proxy_pass http://$${variable};)\n`
  if (route === null) return `${head}map "" $${variable} {\n  default ${config.upstream};\n}\n`
  const source = nginxVariable(route)
  if (typeof source !== 'string') throw new RouterError(source.problem)
  const upstream = `${variable}_${route.slot}`
  return `${head}upstream ${upstream} {\n${config.slots[route.slot].map((a) => `  server ${a};\n`).join('')}}\nmap ${source} $${variable} {\n  "~^${regexLiteral(route.value)}$" ${upstream};\n  default ${config.upstream};\n}\n`
}

/** Reads renderMatchFile back: null (no match), the route, or undefined for any other text. */
export function parseMatchFile(
  text: string,
  config: Pick<NginxConfig, 'upstream' | 'slots'>,
): MatchRoute | null | undefined {
  const m = /^# cutover match: (.*) \(written by cutover/.exec(text)
  if (!m) return undefined
  let route: MatchRoute | null
  try {
    route = JSON.parse(m[1] as string) as MatchRoute | null
  } catch {
    return undefined
  }
  try {
    return renderMatchFile(config, route) === text ? route : undefined
  } catch {
    return undefined
  }
}

/** The `write` command failed; when it was stopped at its deadline, it may have written. */
class WriteFailed extends RouterError {
  constructor(
    message: string,
    readonly timedOut: boolean,
  ) {
    super(message)
  }
}

/** A command stopped at the router's deadline: it may have done its work. */
class CommandTimedOut extends RouterError {
  constructor(
    message: string,
    readonly what: string,
  ) {
    super(message)
  }
}

/** CommandFailed in this router's words: "reload failed (nginx -s reload: exit code 1): <last lines>". */
function commandFailure(e: unknown, what: string, timeoutMs: number): string {
  if (!(e instanceof CommandFailed)) return `${what} failed: ${(e as Error).message}`
  const notFound = e.notFound || e.code === 127
  const why = e.timedOut
    ? `timed out after ${timeoutMs} ms`
    : notFound
      ? 'command not found'
      : `exit code ${e.code}`
  const lines = notFound ? '' : e.lastLines.slice(-3).join(' | ')
  return `${what} failed (${e.argv.join(' ')}: ${why})${lines ? `: ${lines}` : ''}`
}

function changedMeanwhile(file: string): RouterError {
  return new RouterError(
    `${file} was changed by someone else while cutover was rewriting it; nothing was changed (their version stays): run the step again`,
  )
}

export function isAcceptingWorker(p: NginxProcess): boolean {
  return /\bworker process\b/.test(p.args) && !/shutting down/.test(p.args)
}

/** Done when at least one new worker accepts and no worker of the old generation still does. */
export function reloadFinished(oldWorkers: Set<number>, now: NginxProcess[]): boolean {
  const accepting = now.filter(isAcceptingWorker)
  return accepting.length > 0 && accepting.every((p) => !oldWorkers.has(p.pid))
}

/** `ps -o pid=,args=` output: "  123 nginx: worker process" per line. */
export function parseProcesses(stdout: string): NginxProcess[] {
  return stdout
    .split('\n')
    .map((l) => /^\s*(\d+)\s+(.*?)\s*$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), args: m[2] as string }))
}

/** Reads a local file through its symlinks, with the stat of the version read. */
export async function readSnapshot(configured: string): Promise<FileSnapshot> {
  const path = await realpath(configured)
  const handle = await open(path, 'r')
  try {
    const stat = await handle.stat()
    const text = await handle.readFile('utf8')
    return {
      text,
      local: {
        path,
        ino: stat.ino,
        mtimeMs: stat.mtimeMs,
        size: stat.size,
        mode: stat.mode & 0o7777,
        uid: stat.uid,
        gid: stat.gid,
      },
    }
  } finally {
    await handle.close()
  }
}

/**
 * Replaces a local file so readers see the old or the new version, never half: a temp file
 * beside the real target (symlinks resolved), created exclusively under a random name (a link
 * planted there is never followed), with the original's mode and owner, flushed, compared with
 * what was read (a concurrent writer's version is never overwritten), then renamed over it.
 */
export async function replaceFile(
  expected: FileSnapshot,
  content: string,
  beforeRename?: () => Promise<void>,
): Promise<void> {
  const local = expected.local
  if (!local) throw new RangeError('replaceFile needs a local snapshot')
  const { path } = local
  const temp = join(dirname(path), `.${basename(path)}.cutover-${randomBytes(8).toString('hex')}`)
  let created = false
  try {
    const handle = await open(temp, 'wx', 0o600)
    created = true
    try {
      await handle.writeFile(content)
      const made = await handle.stat()
      if (made.uid !== local.uid || made.gid !== local.gid) {
        await handle.chown(local.uid, local.gid).catch((e: NodeJS.ErrnoException) => {
          throw new RouterError(
            `cannot rewrite the nginx upstream file ${path} keeping its owner ${local.uid}:${local.gid} (${e.code ?? e}); run as root or as its owner; nothing was changed`,
          )
        })
      }
      await handle.chmod(local.mode)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await beforeRename?.()
    const now = await readSnapshot(path).catch(() => undefined)
    if (
      !now?.local ||
      now.text !== expected.text ||
      now.local.ino !== local.ino ||
      now.local.mtimeMs !== local.mtimeMs
    )
      throw changedMeanwhile(path)
    await rename(temp, path)
    created = false
  } catch (e) {
    if (created) await rm(temp, { force: true }).catch(() => {})
    if (e instanceof RouterError) throw e
    throw new RouterError(
      `cannot rewrite the nginx upstream file ${path}: ${(e as NodeJS.ErrnoException).code ?? e}`,
    )
  }
}

function weightsOf(servers: Record<Slot, UpstreamServer[]>): Weights {
  const total = (slot: Slot) =>
    servers[slot].filter((s) => !s.down).reduce((sum, s) => sum + s.weight, 0)
  return toPercent(total('blue'), total('green'))
}

const SERVER_LINE = /^\s*server\s+(\S+)((?:\s+[^;\s]+)*)\s*;/

/** Finds the upstream block and the server line of each slot server in it. */
export function parseUpstream(text: string, config: NginxConfig): Record<Slot, UpstreamServer[]> {
  const block = findBlock(text, config)
  const servers = new Map<string, UpstreamServer>()
  for (const line of block.body.split('\n')) {
    const m = SERVER_LINE.exec(line)
    if (!m) continue
    const params = (m[2] ?? '').trim().split(/\s+/).filter(Boolean)
    const weight = params.find((p) => p.startsWith('weight='))
    servers.set(m[1] as string, {
      address: m[1] as string,
      weight: weight ? Number(weight.slice('weight='.length)) : 1,
      down: params.includes('down'),
    })
  }
  const out = {} as Record<Slot, UpstreamServer[]>
  for (const slot of SLOTS) {
    out[slot] = config.slots[slot].map((address) => {
      const server = servers.get(address)
      if (!server) {
        throw new RouterError(
          `upstream '${config.upstream}' in ${config.access.kind === 'local' ? config.access.upstreamFile : 'the upstream file'} has no server ${address} (slot ${slot}); its servers are: ${[...servers.keys()].join(', ') || 'none'}`,
        )
      }
      return server
    })
  }
  return out
}

function findBlock(
  text: string,
  config: NginxConfig,
): { start: number; end: number; body: string } {
  const open = new RegExp(
    `(^|\\n)\\s*upstream\\s+${config.upstream.replace(/[.]/g, '\\.')}\\s*\\{`,
  ).exec(text)
  const close = open ? text.indexOf('}', open.index + open[0].length) : -1
  if (!open || close < 0) {
    throw new RouterError(
      `${config.access.kind === 'local' ? config.access.upstreamFile : 'the upstream file'} has no 'upstream ${config.upstream} { ... }' block`,
    )
  }
  const start = open.index + open[0].length
  return { start, end: close, body: text.slice(start, close) }
}

/**
 * The same file with only the slot servers' lines changed; every other line is kept as it was.
 * A slot's share is spread evenly over its servers; a slot at 0% is `down` (nginx refuses weight=0).
 */
export function renderUpstream(text: string, config: NginxConfig, target: Weights): string {
  const block = findBlock(text, config)
  const perServer = spreadWeights(
    target,
    { blue: config.slots.blue.length, green: config.slots.green.length },
    NGINX_MAX_WEIGHT,
  )
  const slotOf = new Map(
    SLOTS.flatMap((slot) => config.slots[slot].map((address) => [address, slot] as const)),
  )
  const body = block.body
    .split('\n')
    .map((line) => {
      const m = SERVER_LINE.exec(line)
      const slot = m ? slotOf.get(m[1] as string) : undefined
      if (!m || !slot) return line
      const indent = /^\s*/.exec(line)?.[0] ?? '    '
      const keep = (m[2] ?? '')
        .trim()
        .split(/\s+/)
        .filter((p) => p && p !== 'down' && !p.startsWith('weight='))
      const share = target[slot] === 0 ? ['down'] : [`weight=${perServer[slot]}`]
      return `${indent}server ${m[1]} ${[...share, ...keep].join(' ')};`
    })
    .join('\n')
  return text.slice(0, block.start) + body + text.slice(block.end)
}

/** A fresh include file for an upstream, as the sandbox and docs show it. */
export function upstreamFileFor(
  upstream: string,
  slots: Record<Slot, string | string[]>,
  weights: Weights,
  extra: string[] = [],
): string {
  const lists = { blue: [slots.blue].flat(), green: [slots.green].flat() }
  const perServer = spreadWeights(
    weights,
    { blue: lists.blue.length, green: lists.green.length },
    NGINX_MAX_WEIGHT,
  )
  const lines = SLOTS.flatMap((slot) =>
    lists[slot].map(
      (address) =>
        `    server ${address} ${weights[slot] === 0 ? 'down' : `weight=${perServer[slot]}`};`,
    ),
  )
  return [
    `# Managed by cutover: rewritten on every traffic change. Edit the server lines' other parameters freely.`,
    `upstream ${upstream} {`,
    ...lines,
    ...extra.map((e) => `    ${e}`),
    `}`,
    '',
  ].join('\n')
}
