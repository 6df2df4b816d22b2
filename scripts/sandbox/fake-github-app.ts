/**
 * The GitHub App side of the fake GitHub (scripts/sandbox/fake-github.ts): the App's identity
 * (a key pair generated per fake), App JWT verification as GitHub does it, webhook signing, and
 * the JSON shapes GitHub's description requires for a repository, a workflow run and the
 * deployment_protection_rule webhook. Pure helpers: the server lives in fake-github.ts.
 */
import { createHmac, createPublicKey, generateKeyPairSync, verify } from 'node:crypto'

export interface FakeApp {
  id: number
  /** PEM, PKCS#1 ("BEGIN RSA PRIVATE KEY"), as GitHub hands it out. */
  privateKey: string
  webhookSecret: string
  installationId: number
}

export function generateApp(): FakeApp & { publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  })
  return {
    id: 424242,
    privateKey,
    publicKey,
    webhookSecret: `whsec-fake-${Math.random().toString(36).slice(2)}`,
    installationId: 4242,
  }
}

/**
 * Checks an App JWT as GitHub does: RS256 signed by the App's key, `iss` the App id, `iat` not in
 * the future (60 s of clock drift allowed), `exp` in the future and at most 10 minutes after
 * `iat`. Returns GitHub's words for the first problem, or null when the token is good.
 */
export function jwtProblem(
  token: string,
  publicKey: string,
  appId: number,
  nowS = Math.floor(Date.now() / 1000),
): string | null {
  const parts = token.split('.')
  if (parts.length !== 3) return 'A JSON web token could not be decoded'
  const [head, body, signature] = parts as [string, string, string]
  let header: { alg?: string }
  let claims: { iss?: unknown; iat?: unknown; exp?: unknown }
  try {
    header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as { alg?: string }
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as typeof claims
  } catch {
    return 'A JSON web token could not be decoded'
  }
  if (header.alg !== 'RS256') return 'A JSON web token could not be decoded'
  const good = verify(
    'RSA-SHA256',
    Buffer.from(`${head}.${body}`),
    createPublicKey(publicKey),
    Buffer.from(signature, 'base64url'),
  )
  if (!good || String(claims.iss) !== String(appId)) return 'A JSON web token could not be decoded'
  if (typeof claims.iat !== 'number' || claims.iat > nowS + 60)
    return "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued"
  if (typeof claims.exp !== 'number' || claims.exp <= nowS)
    return "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires"
  if (claims.exp - claims.iat > 600)
    return "'Expiration time' claim ('exp') is too far in the future"
  return null
}

/** X-Hub-Signature-256 of a raw body. */
export function signature256(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`
}

/** X-Hub-Signature (SHA-1), which GitHub still sends beside the SHA-256 one. */
export function signature1(body: string, secret: string): string {
  return `sha1=${createHmac('sha1', secret).update(body).digest('hex')}`
}

export function userJson(login: string, id: number, type: 'User' | 'Bot' = 'User') {
  const url = `https://api.github.com/users/${encodeURIComponent(login)}`
  return {
    login,
    id,
    node_id: `U_${id}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: '',
    url,
    html_url: `https://github.com/${encodeURIComponent(login)}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type,
    site_admin: false,
  }
}

export const REPOSITORY_ID = 777001

/** A repository as GitHub's full repository objects describe it (webhooks, workflow runs). */
export function repositoryJson(owner: string, repo: string) {
  const api = `https://api.github.com/repos/${owner}/${repo}`
  return {
    id: REPOSITORY_ID,
    node_id: 'R_kgDOfake01',
    name: repo,
    full_name: `${owner}/${repo}`,
    private: true,
    owner: { ...userJson(owner, 9001), type: 'Organization' },
    html_url: `https://github.com/${owner}/${repo}`,
    description: null,
    fork: false,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    assignees_url: `${api}/assignees{/user}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    compare_url: `${api}/compare/{base}...{head}`,
    contents_url: `${api}/contents/{+path}`,
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    hooks_url: `${api}/hooks`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    issue_events_url: `${api}/issues/events{/number}`,
    issues_url: `${api}/issues{/number}`,
    keys_url: `${api}/keys{/key_id}`,
    labels_url: `${api}/labels{/name}`,
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    stargazers_url: `${api}/stargazers`,
    statuses_url: `${api}/statuses/{sha}`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: `${api}/git/trees{/sha}`,
  }
}

/** The extra fields the webhook's repository object requires beyond repositoryJson. */
export function fullRepositoryJson(owner: string, repo: string) {
  return {
    ...repositoryJson(owner, repo),
    clone_url: `https://github.com/${owner}/${repo}.git`,
    git_url: `git://github.com/${owner}/${repo}.git`,
    ssh_url: `git@github.com:${owner}/${repo}.git`,
    svn_url: `https://github.com/${owner}/${repo}`,
    mirror_url: null,
    homepage: null,
    language: 'TypeScript',
    default_branch: 'main',
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    open_issues: 0,
    open_issues_count: 0,
    size: 1024,
    has_downloads: true,
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    archived: false,
    disabled: false,
    license: null,
    visibility: 'private',
    created_at: '2026-01-05T09:00:00Z',
    updated_at: '2026-11-20T09:00:00Z',
    pushed_at: '2026-11-24T11:59:00Z',
  }
}
