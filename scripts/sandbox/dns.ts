/**
 * Real authoritative DNS servers on 127.0.0.1 for tests, the demo and the bench: PowerDNS
 * (sqlite3 backend, HTTP API, LUA records) and BIND 9 (a zone open to RFC 2136 updates signed
 * with a TSIG key), each in a temp dir on free ports, spawned directly so we hold their PIDs
 * (see /work/shared/SERVERS.md's DNS section for the settings and why).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { query, TYPE } from '../../packages/router/dns-wire.js'
import { sleep } from '../../packages/action-kit/util.js'
import { freePort, run } from './index.js'

export interface DnsInstance {
  /** 127.0.0.1:port, as a dns router's `servers` entry. */
  server: string
  port: number
  pid: number
  dir: string
  stop(): Promise<void>
}

export interface PowerDnsInstance extends DnsInstance {
  apiUrl: string
  apiKey: string
}

export interface BindInstance extends DnsInstance {
  keyName: string
  /** base64, as tsig-keygen prints it. */
  secret: string
  /** A key file for `nsupdate -k`. */
  keyFile: string
}

export interface ZoneSpec {
  zone: string
  /** The record and its first addresses, e.g. app.example.test -> [192.0.2.1]. */
  record: string
  addresses: string[]
  ttl?: number
}

async function waitForDns(
  port: number,
  zone: string,
  child: ChildProcess,
  log: () => string,
): Promise<void> {
  const deadline = Date.now() + 15_000
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`DNS server exited (${child.exitCode}): ${log().slice(-800)}`)
    try {
      const r = await query({ host: '127.0.0.1', port }, zone, TYPE.SOA, 1000)
      if (r.rcode === 0 && r.authoritative) return
    } catch {
      // not yet
    }
    if (Date.now() > deadline)
      throw new Error(`DNS server on ${port} did not answer for ${zone}: ${log().slice(-800)}`)
    await sleep(50)
  }
}

function spawnServer(argv: string[]): { child: ChildProcess; log: () => string } {
  const [command, ...args] = argv as [string, ...string[]]
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  const keep = (b: Buffer) => {
    out = (out + b.toString()).slice(-20_000)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  return { child, log: () => out }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  // pdns once took 1.9 s to stop: wait a few seconds before SIGKILL.
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
  await exited
  clearTimeout(timer)
}

/** PowerDNS Authoritative with the API and LUA records, the zone created through the API. */
export async function startPowerDns(spec: ZoneSpec): Promise<PowerDnsInstance> {
  const dir = await mkdtemp(join(tmpdir(), 'cutover-pdns-'))
  const [port, webPort] = [await freePort(), await freePort()]
  const apiKey = randomBytes(18).toString('base64url')
  const db = join(dir, 'pdns.sqlite3')
  const schema = await readFile('/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql', 'utf8')
  await run(['sqlite3', db, schema])
  await writeFile(
    join(dir, 'pdns.conf'),
    [
      'launch=gsqlite3',
      `gsqlite3-database=${db}`,
      'local-address=127.0.0.1',
      `local-port=${port}`,
      'daemon=no',
      'guardian=no',
      'write-pid=no',
      `socket-dir=${dir}`,
      'disable-syslog=yes',
      'security-poll-suffix=',
      'webserver=yes',
      'webserver-address=127.0.0.1',
      `webserver-port=${webPort}`,
      'webserver-allow-from=127.0.0.0/8',
      'api=yes',
      `api-key=${apiKey}`,
      'enable-lua-records=yes',
      '',
    ].join('\n'),
    { mode: 0o600 },
  )
  const { child, log } = spawnServer(['pdns_server', `--config-dir=${dir}`])
  const apiUrl = `http://127.0.0.1:${webPort}`
  const stop = async () => {
    await stopChild(child)
    await rm(dir, { recursive: true, force: true })
  }
  try {
    const deadline = Date.now() + 15_000
    for (;;) {
      if (child.exitCode !== null) throw new Error(`pdns_server exited: ${log().slice(-800)}`)
      const ok = await fetch(`${apiUrl}/api/v1/servers/localhost`, {
        headers: { 'X-API-Key': apiKey },
        signal: AbortSignal.timeout(1000),
      }).then(
        (r) => r.ok,
        () => false,
      )
      if (ok) break
      if (Date.now() > deadline) throw new Error(`pdns API did not answer: ${log().slice(-800)}`)
      await sleep(50)
    }
    const zone = `${spec.zone}.`
    const res = await fetch(`${apiUrl}/api/v1/servers/localhost/zones`, {
      method: 'POST',
      headers: { 'X-API-Key': apiKey, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        name: zone,
        kind: 'Native',
        nameservers: [`ns1.${zone}`],
        rrsets: [
          {
            name: `${spec.record}.`,
            type: 'A',
            ttl: spec.ttl ?? 60,
            records: spec.addresses.map((content) => ({ content, disabled: false })),
          },
        ],
      }),
      signal: AbortSignal.timeout(5000),
    })
    if (res.status !== 201) throw new Error(`pdns zone create: ${res.status} ${await res.text()}`)
    await waitForDns(port, spec.zone, child, log)
  } catch (e) {
    await stop()
    throw e
  }
  return { server: `127.0.0.1:${port}`, port, pid: child.pid as number, dir, apiUrl, apiKey, stop }
}

