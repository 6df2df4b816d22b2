import { existsSync, rmSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { isAbsolute, join, resolve } from 'node:path'
import type { ActionIO } from '../../packages/action-kit/action.js'
import { ConfigurationError, quote } from '../../packages/action-kit/index.js'
import { parseList } from '../../packages/action-kit/util.js'
import {
  loginFiles,
  parseReference,
  parseRegistryAuth,
  pushImage,
  pushReport,
  readLogins,
  writeAuthFile,
} from '../../packages/image/index.js'

const AUTH_STATE = 'auth-file'

export async function main(io: ActionIO): Promise<void> {
  const { inputs } = io
  const auths = parseRegistryAuth(inputs.yaml('registry-auth'))
  for (const a of auths) io.secret(a.password)
  const sourceInput = inputs.string('source', { required: true })
  const destinations = inputs
    .string('destinations', { required: true })
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((d) => parseReference('destinations', d))
  const retries = inputs.integer('retries', 3, 0, 10)
  const timeoutMs = inputs.duration('push-timeout', 30 * 60_000, {
    min: 10_000,
    max: 6 * 3_600_000,
  })
  const tlsVerify = inputs.boolean('tls-verify', true)
  const insecure = parseList(inputs.string('insecure-registries'))
  if (!tlsVerify && insecure.length === 0) {
    throw new ConfigurationError(
      `Input 'tls-verify' is false, but 'insecure-registries' names no registry; name the registries to reach without TLS verification.`,
    )
  }
  if (tlsVerify && insecure.length > 0)
    throw new ConfigurationError(
      `Input 'insecure-registries' is set, but 'tls-verify' is true; set tls-verify: false to use it.`,
    )
  const certsDir = inputs.optional('certs-dir')
  let source: string
  let sourceRegistry: string | undefined
  if (
    sourceInput.includes('@') ||
    (/^[a-z0-9.-]+(:\d+)?\//.test(sourceInput) &&
      !existsSync(resolve(inputs.workspace, sourceInput)))
  ) {
    const ref = parseReference('source', sourceInput, { requireDigest: true })
    source = `docker://${ref.name}@${ref.digest}`
    sourceRegistry = ref.registry
  } else {
    const path = isAbsolute(sourceInput) ? sourceInput : resolve(inputs.workspace, sourceInput)
    if (!existsSync(path) || !statSync(path).isFile()) {
      throw new ConfigurationError(
        `Input 'source' is ${quote(sourceInput)}, which is neither an existing OCI archive nor registry/repo@sha256:...`,
      )
    }
    source = `oci-archive:${path}`
  }

  const temp = process.env.RUNNER_TEMP || '/tmp'
  let authFile: string | undefined
  if (auths.length > 0) {
    // skopeo reads only the file given: carry the runner's earlier logins into it.
    const existing = readLogins(
      loginFiles({
        home: process.env.HOME || homedir(),
        dockerConfig: process.env.DOCKER_CONFIG,
        xdgRuntimeDir: process.env.XDG_RUNTIME_DIR,
        registryAuthFile: process.env.REGISTRY_AUTH_FILE,
      }),
      io.log,
    )
    if (existing.from.length > 0)
      io.log.info(
        `registry-auth is merged over the logins already on the runner (${Object.keys(existing.auths).join(', ') || 'credential helpers'}) from ${existing.from.join(', ')}`,
      )
    authFile = join(temp, `cutover-auth-${process.pid}-${Date.now()}.json`)
    io.saveState(AUTH_STATE, authFile)
    await writeAuthFile(authFile, auths, existing)
  }
  try {
    const result = await io.group(`Push to ${destinations.length} destination(s)`, () =>
      pushImage(
        {
          source,
          ...(sourceRegistry ? { sourceRegistry } : {}),
          destinations,
          ...(authFile ? { authFile } : {}),
          retries,
          timeoutMs,
          insecure,
          ...(certsDir ? { certsDir: resolve(inputs.workspace, certsDir) } : {}),
        },
        temp,
        io.log,
      ),
    )
    io.output({ digest: result.digest, refs: result.refs.join('\n') })
    await io.summary(pushReport(result))
  } finally {
    if (authFile) rmSync(authFile, { force: true })
  }
}

/** Removes the temporary auth file even if main was killed before its own clean-up. */
export async function post(io: ActionIO): Promise<void> {
  const authFile = io.getState(AUTH_STATE)
  if (!authFile) return
  rmSync(authFile, { force: true })
  io.log.info('push-registry post: the temporary registry auth file is removed')
}
