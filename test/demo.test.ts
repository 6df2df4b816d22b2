/** `npm run demo` exactly as the README gives it: it deploys through real servers and stops them all. */
import { execFile, execFileSync } from 'node:child_process'
import { ROOT } from './harness.js'

test('npm run demo switches traffic on HAProxy and nginx with no failed request, then stops every server', async () => {
  const output = await new Promise<string>((resolve, reject) =>
    execFile(
      'npm',
      ['run', 'demo'],
      { cwd: ROOT, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NODE_OPTIONS: '' } },
      (error, stdout, stderr) =>
        error
          ? reject(new Error(`npm run demo failed: ${error.message}\n${stdout}\n${stderr}`))
          : resolve(stdout),
    ),
  )
  const dir = /servers run on 127\.0\.0\.1 from (\S+)/.exec(output)?.[1]
  // The image chapter: built with buildah, pushed, and the same digest read back from the registry.
  const digest = /build-image: (sha256:[a-f0-9]{64})/.exec(output)?.[1]
  expect(digest).toBeDefined()
  expect(output).toContain(`push-registry: every destination holds ${digest}`)
  expect(dir).toMatch(/cutover-sandbox-/)
  for (const kind of ['haproxy', 'nginx']) {
    expect(output).toMatch(new RegExp(`${kind}: clients hit http://127\\.0\\.0\\.1:\\d+`))
  }
  // Every action's outputs line, parsed (the order of the keys is not the point).
  const outputs = [...output.matchAll(/outputs: (\{.*\}) {2}exit code (\d+)/g)].map(
    (m): Record<string, string> => ({ ...JSON.parse(m[1] as string), exitCode: m[2] as string }),
  )
  // HAProxy, nginx, and a pair of HAProxies with two servers per slot.
  expect(
    outputs.filter(
      (o) =>
        o.active === 'green' &&
        o.previous === 'blue' &&
        o.switched === 'true' &&
        o.live === 'green' &&
        o.idle === 'blue' &&
        o['rolled-back'] === 'false' &&
        o.exitCode === '0',
    ),
  ).toHaveLength(3)
  expect(output).toContain('{\\"name\\":\\"web-blue-1\\"')
  expect(output.match(/non-2xx 0, failed 0/g)?.length).toBeGreaterThanOrEqual(2)
  expect(output).toContain('### Blue-green switch: blue → green')
  // The canary chapter: v3 goes bad and is rolled back by the gate, not by a person.
  expect(output).toContain('Canary blue: fail, rolled back to stable green')
  expect(output).toMatch(
    /error-rate failed 1 time\(s\), more than failure-limit 0: 0\.\d+ > max 0\.05/,
  )
  expect(outputs).toContainEqual(
    expect.objectContaining({
      weight: '0',
      canary: 'blue',
      stable: 'green',
      verdict: 'fail',
      'rolled-back': 'true',
      exitCode: '1',
    }),
  )
  // The records chapter: a manual rollback finds v4's slot from the records and records itself,
  // then refuses to "restore" a slot a failed deploy has overwritten since.
  expect(output).toMatch(/deploy:orders +rollback +green +v4 +in_progress → success/)
  expect(output).toMatch(/deploy:orders +blue-green +blue +v5 +in_progress → success → failure/)
  expect(output).toContain('rollback refused: green was overwritten since')
  // The pipeline chapter: deploy-canary.yml run job by job; step 2's gate judges the whole pause
  // (since = step 1's status) and fails; the rollback job runs; blue carries all traffic.
  expect(output).toMatch(
    /jobs: plan success, deploy success, canary skipped, step-1 success, step-2 failure, step-3 skipped, (step-\d+ skipped, )+rollback success/,
  )
  expect(output).toMatch(/step 2's gate counted from step 1's status "held at 5%"/)
  expect(output).toContain(
    "traffic at the end (read back from HAProxy's runtime API): blue 100% / green 0%",
  )
  // The DNS chapter: each authoritative server, asked with dig, answers green afterwards.
  for (const label of [
    'PowerDNS 4.7 through its HTTP API',
    'BIND 9 through RFC 2136 signed with TSIG',
  ])
    expect(output).toContain(`${label}: app.example.test is blue (192.0.2.1)`)
  expect(
    output.match(/dig @127\.0\.0\.1:\d+: app\.example\.test\. 30 IN A 192\.0\.2\.2/g),
  ).toHaveLength(2)
  // The whole release (issue 20): smoke, the header phase, gated steps to 100%, a bad release
  // baked out, every notification accepted by the Slack-, Teams- and webhook-shaped receivers.
  expect(output).toMatch(/smoke: passed on every server of (blue|green)/)
  expect(output).toContain('header phase passed: matched requests go to the canary')
  expect(output).toContain('outputs: verdict pass, phase done, weight 100  exit code 0')
  expect(output).toMatch(/webhook {2}rollback \(signature verified\): the bake judged \w+ fail/)
  expect(output).toContain('outputs: verdict fail, phase bake, rolled-back true  exit code 1')
  expect(output).toMatch(/notifications: slack \d+, teams \d+, webhook \d+ accepted; 0 refused/)
  // The flag chapter (issue 23): on a real Unleash, the gate turns a broken flag off for all
  // 10,000 users by itself; the fixed release walks it to 100%; records are the flag's.
  expect(output).toContain('the SDK now turns checkout-v2 on for 0 of 10000 users.')
  expect(output).toContain('the SDK now turns checkout-v2 on for 10000 of 10000 users.')
  expect(output).toMatch(
    /deploy:orders\/flag:checkout-v2 green +registry\.local\/orders:v9 +in_progress( → in_progress)* → success/,
  )
  expect(output).toContain('demo: done, every server stopped.')
  // Nothing the demo started is still running.
  const processes = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
  expect(processes.split('\n').filter((line) => line.includes(dir as string))).toEqual([])
}, 900_000)
