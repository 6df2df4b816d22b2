/**
 * Every YAML example in the repository's Markdown (README.md, actions/*\/README.md, docs/*.md,
 * packages/*\/README.md and any other .md outside node_modules, dist and build) is extracted and
 * checked against the code, so a README cannot drift from what the actions accept:
 *
 * - every block parses as YAML (each document of a `---` stream);
 * - a step using one of our actions (`<owner>/cutover/actions/<name>@...` or `./actions/<name>`)
 *   gives only inputs its action.yml declares and every required one; its `router` and `gate`
 *   values parse with the project's own parsers (packages/router/config.ts,
 *   packages/gate/config.ts) through the same YAML reader the action uses, and a metrics-gate
 *   step's inputs make a gate as the action makes it;
 * - a workflow (`jobs:`) job that calls one of our reusable workflows gives only inputs and
 *   secrets the callee declares and every required one; any other job has `runs-on` and steps;
 * - a bare router config, a list of gate checks, a fragment of an action's `with:` (in that
 *   action's README) and Kubernetes manifests are validated with the router and gate parsers,
 *   the action's inputs and Kubernetes' schemas (kubernetes-models);
 * - the protection-rule App's `.github/cutover.yml` (a map with `protection-rule:`) is read by the
 *   App's own parser (apps/protection-rule/src/repo-config.ts), one pause environment at a time;
 * - a block of any other shape fails: a new kind of example needs a check here.
 *
 * Values holding a `${{ }}` expression are not parsed (the runner fills them in); their keys are
 * still checked.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs'
import { join, relative } from 'node:path'
import { HTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute'
import { Deployment } from 'kubernetes-models/apps/v1/Deployment'
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role'
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding'
import { Service } from 'kubernetes-models/v1/Service'
import { parseAllDocuments, parse as parseYaml } from 'yaml'
import { errorMessage, Inputs } from '../packages/action-kit/index.js'
import {
  parseGate,
  parseServerLists,
  readGateInput,
  SLOT_PLACEHOLDERS,
  type GateKey,
} from '../packages/gate/config.js'
import { parseRouterConfigs, ROUTER_TYPES } from '../packages/router/config.js'
import { parseNotify } from '../packages/notify/config.js'
import { parseSmoke } from '../packages/traffic/smoke.js'
import { CONFIG_KEY, readPauseConfig } from '../apps/protection-rule/src/repo-config.js'
import { actionMetadata, ROOT } from './harness.js'

interface Example {
  /** file:line of the opening fence. */
  where: string
  file: string
  text: string
}

type Map = Record<string, unknown>
const isMap = (v: unknown): v is Map => typeof v === 'object' && v !== null && !Array.isArray(v)
const EXPRESSION = /\$\{\{/
/** A stand-in Prometheus for gate fragments that leave it out (parsed, never contacted). */
const STAND_IN_PROMETHEUS = 'http://prometheus.example:9090'

function markdownFiles(dir = ROOT): string[] {
  const skip = new Set(['node_modules', 'dist', 'build', '.git'])
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return skip.has(entry.name) ? [] : markdownFiles(path)
    return entry.name.endsWith('.md') ? [path] : []
  })
}

/** The ```yaml / ```yml blocks of a Markdown text, an indented block (in a list) dedented. */
export function yamlBlocks(markdown: string): { line: number; text: string }[] {
  const lines = markdown.split('\n')
  const blocks: { line: number; text: string }[] = []
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```\s*ya?ml\s*$/.exec(lines[i]!)
    if (!open) continue
    const indent = open[1]!.length
    const body: string[] = []
    let j = i + 1
    for (; j < lines.length && !/^\s*```\s*$/.test(lines[j]!); j++)
      body.push(lines[j]!.slice(Math.min(indent, /^\s*/.exec(lines[j]!)![0].length)))
    if (j === lines.length) throw new Error(`line ${i + 1}: a yaml block that never closes`)
    blocks.push({ line: i + 1, text: body.join('\n') + '\n' })
    i = j
  }
  return blocks
}

function examples(): Example[] {
  return markdownFiles()
    .sort()
    .flatMap((path) =>
      yamlBlocks(readFileSync(path, 'utf8')).map(({ line, text }) => ({
        where: `${relative(ROOT, path)}:${line}`,
        file: relative(ROOT, path),
        text,
      })),
    )
}

