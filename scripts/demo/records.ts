import { openRouter, parseRouterConfig } from '../../packages/router/index.js'
import type { ChapterContext } from '../chapters.js'
import { startFakeGitHub, type FakeGitHub } from '../sandbox/fake-github.js'

/**
 * Deployment records on a local stand-in for GitHub's API: deploys recorded per service, a
 * manual rollback that reads them, then a rollback that refuses because the slot it would go
 * back to was overwritten by a failed deploy since.
 */
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
      ctx.runAction(action, {
        inputs: { router: haproxy.router, environment: 'production', service: 'orders', ...inputs },
        token: github.token,
        env: { GITHUB_API_URL: github.url },
      })
    // Tags keep the demo readable; a real pipeline passes the image by digest.
    const image = (version: string) => `registry.local/orders:${version}`
    const deploy = async (version: string, to: 'blue' | 'green', healthy = true) => {
      await sandbox.apps[to].control({ version, errorRate: 0, latencyMs: 0, healthy })
      const result = await run('blue-green-switch', {
        to,
        image: image(version),
        'health-url': `${sandbox.apps[to].url}/healthz`,
        'health-interval': '100ms',
        'health-timeout': '500ms',
      })
      print(
        `  deploy ${version} to ${to}: exit ${result.exitCode}, deployment ${result.outputs['deployment-id'] ?? '(see the records)'}${healthy ? '' : ' — its health check fails, traffic stays'}`,
      )
      await sandbox.apps[to].control({ healthy: true })
      return result
    }

    await deploy('v4', 'green')
    await deploy('v5', 'blue')
    print(
      '  v5 misbehaves in production; someone presses the rollback button (workflows-templates/rollback.yml):',
    )
    const rollback = await run('rollback', {
      reason: 'manual rollback by octocat: v5 drops orders',
    })
    print(rollback.log.trim().replace(/^/gm, '  │ '))
    print(`  outputs: ${JSON.stringify(rollback.outputs)}`)
    if (rollback.outputs.active !== 'green')
      throw new Error(
        `rollback should have gone back to green: ${JSON.stringify(rollback.outputs)}`,
      )

    print('  Later: v6 goes live on blue; v7 goes onto green and fails its health check.')
    await deploy('v6', 'blue')
    await deploy('v7', 'green', false)
    print(
      '  v6 misbehaves; rollback to: previous would send traffic to green, which no longer holds the last good release:',
    )
    const refused = await run('rollback', { reason: 'v6 drops orders' })
    print(`  rollback: exit ${refused.exitCode}`)
    print(refused.errors.join('\n').replace(/^/gm, '  │ '))
    if (refused.exitCode === 0)
      throw new Error(`rollback should have refused: ${JSON.stringify(refused.outputs)}`)
    print('  the production environment as GitHub would show it (one record per release):')
    printRecords(github, print)
    if (github.violations.length > 0)
      throw new Error(`requests outside GitHub's API: ${github.violations.join('; ')}`)
  } finally {
    await github.stop()
  }
}

function printRecords(github: FakeGitHub, print: (line: string) => void): void {
  print('  │ id    task           strategy    slot   image    statuses')
  for (const d of [...github.deployments].reverse()) {
    const p = d.payload as { strategy?: string; slot?: string; image?: string }
    const version = p.image?.split(':').at(-1) ?? '—'
    print(
      `  │ ${String(d.id).padEnd(5)} ${d.task.padEnd(14)} ${String(p.strategy).padEnd(11)} ${String(p.slot).padEnd(6)} ${version.padEnd(8)} ${d.statuses.map((s) => s.state).join(' → ')}`,
    )
  }
}
