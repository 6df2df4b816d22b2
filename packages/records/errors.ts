/** Why records could not be read or written, as a kind callers can act on and words for people. */

export type GitHubErrorKind =
  | 'config'
  | 'no-token'
  | 'auth'
  | 'permission'
  | 'rate-limit'
  | 'not-found'
  | 'conflict'
  | 'invalid'
  | 'timeout'
  | 'budget'
  | 'outage'
  | 'unreachable'

export class GitHubError extends Error {
  override name = 'GitHubError'
  constructor(
    readonly kind: GitHubErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message)
  }

  /** The token was refused: a configuration to fix, not an outage to ride out. */
  get refused(): boolean {
    return this.kind === 'auth' || this.kind === 'permission'
  }
}
