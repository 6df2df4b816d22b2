/**
 * Build secrets, as docker and buildah take them (`--secret id=NAME,env=VAR` or
 * `id=NAME,src=path`): mounted for a RUN step only, never in the image, argv or log. Only
 * names and paths ever reach argv; values stay in the environment or the file.
 */
import { ConfigurationError, quote } from '../action-kit/index.js'

export interface SecretSpec {
  /** The mount's name: RUN --mount=type=secret,id=<id> reads /run/secrets/<id>. */
  id: string
  /** An environment variable that holds the value... */
  env?: string
  /** ...or a file that does. */
  src?: string
}

const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
const ALLOWED = 'id=NAME,env=VARIABLE or id=NAME,src=PATH, one per line'

/** The `secrets` input; no value is read here (see the action, which reads and masks them). */
export function parseSecrets(input: string, text: string): SecretSpec[] {
  const specs: SecretSpec[] = []
  for (const line of text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)) {
    const fields = new Map<string, string>()
    for (const part of line.split(',').map((p) => p.trim())) {
      const eq = part.indexOf('=')
      const key = eq > 0 ? part.slice(0, eq) : ''
      if (!['id', 'env', 'src'].includes(key) || fields.has(key))
        throw new ConfigurationError(
          `Input '${input}' has the line ${quote(line)}: ${key ? `${fields.has(key) ? 'repeated' : 'unknown'} key ${quote(key)}` : `${quote(part)} is not key=value`}; allowed: ${ALLOWED}.`,
        )
      fields.set(key, part.slice(eq + 1).trim())
    }
    const id = fields.get('id')
    const env = fields.get('env')
    const src = fields.get('src')
    const problem =
      id === undefined
        ? 'it has no id'
        : !ID.test(id)
          ? `the id ${quote(id)} may hold letters, digits, _ . - (at most 128)`
          : (env === undefined) === (src === undefined)
            ? 'it needs exactly one of env= and src='
            : env !== undefined && !ENV_NAME.test(env)
              ? `${quote(env)} is not an environment variable name`
              : src === ''
                ? 'src= is empty'
                : specs.some((s) => s.id === id)
                  ? `the id ${quote(id)} is given twice`
                  : undefined
    if (problem)
      throw new ConfigurationError(
        `Input '${input}' has the line ${quote(line)}: ${problem}; allowed: ${ALLOWED}.`,
      )
    specs.push({ id: id as string, ...(env !== undefined ? { env } : { src: src as string }) })
  }
  return specs
}

/** `--secret` flags: names and paths only. */
export function secretFlags(secrets: SecretSpec[]): string[] {
  return secrets.flatMap((s) => [
    '--secret',
    s.env !== undefined ? `id=${s.id},env=${s.env}` : `id=${s.id},src=${s.src}`,
  ])
}
