#!/usr/bin/env node
// Cuts the endpoints the fake GitHub serves (Deployments; the GitHub App pieces: installation
// tokens, contents, workflow runs, the deployment protection rule callback, the App's webhook
// deliveries) and the deployment_protection_rule webhook payload out of GitHub's published
// OpenAPI description into a small committed fixture, which the fake GitHub API validates every
// request, response and webhook delivery against.
// The full description is 385 MB installed, so it is not a dependency; to refresh the fixture:
//   npm install --no-save --prefix /tmp/oa @octokit/openapi@23.0.2
//   node scripts/cut-openapi.mjs /tmp/oa/node_modules/@octokit/openapi/generated/api.github.com.deref.json
// (keep the version the fixture names in info.x-cut-from unless you mean to move it).
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const OPERATIONS = {
  '/repos/{owner}/{repo}/deployments': ['get', 'post'],
  '/repos/{owner}/{repo}/deployments/{deployment_id}': ['get'],
  '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses': ['get', 'post'],
  '/app/installations': ['get'],
  '/app/installations/{installation_id}/access_tokens': ['post'],
  '/app/hook/deliveries': ['get'],
  '/app/hook/deliveries/{delivery_id}': ['get'],
  '/repos/{owner}/{repo}/contents/{path}': ['get'],
  '/repos/{owner}/{repo}/actions/runs/{run_id}': ['get'],
  '/repos/{owner}/{repo}/actions/runs/{run_id}/deployment_protection_rule': ['post'],
}
/** Webhook payloads (the description's `x-webhooks`) the fake sends and validates. */
const WEBHOOKS = ['deployment-protection-rule-requested']
const require = createRequire(import.meta.url)
const source =
  process.argv[2] ?? require.resolve('@octokit/openapi/generated/api.github.com.deref.json')
const version = (() => {
  // The package.json beside generated/ names the version the description was cut from.
  const pkg = source.replace(/generated\/[^/]+$/, 'package.json')
  try {
    return JSON.parse(readFileSync(pkg, 'utf8')).version
  } catch {
    return 'unknown'
  }
})()
const full = JSON.parse(readFileSync(source, 'utf8'))

// Descriptions and examples are most of the bytes and none of the contract.
const strip = (node) => {
  if (Array.isArray(node)) return node.map(strip)
  if (node === null || typeof node !== 'object') return node
  return Object.fromEntries(
    Object.entries(node)
      .filter(
        ([key]) => !['description', 'example', 'examples', 'externalDocs', 'summary'].includes(key),
      )
      .map(([key, value]) => [key, strip(value)]),
  )
}
const paths = {}
for (const [path, methods] of Object.entries(OPERATIONS)) {
  paths[path] = Object.fromEntries(methods.map((m) => [m, strip(full.paths[path][m])]))
}
const webhooks = Object.fromEntries(
  WEBHOOKS.map((name) => [name, { post: strip(full['x-webhooks'][name].post) }]),
)
const out = 'test/fixtures/github-deployments.openapi.json'
writeFileSync(
  out,
  JSON.stringify(
    {
      openapi: full.openapi,
      info: {
        title: full.info.title,
        version: full.info.version,
        'x-cut-from': `@octokit/openapi@${version}`,
      },
      paths,
      'x-webhooks': webhooks,
    },
    null,
    1,
  ) + '\n',
)
console.log(
  `wrote ${out} (${Object.keys(paths).length} paths, ${WEBHOOKS.length} webhooks) from ${source}`,
)
