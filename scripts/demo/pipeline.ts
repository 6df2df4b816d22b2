/**
 * The reusable canary pipeline, run from .github/workflows/deploy-canary.yml itself (issue 11
 * item 8): scripts/workflow-runner.ts reads its jobs, needs, if, steps, with and outputs, and runs
 * every step through the action bundles and bash, job after job: plan -> a deploy command onto the
 * idle slot -> step 1 -> a pause (an environment's wait, approved here with a notice) during which
 * the new release starts failing -> step 2, whose gate judges the whole pause (`since` = step 1's
 * status, item 3) and fails -> the rollback job. The workflow's logic is never copied here.
 */
import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse, stringify } from 'yaml'
import { openRouter, parseRouterConfig } from '../../packages/router/index.js'
import { formatWeights } from '../../packages/domain/index.js'
import { execute } from '../../packages/exec/index.js'
import { sleep } from '../../packages/action-kit/util.js'
import { ROOT } from '../harness.js'
import { shareBar, type ChapterContext } from '../chapters.js'
import { startFakeGitHub } from '../sandbox/fake-github.js'
import { runWorkflow, type JobRun, type StepRunner } from '../workflow-runner.js'

const WORKFLOW = '.github/workflows/deploy-canary.yml'
/** The environment's wait timer, shortened: long enough for the gate to have real evidence. */
const PAUSE_MS = 8000
/** What the new release does once it takes real traffic: answers this share with 500. */
const ERROR_RATE = 0.3

