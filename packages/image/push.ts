/**
 * Pushing one image, by digest, to several registries with skopeo: credentials in a temporary
 * auth file (never in argv), retries with backoff for outages, and every destination's manifest
 * read back to prove it holds the same digest.
 */
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { DeploymentFailed, markdown, type Log } from '../action-kit/index.js'
import { backoff, sleep } from '../action-kit/util.js'
import { execute, failure, lastLines } from '../exec/index.js'
import { skopeoCopyArgs, skopeoInspectRawArgs, type Transport } from './argv.js'
import { readLogins, writeAuthFile } from './auth.js'
import { formatRef, type ImageRef } from './refs.js'
import type { PushSettings } from './settings.js'

/** Reading one manifest: a single small request. */
const INSPECT_TIMEOUT_MS = 2 * 60_000

export interface PushPlan {
  /** oci-archive:<path> or docker://<registry/repo@sha256:...> */
  source: string
  sourceRegistry?: string
  destinations: ImageRef[]
  authFile?: string
  retries: number
  insecure: string[]
  certsDir?: string
  backoffMs?: number
  /** One copy attempt to one destination (the `push-timeout` input); a timed-out attempt is retried. */
  timeoutMs: number
}

export interface PushResult {
  digest: string
  refs: string[]
  copies: { destination: string; attempts: number; ms: number }[]
}

export function transportFor(
  registry: string | undefined,
  plan: Pick<PushPlan, 'authFile' | 'insecure' | 'certsDir'>,
): Transport {
  const certDir = registry && plan.certsDir ? join(plan.certsDir, registry) : undefined
  return {
    ...(plan.authFile ? { authFile: plan.authFile } : {}),
    tlsVerify: !(registry && plan.insecure.includes(registry)),
    ...(certDir && existsSync(certDir) ? { certDir } : {}),
  }
}

/** The digest of the manifest at `reference`, from its raw bytes. */
export async function manifestDigest(reference: string, transport: Transport): Promise<string> {
  const result = await execute(skopeoInspectRawArgs(reference, transport), {
    timeoutMs: INSPECT_TIMEOUT_MS,
  })
  if (result.code !== 0 || result.timedOut)
    throw new Error(
      `cannot read the manifest of ${reference}: ${failure(result, INSPECT_TIMEOUT_MS).message}`,
    )
  // Raw bytes: the digest is over the manifest exactly as the registry stores it.
  return `sha256:${createHash('sha256').update(result.stdout, 'utf8').digest('hex')}`
}

export async function pushImage(plan: PushPlan, tempDir: string, log: Log): Promise<PushResult> {
  const from = transportFor(plan.sourceRegistry, plan)
  const archive = plan.source.startsWith('oci-archive:')
    ? plan.source.slice('oci-archive:'.length)
    : undefined
  const digest =
    (archive && (await archiveDigest(archive))) || (await manifestDigest(plan.source, from))
  log.info(`source ${plan.source} is ${digest}`)
  const copies: PushResult['copies'] = []
  for (const [index, destination] of plan.destinations.entries()) {
    const to = transportFor(destination.registry, plan)
    const target = `docker://${formatRef(destination)}`
    const digestFile = join(tempDir, `cutover-push-${process.pid}-${index}.digest`)
    const started = Date.now()
    let attempts = 0
    for (;;) {
      attempts += 1
      log.info(`copying to ${formatRef(destination)} (attempt ${attempts}/${plan.retries + 1})`)
      const result = await execute(skopeoCopyArgs(plan.source, target, from, to, digestFile), {
        log,
        timeoutMs: plan.timeoutMs,
      })
      if (result.code === 0 && !result.timedOut) break
      if (result.notFound) throw new Error(failure(result, plan.timeoutMs).message)
      const output = result.timedOut
        ? failure(result, plan.timeoutMs).message
        : lastLines(result, 4).join('\n')
      if (
        !result.timedOut &&
        /unauthorized|authentication required|denied/i.test(lastLines(result, 4, 2000).join('\n'))
      ) {
        throw new DeploymentFailed(
          `registry ${destination.registry} refused the credentials for ${formatRef(destination)} (unauthorized). Check 'registry-auth' for ${destination.registry}.`,
        )
      }
      if (attempts > plan.retries) {
        throw new Error(
          `could not push to ${formatRef(destination)} after ${attempts} attempts:\n${output}`,
        )
      }
      const wait = backoff(attempts, plan.backoffMs ?? 1000)
      log.info(`push to ${formatRef(destination)} failed; retrying in ${wait} ms`)
      await sleep(wait)
    }
    const pushed = readFileSync(digestFile, 'utf8').trim()
    const stored = await manifestDigest(target, to)
    if (pushed !== digest || stored !== digest) {
      throw new Error(
        `digest mismatch at ${formatRef(destination)}: source ${digest}, pushed ${pushed}, registry holds ${stored}`,
      )
    }
    copies.push({ destination: formatRef(destination), attempts, ms: Date.now() - started })
    log.info(`${formatRef(destination)} holds ${digest} (verified)`)
  }
  return { digest, refs: plan.destinations.map((d) => `${d.name}@${digest}`), copies }
}

