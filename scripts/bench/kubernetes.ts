/**
 * The Kubernetes router's own cost, against the FAKE API server (whose gateway applies a route
 * within a 5 ms tick): switch time through the provider, the client's load time in a fresh Node
 * process, and the Kubernetes chunk of dist/ (its size, and what it adds to a bundled action's run).
 */
import { execFile } from 'node:child_process'
import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { silentLog } from '../../packages/action-kit/index.js'
import { KubernetesRouter, parseKubernetesConfig } from '../../packages/router/kubernetes.js'
import type { ChapterContext } from '../chapters.js'
import { ROOT } from '../harness.js'
import { ROUTER_YAML } from '../demo/kubernetes.js'
import { startFakeKubernetes } from '../sandbox/fake-kubernetes.js'
import { describe, percentile } from './stats.js'

const SWITCHES = 20
const LOADS = 5
/** A string only the client's code holds: how the chunk is found among dist/shared/*.js. */
const CLIENT_MARK = 'No command was specified for exec authProvider'
/** A string only our kubeconfig loader holds (packages/router/kubernetes-kubeconfig.ts), loaded with it. */
const LOADER_MARK = 'cutover does not refresh it'

export default async function kubernetesBench(ctx: ChapterContext): Promise<void> {
  const { print } = ctx
  const fake = await startFakeKubernetes({ tickMs: 5 })
  try {
    print(`against a FAKE API server (TLS, token, Role enforced; its gateway applies within 5 ms)`)
    const router = new KubernetesRouter(parseKubernetesConfig(ROUTER_YAML), {
      kubeconfig: fake.kubeconfig,
      log: silentLog,
    })
    let started = performance.now()
    await router.read()
    print(
      `  first read (loads the client, the kubeconfig, one GET): ${(performance.now() - started).toFixed(0)} ms`,
    )
    const times: number[] = []
    for (let i = 0; i < SWITCHES; i++) {
      started = performance.now()
      await router.write(i % 2 === 0 ? { blue: 0, green: 100 } : { blue: 100, green: 0 })
      times.push(performance.now() - started)
    }
    const perSwitch = fake.requests.length / (SWITCHES + 1)
    print(`  switch (write until the gateway reports it applied): ${describe(times)}`)
    print(
      `  API requests per switch: ${perSwitch.toFixed(1)} (GET Deployment, GET and PATCH route, status polls)`,
    )

    const loads: number[] = []
    for (let i = 0; i < LOADS; i++) loads.push(await clientImportMs())
    print(
      `  the whole @kubernetes/client-node (what v0.1.0 bundled) imported in a fresh Node ${process.versions.node} process: ${describe(loads)}`,
    )

    const chunks = await kubernetesChunks()
    const dist = await sizeOf(join(ROOT, 'dist'))
    if (chunks.length === 0) {
      print(
        `  dist/: ${mb(dist)}; no Kubernetes chunk in it yet (the bundle does not include the provider: is type kubernetes registered in openRouter, and dist/ rebuilt?)`,
      )
      return
    }
    const chunkBytes = (await Promise.all(chunks.map((c) => stat(c)))).reduce(
      (n, s) => n + s.size,
      0,
    )
    print(
      `  dist/: ${mb(dist)} in all, of which the Kubernetes chunk ${chunks.map((c) => c.slice(ROOT.length + 1)).join(', ')}: ${mb(chunkBytes)}; everything else ${mb(dist - chunkBytes)}`,
    )
    print(
      `  before (v0.1.0, measured): dist/ ${mb(V010.dist)} in all, the Kubernetes chunk ${mb(V010.chunk)}, loaded in ~${V010.loadMs} ms`,
    )
    const chunkLoads: number[] = []
    for (let i = 0; i < LOADS; i++) chunkLoads.push(await chunkLoadMs(chunks))
    print(
      `  now: dist/ ${mb(dist)} in all, the Kubernetes chunk ${mb(chunkBytes)}, loaded in a fresh Node process in ${describe(chunkLoads)}`,
    )
    const bundled = await bundledCost(ctx, fake.kubeconfig)
    print(
      `  blue-green-switch dry run (dist bundle, Node 24): kubernetes ${describe(bundled.kubernetes)}; haproxy ${describe(bundled.haproxy)}`,
    )
    const extra = percentile(bundled.kubernetes, 50) - percentile(bundled.haproxy, 50)
    print(
      `  => the Kubernetes chunk's load, the kubeconfig and a TLS GET add ${extra.toFixed(0)} ms (median) to a step; other routers and actions never load it`,
    )
  } finally {
    await fake.stop()
  }
}

function clientImportMs(): Promise<number> {
  const script =
    "const t = performance.now(); await import('@kubernetes/client-node'); console.log(performance.now() - t)"
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT }, (e, out) =>
      e ? reject(e) : resolve(Number(out.trim())),
    ),
  )
}

/** v0.1.0's figures on this project's 2-core machine (issue 19): the client with every generated API. */
const V010 = { dist: 21_634_215, chunk: 19_581_824, loadMs: 235 }

/** Milliseconds to import the Kubernetes chunk(s) of dist/ in a fresh Node process. */
function chunkLoadMs(chunks: string[]): Promise<number> {
  const script = `const t = performance.now(); for (const c of ${JSON.stringify(chunks)}) await import(c); console.log(performance.now() - t)`
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT }, (e, out) =>
      e ? reject(e) : resolve(Number(out.trim())),
    ),
  )
}

async function kubernetesChunks(): Promise<string[]> {
  const dir = join(ROOT, 'dist/shared')
  const found: string[] = []
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!name.endsWith('.js')) continue
    const text = await readFile(join(dir, name), 'utf8')
    if (text.includes(CLIENT_MARK) || text.includes(LOADER_MARK)) found.push(join(dir, name))
  }
  return found
}

async function sizeOf(path: string): Promise<number> {
  const s = await stat(path)
  if (!s.isDirectory()) return s.size
  let total = 0
  for (const name of await readdir(path)) total += await sizeOf(join(path, name))
  return total
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`

/** Wall time of a dry-run switch through the bundle: Kubernetes (chunk loaded) against HAProxy. */
async function bundledCost(ctx: ChapterContext, kubeconfig: string) {
  const out = { kubernetes: [] as number[], haproxy: [] as number[] }
  for (let i = 0; i < LOADS; i++) {
    for (const kind of ['kubernetes', 'haproxy'] as const) {
      const started = performance.now()
      const run = await ctx.runAction('blue-green-switch', {
        inputs: {
          router: kind === 'kubernetes' ? ROUTER_YAML : (ctx.sandbox.haproxy?.router ?? {}),
          'dry-run': true,
          record: false,
        },
        env: { KUBECONFIG: kubeconfig },
      })
      if (run.exitCode !== 0)
        throw new Error(`blue-green-switch (${kind}) failed: ${run.errors.join('; ')}`)
      out[kind].push(performance.now() - started)
    }
  }
  return out
}