const ACTIONS = readdirSync(join(ROOT, 'actions')).filter((name) =>
  existsSync(join(ROOT, 'actions', name, 'action.yml')),
)

/** Our action a step's `uses:` names, if any (`<owner>/cutover/actions/<name>@ref`, `./actions/<name>`). */
function ourAction(uses: string): string | undefined {
  return (/^[\w.-]+\/cutover\/actions\/([\w.-]+)@\S+$/.exec(uses) ??
    /^\.\/actions\/([\w.-]+)\/?$/.exec(uses))?.[1]
}

/** Our reusable workflow a job's `uses:` names, if any. */
function ourWorkflow(uses: string): string | undefined {
  return (/^[\w.-]+\/cutover\/\.github\/workflows\/([\w.-]+\.ya?ml)@\S+$/.exec(uses) ??
    /^\.\/\.github\/workflows\/([\w.-]+\.ya?ml)$/.exec(uses))?.[1]
}

/** A `with:` value as the runner passes it: a string. */
function inputText(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return undefined
}

class Checker {
  readonly problems: string[] = []
  constructor(readonly where: string) {}

  problem(message: string): void {
    this.problems.push(`${this.where}: ${message}`)
  }

  /** Runs a parser; its error becomes a problem. */
  parses(what: string, parse: () => unknown): void {
    try {
      parse()
    } catch (e) {
      this.problem(`${what}: ${errorMessage(e)}`)
    }
  }

  /**
   * A step's `with:` for one of our actions. `complete` is false for a fragment in an action's
   * README, which may leave out required inputs.
   */
  actionInputs(action: string, given: Map, complete: boolean): void {
    if (!ACTIONS.includes(action)) return this.problem(`no action actions/${action}`)
    const meta = actionMetadata(action)
    const declared = meta.inputs ?? {}
    const values: Record<string, string> = {}
    for (const [key, value] of Object.entries(given)) {
      if (!(key in declared))
        this.problem(
          `${action} has no input '${key}'; its inputs: ${Object.keys(declared).join(', ')}`,
        )
      const text = inputText(value)
      if (text === undefined)
        this.problem(`${action} input '${key}' is not a string (a with: value must be a scalar)`)
      else values[key] = text
    }
    if (complete)
      for (const [key, spec] of Object.entries(declared))
        if (spec.required && !(key in given)) this.problem(`${action} needs input '${key}'`)

    // The values, read as the action reads them: `Inputs` (js-yaml with the action's limits).
    const known = (key: string) => values[key] !== undefined && !EXPRESSION.test(values[key])
    const inputs = new Inputs((name) => {
      if (values[name] !== undefined) return values[name]
      if (name === 'prometheus' && !complete) return STAND_IN_PROMETHEUS
      const fallback = declared[name]?.default
      return fallback === undefined || EXPRESSION.test(fallback) ? '' : fallback
    }, ROOT)
    if ('router' in declared && known('router'))
      this.parses(`${action} input 'router'`, () =>
        parseRouterConfigs(inputs.yaml('router'), { input: 'router', workspace: ROOT }),
      )
    if (action === 'canary-step' && known('gate'))
      this.parses(`canary-step input 'gate'`, () =>
        readGateInput(inputs.yaml('gate'), {
          provided: SLOT_PLACEHOLDERS,
          stepMs: inputs.duration('interval', 60_000),
        }),
      )
    if (action === 'blue-green-switch' && known('bake'))
      this.parses(`blue-green-switch input 'bake'`, () =>
        readGateInput(
          inputs.yaml('bake'),
          { provided: SLOT_PLACEHOLDERS, delayFirst: true },
          'bake',
        ),
      )
    if (action === 'metrics-gate' && Object.keys(values).every(known))
      this.parses('metrics-gate inputs', () => metricsGate(inputs))
    if ('smoke' in declared && known('smoke'))
      this.parses(`${action} input 'smoke'`, () => parseSmoke(inputs.yaml('smoke')))
  }

