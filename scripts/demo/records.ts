import { openRouter, parseRouterConfig } from '../../packages/router/index.js'
import type { ChapterContext } from '../chapters.js'
import { startFakeGitHub, type FakeGitHub } from '../sandbox/fake-github.js'

/** Deployment records on a local stand-in for GitHub's API, then a manual rollback that reads them. */
export default async function records(ctx: ChapterContext): Promise<void> {
  const { sandbox, print } = ctx
  const haproxy = sandbox.haproxy!
  const github = await startFakeGitHub()
  try {
    print(
      `GitHub's Deployments API is played by a local fake at ${github.url} that checks every call against GitHub's OpenAPI description.`,
    )
    await openRouter(parseRouterConfig(haproxy.router)).write({ blue: 100, green: 0 })
    const run = (action: string, inputs: Record<string, string | object>) =>
      ctx.runAction(action, { inputs, token: github.token, env: { GITHUB_API_URL: github.url } })

    for (const [to, image] of [
      ['green', 'v4'],
      ['blue', 'v5'],
    ] as const) {
      await sandbox.apps[to].control({ version: image, errorRate: 0, latencyMs: 0 })
      const deploy = await run('blue-green-switch', {
        router: haproxy.router,
        to,
        image: `registry.local/orders:${image}`,
      })
      print(
        `  deploy ${image} to ${to}: exit ${deploy.exitCode}, deployment ${deploy.outputs['deployment-id']}`,
      )
    }
    print(
      '  v5 misbehaves in production; someone presses the rollback button (workflows-templates/rollback.yml):',
    )
    const rollback = await run('rollback', {
      router: haproxy.router,
      reason: 'manual rollback by octocat: v5 drops orders',
    })
    print(rollback.log.trim().replace(/^/gm, '  │ '))
    print(`  outputs: ${JSON.stringify(rollback.outputs)}`)
    print('  the production environment as GitHub would show it:')
    printRecords(github, print)
    if (rollback.outputs.active !== 'green')
      throw new Error(
        `rollback should have gone back to green: ${JSON.stringify(rollback.outputs)}`,
      )
    if (github.violations.length > 0)
      throw new Error(`requests outside GitHub's API: ${github.violations.join('; ')}`)
  } finally {
    await github.stop()
  }
}

function printRecords(github: FakeGitHub, print: (line: string) => void): void {
  print('  │ id    task               slot   image                      statuses')
  for (const d of [...github.deployments].reverse()) {
    const p = d.payload as { slot?: string; image?: string }
    print(
      `  │ ${String(d.id).padEnd(5)} ${d.task.padEnd(18)} ${String(p.slot).padEnd(6)} ${String(p.image ?? '—').padEnd(26)} ${d.statuses.map((s) => s.state).join(' → ')}`,
    )
  }
}
