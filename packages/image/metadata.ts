/** What an image is called and labelled: build args, labels and platforms from text inputs, and git. */
import { ConfigurationError, quote } from '../action-kit/index.js'
import { execute } from '../exec/index.js'

/** Reading the commit time is local and instant; 30 s covers a cold disk. */
const GIT_TIMEOUT_MS = 30_000

/** `KEY=VALUE` lines. */
export function parseKeyValues(input: string, text: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)) {
    const eq = line.indexOf('=')
    if (eq <= 0)
      throw new ConfigurationError(
        `Input '${input}' has the line ${quote(line)}; allowed: KEY=VALUE, one per line.`,
      )
    out[line.slice(0, eq)] = line.slice(eq + 1)
  }
  return out
}

export function parsePlatforms(input: string, text: string): string[] {
  const platforms = text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean)
  for (const p of platforms) {
    if (!/^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/.test(p)) {
      throw new ConfigurationError(
        `Input '${input}' has ${quote(p)}; allowed: os/arch[/variant], e.g. linux/amd64.`,
      )
    }
  }
  return platforms
}

/** The OCI labels derived from the repo; `version` is the first semver tag, else the first tag. */
export function ociLabels(context: {
  serverUrl: string
  repository: string
  sha: string
  createdSeconds: number
  tags: string[]
}): Record<string, string> {
  const version = context.tags.find((t) => /^\d+\.\d+\.\d+/.test(t)) ?? context.tags[0] ?? ''
  return {
    'org.opencontainers.image.source': `${context.serverUrl}/${context.repository}`,
    'org.opencontainers.image.revision': context.sha,
    'org.opencontainers.image.created': new Date(context.createdSeconds * 1000).toISOString(),
    'org.opencontainers.image.version': version,
  }
}

/** The commit time of HEAD in `dir`, or 0 outside git: the same source gives the same digest. */
export async function commitTime(dir: string): Promise<number> {
  const result = await execute(['git', '-C', dir, 'log', '-1', '--format=%ct'], {
    timeoutMs: GIT_TIMEOUT_MS,
  })
  return result.code === 0 ? Number(result.stdout.trim()) || 0 : 0
}
