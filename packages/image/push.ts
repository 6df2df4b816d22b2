/**
 * Pushing one image, by digest, to several registries with skopeo: credentials in a temporary
 * auth file (never in argv), retries with backoff for outages, and every destination's manifest
 * read back to prove it holds the same digest.
 */
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  ConfigurationError,
  DeploymentFailed,
  markdown,
  quote,
  type Log,
} from '../action-kit/index.js'
import { skopeoCopyArgs, skopeoInspectRawArgs, type Transport } from './argv.js'
import { exec, tail } from './exec.js'
import { formatRef, type ImageRef } from './refs.js'

export interface RegistryAuth {
  registry: string
  username: string
  password: string
}

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
}

export interface PushResult {
  digest: string
  refs: string[]
  copies: { destination: string; attempts: number; ms: number }[]
}

export function parseRegistryAuth(value: unknown): RegistryAuth[] {
  if (value === undefined || value === null) return []
  if (!Array.isArray(value))
    throw new ConfigurationError(
      `Input 'registry-auth' must be a YAML list of { registry, username, password }.`,
    )
  return value.map((item, i) => {
    const m = (item ?? {}) as Record<string, unknown>
    for (const key of ['registry', 'username', 'password']) {
      if (typeof m[key] !== 'string' || (m[key] as string) === '') {
        throw new ConfigurationError(
          `Input 'registry-auth'[${i}] needs a non-empty '${key}' (registry, username, password).`,
        )
      }
    }
    const extra = Object.keys(m).filter((k) => !['registry', 'username', 'password'].includes(k))
    if (extra.length > 0)
      throw new ConfigurationError(
        `Input 'registry-auth'[${i}] has unknown key ${extra.map(quote).join(', ')}; allowed: registry, username, password.`,
      )
    return {
      registry: m.registry as string,
      username: m.username as string,
      password: m.password as string,
    }
  })
}

/** A containers-auth.json (the format skopeo and buildah read), mode 600. */
export async function writeAuthFile(path: string, auths: RegistryAuth[]): Promise<void> {
  const json = {
    auths: Object.fromEntries(
      auths.map((a) => [
        a.registry,
        { auth: Buffer.from(`${a.username}:${a.password}`).toString('base64') },
      ]),
    ),
  }
  await writeFile(path, JSON.stringify(json), { mode: 0o600 })
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
  const result = await exec(skopeoInspectRawArgs(reference, transport))
  if (result.code !== 0)
    throw new Error(`cannot read the manifest of ${reference}: ${tail(result, 3)}`)
  return `sha256:${createHash('sha256').update(result.stdout).digest('hex')}`
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
      const result = await exec(skopeoCopyArgs(plan.source, target, from, to, digestFile), { log })
      if (result.code === 0) break
      const output = tail(result, 4)
      if (/unauthorized|authentication required|denied/i.test(output)) {
        throw new DeploymentFailed(
          `registry ${destination.registry} refused the credentials for ${formatRef(destination)} (unauthorized). Check 'registry-auth' for ${destination.registry}.`,
        )
      }
      if (attempts > plan.retries) {
        throw new Error(
          `could not push to ${formatRef(destination)} after ${attempts} attempts:\n${output}`,
        )
      }
      const wait = (plan.backoffMs ?? 1000) * 2 ** (attempts - 1)
      log.info(`push to ${formatRef(destination)} failed; retrying in ${wait} ms`)
      await new Promise((r) => setTimeout(r, wait))
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
