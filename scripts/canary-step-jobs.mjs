#!/usr/bin/env node
// Writes the generated parts of .github/workflows/deploy-canary.yml: one job per canary step
// (step-1 .. step-N, each its own job behind an environment, so a pause holds no runner), the
// plan's step-<k> outputs, the limit the plan checks, the rollback job's `needs:` and the
// workflow's weight / rolled-back / reason outputs. Static jobs, not a matrix: GitHub does not
// promise that a matrix with max-parallel: 1 runs its legs in order, and a walk must.
//
//   node scripts/canary-step-jobs.mjs           # rewrite the generated parts in place
//   node scripts/canary-step-jobs.mjs --check   # exit 1 when they are stale (edited by hand)
//   node scripts/canary-step-jobs.mjs --check <file>   # the same for another copy (tests)
//
// Each part sits between `# BEGIN generated: <part>` and `# END generated: <part>` lines. The
// step jobs call canary-step with the very `uses:` the plan job uses (same repository, same pin,
// same # vX.Y.Z), so scripts/pin-release.mjs can rewrite every pin and the file stays fresh.
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** How many step jobs the workflow has: the most steps a walk with step-jobs: true may take. */
export const STEP_JOBS = 12

const FILE = join(dirname(fileURLToPath(import.meta.url)), '../.github/workflows/deploy-canary.yml')
const RUNS_ON =
  "${{ startsWith(inputs.runs-on, '[') && fromJSON(inputs.runs-on) || inputs.runs-on }}"
/**
 * The environment of steps 2 and later: { name, deployment } as one expression, because GitHub
 * takes `deployment` only as a literal boolean, and a custom protection rule (a GitHub App) is
 * asked only for a job with a deployment. Braces come in as arguments, so no `}}` sits inside.
 */
const PAUSE_ENVIRONMENT =
  "  environment: ${{ fromJSON(format('{0}\"name\":{1},\"deployment\":{2}{3}', '{', toJSON(inputs.pause-environment || inputs.environment), inputs.pause-protection-rule, '}')) }}"
const range = (n) => Array.from({ length: n }, (_, i) => i + 1)

function stepJob(k, uses) {
  const first = k === 1
  return [
    `step-${k}:`,
    `  name: Canary step ${k}`,
    `  needs: [plan, ${first ? 'deploy' : `step-${k - 1}`}]`,
    `  if: inputs.step-jobs && needs.plan.outputs.step-${k} != ''`,
    `  runs-on: ${RUNS_ON}`,
    ...(first
      ? [
          '  # the first step: reviewers approve the first traffic to the new release',
          '  environment:',
          '    name: ${{ inputs.environment }}',
          '    deployment: false',
        ]
      : [
          "  # the pause before it is the environment's wait timer, reviewers or the protection-rule App",
          '  # (pause-protection-rule: GitHub asks an App only for a job with a deployment); no runner is held',
          PAUSE_ENVIRONMENT,
        ]),
    '  concurrency:',
    '    group: cutover-${{ inputs.environment }}-${{ inputs.service }}',
    '    cancel-in-progress: false',
    '    queue: max',
    '  timeout-minutes: 60',
    '  permissions:',
    "    deployments: write # each step adds a status to the release's deployment",
    '  outputs:',
    '    weight: ${{ steps.canary.outputs.weight }}',
    '    rolled-back: ${{ steps.canary.outputs.rolled-back }}',
    '    reason: ${{ steps.canary.outputs.reason }}',
    '    verdict: ${{ steps.canary.outputs.verdict }}',
    '    phase: ${{ steps.canary.outputs.phase }}',
    '    figures: ${{ steps.canary.outputs.figures }}',
    '  steps:',
    '    - id: canary',
    first
      ? '      name: Set the first weight; the gate judges it'
      : '      name: The gate judges the pause, then the next weight',
    `      ${uses}`,
    '      with:',
    '        router: ${{ inputs.router || vars[inputs.router-variable] }}',
    '        router-credentials: ${{ secrets[inputs.router-credentials-secret] }}',
    '        canary: ${{ needs.plan.outputs.idle }}',
    // Step 1 may be the header/cookie phase (steps: header,...): canary-step takes it as steps.
    ...(first
      ? [
          "        weight: ${{ needs.plan.outputs.step-1 != 'header' && needs.plan.outputs.step-1 || '' }}",
          "        steps: ${{ needs.plan.outputs.step-1 == 'header' && 'header' || '' }}",
        ]
      : [`        weight: \${{ needs.plan.outputs.step-${k} }}`]),
    '        interval: ${{ inputs.interval }}',
    '        gate: ${{ inputs.gate || vars[inputs.gate-variable] }}',
    // The smoke test runs before the first weight only: step 1 gets it, later steps never.
    ...(first ? ['        smoke: ${{ inputs.smoke }}'] : []),
    // The match stays on through the weights; the step that reaches 100% clears it.
    '        match: ${{ inputs.match }}',
    '        environment: ${{ inputs.environment }}',
    '        service: ${{ inputs.service }}',
    '        image: ${{ inputs.image }}',
    '        deployment-id: ${{ needs.plan.outputs.deployment-id }}',
    '        environment-url: ${{ inputs.environment-url }}',
    '        notify: ${{ secrets[inputs.notify-secret] }}',
    // The job after this one waits behind the pause environment: say so once this step passed.
    ...(k < STEP_JOBS
      ? [
          `        notify-waiting: \${{ needs.plan.outputs.step-${k + 1} != '' && format('step {0} ({1}%) in {2}', ${k + 1}, needs.plan.outputs.step-${k + 1}, inputs.pause-environment || inputs.environment) || '' }}`,
        ]
      : []),
  ]
}