  steps(steps: unknown): void {
    if (!Array.isArray(steps)) return this.problem(`'steps' is not a list`)
    for (const step of steps) {
      if (!isMap(step)) {
        this.problem(`a step is not a mapping`)
        continue
      }
      if (typeof step.uses !== 'string') continue
      const action = ourAction(step.uses)
      if (action) this.actionInputs(action, isMap(step.with) ? step.with : {}, true)
      else if (/cutover/.test(step.uses))
        this.problem(
          `'uses: ${step.uses}' names no cutover action as <owner>/cutover/actions/<name>@<ref>`,
        )
    }
  }

  workflow(doc: Map): void {
    if (!isMap(doc.jobs)) return this.problem(`'jobs' is not a mapping`)
    for (const [id, job] of Object.entries(doc.jobs)) {
      if (!isMap(job)) {
        this.problem(`job ${id} is not a mapping`)
        continue
      }
      if (typeof job.uses === 'string') this.workflowCall(id, job)
      else {
        if (job['runs-on'] === undefined) this.problem(`job ${id} has no runs-on`)
        this.steps(job.steps)
      }
    }
  }

  /** A job calling a reusable workflow: the callee exists and declares what is passed. */
  private workflowCall(id: string, job: Map): void {
    const file = ourWorkflow(job.uses as string)
    if (!file) return // someone else's reusable workflow
    const path = join(ROOT, '.github/workflows', file)
    if (!existsSync(path)) return this.problem(`job ${id} calls ${file}, which does not exist`)
    const callee = parseYaml(readFileSync(path, 'utf8')) as Map
    const call = (isMap(callee.on) ? callee.on.workflow_call : undefined) as Map | undefined
    if (!isMap(call))
      return this.problem(`job ${id} calls ${file}, which is not a reusable workflow`)
    const allowed = ['name', 'uses', 'with', 'secrets', 'needs', 'if', 'permissions']
    for (const key of Object.keys(job))
      if (!allowed.concat('strategy', 'concurrency').includes(key))
        this.problem(`job ${id} calls a reusable workflow and cannot have '${key}'`)
    const check = (kind: 'input' | 'secret', given: unknown, declared: unknown) => {
      const passed = isMap(given) ? given : {}
      const spec = (isMap(declared) ? declared : {}) as Record<string, { required?: boolean }>
      for (const key of Object.keys(passed))
        if (!(key in spec))
          this.problem(
            `job ${id}: ${file} declares no ${kind} '${key}'; its ${kind}s: ${Object.keys(spec).join(', ')}`,
          )
      for (const [key, s] of Object.entries(spec))
        if (s?.required && !(key in passed))
          this.problem(`job ${id}: ${file} needs the ${kind} '${key}'`)
    }
    check('input', job.with, call.inputs)
    if (job.secrets !== 'inherit') check('secret', job.secrets, call.secrets)
  }

  kubernetes(doc: Map): void {
    const models: Record<string, { new (o: never): { validate(): void } }> = {
      'apps/v1 Deployment': Deployment,
      'v1 Service': Service,
      'gateway.networking.k8s.io/v1 HTTPRoute': HTTPRoute,
      'rbac.authorization.k8s.io/v1 Role': Role,
      'rbac.authorization.k8s.io/v1 RoleBinding': RoleBinding,
    }
    const kind = `${String(doc.apiVersion)} ${String(doc.kind)}`
    const Model = models[kind]
    if (!Model) return this.problem(`no schema here for ${kind}: add its kubernetes-models class`)
    this.parses(kind, () => new Model(doc as never).validate())
  }
}

/** metrics-gate's inputs made into a gate as actions/metrics-gate/main.ts makes them. */
function metricsGate(inputs: Inputs): void {
  const yamlInputs: GateKey[] = ['prometheus-headers', 'checks', 'vars', 'preset']
  const servers = parseServerLists(inputs.yaml('servers'), `Input 'servers'`)
  const gate = parseGate(
    (key) => (yamlInputs.includes(key) ? inputs.yaml(key) : inputs.string(key)),
    (key) => key,
    { provided: servers ? ['canary-servers', 'stable-servers'] : [] },
  )
  gate.bind(servers ? { canaryServers: servers.canary, stableServers: servers.stable } : {})
}

/** What the README's directory says the fragment belongs to: actions/<name>/README.md. */
function readmeAction(file: string): string | undefined {
  const name = /^actions\/([\w.-]+)\/README\.md$/.exec(file)?.[1]
  return name && ACTIONS.includes(name) ? name : undefined
}

