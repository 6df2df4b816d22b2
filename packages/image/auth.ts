/**
 * Registry credentials for skopeo: the `registry-auth` input merged over the logins already on
 * the runner (containers auth.json, docker config.json — e.g. from amazon-ecr-login or
 * docker/login-action), written to one temporary auth file. skopeo reads a single file when given
 * --authfile, so without the merge `registry-auth` would hide every earlier login.
 */
import { readFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ConfigurationError, errorMessage, quote, type Log } from '../action-kit/index.js'

export interface RegistryAuth {
  registry: string
  username: string
  password: string
}

/** What an auth file holds for one registry: kept as is (auth, identitytoken, ...). */
export type AuthEntry = Record<string, unknown>

/** The parts of containers-auth.json(5) / docker config.json that carry logins. */
export interface Logins {
  auths: Record<string, AuthEntry>
  credHelpers: Record<string, string>
}

export interface LoginFile {
  path: string
  kind: 'containers' | 'docker'
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

/**
 * Where the runner's logins are, lowest precedence first (the order skopeo itself reads them in,
 * reversed): docker's config.json, then the containers auth files, $REGISTRY_AUTH_FILE last.
 * The action passes the environment's values in.
 */
export function loginFiles(where: {
  home?: string
  dockerConfig?: string
  xdgRuntimeDir?: string
  registryAuthFile?: string
}): LoginFile[] {
  const files: LoginFile[] = []
  const dockerDir = where.dockerConfig || (where.home ? join(where.home, '.docker') : undefined)
  if (dockerDir) files.push({ path: join(dockerDir, 'config.json'), kind: 'docker' })
  if (where.home)
    files.push({ path: join(where.home, '.config/containers/auth.json'), kind: 'containers' })
  if (where.xdgRuntimeDir)
    files.push({ path: join(where.xdgRuntimeDir, 'containers/auth.json'), kind: 'containers' })
  if (where.registryAuthFile) files.push({ path: where.registryAuthFile, kind: 'containers' })
  return files.filter((f, i) => files.findIndex((g) => g.path === f.path) === i)
}

/**
 * docker writes keys as URLs ("https://index.docker.io/v1/", "https://ghcr.io"); containers
 * tools as host[/path]. One spelling, so a login and a `registry-auth` entry for the same
 * registry are one key and the later one wins.
 */
export function registryKey(key: string): string {
  const host = key
    .replace(/^https?:\/\//, '')
    .replace(/\/v[12]\/?$/, '')
    .replace(/\/+$/, '')
  return host === 'index.docker.io' || host === 'registry-1.docker.io' ? 'docker.io' : host
}

/** The logins in one file's text. Never quotes the text: it holds credentials. */
export function parseLogins(text: string, file: LoginFile): Logins & { credsStore?: string } {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new Error(`${file.path} is not valid JSON`)
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new Error(`${file.path} is not a JSON object`)
  const doc = json as Record<string, unknown>
  const auths: Logins['auths'] = {}
  const credHelpers: Logins['credHelpers'] = {}
  const rawAuths = doc.auths
  if (rawAuths && typeof rawAuths === 'object' && !Array.isArray(rawAuths))
    for (const [key, entry] of Object.entries(rawAuths as Record<string, unknown>))
      // docker writes `{}` for a login kept in its credsStore: nothing to carry here.
      if (entry && typeof entry === 'object' && Object.keys(entry).length > 0)
        auths[registryKey(key)] = entry as AuthEntry
  const rawHelpers = doc.credHelpers
  if (rawHelpers && typeof rawHelpers === 'object' && !Array.isArray(rawHelpers))
    for (const [key, helper] of Object.entries(rawHelpers as Record<string, unknown>))
      if (typeof helper === 'string') credHelpers[registryKey(key)] = helper
  const credsStore = typeof doc.credsStore === 'string' ? doc.credsStore : undefined
  return { auths, credHelpers, ...(credsStore ? { credsStore } : {}) }
}

/**
 * The runner's logins from `files` (lowest precedence first), later files winning per registry.
 * A missing file is skipped; an unreadable or broken one is skipped with a warning.
 */
export function readLogins(files: LoginFile[], log: Log): Logins & { from: string[] } {
  const merged: Logins & { from: string[] } = { auths: {}, credHelpers: {}, from: [] }
  for (const file of files) {
    let text: string
    try {
      text = readFileSync(file.path, 'utf8')
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
        log.warning(
          `push-registry: cannot read the logins in ${file.path} (${(e as NodeJS.ErrnoException).code ?? errorMessage(e)}); going on without them`,
        )
      continue
    }
    let logins: ReturnType<typeof parseLogins>
    try {
      logins = parseLogins(text, file)
    } catch (e) {
      log.warning(`push-registry: ${errorMessage(e)}; going on without its logins`)
      continue
    }
    if (logins.credsStore)
      log.warning(
        `push-registry: ${file.path} keeps logins in the credential store "${logins.credsStore}", which cannot be carried into the auth file; log in to those registries with registry-auth (or credHelpers) instead`,
      )
    Object.assign(merged.auths, logins.auths)
    Object.assign(merged.credHelpers, logins.credHelpers)
    if (Object.keys(logins.auths).length + Object.keys(logins.credHelpers).length > 0)
      merged.from.push(file.path)
  }
  return merged
}

/** `given` over `existing`: a registry in registry-auth replaces the runner's login for it. */
export function mergeLogins(existing: Logins, given: RegistryAuth[]): Logins {
  const auths = { ...existing.auths }
  const credHelpers = { ...existing.credHelpers }
  for (const a of given) {
    const key = registryKey(a.registry)
    auths[key] = { auth: Buffer.from(`${a.username}:${a.password}`).toString('base64') }
    // A helper would be asked before the file's entry: the explicit login must win.
    delete credHelpers[key]
  }
  return { auths, credHelpers }
}

/** A containers-auth.json (the format skopeo and buildah read), mode 600. */
export async function writeAuthFile(
  path: string,
  auths: RegistryAuth[],
  existing: Logins = { auths: {}, credHelpers: {} },
): Promise<void> {
  const logins = mergeLogins(existing, auths)
  const json = {
    auths: logins.auths,
    ...(Object.keys(logins.credHelpers).length > 0 ? { credHelpers: logins.credHelpers } : {}),
  }
  // flag 'wx': a fresh file of ours, never one that is already there (or a symlink planted there).
  await writeFile(path, JSON.stringify(json), { mode: 0o600, flag: 'wx' })
}
