/** Image names, references and tags: parsed and checked before any tool runs. */
import { ConfigurationError, quote } from '../action-kit/index.js'

// Per the distribution spec: lower-case path components, an optional registry host[:port].
const NAME =
  /^(?:(?:[a-z0-9-]+\.)*[a-z0-9-]+(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/
const TAG = /^[\w][\w.-]{0,127}$/
const DIGEST = /^sha256:[a-f0-9]{64}$/

export interface ImageRef {
  /** registry/repo without tag or digest */
  name: string
  /** registry host[:port]; "docker.io" when the name has none */
  registry: string
  tag?: string
  digest?: string
}

/** An image name without tag or digest, e.g. ghcr.io/acme/orders. */
export function parseImageName(input: string, value: string): string {
  const v = value.trim()
  if (/[@]/.test(v) || /:[^/]*$/.test(v.replace(/^[^/]*:\d+\//, ''))) {
    throw new ConfigurationError(
      `Input '${input}' has the value ${quote(value)}; allowed: an image name without tag or digest, e.g. ghcr.io/acme/orders (tags go in 'tags').`,
    )
  }
  if (!NAME.test(v)) {
    throw new ConfigurationError(
      `Input '${input}' has the value ${quote(value)}; allowed: an image name in lower case (letters, digits, . _ - and /), e.g. ghcr.io/acme/orders.`,
    )
  }
  return v
}

/** A full reference with a tag or a digest: registry/repo:tag or registry/repo@sha256:... */
export function parseReference(
  input: string,
  value: string,
  options: { requireDigest?: boolean } = {},
): ImageRef {
  const v = value.trim()
  const at = v.indexOf('@')
  let name = v
  let tag: string | undefined
  let digest: string | undefined
  if (at >= 0) {
    name = v.slice(0, at)
    digest = v.slice(at + 1)
  } else {
    const colon = v.lastIndexOf(':')
    if (colon > v.lastIndexOf('/')) {
      name = v.slice(0, colon)
      tag = v.slice(colon + 1)
    }
  }
  const problem = !NAME.test(name)
    ? 'the name must be lower case (letters, digits, . _ - and /)'
    : digest !== undefined && !DIGEST.test(digest)
      ? 'the digest must be sha256: and 64 hex digits'
      : tag !== undefined && !TAG.test(tag)
        ? 'the tag may hold letters, digits, _ . - (at most 128)'
        : tag === undefined && digest === undefined
          ? 'it needs a :tag or an @sha256: digest'
          : options.requireDigest && digest === undefined
            ? 'it needs an @sha256: digest'
            : undefined
  if (problem) {
    throw new ConfigurationError(
      `Input '${input}' has the value ${quote(value)}: ${problem}; e.g. ghcr.io/acme/orders:1.2.3 or ghcr.io/acme/orders@sha256:...`,
    )
  }
  const first = name.split('/')[0] as string
  const registry = name.includes('/') && /[.:]|^localhost$/.test(first) ? first : 'docker.io'
  return { name, registry, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) }
}

/** One repository however it is spelled: docker.io/library/nginx = library/nginx = nginx. */
function canonicalName(name: string): string {
  const short = name.replace(/^(?:index\.)?docker\.io\//, '')
  return short.includes('/') ? short.replace(/^library\//, '') : short
}

export interface ImageTags {
  /** The tags alone, e.g. 1.2.3 (for the version label). */
  tags: string[]
  /** `image:tag` for each, spelled with the `image` input's name. */
  references: string[]
}

/**
 * The `tags` input: bare tags (`1.2.3`) and full references (`ghcr.io/acme/app:1.2.3`, as
 * docker/metadata-action outputs), one per line or comma-separated, any tag the distribution
 * spec allows (upper case included). A full reference must name `image` itself: the archive
 * holds one repository, and other registries are push-registry's `destinations`.
 */
export function parseImageTags(input: string, text: string, image: string): ImageTags {
  const tags: string[] = []
  for (const item of text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    let tag = item
    if (/[/:@]/.test(item)) {
      const at = item.indexOf('@')
      const colon = item.lastIndexOf(':')
      if (at >= 0 || colon <= item.lastIndexOf('/'))
        throw new ConfigurationError(
          `Input '${input}' has ${quote(item)}, which has ${at >= 0 ? 'a digest' : 'no tag'}; allowed: a tag (e.g. 1.2.3) or ${image}:<tag>.`,
        )
      const name = item.slice(0, colon)
      tag = item.slice(colon + 1)
      if (canonicalName(name) !== canonicalName(image))
        throw new ConfigurationError(
          `Input '${input}' has ${quote(item)}, which names the repository ${quote(name)}, not the 'image' ${quote(image)}; allowed: a tag or ${image}:<tag>. Push to other repositories with push-registry's destinations.`,
        )
    }
    if (!TAG.test(tag))
      throw new ConfigurationError(
        `Input '${input}' has ${quote(item)}; a tag may hold letters (either case), digits, _ . - (at most 128), not starting with . or -.`,
      )
    if (!tags.includes(tag)) tags.push(tag)
  }
  return { tags, references: tags.map((t) => `${image}:${t}`) }
}

export function formatRef(ref: ImageRef): string {
  return `${ref.name}${ref.digest ? `@${ref.digest}` : `:${ref.tag}`}`
}

/** Tags from the git context: sha-<7>, the branch, and the version when the ref is a semver tag. */
export function defaultTags(env: { sha: string; ref: string }): string[] {
  const tags = [`sha-${env.sha.slice(0, 7)}`]
  const branch = /^refs\/heads\/(.+)$/.exec(env.ref)?.[1]
  if (branch) tags.push(sanitizeTag(branch))
  const tag = /^refs\/tags\/(.+)$/.exec(env.ref)?.[1]
  if (tag) {
    const semver = /^v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)$/.exec(tag)
    tags.push(semver ? (semver[1] as string) : sanitizeTag(tag))
  }
  return [...new Set(tags)]
}

export function sanitizeTag(value: string): string {
  return value
    .toLowerCase()
    .replace(/\//g, '-')
    .replace(/[^\w.-]/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 128)
}