/** The generated parts, by name: each a list of lines without the part's own indentation. */
export function parts(n, uses) {
  const steps = range(n).map((k) => `step-${k}`)
  const walkers = ['canary', ...steps]
  return {
    'workflow outputs': [
      'weight:',
      "  description: The canary's weight at the end (the last step job that ran, or the one-job walk).",
      `  value: \${{ ${['canary', ...[...steps].reverse()].map((j) => `jobs.${j}.outputs.weight`).join(' || ')} }}`,
      'rolled-back:',
      "  description: \"'true' when the walk or the rollback job put traffic back on the stable slot, else 'false'.\"",
      `  value: \${{ (${[...walkers, 'rollback'].map((j) => `jobs.${j}.outputs.rolled-back == 'true'`).join(' || ')}) && 'true' || 'false' }}`,
      'reason:',
      '  description: Why traffic went back to the stable slot (empty when it did not).',
      `  value: \${{ ${[...walkers, 'rollback'].map((j) => `jobs.${j}.outputs.reason`).join(' || ')} }}`,
      // verdict, phase and figures: the walk's last job that ran (a failing step job is the last).
      ...[
        [
          'verdict',
          "The walk's verdict from its last job that ran (pass, fail, inconclusive, cancelled); none when no step ran.",
          " || 'none'",
        ],
        [
          'phase',
          'Where the last walk job ended: done, or the phase that stopped it (smoke, header, weight); empty when no step ran.',
          '',
        ],
        [
          'figures',
          "JSON of the measured values that decided the last walk job (canary-step's figures output); empty when no step ran.",
          '',
        ],
      ].flatMap(([name, description, fallback]) => [
        `${name}:`,
        // Quoted as prettier quotes YAML: single quotes unless the text holds one.
        `  description: ${description.includes("'") ? JSON.stringify(description) : `'${description}'`}`,
        `  value: \${{ ${['canary', ...[...steps].reverse()].map((j) => `jobs.${j}.outputs.${name}`).join(' || ')}${fallback} }}`,
      ]),
    ],
    'plan step outputs': steps.map((s) => `${s}: \${{ steps.steps.outputs.${s} }}`),
    'step limit': [`MAX_STEP_JOBS: '${n}'`],
    'step jobs': range(n).flatMap((k) => (k === 1 ? [] : ['']).concat(stepJob(k, uses))),
    'rollback needs': ['needs:', ...['plan', 'deploy', 'canary', ...steps].map((j) => `  - ${j}`)],
  }
}

const BEGIN = /^( *)# BEGIN generated: (.+?)\s*$/
const END = /^ *# END generated: (.+?)\s*$/

/** The file's text with every generated part rewritten; throws on a missing or unknown part. */
export function generate(text, n = STEP_JOBS) {
  const lines = text.split('\n')
  // The pin the plan job uses, outside the generated parts.
  let inside = false
  let uses
  for (const line of lines) {
    if (BEGIN.test(line)) inside = true
    else if (END.test(line)) inside = false
    else if (!inside && !uses)
      uses = line.match(/^\s*(uses: \S+\/actions\/canary-step@\S+(?:\s+#.*)?)$/)?.[1]
  }
  if (!uses) throw new Error('no `uses: .../actions/canary-step@...` outside the generated parts')
  const wanted = parts(n, uses)
  const out = []
  const seen = new Set()
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    const begin = line.match(BEGIN)
    out.push(line)
    if (!begin) continue
    const [, indent, name] = begin
    if (!(name in wanted)) throw new Error(`unknown generated part "${name}"`)
    seen.add(name)
    let j = i + 1
    while (j < lines.length && lines[j].match(END)?.[1] !== name) j++
    if (j === lines.length) throw new Error(`no "# END generated: ${name}" after line ${i + 1}`)
    out.push(...wanted[name].map((l) => (l === '' ? '' : indent + l)), lines[j])
    i = j
  }
  const missing = Object.keys(wanted).filter((name) => !seen.has(name))
  if (missing.length > 0) throw new Error(`no generated part for: ${missing.join(', ')}`)
  return out.join('\n')
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2)
  const check = args[0] === '--check'
  const files = check ? args.slice(1) : args
  const bad = files.find((a) => a.startsWith('--')) ?? (files.length > 1 ? files[1] : undefined)
  if (bad !== undefined) {
    process.stderr.write(`unexpected argument ${bad.slice(0, 40)}; usage: [--check] [file]\n`)
    process.exit(2)
  }
  const file = files[0] ?? FILE
  const before = readFileSync(file, 'utf8')
  let after
  try {
    after = generate(before)
  } catch (error) {
    process.stderr.write(`${file}: ${error.message}\n`)
    process.exit(2)
  }
  if (check) {
    if (after !== before) {
      process.stderr.write(
        `${file}: the generated canary step jobs are stale (edited by hand?); run node scripts/canary-step-jobs.mjs\n`,
      )
      process.exit(1)
    }
  } else if (after !== before) writeFileSync(file, after)
}