const isCheckList = (doc: unknown): doc is Map[] =>
  Array.isArray(doc) &&
  doc.length > 0 &&
  doc.every((c) => isMap(c) && typeof c.name === 'string' && ('query' in c || 'compare' in c))
const isStepList = (doc: unknown): doc is Map[] =>
  Array.isArray(doc) && doc.length > 0 && doc.every((s) => isMap(s) && ('uses' in s || 'run' in s))

/** Checks one example; returns its kind(s) and the problems found. */
export function checkExample(example: Example): { kinds: string[]; problems: string[] } {
  const checker = new Checker(example.where)
  const kinds: string[] = []
  const stream = parseAllDocuments(example.text)
  const docs = Array.isArray(stream) ? stream : [stream]
  for (const doc of docs)
    for (const error of doc.errors) checker.problem(`not valid YAML: ${error.message}`)
  if (checker.problems.length > 0) return { kinds: ['invalid'], problems: checker.problems }

  for (const value of docs.map((d) => d.toJS() as unknown)) {
    const action = readmeAction(example.file)
    if (isMap(value) && 'apiVersion' in value && 'kind' in value) {
      kinds.push('kubernetes')
      checker.kubernetes(value)
    } else if (isMap(value) && CONFIG_KEY in value) {
      // The protection-rule App's .github/cutover.yml, read by the App's own parser.
      kinds.push('protection-rule')
      const entries = isMap(value[CONFIG_KEY]) ? Object.keys(value[CONFIG_KEY]) : []
      if (entries.length === 0) checker.problem(`'${CONFIG_KEY}' names no pause environment`)
      for (const environment of entries)
        checker.parses(`${CONFIG_KEY}.${environment}`, () =>
          readPauseConfig(example.text, environment),
        )
    } else if (isMap(value) && 'jobs' in value) {
      kinds.push('workflow')
      checker.workflow(value)
    } else if (isMap(value) && 'steps' in value) {
      kinds.push('job')
      checker.steps(value.steps)
    } else if (isStepList(value)) {
      kinds.push('steps')
      checker.steps(value)
    } else if (isMap(value) && (ROUTER_TYPES as readonly unknown[]).includes(value.type)) {
      kinds.push('router')
      checker.parses('router config', () => parseRouterConfigs(value, { workspace: ROOT }))
    } else if (isCheckList(value)) {
      kinds.push('checks')
      // As canary-step's gate reads them: {{slot}}, {{canary}}... are all bound there.
      checker.parses('gate checks', () =>
        readGateInput(
          { prometheus: STAND_IN_PROMETHEUS, checks: value },
          {
            provided: SLOT_PLACEHOLDERS,
          },
        ),
      )
    } else if (
      Array.isArray(value) &&
      value.length > 0 &&
      value.every((t) => isMap(t) && ['slack', 'teams', 'webhook'].some((k) => k in t))
    ) {
      kinds.push('notify')
      checker.parses('notify targets', () => parseNotify('notify', example.text, () => {}))
    } else if (isMap(value) && action) {
      kinds.push('with')
      checker.actionInputs(action, value, false)
    } else {
      kinds.push('unknown')
      checker.problem(
        'an example of a shape this test does not check (a workflow, job, steps, router config, gate checks, notify targets, a with: fragment in its action README, Kubernetes manifests): add a check for it',
      )
    }
  }
  return { kinds, problems: checker.problems }
}

const ALL = examples()

test('the examples are found: every README with YAML, every kind', () => {
  const files = new Set(ALL.map((e) => e.file))
  for (const file of ['README.md', ...ACTIONS.map((a) => `actions/${a}/README.md`)])
    expect({ file, found: files.has(file) }).toEqual({ file, found: true })
  const kinds = new Set(ALL.flatMap((e) => checkExample(e).kinds))
  for (const kind of [
    'workflow',
    'job',
    'steps',
    'router',
    'checks',
    'with',
    'kubernetes',
    'protection-rule',
  ])
    expect({ kind, found: kinds.has(kind) }).toEqual({ kind, found: true })
})

