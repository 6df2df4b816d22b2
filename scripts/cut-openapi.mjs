#!/usr/bin/env node
// Cuts the Deployments endpoints out of GitHub's published OpenAPI description into a small
// committed fixture, which the fake GitHub API validates every request and response against.
// The full description is 385 MB installed, so it is not a dependency; to refresh the fixture:
//   npm install --no-save @octokit/openapi && node scripts/cut-openapi.mjs
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const OPERATIONS = {
  '/repos/{owner}/{repo}/deployments': ['get', 'post'],
  '/repos/{owner}/{repo}/deployments/{deployment_id}': ['get'],
  '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses': ['get', 'post'],
}
const require = createRequire(import.meta.url)
const source =
  process.argv[2] ?? require.resolve('@octokit/openapi/generated/api.github.com.deref.json')
const version = process.argv[2] ? 'unknown' : require('@octokit/openapi/package.json').version
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
    },
    null,
    1,
  ) + '\n',
)
console.log(`wrote ${out} (${Object.keys(paths).length} paths) from ${source}`)
