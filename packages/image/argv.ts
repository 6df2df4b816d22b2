/** Command lines for buildx, buildah and skopeo, as argv arrays. Pure: tested as tables. */
import { secretFlags, type SecretSpec } from './secrets.js'

export interface BuildSpec {
  context: string
  file: string
  /** Full references, e.g. ghcr.io/acme/orders:sha-0123456 */
  tags: string[]
  buildArgs: Record<string, string>
  labels: Record<string, string>
  target?: string
  platforms: string[]
  /** Seconds since the epoch for every timestamp in the image, for reproducible digests. */
  timestamp?: number
  cache: 'gha' | 'none'
  /** Build secrets: names and paths in argv, values in the environment or the files. */
  secrets?: SecretSpec[]
}

const pairs = (flag: string, map: Record<string, string>) =>
  Object.entries(map).flatMap(([k, v]) => [flag, `${k}=${v}`])

/** The flags buildah and buildx share: what to build and how to name it. */
function definitionFlags(spec: BuildSpec): string[] {
  return [
    '--file',
    spec.file,
    ...spec.tags.flatMap((t) => ['--tag', t]),
    ...pairs('--build-arg', spec.buildArgs),
    ...pairs('--label', spec.labels),
    ...(spec.target ? ['--target', spec.target] : []),
    ...(spec.platforms.length > 0 ? ['--platform', spec.platforms.join(',')] : []),
    ...secretFlags(spec.secrets ?? []),
  ]
}

export function buildahBuildArgs(spec: BuildSpec): string[] {
  return [
    'buildah',
    'build',
    '--isolation',
    'chroot',
    ...definitionFlags(spec),
    ...(spec.timestamp !== undefined ? ['--timestamp', String(spec.timestamp)] : []),
    spec.context,
  ]
}

export function buildahPushArgs(image: string, archive: string, digestFile: string): string[] {
  return ['buildah', 'push', '--digestfile', digestFile, image, `oci-archive:${archive}:${image}`]
}

export function buildxBuildArgs(spec: BuildSpec, archive: string, metadataFile: string): string[] {
  return [
    'docker',
    'buildx',
    'build',
    ...definitionFlags(spec),
    ...(spec.cache === 'gha'
      ? ['--cache-from', 'type=gha', '--cache-to', 'type=gha,mode=max']
      : []),
    '--output',
    `type=oci,dest=${archive}${spec.timestamp !== undefined ? ',rewrite-timestamp=true' : ''}`,
    '--metadata-file',
    metadataFile,
    spec.context,
  ]
}

/** Environment for a reproducible buildx build (BuildKit reads SOURCE_DATE_EPOCH). */
export function buildxEnv(spec: BuildSpec): Record<string, string> {
  return spec.timestamp !== undefined ? { SOURCE_DATE_EPOCH: String(spec.timestamp) } : {}
}

export interface Transport {
  /** Path of a containers-auth.json with credentials; never credentials in argv. */
  authFile?: string
  tlsVerify: boolean
  /** A directory with ca.crt (and client certs) for the registry, like /etc/containers/certs.d/<host>. */
  certDir?: string
}

export function skopeoCopyArgs(
  source: string,
  destination: string,
  from: Transport,
  to: Transport,
  digestFile: string,
): string[] {
  return [
    'skopeo',
    'copy',
    '--preserve-digests',
    '--digestfile',
    digestFile,
    ...(from.authFile ? ['--src-authfile', from.authFile] : []),
    ...(to.authFile ? ['--dest-authfile', to.authFile] : []),
    ...(source.startsWith('docker://') && !from.tlsVerify ? ['--src-tls-verify=false'] : []),
    ...(!to.tlsVerify ? ['--dest-tls-verify=false'] : []),
    ...(from.certDir && source.startsWith('docker://') ? ['--src-cert-dir', from.certDir] : []),
    ...(to.certDir ? ['--dest-cert-dir', to.certDir] : []),
    source,
    destination,
  ]
}

export function skopeoInspectRawArgs(reference: string, transport: Transport): string[] {
  return [
    'skopeo',
    'inspect',
    '--raw',
    ...(transport.authFile ? ['--authfile', transport.authFile] : []),
    ...(!transport.tlsVerify ? ['--tls-verify=false'] : []),
    ...(transport.certDir ? ['--cert-dir', transport.certDir] : []),
    reference,
  ]
}
