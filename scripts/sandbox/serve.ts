/**
 * The sandbox as a long-running process, for a workflow that runs the actions as a user would
 * (.github/workflows/e2e.yml): starts both app slots, HAProxy, nginx, Prometheus (with load
 * through HAProxy so the gate has data) and a TLS registry with a password, writes what the
 * steps need into <dir>, then runs until SIGTERM or SIGINT and stops everything it started.
 *
 *   npx tsx scripts/sandbox/serve.ts <dir>
 *
 * <dir>/haproxy-router.yml, <dir>/nginx-router.yml: the routers, as the `router` input takes them.
 * <dir>/env: KEY=value lines for $GITHUB_ENV (URLs, the registry's host and login, buildah's env).
 * <dir>/ready: written last.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { dump } from 'js-yaml'
import { startSandbox } from './index.js'
import { startRegistries } from './registry.js'

const dir = resolve(process.argv[2] ?? '.e2e')
await mkdir(dir, { recursive: true })

const sandbox = await startSandbox({ haproxy: true, nginx: true, prometheus: true })
const lab = await startRegistries(1, { base: false }).catch(async (e: unknown) => {
  await sandbox.stop()
  throw e
})
const load = await sandbox.load(sandbox.haproxy!.url, { concurrency: 2 })

let stopping = false
const stop = async () => {
  if (stopping) return
  stopping = true
  await load.stop().catch(() => undefined)
  await Promise.all([sandbox.stop(), lab.stop()])
  process.exit(0)
}
process.once('SIGTERM', () => void stop())
process.once('SIGINT', () => void stop())

const registry = lab.registries[0]!
await writeFile(join(dir, 'haproxy-router.yml'), dump(sandbox.haproxy!.router))
await writeFile(join(dir, 'nginx-router.yml'), dump(sandbox.nginx!.router))
const env: Record<string, string> = {
  HAPROXY_URL: sandbox.haproxy!.url,
  NGINX_URL: sandbox.nginx!.url,
  PROMETHEUS_URL: sandbox.prometheus!.url,
  BLUE_URL: sandbox.apps.blue.url,
  GREEN_URL: sandbox.apps.green.url,
  REGISTRY_HOST: registry.host,
  REGISTRY_USERNAME: registry.username,
  REGISTRY_PASSWORD: registry.password,
  REGISTRY_CERTS_DIR: lab.certsDir,
  ...lab.env,
}
await writeFile(
  join(dir, 'env'),
  Object.entries(env)
    .map(([key, value]) => `${key}=${value}\n`)
    .join(''),
)
// The gate's first measurement needs samples from both slots' apps.
await sandbox.prometheus!.waitForData('sum(rate(http_requests_total[5s]))', 30_000)
await writeFile(join(dir, 'ready'), `${process.pid}\n`)
console.log(`sandbox: serving from ${sandbox.dir}; ${dir}/env has the addresses`)