/** BIND 9 serving `zone` as primary, updates allowed with TSIG key `keyName` (hmac-sha256). */
export async function startBind(
  spec: ZoneSpec & { keyName?: string; secret?: string },
): Promise<BindInstance> {
  const dir = await mkdtemp(join(tmpdir(), 'cutover-bind-'))
  const port = await freePort()
  const keyName = spec.keyName ?? 'cutover-key'
  const secret = spec.secret ?? randomBytes(32).toString('base64')
  const keyFile = join(dir, 'tsig.key')
  const key = `key "${keyName}" {\n  algorithm hmac-sha256;\n  secret "${secret}";\n};\n`
  await writeFile(keyFile, key, { mode: 0o600 })
  const ttl = spec.ttl ?? 60
  const zoneFile = join(dir, `${spec.zone}.db`)
  await writeFile(
    zoneFile,
    [
      `$TTL ${ttl}`,
      `@ IN SOA ns1.${spec.zone}. hostmaster.${spec.zone}. 1 3600 600 86400 60`,
      `@ IN NS ns1.${spec.zone}.`,
      `ns1 IN A 127.0.0.1`,
      ...spec.addresses.map(
        (a) => `${spec.record}. ${ttl} IN ${a.includes(':') ? 'AAAA' : 'A'} ${a}`,
      ),
      '',
    ].join('\n'),
  )
  await writeFile(
    join(dir, 'named.conf'),
    `include "${keyFile}";
options {
  directory "${dir}";
  pid-file none;
  session-keyfile "${join(dir, 'session.key')}";
  listen-on port ${port} { 127.0.0.1; };
  listen-on-v6 { none; };
  recursion no;
  notify no;
};
controls { };
zone "${spec.zone}" {
  type primary;
  file "${zoneFile}";
  update-policy { grant ${keyName} zonesub ANY; };
};
`,
  )
  const { child, log } = spawnServer(['named', '-g', '-c', join(dir, 'named.conf')])
  const stop = async () => {
    await stopChild(child)
    await rm(dir, { recursive: true, force: true })
  }
  try {
    await waitForDns(port, spec.zone, child, log)
  } catch (e) {
    await stop()
    throw e
  }
  return {
    server: `127.0.0.1:${port}`,
    port,
    pid: child.pid as number,
    dir,
    keyName,
    secret,
    keyFile,
    stop,
  }
}

/** Knot DNS serving `zone`, updates allowed with TSIG key `keyName` (an `acl` with `action: update`). */
export async function startKnot(spec: ZoneSpec & { keyName?: string }): Promise<BindInstance> {
  const dir = await mkdtemp(join(tmpdir(), 'cutover-knot-'))
  const port = await freePort()
  const keyName = spec.keyName ?? 'cutover-key'
  const secret = randomBytes(32).toString('base64')
  const keyFile = join(dir, 'tsig.key')
  await writeFile(
    keyFile,
    `key "${keyName}" {\n  algorithm hmac-sha256;\n  secret "${secret}";\n};\n`,
    {
      mode: 0o600,
    },
  )
  const ttl = spec.ttl ?? 60
  await writeFile(
    join(dir, `${spec.zone}.zone`),
    [
      `$TTL ${ttl}`,
      `@ IN SOA ns1.${spec.zone}. hostmaster.${spec.zone}. 1 3600 600 86400 60`,
      `@ IN NS ns1.${spec.zone}.`,
      `ns1 IN A 127.0.0.1`,
      ...spec.addresses.map(
        (a) => `${spec.record}. ${ttl} IN ${a.includes(':') ? 'AAAA' : 'A'} ${a}`,
      ),
      '',
    ].join('\n'),
  )
  // Without database.storage created first, every update SERVFAILs (SERVERS.md). Block style only.
  await mkdir(join(dir, 'db'))
  await writeFile(
    join(dir, 'knot.conf'),
    `server:
    listen: 127.0.0.1@${port}
    rundir: ${dir}

log:
  - target: stderr
    any: warning

database:
    storage: ${join(dir, 'db')}

key:
  - id: ${keyName}
    algorithm: hmac-sha256
    secret: ${secret}

acl:
  - id: cutover-update
    key: ${keyName}
    action: update

template:
  - id: default
    storage: ${dir}

zone:
  - domain: ${spec.zone}
    file: ${spec.zone}.zone
    acl: cutover-update
`,
    { mode: 0o600 },
  )
  const { child, log } = spawnServer(['knotd', '-c', join(dir, 'knot.conf')])
  const stop = async () => {
    await stopChild(child)
    await rm(dir, { recursive: true, force: true })
  }
  try {
    await waitForDns(port, spec.zone, child, log)
  } catch (e) {
    await stop()
    throw e
  }
  return {
    server: `127.0.0.1:${port}`,
    port,
    pid: child.pid as number,
    dir,
    keyName,
    secret,
    keyFile,
    stop,
  }
}
