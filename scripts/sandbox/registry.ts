/**
 * Real OCI distribution registries (docker-registry) on 127.0.0.1 with htpasswd auth and TLS from
 * a CA made here with openssl; and a buildah storage of its own with a busybox base image, so
 * builds need no network and leave the machine's storage alone.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process'
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './index.js'
import { sleep } from '../../packages/action-kit/util.js'

const run = (argv: string[], env?: Record<string, string>) =>
  new Promise<string>((resolve, reject) =>
    execFile(
      argv[0] as string,
      argv.slice(1),
      { env: { ...process.env, ...env } },
      (e, out, err) =>
        e ? reject(new Error(`${argv.join(' ')}: ${err || e.message}`)) : resolve(out),
    ),
  )

export interface Registry {
  /** host:port */
  host: string
  username: string
  password: string
  /** Requests that started a blob upload (POST /v2/<repo>/blobs/uploads/) so far. */
  uploads(): Promise<number>
  stop(): Promise<void>
}

export interface RegistryLab {
  dir: string
  /** Holds <host:port>/ca.crt for every registry, like /etc/containers/certs.d. */
  certsDir: string
  registries: Registry[]
  /** Environment for buildah and skopeo: a private vfs storage, chroot isolation. */
  env: Record<string, string>
  /** A local base image (busybox) in that storage, for FROM lines. */
  baseImage: string
  stop(): Promise<void>
}

