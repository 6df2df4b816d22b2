import { execFile } from 'node:child_process'
import type { ChapterContext } from '../chapters.js'
import { startBind, startPowerDns, type DnsInstance } from '../sandbox/dns.js'

const ZONE = 'example.test'
const RECORD = 'app.example.test'
const SLOTS = { blue: '192.0.2.1', green: '192.0.2.2' }

/** `dig +norecurse` straight at one authoritative server: what a resolver would be told. */
function dig(server: DnsInstance): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      'dig',
      [
        '+norecurse',
        '+noall',
        '+answer',
        '+time=2',
        '+tries=1',
        '-p',
        String(server.port),
        '@127.0.0.1',
        RECORD,
        'A',
      ],
      { timeout: 5000 },
      (error, stdout) => (error ? reject(error) : resolve(stdout.trim().replace(/\s+/g, ' '))),
    ),
  )
}

/** A DNS record as the router: blue-green on PowerDNS (HTTP API) and on BIND (RFC 2136 + TSIG). */
export default async function dnsBlueGreen(ctx: ChapterContext): Promise<void> {
  const { print } = ctx
  const spec = { zone: ZONE, record: RECORD, addresses: [SLOTS.blue], ttl: 60 }
  const [pdns, bind] = await Promise.all([startPowerDns(spec), startBind(spec)])
  try {
    const routers = [
      {
        server: pdns,
        label: 'PowerDNS 4.7 through its HTTP API',
        router: {
          type: 'dns',
          provider: 'powerdns',
          zone: ZONE,
          record: RECORD,
          ttl: 30,
          slots: SLOTS,
          servers: [pdns.server],
          'api-url': pdns.apiUrl,
          'api-key': pdns.apiKey,
        },
      },
      {
        server: bind,
        label: 'BIND 9 through RFC 2136 signed with TSIG',
        router: {
          type: 'dns',
          provider: 'rfc2136',
          zone: ZONE,
          record: RECORD,
          ttl: 30,
          slots: SLOTS,
          servers: [bind.server],
          'tsig-key-name': bind.keyName,
          'tsig-secret': bind.secret,
        },
      },
    ]
    for (const { server, label, router } of routers) {
      print(`${label}: ${RECORD} is blue (${SLOTS.blue}), green is ${SLOTS.green}.`)
      print(`  dig @${server.server}: ${await dig(server)}`)
      const run = await ctx.runAction('blue-green-switch', {
        inputs: { router, to: 'green', record: false },
      })
      print(run.log.trim().replace(/^/gm, '  │ '))
      print(`  outputs (dns): ${JSON.stringify(run.outputs)}  exit code ${run.exitCode}`)
      print(`  dig @${server.server}: ${await dig(server)}`)
      if (run.exitCode !== 0)
        throw new Error(`blue-green-switch failed on ${label}: ${run.errors.join('; ')}`)
      print()
    }
  } finally {
    await Promise.all([pdns.stop(), bind.stop()])
  }
}