test.each(ALL.map((e) => [e.where, e] as const))('%s', (_where, example) => {
  expect(checkExample(example).problems).toEqual([])
})

describe('the checks catch what they are for', () => {
  const check = (text: string, file = 'README.md') =>
    checkExample({ where: 'x', file, text }).problems.join('\n')

  test('an unknown input, a missing required one, a router the parser refuses', () => {
    const problems = check(
      [
        '- uses: acme/cutover/actions/blue-green-switch@v1',
        '  with:',
        '    route: x',
        '- uses: acme/cutover/actions/rollback@v1',
        '  with:',
        '    router: |',
        '      type: haproxy',
        '      backend: web',
      ].join('\n'),
    )
    expect(problems).toContain(`blue-green-switch has no input 'route'`)
    expect(problems).toContain(`blue-green-switch needs input 'router'`)
    expect(problems).toMatch(/rollback input 'router': .*Input 'router'/)
  })

  test('a smoke list the smoke parser refuses, in blue-green-switch and canary-step', () => {
    const problems = check(
      [
        '- uses: acme/cutover/actions/blue-green-switch@v1',
        '  with:',
        '    router: "{ type: haproxy, address: 127.0.0.1:9999, backend: web, slots: { blue: a, green: b } }"',
        '    smoke: "[{ url: \'http://{{address}}/\', status: 999 }]"',
        '- uses: acme/cutover/actions/canary-step@v1',
        '  with:',
        '    router: "{ type: haproxy, address: 127.0.0.1:9999, backend: web, slots: { blue: a, green: b } }"',
        '    weight: "5"',
        '    smoke: "[{ command: ./smoke.sh }]"',
      ].join('\n'),
    )
    expect(problems).toMatch(/blue-green-switch input 'smoke': .*key 'status' has the value 999/)
    expect(problems).toMatch(/canary-step input 'smoke': .*key 'command' is string/)
  })

  test('a gate the gate parser refuses, in canary-step and in metrics-gate', () => {
    const problems = check(
      [
        '- uses: acme/cutover/actions/canary-step@v1',
        '  with:',
        '    router: "{ type: haproxy, address: 127.0.0.1:9999, backend: web, slots: { blue: a, green: b } }"',
        '    gate: |',
        '      prometheus: http://prometheus:9090',
        '      checks: [{ name: x, query: up, maximum: 1 }]',
        '- uses: acme/cutover/actions/metrics-gate@v1',
        '  with:',
        '    prometheus: http://prometheus:9090',
        '    checks: |',
        '      - name: x',
        '        query: sum(rate(x{slot="{{slot}}"}[1m]))',
        '        max: 1',
      ].join('\n'),
    )
    expect(problems).toMatch(/canary-step input 'gate': .*maximum/)
    expect(problems).toMatch(/metrics-gate inputs: .*\{\{slot\}\}/)
  })

  test('a reusable workflow call without a required input, with an unknown one and an unknown secret', () => {
    const problems = check(
      [
        'jobs:',
        '  deploy:',
        '    uses: acme/cutover/.github/workflows/deploy-canary.yml@0123',
        '    with: { environment: production, colour: blue }',
        '    secrets: { NOPE: x }',
      ].join('\n'),
    )
    expect(problems).toContain(`deploy-canary.yml declares no input 'colour'`)
    expect(problems).toContain(`deploy-canary.yml needs the input 'image'`)
    expect(problems).toContain(`deploy-canary.yml declares no secret 'NOPE'`)
  })

  test("a protection-rule config the App's parser refuses", () => {
    const problems = check(
      [
        'protection-rule:',
        '  production-pause:',
        '    service: web',
        '    environment: production',
        '    pause: 10m',
        '    colour: blue',
      ].join('\n'),
    )
    expect(problems).toMatch(/protection-rule.production-pause: .*unknown key "colour"/)
  })

  test('invalid YAML, a Kubernetes object its schema refuses, a shape nobody checks', () => {
    expect(check('a: [1, 2\n')).toMatch(/not valid YAML/)
    expect(check('apiVersion: v1\nkind: Service\nspec: { ports: [{ port: "eighty" }] }\n')).toMatch(
      /v1 Service: /,
    )
    expect(check('colour: blue\n')).toMatch(/a shape this test does not check/)
  })
})
