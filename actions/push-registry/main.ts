import type { ActionIO } from '../../packages/action-kit/action.js'
import {
  parseRegistryAuth,
  push,
  pushReport,
  readPushSettings,
  removeAuthFile,
} from '../../packages/image/index.js'

const AUTH_STATE = 'auth-file'

export async function main(io: ActionIO): Promise<void> {
  const { inputs } = io
  // Masked before any other value is read, so no later message can show a password.
  const auths = parseRegistryAuth(inputs.yaml('registry-auth'))
  for (const a of auths) io.secret(a.password)
  const settings = readPushSettings(
    {
      auths,
      source: inputs.string('source', { required: true }),
      destinations: inputs.string('destinations', { required: true }),
      retries: inputs.integer('retries', 3, 0, 10),
      timeoutMs: inputs.duration('push-timeout', 30 * 60_000, { min: 10_000, max: 6 * 3_600_000 }),
      tlsVerify: inputs.boolean('tls-verify', true),
      insecureRegistries: inputs.string('insecure-registries'),
      certsDir: inputs.optional('certs-dir'),
    },
    { workspace: inputs.workspace, env: io.env },
  )

  const result = await push(settings, {
    log: io.log,
    group: io.group,
    onAuthFile: (path) => io.saveState(AUTH_STATE, path),
  })
  io.output({ digest: result.digest, refs: result.refs.join('\n') })
  await io.summary(pushReport(result))
}

/** Removes the temporary auth file even if main was killed before its own clean-up. */
export async function post(io: ActionIO): Promise<void> {
  const authFile = io.getState(AUTH_STATE)
  if (!authFile) return
  removeAuthFile(authFile)
  io.log.info('push-registry post: the temporary registry auth file is removed')
}