export default async function pipeline(ctx: ChapterContext): Promise<void> {
  const { sandbox, print } = ctx
  const haproxy = sandbox.haproxy!
  const prometheus = sandbox.prometheus!
  const router = openRouter(parseRouterConfig(haproxy.router))
  const workflow = parse(await readFile(join(ROOT, WORKFLOW), 'utf8')) as {
    jobs: Record<string, { if?: string; environment?: unknown }>
  }
  // Independent of the chapters before it: blue runs v2 and is live, green holds an old v1.
  await router.write({ blue: 100, green: 0 })
  await sandbox.apps.blue.control({ version: 'v2', errorRate: 0, latencyMs: 0, healthy: true })
  await sandbox.apps.green.control({ version: 'v1', errorRate: 0, latencyMs: 0, healthy: true })

  // The fake's clock is the wall clock: the gate measures real time from the record's statuses.
  const github = await startFakeGitHub({ clock: 'real' })
  const work = await mkdtemp(join(tmpdir(), 'cutover-pipeline-'))
  let pausing = false
  const load = await sandbox.load(haproxy.url, {
    concurrency: 4,
    progressMs: 250,
    onProgress: (p) => {
      if (pausing) ctx.status(`  │ responses/250ms  ${shareBar(p.blue, p.green)}  5xx ${p.non2xx}`)
    },
  })
  try {
    print(
      `${WORKFLOW} is read as it is (${Object.keys(workflow.jobs).length} jobs) and run job by job:`,
    )
    print('  real: the workflow file (jobs, needs, if, steps, with, env, outputs, expressions) via')
    print('        scripts/workflow-runner.ts; every cutover `uses:` runs its dist/ bundle as the')
    print(
      '        runner does (Node 24, INPUT_*, GITHUB_OUTPUT); `run:` steps run in bash; HAProxy',
    )
    print(
      `        moves the traffic; Prometheus (${prometheus.url}) and the gate's statistics judge`,
    )
    print(
      '        it; the deploy command really re-points the idle slot; load runs through HAProxy.',
    )
    print(
      `  stand-ins: GitHub's Deployments API (a local fake at ${github.url} checking every call`,
    )
    print("        against GitHub's OpenAPI description); environment approvals and wait timers")
    print(
      `        (approved here with a notice; the pause is ${PAUSE_MS / 1000} s, not 30 min); one machine`,
    )
    print('        for every runner; the image (a digest the sandbox app answers to as "v3").')

    const image = `registry.local/orders@sha256:${createHash('sha256').update('orders v3').digest('hex')}`
    // A team's deploy script, for the sandbox: each server of the idle slot starts the new
    // release (the sandbox app switches its version label; a real script would pull the image).
    const deployCommand = [
      'release=v3 # what the sandbox app calls $CUTOVER_IMAGE',
      'for address in $(jq -r ".[].address" <<< "$CUTOVER_SERVERS"); do',
      '  echo "deploying $CUTOVER_IMAGE onto $CUTOVER_SLOT server $address"',
      '  curl -fsS --max-time 5 "http://$address/control?version=$release&errorRate=0&healthy=true"',
      '  echo',
      'done',
    ].join('\n')
    const gate = {
      prometheus: prometheus.url,
      interval: '1s',
      checks: [
        {
          name: 'errors-vs-stable',
          compare: 'error-rate',
          requests: 'sum(http_requests_total{slot="{{slot}}"})',
          errors: 'sum(http_requests_total{slot="{{slot}}",code=~"5.."})',
          margin: 0.01,
          'min-samples': 20,
          max: 0.05,
        },
      ],
    }
    const vars = {
      ROUTER: JSON.stringify(haproxy.router),
      CANARY_GATE: stringify(gate),
      HEALTH_URL: `${sandbox.apps.blue.url}/healthz/{{slot}}`,
    }
    const inputs = {
      environment: 'production',
      service: 'orders',
      image,
      'deploy-command': deployCommand,
      steps: '5,50,100',
      interval: '3s',
      'step-jobs': true,
      'pause-environment': 'production-pause',
      checkout: false,
      'runs-on': '["self-hosted","lb-network"]',
    }
    print('  inputs (with:): ' + JSON.stringify({ ...inputs, 'deploy-command': '(below)' }))
    print(`  vars: ROUTER = HAProxy backend web; CANARY_GATE = ${JSON.stringify(gate.checks[0])}`)
    print('  deploy-command:')
    print(deployCommand.replace(/^/gm, '  │ '))

    let outputFiles = 0
    const logs: Record<string, string> = {}
    const runner: StepRunner = {
      async action(name, stepInputs, env, step) {
        print(`  ▸ ${step.name ?? name} (${name})`)
        const run = await ctx.runAction(name, {
          inputs: stepInputs,
          token: github.token,
          env: { ...env, GITHUB_API_URL: github.url, GITHUB_JOB: step.job },
        })
        logs[step.job] = (logs[step.job] ?? '') + run.log
        print(run.log.trim().replace(/^/gm, '    │ '))
        for (const error of run.errors) print(`    │ error: ${error}`)
        print(`    exit ${run.exitCode}; outputs ${JSON.stringify(run.outputs)}`)
        return { ok: run.exitCode === 0, outputs: run.outputs }
      },
      async shell(script, env, step) {
        print(`  ▸ ${step.name ?? 'run'} (bash)`)
        const output = join(work, `output-${++outputFiles}`)
        await writeFile(output, '')
        // As the runner runs `run:` (shell: bash): bash --noprofile --norc -eo pipefail {0}.
        const result = await execute(
          ['bash', '--noprofile', '--norc', '-eo', 'pipefail', '-c', script],
          {
            timeoutMs: 60_000,
            env: { ...env, GITHUB_OUTPUT: output },
            log: { info: (line) => print(`    │ ${line.trim()}`), warning: print, debug: () => {} },
          },
        )
        const outputs = Object.fromEntries(
          (await readFile(output, 'utf8'))
            .split('\n')
            .filter((l) => l.includes('='))
            .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
        )
        print(
          `    exit ${result.code}${Object.keys(outputs).length > 0 ? `; outputs ${JSON.stringify(outputs)}` : ''}`,
        )
        return { ok: result.code === 0, outputs }
      },
    }

    const run = await runWorkflow(workflow as Parameters<typeof runWorkflow>[0], {
      inputs,
      vars,
      github: { run_id: '4242', repository: 'acme/orders' },
      runner,
      beforeJob: async (id, job) => {
        print(
          `\n▶ job ${id}: ${job.name ?? id}${job.environment ? ` — environment ${job.environment}` : ''}`,
        )
        if (job.environment === inputs['pause-environment']) {
          print(
            `  ⏸ notice (stand-in): GitHub holds this job until ${job.environment}'s wait timer runs out or a reviewer approves; no runner is held meanwhile. Auto-approved here after ${PAUSE_MS / 1000} s.`,
          )
          // The bug shows only under real traffic: v3 starts failing while nobody is watching.
          await sandbox.apps.green.control({ errorRate: ERROR_RATE })
          print(
            `  during the pause v3 on green starts answering ${ERROR_RATE * 100}% of its requests with 500 (the sandbox app is told to; no job is running):`,
          )
          pausing = true
          await sleep(PAUSE_MS)
          pausing = false
          ctx.endStatus()
          print(`  ✓ approved: ${job.environment} (auto-approved by the demo)`)
        } else if (job.environment?.endsWith('-rollback')) {
          print(
            `  ${job.environment} has no required reviewers: the job starts at once (also at 3 a.m.)`,
          )
        } else if (job.environment) {
          print(
            `  ✓ notice (stand-in): ${job.environment}'s required reviewers would approve this job here; auto-approved by the demo.`,
          )
        }
      },
      afterJob: (id, job: JobRun) => {
        if (job.result === 'skipped') {
          const when = workflow.jobs[id]?.if
          print(
            `\n· job ${id}: skipped${when ? ` (if: ${String(when).trim()})` : ' (a job it needs did not succeed)'}`,
          )
          return
        }
        print(`◀ job ${id}: ${job.result}; outputs ${JSON.stringify(job.outputs)}`)
      },
    })
    await sandbox.apps.green.control({ errorRate: 0 })
    const weights = await router.read()
    const totals = await load.stop()

    print(
      '\njobs: ' +
        Object.entries(run.jobs)
          .map(([id, j]) => `${id} ${j.result}`)
          .join(', '),
    )
    print(`workflow outputs: ${JSON.stringify(run.outputs)}`)
    print(`traffic at the end (read back from HAProxy's runtime API): ${formatWeights(weights)}`)
    print(
      `load through HAProxy: ${totals.requests} requests, blue ${totals.bySlot.blue ?? 0}, green ${totals.bySlot.green ?? 0}, 5xx ${totals.non2xx}`,
    )
    print(
      `the records in ${inputs.environment}: the release (one deployment carried across the jobs), then the walk's own rollback record:`,
    )
    for (const d of github.deployments)
      for (const s of d.statuses)
        print(`  │ ${d.id} ${s.created_at} ${s.state.padEnd(11)} ${s.description}`)

    // Item 3: step 2's gate counted from step 1's last status, so its window held the whole pause.
    const held = github.deployments[0]?.statuses.find((s) => s.description.startsWith('held at'))
    const since = /the gate judges the pause since the last step, (\S+)/.exec(logs['step-2'] ?? '')
    const window = /fail: canary .*? in (\d+)s/.exec(logs['step-2'] ?? '')?.[1]
    if (!held || !since || Date.parse(since[1]!) !== Date.parse(held.created_at))
      throw new Error(
        `step 2's gate did not count from step 1's status: ${since?.[1] ?? 'no since'}`,
      )
    print(
      `step 2's gate counted from step 1's status "${held.description}" (${held.created_at}): its ${window ?? '?'} s window holds the whole ${PAUSE_MS / 1000} s pause, not only its own job's seconds.`,
    )
    print(
      'canary-step restored stable blue itself when its gate failed (on-failure: rollback); the rollback job then found its own release already rolled back and changed nothing (scope: deployment).',
    )

    const results = Object.fromEntries(Object.entries(run.jobs).map(([id, j]) => [id, j.result]))
    const expected = {
      plan: 'success',
      deploy: 'success',
      canary: 'skipped',
      'step-1': 'success',
      'step-2': 'failure',
      // Every later step job (scripts/canary-step-jobs.mjs generates them) is skipped.
      ...Object.fromEntries(
        Object.keys(workflow.jobs)
          .filter((id) => /^step-\d+$/.test(id) && !['step-1', 'step-2'].includes(id))
          .map((id) => [id, 'skipped']),
      ),
      rollback: 'success',
    }
    if (JSON.stringify(results) !== JSON.stringify(expected))
      throw new Error(`expected jobs ${JSON.stringify(expected)}, got ${JSON.stringify(results)}`)
    if (weights.blue !== 100)
      throw new Error(`expected blue back at 100%, got ${formatWeights(weights)}`)
    // The release's record ends failure; the walk that put stable back wrote the same rollback
    // record a manual rollback writes, naming the release it undid.
    const [release, rolledBack, ...more] = github.deployments
    if (
      more.length > 0 ||
      release?.statuses.at(-1)?.state !== 'failure' ||
      rolledBack?.payload.strategy !== 'rollback' ||
      rolledBack.payload.rolled_back_id !== release.id ||
      rolledBack.statuses.at(-1)?.state !== 'success'
    )
      throw new Error(
        "expected the release's deployment ended failure and one rollback record undoing it, ended success",
      )
    if (github.violations.length > 0)
      throw new Error(`requests outside GitHub's API: ${github.violations.join('; ')}`)
  } finally {
    pausing = false
    await load.stop().catch(() => undefined)
    await github.stop()
    await rm(work, { recursive: true, force: true })
  }
}