/** What push-registry needs of the runner: a log and log groups. */
export interface PushIO {
  log: Log
  group<T>(title: string, fn: () => Promise<T>): Promise<T>
  /**
   * Told the temporary auth file's path before it is written, so a post step can remove it
   * even if this process is killed before its own clean-up.
   */
  onAuthFile?(path: string): void
}

/**
 * push-registry: `registry-auth` merged over the runner's logins into a temporary auth file
 * (removed at the end), then the push to every destination.
 */
export async function push(settings: PushSettings, io: PushIO): Promise<PushResult> {
  const { auths, tempDir } = settings
  let authFile: string | undefined
  if (auths.length > 0) {
    const existing = readLogins(settings.loginFiles, io.log)
    if (existing.from.length > 0)
      io.log.info(
        `registry-auth is merged over the logins already on the runner (${Object.keys(existing.auths).join(', ') || 'credential helpers'}) from ${existing.from.join(', ')}`,
      )
    authFile = join(tempDir, `cutover-auth-${process.pid}-${Date.now()}.json`)
    io.onAuthFile?.(authFile)
    await writeAuthFile(authFile, auths, existing)
  }
  try {
    return await io.group(`Push to ${settings.destinations.length} destination(s)`, () =>
      pushImage(
        {
          source: settings.source,
          ...(settings.sourceRegistry ? { sourceRegistry: settings.sourceRegistry } : {}),
          destinations: settings.destinations,
          ...(authFile ? { authFile } : {}),
          retries: settings.retries,
          timeoutMs: settings.timeoutMs,
          insecure: settings.insecure,
          ...(settings.certsDir ? { certsDir: settings.certsDir } : {}),
        },
        tempDir,
        io.log,
      ),
    )
  } finally {
    if (authFile) removeAuthFile(authFile)
  }
}

/** Removes the temporary auth file (gone already is fine). */
export function removeAuthFile(path: string): void {
  rmSync(path, { force: true })
}

export function pushReport(result: PushResult): string {
  return markdown.sections(
    markdown.heading(
      `Pushed ${result.digest.slice(0, 19)}… to ${result.refs.length} destination(s)`,
    ),
    markdown.table(
      ['destination', 'verified digest', 'attempts', 'took'],
      result.copies.map((c) => [c.destination, `\`${result.digest}\``, c.attempts, `${c.ms} ms`]),
    ),
  )
}

/**
 * The manifest digest of an OCI archive, read from its index.json without unpacking it (tar
 * headers only): saves a skopeo process per push.
 */
export async function archiveDigest(path: string): Promise<string | undefined> {
  const { open } = await import('node:fs/promises')
  const file = await open(path, 'r')
  try {
    const header = Buffer.alloc(512)
    for (let offset = 0; ;) {
      const { bytesRead } = await file.read(header, 0, 512, offset)
      if (bytesRead < 512 || header.every((b) => b === 0)) return undefined
      const name = header.toString('utf8', 0, 100).replace(/\0.*$/s, '')
      const size = parseInt(
        header.toString('utf8', 124, 136).replace(/\0.*$/s, '').trim() || '0',
        8,
      )
      if (name === 'index.json' || name === './index.json') {
        const body = Buffer.alloc(size)
        await file.read(body, 0, size, offset + 512)
        const index = JSON.parse(body.toString('utf8')) as { manifests?: { digest?: string }[] }
        return index.manifests?.length === 1 ? index.manifests[0]?.digest : undefined
      }
      offset += 512 + Math.ceil(size / 512) * 512
    }
  } finally {
    await file.close()
  }
}
