/**
 * nginx through an upstream include file that this tool owns: rewritten atomically (temp file
 * + rename), checked with `nginx -t`, then loaded with a graceful reload. Any failure restores
 * the previous file, so what is on disk always matches what nginx serves.
 */
import { open, readFile, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { NginxConfig } from './config.js'
import { describeConfig } from './config.js'
import { RouterError, type Router } from './router.js'
import {
  assertWritable,
  formatWeights,
  sameWeights,
  SLOTS,
  toPercent,
  type Slot,
  type Weights,
} from './weights.js'

interface UpstreamServer {
  address: string
  weight: number
  down: boolean
}

export class NginxRouter implements Router {
  constructor(readonly config: NginxConfig) {}

  describe(): string {
    return describeConfig(this.config)
  }

  async read(): Promise<Weights> {
    return weightsOf(parseUpstream(await this.readFile(), this.config))
  }

  async write(target: Weights): Promise<void> {
    assertWritable(target)
    const previous = await this.readFile()
    parseUpstream(previous, this.config) // refuse to rewrite a file we do not understand
    const next = renderUpstream(previous, this.config, target)
    await this.replaceFile(next)
    try {
      if (this.config.test.length > 0) await this.run(this.config.test, 'configuration test')
      await this.run(this.config.reload, 'reload')
    } catch (e) {
      await this.replaceFile(previous)
      throw new RouterError(
        `${(e as Error).message}; restored ${this.config.upstreamFile}, traffic stays at ${formatWeights(weightsOf(parseUpstream(previous, this.config)))}`,
      )
    }
    const after = await this.read()
    if (!sameWeights(after, target)) {
      throw new RouterError(
        `${this.config.upstreamFile} reads ${formatWeights(after)} after writing ${formatWeights(target)}`,
      )
    }
  }

  private async readFile(): Promise<string> {
    try {
      return await readFile(this.config.upstreamFile, 'utf8')
    } catch (e) {
      throw new RouterError(
        `cannot read the nginx upstream file ${this.config.upstreamFile}: ${(e as NodeJS.ErrnoException).code ?? e}. It must exist and hold 'upstream ${this.config.upstream} { ... }' with a server line per slot`,
      )
    }
  }

  /** Write a sibling temp file, flush it, then rename it over the old one: readers see old or new, never half. */
  private async replaceFile(content: string): Promise<void> {
    const file = this.config.upstreamFile
    const temp = join(dirname(file), `.${basename(file)}.cutover-${process.pid}`)
    try {
      const handle = await open(temp, 'w', 0o644)
      try {
        await handle.writeFile(content)
        await handle.sync()
      } finally {
        await handle.close()
      }
      await rename(temp, file)
    } catch (e) {
      await rm(temp, { force: true }).catch(() => {})
      throw new RouterError(
        `cannot rewrite the nginx upstream file ${file}: ${(e as NodeJS.ErrnoException).code ?? e}`,
      )
    }
  }

  private async run(argv: string[], what: string): Promise<void> {
    const [command, ...args] = argv as [string, ...string[]]
    // Loaded here, not at start-up: a HAProxy user never pays for node:child_process.
    const { execFile } = await import('node:child_process')
    return new Promise((resolve, reject) => {
      execFile(command, args, { timeout: this.config.timeout }, (error, stdout, stderr) => {
        if (!error) return resolve()
        const output = `${stderr}${stdout}`.trim().split('\n').slice(-3).join(' | ')
        const why =
          (error as NodeJS.ErrnoException).code === 'ENOENT'
            ? 'command not found'
            : error.killed
              ? `timed out after ${this.config.timeout} ms`
              : `exit code ${error.code}`
        reject(
          new RouterError(
            `nginx ${what} failed (${argv.join(' ')}: ${why})${output ? `: ${output}` : ''}`,
          ),
        )
      })
    })
  }
}

function weightsOf(servers: Record<Slot, UpstreamServer>): Weights {
  const effective = (slot: Slot) => (servers[slot].down ? 0 : servers[slot].weight)
  return toPercent(effective('blue'), effective('green'))
}

const SERVER_LINE = /^\s*server\s+(\S+)((?:\s+[^;\s]+)*)\s*;/

/** Finds the upstream block and the server line of each slot in it. */
function parseUpstream(text: string, config: NginxConfig): Record<Slot, UpstreamServer> {
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
  const out = {} as Record<Slot, UpstreamServer>
  for (const slot of SLOTS) {
    const server = servers.get(config.slots[slot])
    if (!server) {
      throw new RouterError(
        `upstream '${config.upstream}' in ${config.upstreamFile} has no server ${config.slots[slot]} (slot ${slot}); its servers are: ${[...servers.keys()].join(', ') || 'none'}`,
      )
    }
    out[slot] = server
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
      `${config.upstreamFile} has no 'upstream ${config.upstream} { ... }' block`,
    )
  }
  const start = open.index + open[0].length
  return { start, end: close, body: text.slice(start, close) }
}

/** The same file with only the two slot server lines changed; every other line is kept as it was. */
function renderUpstream(text: string, config: NginxConfig, target: Weights): string {
  const block = findBlock(text, config)
  const slotOf = new Map(SLOTS.map((slot) => [config.slots[slot], slot]))
  const body = block.body
    .split('\n')
    .map((line) => {
      const m = SERVER_LINE.exec(line)
      const slot = m ? slotOf.get(m[1] as string) : undefined
      if (!m || !slot) return line
      const indent = /^\s*/.exec(line)?.[0] ?? '    '
      // nginx refuses weight=0: a slot with no traffic is marked `down` instead.
      const keep = (m[2] ?? '')
        .trim()
        .split(/\s+/)
        .filter((p) => p && p !== 'down' && !p.startsWith('weight='))
      const share = target[slot] === 0 ? ['down'] : [`weight=${target[slot]}`]
      return `${indent}server ${m[1]} ${[...share, ...keep].join(' ')};`
    })
    .join('\n')
  return text.slice(0, block.start) + body + text.slice(block.end)
}

/** A fresh include file for an upstream, as the sandbox and docs show it. */
export function upstreamFileFor(
  upstream: string,
  slots: Record<Slot, string>,
  weights: Weights,
  extra: string[] = [],
): string {
  const line = (slot: Slot) =>
    `    server ${slots[slot]} ${weights[slot] === 0 ? 'down' : `weight=${weights[slot]}`};`
  return [
    `# Managed by cutover: rewritten on every traffic change. Edit the server lines' other parameters freely.`,
    `upstream ${upstream} {`,
    line('blue'),
    line('green'),
    ...extra.map((e) => `    ${e}`),
    `}`,
    '',
  ].join('\n')
}
