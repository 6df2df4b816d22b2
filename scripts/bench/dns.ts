import { execFile } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ChapterContext } from '../chapters.js'
import { describe } from './stats.js'
import { query, TYPE } from '../../packages/router/dns-wire.js'
import { sleep } from '../../packages/action-kit/util.js'
import { startBind, startPowerDns, type DnsInstance } from '../sandbox/dns.js'

const SWITCHES = 10
const ZONE = 'example.test'
const RECORD = 'app.example.test'
const ADDRESS = { blue: '192.0.2.1', green: '192.0.2.2' } as const

/** Resolves with the ms from `start` until `server` answers `address` (polled every 2 ms), or rejects after 30 s. */
async function answersFrom(server: DnsInstance, address: string, start: number): Promise<number> {
  const to = { host: '127.0.0.1', port: server.port }
  while (performance.now() - start < 30_000) {
    const r = await query(to, RECORD, TYPE.A, 1000).catch(() => undefined)
    const got = r?.answers.filter((a) => a.type === TYPE.A).map((a) => a.data) ?? []
    if (got.length === 1 && got[0] === address) return performance.now() - start
    await sleep(2)
  }
  throw new Error(`${server.server} never answered ${address}`)
}

function runTool(argv: string[], input?: string): Promise<void> {
  const [command, ...args] = argv as [string, ...string[]]
  return new Promise((resolve, reject) => {
    const child = execFile(command, args, { timeout: 10_000 }, (error, _out, stderr) =>
      error ? reject(new Error(`${command}: ${stderr || error.message}`)) : resolve(),
    )
    if (input !== undefined) child.stdin?.end(input)
  })
}

/**
 * Per server: time from the step's start until the authoritative server answers the new slot,
 * through blue-green-switch (Node start-up, pre-read, update, read-back included) beside the same
 * update sent with the server's own tool (curl to the pdns API, nsupdate to BIND).
 */
export default async function dnsSwitch(ctx: ChapterContext): Promise<void> {
  const spec = { zone: ZONE, record: RECORD, addresses: [ADDRESS.blue], ttl: 60 }
  const [pdns, bind] = await Promise.all([startPowerDns(spec), startBind(spec)])
  try {
    const header = join(pdns.dir, 'api-key.header')
    await writeFile(header, `X-API-Key: ${pdns.apiKey}\n`, { mode: 0o600 })
    const routers = {
      powerdns: {
        type: 'dns',
        provider: 'powerdns',
        zone: ZONE,
        record: RECORD,
        ttl: 60,
        slots: ADDRESS,
        servers: [pdns.server],
        'api-url': pdns.apiUrl,
        'api-key': pdns.apiKey,
      },
      rfc2136: {
        type: 'dns',
        provider: 'rfc2136',
        zone: ZONE,
        record: RECORD,
        ttl: 60,
        slots: ADDRESS,
        servers: [bind.server],
        'tsig-key-name': bind.keyName,
        'tsig-secret': bind.secret,
      },
    }
    const tools = {
      // The API key from a file (-H @file), never on the command line.
      powerdns: (to: 'blue' | 'green') =>
        runTool([
          'curl',
          '-sf',
          '-m',
          '5',
          '-X',
          'PATCH',
          '-H',
          `@${header}`,
          '-H',
          'Content-Type: application/json',
          '--data',
          JSON.stringify({
            rrsets: [
              {
                name: `${RECORD}.`,
                type: 'A',
                ttl: 60,
                changetype: 'REPLACE',
                records: [{ content: ADDRESS[to], disabled: false }],
              },
            ],
          }),
          `${pdns.apiUrl}/api/v1/servers/localhost/zones/${ZONE}.`,
        ]),
      rfc2136: (to: 'blue' | 'green') =>
        runTool(
          ['nsupdate', '-k', bind.keyFile, '-t', '5'],
          `server 127.0.0.1 ${bind.port}\nzone ${ZONE}\nupdate delete ${RECORD} A\nupdate add ${RECORD} 60 A ${ADDRESS[to]}\nsend\n`,
        ),
    }
    for (const provider of ['powerdns', 'rfc2136'] as const) {
      const server = provider === 'powerdns' ? pdns : bind
      const viaStep: number[] = []
      const viaTool: number[] = []
      let failed = 0
      for (let i = 0; i < SWITCHES; i++) {
        // Each round: the step moves blue -> green, then the server's own tool moves it back.
        let start = performance.now()
        const seen = answersFrom(server, ADDRESS.green, start)
        const run = await ctx.runAction('blue-green-switch', {
          inputs: { router: routers[provider], to: 'green', record: false },
        })
        if (run.exitCode !== 0) failed++
        viaStep.push(await seen)
        start = performance.now()
        const seenBack = answersFrom(server, ADDRESS.blue, start)
        await tools[provider]('blue')
        viaTool.push(await seenBack)
        ctx.status(`  ${provider}: switch ${i + 1}/${SWITCHES}`)
      }
      ctx.endStatus()
      const tool = provider === 'powerdns' ? 'curl PATCH to the API' : 'nsupdate -k'
      ctx.print(
        `${provider === 'powerdns' ? 'PowerDNS 4.7 (HTTP API)' : 'BIND 9 (RFC 2136 + TSIG)'}, until the server answers the new slot:`,
      )
      ctx.print(`  blue-green-switch (bundle, Node start-up included): ${describe(viaStep)}`)
      ctx.print(`  ${tool.padEnd(49)}: ${describe(viaTool)}`)
      ctx.print(`  failed steps: ${failed} of ${SWITCHES}`)
    }
  } finally {
    await Promise.all([pdns.stop(), bind.stop()])
  }
}
