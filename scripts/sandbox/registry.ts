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
        await new Promise((r) => setTimeout(r, 50))
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
