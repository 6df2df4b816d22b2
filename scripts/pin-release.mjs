#!/usr/bin/env node
// Pins every cutover `uses:` in the given workflow files to a released commit, with a `# vX.Y.Z`
// comment: actions (<repo>/actions/<name>@...) to --actions, reusable workflows
// (<repo>/.github/workflows/<file>@...) to --workflows. A commit cannot pin itself, so a release
// takes two commits (see CONTRIBUTING.md, "Release"):
//
//   node scripts/pin-release.mjs --version v1.2.3 --actions <tag sha> --repository acme/cutover \
//     .github/workflows/deploy-blue-green.yml .github/workflows/deploy-canary.yml ...
//   node scripts/pin-release.mjs --version v1.2.3 --actions <tag sha> --workflows <first pin sha> \
//     --repository acme/cutover workflows-templates/*.yml
//
// References written as cutover-dev/cutover/... (the placeholder in the sources) or as
// --repository/... are rewritten to --repository; any other `uses:` is left alone.
import { readFileSync, writeFileSync } from 'node:fs'

const PLACEHOLDER = 'cutover-dev/cutover'
const SHA = /^[0-9a-f]{40}$/
const VERSION = /^v\d+\.\d+\.\d+$/
const REPOSITORY = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/

/** Parses argv into settings; throws an Error naming the option, the value and what is allowed. */
export function parseArgs(argv) {
  const settings = { files: [], repository: PLACEHOLDER }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const option = {
      '--version': 'version',
      '--actions': 'actions',
      '--workflows': 'workflows',
      '--repository': 'repository',
    }[arg]
    if (option) {
      const value = argv[++i]
      if (value === undefined) throw new Error(`${arg} needs a value`)
      settings[option] = value
    } else if (arg.startsWith('--')) {
      throw new Error(
        `unknown option ${arg.slice(0, 40)}; allowed: --version, --actions, --workflows, --repository`,
      )
    } else settings.files.push(arg)
  }
  const show = (v) => JSON.stringify(String(v).slice(0, 80))
  if (!VERSION.test(settings.version ?? ''))
    throw new Error(`--version must be vX.Y.Z, got ${show(settings.version ?? '')}`)
  if (!SHA.test(settings.actions ?? ''))
    throw new Error(
      `--actions must be a full 40-hex commit SHA, got ${show(settings.actions ?? '')}`,
    )
  if (settings.workflows !== undefined && !SHA.test(settings.workflows))
    throw new Error(`--workflows must be a full 40-hex commit SHA, got ${show(settings.workflows)}`)
  if (!REPOSITORY.test(settings.repository))
    throw new Error(`--repository must be owner/name, got ${show(settings.repository)}`)
  if (settings.files.length === 0) throw new Error('name at least one workflow file to pin')
  return settings
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')

/**
 * Rewrites the pins in one file's text. Returns the new text and what changed; throws when the
 * file calls a reusable workflow and no --workflows SHA was given.
 */
export function pin(text, settings, file = 'the file') {
  const repos = [...new Set([PLACEHOLDER, settings.repository])].map(escape).join('|')
  const ref = new RegExp(
    `^(\\s*(?:-\\s+)?uses:\\s*)(?:${repos})/(actions/[A-Za-z0-9_-]+|\\.github/workflows/[A-Za-z0-9_.-]+\\.ya?ml)@[^\\s#]+[ \\t]*(?:#.*)?$`,
    'gm',
  )
  const changes = []
  const out = text.replace(ref, (_line, prefix, path) => {
    const workflow = path.startsWith('.github/')
    const sha = workflow ? settings.workflows : settings.actions
    if (!sha)
      throw new Error(
        `${file} calls the reusable workflow ${path}: give --workflows <sha> (the commit that pins the reusable workflows)`,
      )
    changes.push(`${path}@${sha}`)
    return `${prefix}${settings.repository}/${path}@${sha} # ${settings.version}`
  })
  return { text: out, changes }
}

function main() {
  let settings
  try {
    settings = parseArgs(process.argv.slice(2))
    const results = settings.files.map((file) => ({
      file,
      ...pin(readFileSync(file, 'utf8'), settings, file),
    }))
    for (const { file, text, changes } of results) {
      writeFileSync(file, text)
      console.log(
        `${file}: ${changes.length} pin(s)${changes.length ? ` -> ${[...new Set(changes)].join(', ')}` : ''}`,
      )
    }
  } catch (e) {
    console.error(`pin-release: ${e.message}`)
    process.exit(1)
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main()