export async function startRegistries(
  count = 2,
  options: { base?: boolean } = {},
): Promise<RegistryLab> {
  const dir = await mkdtemp(join(tmpdir(), 'cutover-registry-'))
  const children: ChildProcess[] = []
  const certsDir = join(dir, 'certs.d')
  const stop = async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM')
    await Promise.all(
      children.map((c) =>
        c.exitCode === null ? new Promise((r) => c.once('exit', r)) : undefined,
      ),
    )
    await rm(dir, { recursive: true, force: true }).catch(() => {})
  }
  try {
    await run([
      'openssl',
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      join(dir, 'ca.key'),
      '-out',
      join(dir, 'ca.crt'),
      '-days',
      '2',
      '-subj',
      '/CN=cutover test CA',
    ])
    await run([
      'openssl',
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      join(dir, 'server.key'),
      '-out',
      join(dir, 'server.csr'),
      '-subj',
      '/CN=127.0.0.1',
    ])
    await writeFile(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n')
    await run([
      'openssl',
      'x509',
      '-req',
      '-in',
      join(dir, 'server.csr'),
      '-CA',
      join(dir, 'ca.crt'),
      '-CAkey',
      join(dir, 'ca.key'),
      '-CAcreateserial',
      '-out',
      join(dir, 'server.crt'),
      '-days',
      '2',
      '-extfile',
      join(dir, 'san.ext'),
    ])
    const registries: Registry[] = []
    for (let i = 0; i < count; i++) {
      const port = await freePort()
      const host = `127.0.0.1:${port}`
      const home = join(dir, `registry-${i}`)
      await mkdir(join(certsDir, host), { recursive: true })
      await copyFile(join(dir, 'ca.crt'), join(certsDir, host, 'ca.crt'))
      await mkdir(home, { recursive: true })
      const username = `user${i}`
      const password = `pw-${Math.random().toString(36).slice(2)}-secret`
      await writeFile(join(home, 'htpasswd'), await run(['htpasswd', '-Bbn', username, password]))
      const config = join(home, 'config.yml')
      await writeFile(
        config,
        [
          'version: 0.1',
          'log: { level: info, accesslog: { disabled: false } }',
          `storage: { filesystem: { rootdirectory: ${join(home, 'data')} }, delete: { enabled: true } }`,
          `http: { addr: "${host}", tls: { certificate: ${join(dir, 'server.crt')}, key: ${join(dir, 'server.key')} } }`,
          `auth: { htpasswd: { realm: cutover, path: ${join(home, 'htpasswd')} } }`,
          '',
        ].join('\n'),
      )
      const logFile = join(home, 'registry.log')
      let log = ''
      const child = spawn('docker-registry', ['serve', config], {
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      child.stdout!.on('data', (d) => (log += d))
      child.stderr!.on('data', (d) => (log += d))
      children.push(child)
      for (let t = 0; ; t++) {
        if (/listening on/.test(log)) break
        if (child.exitCode !== null || t > 100)
          throw new Error(`docker-registry on ${host} did not start: ${log}`)
        await sleep(50)
      }
      registries.push({
        host,
        username,
        password,
        uploads: async () => (log.match(/"POST \/v2\/[^ ]+\/blobs\/uploads\/ /g) ?? []).length,
        stop: async () => {
          child.kill('SIGTERM')
          if (child.exitCode === null) await new Promise((r) => child.once('exit', r))
          await writeFile(logFile, log)
        },
      })
    }
    const storage = join(dir, 'storage.conf')
    await writeFile(
      storage,
      `[storage]\ndriver = "vfs"\ngraphroot = "${join(dir, 'graph')}"\nrunroot = "${join(dir, 'run')}"\n`,
    )
    const env = {
      CONTAINERS_STORAGE_CONF: storage,
      BUILDAH_ISOLATION: 'chroot',
      STORAGE_DRIVER: 'vfs',
    }
    const baseImage = 'localhost/cutover-base:busybox'
    if (options.base !== false) {
      const container = (await run(['buildah', 'from', 'scratch'], env)).trim()
      await run(['buildah', 'copy', container, '/bin/busybox', '/bin/busybox'], env)
      await run(['buildah', 'run', container, '/bin/busybox', '--install', '-s', '/bin'], env)
      await run(['buildah', 'commit', '--quiet', container, baseImage], env)
      await run(['buildah', 'rm', container], env)
    }
    return { dir, certsDir, registries, env, baseImage, stop }
  } catch (e) {
    await stop()
    throw e
  }
}

/**
 * A stand-in for the docker buildx plugin (a shell script, the same CLI-plugin protocol): it
 * answers `docker-cli-plugin-metadata` and `buildx version` with `version`; `buildx build` copies
 * the OCI archive at $CUTOVER_STANDIN_ARCHIVE to the --output dest and writes the metadata file
 * with $CUTOVER_STANDIN_DIGEST, so build-image's buildx path runs without a Docker daemon.
 */
export function buildxStandIn(version: string): Buffer {
  return Buffer.from(
    [
      '#!/bin/sh',
      'if [ "$1" = docker-cli-plugin-metadata ]; then',
      `  printf '{"SchemaVersion":"0.1.0","Vendor":"cutover tests","Version":"v${version}","ShortDescription":"stand-in buildx"}\\n'`,
      '  exit 0',
      'fi',
      'shift',
      'case "$1" in',
      `  version) echo "github.com/docker/buildx v${version} standin"; exit 0 ;;`,
      '  build) ;;',
      '  *) echo "stand-in buildx: $1 is not supported" >&2; exit 1 ;;',
      'esac',
      'while [ $# -gt 0 ]; do',
      '  case "$1" in',
      '    --output) out="$2"; shift ;;',
      '    --metadata-file) meta="$2"; shift ;;',
      '  esac',
      '  shift',
      'done',
      '[ -n "$CUTOVER_STANDIN_ARCHIVE" ] || { echo "stand-in buildx: no archive to hand out" >&2; exit 1; }',
      'dest="${out#*dest=}"; dest="${dest%%,*}"',
      'cp "$CUTOVER_STANDIN_ARCHIVE" "$dest"',
      `printf '{"containerimage.digest":"%s"}' "$CUTOVER_STANDIN_DIGEST" > "$meta"`,
      'echo "stand-in buildx: wrote $dest"',
      '',
    ].join('\n'),
  )
}

export interface FileServer {
  /** http://127.0.0.1:<port> */
  url: string
  /** Paths requested so far, in order. */
  requests: string[]
  stop(): Promise<void>
}

/** A plain HTTP server for a few files (a mirror of release assets): 404 for anything else. */
export async function startFileServer(files: Record<string, Buffer>): Promise<FileServer> {
  const { createServer } = await import('node:http')
  const requests: string[] = []
  const server = createServer((req, res) => {
    const path = req.url ?? '/'
    requests.push(path)
    const body = files[path]
    if (!body) {
      res.writeHead(404).end('not found')
      return
    }
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': body.length,
    })
    res.end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
